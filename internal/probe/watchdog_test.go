package probe

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A command that ends before its timeout leaves no watchdog sleep behind: each is
// a process of the survey's own that the next survey would see. The race it guards
// (the watchdog told to stop just as it starts its sleep) is narrow, so the plan
// runs many short commands under every shell, with a timeout no other test uses.
func TestWatchdogLeavesNoSleep(t *testing.T) {
	const timeout = 47
	var plan []Step
	for range 60 {
		plan = append(plan, Step{Kind: Cmd, Name: "quick", Shell: "true", Limit: 10, Timeout: timeout})
	}
	script := Render(plan)
	for _, sh := range shells {
		if sh[0] == "yash" {
			// yash still leaves some (its watchdog dies without running the trap's
			// kill); it is no server's /bin/sh, and is here for its strictness.
			continue
		}
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			runProbe(t, sh, script)
		})
	}
	time.Sleep(200 * time.Millisecond)
	if left := sleepsOf(t, timeout); len(left) > 0 {
		t.Errorf("%d watchdog sleeps outlived the probe: pids %v", len(left), left)
	}
}

// sleepsOf lists the processes running "sleep N".
func sleepsOf(t *testing.T, n int) []string {
	t.Helper()
	want := []byte("sleep\x00" + strconv.Itoa(n) + "\x00")
	dirs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err == nil && bytes.Equal(b, want) {
			pids = append(pids, filepath.Base(filepath.Dir(d)))
		}
	}
	return pids
}
