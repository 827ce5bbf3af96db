package redact

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact/redacttest"
)

// The probe's filters run their rule sets in one sed where each set once had a sed
// of its own. The lines that tell the two apart: a private-key block between an
// option that takes the next line as its value and that value. A pipeline handed the
// marker line to the command rules, which then stood between the option and the
// value; one sed must put the marker there itself.
var oneSedHazards = []string{
	"x --password\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n\"kept1\"\n",
	"-----END RSA PRIVATE KEY----- --password\n'kept2'\n",
	"y --token\n-----BEGIN EC PRIVATE KEY----- -----END EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n  - kept3\n",
	"z --secret\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----",
	"w --key\n-----BEGIN PRIVATE KEY-----\nopen to the end\n",
	"a --password\n\"gone4\"\n-----BEGIN DSA PRIVATE KEY-----\n-----END DSA PRIVATE KEY-----\n-----BEGIN DSA PRIVATE KEY-----\nx\n-----END DSA PRIVATE KEY-----\nb --auth\n'gone5'\n",
}

// Each filter gives, byte for byte, what the pipeline of one sed per rule set gave
// (tr | sed text | tr | sed cmd | sed args), under every shell the probe runs in and
// with GNU and busybox sed, on the whole redaction corpus. The pipeline is rebuilt
// from the same rule sets, with the private-key rule as it was before the sets were
// joined; and the rule as it was, joined into one sed, must differ on the hazards,
// or the corpus could not tell a wrong join from a right one.
func TestOneSedIsThePipelineOfSeds(t *testing.T) {
	script := string(probe.Script())
	const keep = "\t\t-e 'x' \\\n\t\t-e 's/.*/[trowel: private key removed]/' \\\n\t\t-e 'x' \\\n"
	if strings.Count(script, keep) != 1 {
		t.Fatalf("the private-key rule's hold-space lines are not in the probe as this test knows them")
	}
	fns := func(s string) string {
		var b strings.Builder
		for _, name := range []string{"_rules_text", "_rules_cmd", "_rules_args", "_rules_sed", "_redact_cmd", "_redact_args", "_redact"} {
			start := strings.Index(s, "\n"+name+"() {")
			end := strings.Index(s[start:], "\n}\n")
			b.WriteString(s[start : start+end+3])
		}
		return b.String()
	}
	joined := fns(script)
	// The pipeline, as the filters were: one process per rule set, each whole (its
	// gate, which may branch past the sets after it, taken out).
	old := ungated(t, strings.Replace(script, keep, "", 1))
	piped := old + `_piped() { sed "$@"; }
_redact_cmd() { tr -d '\000' | _rules_cmd _piped; }
_redact_args() { _redact_cmd | _rules_args _piped; }
_redact() { tr -d '\000' | _rules_text _piped | _redact_args; }
`
	inputs := append(append(append([]string(nil), corpus...), dictCorpus...), oneSedHazards...)
	for _, s := range redacttest.Shapes(t) {
		inputs = append(inputs, s.Line+"\n")
	}
	streams := streamsOf(inputs)
	runners := [][]string{{"dash", "-c"}, {"bash", "-c"}, {"bash", "--posix", "-c"}, {"busybox", "sh", "-c"}, {"posh", "-c"}, {"yash", "-c"}, {"busybox", "sh", "-c", "busybox-sed"}}
	ran := 0
	for _, r := range runners {
		if _, err := exec.LookPath(r[0]); err != nil {
			t.Logf("%s not installed", r[0])
			continue
		}
		prefix := "LC_ALL=C; export LC_ALL; "
		args := r
		if r[len(r)-1] == "busybox-sed" {
			args = r[:len(r)-1]
			prefix += "sed() { busybox sed \"$@\"; }; tr() { busybox tr \"$@\"; }; "
		}
		run := func(fnsText, fn, in string) string {
			cmd := exec.Command(args[0], append(args[1:], prefix+fnsText+fn)...)
			cmd.Stdin = strings.NewReader(in)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v %s: %v", r, fn, err)
			}
			return string(out)
		}
		for _, fn := range []string{"_redact_cmd", "_redact_args", "_redact"} {
			for _, in := range streams {
				want := run(piped, fn, in)
				if got := run(joined, fn, in); got != want {
					t.Errorf("%v %s: one sed differs from the pipeline of seds:\n%s", r, fn, firstDiff(got, want))
				}
				ran++
			}
			if fn != "_redact" {
				continue
			}
			hz := strings.Join(oneSedHazards, "")
			if run(old+`_rules_sed() { tr -d '\000' | sed "$@"; }`+"\n", fn, hz) == run(piped, fn, hz) {
				t.Errorf("%v: the hazards do not tell a join that loses the marker line from the pipeline", r)
			}
			if out := run(joined, fn, hz); !strings.Contains(out, "kept1") || strings.Contains(out, "gone4") || strings.Contains(out, "gone5") || strings.Contains(out, "MIIE") {
				t.Errorf("%v: the hazards came out wrong:\n%s", r, out)
			}
		}
	}
	if ran == 0 {
		t.Fatal("no shell ran the filters")
	}
}

// streamsOf puts every newline-ended, NUL-free input in one stream (the filters work
// line by line) and the others in streams of their own.
func streamsOf(inputs []string) []string {
	var one strings.Builder
	var rest []string
	for _, in := range inputs {
		if strings.HasSuffix(in, "\n") && !strings.ContainsRune(in, 0) {
			one.WriteString(in)
		} else {
			rest = append(rest, in)
		}
	}
	return append([]string{one.String()}, rest...)
}

func firstDiff(got, want string) string {
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			return " one sed: " + gl[i] + "\nseds: " + wl[i]
		}
	}
	if !bytes.Equal([]byte(got), []byte(want)) {
		return "lengths differ"
	}
	return ""
}

// The Go twins read the hazards as the probe's filters do.
func TestTwinsOnOneSedHazards(t *testing.T) {
	streams := streamsOf(oneSedHazards)
	sameAsProbe(t, "_redact", Text, streams...)
	sameAsProbe(t, "_redact_args", Args, streams...)
	sameAsProbe(t, "_redact_cmd", Commands, streams...)
}
