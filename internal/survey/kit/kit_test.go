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

// A glob that matched nothing leaves no item: in a complete archive the file is
// absent (not "never reached"), in a cut one it is unknown, and a file no glob
// reads stays missing either way.
func TestGetFileAGlobWouldHaveRead(t *testing.T) {
	for _, tc := range []struct {
		complete bool
		path     string
		want     evidence.Status
	}{
		{true, "/etc/httpd/conf/httpd.conf", evidence.StatusAbsent},
		{false, "/etc/httpd/conf/httpd.conf", evidence.StatusCut},
		{true, "/etc/no-glob-reads-this.conf", evidence.StatusMissing},
	} {
		in := &Input{Archive: &evidence.Archive{Complete: tc.complete}, Snap: &snapshot.Snapshot{}}
		if got := in.File(tc.path).Status; got != tc.want {
			t.Errorf("complete=%v %s: status %q, want %q", tc.complete, tc.path, got, tc.want)
		}
	}
}
