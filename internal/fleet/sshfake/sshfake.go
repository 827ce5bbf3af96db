// Package sshfake runs SSH servers in-process, on loopback addresses, that answer
// trowel's probe with recorded evidence, for tests of surveying many hosts at once
// (and the scale harness, which starts a thousand of them). Each server is built
// with golang.org/x/crypto/ssh and does what one host of an estate may do: answer
// the probe (after a delay, if asked), hang before saying anything, hang after
// logging in, refuse every key, or drop the connection half-way through the
// evidence.
//
// Linux routes all of 127.0.0.0/8 to the loopback interface, so each host can have
// an address of its own (127.0.0.2, 127.0.0.3 ...) without any setup.
package sshfake

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Behaviour is what a host does when trowel connects.
type Behaviour int

const (
	// Answer logs in the estate's key, reads the probe from standard input and
	// prints the evidence (after Delay), then exits 0.
	Answer Behaviour = iota
	// Silent accepts the TCP connection and never says anything: not even the
	// SSH banner (a host whose sshd is stopped, or a tarpit).
	Silent
	// Stall logs in and takes the probe, then prints nothing and never exits
	// (a probe stuck on a dead NFS mount).
	Stall
	// RefuseKey refuses every key offered.
	RefuseKey
	// Drop prints the first half of the evidence, then closes the connection
	// without an exit status (a network cut, a reboot).
	Drop
)

func (b Behaviour) String() string {
	return [...]string{"answer", "silent", "stall", "refuse-key", "drop"}[b]
}

// Config describes one host.
type Config struct {
	Behaviour Behaviour
	// Evidence is what the probe prints (see ProbeOutput).
	Evidence []byte
	// Delay is how long the probe "runs" before printing, for the scale harness.
	Delay time.Duration
	// IP is the loopback address to listen on; "" is 127.0.0.1.
	IP string
}

// Server is one running host.
type Server struct {
	Config
	Addr    string // host:port it listens on
	HostKey ssh.PublicKey

	ln     net.Listener
	cfg    *ssh.ServerConfig
	closed chan struct{}
	wg     sync.WaitGroup

	mu     sync.Mutex
	conns  []net.Conn
	logins int
	execs  []string
}

// Start starts a host that lets in the given client keys.
func Start(c Config, authorized ...ssh.PublicKey) (*Server, error) {
	_, signer, err := newKey()
	if err != nil {
		return nil, err
	}
	ip := c.IP
	if ip == "" {
		ip = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return nil, err
	}
	s := &Server{Config: c, Addr: ln.Addr().String(), HostKey: signer.PublicKey(), ln: ln, closed: make(chan struct{})}
	s.cfg = &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if c.Behaviour == RefuseKey {
				return nil, errors.New("key refused")
			}
			for _, k := range authorized {
				if bytes.Equal(k.Marshal(), key.Marshal()) {
					return nil, nil
				}
			}
			return nil, errors.New("unknown key")
		},
	}
	s.cfg.AddHostKey(signer)
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Host and Port are where the server listens.
func (s *Server) Host() string { h, _, _ := net.SplitHostPort(s.Addr); return h }

// Port is the port the server listens on.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.Addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Logins counts the sessions that logged in; Execs are the commands run.
func (s *Server) Logins() int { s.mu.Lock(); defer s.mu.Unlock(); return s.logins }

// Execs lists the commands the clients asked to run.
func (s *Server) Execs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.execs...)
}

// Close stops the server and every connection it holds, the stalled ones too.
func (s *Server) Close() {
	select {
	case <-s.closed:
		return
	default:
	}
	close(s.closed)
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

func (s *Server) serve(c net.Conn) {
	if s.Behaviour == Silent {
		<-s.closed
		return
	}
	sc, chans, reqs, err := ssh.NewServerConn(c, s.cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	s.mu.Lock()
	s.logins++
	s.mu.Unlock()
	go ssh.DiscardRequests(reqs) // keepalives get a "no", as OpenSSH answers unknown requests
	for nc := range chans {
		if nc.ChannelType() != "session" {
			// No forwarding: the services are not asked (AllowTcpForwarding no).
			nc.Reject(ssh.Prohibited, "forwarding is disabled on this host")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.session(c, ch, creqs)
		}()
	}
}

// session runs one exec: it takes the probe from standard input as sh -s would,
// then does what the host's behaviour says.
func (s *Server) session(conn net.Conn, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	for req := range reqs {
		switch req.Type {
		case "exec":
			var payload struct{ Command string }
			ssh.Unmarshal(req.Payload, &payload)
			s.mu.Lock()
			s.execs = append(s.execs, payload.Command)
			s.mu.Unlock()
			req.Reply(true, nil)
			go ssh.DiscardRequests(reqs)
			s.run(conn, ch)
			return
		default: // env, pty-req: refused, as a locked-down sshd does
			if req.WantReply {
				req.Reply(false, nil)
			}
		}
	}
}

func (s *Server) run(conn net.Conn, ch ssh.Channel) {
	// sh -s reads the script to its end before the last of it runs.
	if _, err := io.Copy(io.Discard, ch); err != nil {
		return
	}
	if s.wait(s.Delay) {
		return
	}
	switch s.Behaviour {
	case Stall:
		<-s.closed
		return
	case Drop:
		ch.Write(s.Evidence[:len(s.Evidence)/2])
		// Give the half time to leave before the connection is cut, as a
		// network does.
		if s.wait(50 * time.Millisecond) {
			return
		}
		conn.Close()
		return
	}
	if _, err := ch.Write(s.Evidence); err != nil {
		return
	}
	ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
}

// newKey makes an Ed25519 key, for a host or the estate's client.
func newKey() (ed25519.PrivateKey, ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	return priv, signer, err
}

// wait waits d, and says whether the server closed meanwhile.
func (s *Server) wait(d time.Duration) bool {
	if d <= 0 {
		return false
	}
	select {
	case <-s.closed:
		return true
	case <-time.After(d):
		return false
	}
}

// Estate is a set of hosts sharing one client key, with a known_hosts file that
// knows them all (unless a host is started Unknown) and the key's file, as trowel
// is given them.
type Estate struct {
	Dir        string
	KeyFile    string // the client's private key (OpenSSH format), for --identity
	KnownHosts string // for --known-hosts
	Hosts      []*Server

	key ssh.Signer
}

// NewEstate makes the client key and an empty known_hosts in dir.
func NewEstate(dir string) (*Estate, error) {
	priv, signer, err := newKey()
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "sshfake")
	if err != nil {
		return nil, err
	}
	e := &Estate{Dir: dir, KeyFile: filepath.Join(dir, "id_ed25519"), KnownHosts: filepath.Join(dir, "known_hosts"), key: signer}
	if err := os.WriteFile(e.KeyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(e.KnownHosts, nil, 0o600); err != nil {
		return nil, err
	}
	return e, nil
}

// Add starts a host that lets the estate's key in, and records its key in
// known_hosts unless unknown is set (a host trowel has never seen).
func (e *Estate) Add(c Config, unknown bool) (*Server, error) {
	s, err := Start(c, e.key.PublicKey())
	if err != nil {
		return nil, err
	}
	e.Hosts = append(e.Hosts, s)
	if unknown {
		return s, nil
	}
	f, err := os.OpenFile(e.KnownHosts, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_, err = fmt.Fprintln(f, knownhosts.Line([]string{knownhosts.Normalize(s.Addr)}, s.HostKey))
	return s, err
}

// Close stops every host.
func (e *Estate) Close() {
	var wg sync.WaitGroup
	for _, s := range e.Hosts {
		wg.Add(1)
		go func() { defer wg.Done(); s.Close() }()
	}
	wg.Wait()
}
