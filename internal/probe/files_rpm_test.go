package probe

import (
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeRPM puts an rpm on PATH that answers -qa with QA's lines and -qf as rpm does
// for files no package owns (those named *owned* are owned), for the rpm steps on a
// host without rpm.
func fakeRPM(t *testing.T, qa string) []string {
	t.Helper()
	bin := t.TempDir()
	mustWrite(t, filepath.Join(bin, "qa"), []byte(qa))
	script := "#!/bin/sh\ncase $1 in\n-qa) cat " + quote(filepath.Join(bin, "qa")) + " ;;\n" +
		"-qf) shift; for f; do case $f in *owned*) echo pkg-1.0-1 ;; *) echo \"file $f is not owned by any package\" ;; esac; done ;;\nesac\n"
	mustWrite(t, filepath.Join(bin, "rpm"), []byte(script))
	if err := os.Chmod(filepath.Join(bin, "rpm"), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + bin + ":" + os.Getenv("PATH")}
}

// _files_rpm_sums on the packages' config files: MD5 (EL5-6) and SHA-256 (EL7 on)
// digests each digested by its own program, odd names and digests reported, other
// files and absent digests left out, a missing file said so; and the content step
// sends the changed ones.
func TestFilesRPMSums(t *testing.T) {
	dir := t.TempDir()
	body := map[string]string{"a.conf": "a = 1\n", "b.conf": "b = 1\n", "sp ace.conf": "s\n", "same.conf": "same\n"}
	for name, b := range body {
		mustWrite(t, filepath.Join(dir, name), []byte(b))
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	md := func(s string) string { return fmt.Sprintf("%x", md5.Sum([]byte(s))) }
	sha := func(s string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(s))) }
	qa := strings.Join([]string{
		"1\t" + md("old a\n") + "\tpkgA\t" + p("a.conf"),
		"17\t" + sha("old b\n") + "\tpkgB\t" + p("b.conf"),
		"1\t" + md("s\n") + "\tpkgC\t" + p("sp ace.conf"),
		"1\tabc\tpkgD\t" + p("weird.conf"),
		"0\t" + md("x") + "\tpkgE\t" + p("not-config"),
		"1\t(none)\tpkgF\t" + p("dir"),
		"1\t\tpkgG\t" + p("link"),
		"1\t" + md("m\n") + "\tpkgH\t" + p("missing.conf"),
		"1\t" + md("same\n") + "\tpkgI\t" + p("same.conf"),
	}, "\n") + "\n"
	want := strings.Join([]string{
		"conf\tpkgA\t" + md("old a\n") + "\t" + p("a.conf"),
		"conf\tpkgB\t" + sha("old b\n") + "\t" + p("b.conf"),
		"conf\tpkgC\t" + md("s\n") + "\t" + p("sp ace.conf"),
		"odd\t" + p("sp ace.conf"),
		"conf\tpkgD\tabc\t" + p("weird.conf"),
		"odd\t" + p("weird.conf"),
		"conf\tpkgH\t" + md("m\n") + "\t" + p("missing.conf"),
		"conf\tpkgI\t" + md("same\n") + "\t" + p("same.conf"),
		md("a = 1\n") + "  " + p("a.conf"),
		"md5sum: " + p("missing.conf") + ": No such file or directory",
		md("same\n") + "  " + p("same.conf"),
		sha("b = 1\n") + "  " + p("b.conf"),
		"# done",
	}, "\n") + "\n"
	env := fakeRPM(t, qa)
	plan := []Step{
		{Kind: Cmd, Name: "sums", Shell: "_files_rpm_sums", Limit: 1 << 20, Timeout: 30},
		{Kind: Cmd, Name: "changed", Shell: "_files_rpm_sums | _files_changed", Limit: 1 << 20, Timeout: 30},
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			t.Parallel()
			if sh[0] == "busybox" {
				t.Skip("Debian's busybox runs an rpm applet of its own, not the one on PATH")
			}
			a := runProbe(t, sh, Render(plan), env...)
			if it, _ := a.Cmd("sums"); it.Text() != want || it.RC != 0 {
				t.Errorf("rc %d; %s", it.RC, firstDiff(it.Text(), want))
			}
			if it, _ := a.Cmd("changed"); it.Text() != p("a.conf")+"\n"+p("b.conf")+"\n" {
				t.Errorf("changed: %q", it.Text())
			}
		})
	}
}
