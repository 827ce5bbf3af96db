package snapshot

import (
	"slices"
	"testing"
)

func TestAppendNew(t *testing.T) {
	got := AppendNew([]string{"a", "b"}, "b", "", "c", "a", "c")
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("AppendNew = %q, want %q", got, want)
	}
	if got := AppendNew(nil, "", ""); got != nil {
		t.Errorf("AppendNew of nothing known = %q, want nil", got)
	}
}
