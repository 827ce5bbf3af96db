package accounts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/survey/kit"
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

func checkErr(t *testing.T, err error) {
	if pe, ok := err.(*kit.ParseError); ok && len(pe.Lines) == 0 {
		t.Fatal("a kit.ParseError without lines")
	}
}

func FuzzParseSudoers(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSudoers("/etc/sudoers", in)
		checkErr(t, err)
		pw, _ := ParsePasswd(in)
		gr, _ := ParseGroup(in)
		for _, r := range Resolve([]*Sudoers{s, s}, Accounts{Users: pw, Groups: gr}) {
			if r.Line < 1 || len(r.Commands) == 0 {
				t.Fatalf("rule %+v", r)
			}
		}
	})
}

func FuzzParseAccounts(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		pw, err := ParsePasswd(in)
		checkErr(t, err)
		for _, e := range pw {
			if e.Name == "" || e.UID < 0 || e.GID < 0 {
				t.Fatalf("entry %+v", e)
			}
			_ = Kind(e, ParseLoginDefs(in, LoginDefs{UIDMin: 1000}), false)
		}
		_, err = ParseGroup(in)
		checkErr(t, err)
		_, err = ParseShadowState(in)
		checkErr(t, err)
	})
}

func FuzzParseAuthorizedKeys(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		keys, err := ParseAuthorizedKeys(in)
		checkErr(t, err)
		for _, k := range keys {
			if k.Fingerprint == "" || k.Type == "" {
				t.Fatalf("key %+v", k)
			}
		}
		_ = redact.KeyLines([]byte(in))
	})
}

func FuzzParseSSHDConfig(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := ParseSSHDConfig(in)
		checkErr(t, err)
		for _, d := range ds {
			if d.Key == "" || d.Value == "" {
				t.Fatalf("directive %+v", d)
			}
		}
	})
}

func FuzzParseLastlog(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		lls, err := ParseLastlog(in)
		checkErr(t, err)
		for _, l := range lls {
			if l.User == "" {
				t.Fatalf("entry %+v", l)
			}
		}
	})
}
