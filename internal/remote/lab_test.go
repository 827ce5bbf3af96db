package remote

// Tests against the real OpenSSH servers of the trowel lab (lab/README.md). They skip
// when no lab is up; TROWEL_LAB_REQUIRED=1 makes that a failure.

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/probe"
)

const labScript = "echo hello; id -un; id -u; exit 0\n"

type labEnv struct {
	lab *labtest.Lab
}

func newLab(t *testing.T) *labEnv {
	t.Helper()
	l := labtest.Require(t)
	// Nothing of the machine's own ssh setup may help or hinder.
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
	return &labEnv{lab: l}
}

// opts uses the lab's ssh_config (aliases, known_hosts, key) like an operator would.
func (e *labEnv) opts(target string) Options {
	return Options{
		Target:         target,
		ConfigFile:     e.lab.SSHConfig,
		ConnectTimeout: 15 * time.Second,
		Timeout:        2 * time.Minute,
		Logf:           func(f string, a ...any) {},
	}
}

// direct uses no ssh_config at all: address, key and known_hosts given explicitly.
func (e *labEnv) direct(user, host string, port int) Options {
	h := e.lab.Hosts[host]
	return Options{
		Target:         user + "@" + net.JoinHostPort(h.Addr, strconv.Itoa(port)),
		ConfigFile:     "none",
		KnownHostsFile: e.lab.KnownHosts,
		IdentityFiles:  []string{e.lab.KeyFile},
		ConnectTimeout: 15 * time.Second,
		Timeout:        2 * time.Minute,
	}
}

func labRun(t *testing.T, o Options, script string) (Result, string, error) {
	t.Helper()
	c, err := Dial(context.Background(), o)
	if err != nil {
		return Result{}, "", err
	}
	defer c.Close()
	var out bytes.Buffer
	res, err := c.RunScript(context.Background(), []byte(script), &out)
	return res, out.String(), err
}

func TestLabRoot(t *testing.T) {
	e := newLab(t)
	for _, o := range []Options{e.opts("legacy"), e.direct("root", "legacy", 22)} {
		res, out, err := labRun(t, o, labScript)
		if err != nil {
			t.Fatalf("%s: %v", o.Target, err)
		}
		if out != "hello\nroot\n0\n" {
			t.Errorf("%s: output %q", o.Target, out)
		}
		if len(res.Notes) != 0 {
			t.Errorf("%s: notes from a modern sshd: %q", o.Target, res.Notes)
		}
	}
}

func TestLabLegacyPort(t *testing.T) {
	e := newLab(t)
	h := e.lab.Hosts["legacy"]
	if h.LegacyPort == 0 {
		t.Skip("no legacy sshd in this lab")
	}
	// Through the alias (whose algorithm lines trowel ignores) and directly.
	for _, o := range []Options{e.opts("legacy-old"), e.direct("root", "legacy", h.LegacyPort)} {
		res, out, err := labRun(t, o, labScript)
		if err != nil {
			t.Fatalf("%s: %v", o.Target, err)
		}
		if out != "hello\nroot\n0\n" {
			t.Errorf("output %q", out)
		}
		if len(res.Notes) != 1 {
			t.Fatalf("notes %q, want one legacy note", res.Notes)
		}
		mustContain(t, "note", res.Notes[0], "negotiated legacy algorithms", "diffie-hellman-group", "host key ssh-rsa")
		t.Logf("%s: %s", o.Target, res.Notes[0])
	}
}

func TestLabProxyJump(t *testing.T) {
	e := newLab(t)
	if _, ok := e.lab.Hosts["bastion"]; !ok {
		t.Skip("no bastion in this lab")
	}
	// ProxyJump from the ssh config.
	_, out, err := labRun(t, e.opts("legacy-via-bastion"), labScript)
	if err != nil {
		t.Fatal(err)
	}
	if out != "hello\nroot\n0\n" {
		t.Errorf("output %q", out)
	}
	// --jump with an address, no ssh config.
	b := e.lab.Hosts["bastion"]
	o := e.direct("deploy", "legacy", 22)
	o.Jump = "jump@" + net.JoinHostPort(b.Addr, strconv.Itoa(b.Port))
	_, out, err = labRun(t, o, labScript)
	if err != nil {
		t.Fatal(err)
	}
	if out != "hello\ndeploy\n1001\n" && !strings.HasPrefix(out, "hello\ndeploy\n") {
		t.Errorf("output %q", out)
	}
	// The legacy sshd behind the bastion: each hop negotiates on its own.
	if lp := e.lab.Hosts["legacy"].LegacyPort; lp != 0 {
		o := e.direct("root", "legacy", lp)
		o.Jump = "jump@" + net.JoinHostPort(b.Addr, strconv.Itoa(b.Port))
		res, _, err := labRun(t, o, labScript)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], ":"+strconv.Itoa(lp)) {
			t.Errorf("notes %q, want one legacy note for port %d", res.Notes, lp)
		}
	}
}

func labUser(t *testing.T, e *labEnv, sudo string) labtest.User {
	t.Helper()
	for _, u := range e.lab.Hosts["legacy"].Users {
		if u.Sudo == sudo && u.Name != "root" {
			return u
		}
	}
	t.Skipf("no legacy user with sudo %q", sudo)
	return labtest.User{}
}

func TestLabSudoNoPassword(t *testing.T) {
	e := newLab(t)
	u := labUser(t, e, labtest.SudoNoPasswd)
	o := e.opts(u.Name + "@legacy")
	o.Sudo = true
	o.SudoPassword = func() ([]byte, error) {
		t.Error("asked for a password for a NOPASSWD user")
		return nil, os.ErrInvalid
	}
	res, out, err := labRun(t, o, labScript)
	if err != nil {
		t.Fatal(err)
	}
	if out != "hello\nroot\n0\n" || !res.Sudo || res.User != u.Name {
		t.Errorf("output %q, result %+v", out, res)
	}
}

func TestLabSudoPasswordRequiretty(t *testing.T) {
	e := newLab(t)
	u := labUser(t, e, labtest.SudoPassword)
	calls := 0
	o := e.opts(u.Name + "@legacy")
	o.Sudo = true
	o.SudoPassword = func() ([]byte, error) { calls++; return []byte(u.Password), nil }

	// A script larger than a terminal's line buffer, with a line longer than 4096
	// bytes: it must arrive intact through the pseudo-terminal.
	long := strings.Repeat("x", 10000)
	big := "# " + strings.Repeat("padding ", 20000) + "\nL=" + long + "\necho ${#L}\n" + labScript
	res, out, err := labRun(t, o, big)
	if err != nil {
		t.Fatal(err)
	}
	if out != "10000\nhello\nroot\n0\n" {
		t.Errorf("output %q", out)
	}
	if strings.Contains(out, "\r") || strings.Contains(out, u.Password) {
		t.Errorf("CR or the password in the output: %q", out)
	}
	if calls != 1 || !res.Sudo {
		t.Errorf("password asked %d times, sudo %v", calls, res.Sudo)
	}
	t.Logf("notes: %q", res.Notes)

	// A wrong password fails fast and clearly.
	o.SudoPassword = func() ([]byte, error) { return []byte("not-the-password"), nil }
	start := time.Now()
	_, out, err = labRun(t, o, labScript)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "rejected the password for "+u.Name)
	if strings.Contains(out+ue.Error(), "not-the-password") {
		t.Errorf("the password leaked: %q %q", out, ue.Error())
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("a wrong password took %s", d)
	}
}

func TestLabHostKeys(t *testing.T) {
	e := newLab(t)
	o := e.direct("root", "legacy", 22)
	o.KnownHostsFile = filepath.Join(t.TempDir(), "ssh", "known_hosts")
	_, err := Dial(context.Background(), o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "is not known (ED25519 SHA256:", "--accept-new-host-key")

	o.AcceptNewHostKey = true
	if _, _, err := labRun(t, o, labScript); err != nil {
		t.Fatal(err)
	}
	o.AcceptNewHostKey = false
	if _, _, err := labRun(t, o, labScript); err != nil {
		t.Fatalf("with the recorded key: %v", err)
	}

	// The legacy sshd has a different host key type on another port: [host]:2222.
	if lp := e.lab.Hosts["legacy"].LegacyPort; lp != 0 {
		o2 := e.direct("root", "legacy", lp)
		o2.KnownHostsFile = o.KnownHostsFile
		o2.AcceptNewHostKey = true
		if _, _, err := labRun(t, o2, labScript); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(o.KnownHostsFile)
		mustContain(t, "known_hosts", string(data), "["+e.lab.Hosts["legacy"].Addr+"]:"+strconv.Itoa(lp)+" ssh-rsa ")
	}
}

// The real probe, as root through a sudo that wants a password and a terminal: the
// evidence must decode complete, untouched by the terminal.
func TestLabProbeThroughSudoTTY(t *testing.T) {
	e := newLab(t)
	u := labUser(t, e, labtest.SudoPassword)
	o := e.opts(u.Name + "@legacy")
	o.Sudo = true
	o.SudoPassword = func() ([]byte, error) { return []byte(u.Password), nil }
	res, out, err := labRun(t, o, string(probe.Script()))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Sudo || res.BytesRead != int64(len(out)) {
		t.Errorf("result %+v, %d bytes", res, len(out))
	}
	if !strings.HasPrefix(out, evidence.Magic) {
		t.Errorf("output does not start with the evidence header: %q", out[:min(len(out), 80)])
	}
	a, err := evidence.DecodeBytes([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Complete {
		t.Errorf("evidence incomplete: %v", a.Problems)
	}
	if a.Header["uid"] != "0" {
		t.Errorf("probe ran as uid %q, want 0", a.Header["uid"])
	}
	// Only root can read /etc/shadow, which this item summarizes.
	if it, ok := a.Cmd("shadow-state"); !ok || !it.OK() || it.RC != 0 || len(it.Data) == 0 {
		t.Errorf("shadow-state not collected as root: %+v", it)
	}
	if first, _, _ := strings.Cut(out, "\n"); strings.HasSuffix(first, "\r") {
		t.Error("the evidence header ends in CR LF: the terminal translated newlines")
	}
	t.Logf("%d bytes of evidence, %d items", len(out), len(a.Items))
}
