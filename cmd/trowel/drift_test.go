package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/diff"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/fleet/sshfake"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/storetest"
)

// centos5Evidence is the recorded probe output of internal/store's CentOS 5 host,
// as a live host would have given it: no systemctl (CentOS 5 has none) and no at
// jobs, so that its cron jobs are collected in full.
func centos5Evidence(t *testing.T, hostname string, edit func(a *evidence.Archive)) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../internal/store/testdata/centos5.evidence.gz")
	if err != nil {
		t.Fatal(err)
	}
	out, err := sshfake.ProbeOutput(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, err = sshfake.Edit(out, func(a *evidence.Archive) {
		sshfake.SetFile(a, "/etc/hostname", hostname+"\n")
		sshfake.SetCmd(a, "systemctl-list-timers", evidence.StatusAbsent, 127, "")
		sshfake.SetCmd(a, "atq", evidence.StatusOK, 0, "")
		if edit != nil {
			edit(a)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// editCrontab replaces old with new in the host's /etc/crontab.
func editCrontab(a *evidence.Archive, old, new string) {
	it, _ := a.File("/etc/crontab")
	sshfake.SetFile(a, "/etc/crontab", strings.Replace(string(it.Data), old, new, 1))
}

// The same host surveyed twice with one change in between: trowel diff HOST@1 HOST
// reads both surveys from the store and shows exactly that change.
func TestDriftThroughTheStore(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(store.Env, filepath.Join(dir, "trowel.db"))
	before := filepath.Join(dir, "before.evidence")
	after := filepath.Join(dir, "after.evidence")
	os.WriteFile(before, centos5Evidence(t, "drift1", nil), 0o600)
	os.WriteFile(after, centos5Evidence(t, "drift1", func(a *evidence.Archive) {
		editCrontab(a, "# run-parts\n", "# run-parts\n15 3 * * * root /usr/local/bin/rotate-uploads.sh\n")
		a.Header["epoch"] = "1796700000" // surveyed a day later
	}), 0o600)

	for _, ev := range []string{before, after} {
		if code, out := run(t, "survey", ev); code != cli.ExitOK {
			t.Fatalf("survey %s: exit %d\n%s", ev, code, out)
		}
	}
	out := filepath.Join(dir, "drift.json")
	code, printed := run(t, "diff", "drift1@1", "drift1", "--format", "json", "-o", out)
	if code != cli.ExitFindings {
		t.Fatalf("diff: exit %d, want 1 (differences)\n%s", code, printed)
	}
	if !strings.Contains(printed, "read drift1@1, surveyed") || !strings.Contains(printed, "drift1 is drift1@2, surveyed") {
		t.Errorf("the diff does not say which surveys it read:\n%s", printed)
	}
	var res diff.Result
	doc, _ := os.ReadFile(out)
	if err := json.Unmarshal(doc, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Differences) != 1 {
		t.Fatalf("%d differences, want the one change:\n%s", len(res.Differences), doc)
	}
	d := res.Differences[0]
	if d.Kind != diff.Added || !strings.Contains(d.Item, "15 3 * * * /usr/local/bin/rotate-uploads.sh") {
		t.Errorf("the difference: %+v", d)
	}
	for _, g := range res.NotCompared {
		if strings.Contains(strings.Join(g.Undecided, " "), "rotate-uploads") {
			t.Errorf("the change is left undecided by %+v", g)
		}
	}

	// The same host to itself: no drift.
	if code, printed := run(t, "diff", "drift1@2", "drift1", "-o", filepath.Join(dir, "none.md")); code != cli.ExitOK {
		t.Errorf("a survey against itself: exit %d\n%s", code, printed)
	}
}

// verify against a stored host records the survey it made and its result, tied
// to that survey; what is written from stored snapshots is audited; trowel log
// says who did what.
func TestVerifyAndExportsAreAudited(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "trowel.db")
	t.Setenv(store.Env, db)
	old := filepath.Join(dir, "old.evidence")
	new := filepath.Join(dir, "new.evidence")
	os.WriteFile(old, centos5Evidence(t, "old1", nil), 0o600)
	os.WriteFile(new, centos5Evidence(t, "new1", func(a *evidence.Archive) {
		editCrontab(a, "30 2 * * * root /usr/local/bin/dump-db.sh > /dev/null 2>&1\n", "")
	}), 0o600)
	if code, out := run(t, "survey", old, "--format", "json"); code != cli.ExitOK {
		t.Fatalf("survey: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"spec", "old1", "-o", filepath.Join(dir, "old1.spec.yaml")},
		{"report", "old1@1", "--format", "html", "-o", filepath.Join(dir, "old1.html")},
		{"codify", "old1", "--target", "debian-12", "-o", filepath.Join(dir, "ansible")},
	} {
		if code, out := run(t, args...); code != cli.ExitOK {
			t.Fatalf("%q: exit %d\n%s", args, code, out)
		}
	}
	spec, _ := os.ReadFile(filepath.Join(dir, "old1.spec.yaml"))
	if !strings.Contains(string(spec), "snapshot: old1@1") {
		t.Errorf("the spec does not name the stored survey it came from:\n%.400s", spec)
	}
	code, out := run(t, "verify", new, "--against", "old1", "--no-ask", "--format", "tap")
	if code != cli.ExitFindings || !strings.Contains(out, "recorded as new1@1") {
		t.Fatalf("verify: exit %d, want 1\n%s", code, out)
	}

	ctx := context.Background()
	s := storetest.Open(t, db)
	runs, err := s.Verifications(ctx, "new1", 0)
	if err != nil || len(runs) != 1 || runs[0].Survey != 1 || runs[0].Against != "old1@1" || runs[0].Failed == 0 || runs[0].Target != new {
		t.Fatalf("verifications: %+v %v", runs, err)
	}
	res, err := s.VerificationResult(ctx, runs[0])
	if err != nil || len(res.Checks) != runs[0].Passed+runs[0].Failed+runs[0].Skipped {
		t.Errorf("checks: %d, %v", len(res.Checks), err)
	}
	var actions []string
	log, _ := s.AuditLog(ctx, store.AuditFilter{})
	for _, e := range log {
		actions = append(actions, e.Action+" "+e.Host+"@"+strconv.Itoa(e.Survey))
	}
	if got, want := strings.Join(actions, ", "), "verify new1@1, survey new1@1, codify old1@1, report old1@1, spec old1@1, survey old1@1"; got != want {
		t.Errorf("audit trail: %s, want %s", got, want)
	}
	if code, out := run(t, "log", "old1"); code != cli.ExitOK || !strings.Contains(out, "wrote "+filepath.Join(dir, "old1.html")+" (html, en)") {
		t.Errorf("log old1: exit %d\n%s", code, out)
	}
}
