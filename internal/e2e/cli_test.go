package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/trowel-dev/trowel/internal/cli"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// trowelBinary builds cmd/trowel once per test run: the command line, its flags
// and its exit codes are tested as a user meets them.
func trowelBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "trowel-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "trowel")
		buildOut, buildErr = exec.Command("go", "build", "-o", builtBin, "../../cmd/trowel").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

// runTrowel runs the binary and returns its exit code and everything it printed.
func runTrowel(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, _ := cmd.CombinedOutput()
	return cmd.ProcessState.ExitCode(), string(out)
}

func TestVerifyExitCodes(t *testing.T) {
	bin := trowelBinary(t)
	legacy := "../spec/testdata/legacy.json"
	run := func(t *testing.T, args ...string) (int, string) { return runTrowel(t, bin, args...) }
	dir := t.TempDir()
	specFile := filepath.Join(dir, "legacy.spec.yaml")
	if code, out := run(t, "spec", legacy, "-o", specFile); code != 0 {
		t.Fatalf("spec: %d %s", code, out)
	}
	// Legacy against its own spec: everything passes (exit 0).
	if code, out := run(t, "verify", legacy, "--against", specFile, "--format", "tap"); code != cli.ExitOK {
		t.Errorf("legacy against itself: exit %d\n%s", code, out)
	}
	// With one expectation legacy misses, it fails, and says which (exit 1).
	doc, _ := os.ReadFile(specFile)
	edited := filepath.Join(dir, "edited.yaml")
	extra := "  - id: user:nobody-here\n    kind: user\n    name: nobody-here\n    from:\n      host: legacy\n      source: cli_test.go\n"
	if err := os.WriteFile(edited, append(doc, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run(t, "verify", legacy, "--against", edited); code != cli.ExitFindings || !strings.Contains(out, "user nobody-here does not exist") {
		t.Errorf("one failure: exit %d\n%s", code, out)
	}
	// The check cannot run: no such spec, a broken spec, an unknown format (exit 2).
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("trowel_spec: 1\nexpectations:\n- {id: x, kind: bogus, from: {host: a}}\n"), 0o644)
	for _, args := range [][]string{
		{"verify", legacy, "--against", filepath.Join(dir, "none.yaml")},
		{"verify", legacy, "--against", filepath.Join(dir, "broken.yaml")},
		{"verify", legacy, "--against", specFile, "--format", "xml"},
		{"verify", filepath.Join(dir, "none.json"), "--against", specFile, "--connect-timeout", "1s"},
	} {
		if code, out := run(t, args...); code != cli.ExitError {
			t.Errorf("%q: exit %d, want 2\n%s", args, code, out)
		}
	}
}
