package hostos

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func file(path, text string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindFile, Name: path, Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte(text)}
}

func fileStatus(path string, st evidence.Status) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindFile, Name: path, Limit: 1 << 20, Status: st}
}

func cmd(name, text string, rc int) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: name, Command: name, Limit: 1 << 20, Status: evidence.StatusOK, RC: rc, Data: []byte(text)}
}

func cmdStatus(name string, st evidence.Status) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: name, Command: name, Limit: 1 << 20, Status: st}
}

func list(path, text string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindList, Name: path, Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte(text)}
}

// input builds a kit.Input over a complete archive, as survey.Run would.
func input(items ...*evidence.Item) *kit.Input {
	a := &evidence.Archive{Complete: true, Header: map[string]string{}}
	for _, it := range items {
		a.Add(it)
	}
	return &kit.Input{Archive: a, Snap: &snapshot.Snapshot{
		Source:   snapshot.Source{Kind: "ssh"},
		Coverage: map[snapshot.Section]snapshot.Coverage{},
		Evidence: map[string]snapshot.EvidenceRef{},
	}}
}

func offline(in *kit.Input) *kit.Input {
	in.Snap.Source.Kind = "root"
	return in
}

// checkCited fails when a section's coverage or facts name an item the snapshot's
// evidence index does not describe.
func checkCited(t *testing.T, in *kit.Input) {
	t.Helper()
	for sec, c := range in.Snap.Coverage {
		for _, id := range c.Evidence {
			if _, ok := in.Snap.Evidence[id]; !ok {
				t.Errorf("coverage of %s cites %s, which is not in the evidence index", sec, id)
			}
		}
	}
	for _, id := range append(append([]string{}, in.Snap.Host.Evidence...), in.Snap.OS.Evidence...) {
		if _, ok := in.Snap.Evidence[id]; !ok {
			t.Errorf("fact cites %s, which is not in the evidence index", id)
		}
	}
}
