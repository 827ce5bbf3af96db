package ledger

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindCron is a scheduled job: a crontab line, a cron.d line, a periodic script,
// an anacron entry, an at job.
const KindCron Kind = "cron"

// KindTimer is a systemd timer.
const KindTimer Kind = "timer"

var (
	cronKind = kind{name: KindCron, read: (*reader).cronJobs, tests: []spec.Kind{spec.KindCron},
		claim: func(_ spec.Expectation, subject string) []string {
			return []string{ID(KindCron, subject), ID(KindTimer, subject)}
		}}
	timerKind = kind{name: KindTimer}
)

// JobKey is a job's key: its file, and its line where it has one.
func JobKey(j snapshot.CronJob) string {
	if j.Line > 0 {
		return j.Source + ":" + strconv.Itoa(j.Line)
	}
	return j.Source
}

// JobID is a job's fact ID.
func JobID(j snapshot.CronJob) string {
	if j.Kind == "timer" {
		return ID(KindTimer, JobKey(j))
	}
	return ID(KindCron, JobKey(j))
}

func (r *reader) cronJobs() {
	for _, j := range r.s.CronJobs {
		k := KindCron
		if j.Kind == "timer" {
			k = KindTimer
		}
		title := j.Schedule + " " + j.Command
		if j.User != "" {
			title += " (as " + j.User + ")"
		}
		if j.Disabled {
			title += ", disabled"
		}
		r.add(k, JobKey(j), title, JobKey(j), j.Evidence)
	}
}
