package files

import (
	"os"
	"path/filepath"
	"testing"
)

func seeds(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.txt")
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err == nil && len(b) < 64<<10 {
			f.Add(string(b))
		}
	}
	f.Add("F\t3\t/etc/x\nab")
	f.Add("conf\tp\tzz\t/etc/x\nmd5sum: \n")
	f.Add("C\t/etc/x\tdpkg-dist\t/etc/x.dpkg-dist\t-\t-\nD\t/etc/x\t/etc/x.dpkg-dist\t 1 x\n")
	f.Add("<VirtualHost *:80>\n<Directory />\nAllowOverride None\n</VirtualHost>\n[a]\nk = v\nserver {\n listen 80;\n}\n}\n")
}

func FuzzParsers(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseConffiles(s)
		_, _ = ParseSums(s)
		_, _ = ParseUnowned(s)
		_, _ = ParseContent(s)
		_, _ = ParseScripts(s)
		_, _ = ParseUCF(s, s)
		for _, f := range []string{"keyvalue", "ini", "apache", "nginx", "braces", "lines"} {
			_ = readSettings(f, kvGeneric, s)
			_ = readSettings(f, kvSSH, s)
			_ = readSettings(f, kvPostfix, s)
		}
		_, _, _ = ParseTrees(s)
		_, _, _ = ParseRPMVerify(s)
	})
}
