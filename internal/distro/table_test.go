package distro

import (
	"path"
	"strings"
	"testing"
)

// checkedPlatforms are the releases the package table is checked on: the codify
// targets and the legacy releases trowel surveys.
func checkedPlatforms() []Platform {
	ps := Targets()
	for _, s := range []string{"centos-5", "centos-6", "centos-7", "rhel-8", "amzn-1", "amzn-2", "debian-10", "debian-11", "ubuntu-18.04", "ubuntu-22.04"} {
		p, err := ParsePlatform(s)
		if err != nil {
			panic(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestDataParses(t *testing.T) {
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.packages) < 100 || len(tb.sameName) < 60 {
		t.Errorf("table smaller than expected: %d package rows, %d same-name packages", len(tb.packages), len(tb.sameName))
	}
	if data() == nil {
		t.Fatal("data() returned nil")
	}
}

func TestPackageTable(t *testing.T) {
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	describe := func(i int) string {
		var names []string
		for _, v := range tb.packages[i].On {
			names = append(names, v...)
		}
		return strings.Join(names, "/")
	}

	// Every row says what to install on every target, even if that is nothing.
	for i, r := range tb.packages {
		for _, p := range Targets() {
			if _, _, ok := resolveOn(r.On, p); !ok {
				t.Errorf("row %d (%s) has no entry for %s", i+1, describe(i), p)
			}
		}
		for k := range r.Notes {
			if k == "any" {
				continue
			}
			if _, err := canonicalSelector(k); err != nil {
				t.Errorf("row %d: note selector %q: %v", i+1, k, err)
			}
		}
	}

	// On one platform, a name belongs to one row, and same_name names belong to none.
	for _, p := range checkedPlatforms() {
		owner := map[string]int{}
		for i, r := range tb.packages {
			names, _, _ := resolveOn(r.On, p)
			for _, n := range names {
				n = strings.ToLower(n)
				if prev, ok := owner[n]; ok && prev != i {
					t.Errorf("%s: %q is in row %d (%s) and row %d (%s)", p, n, prev+1, describe(prev), i+1, describe(i))
				}
				owner[n] = i
				if tb.sameName[n] {
					t.Errorf("%s: %q is both in same_name and in row %d", p, n, i+1)
				}
			}
		}
	}

	// An alias names one row only, is not a name another row uses, and no pattern
	// catches another row's alias.
	for alias, row := range tb.aliasBy.exact {
		if tb.sameName[alias] {
			t.Errorf("alias %q is in same_name", alias)
		}
		if other, ok := tb.anyName[alias]; ok && other != row {
			t.Errorf("alias %q of row %d (%s) is a name of row %d (%s)", alias, row+1, describe(row), other+1, describe(other))
		}
		for _, g := range tb.aliasBy.globs {
			if ok, _ := path.Match(g.pattern, alias); ok && g.row != row {
				t.Errorf("pattern %q of row %d (%s) matches alias %q of row %d (%s)", g.pattern, g.row+1, describe(g.row), alias, row+1, describe(row))
			}
		}
	}
	for name, row := range tb.anyName {
		for _, g := range tb.aliasBy.globs {
			if ok, _ := path.Match(g.pattern, name); ok && g.row != row {
				t.Errorf("pattern %q of row %d (%s) matches %q of row %d (%s)", g.pattern, g.row+1, describe(g.row), name, row+1, describe(row))
			}
		}
	}
	for n := range tb.sameName {
		if _, ok := tb.anyName[n]; ok {
			t.Errorf("same_name %q is also a row's name", n)
		}
		if _, ok := tb.aliasBy.find(n); ok {
			t.Errorf("same_name %q matches an alias", n)
		}
	}
}

// TestPackageRoundTrip maps every name of every row from each checked platform to
// each target and back: the way back must land in the same row.
func TestPackageRoundTrip(t *testing.T) {
	tb := data()
	for i, r := range tb.packages {
		for _, from := range checkedPlatforms() {
			names, _, _ := resolveOn(r.On, from)
			for _, n := range names {
				if got, ok := tb.packageRowFor(strings.ToLower(n), from); !ok || got != i {
					t.Errorf("%q on %s resolves to row %d, want %d", n, from, got+1, i+1)
				}
			}
		}
	}
}

func TestCanonicalSelector(t *testing.T) {
	tests := map[string]string{"rhel": "rhel", "debian": "debian", "el9": "el9", "amzn": "amzn",
		"ubuntu": "ubuntu", "amazonlinux-2023": "amzn-2023", "debian-12": "debian-12", "Ubuntu-24.04": "ubuntu-24.04"}
	for in, want := range tests {
		if got, err := canonicalSelector(in); err != nil || got != want {
			t.Errorf("canonicalSelector(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := canonicalSelector("debain"); err == nil {
		t.Error("a misspelt selector was accepted")
	}
}
