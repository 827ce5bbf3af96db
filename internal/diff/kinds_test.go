package diff

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// TestEverySpecKindIsCompared holds the table of concerns to spec's table of kinds
// (which verify's checks are held to in turn): every section a kind of expectation is
// derived from and checked against is compared by a row here, so a kind added to spec
// and verify and not to diff fails. The answers alone are not compared: they are the
// replies of a host to trowel's requests, which verify checks the new host's against.
func TestEverySpecKindIsCompared(t *testing.T) {
	notCompared := map[snapshot.Section]bool{snapshot.SectionAnswers: true}
	compared := map[snapshot.Section]bool{}
	for _, c := range concerns() {
		compared[c.section] = true
	}
	// spec's own source host, for the kinds whose sections depend on what was
	// derived (a setting's, on its service).
	doc, err := os.ReadFile("../spec/testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	var legacy snapshot.Snapshot
	if err := json.Unmarshal(doc, &legacy); err != nil {
		t.Fatal(err)
	}
	for _, k := range spec.Kinds {
		secs := slices.Compact(slices.Sorted(slices.Values(append(spec.SectionsOf(k, everyKind()), spec.SectionsOf(k, &legacy)...))))
		if len(secs) == 0 {
			t.Errorf("kind %s reads no section of the snapshot (give everyKind one of it)", k)
		}
		for _, sec := range secs {
			if !compared[sec] && !notCompared[sec] {
				t.Errorf("kind %s is derived from the %s section, which no row of concerns() compares", k, sec)
			}
		}
	}
}
