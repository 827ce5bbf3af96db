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
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/labtest"
)

// TestCodifyRoundTrip is the lab proof of issues 6 and 13 for legacy: survey it,
// codify for debian-12, apply the project to a freshly reset `new` over SSH,
// apply it again and require changed=0, dry-run it against legacy itself, where
// only the changes the translation makes on purpose may show; then verify new
// with the ledger, after the apply and after a reboot of new.
func TestCodifyRoundTrip(t *testing.T) {
	lab := labtest.Require(t)
	// What an operator supplies: the secrets (a throwaway certificate and key, as
	// the vault would hold); the new server keeps its own name until cutover (the
	// lab's UTS namespace may not be renamed).
	certPEM, keyPEM := codifySelfSigned(t, "redmine.example.co.jp")
	rt := codifyForNew(t, lab, "legacy", "web_tls_redmine_example_co_jp_certificate: |\n"+codifyIndent(certPEM)+
		"vault_web_tls_redmine_example_co_jp_private_key: |\n"+codifyIndent(keyPEM))
	rt.applyTwice(t)
	// The services run on new as they did on legacy.
	ss, err := rt.lab.SSH(t, "new", "root", "ss -lnt")
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
	legacy := rt.lab.Hosts["legacy"]
	out, err := rt.play(legacy.Addr+",", "--check", "--diff", "--skip-tags", "packages,firewall", "-e", "base_hostname="+rt.snap.Host.Hostname)
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
	// Proof: new, surveyed like any host, does what legacy did: every expectation
	// of legacy's spec passes, but for what the ledger says is still to do; and
	// again once new has rebooted (services come back, cron fires in the zone).
	rt.verifyNew(t, "after the apply")
	rt.lab.Reboot(t, "new")
	rt.verifyNew(t, "after a reboot")
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
