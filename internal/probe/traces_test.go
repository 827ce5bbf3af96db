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
