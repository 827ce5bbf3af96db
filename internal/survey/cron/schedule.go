// Package cron surveys scheduled work: /etc/crontab, /etc/cron.d, the run-parts
// directories, every user's spool (RHEL's /var/spool/cron/USER and Debian's
// /var/spool/cron/crontabs/USER), /etc/anacrontab, systemd timers and at jobs.
//
// The crontab semantics are those of Vixie cron and its descendants (Debian's cron,
// cronie), written out here rather than borrowed, because the details that move jobs
// are exactly the ones libraries get wrong: day-of-week 7, the day-of-month OR
// day-of-week rule, `%` as a line break, CRON_TZ, and what happens in a DST gap.
package cron

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Spec is a parsed five-field schedule (or a nickname other than @reboot).
type Spec struct {
	minute, hour, dom, month, dow uint64 // bit i set: value i matches (dow 7 folded to 0)
	// domStar and dowStar: the field began with '*'. Vixie cron ANDs the two day
	// fields when either is starred and ORs them when both are restricted.
	domStar, dowStar bool
	// wild: the minute or hour field began with '*'. In a DST change such jobs run by
	// the wall clock; fixed-time jobs skipped by a gap run right after it, and are not
	// repeated when the clock goes back (cronie, Debian cron).
	wild bool
}

// Reboot is the schedule text that fires once at cron's start.
const Reboot = "@reboot"

var nicknames = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

var monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseSpec parses five fields, or a nickname. @reboot is not a Spec: it has no
// instants; callers test for Reboot first.
func ParseSpec(fields []string) (*Spec, error) {
	if len(fields) == 1 && strings.HasPrefix(fields[0], "@") {
		exp, ok := nicknames[fields[0]]
		if !ok {
			return nil, fmt.Errorf("unknown schedule nickname %q", fields[0])
		}
		return ParseSpec(strings.Fields(exp))
	}
	if len(fields) != 5 {
		return nil, fmt.Errorf("a schedule has 5 fields, not %d", len(fields))
	}
	s := &Spec{}
	var err error
	if s.minute, err = parseField(fields[0], 0, 59, nil, 0); err != nil {
		return nil, fmt.Errorf("minute: %w", err)
	}
	if s.hour, err = parseField(fields[1], 0, 23, nil, 0); err != nil {
		return nil, fmt.Errorf("hour: %w", err)
	}
	if s.dom, err = parseField(fields[2], 1, 31, nil, 0); err != nil {
		return nil, fmt.Errorf("day of month: %w", err)
	}
	if s.month, err = parseField(fields[3], 1, 12, monthNames, 1); err != nil {
		return nil, fmt.Errorf("month: %w", err)
	}
	if s.dow, err = parseField(fields[4], 0, 7, dayNames, 0); err != nil {
		return nil, fmt.Errorf("day of week: %w", err)
	}
	if s.dow&(1<<7) != 0 {
		s.dow |= 1
	}
	s.domStar = strings.HasPrefix(fields[2], "*")
	s.dowStar = strings.HasPrefix(fields[4], "*")
	s.wild = strings.HasPrefix(fields[0], "*") || strings.HasPrefix(fields[1], "*")
	return s, nil
}

// parseField reads a comma-separated list of *, N, N-M, each optionally /STEP.
// names, when given, are accepted case-insensitively for numbers from base.
func parseField(f string, lo, hi int, names []string, base int) (uint64, error) {
	if f == "" {
		return 0, fmt.Errorf("empty field")
	}
	var bits uint64
	for _, part := range strings.Split(f, ",") {
		rng, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n <= 0 || n > hi-lo+1 {
				return 0, fmt.Errorf("bad step %q", stepText)
			}
			step = n
		}
		var a, b int
		switch {
		case rng == "*":
			a, b = lo, hi
		case strings.Contains(rng, "-"):
			x, y, _ := strings.Cut(rng, "-")
			var err error
			if a, err = value(x, lo, hi, names, base); err != nil {
				return 0, err
			}
			if b, err = value(y, lo, hi, names, base); err != nil {
				return 0, err
			}
			if a > b && hi == 7 && b == 0 {
				// "4-sun": Sunday is also 7, and that is what such a range means.
				b = 7
			}
			if a > b {
				return 0, fmt.Errorf("range %q runs backwards", rng)
			}
		default:
			if hasStep {
				return 0, fmt.Errorf("a step needs a range or *: %q", part)
			}
			var err error
			if a, err = value(rng, lo, hi, names, base); err != nil {
				return 0, err
			}
			b = a
		}
		for v := a; v <= b; v += step {
			bits |= 1 << uint(v)
		}
	}
	return bits, nil
}

func value(s string, lo, hi int, names []string, base int) (int, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return i + base, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || s == "" || s[0] == '+' || s[0] == '-' {
		return 0, fmt.Errorf("%q is not a number or name", s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range %d-%d", n, lo, hi)
	}
	return n, nil
}

// matchDay applies Vixie cron's rule: when either day field is starred both must
// match; when both are restricted, either one suffices.
func (s *Spec) matchDay(dom int, dow time.Weekday) bool {
	d := s.dom&(1<<uint(dom)) != 0
	w := s.dow&(1<<uint(dow)) != 0
	if s.domStar || s.dowStar {
		return d && w
	}
	return d || w
}

// wallMatch reports whether a wall-clock reading (as UTC fields) matches.
func (s *Spec) wallMatch(w time.Time) bool {
	return s.month&(1<<uint(w.Month())) != 0 && s.matchDay(w.Day(), w.Weekday()) &&
		s.hour&(1<<uint(w.Hour())) != 0 && s.minute&(1<<uint(w.Minute())) != 0
}

func (s *Spec) dayMatch(w time.Time) bool {
	return s.month&(1<<uint(w.Month())) != 0 && s.matchDay(w.Day(), w.Weekday())
}

// horizon bounds the search: a schedule with no firing within it (30 February) has
// none at all; eight years holds every leap-day and weekday combination.
const horizon = 8 * 366 * 24 * time.Hour

// Next returns up to n instants after from when a job with this schedule runs under
// a cron whose zone is loc. It walks real minutes and reads each on loc's wall
// clock, as cron does, with cronie's and Debian cron's DST rules: when the clock
// jumps forward (by less than 3 hours), fixed-time jobs whose wall time was skipped
// run at the first minute after the jump; when it goes back, the repeated wall
// times run only jobs whose minute or hour is starred.
func (s *Spec) Next(from time.Time, loc *time.Location, n int) []time.Time {
	var out []time.Time
	t := from.Truncate(time.Minute).Add(time.Minute)
	end := from.Add(horizon)
	prevWall := wall(t.Add(-time.Minute), loc)
	maxWall := prevWall
	for len(out) < n && t.Before(end) {
		w := wall(t, loc)
		// A wall time already seen (the clock went back) runs only starred jobs.
		fire := s.wallMatch(w) && (s.wild || w.After(maxWall))
		if delta := w.Sub(prevWall); delta > time.Minute && delta <= 3*time.Hour && !s.wild {
			// A jump of more than 3 hours is a clock set, not DST: cron runs nothing
			// it skipped then.
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
		// A whole day that cannot match is skipped: to just before the next local
		// midnight, so a DST jump across midnight is still walked minute by minute.
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
		// Within such a day, an hour that cannot match is skipped to its last minute
		// when the zone's offset is the same at both ends: no clock change inside it
		// to walk, and no minute of it could fire.
		if s.hour&(1<<uint(w.Hour())) == 0 {
			next := t.Add(time.Duration(59-w.Minute()) * time.Minute)
			if next.After(t) && sameOffset(t, next, loc) {
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

// sameOffset tells whether loc's clock is as far from UTC at a as at b.
func sameOffset(a, b time.Time, loc *time.Location) bool {
	_, oa := a.In(loc).Zone()
	_, ob := b.In(loc).Zone()
	return oa == ob
}

// wall is the reading of loc's clock at t, as a UTC time with the same fields, so
// wall readings can be compared and subtracted.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	y, mo, d := l.Date()
	h, mi, sec := l.Clock()
	return time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
}
