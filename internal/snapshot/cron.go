package snapshot

import (
	"strings"
	"time"
)

// CronJob is one scheduled piece of work: a crontab line, a cron.{daily,...} script,
// an anacrontab entry, a systemd timer or an at job.
type CronJob struct {
	// Kind is crontab (/etc/crontab), cron.d, spool (a user's crontab), periodic (a
	// script in cron.hourly/daily/weekly/monthly), anacron, timer or at.
	Kind   string `json:"kind"`
	Source string `json:"source"` // the file it is written in
	Line   int    `json:"line,omitempty"`
	User   string `json:"user,omitempty"`
	// Schedule is as written: "30 2 * * *", "@reboot", "daily", "OnCalendar=...".
	Schedule string `json:"schedule"`
	Command  string `json:"command"`
	// Input is what cron feeds the command on standard input (text after an
	// unescaped %), with % turned into newlines.
	Input string `json:"input,omitempty"`
	// Env holds the environment lines in force for this job (MAILTO, PATH, SHELL,
	// CRON_TZ ...), as cron would apply them.
	Env map[string]string `json:"env,omitempty"`
	// MailTo is where output goes: the MAILTO in force, else the job's user; ""
	// with Env["MAILTO"] present and empty means output is discarded.
	MailTo string `json:"mail_to,omitempty"`
	// Zone is the zone the job really fires in; "" when that cannot be told (see
	// ZoneNote). ZoneNote explains anything unusual: CRON_TZ, a stale crond.
	Zone     string `json:"zone,omitempty"`
	ZoneNote string `json:"zone_note,omitempty"`
	// NextRuns are the next firings (at most five) as instants; a report shows them
	// in Zone and in UTC. Empty for @reboot and for schedules that never fire.
	NextRuns []time.Time `json:"next_runs,omitempty"`
	// Scripts are executable paths the command names that exist on the host, so a
	// job links to what it runs.
	Scripts  []string `json:"scripts,omitempty"`
	Disabled bool     `json:"disabled,omitempty"` // a timer or job that is present but off
	// Note says why a job is disabled or unusual: a cron.d or run-parts name cron
	// skips, a script that is not executable, what runs a periodic directory. Added
	// because Disabled alone does not say what to fix.
	Note     string `json:"note,omitempty"`
	Evidence string `json:"evidence"`
}

// The sources of the cron section (Coverage.Sources). Each holds the places a job
// of its kind may be written in on any host: a crontab line may stand in
// /etc/crontab, in cron.d or in a user's crontab, so a job is missing only when all
// three were read.
const (
	CronCrontabs   = "crontabs"   // /etc/crontab, /etc/cron.d, users' crontabs (both spool layouts)
	CronPeriodic   = "periodic"   // the scripts of /etc/cron.{hourly,daily,weekly,monthly}
	CronAnacrontab = "anacrontab" // /etc/anacrontab
	CronTimers     = "timers"     // systemd timers
	CronAtq        = "atq"        // the at queue
)

// CronSources lists the cron section's sources in the order the survey reads them.
var CronSources = []string{CronCrontabs, CronPeriodic, CronAnacrontab, CronTimers, CronAtq}

// From is the source of the cron section the job was read from.
func (j CronJob) From() string { return CronSourceOf(j.Source) }

// CronSourceOf names the source of the cron section a job written in file (a
// job's Source, or an expectation's "file:line") is read from: the one mapping
// from a job's place to its source, for the survey and for every consumer.
func CronSourceOf(file string) string {
	switch {
	case strings.HasPrefix(file, "atq "):
		return CronAtq
	case strings.HasSuffix(file, ".timer"):
		return CronTimers
	case file == "/etc/anacrontab" || strings.HasPrefix(file, "/etc/anacrontab:"):
		return CronAnacrontab
	}
	for _, p := range []string{"hourly", "daily", "weekly", "monthly"} {
		if strings.HasPrefix(file, "/etc/cron."+p+"/") {
			return CronPeriodic
		}
	}
	return CronCrontabs
}
