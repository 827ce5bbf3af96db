package evidence

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
)

func sample(t testing.TB) []byte {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Header(map[string]string{"probe": "1", "uid": "0"}, "probe", "uid")
	w.Item(&Item{Kind: KindFile, Name: "/etc/hostname", Limit: 100, Status: StatusOK, Data: []byte("h\n"), Start: 1.5, End: 2})
	w.Item(&Item{Kind: KindCmd, Name: "ps", Command: "ps -e", Limit: 5, Status: StatusOK, RC: 1, Data: []byte("0123456789"), Stderr: []byte("oops")})
	w.Item(&Item{Kind: KindFile, Name: "/etc/shadow", Limit: 100, Status: StatusDenied})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	// A banner and a sudo prompt before the stream must be skipped.
	a, err := DecodeBytes(append([]byte("Welcome\r\n[sudo] password: \r\n"), sample(t)...))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Complete || a.Header["uid"] != "0" || len(a.Problems) != 0 {
		t.Fatalf("complete=%v header=%v problems=%v", a.Complete, a.Header, a.Problems)
	}
	h, _ := a.File("/etc/hostname")
	if h.Text() != "h\n" || h.Duration() != 0.5 {
		t.Errorf("hostname = %q, %v s", h.Text(), h.Duration())
	}
	ps, _ := a.Cmd("ps")
	if ps.Text() != "01234" || !ps.Truncated || ps.RC != 1 || string(ps.Stderr) != "oops" || ps.Command != "ps -e" {
		t.Errorf("ps = %+v %q", ps, ps.Text())
	}
	if sh, _ := a.File("/etc/shadow"); sh.Status != StatusDenied || sh.OK() {
		t.Errorf("shadow = %+v", sh)
	}
	if it, ok := a.File("/etc/nothing"); ok || it.Status != StatusMissing {
		t.Errorf("missing item = %+v", it)
	}
}

// A stream cut anywhere decodes what came before, marks the cut item, and never
// claims to be complete.
func TestTruncatedAnywhere(t *testing.T) {
	full := sample(t)
	magicEnd := bytes.IndexByte(full, '\n') + 1
	for n := magicEnd; n < len(full)-4; n++ {
		a, err := DecodeBytes(full[:n])
		if err != nil {
			t.Fatalf("cut at %d: %v", n, err)
		}
		if a.Complete {
			t.Fatalf("cut at %d: claims complete", n)
		}
		for _, it := range a.Items {
			if it.Status == StatusOK && it.Name == "/etc/shadow" {
				t.Fatalf("cut at %d: invented an ok item", n)
			}
		}
	}
}

func TestGzipAndErrors(t *testing.T) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(sample(t))
	zw.Close()
	if a, err := Decode(&z); err != nil || !a.Complete {
		t.Fatalf("gzip: %v", err)
	}
	if _, err := DecodeBytes([]byte("hello\x00\xff")); !errors.Is(err, ErrNoEvidence) {
		t.Errorf("garbage: %v", err)
	}
	if _, err := DecodeBytes([]byte("TROWEL-EVIDENCE/9 tw0123456789\n")); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("future version: %v", err)
	}
	// A read error after some data keeps the data.
	r := io.MultiReader(bytes.NewReader(sample(t)[:200]), errReader{})
	a, err := Decode(r)
	if err != nil || a.Complete || len(a.Problems) == 0 {
		t.Errorf("dropped stream: err=%v complete=%v", err, a != nil && a.Complete)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func FuzzDecode(f *testing.F) {
	f.Add(sample(f))
	f.Add([]byte("TROWEL-EVIDENCE/1 twabcdefgh\n\ntwabcdefgh B file 3 /x\nabcdef\ntwabcdefgh E ok 0 - -\n"))
	f.Add([]byte("TROWEL-EVIDENCE/1 twabcdefgh\n\ntwabcdefgh B cmd -1 x\n\ntwabcdefgh S\n\ntwabcdefgh Z"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeBytes(b)
		if err != nil {
			return
		}
		for _, it := range a.Items {
			if it.Limit >= 0 && int64(len(it.Data)) > it.Limit {
				t.Fatalf("item %s holds %d bytes over its limit %d", it.ID(), len(it.Data), it.Limit)
			}
		}
	})
}
