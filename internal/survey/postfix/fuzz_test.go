package postfix

import (
	"os"
	"path/filepath"
	"testing"
)

func seedAll(f *testing.F) {
	names, _ := filepath.Glob("testdata/*")
	for _, n := range names {
		if filepath.Ext(n) == ".md" {
			continue
		}
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
}

func FuzzParsers(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		al, _ := ParseAliases(in)
		for _, a := range al {
			if a.Name == "" || a.Line < 1 {
				t.Fatalf("%+v", a)
			}
		}
		p, _ := ParseMainCf(in)
		for _, x := range p {
			if x.Key == "" || x.Line < 1 {
				t.Fatalf("%+v", x)
			}
		}
		_, _ = ParsePostconf(in)
		_, _ = Relayhost(in)
		_ = MapFiles(in)
	})
}
