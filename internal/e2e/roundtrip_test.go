package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/codify/ansible"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/verify"
)

// roundTrip is issue 13's proof on the lab for one source host: its survey,
// codified for debian-12 and applied to a freshly reset `new`; then `new`,
// verified against the source's spec with the ledger codify wrote, must fail
// nothing the ledger does not say is still to do or to move.
type roundTrip struct {
	lab    *labtest.Lab
	source string
	snap   *snapshot.Snapshot
	proj   *ansible.Project
	dir    string // the project, as codify writes it
	// skipped are the roles left out here (--skip-tags thirdparty: the lab
	// reaches no vendor's repository); the ledger written for the verification
	// says their entries are still to do, as a reviewer would mark them.
	skipped []string
	vars    string // the operator's extra variables (a YAML file)
	home    string
}

// codifyForNew surveys the lab host source over SSH, codifies it for
// debian-12 into a project aimed at `new`, and resets `new` to a fresh
// bookworm host (and again when the test ends, for the tests after it).
// operatorVars are what an operator supplies beside the vault (YAML lines).
func codifyForNew(t *testing.T, lab *labtest.Lab, source, operatorVars string) *roundTrip {
	t.Helper()
	if _, err := exec.LookPath("ansible-playbook"); err != nil {
		t.Skip("ansible-playbook not installed (lab/deps.sh installs it)")
	}
	src, ok := lab.Hosts[source]
	if !ok {
		t.Fatalf("the lab has no host %s", source)
	}
	newHost, ok := lab.Hosts["new"]
	if !ok {
		t.Fatal("the lab has no host `new`")
	}
	rt := &roundTrip{lab: lab, source: source, snap: surveySSH(t, sshOptions(lab, src.URL("root"))), home: t.TempDir()}
	target, err := distro.ParsePlatform("debian-12")
	if err != nil {
		t.Fatal(err)
	}
	rt.proj, err = ansible.Build(ansible.Input{Snap: rt.snap, Target: target, Findings: analyze.Analyze(rt.snap, "en")})
	if err != nil {
		t.Fatal(err)
	}
	rt.proj.Address = newHost.Addr
	rt.dir = t.TempDir()
	if err := ansible.Write(rt.proj, rt.dir); err != nil {
		t.Fatal(err)
	}
	for _, r := range rt.proj.Roles {
		if slices.Contains(r.Tags, "thirdparty") {
			rt.skipped = append(rt.skipped, r.Name)
		}
	}

	// The vault's values an operator fills in: a throwaway for each.
	vault, err := os.ReadFile(filepath.Join(rt.dir, "group_vars", "all", "vault.yml"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	doc := "---\nbase_hostname: new\n" + operatorVars
	for _, m := range vaultTodo.FindAllStringSubmatch(string(vault), -1) {
		if !strings.Contains(operatorVars, m[1]+":") {
			doc += m[1] + ": throwaway-" + m[1] + "\n"
		}
	}
	rt.vars = filepath.Join(t.TempDir(), "lab-vars.yml")
	if err := os.WriteFile(rt.vars, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}

	resetNew(t)
	rt.lab = labtest.Require(t) // up.sh wrote new's host keys anew
	t.Cleanup(func() { resetNew(t) })
	return rt
}

var vaultTodo = regexp.MustCompile(`(?m)^(vault_\w+): "TODO: fill in`)

func resetNew(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("bash", filepath.Join(codifyRepoRoot(t), "lab", "up.sh"), "new").CombinedOutput(); err != nil {
		t.Fatalf("lab/up.sh new: %v\n%s", err, codifyTail(out, 30))
	}
}

// play runs site.yml against an inventory, with the operator's variables and
// the roles skipped here left out.
func (rt *roundTrip) play(inventory string, extra ...string) (string, error) {
	args := []string{"-i", inventory, "-u", "root", "--ssh-common-args", "-F " + rt.lab.SSHConfig, "-e", "@" + rt.vars}
	if len(rt.skipped) > 0 {
		args = append(args, "--skip-tags", "thirdparty")
	}
	args = append(append(args, extra...), "site.yml")
	cmd := exec.Command("ansible-playbook", args...)
	cmd.Dir = rt.dir
	cmd.Env = append(os.Environ(), "HOME="+rt.home, "ANSIBLE_HOST_KEY_CHECKING=False", "ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCAL_TEMP="+filepath.Join(rt.home, "tmp"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// applyTwice applies the project to new; the second run must change nothing.
func (rt *roundTrip) applyTwice(t *testing.T) {
	t.Helper()
	out, err := rt.play("inventory/hosts.yml")
	if err != nil {
		t.Fatalf("first run on new: %v\n%s", err, codifyTail([]byte(out), 60))
	}
	out, err = rt.play("inventory/hosts.yml")
	if err != nil {
		t.Fatalf("second run on new: %v\n%s", err, codifyTail([]byte(out), 60))
	}
	if m := codifyRecap.FindStringSubmatch(out); m == nil || m[1] != "0" {
		t.Errorf("second run is not idempotent; changed tasks: %v\n%s", codifyChangedTasks(out), codifyTail([]byte(out), 20))
	}
}

// verifyNew runs trowel verify of new against the source's spec with the
// ledger, as an operator does after the apply: every failure must be one the
// ledger says is still to do or data still to move.
func (rt *roundTrip) verifyNew(t *testing.T, when string) {
	t.Helper()
	bin := trowelBinary(t)
	dir := t.TempDir()
	snapFile, specFile, ledgerFile := filepath.Join(dir, rt.source+".json"), filepath.Join(dir, rt.source+".spec.yaml"), filepath.Join(dir, "ledger.json")
	doc, err := json.Marshal(rt.snap)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(snapFile, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out := runTrowel(t, bin, "spec", snapFile, "-o", specFile); code != 0 {
		t.Fatalf("trowel spec: exit %d\n%s", code, out)
	}
	book := rt.reviewedLedger(t)
	if doc, err = json.Marshal(book); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ledgerFile, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := runTrowel(t, bin, "verify", rt.lab.Hosts["new"].URL("root"), "--against", specFile, "--ledger", ledgerFile,
		"--format", "json", "--identity", rt.lab.KeyFile, "--known-hosts", rt.lab.KnownHosts, "--ssh-config", "none")
	// The JSON result, then what trowel says on standard error (the store).
	var res verify.Result
	if err := json.NewDecoder(strings.NewReader(out[max(strings.IndexByte(out, '{'), 0):])).Decode(&res); err != nil {
		t.Fatalf("trowel verify %s: exit %d, no result: %v\n%s", when, code, err, out)
	}
	if res.Pass == 0 {
		t.Fatalf("verify of new %s passed nothing:\n%s", when, out)
	}
	for _, c := range res.Checks {
		switch {
		case c.Status != verify.Fail:
		case c.Expected != nil:
			t.Logf("%s: %s fails, %s", when, c.ID, c.Expected)
		default:
			t.Errorf("%s: %s fails and the ledger does not say it is still to do:\n  %s\n  fix: %s", when, c.ID, c.Message, c.Fix)
		}
	}
	if res.Unexpected == 0 && code != 0 {
		t.Errorf("%s: nothing failed unexpectedly, yet trowel verify exited %d", when, code)
	}
	t.Logf("verify of new against %s %s: %d passed, %d failed (%d unexpected), %d skipped", rt.source, when, res.Pass, res.Fail, res.Unexpected, res.Skip)
}

// reviewedLedger is the ledger codify wrote, with the entries of the roles
// skipped here marked still to do.
func (rt *roundTrip) reviewedLedger(t *testing.T) ledger.Ledger {
	t.Helper()
	book := rt.proj.Ledger
	book.Entries = slices.Clone(book.Entries)
	for i := range book.Entries {
		e := &book.Entries[i]
		if slices.Contains(rt.skipped, e.Role) {
			e.Disposition, e.Role, e.Task, e.From, e.To, e.Why = ledger.Todo, "", "", "", "", ""
			e.Decide = fmt.Sprintf("Not applied in the lab: it has no way to the vendor's repository (--skip-tags thirdparty). %s", e.Title)
		}
	}
	if p := book.Problems(); len(p) > 0 {
		t.Fatalf("the reviewed ledger: %v", p)
	}
	return book
}

// TestWebappRoundTrip is the round trip of the second source shape: webapp's
// gem-installed fluentd, its Passenger app behind a link, a tarball's MariaDB
// datadir, a timer, cron in another zone. Codified for debian-12, applied twice
// to a fresh new, verified with the ledger; then new is rebooted and verified
// again: what the project set up comes back at boot.
func TestWebappRoundTrip(t *testing.T) {
	lab := labtest.Require(t)
	rt := codifyForNew(t, lab, "webapp", "")
	rt.applyTwice(t)
	rt.verifyNew(t, "after the apply")
	rt.lab.Reboot(t, "new")
	rt.verifyNew(t, "after a reboot")
}
