package probe

import (
	"os"
	"strings"
	"testing"
)

// On a merged /usr, /sbin/ip is /usr/sbin/ip: _traces names it once, where its
// package lists it, not a second time as a program no package owns.
func TestTracesSkipMergedUsrLinks(t *testing.T) {
	if fi, err := os.Lstat("/sbin"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Skip("/sbin is no link to /usr/sbin on this machine")
	}
	if _, err := os.Stat("/usr/sbin/ip"); err != nil {
		t.Skip("no /usr/sbin/ip here")
	}
	script := Render([]Step{{Kind: Cmd, Name: "software-traces", Shell: "_traces /usr/sbin /sbin -- ip", Limit: 1 << 20, Timeout: 30}})
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			it, ok := runProbe(t, sh, script).Cmd("software-traces")
			if !ok || !it.OK() {
				t.Fatalf("not run: %+v", it)
			}
			if got := it.Text(); !strings.HasPrefix(got, "program\t/usr/sbin/ip\t") || strings.Count(got, "program\t") != 1 {
				t.Errorf("want /usr/sbin/ip alone:\n%s", got)
			}
		})
	}
}

// _programs asks dpkg once for all the programs found, and names each one's owner as
// _owner, asking for it alone, does: a packaged program, one no package lists, a
// second program of the same package.
func TestProgramsOwnedAsOwnerSays(t *testing.T) {
	if _, err := os.Stat("/var/lib/dpkg/status"); err != nil {
		t.Skip("no dpkg database here")
	}
	paths := []string{"/usr/bin/dpkg", "/bin/sh", "/usr/bin/dpkg-query"}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("no %s here", p)
		}
	}
	unowned := t.TempDir() + "/tool"
	mustWrite(t, unowned, []byte("#!/bin/sh\n"))
	paths = append(paths, unowned)
	var each strings.Builder
	for _, p := range paths {
		each.WriteString(`printf 'program\t%s\t%s\n' ` + quote(p) + ` "$(_owner ` + quote(p) + `)"; `)
	}
	args := strings.Join(append([]string{"_programs"}, paths...), " ")
	script := Render([]Step{
		{Kind: Cmd, Name: "each", Shell: each.String(), Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "together", Shell: args, Limit: 1 << 20, Timeout: 30},
	})
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, script)
			want, _ := a.Cmd("each")
			got, _ := a.Cmd("together")
			if !want.OK() || !got.OK() || got.Text() != want.Text() {
				t.Errorf("_programs:\n%s\nwant, as _owner says:\n%s", got.Text(), want.Text())
			}
			// Debian's busybox runs a dpkg applet of its own, which has no -S.
			if sh[0] != "busybox" && !strings.Contains(got.Text(), "program\t/usr/bin/dpkg\tdpkg\n") {
				t.Errorf("dpkg's owner not found:\n%s", got.Text())
			}
		})
	}
}
