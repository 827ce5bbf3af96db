package evidence

import (
	"bytes"
	"testing"
)

// Rewriting bodies changes only them: the stream decodes to the same items with the
// new content, whatever came before the header stays.
func TestRewriteBodies(t *testing.T) {
	raw := append([]byte("login banner\n"), sample(t)...)
	same := RewriteBodies(raw, func(_ *Item, _ bool, b []byte) []byte { return b })
	if !bytes.Equal(same, raw) {
		t.Fatalf("an identity rewrite changed the stream:\n%q\n%q", raw, same)
	}
	up := RewriteBodies(raw, func(it *Item, stderr bool, b []byte) []byte {
		if stderr {
			return []byte("E")
		}
		return bytes.ToUpper(b)
	})
	want, _ := DecodeBytes(raw)
	got, err := DecodeBytes(up)
	if err != nil || len(got.Items) != len(want.Items) || got.Complete != want.Complete {
		t.Fatalf("decoded %+v, %v", got, err)
	}
	for i, it := range got.Items {
		w := want.Items[i]
		if it.ID() != w.ID() || it.Status != w.Status || !bytes.Equal(it.Data, bytes.ToUpper(w.Data)) || (len(w.Stderr) > 0) != (string(it.Stderr) == "E") {
			t.Errorf("item %d: %+v (%q %q), want %+v", i, it, it.Data, it.Stderr, w)
		}
	}
	if !bytes.HasPrefix(up, []byte("login banner\n")) {
		t.Error("the banner was lost")
	}
}
