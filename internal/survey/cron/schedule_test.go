package cron

import (
	"strings"
	"testing"
	"time"
)

func mustSpec(t *testing.T, s string) *Spec {
	t.Helper()
	sp, err := ParseSpec(strings.Fields(s))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return sp
}

func fmtRuns(ts []time.Time, loc *time.Location) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.In(loc).Format("2006-01-02 15:04 MST"))
	}
	return strings.Join(out, ", ")
}

// Each expectation below was worked out by hand from crontab(5) and a calendar.
func TestNextHandComputed(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ny, _ := time.LoadLocation("America/New_York")
	from := func(loc *time.Location, s string) time.Time {
		tt, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	cases := []struct {
		name, spec string
		loc        *time.Location
		from       string
		n          int
		want       string
	}{
		// 2026-11-21 is a Saturday.
		{"every 5 minutes", "*/5 * * * *", tokyo, "2026-11-21 10:36", 3, "2026-11-21 10:40 JST, 2026-11-21 10:45 JST, 2026-11-21 10:50 JST"},
		{"daily 02:30", "30 2 * * *", tokyo, "2026-11-21 10:36", 2, "2026-11-22 02:30 JST, 2026-11-23 02:30 JST"},
		// dom 1 OR Monday: Mon 23, Mon 30, Tue Dec 1, Mon Dec 7.
		{"dom/dow OR", "0 0 1 * 1", tokyo, "2026-11-21 10:36", 4, "2026-11-23 00:00 JST, 2026-11-30 00:00 JST, 2026-12-01 00:00 JST, 2026-12-07 00:00 JST"},
		// dom starred with a step: AND, so only odd dates that are Sundays (Nov 29 and Dec 13 are odd Sundays; Dec 6 is an even one).
		{"*/2 dom is starred: AND", "0 0 */2 * sun", tokyo, "2026-11-21 10:36", 2, "2026-11-29 00:00 JST, 2026-12-13 00:00 JST"},
		{"dow 7 is Sunday", "0 9 * * 7", tokyo, "2026-11-21 10:36", 2, "2026-11-22 09:00 JST, 2026-11-29 09:00 JST"},
		{"names and ranges", "15 8 * jan-feb mon-fri", tokyo, "2026-11-21 10:36", 2, "2027-01-01 08:15 JST, 2027-01-04 08:15 JST"},
		{"Feb 29", "0 0 29 2 *", tokyo, "2026-11-21 10:36", 2, "2028-02-29 00:00 JST, 2032-02-29 00:00 JST"},
		{"@weekly", "@weekly", tokyo, "2026-11-21 10:36", 1, "2026-11-22 00:00 JST"},
		{"1-10/3", "1-10/3 0 1 1 *", tokyo, "2026-11-21 10:36", 4, "2027-01-01 00:01 JST, 2027-01-01 00:04 JST, 2027-01-01 00:07 JST, 2027-01-01 00:10 JST"},
		// US spring forward 2027-03-14: 02:00 EST jumps to 03:00 EDT. A fixed 02:30
		// job runs at 03:00 that day (cronie, Debian cron).
		{"DST gap, fixed job", "30 2 * * *", ny, "2027-03-13 12:00", 3, "2027-03-14 03:00 EDT, 2027-03-15 02:30 EDT, 2027-03-16 02:30 EDT"},
		// A starred-hour job simply has no 02:xx that day.
		{"DST gap, wild job", "30 * 14 3 *", ny, "2027-03-14 00:00", 3, "2027-03-14 00:30 EST, 2027-03-14 01:30 EST, 2027-03-14 03:30 EDT"},
		// Fall back 2027-11-07: 01:00-01:59 happens twice; a fixed 01:30 job runs once.
		{"DST repeat, fixed job", "30 1 * * *", ny, "2027-11-06 12:00", 2, "2027-11-07 01:30 EDT, 2027-11-08 01:30 EST"},
		// A starred-hour job runs in both passes.
		{"DST repeat, wild job", "30 * 7 11 *", ny, "2027-11-07 00:00", 4, "2027-11-07 00:30 EDT, 2027-11-07 01:30 EDT, 2027-11-07 01:30 EST, 2027-11-07 02:30 EST"},
		{"never", "0 0 30 2 *", tokyo, "2026-11-21 10:36", 1, ""},
	}
	for _, c := range cases {
		got := fmtRuns(mustSpec(t, c.spec).Next(from(c.loc, c.from), c.loc, c.n), c.loc)
		if got != c.want {
			t.Errorf("%s (%s):\n got %s\nwant %s", c.name, c.spec, got, c.want)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	for _, s := range []string{"60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8",
		"*/0 * * * *", "5/10 * * * *", "10-5 * * * *", "* * * * * *", "@huorly", "a * * * *", "-1 * * * *", "1,,2 * * * *"} {
		if _, err := ParseSpec(strings.Fields(s)); err == nil {
			t.Errorf("%q parsed without error", s)
		}
	}
}

// minuteWalk is Next as it was before it skipped hours: every real minute of a day
// that can match is read. The skip must change nothing it finds.
func minuteWalk(s *Spec, from time.Time, loc *time.Location, n int) []time.Time {
	var out []time.Time
	t := from.Truncate(time.Minute).Add(time.Minute)
	end := from.Add(horizon)
	prevWall := wall(t.Add(-time.Minute), loc)
	maxWall := prevWall
	for len(out) < n && t.Before(end) {
		w := wall(t, loc)
		fire := s.wallMatch(w) && (s.wild || w.After(maxWall))
		if delta := w.Sub(prevWall); delta > time.Minute && delta <= 3*time.Hour && !s.wild {
			for m := prevWall.Add(time.Minute); m.Before(w) && !fire; m = m.Add(time.Minute) {
				fire = s.wallMatch(m)
			}
		}
		if fire {
			out = append(out, t.UTC())
		}
		if w.After(maxWall) {
			maxWall = w
		}
		prevWall = w
		if !s.dayMatch(w) {
			y, m, d := w.Date()
			next := time.Date(y, m, d+1, 0, 0, 0, 0, loc).Add(-time.Minute)
			if next.After(t) {
				t = next
				prevWall = wall(t.Add(-time.Minute), loc)
				if prevWall.After(maxWall) {
					maxWall = prevWall
				}
				continue
			}
		}
		t = t.Add(time.Minute)
	}
	return out
}

// TestNextSkipsOnlyWhatCannotFire holds Next to the minute-by-minute walk across
// the clock changes of zones that jump by an hour, by half an hour (Lord Howe), at
// midnight (Santiago) or not at all, for fixed, ranged and starred schedules.
func TestNextSkipsOnlyWhatCannotFire(t *testing.T) {
	specs := []string{"30 2 * * *", "0 1 * * *", "59 1 * * *", "0,30 * * * *", "*/7 1-3 * * *", "15 0 * * 0",
		"30 * 14 3 *", "0 2 1 * *", "45 23 * * *", "0 0 * * *", "5 4 * * 1-5", "*/15 2 * * *", "0 3 * * *", "@hourly"}
	zones := []string{"UTC", "Asia/Tokyo", "America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "Pacific/Chatham"}
	starts := []string{"2027-03-13 12:00", "2027-03-27 22:10", "2027-04-03 12:00", "2027-09-04 12:00", "2027-10-02 23:59", "2027-10-30 12:00", "2027-11-06 12:00"}
	for _, z := range zones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range starts {
			from, err := time.ParseInLocation("2006-01-02 15:04", st, loc)
			if err != nil {
				t.Fatal(err)
			}
			for _, sp := range specs {
				s := mustSpec(t, sp)
				got, want := fmtRuns(s.Next(from, loc, 12), loc), fmtRuns(minuteWalk(s, from, loc, 12), loc)
				if got != want {
					t.Errorf("%s in %s from %s:\n got %s\nwant %s", sp, z, st, got, want)
				}
			}
		}
	}
}
