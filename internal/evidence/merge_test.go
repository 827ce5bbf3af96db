package evidence

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// halves writes the two streams of a probe run in halves with the items of each, and
// the probe's error output among the second's records: before its header line, in
// the middle of an item's data, between two records, right after a record's line,
// and between a record's leading newline and its line.
func halves(items [2][]*Item, end bool) (first, second []byte, stray string) {
	var a, b bytes.Buffer
	w := NewWriter(&a)
	w.Header(map[string]string{"probe": "2"}, "probe")
	bd := w.Boundary()
	for _, it := range items[0] {
		w.Item(it)
	}
	b.WriteString("sudo: a message before the shell\n")
	fmt.Fprintf(&b, "%s%d %s\n", Magic, FormatVersion, bd)
	for i, it := range items[1] {
		var item bytes.Buffer
		ContinueWriter(&item, bd).Item(it)
		cut := item.Len() / 2
		if i%2 == 1 {
			cut = 0 // between two records
		}
		switch i % 4 {
		case 2:
			// Right after a record's line, before the data that follows it.
			cut = bytes.IndexByte(item.Bytes()[1:], '\n') + 2
		case 3:
			// Between a record's leading newline and its line, which a shell
			// writes apart (bash, yash).
			cut = 1
		}
		b.Write(item.Bytes()[:cut])
		fmt.Fprintf(&b, "%s X sh: line %d: oops\n", bd, i)
		b.Write(item.Bytes()[cut:])
	}
	if end {
		fmt.Fprintf(&a, "\n%s Z 10.50 1/2\n", bd)
		fmt.Fprintf(&b, "\n%s Z 11.25 2/2\n", bd)
	}
	stray = "sudo: a message before the shell\n"
	for i := range items[1] {
		stray += fmt.Sprintf("sh: line %d: oops\n", i)
	}
	return a.Bytes(), b.Bytes(), stray
}

func mergeItems(n int, tag string) []*Item {
	var out []*Item
	for i := range n {
		out = append(out, &Item{Kind: KindFile, Name: fmt.Sprintf("/etc/%s%d", tag, i), Limit: 1000,
			Data: bytes.Repeat([]byte(tag+"\n"), i*40), Status: StatusOK, Start: 1, End: 2})
	}
	return append(out, &Item{Kind: KindCmd, Name: "cmd-" + tag, Command: "echo " + tag, Limit: 100,
		Data: []byte(tag), Stderr: []byte("warn"), Status: StatusOK, RC: 1})
}

// feed writes both streams into m in pieces of random sizes, taking turns at random.
func feed(m *Merge, stray *bytes.Buffer, first, second []byte, seed int64) {
	r := rand.New(rand.NewSource(seed))
	fw, sw := m.First(), m.Second(stray)
	for len(first) > 0 || len(second) > 0 {
		n := 1 + r.Intn(300)
		if r.Intn(2) == 0 && len(first) > 0 {
			n = min(n, len(first))
			fw.Write(first[:n])
			first = first[n:]
		} else if len(second) > 0 {
			n = min(n, len(second))
			sw.Write(second[:n])
			second = second[n:]
		}
	}
}

// The merged stream decodes to the items of both halves, each as written, complete;
// the probe's error output is kept apart, none of it in an item.
func TestMergeJoinsTwoHalves(t *testing.T) {
	items := [2][]*Item{mergeItems(12, "a"), mergeItems(9, "b")}
	first, second, wantStray := halves(items, true)
	for seed := range int64(20) {
		var out, live, stray bytes.Buffer
		m := NewMerge(&out, &live)
		feed(m, &stray, first, second, seed)
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		a, err := DecodeBytes(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !a.Complete || len(a.Problems) > 0 || a.Header["probe"] != "2" {
			t.Fatalf("seed %d: complete %v, problems %v, header %v", seed, a.Complete, a.Problems, a.Header)
		}
		if len(a.Items) != len(items[0])+len(items[1]) {
			t.Fatalf("seed %d: %d items, want %d", seed, len(a.Items), len(items[0])+len(items[1]))
		}
		for _, h := range items {
			for _, want := range h {
				got, ok := a.Get(want.ID())
				if !ok || !bytes.Equal(got.Data, want.Data) || !bytes.Equal(got.Stderr, want.Stderr) || got.Status != want.Status || got.RC != want.RC {
					t.Fatalf("seed %d: %s = %+v %q, want %q", seed, want.ID(), got, got.Data, want.Data)
				}
			}
		}
		if stray.String() != wantStray {
			t.Errorf("seed %d: stray = %q, want %q", seed, stray.String(), wantStray)
		}
		// In the order of a whole run: the first half's items, then the second's.
		var order []string
		for _, h := range items {
			for _, it := range h {
				order = append(order, it.ID())
			}
		}
		for i, it := range a.Items {
			if it.ID() != order[i] {
				t.Fatalf("seed %d: item %d is %s, want %s", seed, i, it.ID(), order[i])
			}
		}
		// Live, every item, as the halves' items came.
		l, err := DecodeBytes(live.Bytes())
		if err != nil || !l.Complete || len(l.Items) != len(order) {
			t.Errorf("seed %d: live stream: %v, %d items", seed, err, len(l.Items))
		}
		// One end record, the later half's, last.
		if n := strings.Count(out.String(), " Z "); n != 1 || !strings.HasSuffix(out.String(), " Z 11.25\n") {
			t.Errorf("seed %d: end records %d, stream ends %q", seed, n, out.String()[max(0, out.Len()-60):])
		}
	}
}

// A half cut short leaves the merged stream incomplete, with everything that arrived
// of both: the half's last item as far as it came.
func TestMergeOfAHalfCutShortIsIncomplete(t *testing.T) {
	items := [2][]*Item{mergeItems(5, "a"), mergeItems(5, "b")}
	first, second, _ := halves(items, true)
	for _, cut := range []string{"first", "second"} {
		f, s := first, second
		if cut == "first" {
			f = f[:bytes.LastIndex(f, []byte(" E "))]
		} else {
			s = s[:bytes.LastIndex(s, []byte(" E "))]
		}
		var out, stray bytes.Buffer
		m := NewMerge(&out, nil)
		feed(m, &stray, f, s, 1)
		m.Close()
		a, err := DecodeBytes(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if a.Complete {
			t.Errorf("%s cut: the merged stream is complete", cut)
		}
		if len(a.Items) != 12 {
			t.Errorf("%s cut: %d items, want 12", cut, len(a.Items))
		}
		last := "cmd:cmd-a"
		if cut == "second" {
			last = "cmd:cmd-b"
		}
		if it, _ := a.Get(last); it.Status != StatusCut {
			t.Errorf("%s cut: %s = %+v, want cut", cut, last, it)
		}
	}
}

// The stream of a probe that ran its plan whole passes as it is, whatever comes on
// the other writer.
func TestMergePassesAWholeRun(t *testing.T) {
	var a bytes.Buffer
	w := NewWriter(&a)
	w.Header(map[string]string{"probe": "2"}, "probe")
	for _, it := range mergeItems(7, "a") {
		w.Item(it)
	}
	w.Close()
	var out, stray bytes.Buffer
	m := NewMerge(&out, nil)
	feed(m, &stray, a.Bytes(), []byte("sh: warning: something\n"), 3)
	m.Close()
	if !bytes.Equal(out.Bytes(), a.Bytes()) {
		t.Errorf("merged stream differs from the whole run's")
	}
	if stray.String() != "sh: warning: something\n" {
		t.Errorf("stray = %q", stray.String())
	}
}
