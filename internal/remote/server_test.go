package remote

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

// fakeServer is an in-process SSH server, built with x/crypto/ssh, that runs just
// enough of sshd for these tests: public key logins, exec requests answered by a Go
// handler, pseudo-terminal requests, and direct-tcpip for use as a jump host.
type fakeServer struct {
	t       *testing.T
	ln      net.Listener
	host    string
	port    int
	keys    []ssh.Signer // host keys
	cfg     *ssh.ServerConfig
	handler func(*fakeExec)
	forward bool

	mu       sync.Mutex
	users    map[string][]ssh.PublicKey
	authReqs int      // public key callbacks (queries and signed requests)
	sigAlgos []string // signature algorithms of successful logins
	logins   []string
	algs     []ssh.NegotiatedAlgorithms
	conns    int // TCP connections accepted
	forwards []string
	raw      []net.Conn
}

type serverOpts struct {
	legacy   bool     // only diffie-hellman-group1-sha1, aes128-cbc, hmac-sha1, ssh-rsa
	hostKeys []string // "ed25519" (default), "rsa"
	sigAlgs  []string // PublicKeyAuthAlgorithms; advertised in server-sig-algs
	forward  bool     // allow direct-tcpip
	maxTries int
}

var (
	rsaOnce sync.Once
	rsaKeys []*rsa.PrivateKey
)

// testRSAKey returns one of a few RSA keys made once per test binary (making them is
// slow).
func testRSAKey(t *testing.T, i int) *rsa.PrivateKey {
	rsaOnce.Do(func() {
		for j := 0; j < 3; j++ {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			rsaKeys = append(rsaKeys, k)
		}
	})
	return rsaKeys[i]
}

func newEd25519(t *testing.T) ed25519.PrivateKey {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func mustSigner(t *testing.T, key any) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newFakeServer(t *testing.T, o serverOpts) *fakeServer {
	t.Helper()
	s := &fakeServer{t: t, users: map[string][]ssh.PublicKey{}, forward: o.forward}
	cfg := &ssh.ServerConfig{
		PublicKeyAuthAlgorithms: o.sigAlgs,
		MaxAuthTries:            o.maxTries,
		PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.authReqs++
			for _, k := range s.users[meta.User()] {
				if bytes.Equal(k.Marshal(), key.Marshal()) {
					return &ssh.Permissions{}, nil
				}
			}
			return nil, fmt.Errorf("key not authorized for %s", meta.User())
		},
		VerifiedPublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey, p *ssh.Permissions, algo string) (*ssh.Permissions, error) {
			s.mu.Lock()
			s.sigAlgos = append(s.sigAlgos, algo)
			s.mu.Unlock()
			return p, nil
		},
	}
	if o.legacy {
		cfg.Config = ssh.Config{
			KeyExchanges: []string{ssh.InsecureKeyExchangeDH1SHA1},
			Ciphers:      []string{ssh.InsecureCipherAES128CBC},
			MACs:         []string{ssh.HMACSHA1},
		}
	}
	if len(o.hostKeys) == 0 {
		o.hostKeys = []string{"ed25519"}
		if o.legacy {
			o.hostKeys = []string{"rsa"}
		}
	}
	for _, kt := range o.hostKeys {
		var hk ssh.Signer
		switch kt {
		case "ed25519":
			hk = mustSigner(t, newEd25519(t))
		case "rsa":
			hk = mustSigner(t, testRSAKey(t, 2))
			if o.legacy {
				// An OpenSSH 4.3 host key: RSA with SHA-1 signatures only.
				ms, err := ssh.NewSignerWithAlgorithms(hk.(ssh.AlgorithmSigner), []string{ssh.KeyAlgoRSA})
				if err != nil {
					t.Fatal(err)
				}
				hk = ms
			}
		}
		cfg.AddHostKey(hk)
		s.keys = append(s.keys, hk)
	}
	s.cfg = cfg
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln = ln
	s.host = "127.0.0.1"
	s.port = ln.Addr().(*net.TCPAddr).Port
	t.Cleanup(s.close)
	go s.serve()
	return s
}

func (s *fakeServer) close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.raw {
		c.Close()
	}
	s.mu.Unlock()
}

func (s *fakeServer) authorize(user string, keys ...ssh.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[user] = append(s.users[user], keys...)
}

func (s *fakeServer) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// target is how a test names this server: user@127.0.0.1:port.
func (s *fakeServer) target(user string) string { return user + "@" + s.addr() }

// knownHostsLine is the line OpenSSH would record for the first host key.
func (s *fakeServer) knownHostsLine() string {
	return xknownhosts.Line([]string{s.addr()}, s.keys[0].PublicKey())
}

func (s *fakeServer) stats() (authReqs, conns int, logins []string, sig []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authReqs, s.conns, append([]string(nil), s.logins...), append([]string(nil), s.sigAlgos...)
}

func (s *fakeServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns++
		s.raw = append(s.raw, c)
		s.mu.Unlock()
		go s.handle(c)
	}
}

func (s *fakeServer) handle(raw net.Conn) {
	sc, chans, reqs, err := ssh.NewServerConn(raw, s.cfg)
	if err != nil {
		raw.Close()
		return
	}
	s.mu.Lock()
	s.logins = append(s.logins, sc.User())
	s.algs = append(s.algs, sc.Conn.(ssh.AlgorithmsConnMetadata).Algorithms())
	s.mu.Unlock()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		switch nc.ChannelType() {
		case "session":
			ch, creqs, err := nc.Accept()
			if err != nil {
				continue
			}
			go s.session(sc, raw, ch, creqs)
		case "direct-tcpip":
			s.directTCPIP(nc)
		default:
			nc.Reject(ssh.UnknownChannelType, "no")
		}
	}
}

func (s *fakeServer) directTCPIP(nc ssh.NewChannel) {
	var p struct {
		Host     string
		Port     uint32
		OrigHost string
		OrigPort uint32
	}
	if err := ssh.Unmarshal(nc.ExtraData(), &p); err != nil {
		nc.Reject(ssh.ConnectionFailed, "bad request")
		return
	}
	if !s.forward {
		nc.Reject(ssh.Prohibited, "administratively prohibited: open failed")
		return
	}
	target := net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port)))
	s.mu.Lock()
	s.forwards = append(s.forwards, target)
	s.mu.Unlock()
	c, err := net.Dial("tcp", target)
	if err != nil {
		nc.Reject(ssh.ConnectionFailed, "Connection refused")
		return
	}
	ch, reqs, err := nc.Accept()
	if err != nil {
		c.Close()
		return
	}
	go ssh.DiscardRequests(reqs)
	go func() { io.Copy(ch, c); ch.CloseWrite(); ch.Close() }()
	go func() { io.Copy(c, ch); c.(*net.TCPConn).CloseWrite() }()
}

// fakeExec is one exec request, for a handler to answer.
type fakeExec struct {
	cmd   string
	user  string
	pty   bool
	modes map[uint8]uint32
	ch    ssh.Channel
	raw   net.Conn // the TCP connection, to simulate a dropped session
}

func (e *fakeExec) exit(code int) {
	e.ch.SendRequest("exit-status", false, ssh.Marshal(struct{ C uint32 }{uint32(code)}))
	e.ch.Close()
}

func (s *fakeServer) session(sc *ssh.ServerConn, raw net.Conn, ch ssh.Channel, reqs <-chan *ssh.Request) {
	e := &fakeExec{ch: ch, raw: raw, user: sc.User()}
	for req := range reqs {
		switch req.Type {
		case "pty-req":
			var p struct {
				Term   string
				W, H   uint32
				PW, PH uint32
				Modes  string
			}
			if err := ssh.Unmarshal(req.Payload, &p); err != nil {
				req.Reply(false, nil)
				continue
			}
			e.pty = true
			e.modes = parseModes([]byte(p.Modes))
			req.Reply(true, nil)
		case "exec":
			var p struct{ Cmd string }
			if err := ssh.Unmarshal(req.Payload, &p); err != nil || s.handler == nil {
				req.Reply(false, nil)
				continue
			}
			e.cmd = p.Cmd
			req.Reply(true, nil)
			go s.handler(e)
		default:
			if req.WantReply {
				req.Reply(false, nil)
			}
		}
	}
}

func parseModes(b []byte) map[uint8]uint32 {
	m := map[uint8]uint32{}
	for len(b) > 0 && b[0] != 0 {
		if len(b) < 5 {
			break
		}
		m[b[0]] = binary.BigEndian.Uint32(b[1:5])
		b = b[5:]
	}
	return m
}

// shellHandler plays `/bin/sh -s`: it reads the script to the end of input, keeps it,
// and answers with the canned evidence.
type shellHandler struct {
	evidence []byte
	mu       sync.Mutex
	scripts  [][]byte
	cmds     []string
}

func (h *shellHandler) handle(e *fakeExec) {
	h.mu.Lock()
	h.cmds = append(h.cmds, e.cmd)
	h.mu.Unlock()
	if e.cmd != "/bin/sh -s" {
		fmt.Fprintf(e.ch.Stderr(), "fake: unexpected command %q\n", e.cmd)
		e.exit(127)
		return
	}
	script, _ := io.ReadAll(e.ch)
	h.mu.Lock()
	h.scripts = append(h.scripts, script)
	h.mu.Unlock()
	e.ch.Write(h.evidence)
	e.exit(0)
}

func (h *shellHandler) lastScript() []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.scripts) == 0 {
		return nil
	}
	return h.scripts[len(h.scripts)-1]
}

// sudoHandler plays sudo in front of /bin/sh the way trowel invokes it, including
// requiretty and a terminal that echoes and turns \n into \r\n unless told otherwise.
type sudoHandler struct {
	password   string // "" = NOPASSWD
	requiretty bool
	notAllowed bool
	brokenTTY  bool // echoes and maps \n to \r\n whatever trowel asks
	evidence   []byte
	// second is what the shell writes on its standard error when it is given the
	// argument halves (a probe run in two halves).
	second []byte

	mu       sync.Mutex
	attempts []string // passwords received
	scripts  [][]byte
	ptys     []bool
	cmds     []string
	nonSudo  int
	echoed   bool
	crlf     bool
}

var (
	pipeCmdRE = regexp.MustCompile(`^/bin/sh -c 'exec env LC_MESSAGES=C sudo -S -p (\S+) /bin/sh -c "echo (trowel-ready-[0-9a-f]+); TROWEL_SSH_CONNECTION=\\\$1; export TROWEL_SSH_CONNECTION; exec /bin/sh -s( halves)?" trowel "\$SSH_CONNECTION"'$`)
	ttyCmdRE  = regexp.MustCompile(`^/bin/sh -c 'stty raw -echo 2>/dev/null; exec env LC_MESSAGES=C sudo -S -p (\S+) /bin/sh -c "stty raw -echo 2>/dev/null; echo (trowel-ready-[0-9a-f]+); TROWEL_SSH_CONNECTION=\\\$1; export TROWEL_SSH_CONNECTION; head -c (\d+) \| /bin/sh -s" trowel "\$SSH_CONNECTION"'$`)
)

// ttyIO is the fake's terminal: with echo on, input comes back as output; with onlcr,
// output newlines become \r\n.
type ttyIO struct {
	ch         ssh.Channel
	echo, crlf bool
}

func (t *ttyIO) Write(p []byte) (int, error) {
	if t.crlf {
		_, err := t.ch.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n")))
		return len(p), err
	}
	return t.ch.Write(p)
}

func (t *ttyIO) readByte() (byte, error) {
	var b [1]byte
	if _, err := io.ReadFull(t.ch, b[:]); err != nil {
		return 0, err
	}
	if t.echo {
		t.Write(b[:])
	}
	return b[0], nil
}

func (h *sudoHandler) handle(e *fakeExec) {
	h.mu.Lock()
	h.cmds = append(h.cmds, e.cmd)
	h.ptys = append(h.ptys, e.pty)
	h.mu.Unlock()
	var prompt, ready string
	n := -1
	if m := pipeCmdRE.FindStringSubmatch(e.cmd); m != nil && !e.pty {
		prompt, ready = m[1], m[2]
	} else if m := ttyCmdRE.FindStringSubmatch(e.cmd); m != nil && e.pty {
		prompt, ready = m[1], m[2]
		n, _ = strconv.Atoi(m[3])
	} else if e.cmd == "/bin/sh -s" || e.cmd == "/bin/sh -s halves" {
		h.mu.Lock()
		h.nonSudo++
		h.mu.Unlock()
		script, _ := io.ReadAll(e.ch)
		h.mu.Lock()
		h.scripts = append(h.scripts, script)
		h.mu.Unlock()
		if e.cmd == "/bin/sh -s halves" {
			e.ch.Stderr().Write(h.second)
		}
		e.ch.Write(h.evidence)
		e.exit(0)
		return
	} else {
		fmt.Fprintf(e.ch.Stderr(), "fake sudo: unexpected command %q (pty %v)\n", e.cmd, e.pty)
		e.exit(127)
		return
	}
	if h.requiretty && !e.pty {
		io.WriteString(e.ch.Stderr(), "sudo: sorry, you must have a tty to run sudo\n")
		e.exit(1)
		return
	}
	t := &ttyIO{ch: e.ch}
	var out, errw io.Writer = e.ch, e.ch.Stderr()
	if e.pty {
		// A terminal echoes and maps \n to \r\n unless the pty request or stty said no.
		onByDefault := func(op uint8) bool { v, ok := e.modes[op]; return !ok || v != 0 }
		stty := strings.Contains(e.cmd, "stty raw -echo")
		t.echo = onByDefault(ssh.ECHO) && !stty
		t.crlf = onByDefault(ssh.OPOST) && onByDefault(ssh.ONLCR) && !stty
		if h.brokenTTY {
			t.echo, t.crlf = true, true
		}
		h.mu.Lock()
		h.echoed, h.crlf = t.echo, t.crlf
		h.mu.Unlock()
		out, errw = t, t
	}
	readLine := func() (string, error) {
		var line []byte
		for {
			var b byte
			var err error
			if e.pty {
				b, err = t.readByte()
			} else {
				var buf [1]byte
				_, err = io.ReadFull(e.ch, buf[:])
				b = buf[0]
			}
			if err != nil {
				return string(line), err
			}
			if b == '\n' {
				return string(line), nil
			}
			line = append(line, b)
		}
	}
	if h.password != "" {
		ok := false
		for try := 0; try < 3 && !ok; try++ {
			io.WriteString(errw, prompt)
			got, err := readLine()
			if err != nil {
				e.exit(1)
				return
			}
			h.mu.Lock()
			h.attempts = append(h.attempts, got)
			h.mu.Unlock()
			if e.pty {
				io.WriteString(errw, "\n")
			}
			if got == h.password {
				ok = true
				break
			}
			io.WriteString(errw, "Sorry, try again.\n")
		}
		if !ok {
			io.WriteString(errw, "sudo: 3 incorrect password attempts\n")
			e.exit(1)
			return
		}
	}
	if h.notAllowed {
		fmt.Fprintf(errw, "Sorry, user %s is not allowed to execute '/bin/sh -c echo %s; exec /bin/sh -s' as root on fake.\n", e.user, ready)
		e.exit(1)
		return
	}
	io.WriteString(out, ready+"\n")
	var script []byte
	if n >= 0 {
		script = make([]byte, n)
		for i := range script {
			b, err := t.readByte()
			if err != nil {
				e.exit(1)
				return
			}
			script[i] = b
		}
	} else {
		script, _ = io.ReadAll(e.ch)
	}
	h.mu.Lock()
	h.scripts = append(h.scripts, script)
	h.mu.Unlock()
	if strings.HasSuffix(strings.TrimSuffix(e.cmd, `" trowel "$SSH_CONNECTION"'`), " halves") {
		errw.Write(h.second)
	}
	out.Write(h.evidence)
	e.exit(0)
}

// env isolates a test from the real user's ssh setup: HOME is a temporary directory,
// no agent, and known_hosts lives in that directory.
type env struct {
	t     *testing.T
	home  string
	kh    string
	notes []string
	mu    sync.Mutex
}

func newEnv(t *testing.T) *env {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	return &env{t: t, home: home, kh: filepath.Join(home, ".ssh", "known_hosts")}
}

func (e *env) trust(s *fakeServer) {
	e.t.Helper()
	e.appendKnown(s.knownHostsLine())
}

func (e *env) appendKnown(line string) {
	e.t.Helper()
	if err := os.MkdirAll(filepath.Dir(e.kh), 0o700); err != nil {
		e.t.Fatal(err)
	}
	f, err := os.OpenFile(e.kh, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		e.t.Fatal(err)
	}
	fmt.Fprintln(f, line)
	f.Close()
}

// keyFile writes a private key in OpenSSH format and returns its path.
func (e *env) keyFile(name string, key any, passphrase string) string {
	e.t.Helper()
	var blk *pem.Block
	var err error
	if passphrase != "" {
		blk, err = ssh.MarshalPrivateKeyWithPassphrase(key, "test", []byte(passphrase))
	} else {
		blk, err = ssh.MarshalPrivateKey(key, "test")
	}
	if err != nil {
		e.t.Fatal(err)
	}
	p := filepath.Join(e.home, ".ssh", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, pem.EncodeToMemory(blk), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) opts(target string) Options {
	return Options{
		Target:         target,
		ConfigFile:     "none",
		KnownHostsFile: e.kh,
		ConnectTimeout: 5 * time.Second,
		Timeout:        30 * time.Second,
		Logf: func(f string, a ...any) {
			e.mu.Lock()
			e.notes = append(e.notes, fmt.Sprintf(f, a...))
			e.mu.Unlock()
		},
	}
}

// startAgent serves an in-process ssh-agent holding keys on a unix socket and points
// SSH_AUTH_SOCK at it.
func (e *env) startAgent(keys ...any) agent.Agent {
	e.t.Helper()
	kr := agent.NewKeyring()
	for _, k := range keys {
		if err := kr.Add(agent.AddedKey{PrivateKey: k, Comment: "agent-test"}); err != nil {
			e.t.Fatal(err)
		}
	}
	sock := filepath.Join(e.t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { agent.ServeAgent(kr, c); c.Close() }()
		}
	}()
	e.t.Setenv("SSH_AUTH_SOCK", sock)
	return kr
}

func asUserError(t *testing.T, err error) *UserError {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got none")
	}
	var ue *UserError
	if !errors.As(err, &ue) {
		t.Fatalf("expected a *UserError, got %T: %v", err, err)
	}
	return ue
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

func readKey(path string) (ssh.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ssh.ParsePrivateKey(data)
	if err != nil {
		return nil, err
	}
	return s.PublicKey(), nil
}
