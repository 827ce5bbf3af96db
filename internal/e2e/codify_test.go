package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/codify/ansible"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/verify"
)

// TestCodifyRoundTrip is issue 6's lab proof: survey legacy, codify for debian-12,
// apply the project to a freshly reset `new` over SSH, apply it again and require
// changed=0, and dry-run it against legacy itself, where only the changes the
// translation makes on purpose may show.
func TestCodifyRoundTrip(t *testing.T) {
	lab := labtest.Require(t)
	playbook, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook not installed (lab/deps.sh installs it)")
	}
	legacy := lab.Hosts["legacy"]
	newHost, ok := lab.Hosts["new"]
	if !ok {
		t.Fatal("the lab has no host `new`")
	}
	snap := surveySSH(t, sshOptions(lab, legacy.URL("root")))

	target, err := distro.ParsePlatform("debian-12")
	if err != nil {
		t.Fatal(err)
	}
	in := ansible.Input{Snap: snap, Target: target, Findings: analyze.Analyze(snap, "en")}
	proj, err := ansible.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	proj.Address = newHost.Addr
	dir := t.TempDir()
	if err := ansible.Write(proj, dir); err != nil {
		t.Fatal(err)
	}

	// Reset `new` to a fresh bookworm host; lab-up rewrites its host keys.
	reset := exec.Command("bash", filepath.Join(codifyRepoRoot(t), "lab", "up.sh"), "new")
	if out, err := reset.CombinedOutput(); err != nil {
		t.Fatalf("lab/up.sh new: %v\n%s", err, codifyTail(out, 30))
	}
	lab = labtest.Require(t)
	// Leave `new` fresh for the tests after this one, which compare against a
	// bare bookworm host.
	t.Cleanup(func() {
		if out, err := exec.Command("bash", filepath.Join(codifyRepoRoot(t), "lab", "up.sh"), "new").CombinedOutput(); err != nil {
			t.Errorf("resetting new after the round trip: %v\n%s", err, codifyTail(out, 30))
		}
	})

	// What an operator supplies: the secrets (a throwaway certificate and key, as
	// the vault would hold), and the new server's own name, which it keeps until
	// cutover (the lab's UTS namespace may not be renamed).
	vars := filepath.Join(t.TempDir(), "lab-vars.yml")
	certPEM, keyPEM := codifySelfSigned(t, "redmine.example.co.jp")
	doc := "---\nbase_hostname: new\n" +
		"web_tls_redmine_example_co_jp_certificate: |\n" + codifyIndent(certPEM) +
		"vault_web_tls_redmine_example_co_jp_private_key: |\n" + codifyIndent(keyPEM)
	if err := os.WriteFile(vars, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	run := func(inventory string, extra ...string) (string, error) {
		args := append([]string{"-i", inventory, "-u", "root", "--ssh-common-args", "-F " + lab.SSHConfig, "-e", "@" + vars}, extra...)
		args = append(args, "site.yml")
		cmd := exec.Command(playbook, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+home, "ANSIBLE_HOST_KEY_CHECKING=False", "ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCAL_TEMP="+filepath.Join(home, "tmp"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run("inventory/hosts.yml")
	if err != nil {
		t.Fatalf("first run on new: %v\n%s", err, codifyTail([]byte(out), 60))
	}
	out, err = run("inventory/hosts.yml")
	if err != nil {
		t.Fatalf("second run on new: %v\n%s", err, codifyTail([]byte(out), 60))
	}
	if m := codifyRecap.FindStringSubmatch(out); m == nil || m[1] != "0" {
		t.Errorf("second run is not idempotent; changed tasks: %v\n%s", codifyChangedTasks(out), codifyTail([]byte(out), 20))
	}
	// The services run on new as they did on legacy.
	ss, err := lab.SSH(t, "new", "root", "ss -lnt")
	if err != nil {
		t.Fatal(err)
	}
	for _, port := range []string{":80 ", ":443 ", ":3306 ", ":25 "} {
		if !strings.Contains(ss, port) {
			t.Errorf("nothing listens on %s on new:\n%s", port, ss)
		}
	}

	// Dry run against legacy itself. Installs and the firewall are skipped: legacy
	// has no package index and no route to a mirror, and ran no firewall.
	out, err = run(legacy.Addr+",", "--check", "--diff", "--skip-tags", "packages,firewall", "-e", "base_hostname="+snap.Host.Hostname)
	if err != nil {
		t.Fatalf("dry run on legacy: %v\n%s", err, codifyTail([]byte(out), 60))
	}
	// What the translation changes on purpose: a header naming the source on every
	// template, Apache 2.4's Require, main.cf from postconf -n, the MariaDB drop-in,
	// the lab's own certificate, and ansible.builtin.cron's markers.
	expected := regexp.MustCompile(`^(accounts : Install the sudo rules|web : Configure Apache|web : Install the TLS|database : Apply the site's server settings|mail : Configure Postfix|mail : Set the mail aliases|logging : Configure rsyslog|logship : Configure logship|cron : |base : Set the kernel parameters the source ran with against its files)`)
	for _, task := range codifyChangedTasks(out) {
		if !expected.MatchString(task) {
			t.Errorf("dry run on legacy: unexpected change by %q", task)
		}
	}
	// Proof: new, surveyed like any host, does what legacy did — every expectation
	// of legacy's spec passes, except what MIGRATION_TODO.md tells the operator to
	// do by hand (a failure must name something that file lists).
	todo, err := os.ReadFile(filepath.Join(dir, "MIGRATION_TODO.md"))
	if err != nil {
		t.Fatal(err)
	}
	res := verify.Evaluate(spec.Derive(snap, "legacy"), surveySSH(t, sshOptions(lab, newHost.URL("root"))))
	if res.Pass == 0 {
		t.Fatalf("verify of new passed nothing: %+v", res)
	}
	for _, c := range res.Checks {
		if c.Status != verify.Fail {
			continue
		}
		if !listedIn(string(todo), c) {
			t.Errorf("verify of new against legacy: %s fails and MIGRATION_TODO.md does not list it:\n  %s\n  fix: %s", c.ID, c.Message, c.Fix)
		} else {
			t.Logf("expected failure (in MIGRATION_TODO.md): %s", c.ID)
		}
	}
	t.Logf("verify of new against legacy: %d passed, %d failed, %d skipped", res.Pass, res.Fail, res.Skip)
}

// listedIn reports whether MIGRATION_TODO.md names what a failed check is about,
// precisely: the key's fingerprint, the setting's name, the port as "2222/tcp",
// the process's command line or program, else the whole subject.
func listedIn(todo string, c verify.Check) bool {
	_, subject, _ := strings.Cut(c.ID, ":")
	var names []string
	switch c.Kind {
	case spec.KindKey, spec.KindSetting:
		names = []string{subject[strings.LastIndexByte(subject, ':')+1:]}
		if c.Kind == spec.KindKey {
			names = []string{subject[strings.Index(subject, ":")+1:]} // user:SHA256:... -> SHA256:...
		}
	case spec.KindPort:
		if proto, port, ok := strings.Cut(subject, "/"); ok {
			names = []string{port + "/" + proto}
		}
	case spec.KindSMTP:
		names = []string{"on :" + subject + " accepts mail"} // smtp:25
	case spec.KindLogFollow:
		shipper, _, _ := strings.Cut(subject, ":") // logship:/var/log/...
		names = []string{"Program of " + shipper, "Package " + shipper}
	case spec.KindProcess:
		cmd := subject
		if i := strings.LastIndexByte(subject, ':'); i > 0 {
			cmd = subject[:i] // the command line without ":user"
		}
		names = []string{cmd, spec.Program(cmd)}
	default:
		names = []string{subject}
	}
	for _, name := range names {
		if name != "" && strings.Contains(strings.ToLower(todo), strings.ToLower(name)) {
			return true
		}
	}
	return false
}

var (
	codifyRecap   = regexp.MustCompile(`(?m)^\S+\s*:\s*ok=\d+\s+changed=(\d+)`)
	codifyTaskHdr = regexp.MustCompile(`^TASK \[(.*)\] \*+$`)
)

// codifyChangedTasks lists the tasks ansible-playbook reported as changed, each
// once, in order.
func codifyChangedTasks(out string) []string {
	var tasks []string
	cur := ""
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if m := codifyTaskHdr.FindStringSubmatch(line); m != nil {
			cur = m[1]
			continue
		}
		if strings.HasPrefix(line, "changed:") && cur != "" && !seen[cur] {
			seen[cur] = true
			tasks = append(tasks, cur)
		}
	}
	sort.Strings(tasks)
	return tasks
}

// codifyRepoRoot is the checkout's root, where lab/ is.
func codifyRepoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "lab", "up.sh")); err != nil {
		t.Fatalf("no lab/up.sh under %s: %v", root, err)
	}
	return root
}

// codifyTail is the last n lines of a command's output, for a failure message.
func codifyTail(out []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// codifySelfSigned makes a throwaway certificate and key for the TLS vhost, as
// the operator's vault would hold: the survey never carries the real key.
func codifySelfSigned(t *testing.T, cn string) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     []string{cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

// codifyIndent indents a block for a YAML literal scalar.
func codifyIndent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
