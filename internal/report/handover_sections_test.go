package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Every row of the section table has all its parts: an anchor of its own, a title
// and an introduction in both languages, what it reads, and how it is built; a
// section that belongs to another comes after it.
func TestHandoverSectionsComplete(t *testing.T) {
	isAnchor := regexp.MustCompile(`^[a-z0-9-]+$`)
	surveyed := map[snapshot.Section]bool{}
	for _, sec := range snapshot.Sections {
		surveyed[sec] = true
	}
	seen := map[string]bool{}
	for i, hs := range handoverSections() {
		name := fmt.Sprintf("section %d (%q)", i+1, hs.id)
		if !isAnchor.MatchString(hs.id) {
			t.Errorf("%s: its id is not an anchor", name)
		}
		if seen[hs.id] {
			t.Errorf("%s: its id is taken by an earlier section", name)
		}
		for _, label := range []struct{ part, key string }{{"title", hs.title}, {"introduction", hs.intro}} {
			if label.key == "" {
				t.Errorf("%s has no %s", name, label.part)
				continue
			}
			if _, ok := labelsEN[label.key]; !ok {
				t.Errorf("%s: its %s %q is not in the English catalog", name, label.part, label.key)
			}
			if _, ok := labelsJA[label.key]; !ok {
				t.Errorf("%s: its %s %q is not in the Japanese catalog", name, label.part, label.key)
			}
		}
		if hs.under != "" && !seen[hs.under] {
			t.Errorf("%s is under %q, which is not an earlier section", name, hs.under)
		}
		if hs.build == nil {
			t.Errorf("%s has no build function", name)
		}
		if hs.reads == nil {
			t.Errorf("%s does not say which snapshot sections it reads (an empty list says none)", name)
		}
		for _, r := range hs.reads {
			if !surveyed[r] {
				t.Errorf("%s reads %q, which is no section of the snapshot", name, r)
			}
		}
		seen[hs.id] = true
	}
}

// What a section declares it reads is what its empty tables answer to: with each
// of those sections denied and the rest collected, every empty table says "not
// known"; with those collected and the rest denied, none does.
func TestHandoverSectionsReadWhatTheyDeclare(t *testing.T) {
	notKnown, _, _ := strings.Cut(L("en", "empty.unknown"), ":")
	for _, hs := range handoverSections() {
		declared := map[snapshot.Section]bool{}
		for _, r := range hs.reads {
			declared[r] = true
		}
		if hs.build == nil {
			continue // TestHandoverSectionsComplete says so
		}
		for _, readsDenied := range []bool{true, false} {
			if readsDenied && len(hs.reads) == 0 {
				continue
			}
			s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{}}
			for _, sec := range snapshot.Sections {
				cov := snapshot.Coverage{Status: snapshot.Collected}
				if declared[sec] == readsDenied {
					cov = snapshot.Coverage{Status: snapshot.Denied, Reason: "needs root"}
				}
				s.Coverage[sec] = cov
			}
			sec := &Section{ID: hs.id}
			hs.build(&builder{s: s, lang: "en"}, sec)
			for _, part := range (&Document{Sections: []*Section{sec}}).All() {
				for _, blk := range part.Blocks {
					tb, ok := blk.(*Table)
					if !ok || len(tb.Rows) > 0 {
						continue
					}
					unknown := strings.HasPrefix(tb.Empty, notKnown)
					switch {
					case readsDenied && !unknown:
						t.Errorf("%s: what it reads is denied, yet an empty table (%s) says %q", part.ID, tb.Explain, tb.Empty)
					case !readsDenied && unknown:
						t.Errorf("%s: an empty table (%s) answers to a section the section does not declare: %q", part.ID, tb.Explain, tb.Empty)
					}
				}
			}
		}
	}
}
