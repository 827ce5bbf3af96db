package cron

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Entry is one job line of a crontab.
type Entry struct {
	Line     int
	Schedule string // as written: "*/5 * * * *", "@reboot", "@daily"
	Spec     *Spec  // nil for @reboot
	User     string // the user column of a system crontab; "" in a spool file
	Command  string // up to the first unescaped %, with \% turned into %
	Input    string // after it, with % turned into newlines
	// Env is every environment line in force at this line, in cron's reading.
	Env map[string]string
}

// ParseCrontab reads a crontab. system is true for /etc/crontab and /etc/cron.d
// files, which carry a user column. Lines it cannot read are reported and skipped,
// as cron itself skips them.
func ParseCrontab(text string, system bool) ([]Entry, error) {
	var out []Entry
	var perr kit.ParseError
	env := map[string]string{}
	lines := strings.Split(text, "\n")
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimSuffix(raw, "\r")
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if name, val, ok := ParseEnvLine(trimmed); ok {
			env[name] = val
			continue
		}
		e, why := parseJob(trimmed, system)
		if why != "" {
			perr.Add(n, "%s", why)
			continue
		}
		if i == len(lines)-1 {
			// Debian's cron and crontab(1) refuse a last entry without its newline.
			perr.Add(n, "the last line has no newline: Debian's cron may ignore it")
		}
		e.Line = n
		e.Env = copyEnv(env)
		out = append(out, e)
	}
	return out, perr.Err()
}

func parseJob(line string, system bool) (Entry, string) {
	var e Entry
	nsched := 5
	if strings.HasPrefix(line, "@") {
		nsched = 1
	}
	want := nsched + 1
	if system {
		want++
	}
	f := kit.FieldsN(line, want)
	if len(f) < want {
		return e, "too few fields for a cron job"
	}
	sched := make([]string, nsched)
	for i := range sched {
		sched[i] = f[i].Text
	}
	// cronie lets a leading '-' turn off syslog logging of the job.
	if nsched == 5 && len(sched[0]) > 1 && sched[0][0] == '-' {
		sched[0] = sched[0][1:]
	}
	e.Schedule = strings.Join(sched, " ")
	if e.Schedule != Reboot {
		spec, err := ParseSpec(sched)
		if err != nil {
			return e, err.Error()
		}
		e.Spec = spec
	}
	cmdAt := f[nsched].Off
	if system {
		e.User = f[nsched].Text
		cmdAt = f[nsched+1].Off
	}
	e.Command, e.Input = SplitPercent(strings.TrimRight(line[cmdAt:], " \t"))
	if strings.TrimSpace(e.Command) == "" {
		return e, "no command"
	}
	return e, ""
}

// SplitPercent applies cron's % rule: the first unescaped % ends the command and
// the rest is its standard input, where each unescaped % is a newline; `\%` is a
// literal % in both parts, and other backslashes are kept.
func SplitPercent(s string) (command, input string) {
	var cmd, in strings.Builder
	out := &cmd
	inInput := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == '%' {
			out.WriteByte('%')
			i++
			continue
		}
		if c == '\\' && i+1 < len(s) && !inInput {
			// Vixie cron's loop: an escaped character is copied and cannot itself
			// escape the next one.
			out.WriteByte(c)
			out.WriteByte(s[i+1])
			i++
			continue
		}
		if c == '%' {
			if !inInput {
				inInput = true
				out = &in
				continue
			}
			out.WriteByte('\n')
			continue
		}
		out.WriteByte(c)
	}
	return cmd.String(), in.String()
}

// ParseEnvLine reads `NAME = value` the way cron's load_env does: blanks around
// '=' are allowed, a value wholly in single or double quotes loses them, and an
// unquoted value loses trailing blanks. A job line is never an env line because its
// first word is followed by a blank and not '='.
func ParseEnvLine(line string) (name, value string, ok bool) {
	s := strings.TrimLeft(line, " \t")
	if s == "" {
		return "", "", false
	}
	var rest string
	if q := s[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return "", "", false
		}
		name, rest = s[1:1+end], s[2+end:]
	} else {
		end := strings.IndexAny(s, "= \t")
		if end < 0 {
			return "", "", false
		}
		name, rest = s[:end], s[end:]
	}
	if name == "" || strings.ContainsAny(name, " \t") && s[0] != '"' && s[0] != '\'' {
		return "", "", false
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, "=") {
		return "", "", false
	}
	rest = strings.TrimLeft(rest[1:], " \t")
	rest = strings.TrimRight(rest, " \t")
	if len(rest) >= 2 && (rest[0] == '"' || rest[0] == '\'') && rest[len(rest)-1] == rest[0] {
		rest = rest[1 : len(rest)-1]
	}
	return name, rest, true
}

func copyEnv(env map[string]string) map[string]string {
	if len(env) == 0 {
		return nil
	}
	c := make(map[string]string, len(env))
	for k, v := range env {
		c[k] = v
	}
	return c
}
