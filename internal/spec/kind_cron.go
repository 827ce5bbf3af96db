package spec

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindCron expects a scheduled job to exist for a user.
const KindCron Kind = "cron"

// Cron is a scheduled job: who runs what when, and the zone it fires in when it
// has one of its own (CRON_TZ).
type Cron struct {
	User     string `yaml:"user,omitempty"`
	Command  string `yaml:"command,omitempty"`
	Schedule string `yaml:"schedule,omitempty"`
	Zone     string `yaml:"zone,omitempty"`
}

func (Cron) Kind() Kind { return KindCron }

var cronKind = def[Cron]{
	sections: []snapshot.Section{snapshot.SectionCron},
	derive:   (*deriver).cronJobs,
	goss:     Cron.goss,
}

// NormalizeCommand collapses whitespace, which cron ignores.
func NormalizeCommand(c string) string { return strings.Join(strings.Fields(c), " ") }

func (d *deriver) cronJobs() {
	if !d.usable("cron", snapshot.SectionCron) {
		return
	}
	// A job in a file the package installed unchanged is the package's, and the new
	// release's package brings its own version: only what somebody wrote is expected.
	touched := map[string]bool{}
	filesKnown := d.s.Coverage[snapshot.SectionFiles].Known()
	for _, c := range d.s.Files.Configs {
		touched[c.Path] = true
	}
	for _, j := range d.s.CronJobs {
		if j.Disabled || j.Kind == "at" {
			continue
		}
		if j.Kind != "spool" && filesKnown && !touched[j.Source] {
			continue
		}
		src := j.Source
		if j.Line > 0 {
			src += ":" + strconv.Itoa(j.Line)
		}
		b := Cron{User: j.User, Schedule: j.Schedule, Command: NormalizeCommand(j.Command)}
		// A job with its own zone (CRON_TZ) keeps it; the others fire in the cron
		// daemon's zone, which one cron_zone expectation checks for all of them.
		if j.Zone != "" && j.Zone != d.s.Time.Zone && !strings.Contains(j.ZoneNote, "crond") {
			b.Zone = j.Zone
		}
		d.add(Expectation{ID: "cron:" + src, Body: b, From: From{Source: src, Evidence: ev(j.Evidence)}})
	}
}

// goss finds the job's line where cron reads it: a user's crontab through
// crontab -l (either spool layout), /etc/crontab and cron.d with the user column,
// anacrontab by its command. The schedule and command may be spaced otherwise, and
// a % the command holds may be written \% (cron's escape). A script in a periodic
// directory, or a timer's unit, is a file that must be there.
func (c Cron) goss(g *gossfile, e Expectation) string {
	file := e.From.Source
	if i := strings.LastIndex(file, ":"); i > 0 {
		if _, err := strconv.Atoi(file[i+1:]); err == nil {
			file = file[:i]
		}
	}
	command := strings.ReplaceAll(gossWords(c.Command), "%", `\\?%`) + `\s*(%.*)?$`
	schedule := `^\s*` + gossWords(c.Schedule) + `\s+`
	switch {
	case strings.HasPrefix(file, "/var/spool/cron/"):
		g.command(e, "", "crontab -l -u "+shellWord(c.User), gossLine(schedule+command))
	case file == "/etc/crontab" || strings.HasPrefix(file, "/etc/cron.d/"):
		g.command(e, "", "cat "+shellWord(file), gossLine(schedule+regexp.QuoteMeta(c.User)+`\s+`+command))
	case file == "/etc/anacrontab":
		g.command(e, "", "cat "+shellWord(file), gossLine(`\s`+command))
	case strings.HasPrefix(file, "/"):
		g.put("file", file, e, map[string]any{"exists": true})
	default:
		return "it does not say which file holds the job"
	}
	return ""
}
