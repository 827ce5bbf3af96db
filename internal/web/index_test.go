package web

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/trowel-dev/trowel/internal/estate"
)

// The map of the snapshots as the index decodes them (lean) is the map of the
// whole snapshots: what lean skips, the map does not read.
func TestLeanMapsTheSame(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	ctx := context.Background()
	hosts, err := ts.st.Hosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var whole, leanOnes []estate.Named
	for _, h := range hosts {
		s, err := ts.st.Snapshot(ctx, *h.Latest)
		if err != nil {
			continue // broken
		}
		doc, err := ts.st.SnapshotJSON(ctx, *h.Latest)
		if err != nil {
			t.Fatal(err)
		}
		l, err := decodeLean(doc)
		if err != nil {
			t.Fatal(err)
		}
		if l.Packages != nil || l.Evidence != nil || len(l.Kernel.Sysctls) != 0 || l.Files.Configs[0].Content != "" {
			t.Errorf("%s: lean decoded what it skips", h.Name)
		}
		whole = append(whole, estate.Named{Name: h.Name, Group: h.Group, Snapshot: s})
		leanOnes = append(leanOnes, estate.Named{Name: h.Name, Group: h.Group, Snapshot: l})
	}
	if len(whole) != 6 {
		t.Fatalf("%d hosts read", len(whole))
	}
	a, _ := json.Marshal(estate.Build(whole))
	b, _ := json.Marshal(estate.Build(leanOnes))
	if string(a) != string(b) {
		t.Errorf("the map of lean snapshots differs from the map of whole ones:\n%s\n%s", a, b)
	}
	if len(a) < 5000 {
		t.Errorf("the map is too small to tell: %d bytes", len(a))
	}
}
