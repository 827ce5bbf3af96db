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
}

func FuzzParsers(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseConffiles(s)
		_, _ = ParseSums(s)
		_, _ = ParseUnowned(s)
		_, _, _ = ParseContent(s)
		_, _, _ = ParseTrees(s)
		_, _, _ = ParseRPMVerify(s)
	})
}
