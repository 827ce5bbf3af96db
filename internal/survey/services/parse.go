package services

import (
	"strconv"
	"strings"
)

// This file holds the pure parsers, one per output format: strings in, rows out.
// Each also returns the lines it could not read, so the surveyor can keep the rest
// and still say that the source was only partly understood.

// IsServiceUnit reports whether a word names a service unit: "sshd.service", not
// ".service", a path, or another unit type.
func IsServiceUnit(u string) bool {
	return len(u) > len(".service") && strings.HasSuffix(u, ".service") && !strings.ContainsAny(u, "/\x00")
}

// UnitRow is one line of `systemctl list-units --no-legend --plain`.
type UnitRow struct {
	Unit, Load, Active, Sub, Description string
}

// ParseListUnits reads `systemctl list-units`. Without --plain (a bundle run by
// hand) failed units carry a "●" or "*" mark in front; with a legend there is a
// header and a footer. Only .service lines are kept; the rest of a real listing
// (devices, mounts, legend text) is not an error.
func ParseListUnits(text string) ([]UnitRow, []string) {
	var rows []UnitRow
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && (f[0] == "●" || f[0] == "*") {
			f = f[1:]
		}
		if len(f) == 0 || !IsServiceUnit(f[0]) {
			continue
		}
		if len(f) < 4 {
			bad = append(bad, line)
			continue
		}
		r := UnitRow{Unit: f[0], Load: f[1], Active: f[2], Sub: f[3]}
		if len(f) > 4 {
			r.Description = strings.Join(f[4:], " ")
		}
		rows = append(rows, r)
	}
	return rows, bad
}

// UnitFileRow is one line of `systemctl list-unit-files`.
type UnitFileRow struct {
	Unit, State, Preset string
}

// ParseListUnitFiles reads `systemctl list-unit-files --type=service`: the unit and
// its state, plus the vendor preset on systemd 2xx and later.
func ParseListUnitFiles(text string) ([]UnitFileRow, []string) {
	var rows []UnitFileRow
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !IsServiceUnit(f[0]) {
			continue
		}
		if len(f) < 2 {
			bad = append(bad, line)
			continue
		}
		r := UnitFileRow{Unit: f[0], State: f[1]}
		if len(f) > 2 {
			r.Preset = f[2]
		}
		rows = append(rows, r)
	}
	return rows, bad
}

// ParseShow reads `systemctl show` for several units: blocks of Key=Value lines
// separated by blank lines. A block is keyed by its Id, else by the first of its
// Names. Values may contain "=" (ExecStart=...); only the first one splits.
func ParseShow(text string) (map[string]map[string]string, []string) {
	out := map[string]map[string]string{}
	var bad []string
	block := map[string]string{}
	flush := func() {
		id := block["Id"]
		if id == "" {
			if f := strings.Fields(block["Names"]); len(f) > 0 {
				id = f[0]
			}
		}
		if id != "" {
			if old, ok := out[id]; ok {
				// The same unit twice: a later block adds what the first lacked.
				for k, v := range block {
					old[k] = v
				}
			} else {
				out[id] = block
			}
		}
		block = map[string]string{}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			bad = append(bad, line)
			continue
		}
		block[k] = v
	}
	flush()
	return out, bad
}

// ChkRow is one SysV service line of `chkconfig --list`.
type ChkRow struct {
	Name string
	// On holds the runlevels (0-6) the service is on in.
	On [7]bool
}

// Xinetd is one line of chkconfig's "xinetd based services:" section.
type Xinetd struct {
	Name string
	On   bool
}

// ParseChkconfig reads `chkconfig --list`:
//
//	httpd          	0:off	1:off	2:on	3:on	4:on	5:on	6:off
//	xinetd based services:
//	        rsync:          on
//
// EL7 prints a note first ("This output shows SysV services only ..."), whose
// indented lines, blank ones among them, are skipped. Indented "name: on|off" lines are xinetd
// services even when the section header is missing, as in some EL5 outputs.
func ParseChkconfig(text string) ([]ChkRow, []Xinetd, []string) {
	var rows []ChkRow
	var xs []Xinetd
	var bad []string
	inNote := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimSpace(line)
		if inNote && trimmed != "" && line[0] != ' ' && line[0] != '\t' {
			inNote = false // the note's lines are indented; the first flush one ends it
		}
		switch {
		case trimmed == "":
			continue
		case strings.HasPrefix(trimmed, "Note:"):
			inNote = true
			continue
		case inNote:
			continue
		case strings.HasSuffix(trimmed, "based services:"):
			continue
		}
		f := strings.Fields(trimmed)
		if len(f) == 2 && len(f[0]) > 1 && strings.HasSuffix(f[0], ":") && (f[1] == "on" || f[1] == "off") {
			xs = append(xs, Xinetd{Name: strings.TrimSuffix(f[0], ":"), On: f[1] == "on"})
			continue
		}
		if r, ok := chkRow(f); ok {
			rows = append(rows, r)
			continue
		}
		bad = append(bad, line)
	}
	return rows, xs, bad
}

func chkRow(f []string) (ChkRow, bool) {
	if len(f) < 2 {
		return ChkRow{}, false
	}
	r := ChkRow{Name: f[0]}
	for _, lv := range f[1:] {
		n, state, ok := strings.Cut(lv, ":")
		if !ok || len(n) != 1 || n[0] < '0' || n[0] > '6' || state != "on" && state != "off" {
			return ChkRow{}, false
		}
		r.On[n[0]-'0'] = state == "on"
	}
	return r, true
}

// Job is one upstart job instance from `initctl list`.
type Job struct {
	Name     string // job name
	Instance string // "/dev/tty1" for "tty (/dev/tty1)"; "" for single-instance jobs
	Goal     string // start or stop
	State    string // running, waiting, pre-start, ...
	PID      int
}

// ParseInitctl reads `initctl list`:
//
//	rc stop/waiting
//	tty (/dev/tty1) start/running, process 1234
//	network-interface-security (networking) start/running
//
// Indented lines that follow a job ("\tpre-start process 1230") describe its other
// processes; the main one is on the job's own line.
func ParseInitctl(text string) ([]Job, []string) {
	var jobs []Job
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		j, ok := jobLine(line)
		if !ok {
			bad = append(bad, line)
			continue
		}
		jobs = append(jobs, j)
	}
	return jobs, bad
}

func jobLine(line string) (Job, bool) {
	var j Job
	rest := line
	sp := strings.IndexByte(rest, ' ')
	if sp <= 0 {
		return j, false
	}
	j.Name, rest = rest[:sp], strings.TrimSpace(rest[sp:])
	if strings.HasPrefix(rest, "(") {
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return j, false
		}
		j.Instance, rest = rest[1:end], strings.TrimSpace(rest[end+1:])
	}
	status, proc, _ := strings.Cut(rest, ",")
	goal, state, ok := strings.Cut(strings.TrimSpace(status), "/")
	if !ok || goal != "start" && goal != "stop" || state == "" || strings.ContainsAny(state, " \t") {
		return j, false
	}
	j.Goal, j.State = goal, state
	if f := strings.Fields(proc); len(f) == 2 && f[0] == "process" {
		pid, err := strconv.Atoi(f[1])
		if err != nil || pid <= 0 {
			return j, false
		}
		j.PID = pid
	}
	return j, true
}

// ParseRunlevel reads `runlevel`: "N 3" (previous, current). It returns the current
// runlevel; "unknown" (no utmp record, as in containers) is not one.
func ParseRunlevel(text string) (byte, bool) {
	f := strings.Fields(text)
	if len(f) != 2 || len(f[1]) != 1 {
		return 0, false
	}
	c := f[1][0]
	if c >= '0' && c <= '6' || c == 'S' {
		return c, true
	}
	return 0, false
}

// RCLink is a start or kill link in an rcN.d directory: S20postfix → ../init.d/postfix.
type RCLink struct {
	Start   bool
	Order   int
	Service string
}

// ParseRCLink reads one rcN.d entry name and its link target. The service is the
// script the link points at, which is the same as the name after the order number
// on every distribution trowel knows, but the target is the truth when both exist.
func ParseRCLink(name, target string) (RCLink, bool) {
	if len(name) < 4 || name[0] != 'S' && name[0] != 'K' {
		return RCLink{}, false
	}
	order, err := strconv.Atoi(name[1:3])
	if err != nil || order < 0 {
		return RCLink{}, false
	}
	svc := name[3:]
	if target != "" {
		t := target
		if i := strings.LastIndexByte(t, '/'); i >= 0 {
			t = t[i+1:]
		}
		if t != "" {
			svc = t
		}
	}
	if svc == "" || strings.HasPrefix(svc, ".") {
		return RCLink{}, false
	}
	return RCLink{Start: name[0] == 'S', Order: order, Service: svc}, true
}
