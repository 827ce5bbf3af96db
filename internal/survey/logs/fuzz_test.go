package logs

import (
	"os"
	"path/filepath"
	"testing"
)

func seedAll(f *testing.F) {
	names, _ := filepath.Glob("testdata/*")
	for _, n := range names {
		if filepath.Ext(n) == ".md" {
			continue
		}
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
}

func checkConf(t *testing.T, c ShipConf) {
	for _, d := range c.Dests {
		if d.Host == "" || d.Port < 0 || d.Port > 65535 || d.Line < 1 {
			t.Fatalf("bad destination %+v", d)
		}
	}
}

func FuzzParsers(f *testing.F) {
	seedAll(f)
	f.Fuzz(func(t *testing.T, in string) {
		checkConf(t, ParseRsyslog(in))
		checkConf(t, ParseSyslogNG(in))
		checkConf(t, ParseFluentd(in))
		checkConf(t, ParseFluentBit(in))
		checkConf(t, ParseKeyValue(in))
		c, _ := ParseFilebeat(in)
		checkConf(t, c)
		_, _ = ParseLogrotate(in, Rotate{})
		st, _ := ParseFileStats(in)
		for _, s := range st {
			if s.Bytes < 0 || s.Path == "" {
				t.Fatalf("bad stat %+v", s)
			}
		}
		files, stats := ParsePositions(in)
		for _, pf := range files {
			for _, e := range current(pf.Entries, stats) {
				if e.Offset < 0 || e.Log == "" {
					t.Fatalf("bad position %+v", e)
				}
			}
		}
		for _, ch := range SplitChunks(in, true) {
			if ch.PID <= 0 || ch.Path == "" {
				t.Fatalf("bad chunk %+v", ch)
			}
		}
	})
}
