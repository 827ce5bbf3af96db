package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/labtest"
)

// portSpec expects something listening on tcp/PORT on all addresses.
func portSpec(t *testing.T, port string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "cutover.spec.yaml")
	doc := `trowel_spec: 1
source:
  host: legacy
  collected_at: 2026-11-21T00:00:00Z
expectations:
  - id: port:tcp/` + port + `
    kind: port
    proto: tcp
    address: '*'
    port: ` + port + `
    from:
      host: legacy
      source: watch_test.go
`
	if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// lockedBuffer is the standard error of a verify running in the background, read
// while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestVerifyWatchUntilPass is a cutover in miniature: verify --watch runs against
// new while the port the spec expects is still closed; the service comes up
// during the watch, and verify sees it, says so and exits 0. A second watch whose
// port never opens gives up at its deadline, exit 1, with the last round's
// failure.
func TestVerifyWatchUntilPass(t *testing.T) {
	lab := labtest.Require(t)
	bin := trowelBinary(t)
	const port = "8099"
	server := "python3 -m http.server " + port
	lab.SSH(t, "new", "root", "pkill -f '"+server+"' || true")
	t.Cleanup(func() { lab.SSH(t, "new", "root", "pkill -f '"+server+"' || true") })
	sshArgs := []string{"--ssh-config", "none", "--known-hosts", lab.KnownHosts, "--identity", lab.KeyFile}

	cmd := exec.Command(bin, append([]string{"verify", lab.Hosts["new"].URL("root"), "--against", portSpec(t, port),
		"--watch", "1s", "--deadline", "2m"}, sshArgs...)...)
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Wait for a failing round before the service comes up.
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stderr.String(), "round 1"); {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no first round within a minute:\n%s", stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := lab.SSH(t, "new", "root", "setsid sh -c 'cd /tmp && exec "+server+"' >/dev/null 2>&1 </dev/null &"); err != nil {
		t.Fatalf("starting the service on new: %v", err)
	}
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("verify --watch did not end:\n%s", stderr.String())
	}
	log := stderr.String()
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d once the port opened\n%s\n%s", code, log, stdout.String())
	}
	if !strings.Contains(log, "round 1] new: 0 passed, 1 failed") || !strings.Contains(log, "✗ port:tcp/"+port+": nothing listens") {
		t.Errorf("the first round's failure is not shown:\n%s", log)
	}
	if !strings.Contains(log, "all 1 expectations pass after") || !strings.Contains(stdout.String(), "1 passed, 0 failed") {
		t.Errorf("the passing round is not said:\n%s\n%s", log, stdout.String())
	}

	t.Run("deadline", func(t *testing.T) {
		// Room for two rounds at 1 s intervals, whatever a survey of new takes
		// on this machine now, with the deadline in the pause after the second.
		start := time.Now()
		if code, out := runTrowel(t, bin, append([]string{"survey", lab.Hosts["new"].URL("root"), "-o", os.DevNull}, sshArgs...)...); code != 0 {
			t.Fatalf("survey new: exit %d\n%s", code, out)
		}
		deadline := (2*time.Since(start) + 1500*time.Millisecond).Round(time.Second)
		code, out := runTrowel(t, bin, append([]string{"verify", lab.Hosts["new"].URL("root"), "--against", portSpec(t, "8098"),
			"--watch", "1s", "--deadline", deadline.String()}, sshArgs...)...)
		if code != cli.ExitFindings || !strings.Contains(out, "deadline reached after") || !strings.Contains(out, "nothing listens on tcp/8098") {
			t.Errorf("exit %d\n%s", code, out)
		}
		if rounds := strings.Count(out, "round "); rounds < 2 {
			t.Errorf("%d rounds in %s at 1 s intervals:\n%s", rounds, deadline, out)
		}
	})
}
