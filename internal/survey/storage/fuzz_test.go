package storage

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func FuzzParsers(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && filepath.Ext(p) != ".md" {
			f.Add(string(b))
		}
	}
	f.Add("md0 : active raid1\n")
	f.Add("/x\\0 /y\\ ext4 r\n#a /b c d e f\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = ParseMounts(text)
		_, _ = ParseFstab(text)
		_, _ = ParseDf(text)
		_, _ = ParseLvs(text)
		_, _ = ParseMdstat(text)
		_, _ = ParseDu(text)
		a := kittest.Archive(kittest.File("/proc/mounts", text), kittest.File("/etc/fstab", text), kittest.Cmd("df", "df", text),
			kittest.Cmd("lvs", "lvs", text), kittest.File("/proc/mdstat", text), kittest.Cmd("du-data", "du", text))
		survey(a, nil)
	})
}
