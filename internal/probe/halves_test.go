package probe

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// The halves run at once, each in a shell of its own: no step may lean on what a
// step of the other half leaves behind. A command runs in a subshell, so what it
// leaves is its _ok_ variable alone (TestCommandsLeaveNoState): a fallback (Unless)
// and anything naming an _ok_ variable stays with the step it names, after it. And
// no two steps of different halves may write the same item: of two items of one
// name the later wins, and the halves' items come in no set order.
func TestHalvesKeepDependenciesTogether(t *testing.T) {
	at := SplitAt(Plan)
	if at <= 0 || at >= len(Plan) {
		t.Fatalf("SplitDomain %q does not split the plan", SplitDomain)
	}
	if msg := splitProblems(Plan, at); len(msg) > 0 {
		t.Error(strings.Join(msg, "\n"))
	}
	// The check itself finds what it must.
	bad := []Step{
		{Kind: Cmd, Name: "ss", Domain: "a"},
		{Kind: File, Path: "/etc/x.conf", Domain: "a"},
		{Kind: List, Path: "/etc/x", Domain: "a"},
		{Kind: File, Path: "/home/u/.ssh/authorized_keys", Domain: "a"},
		{Kind: Cmd, Name: "netstat", Unless: "ss", Domain: "b"},
		{Kind: Cmd, Name: "other", Shell: `[ "${_ok_ss:-}" = 1 ] && echo`, Domain: "b"},
		{Kind: Glob, Path: "/etc/*.conf", Redact: true, Domain: "b"},
		{Kind: ListGlob, Path: "/etc/[xy]", Limit: 10, Domain: "b"},
		{Kind: HomeFile, Path: ".ssh/authorized_keys", Domain: "b"},
		{Kind: Cmd, Name: "ss", Domain: "b"},
	}
	if got := len(splitProblems(bad, 4)); got != 6 {
		t.Errorf("the check found %d problems in a bad split, want 6: %v", got, splitProblems(bad, 4))
	}
}

var okVar = regexp.MustCompile(`_ok_[A-Za-z0-9_]+`)

func splitProblems(plan []Step, at int) []string {
	var msg []string
	half := func(i int) int {
		if i < at {
			return 1
		}
		return 2
	}
	cmdAt := map[string]int{}
	for i, st := range plan {
		if st.Kind == Cmd {
			if _, ok := cmdAt[varName(st.Name)]; !ok {
				cmdAt[varName(st.Name)] = i
			}
		}
	}
	for i, st := range plan {
		names := okVar.FindAllString(st.Shell+" "+st.When, -1)
		if st.Unless != "" {
			names = append(names, "_ok_"+varName(st.Unless))
		}
		for _, v := range names {
			j, ok := cmdAt[strings.TrimPrefix(v, "_ok_")]
			if ok && (half(j) != half(i) || j > i) {
				msg = append(msg, fmt.Sprintf("%s (half %d) reads %s of a step in half %d", stepName(st), half(i), v, half(j)))
			}
		}
	}
	for i := range plan[:at] {
		for j := at; j < len(plan); j++ {
			if mayWriteSame(plan[i], plan[j]) {
				msg = append(msg, fmt.Sprintf("%s (half 1) and %s (half 2) may write the same item", stepName(plan[i]), stepName(plan[j])))
			}
		}
	}
	return msg
}

func stepName(st Step) string {
	if st.Kind == Cmd {
		return "cmd " + st.Name
	}
	return st.Path
}

// mayWriteSame reports whether two steps may write an item of the same kind and name,
// erring towards yes: two patterns overlap when their directories could.
func mayWriteSame(a, b Step) bool {
	kind := func(st Step) string {
		switch st.Kind {
		case Cmd:
			return itemCmd
		case List, ListGlob:
			return itemList
		}
		return itemFile
	}
	if kind(a) != kind(b) {
		return false
	}
	if a.Kind == Cmd {
		return a.Name == b.Name
	}
	if sameReading(a, b) {
		return false
	}
	for _, p := range patterns(a) {
		for _, q := range patterns(b) {
			if overlap(p, q) {
				return true
			}
		}
	}
	return false
}

// sameReading reports whether two steps that read the same file or directory write
// the same item (a glob only a regular file's, as the file step then does).
func sameReading(a, b Step) bool {
	files := func(st Step) bool { return (st.Kind == File || st.Kind == Glob) && !st.Argv0 }
	lists := func(st Step) bool { return st.Kind == List || st.Kind == ListGlob }
	switch {
	case files(a) && files(b):
		return a.Limit == b.Limit && redMode(a) == redMode(b)
	case lists(a) && lists(b):
		return listLimit(a) == listLimit(b)
	}
	return false
}

// patterns are the paths a step may read, as patterns: a home's file is below any
// directory.
func patterns(st Step) []string {
	switch {
	case st.Kind == HomeFile:
		return []string{"*/" + strings.TrimPrefix(st.Path, "/")}
	case st.Path == SudoersIncludes:
		// As DomainOf takes them: the files below /etc that sudoers includes,
		// which /etc/sudoers.d is by convention.
		return []string{"/etc/sudoers*", "/etc/sudoers*/*"}
	}
	return strings.Fields(st.Path)
}

func overlap(p, q string) bool {
	if m, _ := path.Match(p, q); m {
		return true
	}
	if m, _ := path.Match(q, p); m {
		return true
	}
	// A leading * stands for any directories.
	for _, x := range [][2]string{{p, q}, {q, p}} {
		if rest, ok := strings.CutPrefix(x[0], "*/"); ok && strings.HasSuffix(x[1], "/"+rest) {
			return true
		}
	}
	if strings.ContainsAny(p+q, "*?[") && !strings.HasPrefix(p, "*/") && !strings.HasPrefix(q, "*/") {
		dp, dq := path.Dir(p), path.Dir(q)
		bp, bq := path.Base(p), path.Base(q)
		dirs := dp == dq || matchEither(dp, dq)
		bases := bp == bq || matchEither(bp, bq) || strings.ContainsAny(bp, "*?[") && strings.ContainsAny(bq, "*?[")
		return dirs && bases
	}
	return false
}

func matchEither(a, b string) bool {
	m1, _ := path.Match(a, b)
	m2, _ := path.Match(b, a)
	return m1 || m2
}

// A command runs in a subshell of its own: what it sets is gone for the next step,
// so the only state a command leaves is its _ok_ variable.
func TestCommandsLeaveNoState(t *testing.T) {
	plan := []Step{
		{Kind: Cmd, Name: "set", Shell: "_ok_get=1; _tw_test=set; echo set", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "set-simple", Shell: "_tw_test=simple", Limit: 100, Timeout: 5},
		{Kind: Cmd, Name: "get", Shell: `echo "${_tw_test:-unset} ${_ok_get:-unset}"`, Limit: 100, Timeout: 5},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(plan))
			if it, _ := a.Cmd("get"); it.Text() != "unset unset\n" {
				t.Errorf("get = %q", it.Text())
			}
		})
	}
}

// runHalves runs a script with the argument that asks for halves, its two outputs
// apart, and merges them as trowel does.
func runHalves(t *testing.T, shell []string, script []byte) (*evidence.Archive, string) {
	t.Helper()
	if _, err := exec.LookPath(shell[0]); err != nil {
		t.Skipf("%s is not installed", shell[0])
	}
	file := filepath.Join(t.TempDir(), "probe.sh")
	mustWrite(t, file, script)
	cmd := exec.Command(shell[0], append(shell[1:], file, HalvesArg)...)
	var out, stray bytes.Buffer
	m := evidence.NewMerge(&out, nil)
	cmd.Stdout, cmd.Stderr = m.First(), m.Second(&stray)
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v\n%s", shell, err, stray.String())
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	a, err := evidence.DecodeBytes(out.Bytes())
	if err != nil {
		t.Fatalf("%v: decode: %v", shell, err)
	}
	if !a.Complete || len(a.Problems) > 0 {
		t.Fatalf("%v: complete %v, problems %v", shell, a.Complete, a.Problems)
	}
	return a, stray.String()
}

// fixturePlan reads a tree of files of two domains: files and lists, globs of
// files to be filtered and not, commands with fallbacks, and a file queued in each
// half.
func fixturePlan(t *testing.T) []Step {
	dir := t.TempDir()
	var plan []Step
	for _, d := range []string{"one", "two"} {
		sub := filepath.Join(dir, d)
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			mustWrite(t, filepath.Join(sub, fmt.Sprintf("f%02d.conf", i)),
				[]byte(fmt.Sprintf("name = %s%d\npassword = hunter%d\n%s", d, i, i, strings.Repeat("line\n", i))))
		}
		plan = append(plan,
			Step{Kind: File, Path: filepath.Join(sub, "f00.conf"), Limit: small, Domain: d},
			Step{Kind: File, Path: filepath.Join(sub, "f01.conf"), Limit: small, Redact: true, Domain: d},
			Step{Kind: File, Path: filepath.Join(sub, "absent"), Limit: small, Domain: d},
			Step{Kind: Glob, Path: filepath.Join(sub, "f1*.conf"), Limit: small, Redact: true, Domain: d},
			Step{Kind: Glob, Path: filepath.Join(sub, "f2*.conf"), Limit: 50, Domain: d},
			Step{Kind: List, Path: sub, Domain: d},
			Step{Kind: Cmd, Name: d + "-cat", Shell: "cat " + filepath.Join(sub, "f03.conf"), Needs: "cat", Limit: small, Timeout: 10, Redact: true, Domain: d},
			Step{Kind: Cmd, Name: d + "-fails", Shell: "echo out; echo err >&2; exit 3", Limit: small, Timeout: 10, Domain: d},
			Step{Kind: Cmd, Name: d + "-fallback", Shell: "echo fallback", Unless: d + "-cat", Limit: small, Timeout: 10, Domain: d},
			Step{Kind: Cmd, Name: d + "-absent", Shell: "trowel-no-such-tool", Needs: "trowel-no-such-tool", Limit: small, Timeout: 10, Domain: d},
			Step{Kind: Glob, Path: filepath.Join(sub, "f3*.conf"), Limit: small, Redact: true, Domain: d},
		)
	}
	return plan
}

// Run in halves, a plan yields the items it yields run whole, in the same order: the
// same names, statuses, exit statuses, content and error output, under every shell.
func TestHalvesYieldWhatTheWholePlanYields(t *testing.T) {
	plan := fixturePlan(t)
	at := len(plan) / 2
	script := RenderSplit(plan, at)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			whole := runProbe(t, sh, script)
			split, stray := runHalves(t, sh, script)
			if stray != "" {
				t.Errorf("stray output: %q", stray)
			}
			if len(whole.Items) != len(split.Items) || len(whole.Items) < 2*(40-9) {
				t.Fatalf("%d items run whole, %d in halves", len(whole.Items), len(split.Items))
			}
			for i, w := range whole.Items {
				if id := split.Items[i].ID(); id != w.ID() {
					t.Errorf("item %d is %s in halves, %s run whole", i, id, w.ID())
				}
				s, ok := split.Get(w.ID())
				if !ok || s.Status != w.Status || s.RC != w.RC || !bytes.Equal(s.Data, w.Data) || !bytes.Equal(s.Stderr, w.Stderr) || s.Truncated != w.Truncated {
					t.Errorf("%s: whole %+v %q, halves %+v %q", w.ID(), w, w.Data, s, s.Data)
				}
			}
			// Each half's items come in the plan's order, and they ran at once.
			if it, _ := split.Cmd("two-cat"); !it.OK() || bytes.Contains(it.Data, []byte("hunter")) {
				t.Errorf("two-cat = %+v %q", it, it.Data)
			}
		})
	}
}

// A command that hangs in one half is stopped by that half's watchdog, in its time,
// while the other half runs on to its end; and a shell's message on the standard
// error of either half is kept apart, out of every item.
func TestHalvesHaveAWatchdogEach(t *testing.T) {
	plan := []Step{
		{Kind: Cmd, Name: "hang", Shell: "echo before; sleep 60", Limit: 100, Timeout: 4, Domain: "a"},
		{Kind: Cmd, Name: "after-hang", Shell: "echo after", Limit: 100, Timeout: 5, Domain: "a"},
		{Kind: Cmd, Name: "slow", Shell: "sleep 1; echo slow", Limit: 100, Timeout: 10, Domain: "b"},
		{Kind: Cmd, Name: "hang-b", Shell: "sleep 60", Limit: 100, Timeout: 4, Domain: "b"},
		{Kind: Cmd, Name: "noisy", Shell: "_trowel_no_such_function_ 2>/dev/null; echo done", Limit: 100, Timeout: 5, Domain: "b"},
	}
	script := RenderSplit(plan, 2)
	// A message of the shell itself, outside any command: the second half's
	// header line is already out when the halves start.
	script = bytes.Replace(script, []byte("_half_2() {\n"), []byte("_half_2() {\n\techo 'sh: a message of the shell' >&2\n"), 1)
	script = bytes.Replace(script, []byte("_half_1() {\n"), []byte("_half_1() {\n\techo 'sh: one of the first half' >&2\n"), 1)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			a, stray := runHalves(t, sh, script)
			el := time.Since(start)
			// The halves' hangs overlap: 4 to 5 s each (the watchdogs tick each
			// second), after a second's sleep in the second half; one after the
			// other they would take 9 s and more.
			if el > 8500*time.Millisecond {
				t.Errorf("took %v: the halves did not run at once, or a watchdog did not fire", el)
			}
			for _, name := range []string{"hang", "hang-b"} {
				if it, _ := a.Cmd(name); it.Status != evidence.StatusTimeout {
					t.Errorf("%s = %+v, want timeout", name, it)
				}
			}
			for name, want := range map[string]string{"after-hang": "after\n", "slow": "slow\n", "noisy": "done\n"} {
				if it, _ := a.Cmd(name); !it.OK() || it.Text() != want {
					t.Errorf("%s = %+v %q", name, it, it.Text())
				}
			}
			if !strings.Contains(stray, "sh: a message of the shell\n") || !strings.Contains(stray, "sh: one of the first half\n") {
				t.Errorf("stray = %q", stray)
			}
			for _, it := range a.Items {
				if bytes.Contains(it.Data, []byte("message")) || bytes.Contains(it.Data, []byte("first half")) {
					t.Errorf("%s holds the shell's message: %q", it.ID(), it.Data)
				}
			}
		})
	}
}

// The whole probe, run in halves under every shell, yields a complete stream with
// the items of a whole run, and nothing of it on the standard error but records.
func TestFullProbeInHalvesUnderEveryShell(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole probe twice under each shell")
	}
	script := Script()
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			whole := runProbe(t, sh, script)
			split, stray := runHalves(t, sh, script)
			if stray != "" {
				t.Errorf("stray output: %q", stray)
			}
			ids := map[string]bool{}
			for _, it := range whole.Items {
				ids[it.ID()] = true
			}
			for _, it := range split.Items {
				if !ids[it.ID()] {
					t.Errorf("%s in halves only", it.ID())
				}
				delete(ids, it.ID())
			}
			for id := range ids {
				// A process's files are read as they are: the halves' processes
				// are others than the whole run's.
				if !strings.HasPrefix(id, "file:/proc/") {
					t.Errorf("%s run whole only", id)
				}
			}
		})
	}
}

// A shell's messages on the second half's standard error, however many and whenever
// they come, never change an item of that half: each X record is one write, which
// trowel takes out wherever it landed (bash and yash wrote its leading newline apart,
// and a record of the half landing between lost its line's end).
func TestStrayLinesNeverTouchAnItem(t *testing.T) {
	var plan []Step
	for i := range 150 {
		d := "a"
		if i >= 10 {
			d = "b"
		}
		plan = append(plan, Step{Kind: Cmd, Name: fmt.Sprintf("c%02d", i), Shell: fmt.Sprintf("echo out%02d", i), Limit: 100, Timeout: 10, Domain: d})
	}
	script := RenderSplit(plan, 10)
	noise := "_half_2() {\n\t( _i=0; while [ $_i -lt 2000 ]; do echo \"sh: noise $_i\" >&2; _i=$((_i + 1)); done ) &\n"
	script = bytes.Replace(script, []byte("_half_2() {\n"), []byte(noise), 1)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			a, stray := runHalves(t, sh, script)
			for i, st := range plan {
				it, _ := a.Cmd(st.Name)
				if want := fmt.Sprintf("out%02d\n", i); !it.OK() || it.Command != st.Shell || it.Text() != want {
					t.Errorf("%s: %+v %q, want %q run by %q", st.Name, it, it.Text(), want, st.Shell)
				}
			}
			if n := strings.Count(stray, "sh: noise "); n != 2000 {
				t.Errorf("%d of the 2000 stray lines kept apart", n)
			}
		})
	}
}
