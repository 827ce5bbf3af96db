package diff

import (
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestConcernTable walks the table and fails for a kind that lacks a part: a
// Concern ranked with the others and named in both languages, a section of the
// snapshot, a reader that reads the kind from a host that has it, and items that
// are named, cite where they were read, and whose fields are named in both
// languages.
func TestConcernTable(t *testing.T) {
	h := newHosts(everyKind(), everyKind())
	seen := map[string]bool{}
	last := 0
	for _, k := range concerns() {
		row := string(k.id) + "/" + string(k.section)
		if k.id == "" {
			t.Errorf("%s: no Concern", row)
		}
		if seen[row] {
			t.Errorf("%s: twice in the table", row)
		}
		seen[row] = true
		if !slices.Contains(snapshot.Sections, k.section) {
			t.Errorf("%s: %q is no section of the snapshot", row, k.section)
		}
		r := rank(k.id)
		if r >= len(Concerns) {
			t.Errorf("%s: not ranked in Concerns %v", row, Concerns)
		}
		if r < last {
			t.Errorf("%s: apart from the other rows of %s, so its rank is not where it stands", row, k.id)
		}
		last = r
		for _, lang := range []string{"en", "ja"} {
			if _, ok := labels[lang][string(k.id)]; !ok {
				t.Errorf("%s: no %s label for the concern", row, lang)
			}
		}
		if k.read == nil {
			t.Errorf("%s: no reader", row)
			continue
		}
		olds, news := k.read(&h)
		if len(olds) == 0 || len(news) == 0 {
			t.Errorf("%s: read %d and %d items from a host that has every kind (give everyKind one)", row, len(olds), len(news))
		}
		for _, it := range append(olds, news...) {
			if it.key == "" || it.label == "" {
				t.Errorf("%s: an item without a key or a label: %+v", row, it)
			}
			if len(it.refs) == 0 {
				t.Errorf("%s: %s cites no source", row, it.label)
			}
			for _, f := range it.fields {
				for _, lang := range []string{"en", "ja"} {
					if _, ok := labels[lang]["f_"+f.name]; !ok {
						t.Errorf("%s: no %s label for field %s", row, lang, f.name)
					}
				}
			}
		}
	}
	// Every Concern is reported by some case of TestEveryConcern.
	reported := map[Concern]bool{}
	for _, tc := range concernCases {
		old := centos5()
		new := clone(t, old)
		tc.change(new)
		for _, d := range Compare(old, new).Differences {
			reported[d.Concern] = true
		}
	}
	for _, c := range Concerns {
		if !reported[c] {
			t.Errorf("no case of TestEveryConcern changes %s", c)
		}
	}
}
