package cron

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func seeds(f *testing.F) {
	names, _ := filepath.Glob("testdata/*")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
}

func FuzzParseCrontab(f *testing.F) {
	seeds(f)
	tokyo, _ := time.LoadLocation("America/New_York")
	from := time.Date(2027, 3, 13, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		for _, system := range []bool{false, true} {
			es, _ := ParseCrontab(s, system)
			for _, e := range es {
				if e.Line <= 0 || e.Schedule == "" || strings.TrimSpace(e.Command) == "" {
					t.Fatalf("bad entry %+v", e)
				}
				if e.Spec != nil {
					runs := e.Spec.Next(from, tokyo, 2)
					for i, r := range runs {
						if !r.After(from) || i > 0 && !r.After(runs[i-1]) {
							t.Fatalf("runs out of order: %v", runs)
						}
					}
				}
			}
		}
	})
}

func FuzzParseAnacrontab(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, j := range mustNotPanic(ParseAnacrontab(s)) {
			if j.Delay < 0 || j.Command == "" {
				t.Fatalf("%+v", j)
			}
		}
		_, _ = ParseAtq(s)
		_, _ = ParseListTimers(s)
		_, _ = ParseTimerUnit(s)
		_, _ = SplitPercent(s)
	})
}

func mustNotPanic(j []AnacronJob, _ error) []AnacronJob { return j }
