package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

func itoa(i int) string { return strconv.Itoa(i) }

func dial(t *testing.T, o Options) *Client {
	t.Helper()
	c, err := Dial(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestDroppedSession(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	s.handler = func(x *fakeExec) {
		io.ReadAll(x.ch)
		x.ch.Write(bytes.Repeat([]byte("x"), 1000))
		time.Sleep(100 * time.Millisecond)
		x.raw.Close() // the network goes away mid-stream
	}
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	c := dial(t, o)
	var out bytes.Buffer
	res, err := c.RunScript(context.Background(), []byte("exit 0\n"), &out)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "closed after 1000 bytes", "kept")
	if res.BytesRead != 1000 || out.Len() != 1000 {
		t.Errorf("BytesRead %d, written %d; want 1000", res.BytesRead, out.Len())
	}
}

func TestExitStatusAndStderr(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	s.handler = func(x *fakeExec) {
		io.ReadAll(x.ch)
		// A lot of noise, then the line that explains.
		x.ch.Stderr().Write(bytes.Repeat([]byte("noise\n"), 50000))
		io.WriteString(x.ch.Stderr(), "This account is currently not available.\n")
		x.exit(1)
	}
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	_, _, err := dialRun(t, o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "exited with status 1 after 0 bytes", "This account is currently not available.")
	if len(ue.Detail) > stderrKeep+200 {
		t.Errorf("detail is %d bytes; remote stderr must be bounded", len(ue.Detail))
	}
}

// signalWriter closes first when the first byte arrives.
type signalWriter struct {
	bytes.Buffer
	once  sync.Once
	first chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.first) })
	return w.Buffer.Write(p)
}

func TestStreamsAsItArrives(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	release := make(chan struct{})
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	s.handler = func(x *fakeExec) {
		io.ReadAll(x.ch)
		x.ch.Write([]byte("first part\n"))
		<-release // the rest only once the client has shown it got the start
		x.ch.Write(big)
		x.exit(0)
	}
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	c := dial(t, o)
	w := &signalWriter{first: make(chan struct{})}
	go func() {
		select {
		case <-w.first:
		case <-time.After(10 * time.Second):
		}
		close(release)
	}()
	res, err := c.RunScript(context.Background(), []byte("exit 0\n"), w)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len("first part\n") + len(big)); res.BytesRead != want || int64(w.Len()) != want {
		t.Errorf("BytesRead %d, written %d, want %d", res.BytesRead, w.Len(), want)
	}
}

func TestRunTimeoutAndCancel(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	s.handler = func(x *fakeExec) {
		x.ch.Write([]byte("partial"))
		io.ReadAll(x.ch) // never exits on its own
	}
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	c := dial(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	var out bytes.Buffer
	res, err := c.RunScript(ctx, []byte("sleep 999\n"), &out)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("RunScript took %s after the deadline", d)
	}
	if res.BytesRead != 7 || out.String() != "partial" {
		t.Errorf("kept %d bytes %q", res.BytesRead, out.String())
	}
	mustContain(t, "error", err.Error(), "7 bytes")
}

func TestOverallTimeout(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	s.handler = func(x *fakeExec) { io.ReadAll(x.ch) }
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	o.Timeout = 700 * time.Millisecond
	c := dial(t, o)
	_, err := c.RunScript(context.Background(), []byte("sleep 999\n"), io.Discard)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "time limit (700ms)")
}

// sudoSetup is a fake server whose exec handler plays sudo.
func sudoSetup(t *testing.T, h *sudoHandler) (Options, *fakeServer) {
	t.Helper()
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	h.evidence = cannedEvidence
	s.handler = h.handle
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	o.Sudo = true
	return o, s
}

type pwSource struct {
	pw    string
	calls int
}

func (p *pwSource) get() ([]byte, error) {
	p.calls++
	return []byte(p.pw), nil
}

const script = "echo hello\nexit 0\n"

func runSudo(t *testing.T, o Options) (Result, []byte, error) {
	t.Helper()
	c, err := Dial(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out bytes.Buffer
	res, err := c.RunScript(context.Background(), []byte(script), &out)
	return res, out.Bytes(), err
}

func TestSudo(t *testing.T) {
	for _, tc := range []struct {
		name       string
		password   string
		requiretty bool
		wantPTY    bool
	}{
		{"nopasswd", "", false, false},
		{"password", "s3cret pw", false, false},
		{"requiretty nopasswd", "", true, true},
		{"requiretty password", "s3cret pw", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &sudoHandler{password: tc.password, requiretty: tc.requiretty}
			o, _ := sudoSetup(t, h)
			pw := &pwSource{pw: "s3cret pw"}
			o.SudoPassword = pw.get
			res, out, err := runSudo(t, o)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Sudo {
				t.Error("Result.Sudo is false")
			}
			// Nothing of sudo, the ready line, the password or a terminal's CR/LF
			// reaches the cannedEvidence.
			if !bytes.Equal(out, cannedEvidence) {
				t.Errorf("stdout = %q, want exactly the cannedEvidence", out)
			}
			if bytes.Contains(out, []byte("s3cret")) || bytes.Contains(out, []byte("\r")) {
				t.Errorf("password or CR in the output: %q", out)
			}
			wantCalls := 0
			if tc.password != "" {
				wantCalls = 1
			}
			if pw.calls != wantCalls {
				t.Errorf("SudoPassword called %d times, want %d", pw.calls, wantCalls)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			if len(h.scripts) != 1 || string(h.scripts[0]) != script {
				t.Errorf("the shell got %q, want exactly the script", h.scripts)
			}
			if got := h.ptys[len(h.ptys)-1]; got != tc.wantPTY {
				t.Errorf("last exec with pty %v, want %v", got, tc.wantPTY)
			}
			if h.echoed || h.crlf {
				t.Errorf("the terminal was left echoing (%v) or translating newlines (%v)", h.echoed, h.crlf)
			}
			if tc.requiretty {
				mustContain(t, "notes", strings.Join(res.Notes, "\n"), "requiretty")
			}
		})
	}
}

func TestSudoWrongPassword(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(fmt.Sprint("requiretty=", tty), func(t *testing.T) {
			h := &sudoHandler{password: "right", requiretty: tty}
			o, _ := sudoSetup(t, h)
			pw := &pwSource{pw: "wrong"}
			o.SudoPassword = pw.get
			done := make(chan struct{})
			var err error
			var out []byte
			go func() { _, out, err = runSudo(t, o); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("RunScript hangs on a wrong sudo password")
			}
			ue := asUserError(t, err)
			mustContain(t, "error", ue.Error(), "rejected the password for deploy", "nothing ran as root")
			if strings.Contains(ue.Error(), "wrong") || bytes.Contains(out, []byte("wrong")) {
				t.Errorf("the password leaked: %q / %q", ue.Error(), out)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			if pw.calls != 1 || len(h.attempts) != 1 {
				t.Errorf("password asked %d times, sent %d times; want once each", pw.calls, len(h.attempts))
			}
			if len(h.scripts) != 0 {
				t.Error("the script ran despite the wrong password")
			}
		})
	}
}

func TestSudoNeedsPasswordButNoneAvailable(t *testing.T) {
	h := &sudoHandler{password: "right"}
	o, _ := sudoSetup(t, h)
	_, _, err := runSudo(t, o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "asks deploy for a password", "NOPASSWD")
}

func TestSudoNotAllowed(t *testing.T) {
	h := &sudoHandler{notAllowed: true}
	o, _ := sudoSetup(t, h)
	res, _, err := runSudo(t, o)
	if res.Sudo {
		t.Error("Result.Sudo is true although sudo refused")
	}
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "does not let deploy run /bin/sh as root", "sudoers")
}

func TestSudoAsRootSkipsSudo(t *testing.T) {
	h := &sudoHandler{}
	o, s := sudoSetup(t, h)
	kf := o.IdentityFiles[0]
	key, _ := readKey(kf)
	s.authorize("root", key)
	o.Target = s.target("root")
	res, out, err := runSudo(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sudo || h.nonSudo != 1 || !bytes.Equal(out, cannedEvidence) {
		t.Errorf("sudo %v, plain runs %d, out %q", res.Sudo, h.nonSudo, out)
	}
}

func TestSudoAsksSomethingElse(t *testing.T) {
	old := sudoStartTimeout
	sudoStartTimeout = 300 * time.Millisecond
	defer func() { sudoStartTimeout = old }()
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	s.handler = func(x *fakeExec) {
		io.WriteString(x.ch.Stderr(), "Verification code: ")
		io.ReadAll(x.ch)
	}
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	o.Sudo = true
	o.SudoPassword = func() ([]byte, error) { t.Error("asked for a password"); return nil, nil }
	start := time.Now()
	_, _, err := runSudo(t, o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "neither asked for the password", "Verification code:")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestSudoTerminalThatTranslates(t *testing.T) {
	h := &sudoHandler{password: "pa55word", requiretty: true, brokenTTY: true}
	o, _ := sudoSetup(t, h)
	o.SudoPassword = (&pwSource{pw: "pa55word"}).get
	start := time.Now()
	res, out, err := runSudo(t, o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "translates line ends", "nothing was collected")
	if strings.Contains(ue.Error(), "pa55word") {
		t.Errorf("the echoed password reached the message: %s", ue.Error())
	}
	if len(out) != 0 || res.BytesRead != 0 || res.Sudo {
		t.Errorf("altered evidence was passed on: %q %+v", out, res)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

// freezer forwards TCP to a server until frozen, then silently stops, like a NAT
// table that forgot the connection.
type freezer struct {
	ln     net.Listener
	frozen chan struct{}
	once   sync.Once
}

func newFreezer(t *testing.T, to string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, frozen: make(chan struct{})}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); close(done) })
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 4096)
		for {
			n, err := src.Read(buf)
			select {
			case <-f.frozen:
				<-done // hold everything, answer nothing
				return
			default:
			}
			if n > 0 {
				dst.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			t.Cleanup(func() { c.Close(); s.Close() })
			go pipe(s, c)
			go pipe(c, s)
		}
	}()
	return f
}

func (f *freezer) freeze() { f.once.Do(func() { close(f.frozen) }) }

func TestKeepaliveNoticesDeadLink(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	fz := newFreezer(t, s.addr())
	s.handler = func(x *fakeExec) {
		io.ReadAll(x.ch)
		x.ch.Write([]byte("before"))
		time.Sleep(200 * time.Millisecond)
		fz.freeze()
		x.ch.Write([]byte("lost in the void"))
		time.Sleep(time.Minute)
	}
	port := fz.ln.Addr().(*net.TCPAddr).Port
	e.appendKnown(xknownhosts.Line([]string{"127.0.0.1:" + itoa(port)}, s.keys[0].PublicKey()))
	cfg := filepath.Join(e.home, "config")
	os.WriteFile(cfg, []byte("Host *\n  ServerAliveInterval 1\n  ServerAliveCountMax 1\n"), 0o600)
	o := e.opts("deploy@127.0.0.1:" + itoa(port))
	o.IdentityFiles = []string{kf}
	o.ConfigFile = cfg
	c := dial(t, o)
	start := time.Now()
	var out bytes.Buffer
	res, err := c.RunScript(context.Background(), []byte("exit 0\n"), &out)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "closed after 6 bytes", "stopped answering")
	if res.BytesRead != 6 || out.String() != "before" {
		t.Errorf("kept %d bytes %q", res.BytesRead, out.String())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("noticing the dead link took %s", d)
	}
}

// secondStream plays the evidence merge for Split: it keeps the second stream and
// passes on to stray the lines that are no record (its records here: the lines that
// start with TROWEL-EVIDENCE/, "record" or "second").
type secondStream struct {
	mu    sync.Mutex
	got   bytes.Buffer
	stray io.Writer
}

func (s *secondStream) open(stray io.Writer) io.Writer { s.stray = stray; return s }

func (s *secondStream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got.Write(p)
	for _, l := range bytes.SplitAfter(p, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte("TROWEL-EVIDENCE/")) && !bytes.HasPrefix(l, []byte("record")) && !bytes.HasPrefix(l, []byte("second")) {
			s.stray.Write(l)
		}
	}
	return len(p), nil
}

// With a split, the shell gets the argument and its standard error goes to the
// second stream, sudo's prompt included (it is still answered); a sudo that needs a
// terminal, where the two outputs are one, runs the script without the argument and
// nothing of the script reaches the second stream.
func TestSplitStreams(t *testing.T) {
	second := []byte("TROWEL-EVIDENCE/1 tw0123456789abcdef0123456789abcdef\nsecond half\n")
	for _, tc := range []struct {
		name       string
		sudo       bool
		password   string
		requiretty bool
	}{
		{"no sudo", false, "", false},
		{"nopasswd", true, "", false},
		{"password", true, "s3cret pw", false},
		{"requiretty", true, "s3cret pw", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &sudoHandler{password: tc.password, requiretty: tc.requiretty, second: second}
			o, _ := sudoSetup(t, h)
			o.Sudo = tc.sudo
			o.SudoPassword = (&pwSource{pw: "s3cret pw"}).get
			if !tc.sudo {
				h.evidence = nil
			}
			c := dial(t, o)
			var out bytes.Buffer
			ss := &secondStream{}
			_, err := c.RunScriptSplit(context.Background(), []byte(script), &out, Split{Arg: "halves", Stream: ss.open})
			if err != nil {
				t.Fatal(err)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			last := h.cmds[len(h.cmds)-1]
			if !tc.sudo {
				if last != "/bin/sh -s halves" || h.nonSudo != 1 {
					t.Errorf("command %q, want /bin/sh -s halves", last)
				}
				return
			}
			if !bytes.Equal(out.Bytes(), cannedEvidence) {
				t.Errorf("stdout = %q, want exactly the evidence", out.Bytes())
			}
			if tc.requiretty {
				// The first try's refusal went to the second stream (as stray).
				if strings.Contains(last, "halves") || strings.Contains(ss.got.String(), "second half") {
					t.Errorf("in a terminal: command %q, second stream %q", last, ss.got.Bytes())
				}
				return
			}
			if !strings.Contains(last, "exec /bin/sh -s halves\"") {
				t.Errorf("command %q lacks the argument", last)
			}
			want := string(second)
			if tc.password != "" {
				want = "TROWEL-SUDO-PROMPT:" + want
			}
			if ss.got.String() != want {
				t.Errorf("second stream %q, want %q", ss.got.String(), want)
			}
		})
	}
}

// What the second stream passes on as stray explains a failure, as the standard
// error does without a split.
func TestSplitStrayExplainsFailure(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.trust(s)
	s.handler = func(x *fakeExec) {
		io.ReadAll(x.ch)
		io.WriteString(x.ch.Stderr(), "record\nstray: sh: cannot fork\nrecord\n")
		x.exit(2)
	}
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	c := dial(t, o)
	var out bytes.Buffer
	ss := &secondStream{}
	_, err := c.RunScriptSplit(context.Background(), []byte(script), &out, Split{Arg: "halves", Stream: ss.open})
	ue := asUserError(t, err)
	mustContain(t, "detail", ue.Detail, "stray: sh: cannot fork")
	if strings.Contains(ue.Detail, "record") {
		t.Errorf("detail holds the second stream's records: %q", ue.Detail)
	}
}
