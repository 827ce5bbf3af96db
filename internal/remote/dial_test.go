package remote

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

var cannedEvidence = []byte("TROWEL-EVIDENCE/1 tw0123456789abcdef0123456789abcdef\n\ntw0123456789abcdef0123456789abcdef Z 1.00\n")

// setup is a fake server with a shell, a user "deploy" authorized with a key file, and
// known_hosts trusting the server.
func setup(t *testing.T, o serverOpts) (*env, *fakeServer, *shellHandler, string) {
	t.Helper()
	e := newEnv(t)
	s := newFakeServer(t, o)
	sh := &shellHandler{evidence: cannedEvidence}
	s.handler = sh.handle
	key := newEd25519(t)
	s.authorize("deploy", mustSigner(t, key).PublicKey())
	kf := e.keyFile("id_deploy", key, "")
	return e, s, sh, kf
}

func dialRun(t *testing.T, o Options) (Result, []byte, error) {
	t.Helper()
	ctx := context.Background()
	c, err := Dial(ctx, o)
	if err != nil {
		return Result{}, nil, err
	}
	defer c.Close()
	var out bytes.Buffer
	res, err := c.RunScript(ctx, []byte("echo hello\nexit 0\n"), &out)
	return res, out.Bytes(), err
}

func TestRunWithKeyFile(t *testing.T) {
	e, s, sh, kf := setup(t, serverOpts{})
	e.trust(s)
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	res, out, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, cannedEvidence) {
		t.Errorf("stdout = %q, want the cannedEvidence", out)
	}
	if got := string(sh.lastScript()); got != "echo hello\nexit 0\n" {
		t.Errorf("server got script %q", got)
	}
	if res.User != "deploy" || res.Sudo || res.BytesRead != int64(len(cannedEvidence)) {
		t.Errorf("result = %+v", res)
	}
	if len(res.Notes) != 0 {
		t.Errorf("a modern server produced notes: %q", res.Notes)
	}
	_, conns, _, sigs := s.stats()
	if conns != 1 {
		t.Errorf("%d connections, want 1", conns)
	}
	if len(sigs) != 1 || sigs[0] != ssh.KeyAlgoED25519 {
		t.Errorf("login signatures %v", sigs)
	}
	if isInsecure(s.algs[0].KeyExchange) || isInsecure(s.algs[0].Write.Cipher) || isInsecure(s.algs[0].HostKey) {
		t.Errorf("modern server negotiated %+v", s.algs[0])
	}
}

func TestDefaultIdentityFileAndUserFromOS(t *testing.T) {
	e, s, _, _ := setup(t, serverOpts{})
	e.trust(s)
	key := newEd25519(t)
	e.keyFile("id_ed25519", key, "")
	u, err := localUser()
	if err != nil {
		t.Skip(err)
	}
	s.authorize(u, mustSigner(t, key).PublicKey())
	res, _, err := dialRun(t, e.opts(s.addr()))
	if err != nil {
		t.Fatal(err)
	}
	if res.User != u {
		t.Errorf("user %q, want the local user %q", res.User, u)
	}
}

func TestAgentAuth(t *testing.T) {
	e, s, _, _ := setup(t, serverOpts{})
	e.trust(s)
	key := newEd25519(t)
	s.authorize("ops", mustSigner(t, key).PublicKey())
	e.startAgent(key)
	if _, _, err := dialRun(t, e.opts(s.target("ops"))); err != nil {
		t.Fatal(err)
	}
}

func TestEncryptedKey(t *testing.T) {
	e, s, _, _ := setup(t, serverOpts{})
	e.trust(s)
	key := newEd25519(t)
	s.authorize("ops", mustSigner(t, key).PublicKey())
	kf := e.keyFile("id_secret", key, "hunter2")

	o := e.opts(s.target("ops"))
	o.IdentityFiles = []string{kf}
	_, _, err := dialRun(t, o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "ops@127.0.0.1", "no SSH key to offer")
	mustContain(t, "notes", strings.Join(e.notes, "\n"), kf, "passphrase", "ssh-add "+kf)

	// With the key unlocked in the agent, the agent's copy is used and no note nags.
	e.notes = nil
	e.startAgent(key)
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(e.notes, "\n"), "passphrase") {
		t.Errorf("note about the passphrase although the agent has the key: %q", e.notes)
	}
}

func TestWrongKey(t *testing.T) {
	e, s, _, _ := setup(t, serverOpts{})
	e.trust(s)
	wrong := e.keyFile("id_wrong", newEd25519(t), "")
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{wrong}
	_, _, err := dialRun(t, o)
	ue := asUserError(t, err)
	mustContain(t, "message", ue.Msg, "deploy@127.0.0.1:", "none of the 1 key(s)", "publickey")
	mustContain(t, "detail", ue.Detail, wrong, "ED25519 SHA256:")
	mustContain(t, "hint", ue.Hint, "authorized_keys")
}

func TestIdentitiesOnlyAvoidsMaxAuthTries(t *testing.T) {
	e, s, _, _ := setup(t, serverOpts{maxTries: 2})
	e.trust(s)
	// The agent holds three keys the server does not know; the right one is a file.
	e.startAgent(newEd25519(t), newEd25519(t), newEd25519(t))
	good := newEd25519(t)
	s.authorize("ops", mustSigner(t, good).PublicKey())
	kf := e.keyFile("id_good", good, "")

	o := e.opts(s.target("ops"))
	o.IdentityFiles = []string{kf}
	if _, _, err := dialRun(t, o); err == nil {
		t.Fatal("expected the agent's wrong keys to exhaust MaxAuthTries")
	}

	cfg := filepath.Join(e.home, "config")
	os.WriteFile(cfg, []byte("Host 127.0.0.1\n  IdentitiesOnly yes\n"), 0o600)
	o.ConfigFile = cfg
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatalf("with IdentitiesOnly: %v", err)
	}
}

func TestUnknownHostKey(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	_, err := Dial(context.Background(), o)
	ue := asUserError(t, err)
	fp := ssh.FingerprintSHA256(s.keys[0].PublicKey())
	want := "host key for deploy@" + s.addr() + " is not known (ED25519 " + fp + "). Check the fingerprint with the server's administrator, then re-run with --accept-new-host-key"
	if ue.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", ue.Error(), want)
	}
	if n, _, _, _ := s.stats(); n != 0 {
		t.Errorf("the client tried to log in (%d key requests) to an unknown host", n)
	}
	if _, err := os.Stat(e.kh); err == nil {
		t.Error("known_hosts was written without --accept-new-host-key")
	}
}

func TestAcceptNewHostKey(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	// Neither ~/.ssh nor the file exist yet.
	e.kh = filepath.Join(e.home, "fresh", "known_hosts")
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	o.AcceptNewHostKey = true
	res, _, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(e.kh)
	if err != nil {
		t.Fatal(err)
	}
	want := "[127.0.0.1]:" + itoa(s.port) + " " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.keys[0].PublicKey()))) + "\n"
	if string(data) != want {
		t.Errorf("known_hosts = %q, want %q", data, want)
	}
	st, _ := os.Stat(e.kh)
	dst, _ := os.Stat(filepath.Dir(e.kh))
	if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
		t.Errorf("modes file %v dir %v, want 0600 and 0700", st.Mode().Perm(), dst.Mode().Perm())
	}
	mustContain(t, "notes", strings.Join(res.Notes, "\n"), "added the host key", "--accept-new-host-key")

	// The recorded key now lets a strict connection through.
	o.AcceptNewHostKey = false
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatal(err)
	}
}

func TestAcceptNewFromSSHConfig(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	cfg := filepath.Join(e.home, "config")
	os.WriteFile(cfg, []byte("Host fake\n  HostName 127.0.0.1\n  Port "+itoa(s.port)+"\n  User deploy\n  IdentityFile "+kf+"\n  StrictHostKeyChecking accept-new\n  HashKnownHosts yes\n"), 0o600)
	o := e.opts("fake")
	o.ConfigFile = cfg
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(e.kh)
	if !strings.HasPrefix(string(data), "|1|") {
		t.Errorf("HashKnownHosts yes but the entry is %q", data)
	}
	// The hashed entry verifies.
	os.WriteFile(cfg, []byte("Host fake\n  HostName 127.0.0.1\n  Port "+itoa(s.port)+"\n  User deploy\n  IdentityFile "+kf+"\n"), 0o600)
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatal(err)
	}
}

func TestChangedHostKey(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.appendKnown("# an old entry")
	other := mustSigner(t, newEd25519(t)).PublicKey()
	e.appendKnown(xknownhosts.Line([]string{s.addr()}, other))
	for _, accept := range []bool{false, true} {
		o := e.opts(s.target("deploy"))
		o.IdentityFiles = []string{kf}
		o.AcceptNewHostKey = accept // a changed key is refused even so
		_, err := Dial(context.Background(), o)
		ue := asUserError(t, err)
		mustContain(t, "error", ue.Error(), "CHANGED", e.kh+" line 2", "attack", "nothing was sent",
			ssh.FingerprintSHA256(other), ssh.FingerprintSHA256(s.keys[0].PublicKey()), "ssh-keygen -R '[127.0.0.1]:"+itoa(s.port)+"'")
	}
	if n, _, _, _ := s.stats(); n != 0 {
		t.Errorf("the client offered keys (%d requests) to a host with a changed key", n)
	}
}

func TestHashedKnownHosts(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	name := xknownhosts.HashHostname(xknownhosts.Normalize(s.addr()))
	e.appendKnown(name + " " + strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.keys[0].PublicKey()))))
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatal(err)
	}
}

func TestKnownRSAKeyPreferredOverUnknownTypes(t *testing.T) {
	// The server has ED25519 and RSA host keys; known_hosts only the RSA one. Asking
	// for ED25519 first would look like a changed key.
	e, s, _, kf := setup(t, serverOpts{hostKeys: []string{"ed25519", "rsa"}})
	e.appendKnown(xknownhosts.Line([]string{s.addr()}, s.keys[1].PublicKey()))
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	res, _, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes: %q", res.Notes)
	}
	if got := s.algs[0].HostKey; got != ssh.KeyAlgoRSASHA512 && got != ssh.KeyAlgoRSASHA256 {
		t.Errorf("host key algorithm %s, want an rsa-sha2 one", got)
	}
}

func TestUnparsableKnownHostsLine(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{})
	e.appendKnown("oldhost 1024 35 1234567890123456789012345678901234567890")
	e.trust(s)
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	res, _, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "notes", strings.Join(res.Notes, "\n"), "ignored 1 line(s) of "+e.kh, "line 1")
}

func TestLegacyServer(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{legacy: true})
	e.trust(s)
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	res, out, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, cannedEvidence) {
		t.Errorf("stdout %q", out)
	}
	if len(res.Notes) != 1 {
		t.Fatalf("notes %q, want one legacy note", res.Notes)
	}
	mustContain(t, "note", res.Notes[0], "negotiated legacy algorithms", "because the server offered nothing newer",
		"diffie-hellman-group1-sha1", "host key ssh-rsa", "cipher aes128-cbc", "MAC hmac-sha1")
	_, conns, _, _ := s.stats()
	if conns != 2 {
		t.Errorf("%d connections, want 2 (modern, then the legacy retry)", conns)
	}
}

func TestLegacyServerUnknownHostKey(t *testing.T) {
	e, s, _, kf := setup(t, serverOpts{legacy: true})
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	_, err := Dial(context.Background(), o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "is not known (RSA "+ssh.FingerprintSHA256(s.keys[0].PublicKey())+")")
}

func TestSHA1SignatureOnlyOnRetry(t *testing.T) {
	// A server with modern key exchange that can only check ssh-rsa (SHA-1) login
	// signatures, like OpenSSH 6.x on CentOS 7.
	e, s, _, _ := setup(t, serverOpts{sigAlgs: []string{ssh.KeyAlgoRSA, ssh.KeyAlgoED25519}})
	e.trust(s)
	rsaKey := testRSAKey(t, 0)
	s.authorize("deploy", mustSigner(t, rsaKey).PublicKey())
	kf := e.keyFile("id_rsa", rsaKey, "")
	o := e.opts(s.target("deploy"))
	o.IdentityFiles = []string{kf}
	res, _, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	_, conns, _, sigs := s.stats()
	if conns != 2 || len(sigs) != 1 || sigs[0] != ssh.KeyAlgoRSA {
		t.Errorf("conns %d, signatures %v; want 2 and one ssh-rsa", conns, sigs)
	}
	if len(res.Notes) != 1 {
		t.Fatalf("notes %q", res.Notes)
	}
	mustContain(t, "note", res.Notes[0], "SHA-1", "ssh-rsa", kf, "can only check a SHA-1 signature")
	if strings.Contains(res.Notes[0], "diffie-hellman-group1") {
		t.Errorf("the retry negotiated a legacy key exchange with a modern server: %s", res.Notes[0])
	}
}

func TestRSAKeyModernServer(t *testing.T) {
	e, s, _, _ := setup(t, serverOpts{})
	e.trust(s)
	rsaKey := testRSAKey(t, 0)
	s.authorize("deploy", mustSigner(t, rsaKey).PublicKey())
	e.keyFile("id_rsa", rsaKey, "")
	res, _, err := dialRun(t, e.opts(s.target("deploy")))
	if err != nil {
		t.Fatal(err)
	}
	_, conns, _, sigs := s.stats()
	if conns != 1 || len(sigs) != 1 || !strings.HasPrefix(sigs[0], "rsa-sha2-") {
		t.Errorf("conns %d signatures %v, want 1 and an rsa-sha2 one", conns, sigs)
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes %q", res.Notes)
	}
}

func TestProxyJump(t *testing.T) {
	e, target, sh, kf := setup(t, serverOpts{})
	jump := newFakeServer(t, serverOpts{forward: true})
	jumpKey := newEd25519(t)
	jump.authorize("hopper", mustSigner(t, jumpKey).PublicKey())
	jkf := e.keyFile("id_jump", jumpKey, "")
	e.trust(target)
	e.trust(jump)

	o := e.opts(target.target("deploy"))
	o.IdentityFiles = []string{kf, jkf}
	o.Jump = jump.target("hopper")
	_, out, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, cannedEvidence) || sh.lastScript() == nil {
		t.Errorf("no run through the jump host: %q", out)
	}
	jump.mu.Lock()
	fw := jump.forwards
	jump.mu.Unlock()
	if len(fw) != 1 || fw[0] != target.addr() {
		t.Errorf("jump host forwarded %v, want [%s]", fw, target.addr())
	}

	// The same through ssh_config aliases.
	cfg := filepath.Join(e.home, "config")
	os.WriteFile(cfg, []byte(strings.Join([]string{
		"Host db",
		"  HostName 127.0.0.1",
		"  Port " + itoa(target.port),
		"  User deploy",
		"  IdentityFile " + kf,
		"  ProxyJump bastion",
		"Host bastion",
		"  HostName 127.0.0.1",
		"  Port " + itoa(jump.port),
		"  User hopper",
		"  IdentityFile " + jkf,
		"",
	}, "\n")), 0o600)
	o = e.opts("db")
	o.ConfigFile = cfg
	if _, _, err := dialRun(t, o); err != nil {
		t.Fatal(err)
	}
}

func TestProxyJumpRefused(t *testing.T) {
	e, target, _, kf := setup(t, serverOpts{})
	jump := newFakeServer(t, serverOpts{forward: false})
	jump.authorize("hopper", mustSigner(t, newEd25519(t)).PublicKey())
	jumpKey := newEd25519(t)
	jump.authorize("hopper", mustSigner(t, jumpKey).PublicKey())
	e.trust(target)
	e.trust(jump)
	o := e.opts(target.target("deploy"))
	o.IdentityFiles = []string{kf, e.keyFile("id_jump", jumpKey, "")}
	o.Jump = jump.target("hopper")
	_, err := Dial(context.Background(), o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "jump host hopper@"+jump.addr(), "could not connect to "+target.addr(), "AllowTcpForwarding")
}

func TestLegacyTargetBehindJump(t *testing.T) {
	e, target, _, kf := setup(t, serverOpts{legacy: true})
	jump := newFakeServer(t, serverOpts{forward: true})
	jumpKey := newEd25519(t)
	jump.authorize("hopper", mustSigner(t, jumpKey).PublicKey())
	e.trust(target)
	e.trust(jump)
	o := e.opts(target.target("deploy"))
	o.IdentityFiles = []string{kf, e.keyFile("id_jump", jumpKey, "")}
	o.Jump = jump.target("hopper")
	res, _, err := dialRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "deploy@"+target.addr()) {
		t.Errorf("notes %q, want one legacy note for the target only", res.Notes)
	}
}

func TestConnectionRefused(t *testing.T) {
	e := newEnv(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := Dial(context.Background(), e.opts("deploy@"+addr))
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "cannot connect to "+addr, "refused")
}

func TestConnectTimeout(t *testing.T) {
	e := newEnv(t)
	// Accepts TCP, never speaks SSH.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	o := e.opts("deploy@" + ln.Addr().String())
	o.ConnectTimeout = 300 * time.Millisecond
	start := time.Now()
	_, err := Dial(context.Background(), o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "no SSH answer from "+ln.Addr().String(), "within 300ms")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestProxyCommandRefused(t *testing.T) {
	e := newEnv(t)
	cfg := filepath.Join(e.home, "config")
	os.WriteFile(cfg, []byte("Host old\n  ProxyCommand ssh -W %h:%p gw\n"), 0o600)
	o := e.opts("old")
	o.ConfigFile = cfg
	_, err := Dial(context.Background(), o)
	ue := asUserError(t, err)
	mustContain(t, "error", ue.Error(), "ProxyCommand", "does not support", "ProxyJump")
}

func TestBadTargets(t *testing.T) {
	e := newEnv(t)
	for _, target := range []string{"", "user@", "host:0", "host:99999", "http://host", "a b", "[::1"} {
		_, err := Dial(context.Background(), e.opts(target))
		asUserError(t, err)
	}
}
