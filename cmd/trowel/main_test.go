package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/store/pgtest"
	"github.com/trowel-dev/trowel/internal/store/storetest"
)

// runAsTrowel, set in a test binary's environment, makes it trowel itself: the
// tests start real trowel processes (a worker to kill) from their own binary.
const runAsTrowel = "TROWEL_TEST_RUN_AS_TROWEL"

// Every command these tests run records in a store of the tests' own.
func TestMain(m *testing.M) {
	if os.Getenv(runAsTrowel) == "1" {
		main()
		return
	}
	storetest.Main(m, pgtest.StopShared)
}

// run runs trowel in-process as main does, and returns its exit code and everything
// it printed.
func run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	code := cli.Report(&out, cmd.ExecuteContext(context.Background()))
	return code, out.String()
}

// smallRoot is the root of a disk with just enough on it to survey.
func smallRoot(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "root")
	for name, content := range map[string]string{
		"etc/os-release": "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
		"etc/hostname":   "small\n",
		"etc/passwd":     "root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000:Ops:/home/ops:/bin/bash\n",
		"etc/group":      "root:x:0:\nops:x:1000:\n",
		"etc/crontab":    "SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n",
		"etc/timezone":   "Asia/Tokyo\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A survey whose evidence was cut short writes what arrived and exits 2, as README
// promises; the same evidence whole exits 0.
func TestSurveyOfCutEvidenceExits2(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "small.evidence")
	if code, out := run(t, "survey", smallRoot(t), "--keep-evidence", whole, "-o", filepath.Join(dir, "small.json")); code != cli.ExitOK {
		t.Fatalf("survey of the root: exit %d\n%s", code, out)
	}
	if code, out := run(t, "survey", whole, "-o", filepath.Join(dir, "again.json")); code != cli.ExitOK {
		t.Errorf("survey of the whole evidence: exit %d\n%s", code, out)
	}
	raw, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.evidence")
	if err := os.WriteFile(cut, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	written := filepath.Join(dir, "cut.json")
	code, out := run(t, "survey", cut, "-o", written)
	if code != cli.ExitError || !strings.Contains(out, "collection stopped early: the evidence stream ends before its end marker") {
		t.Errorf("survey of cut evidence: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(written); err != nil {
		t.Errorf("what arrived must still be written: %v", err)
	}
	// verify says the same of a target whose survey stopped early.
	code, out = run(t, "verify", cut, "--against", filepath.Join(dir, "small.json"), "--no-ask")
	if code == cli.ExitOK {
		t.Errorf("verify of cut evidence: exit 0\n%s", out)
	}
}

// Every command reads a snapshot the same way, and says the same of a bad one.
func TestEveryCommandReadsSnapshotsAlike(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	good := filepath.Join(dir, "small.json")
	if code, out := run(t, "survey", smallRoot(t), "-o", good); code != cli.ExitOK {
		t.Fatalf("survey: exit %d\n%s", code, out)
	}
	doc, _ := os.ReadFile(good)
	wrong := filepath.Join(dir, "wrong.json")
	os.WriteFile(wrong, bytes.Replace(doc, []byte(`"schema_version": 1`), []byte(`"schema_version": 7`), 1), 0o644)
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"report", "%s", "-o", out},
		{"spec", "%s", "-o", out},
		{"verify", "%s", "--against", good, "--no-ask"},
		{"verify", good, "--against", "%s", "--no-ask"},
		{"diff", "%s", good, "-o", out},
		{"diff", good, "%s", "-o", out},
		{"codify", "%s", "--target", "debian-12", "-o", filepath.Join(dir, "project")},
	} {
		for arg, want := range map[string]string{
			good:           "",
			"missing.json": "trowel: cannot read missing.json: no such file or directory|trowel: missing.json: no such file or directory",
			wrong:          "wrong.json is a snapshot of schema version 7, newer than this trowel's version 1",
		} {
			a := make([]string, len(args))
			for i, s := range args {
				a[i] = strings.ReplaceAll(s, "%s", arg)
			}
			code, printed := run(t, a...)
			if want == "" {
				if code == cli.ExitError {
					t.Errorf("%q: exit %d\n%s", a, code, printed)
				}
				continue
			}
			if code != cli.ExitError || !containsOne(printed, want) {
				t.Errorf("%q: exit %d, want 2 saying %q\n%s", a, code, want, printed)
			}
		}
	}
	if code, printed := run(t, "survey", good); code != cli.ExitError || !strings.Contains(printed, "holds JSON, as a snapshot does, not evidence") {
		t.Errorf("survey of a snapshot: exit %d\n%s", code, printed)
	}
}

func containsOne(s, alternatives string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}
