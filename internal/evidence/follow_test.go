package evidence

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"
)

// A stream written in pieces of every size is handed over item by item, in order,
// each as the whole stream's decoding has it, and each once; only the last item,
// which no later begin record closes, is left to the final decoding.
func TestFollowerHandsOverCompleteItems(t *testing.T) {
	var stream bytes.Buffer
	w := NewWriter(&stream)
	w.Header(map[string]string{"probe": "2"}, "probe")
	for i := range 40 {
		w.Item(&Item{Kind: KindFile, Name: fmt.Sprintf("/etc/f%d", i), Limit: 100,
			Data: bytes.Repeat([]byte{byte('a' + i%26), '\n'}, i), Stderr: []byte(fmt.Sprint("err ", i)), Status: StatusOK})
	}
	raw := stream.Bytes()
	whole, err := DecodeBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, piece := range []int{1, 7, 64, 1 << 20} {
		var mu sync.Mutex
		var got []*Item
		f := Follow(func(it *Item) {
			mu.Lock()
			got = append(got, it)
			mu.Unlock()
		})
		for at := 0; at < len(raw); at += piece {
			f.Write(raw[at:min(at+piece, len(raw))])
		}
		// Whatever the follower is still reading, it finishes before it stops.
		waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == len(whole.Items)-1 })
		f.Close()
		f.Wait()
		for i, it := range got {
			want := whole.Items[i]
			if it.ID() != want.ID() || !bytes.Equal(it.Data, want.Data) || !bytes.Equal(it.Stderr, want.Stderr) || it.Status != want.Status {
				t.Fatalf("pieces of %d: item %d is %s %q, want %s %q", piece, i, it.ID(), it.Data, want.ID(), want.Data)
			}
		}
	}
}

// A follower given no evidence at all, or closed at once, stops without a word.
func TestFollowerStopsOnAnything(t *testing.T) {
	f := Follow(func(*Item) { t.Error("an item out of nothing") })
	f.Write([]byte("no evidence here\n\n\n"))
	f.Close()
	f.Wait()
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("timed out")
}

// Early work that panics stops the follower, not the process.
func TestFollowerSurvivesAPanickingHandOver(t *testing.T) {
	var stream bytes.Buffer
	w := NewWriter(&stream)
	for i := range 3 {
		w.Item(&Item{Kind: KindFile, Name: fmt.Sprintf("/etc/f%d", i), Limit: 10, Status: StatusOK})
	}
	f := Follow(func(*Item) { panic("early work failed") })
	f.Write(stream.Bytes())
	// It stops on its own once the hand-over failed: Wait returns without Close.
	f.Wait()
	f.Close()
}
