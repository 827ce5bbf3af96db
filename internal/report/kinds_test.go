package report

import (
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// TestEverySpecKindIsShown holds the document's sections to spec's table of kinds
// (which verify's checks are held to in turn): every section a kind of expectation
// is derived from is shown by a section of the handover document, so that what a
// new host is checked for can be read of the old one, and a kind added to spec and
// verify whose facts no section shows fails here.
func TestEverySpecKindIsShown(t *testing.T) {
	shown := map[snapshot.Section]bool{}
	for _, h := range handoverSections() {
		if slices.Equal(h.reads, snapshot.Sections) {
			continue // the summary and the coverage: every section's coverage, no facts
		}
		for _, sec := range h.reads {
			shown[sec] = true
		}
	}
	for _, k := range spec.Kinds {
		secs := spec.SectionsOf(k, legacySnapshot(t))
		if len(secs) == 0 {
			t.Errorf("kind %s reads no section of the snapshot", k)
		}
		for _, sec := range secs {
			if !shown[sec] {
				t.Errorf("kind %s is derived from the %s section, which no section of the handover document shows", k, sec)
			}
		}
	}
}
