package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

const (
	// promptMarker is the password prompt trowel gives sudo (-p): seeing it is the
	// only sure sign that sudo waits for a password, in any locale and any sudo
	// version. Sending a password when sudo does not ask would hand it to the shell
	// as a command.
	promptMarker = "TROWEL-SUDO-PROMPT:"
	stderrKeep   = 8 << 10
	// preGateKeep bounds what is kept of the output before the shell started (a
	// .bashrc that prints, sudo's lecture): only its end explains a failure.
	preGateKeep = 16 << 10
	// closeGrace is how long a closed session may take to wind down before the whole
	// connection is closed under it (a dead network never answers the close).
	closeGrace = 2 * time.Second
)

// ttyModes make the pseudo-terminal a transparent pipe from the first byte: no echo
// (the password and the script must not come back into the evidence), no CR/LF
// translation, no signal or flow-control characters. sshd applies them before the
// command starts; `stty raw -echo` in the command repeats them for a sudo that puts
// the shell on a terminal of its own (use_pty).
var ttyModes = ssh.TerminalModes{
	ssh.ECHO: 0, ssh.ECHOE: 0, ssh.ECHOK: 0, ssh.ECHONL: 0,
	ssh.ICANON: 0, ssh.ISIG: 0, ssh.IEXTEN: 0,
	ssh.OPOST: 0, ssh.ONLCR: 0, ssh.OCRNL: 0,
	ssh.ICRNL: 0, ssh.INLCR: 0, ssh.IGNCR: 0, ssh.ISTRIP: 0,
	ssh.IXON: 0, ssh.IXOFF: 0,
	ssh.CS8:           1,
	ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400,
}

// RunScript runs script with /bin/sh on the target (as root through sudo when
// Options.Sudo is set), streaming the shell's standard output into stdout as it
// arrives. On any error the Result still counts the bytes already written: a session
// that dropped half-way leaves whatever evidence arrived with the caller.
//
// With sudo, one exec does everything: sudo -S with a prompt of trowel's own, so
// the password is sent only when sudo visibly asks for it (and a second prompt means
// it was wrong), then a ready line printed by the root shell, after which the script
// is sent and the output passed on. Only a sudo that demands a terminal
// (requiretty, the RHEL 5-7 default) costs a second exec, in a pseudo-terminal made
// transparent (see ttyModes).
func (c *Client) RunScript(ctx context.Context, script []byte, stdout io.Writer) (Result, error) {
	return c.RunScriptSplit(ctx, script, stdout, Split{})
}

// Split asks a script that can write a second output stream on its standard error
// to do so. The shell is given Arg as its first argument, and the standard error,
// from its first byte, goes to the writer Stream returns, which passes on what in it
// is no output of the script's (sudo's prompt, a shell's message) to the writer it is
// given: what explains a failure, as the standard error does without a split. Only
// where the two are apart: a sudo that needs a terminal makes them one, and the
// script then runs without Arg.
type Split struct {
	Arg    string
	Stream func(stray io.Writer) io.Writer
}

func (sp Split) on() bool { return sp.Arg != "" && sp.Stream != nil }

// RunScriptSplit is RunScript with the script's standard error read as a second
// stream when split asks for it (see Split).
func (c *Client) RunScriptSplit(ctx context.Context, script []byte, stdout io.Writer, split Split) (Result, error) {
	res := Result{}
	if split.on() && strings.Trim(split.Arg, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return res, fmt.Errorf("remote: the script's argument %q is not a plain word", split.Arg)
	}
	if c == nil || c.ssh == nil {
		return res, errors.New("remote: RunScript on a client that is not connected")
	}
	res.User = c.target.user
	if stdout == nil {
		return res, errors.New("remote: RunScript needs a writer for the evidence")
	}
	if len(script) == 0 {
		return res, errors.New("remote: RunScript needs a script")
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return res, errors.New("remote: RunScript on a closed client")
	}
	ctx, cancel := context.WithDeadline(ctx, c.deadline)
	defer cancel()

	r := &runner{c: c, out: &countWriter{w: stdout}, script: script, split: split}
	defer r.wipe()
	shell := "/bin/sh -s"
	if split.on() {
		shell += " " + split.Arg
	}
	var err error
	switch {
	case !c.o.Sudo:
		err = r.exec(ctx, spec{cmd: shell, split: split.on()})
	case c.target.user == "root":
		c.note("logged in as root on %s; sudo is not needed", c.target.label())
		err = r.exec(ctx, spec{cmd: shell, split: split.on()})
	default:
		err = r.exec(ctx, sudoSpec(false, len(script), split))
		if errors.Is(err, errNeedTTY) {
			c.note("sudo on %s requires a terminal (requiretty); running it in a pseudo-terminal", c.target.name)
			err = r.exec(ctx, sudoSpec(true, len(script), Split{}))
		}
	}
	res.Sudo = r.sudoRan
	res.BytesRead = r.out.n.Load()
	res.Notes = c.Notes()
	return res, err
}

// spec is one remote command and how to talk to it.
type spec struct {
	cmd  string
	pty  bool
	sudo bool
	// ready is a line the remote prints once sudo has let the shell start. Output
	// before it belongs to sudo and the login shell, not to the evidence, and the
	// script is only sent after it.
	ready string
	// split: the script's standard error is its second stream (Split).
	split bool
}

// sudoSpec builds the command. The login shell (which may be csh) parses it, so it is
// one line, and the only quoting is single quotes around text without single quotes;
// inside them /bin/sh does the rest. Without a terminal, sh reads the script straight
// from the channel. With one, the script goes through `head -c`, so the shell reading
// it has a pipe, not a terminal, as its input: a shell reading commands from a
// terminal would be interactive, with prompts and line editing.
//
// sudo scrubs SSH_CONNECTION from the environment, and with it the probe's only sure
// way to tell its own SSH connection from a client's: the value is passed to the root
// shell as an argument (sudo keeps those) and exported as TROWEL_SSH_CONNECTION.
func sudoSpec(pty bool, scriptLen int, split Split) spec {
	ready := "trowel-ready-" + nonce()
	s := spec{pty: pty, sudo: true, ready: ready}
	const keep = `TROWEL_SSH_CONNECTION=\$1; export TROWEL_SSH_CONNECTION; `
	if !pty {
		arg := ""
		if split.on() {
			arg, s.split = " "+split.Arg, true
		}
		s.cmd = fmt.Sprintf(`/bin/sh -c 'exec env LC_MESSAGES=C sudo -S -p %s /bin/sh -c "echo %s; %sexec /bin/sh -s%s" trowel "$SSH_CONNECTION"'`,
			promptMarker, ready, keep, arg)
	} else {
		s.cmd = fmt.Sprintf(`/bin/sh -c 'stty raw -echo 2>/dev/null; exec env LC_MESSAGES=C sudo -S -p %s /bin/sh -c "stty raw -echo 2>/dev/null; echo %s; %shead -c %d | /bin/sh -s" trowel "$SSH_CONNECTION"'`,
			promptMarker, ready, keep, scriptLen)
	}
	return s
}

func nonce() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var errNeedTTY = errors.New("sudo requires a terminal")

// sudoStartTimeout bounds the wait for sudo to either ask for the password with
// trowel's prompt or start the shell. A sudo that asks something else (a PAM one-time
// code, a prompt sudoers forces with passprompt_override) would otherwise wait for an
// answer until the overall time limit.
var sudoStartTimeout = time.Minute

type countWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

type runner struct {
	c      *Client
	out    *countWriter
	script []byte
	split  Split
	pw     []byte // the sudo password once asked for; wiped when the run ends
	asked  bool
	// sudoRan: sudo let the shell start, so whatever evidence arrived was read as root.
	sudoRan bool
}

func (r *runner) wipe() {
	for i := range r.pw {
		r.pw[i] = 0
	}
	r.pw = nil
}

type eventKind int

const (
	evPrompt eventKind = iota
	evReady
	evStdoutDone
	evStderrDone
	evBadTTY
)

type event struct {
	kind eventKind
	err  error
}

// session is the state of one exec shared by the pumps and the controller.
type session struct {
	sp       spec
	events   chan event
	ready    atomic.Bool
	mu       sync.Mutex
	stderr   *tail // remote standard error (with a split, what is no output of the script)
	second   io.Writer
	pre      *tail // standard output before the ready line
	writeErr error
}

func (s *session) keepPre(b []byte) {
	s.mu.Lock()
	s.pre.Write(b)
	s.mu.Unlock()
}

func (r *runner) exec(ctx context.Context, sp spec) error {
	label := r.c.target.label()
	sess, err := r.c.ssh.NewSession()
	if err != nil {
		return r.connError(err, nil, "could not open a session")
	}
	defer sess.Close()
	if sp.pty {
		if err := sess.RequestPty("dumb", 24, 200, ttyModes); err != nil {
			return &UserError{
				Msg:  fmt.Sprintf("sudo on %s requires a terminal (requiretty), but the server refused to allocate one: %v", label, err),
				Hint: "Ask for `Defaults:" + r.c.target.user + " !requiretty` in sudoers, or survey without --sudo",
				Err:  err,
			}
		}
	}
	stdin, err1 := sess.StdinPipe()
	stdoutR, err2 := sess.StdoutPipe()
	stderrR, err3 := sess.StderrPipe()
	if err := errors.Join(err1, err2, err3); err != nil {
		return err
	}
	if err := sess.Start(sp.cmd); err != nil {
		return r.connError(err, nil, "could not start /bin/sh")
	}

	s := &session{sp: sp, events: make(chan event, 16), stderr: newTail(stderrKeep), pre: newTail(preGateKeep)}
	if sp.split {
		s.second = r.split.Stream(strayWriter{s})
	}
	if sp.ready == "" {
		s.ready.Store(true)
		go r.send(stdin, r.script, true)
	}
	go func() { s.events <- event{kind: evStdoutDone, err: r.pumpStdout(s, stdoutR)} }()
	go func() { s.events <- event{kind: evStderrDone, err: r.pumpStderr(s, stderrR)} }()

	var failure error
	var stopped bool // the session was closed by us; the pumps still have to finish
	prompts := 0
	outDone, errDone := false, false
	var timer <-chan time.Time
	var sudoTimer *time.Timer
	var sudoWait <-chan time.Time
	if sp.sudo {
		sudoTimer = time.NewTimer(sudoStartTimeout)
		defer sudoTimer.Stop()
		sudoWait = sudoTimer.C
	}
	done := ctx.Done()
	stop := func(err error) {
		if !stopped {
			stopped, failure = true, err
			sess.Close()
			timer = time.After(closeGrace)
		}
	}
	for !outDone || !errDone {
		select {
		case <-done:
			done = nil
			stop(r.ctxError(ctx))
		case <-sudoWait:
			sudoWait = nil
			if !s.ready.Load() {
				stop(&UserError{
					Msg: fmt.Sprintf("sudo on %s neither asked for the password the expected way nor started the shell within %s",
						r.c.target.name, sudoStartTimeout),
					Hint:   "It may be asking for something trowel cannot answer (a one-time code), or be slow resolving users or the host name (LDAP, DNS); run `sudo -v` there by hand to see",
					Detail: r.stderrDetail(s),
				})
			}
		case <-timer:
			// The server does not answer our close: the link is dead. Closing the
			// connection ends the pumps.
			timer = nil
			r.c.closeConns()
		case ev := <-s.events:
			switch ev.kind {
			case evStdoutDone:
				outDone = true
			case evStderrDone:
				errDone = true
			case evReady:
				sudoWait = nil
				r.sudoRan = sp.sudo
				go r.send(stdin, r.script, !sp.pty)
			case evBadTTY:
				stop(&UserError{
					Msg:    fmt.Sprintf("the terminal sudo needs on %s translates line ends even after `stty raw`, which would alter the evidence; nothing was collected", r.c.target.name),
					Hint:   "Ask for `Defaults:" + r.c.target.user + " !requiretty` in sudoers, or survey without --sudo",
					Detail: r.stderrDetail(s),
				})
			case evPrompt:
				if stopped {
					break
				}
				prompts++
				if prompts > 1 {
					// sudo said "Sorry, try again" and asks anew; a second try would send
					// the same password.
					stop(&UserError{
						Msg:  fmt.Sprintf("sudo on %s rejected the password for %s; nothing ran as root", r.c.target.name, r.c.target.user),
						Hint: "Check the password (sudo usually wants " + r.c.target.user + "'s own password, not root's) and re-run",
					})
					break
				}
				if err := r.sendPassword(stdin); err != nil {
					stop(err)
				} else if sudoWait != nil {
					// Asking the user took time that was not sudo's.
					sudoTimer.Reset(sudoStartTimeout)
				}
			}
		}
	}
	if failure != nil {
		return failure
	}
	if s.writeErr != nil {
		return fmt.Errorf("writing the evidence from %s: %w", label, s.writeErr)
	}
	waitErr := sess.Wait()
	if !s.ready.Load() {
		text := s.stderr.String()
		if sp.pty {
			text = s.pre.String()
		}
		return r.sudoFailure(sp, text, waitErr)
	}
	var exit *ssh.ExitError
	switch {
	case waitErr == nil:
		return nil
	case errors.As(waitErr, &exit) && exit.Signal() == "":
		return &UserError{
			Msg:    fmt.Sprintf("the probe shell on %s exited with status %d after %d bytes of evidence", label, exit.ExitStatus(), r.out.n.Load()),
			Hint:   "The evidence that arrived is kept; the remote error output below may say what went wrong",
			Detail: r.stderrDetail(s),
			Err:    waitErr,
		}
	default:
		return r.connError(waitErr, s, "")
	}
}

// send writes the script (or nothing more) to the remote standard input. Without a
// terminal, closing it gives the shell its end of input; a terminal has no such thing,
// and the probe ends with an explicit exit anyway.
func (r *runner) send(w io.WriteCloser, data []byte, closeAfter bool) {
	if _, err := w.Write(data); err != nil {
		return // the session is gone; the pumps and Wait report why
	}
	if closeAfter {
		w.Close()
	}
}

func (r *runner) sendPassword(w io.Writer) error {
	if !r.asked {
		r.asked = true
		if r.c.o.SudoPassword == nil {
			return &UserError{
				Msg:  fmt.Sprintf("sudo on %s asks %s for a password, and trowel has no way to ask you for it", r.c.target.name, r.c.target.user),
				Hint: "Run trowel from a terminal so it can ask for the password, or ask for a NOPASSWD sudoers rule for " + r.c.target.user,
			}
		}
		pw, err := r.c.o.SudoPassword()
		if err != nil {
			return fmt.Errorf("reading the sudo password: %w", err)
		}
		r.pw = append([]byte(nil), pw...)
		for i := range pw {
			pw[i] = 0
		}
	}
	if r.pw == nil {
		return &UserError{Msg: "no sudo password was given", Hint: "Re-run and enter the password when asked"}
	}
	if bytes.ContainsAny(r.pw, "\r\n") {
		return &UserError{Msg: "the sudo password contains a line break, which sudo cannot read", Hint: "Re-run and enter the password without pressing Enter inside it"}
	}
	line := make([]byte, 0, len(r.pw)+1)
	line = append(append(line, r.pw...), '\n')
	_, err := w.Write(line)
	for i := range line {
		line[i] = 0
	}
	return err
}

// pumpStdout streams the remote standard output to the caller, holding back (and
// searching) whatever comes before the ready line.
func (r *runner) pumpStdout(s *session, src io.Reader) error {
	buf := make([]byte, 32<<10)
	var pre []byte
	scanFrom := 0
	gaveUp := false
	for {
		n, err := src.Read(buf)
		data := buf[:n]
		switch {
		case n == 0:
		case gaveUp:
			data = nil
		case !s.ready.Load():
			s.keepPre(data)
			pre = append(pre, data...)
			data = nil
			if s.sp.pty {
				scanFrom = r.scanPrompts(s, pre, scanFrom)
			}
			if i := bytes.Index(pre, []byte(s.sp.ready+"\n")); i >= 0 {
				data = pre[i+len(s.sp.ready)+1:]
				pre = nil
				s.ready.Store(true)
				s.events <- event{kind: evReady}
			} else if bytes.Contains(pre, []byte(s.sp.ready+"\r")) {
				// The terminal still turns \n into \r\n: the evidence would arrive
				// altered, so it is not collected this way at all.
				gaveUp = true
				s.events <- event{kind: evBadTTY}
			} else if len(pre) > 2*preGateKeep {
				// Keep enough to find a marker split across reads.
				drop := len(pre) - len(s.sp.ready) - len(promptMarker)
				pre = append([]byte(nil), pre[drop:]...)
				scanFrom = max(0, scanFrom-drop)
			}
		}
		if len(data) > 0 && s.writeErr == nil {
			if _, werr := r.out.Write(data); werr != nil {
				// Keep reading, so the session can end; the caller gets this error.
				s.writeErr = werr
			}
		}
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// scanPrompts reports each sudo prompt in pre from scanFrom on, and returns where the
// next search starts (a marker may be split across reads).
func (r *runner) scanPrompts(s *session, pre []byte, scanFrom int) int {
	for {
		i := bytes.Index(pre[scanFrom:], []byte(promptMarker))
		if i < 0 {
			break
		}
		scanFrom += i + len(promptMarker)
		s.events <- event{kind: evPrompt}
	}
	if keep := len(pre) - len(promptMarker) + 1; keep > scanFrom {
		scanFrom = keep
	}
	return scanFrom
}

func (r *runner) pumpStderr(s *session, src io.Reader) error {
	buf := make([]byte, 8<<10)
	var window []byte
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if s.second != nil {
				// A failure to write the evidence comes back from the first
				// stream's writer, which writes the two streams' records.
				r.out.n.Add(int64(n))
				_, _ = s.second.Write(buf[:n])
			} else {
				s.mu.Lock()
				s.stderr.Write(buf[:n])
				s.mu.Unlock()
			}
			if s.sp.sudo && !s.sp.pty && !s.ready.Load() {
				window = append(window, buf[:n]...)
				window = window[r.scanPrompts(s, window, 0):]
			}
		}
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// strayWriter keeps what the second stream passes on as the standard error's tail.
type strayWriter struct{ s *session }

func (w strayWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.stderr.Write(p)
}

func (r *runner) stderrDetail(s *session) string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	text := s.stderr.String()
	if s.sp.pty {
		text = s.pre.String()
	}
	if text == "" {
		return ""
	}
	// sudo turns echo off while it reads, and so does trowel; should a broken
	// terminal echo anyway, the password still must not reach a message.
	if pw := strings.TrimSpace(string(r.pw)); len(pw) >= 3 {
		text = strings.ReplaceAll(text, pw, "********")
	}
	return "remote error output:\n" + lastLines(text, 20)
}

func (r *runner) ctxError(ctx context.Context) error {
	n := r.out.n.Load()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &UserError{
			Msg:  fmt.Sprintf("the run on %s did not finish within the time limit (%s); the %d bytes of evidence that arrived are kept", r.c.target.label(), r.c.o.Timeout, n),
			Hint: "Raise the time limit if the host is just slow",
			Err:  ctx.Err(),
		}
	}
	return fmt.Errorf("the run on %s was interrupted after %d bytes of evidence: %w", r.c.target.label(), n, ctx.Err())
}

// connError describes a session that ended without an exit status: the connection
// (or a jump host) went away.
func (r *runner) connError(err error, s *session, doing string) error {
	why := r.c.dropReason()
	if why == "" {
		why = err.Error()
		var missing *ssh.ExitMissingError
		if errors.As(err, &missing) {
			why = "the remote shell ended without an exit status"
		}
	}
	var exitErr *ssh.ExitError
	if errors.As(err, &exitErr) && exitErr.Signal() != "" {
		why = "the remote shell was killed by signal " + exitErr.Signal()
	}
	if doing != "" {
		return &UserError{
			Msg:  fmt.Sprintf("%s on %s: %s", doing, r.c.target.label(), why),
			Hint: "Check that the host is reachable and re-run",
			Err:  err,
		}
	}
	return &UserError{
		Msg: fmt.Sprintf("the connection to %s closed after %d bytes of evidence (%s); the evidence that arrived is kept, but it is incomplete",
			r.c.target.label(), r.out.n.Load(), why),
		Hint:   "Re-run when the host and the network are stable",
		Detail: r.stderrDetail(s),
		Err:    err,
	}
}

// sudoFailure explains a sudo that exited before starting the shell. The command
// forces English messages (LC_MESSAGES=C), which is what is matched here.
func (r *runner) sudoFailure(sp spec, text string, waitErr error) error {
	host, user := r.c.target.name, r.c.target.user
	lower := strings.ToLower(text)
	detail := ""
	if text != "" {
		detail = "sudo said:\n" + lastLines(text, 10)
	}
	status := 0
	var exit *ssh.ExitError
	if errors.As(waitErr, &exit) {
		status = exit.ExitStatus()
	} else if waitErr != nil {
		return r.connError(waitErr, nil, "")
	}
	switch {
	case strings.Contains(lower, "must have a tty") && !sp.pty:
		return errNeedTTY
	case strings.Contains(lower, "incorrect password") || strings.Contains(lower, "try again"):
		return &UserError{
			Msg:  fmt.Sprintf("sudo on %s rejected the password for %s; nothing ran as root", host, user),
			Hint: "Check the password and re-run", Detail: detail,
		}
	case strings.Contains(lower, "not in the sudoers"):
		return &UserError{
			Msg:    fmt.Sprintf("%s may not use sudo on %s (not in the sudoers file); nothing ran as root", user, host),
			Hint:   "Ask for a sudoers rule letting " + user + " run /bin/sh as root, log in as another user, or survey without --sudo",
			Detail: detail,
		}
	case strings.Contains(lower, "not allowed to execute") || strings.Contains(lower, "may not run sudo"):
		return &UserError{
			Msg:    fmt.Sprintf("sudo on %s does not let %s run /bin/sh as root; nothing ran as root", host, user),
			Hint:   "trowel needs a sudoers rule such as `" + user + " ALL=(root) /bin/sh`, or survey without --sudo",
			Detail: detail,
		}
	case status == 127 || strings.Contains(lower, "sudo: not found") || strings.Contains(lower, "sudo: command not found"):
		return &UserError{
			Msg:    fmt.Sprintf("sudo is not installed on %s", host),
			Hint:   "Log in as root (root@" + host + ") instead, or survey without --sudo",
			Detail: detail,
		}
	}
	return &UserError{
		Msg:    fmt.Sprintf("sudo on %s failed before the probe started (exit status %d)", host, status),
		Hint:   "Run `sudo /bin/sh` there by hand to see why, or survey without --sudo",
		Detail: detail,
		Err:    waitErr,
	}
}
