package verify

import (
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/spec"
)

// TestEveryKindIsChecked holds the table of checks to spec's table of kinds: one
// check per kind, in the same order, and none for a kind spec does not know. (spec's
// TestEveryKindHasItsParts holds each kind to its other parts; TestEveryKind here
// gives each a passing and a failing target.)
func TestEveryKindIsChecked(t *testing.T) {
	var table []spec.Kind
	for _, c := range checks() {
		table = append(table, c.kind())
	}
	if !slices.Equal(table, spec.Kinds) {
		t.Errorf("verify checks %q, spec has the kinds %q", table, spec.Kinds)
	}
}

// An expectation verify cannot read (no body, or a body of an unexpected type) is
// unknown, and says so: it neither passes nor panics.
func TestAnUnreadableExpectationIsSkipped(t *testing.T) {
	for _, e := range []spec.Expectation{
		{ID: "nobody"},
		{ID: "pointer", Body: &spec.Timezone{Zone: "Asia/Tokyo"}},
	} {
		if got := one(e, host(nil)); got.Status != Skipped || got.Message == "" {
			t.Errorf("%s: %s: %s", e.ID, got.Status, got.Message)
		}
	}
}
