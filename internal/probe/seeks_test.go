package probe

import (
	"os"
	"strings"
	"testing"
)

// A step that Seeks its program says what _data_run says of it: the probe answers for
// the command only where the command would look for that program and nothing else.
func TestSeeksIsWhatTheCommandLooksFor(t *testing.T) {
	n := 0
	for _, st := range Plan {
		if st.Seeks == "" {
			continue
		}
		n++
		if st.Kind != Cmd || !strings.HasPrefix(st.Shell, "_data_run "+st.Seeks+" ") {
			t.Errorf("%s seeks %q but runs %q, not _data_run %s", st.Name, st.Seeks, st.Shell, st.Seeks)
		}
	}
	if n == 0 {
		t.Error("no step of the plan seeks its program")
	}
}

// A program found nowhere gives, without its command, the item its command gives
// (no output, "PROGRAM: not found", exit status 127), filtered or not, behind a
// fallback's Unless or a When; a program that is there runs as before.
func TestUnfoundAsTheCommandSaysIt(t *testing.T) {
	steps := []Step{
		{Kind: Cmd, Name: "plain", Shell: "_data_run trowel-no-such-a --version", Seeks: "trowel-no-such-a", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "filtered", Shell: "_data_run trowel-no-such-b -n", Seeks: "trowel-no-such-b", Limit: 100, Timeout: 10, Redact: true},
		{Kind: Cmd, Name: "fallback", Shell: "_data_run trowel-no-such-c -n", Seeks: "trowel-no-such-c", Unless: "filtered", Limit: 100, Timeout: 10, Redact: true},
		{Kind: Cmd, Name: "when", Shell: "_data_run trowel-no-such-d", Seeks: "trowel-no-such-d", When: "[ -d / ]", Limit: 100, Timeout: 10},
		{Kind: Cmd, Name: "there", Shell: "_data_run sh -c 'echo password = S3CRET'", Seeks: "sh", Limit: 100, Timeout: 10, Redact: true},
	}
	sought := Render(steps)
	plain := make([]Step, len(steps))
	for i, st := range steps {
		st.Seeks = ""
		plain[i] = st
	}
	unsought := Render(plain)
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			want := runProbe(t, sh, unsought)
			got := runProbe(t, sh, sought)
			sameItems(t, want, got)
			for _, name := range []string{"plain", "filtered", "fallback", "when"} {
				it, ok := got.Cmd(name)
				if !ok || it.RC != 127 || !strings.HasSuffix(strings.TrimSpace(string(it.Stderr)), ": not found") || len(it.Data) != 0 {
					t.Errorf("%s: %+v, want no output, not found, 127", name, it)
				}
			}
			if it, _ := got.Cmd("there"); it.RC != 0 || strings.Contains(string(it.Data), "S3CRET") || !strings.Contains(string(it.Data), "password") {
				t.Errorf("there: rc %d, output %q, want it run and filtered", it.RC, it.Data)
			}
		})
	}
}

// A program off PATH, in one of the directories _data_run also looks in (the sbin of
// an unprivileged login on the RHEL family), is found by the plan's shell and by the
// command alike, and runs.
func TestSoughtOffPath(t *testing.T) {
	if _, err := os.Stat("/usr/sbin/nologin"); err != nil {
		t.Skip("no /usr/sbin/nologin here")
	}
	st := Step{Kind: Cmd, Name: "off-path", Shell: "_data_run nologin", Seeks: "nologin", Limit: 1000, Timeout: 10}
	plain := st
	plain.Seeks = ""
	env := "PATH=/usr/bin:/bin"
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			got := runProbe(t, sh, Render([]Step{st}), env)
			sameItems(t, runProbe(t, sh, Render([]Step{plain}), env), got)
			if it, _ := got.Cmd("off-path"); it.RC == 127 || !strings.Contains(it.Text(), "not available") {
				t.Errorf("off-path: rc %d, %q, want /usr/sbin/nologin run", it.RC, it.Text())
			}
		})
	}
}
