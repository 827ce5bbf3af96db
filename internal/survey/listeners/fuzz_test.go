package listeners

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func seedAll(f *testing.F) {
	names, _ := filepath.Glob("testdata/*")
	for _, n := range names {
		if filepath.Ext(n) == ".md" {
			continue
		}
		b, err := os.ReadFile(n)
		if err == nil {
			f.Add(string(b))
		}
	}
}

func checkSockets(t *testing.T, socks []Socket, err error) {
	for _, s := range socks {
		if !isProto(s.Proto) {
			t.Fatalf("protocol %q", s.Proto)
		}
		if s.Local.Port < 0 || s.Local.Port > 65535 || s.Remote.Port < 0 || s.Remote.Port > 65535 {
			t.Fatalf("port out of range: %+v", s)
		}
		if s.State == "" {
			t.Fatalf("no state: %+v", s)
		}
	}
	if pe, ok := err.(*kit.ParseError); ok && len(pe.Lines) == 0 {
		t.Fatal("a kit.ParseError without lines")
	}
	l := Listening(socks)
	if len(l) > len(socks) {
		t.Fatal("more listeners than sockets")
	}
	for _, s := range l {
		_ = MainOwner(s.Owners, nil)
	}
}

func FuzzParseSockets(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		socks, err := ParseSockets(in)
		checkSockets(t, socks, err)
	})
}

func FuzzParseProcNet(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		for _, p := range []string{"tcp", "udp6"} {
			for _, be := range []bool{false, true} {
				socks, err := ParseProcNet(in, p, be)
				checkSockets(t, socks, err)
			}
		}
	})
}
