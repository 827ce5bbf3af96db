package cron

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// RunPartsRuns reports whether run-parts runs a file of this name, and why not.
// Debian's run-parts (and Debian's cron for /etc/cron.d) accepts only names made of
// letters, digits, '_' and '-', so "backup.sh" never runs there; RHEL's run-parts
// and cronie skip editor and package-manager leftovers but accept dots.
func RunPartsRuns(name string, debian bool) (bool, string) {
	if name == "" || strings.HasPrefix(name, ".") {
		return false, "hidden file"
	}
	if debian {
		for _, c := range name {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
				return false, "Debian's run-parts and cron skip names with characters other than letters, digits, _ and - (here " + strconv.QuoteRune(c) + ")"
			}
		}
		return true, ""
	}
	for _, suf := range []string{"~", ",v", ".rpmsave", ".rpmorig", ".rpmnew", ".swp", ".cfsaved"} {
		if strings.HasSuffix(name, suf) {
			return false, "run-parts and cron skip names ending in " + suf
		}
	}
	return true, ""
}

// AnacronJob is one job line of /etc/anacrontab.
type AnacronJob struct {
	Line    int
	Period  string // days, or @daily/@weekly/@monthly/@yearly (cronie's anacron)
	Delay   int    // minutes after anacron starts
	JobID   string
	Command string
	Env     map[string]string // START_HOURS_RANGE, RANDOM_DELAY, MAILTO ... in force
}

// ParseAnacrontab reads /etc/anacrontab: environment lines as in a crontab, and
// `period delay job-identifier command` lines.
func ParseAnacrontab(text string) ([]AnacronJob, error) {
	var out []AnacronJob
	var perr kit.ParseError
	env := map[string]string{}
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		if name, val, ok := ParseEnvLine(line); ok {
			env[name] = val
			continue
		}
		f := kit.FieldsN(line, 4)
		if len(f) < 4 {
			perr.Add(n, "an anacron job has period, delay, job id and command")
			continue
		}
		period := f[0].Text
		if !strings.HasPrefix(period, "@") {
			if d, err := strconv.Atoi(period); err != nil || d < 0 {
				perr.Add(n, "period %q is not a number of days", period)
				continue
			}
		} else if period != "@daily" && period != "@weekly" && period != "@monthly" && period != "@yearly" && period != "@annually" {
			perr.Add(n, "unknown period %q", period)
			continue
		}
		delay, err := strconv.Atoi(f[1].Text)
		if err != nil || delay < 0 {
			perr.Add(n, "delay %q is not a number of minutes", f[1].Text)
			continue
		}
		out = append(out, AnacronJob{Line: n, Period: period, Delay: delay, JobID: f[2].Text,
			Command: line[f[3].Off:], Env: copyEnv(env)})
	}
	return out, perr.Err()
}

// AtJob is one line of atq: "3\tSat Nov 21 12:00:00 2026 a root".
type AtJob struct {
	ID    string
	When  string // as atq prints it, in the host's zone
	Queue string
	User  string
}

// ParseAtq reads atq's output. Only the queue is read: at job files carry the
// submitter's whole environment, so they are never collected.
func ParseAtq(text string) ([]AtJob, error) {
	var out []AtJob
	var perr kit.ParseError
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" {
			continue
		}
		id, rest, ok := strings.Cut(line, "\t")
		f := strings.Fields(rest)
		if !ok || id == "" || len(f) < 3 {
			perr.Add(i+1, "not an atq line")
			continue
		}
		out = append(out, AtJob{ID: strings.TrimSpace(id), When: strings.Join(f[:len(f)-2], " "),
			Queue: f[len(f)-2], User: f[len(f)-1]})
	}
	return out, perr.Err()
}

// Timer is a systemd timer as its unit file and list-timers describe it.
type Timer struct {
	Unit       string
	Activates  string
	Schedule   []string // OnCalendar=, OnBootSec=, OnUnitActiveSec= ... lines as written
	Next, Last string   // list-timers' NEXT and LAST columns ("n/a" when none)
}

// ParseTimerUnit reads the [Timer] section of a .timer unit file.
func ParseTimerUnit(text string) (schedule []string, unit string) {
	unitSection(text, "Timer", func(k, v string) {
		switch {
		case k == "Unit":
			unit = v
		case strings.HasPrefix(k, "On") && v != "":
			schedule = append(schedule, k+"="+v)
		}
	})
	return schedule, unit
}

// ParseServiceUsers reads `systemctl show -p Id -p User` of the timers' services:
// each service's User=, "" where it sets none (then it runs as root). A unit's
// properties come as one block, in systemd's order rather than the command's.
func ParseServiceUsers(text string) map[string]string {
	out := map[string]string{}
	id, user := "", ""
	flush := func() {
		if id != "" {
			out[id] = user
		}
		id, user = "", ""
	}
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
		switch k {
		case "":
			flush()
		case "Id":
			id = v
		case "User":
			user = v
		}
	}
	flush()
	return out
}

// unitSection calls fn with each key and value of one section of a unit file.
func unitSection(text, name string, fn func(k, v string)) {
	section := ""
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		if section != name {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			fn(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
}

// ParseListTimers reads `systemctl list-timers --all`: the columns NEXT LEFT LAST
// PASSED UNIT ACTIVATES, whose dates have spaces, so the header's column offsets
// place them. Older systemd prints the same header.
func ParseListTimers(text string) ([]Timer, error) {
	var out []Timer
	var perr kit.ParseError
	lines := strings.Split(text, "\n")
	var cols []int
	names := []string{"NEXT", "LEFT", "LAST", "PASSED", "UNIT", "ACTIVATES"}
	for i, raw := range lines {
		line := strings.TrimRight(raw, "\r ")
		if cols == nil {
			if strings.HasPrefix(line, "NEXT") {
				for _, n := range names {
					at := strings.Index(line, n)
					if at < 0 {
						perr.Add(i+1, "header lacks %s", n)
						return out, perr.Err()
					}
					cols = append(cols, at)
				}
			}
			continue
		}
		if line == "" || !strings.Contains(line, ".timer") {
			continue // the blank line and "N timers listed."
		}
		// UNIT and ACTIVATES are the last two words; the dates before them are cut
		// at the header's offsets.
		f := strings.Fields(line)
		if len(f) < 2 {
			perr.Add(i+1, "no unit")
			continue
		}
		t := Timer{Unit: f[len(f)-2], Activates: f[len(f)-1]}
		t.Next = strings.TrimSpace(cut(line, cols[0], cols[1]))
		t.Last = strings.TrimSpace(cut(line, cols[2], cols[3]))
		out = append(out, t)
	}
	return out, perr.Err()
}

func cut(s string, from, to int) string {
	if from >= len(s) {
		return ""
	}
	if to > len(s) {
		to = len(s)
	}
	return s[from:to]
}
