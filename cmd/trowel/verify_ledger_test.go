package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/ledger"
)

// verify --ledger reads the ledger codify wrote: a failure of what the ledger
// says is still to do is expected and does not fail the run, one of what it says
// was carried is unexpected and does; without the ledger both fail, and a file
// that is no ledger stops the check.
func TestVerifyWithTheLedger(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.evidence")
	os.WriteFile(old, centos5Evidence(t, "old1", nil), 0o600)
	snap := filepath.Join(dir, "old1.json")
	if code, out := run(t, "survey", old, "-o", snap); code != cli.ExitOK {
		t.Fatalf("survey: exit %d\n%s", code, out)
	}
	project := filepath.Join(dir, "project")
	if code, out := run(t, "codify", snap, "--target", "almalinux-9", "-o", project); code != cli.ExitOK {
		t.Fatalf("codify: exit %d\n%s", code, out)
	}
	// The dump job runs a script of the site's own: a person has left it to
	// decide, as a reviewer may mark any row of the ledger.
	const dump, daily = "cron:/etc/crontab:9", "cron:/etc/crontab:8"
	doc, err := os.ReadFile(filepath.Join(project, "ledger.json"))
	if err != nil {
		t.Fatal(err)
	}
	book, err := ledger.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{dump, daily} {
		if e, ok := book.Entry(id); !ok || e.Disposition != ledger.Carried || len(e.Checks) == 0 {
			t.Fatalf("the ledger's %s: %+v, want carried and checked", id, e)
		}
	}
	for i := range book.Entries {
		if e := &book.Entries[i]; e.ID == dump {
			e.Disposition, e.Role, e.Task, e.Decide = ledger.Todo, "", "", "Decide whether the nightly dump still runs here."
		}
	}
	marked, _ := json.Marshal(book)
	ledgerAt := filepath.Join(dir, "ledger.json")
	os.WriteFile(ledgerAt, marked, 0o600)

	lacksDump := filepath.Join(dir, "lacks-dump.evidence")
	os.WriteFile(lacksDump, centos5Evidence(t, "new1", func(a *evidence.Archive) {
		editCrontab(a, "30 2 * * * root /usr/local/bin/dump-db.sh > /dev/null 2>&1\n", "")
	}), 0o600)
	lacksBoth := filepath.Join(dir, "lacks-both.evidence")
	os.WriteFile(lacksBoth, centos5Evidence(t, "new2", func(a *evidence.Archive) {
		editCrontab(a, "30 2 * * * root /usr/local/bin/dump-db.sh > /dev/null 2>&1\n", "")
		editCrontab(a, "02 4 * * * root run-parts /etc/cron.daily\n", "# moved to anacron\n")
	}), 0o600)

	for _, c := range []struct {
		name, target, ledger string
		code                 int
		says, not            []string
	}{
		{"without the ledger every failure fails", lacksDump, "", cli.ExitFindings,
			[]string{"1 of ", "expectations failed on", "FAILED\n  ✗ " + dump}, []string{"expected:"}},
		{"what is still to do is expected", lacksDump, ledgerAt, cli.ExitOK,
			[]string{"0 unexpected, 1 expected", "expected: still to do (ledger item " + dump + ")"}, []string{"UNEXPECTED"}},
		{"what was carried is not", lacksBoth, ledgerAt, cli.ExitFindings,
			[]string{"1 unexpected, 1 expected", "UNEXPECTED\n  ✗ " + daily, "unexpected: the ledger does not list it as still to do",
				"expected: still to do (ledger item " + dump + ")", "expectations failed unexpectedly on", "(1 more are still to do by the ledger)"}, nil},
		{"the ledger as codify wrote it expects nothing to fail", lacksDump, filepath.Join(project, "ledger.json"), cli.ExitFindings,
			[]string{"1 unexpected, 0 expected", "UNEXPECTED\n  ✗ " + dump}, nil},
		{"a file that is no ledger stops the check", lacksDump, snap, cli.ExitError,
			[]string{"is not a migration ledger"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"verify", c.target, "--against", snap, "--no-ask"}
			if c.ledger != "" {
				args = append(args, "--ledger", c.ledger)
			}
			code, out := run(t, args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s", code, c.code, out)
			}
			for _, w := range c.says {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q\n%s", w, out)
				}
			}
			for _, w := range c.not {
				if strings.Contains(out, w) {
					t.Errorf("output has %q\n%s", w, out)
				}
			}
		})
	}
	// TAP marks the expected failure TODO, so a TAP consumer passes the run too.
	if code, out := run(t, "verify", lacksDump, "--against", snap, "--no-ask", "--ledger", ledgerAt, "--format", "tap"); code != cli.ExitOK ||
		!strings.Contains(out, "- "+dump+" # TODO expected: still to do") {
		t.Errorf("tap: exit %d\n%s", code, out)
	}
}
