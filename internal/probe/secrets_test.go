package probe

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/redact/redacttest"
)

// storePath is one way a command is stored on a host and read by the probe: the step
// that reads it, the filter it must go through, and which shapes it must remove.
type storePath struct {
	name   string
	step   func(path string) Step
	item   func(path string) string
	filter func([]byte) []byte
	kinds  string // the shape kinds whose secrets must not come out
}

// Every place a command is stored goes through the right filter on the host, under
// every shell: each planted credential of every spelling is removed, every look-alike
// comes out as it was, and the bytes are those the offline reader's filter gives.
func TestStoredCommandsAreFilteredOnTheHost(t *testing.T) {
	all := redacttest.Shapes(t)
	var text strings.Builder
	for _, s := range all {
		text.WriteString(s.Line + "\n")
	}
	dir := t.TempDir()
	file := func(name string) string {
		p := filepath.Join(dir, name)
		mustWrite(t, p, []byte(text.String()))
		return p
	}
	fileItem := func(p string) string { return evidence.ID(evidence.KindFile, p) }
	cmdItem := func(name string) func(string) string {
		return func(string) string { return evidence.ID(evidence.KindCmd, name) }
	}
	// The files content steps print each file length-prefixed: the filtered text is
	// what follows the F line.
	contentOf := func(b []byte) []byte {
		_, rest, _ := strings.Cut(string(b), "\n")
		return []byte(strings.TrimSuffix(rest, "\n# done\n"))
	}
	paths := []storePath{
		{"aliases", func(p string) Step { return Step{Kind: File, Path: p, Limit: 1 << 20, Redact: true} }, fileItem, redact.Text, "cmd args text"},
		{"crontab", func(p string) Step { return Step{Kind: Glob, Path: p, Limit: 1 << 20, Redact: true} }, fileItem, redact.Text, "cmd args text"},
		{"sudoers", func(p string) Step { return Step{Kind: File, Path: p, Limit: 1 << 20, RedactCommands: true} }, fileItem, redact.Commands, "cmd"},
		{"inittab", func(p string) Step { return Step{Kind: File, Path: p, Limit: 1 << 20, RedactArgs: true} }, fileItem, redact.Args, "cmd args"},
		{"logrotate", func(p string) Step { return Step{Kind: Glob, Path: p, Limit: 1 << 20, RedactArgs: true} }, fileItem, redact.Args, "cmd args"},
		// A unit file or an init script no package owns: its content goes out through
		// the files content step.
		{"unit", func(p string) Step {
			return Step{Kind: Cmd, Name: "unit", Shell: "printf '%s\\n' " + quote(p) + " | _files_content 1048576 10 dpkg", Limit: 1 << 20, Timeout: 30}
		}, cmdItem("unit"), nil, "cmd args text"},
		// The scripts cron jobs run (_cron_scripts prints each with _text_out).
		{"wrapper", func(p string) Step {
			return Step{Kind: Cmd, Name: "wrapper", Shell: "_text_out " + quote(p), Limit: 1 << 20, Timeout: 30, Redact: true}
		}, cmdItem("wrapper"), nil, "cmd args text"},
		// Process command lines: ps's output goes through the command-line filter.
		{"ps", func(p string) Step {
			return Step{Kind: Cmd, Name: "ps", Shell: "cat " + quote(p), Limit: 1 << 20, Timeout: 30, RedactArgs: true}
		}, cmdItem("ps"), redact.Args, "cmd args"},
	}
	var plan []Step
	for _, sp := range paths {
		plan = append(plan, sp.step(file(sp.name)))
	}
	// PID 1's command line: only the program leaves the host.
	cmdline := filepath.Join(dir, "cmdline")
	mustWrite(t, cmdline, []byte("/usr/bin/java\x00-jar\x00app.jar\x00--token\x00Pid1Tok-99\x00"))
	plan = append(plan, Step{Kind: File, Path: cmdline, Limit: 4096, Argv0: true})
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, script)
			for _, sp := range paths {
				it, ok := a.Get(sp.item(filepath.Join(dir, sp.name)))
				if !ok || !it.OK() {
					t.Fatalf("%s: not read: %+v", sp.name, it)
				}
				got := it.Data
				if sp.name == "unit" {
					got = contentOf(got)
				}
				if sp.name == "wrapper" {
					_, body, _ := strings.Cut(string(got), "\n")
					got = []byte(strings.TrimSuffix(body, "\n"))
				}
				if sp.filter != nil {
					if want := sp.filter([]byte(text.String())); string(got) != string(want) {
						t.Errorf("%s: the probe and the offline reader disagree:\n probe: %q\noffline: %q", sp.name, got, want)
					}
				}
				for _, s := range all {
					switch {
					case strings.Contains(sp.kinds, s.Kind) && strings.Contains(string(got), s.Secret):
						t.Errorf("%s: %q left the host: %s", sp.name, s.Secret, s.Line)
					case s.Kind == "keep" && !strings.Contains(string(got), s.Line+"\n"):
						t.Errorf("%s: a line with no secret was changed: %s", sp.name, s.Line)
					case s.Kind == "keep-cmd" && sp.name == "sudoers" && !strings.Contains(string(got), s.Line+"\n"):
						t.Errorf("sudoers: a right was changed: %s", s.Line)
					}
				}
			}
			it, _ := a.File(cmdline)
			if got := it.Text(); got != "/usr/bin/java\n" || string(redact.Program([]byte("/usr/bin/java\x00-jar\x00--token\x00x"))) != got {
				t.Errorf("PID 1's command line: %q", got)
			}
		})
	}
}

// The plan reads each place a command is stored through the filter that knows it.
func TestStoredCommandsInPlanAreFiltered(t *testing.T) {
	want := map[string]string{
		"/etc/aliases": "r", "/etc/postfix/aliases": "r", "/etc/postfix/master.cf": "r",
		"/etc/crontab": "r", "/etc/cron.d/*": "r", "/var/spool/cron/*": "r", "/var/spool/cron/crontabs/*": "r", "/etc/anacrontab": "r",
		"/etc/sudoers": "c", SudoersIncludes: "c", "/etc/inittab": "a", "/proc/1/cmdline": "0",
		"/etc/logrotate.conf": "a", "/etc/logrotate.d/*": "a",
		"ps": "a", "proc-ps": "a", "docker-ps": "a", "docker-ps-table": "a", "cron-scripts": "r", "log-shipper-configs": "r",
	}
	got := map[string]string{}
	for _, st := range Plan {
		key := st.Path
		if st.Kind == Cmd {
			key = st.Name
		}
		if _, ok := want[key]; ok {
			f := strings.Fields(renderStep(st))
			at := map[StepKind]int{File: 3, Glob: 2, Cmd: 5}[st.Kind]
			if st.Kind == Cmd {
				at += slices.Index(f, "_cmd")
			}
			got[key] = f[at]
		}
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s is read with filter %q, want %q", k, got[k], w)
		}
	}
	// The files content steps filter each file on the host (unit files, init scripts),
	// in the function that sends one file.
	for _, fn := range []string{"_files_one() {"} {
		body := string(Script())
		body = body[strings.Index(body, fn):]
		body = body[:strings.Index(body, "\n}\n")]
		if !strings.Contains(body, "_redact <") {
			t.Errorf("%s does not filter what it sends", fn)
		}
	}
}
