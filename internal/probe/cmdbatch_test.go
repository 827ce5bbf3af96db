package probe

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// unheld is the script with every filtered command filtering its output alone, as
// before _cmd_held: the probe finds that the shell cannot hold an output.
func unheld(t *testing.T, script []byte) []byte {
	t.Helper()
	check := []byte("\t\t[ \"${#_chx}\" = 8 ] && _chold=y\n")
	if !bytes.Contains(script, check) {
		t.Fatal("the script no longer checks whether its shell holds an output")
	}
	return bytes.Replace(script, check, nil, 1)
}

// Filtered commands whose outputs wait for one pass of their filter give the items
// they gave filtering each output alone, whatever the command does: time out, fail,
// write to standard error (more than the 4 KiB kept), run past its limit or past what
// is held, print NUL bytes, CR, bytes that are not UTF-8, no final newline, lines that
// look like the pass's markers, or grow past its limit in the filter. A key block left
// open in one output does not swallow the next: the pass falls back to one by one.
func TestHeldCommandsAsEachAlone(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "a.conf")
	mustWrite(t, conf, []byte("password = S3CRET\nport = 80\n"))
	red := func(st Step) Step {
		st.Kind, st.Redact = Cmd, true
		if st.Timeout == 0 {
			st.Timeout = 10
		}
		return st
	}
	plan := []Step{
		red(Step{Name: "secret", Shell: "printf 'password = S3CRET\\nport=80\\n'", Limit: 4096}),
		{Kind: Cmd, Name: "args", Shell: "echo tool --password S3CRET -x", Limit: 4096, Timeout: 10, RedactArgs: true},
		{Kind: Cmd, Name: "commands", Shell: "echo mysql -pS3CRET -e 'select 1'", Limit: 4096, Timeout: 10, RedactCommands: true},
		{Kind: File, Path: conf, Limit: 4096, Redact: true},
		red(Step{Name: "fails", Shell: "echo out; echo err >&2; exit 3", Limit: 100}),
		red(Step{Name: "stderr", Shell: "echo out; i=0; while [ $i -lt 700 ]; do echo 'much to say' >&2; i=$((i+1)); done", Limit: 100}),
		red(Step{Name: "hangs", Shell: "echo before; sleep 60; echo after", Limit: 100, Timeout: 1}),
		red(Step{Name: "over", Shell: "yes password=S3CRET", Limit: 1000}),
		{Kind: Cmd, Name: "past-held", Shell: "yes abcdefgh | head -c 4500000", Limit: 8 << 20, Timeout: 30, RedactCommands: true},
		red(Step{Name: "nul", Shell: "printf 'a\\000b\\000\\npassword = S3CRET\\000\\nc'", Limit: 100}),
		red(Step{Name: "nul-at-limit", Shell: "printf 'abcdefghij\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000abcdefghij'", Limit: 25}),
		red(Step{Name: "cr", Shell: "printf 'x = 1\\r\\ny\\r'", Limit: 100}),
		red(Step{Name: "no-newline", Shell: "printf 'no final newline'", Limit: 100}),
		red(Step{Name: "markers", Shell: "printf 'tw00000000000000000000000000000000-2\\ntw00000000000000000000000000000000-end\\n-2\\n'", Limit: 100}),
		red(Step{Name: "boundary", Shell: "printf '%s-1\\n%s-3\\npassword = S3CRET\\n' \"$_B\" \"$_B\"", Limit: 100}),
		red(Step{Name: "open-key", Shell: "printf 'before\\n-----BEGIN PRIVATE KEY-----\\nS3CRET, and no end\\n'", Limit: 100}),
		red(Step{Name: "after-key", Shell: "printf -- '-----END PRIVATE KEY-----\\nthe end of the block, were they one stream\\n'", Limit: 100}),
		red(Step{Name: "empty", Shell: "true", Limit: 100}),
		red(Step{Name: "blank", Shell: "printf '\\n\\n'", Limit: 100}),
		red(Step{Name: "grows", Shell: "printf 'pass=x\\npass=y\\npass=z\\n'", Limit: 30}),
		red(Step{Name: "high", Shell: "printf '\\377\\376 bytes\\npassword = S3CRET\\n'", Limit: 100}),
		red(Step{Name: "absent", Shell: "trowel-no-such-tool", Needs: "trowel-no-such-tool", Limit: 100}),
		red(Step{Name: "fallback", Shell: "echo fallback", Unless: "fails", Limit: 100}),
		red(Step{Name: "not-needed", Shell: "echo no", Unless: "secret", Limit: 100}),
		{Kind: Cmd, Name: "plain", Shell: "echo plain", Limit: 100, Timeout: 10},
	}
	script := Render(plan)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			want := runProbe(t, sh, unheld(t, script))
			got := runProbe(t, sh, script)
			for _, a := range []*evidence.Archive{want, got} {
				if it, _ := a.Cmd("boundary"); it.OK() {
					it.Data = bytes.ReplaceAll(it.Data, []byte(a.Boundary), []byte("BOUNDARY"))
				}
			}
			sameItems(t, want, got)
			for _, it := range got.Items {
				if d := it.End - it.Start; d > 2 {
					t.Logf("%s took %.2f s", it.ID(), d)
				}
			}
			for _, it := range got.Items {
				if strings.Contains(it.Text(), "S3CRET") {
					t.Errorf("%s: a secret went out: %q", it.Name, trim(it.Data))
				}
			}
			if it, _ := got.Cmd("after-key"); !strings.Contains(it.Text(), "the end of the block") {
				t.Errorf("a key block left open in one output ate the next: %q", it.Text())
			}
			if it, _ := got.Cmd("grows"); !it.Truncated || len(it.Data) != 30 {
				t.Errorf("grows: truncated %v, %d bytes", it.Truncated, len(it.Data))
			}
			if it, _ := got.Cmd("over"); !it.Truncated || len(it.Data) != 1000 {
				t.Errorf("over: truncated %v, %d bytes", it.Truncated, len(it.Data))
			}
			if it, _ := got.Cmd("past-held"); it.Truncated || len(it.Data) != 4500000 {
				t.Errorf("past-held: truncated %v, %d bytes", it.Truncated, len(it.Data))
			}
			if it, _ := got.Cmd("hangs"); it.Status != "timeout" || it.Text() != "before\n" {
				t.Errorf("hangs: %s %q", it.Status, it.Text())
			}
			if it, _ := got.Cmd("fails"); it.RC != 3 || string(it.Stderr) != "err" {
				t.Errorf("fails: rc %d, stderr %q", it.RC, it.Stderr)
			}
			if _, ok := got.Cmd("not-needed"); ok {
				t.Error("not-needed ran though secret did")
			}
			// Where the shell holds outputs, they are written with the batch, after
			// the unfiltered command that ran later.
			if sh[0] != "posh" && sh[0] != "yash" && index(got, "secret") < index(got, "plain") {
				t.Errorf("%v: the filtered commands' outputs were not held", sh)
			}
		})
	}
}

// index is where the command item name stands in the stream, or -1.
func index(a *evidence.Archive, name string) int {
	for i, it := range a.Items {
		if it.ID() == "cmd:"+name {
			return i
		}
	}
	return -1
}
