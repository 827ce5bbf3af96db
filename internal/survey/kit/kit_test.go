package kit

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestCompleteLinesDropsACutLine(t *testing.T) {
	for _, c := range []struct {
		it   *evidence.Item
		want string
	}{
		{&evidence.Item{Status: evidence.StatusOK, Data: []byte("a\nb\n")}, "a\nb\n"},
		{&evidence.Item{Status: evidence.StatusOK, Data: []byte("a\nb")}, "a\nb"}, // whole file without a final newline
		{&evidence.Item{Status: evidence.StatusOK, Truncated: true, Data: []byte("a\nbro")}, "a\n"},
		{&evidence.Item{Status: evidence.StatusCut, Data: []byte("a\nbro")}, "a\n"},
		{&evidence.Item{Status: evidence.StatusTimeout, Data: []byte("bro")}, ""},
	} {
		if got := CompleteLines(c.it); got != c.want {
			t.Errorf("CompleteLines(%q, %s, truncated %v) = %q, want %q", c.it.Data, c.it.Status, c.it.Truncated, got, c.want)
		}
	}
}

func TestWorseOf(t *testing.T) {
	if WorseOf(snapshot.Collected, snapshot.Partial) != snapshot.Partial ||
		WorseOf(snapshot.Denied, snapshot.Partial) != snapshot.Denied ||
		WorseOf(snapshot.NotApplicable, snapshot.Collected) != snapshot.NotApplicable ||
		WorseOf(snapshot.TimedOut, snapshot.Unavailable) != snapshot.Unavailable {
		t.Error("WorseOf does not keep the weakest status")
	}
}
