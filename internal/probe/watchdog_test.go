//go:build linux

package probe

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// killWatchdog is a plan step that kills the shared watchdog, as something on the
// host might: of the main shell's two children, the one that is not the plan (the
// ticker's parent). It waits until the watchdog has started and the main shell has
// closed its own copy of the pipe the watchdog reads, which it holds for an instant
// while it starts the pipeline: a kill before that leaves a reader of the pipe
// behind, and the probe's next "arm" would go to no one, which is not the case
// this test is about (the watchdog dying mid-probe).
var killWatchdog = `read -r s </proc/$_tkp/stat; set -- ${s##*) }; b=$2
w=
while [ -z "$w" ]; do
	for f in /proc/[0-9]*/stat; do
		read -r s 2>/dev/null <$f || continue
		set -- ${s##*) }; p=${f#/proc/}; p=${p%/stat}
		if [ "$2" = $$ ] && [ "$p" != "$b" ]; then w=$p; fi
	done
done
r=$(readlink /proc/$w/fd/0)
while ls -l /proc/$$/fd | grep -qF "$r"; do sleep 0.05; done
kill -KILL $w
` + untilDead("$w")

// untilDead is shell that waits until process PID has died (gone, or a zombie): kill
// returns before the signal is delivered, and a watchdog or ticker still alive an
// instant later takes the next command's "arm", which is not the case the tests
// below are about (one dead before the command starts).
func untilDead(pid string) string {
	return `while read -r s 2>/dev/null </proc/` + pid + `/stat; do set -- ${s##*) }; [ "$1" = Z ] && break; sleep 0.01; done; true`
}

// A command that ends before its timeout leaves no process behind: each would be a
// process of the survey's own that the next survey would see. Quick commands under
// the shared watchdog, then, with the watchdog killed, under a watchdog each of their
// own, whose race (told to stop just as it starts its sleep) is narrow: many of them,
// under every shell.
func TestWatchdogLeavesNoSleep(t *testing.T) {
	quick := func() (plan []Step) {
		for range 20 {
			plan = append(plan, Step{Kind: Cmd, Name: "quick", Shell: "true", Limit: 10, Timeout: 47})
		}
		return plan
	}
	plan := quick()
	plan = append(plan, Step{Kind: Cmd, Name: "kill-watchdog", Shell: killWatchdog, Limit: 100, Timeout: 10})
	plan = append(plan, quick()...)
	script := Render(plan)
	for _, sh := range shells {
		if sh[0] == "yash" {
			// yash still leaves some (a watchdog of its own dies without running the
			// trap's kill); it is no server's /bin/sh, and is here for its strictness.
			continue
		}
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			left := leftBehind(t, 300*time.Millisecond, func() {
				a := runProbe(t, sh, script)
				if it, _ := a.Cmd("quick"); !it.OK() || it.RC != 0 {
					t.Errorf("quick = %+v", it)
				}
			})
			if len(left) > 0 {
				t.Errorf("processes outlived the probe: %v", left)
			}
		})
	}
}

// Each command has its own time under the one watchdog: a hung command is ended at its
// timeout with its output so far, and the next runs; a command slower than another's
// timeout but within its own is not cut. A program the command started that no walk
// of its process tree finds (its parent gone: here at once, on a busy host when the
// parent forks it as the tree is read) is ended with it, or it would hold the output.
func TestWatchdogEndsEachCommandAtItsOwnTimeout(t *testing.T) {
	plan := []Step{
		{Kind: Cmd, Name: "hang1", Shell: "sleep 60", Limit: 100, Timeout: 1},
		{Kind: Cmd, Name: "next", Shell: "echo next", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "hang3", Shell: "echo before; sleep 60; echo after", Limit: 100, Timeout: 3},
		{Kind: Cmd, Name: "slow", Shell: "sleep 2; echo slow", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "filtered", Shell: "echo password=S3CRET; exec sleep 60", Limit: 100, Timeout: 1, Redact: true},
		{Kind: Cmd, Name: "orphan", Shell: "echo o; (sleep 60 &); sleep 60", Limit: 100, Timeout: 1},
		{Kind: Cmd, Name: "last", Shell: "echo last", Limit: 100, Timeout: 10},
	}
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a := runProbe(t, sh, script)
			for _, c := range []struct {
				name     string
				status   evidence.Status
				text     string
				min, max float64
			}{
				{"hang1", evidence.StatusTimeout, "", 1, 4},
				{"next", evidence.StatusOK, "next\n", 0, 2},
				{"hang3", evidence.StatusTimeout, "before\n", 3, 6},
				{"slow", evidence.StatusOK, "slow\n", 2, 4.5},
				{"filtered", evidence.StatusTimeout, "password=<redacted>\n", 1, 4},
				{"orphan", evidence.StatusTimeout, "o\n", 1, 4},
				{"last", evidence.StatusOK, "last\n", 0, 2},
			} {
				it, ok := a.Cmd(c.name)
				if !ok || it.Status != c.status || it.Text() != c.text {
					t.Errorf("%s: status %s text %q, want %s %q", c.name, it.Status, it.Text(), c.status, c.text)
				}
				if d := it.Duration(); d < c.min || d > c.max {
					t.Errorf("%s took %.2fs, want %g to %g", c.name, d, c.min, c.max)
				}
			}
		})
	}
}

// Something on the host may kill the watchdog or its ticker: the commands after it
// still end at their timeout, under a watchdog of their own, and the probe goes on.
func TestWatchdogKilledProbeGoesOn(t *testing.T) {
	for _, kill := range []struct{ name, shell string }{
		{"watchdog", killWatchdog},
		{"ticker", "kill -KILL $_tkp; " + untilDead("$_tkp")},
	} {
		plan := []Step{
			{Kind: Cmd, Name: "kill", Shell: kill.shell, Limit: 100, Timeout: 10},
			{Kind: Cmd, Name: "hang", Shell: "sleep 60", Limit: 100, Timeout: 1},
			{Kind: Cmd, Name: "hang-compound", Shell: "echo before; sleep 60", Limit: 100, Timeout: 1},
			{Kind: Cmd, Name: "hang-orphan", Shell: "(sleep 60 &); sleep 60", Limit: 100, Timeout: 1},
			{Kind: Cmd, Name: "next", Shell: "echo next", Limit: 100, Timeout: 10},
		}
		script := Render(plan)
		for _, sh := range shells {
			t.Run(kill.name+"/"+strings.Join(sh, " "), func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				a := runProbe(t, sh, script)
				if el := time.Since(start); el > 15*time.Second {
					t.Errorf("probe took %v", el)
				}
				expectStatus(t, a, "cmd:kill", evidence.StatusOK)
				expectStatus(t, a, "cmd:hang", evidence.StatusTimeout)
				expectStatus(t, a, "cmd:hang-compound", evidence.StatusTimeout)
				expectStatus(t, a, "cmd:hang-orphan", evidence.StatusTimeout)
				if it, _ := a.Cmd("hang-compound"); it.Text() != "before\n" {
					t.Errorf("output before the hang was lost: %q", it.Text())
				}
				if it, _ := a.Cmd("next"); it.Text() != "next\n" {
					t.Errorf("next = %+v", it)
				}
			})
		}
	}
}

// A probe killed mid-command (its SSH session gone) leaves nothing running: the
// ticker finds its parent gone, and the watchdog kills the command and ends.
func TestWatchdogOutlivesNotItsProbe(t *testing.T) {
	// The command kills the plan, the ticker's parent, then hangs. In the second, it
	// has first started a program outside its own process tree, which no tree walk
	// finds (as a command the plan had not yet armed when it died is known to no
	// one): the programs the plan started carry its mark, and the watchdog ends them.
	// It lets the plan arm the watchdog first (the case "armed" is about): a command
	// that kills its plan in the instant before is found only by the mark.
	killPlan := `sleep 0.3; read -r s </proc/$_tkp/stat; set -- ${s##*) }; kill -KILL $2; exec sleep 60`
	for _, c := range []struct{ name, shell string }{
		{"armed", killPlan},
		{"outside its tree", "(sleep 61 </dev/null >/dev/null 2>&1 &); " + killPlan},
	} {
		script := Render([]Step{
			{Kind: Cmd, Name: "kill-plan", Shell: c.shell, Limit: 100, Timeout: 30},
			{Kind: Cmd, Name: "never", Shell: "echo never", Limit: 100, Timeout: 10},
		})
		watchdogOutlivesNotItsProbe(t, c.name, script)
	}
}

func watchdogOutlivesNotItsProbe(t *testing.T, name string, script []byte) {
	for _, sh := range shells {
		if _, err := exec.LookPath(sh[0]); err != nil {
			continue
		}
		t.Run(name+"/"+strings.Join(sh, " "), func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "probe.sh")
			mustWrite(t, file, script)
			start := time.Now()
			var out []byte
			left := leftBehind(t, 500*time.Millisecond, func() {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, sh[0], append(sh[1:], file)...)
				// Something left holding the output must fail the test, not hang it.
				cmd.WaitDelay = 5 * time.Second
				out, _ = cmd.Output()
			})
			if el := time.Since(start); el > 10*time.Second {
				t.Errorf("the probe took %v to end", el)
			}
			if len(left) > 0 {
				t.Errorf("processes outlived the probe: %v", left)
			}
			if bytes.Contains(out, []byte("never")) {
				t.Errorf("the plan went on after it was killed")
			}
		})
	}
}

// leftBehind runs f with the test as the child subreaper, so that whatever f's
// processes leave running is re-parented to it, and lists those still running after
// grace (killing them); the others are reaped.
func leftBehind(t *testing.T, grace time.Duration, f func()) []string {
	t.Helper()
	const prSetChildSubreaper = 36
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		t.Skipf("cannot become a subreaper: %v", e)
	}
	defer syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 0, 0) //nolint:errcheck
	f()
	time.Sleep(grace)
	me := strconv.Itoa(os.Getpid())
	var left []string
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, s := range stats {
		b, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 2 || fields[1] != me {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(s)))
		if fields[0] != "Z" {
			args, _ := os.ReadFile(filepath.Join(filepath.Dir(s), "cmdline"))
			left = append(left, strconv.Itoa(pid)+" "+strings.TrimSpace(string(bytes.ReplaceAll(args, []byte{0}, []byte{' '}))))
			_ = syscall.Kill(pid, syscall.SIGKILL)
			time.Sleep(10 * time.Millisecond)
		}
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
	}
	return left
}

// Under a watchdog of their own (the shared one gone), commands that end in their
// time sweep no environment for what they started, as under the shared watchdog: a
// grep over every process's environment after each command was a cost of its own on
// a busy host, and only a command that ran out its time has programs to end.
func TestOwnWatchdogSweepsOnlyAfterATimeout(t *testing.T) {
	plan := []Step{
		{Kind: Cmd, Name: "kill", Shell: "kill -KILL $_tkp; " + untilDead("$_tkp"), Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "a", Shell: "echo a", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "b", Shell: "echo b; true", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "c", Shell: "echo c", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "d", Shell: "echo d", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "e", Shell: "echo e", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "hang", Shell: "(sleep 60 &); sleep 60", Limit: 100, Timeout: 1},
	}
	bin := t.TempDir()
	shim(t, bin, "grep", "")
	a := runProbe(t, []string{"dash"}, Render(plan), "PATH="+bin+":"+os.Getenv("PATH"))
	expectStatus(t, a, "cmd:a", evidence.StatusOK)
	expectStatus(t, a, "cmd:b", evidence.StatusOK)
	expectStatus(t, a, "cmd:hang", evidence.StatusTimeout)
	var sweeps []string
	for _, l := range logged(t, bin, "grep") {
		if strings.Contains(l, "TROWEL_PROBE_RUN=") {
			sweeps = append(sweeps, l)
		}
	}
	// The hang's: its own watchdog's TERM and KILL, and its waiting shell's.
	if len(sweeps) == 0 || len(sweeps) > 3 {
		t.Errorf("%d sweeps of the environments, want the timed-out command's (1 to 3): %q", len(sweeps), sweeps)
	}
}
