package spec

import (
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestDeriveLogFollows(t *testing.T) {
	rec := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	late := rec.Add(time.Hour)
	size := int64(4096)
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "legacy"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionShippers: {Status: snapshot.Collected}}}
	s.Logs.Shippers = []snapshot.LogShipper{
		{Name: "logship", Running: snapshot.Bool(true), Positions: []snapshot.LogPosition{
			{Log: "/var/log/apache2/access.log", Offset: 4096, File: "/var/lib/logship/access.pos", Recorded: &rec, LogBytes: &size, LogModified: &rec, Evidence: "cmd:log-positions"},
			{Log: "/var/log/app.log", Offset: 10, File: "/var/lib/logship/app.pos", Recorded: &rec, LogBytes: &size, LogModified: &late, Evidence: "cmd:log-positions"},
		}},
		{Name: "td-agent", Running: snapshot.Bool(false), Positions: []snapshot.LogPosition{
			{Log: "/var/log/messages", Offset: 4096, File: "/var/log/td-agent/m.pos", LogBytes: &size},
		}},
	}
	sp := Derive(s, "")
	var got []Expectation
	for _, e := range sp.Expectations {
		if e.Kind() == KindLogFollow {
			got = append(got, e)
		}
	}
	if len(got) != 1 || bodyOf[LogFollow](t, got[0]) != (LogFollow{Name: "logship", Log: "/var/log/apache2/access.log"}) ||
		got[0].From.Source != "/var/lib/logship/access.pos" || !strings.Contains(got[0].Note, "4096 of 4096") {
		t.Fatalf("expectations: %+v", got)
	}
	var gaps []string
	for _, g := range sp.Gaps {
		if strings.HasPrefix(g, "log follow:") {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) != 1 || !strings.Contains(gaps[0], "/var/log/app.log") || !strings.Contains(gaps[0], "4086 bytes behind") {
		t.Errorf("the source's own stuck log must be said, not expected: %q", gaps)
	}
}
