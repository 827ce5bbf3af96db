package mysql

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

func FuzzParseOptionFile(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		of, _ := ParseOptionFile("/etc/my.cnf", in)
		m := Merge(Files{"/etc/my.cnf": of}, Roots)
		e := ServerSettings(m, "", nil)
		_, _ = Role(e, nil)
		for _, o := range of.Options {
			if o.Line < 1 || o.Key == "" {
				t.Fatalf("%+v", o)
			}
		}
	})
}

func FuzzParseDatadir(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		d, _ := ParseDatadir(in)
		for _, s := range d.Schemas() {
			if s.KB != nil && *s.KB < 0 {
				t.Fatal("negative size")
			}
		}
		_, _ = Role(Effective{index: map[string]int{}}, &d)
		_, _ = ParseVersion(in)
		_ = DecodeName(in)
	})
}
