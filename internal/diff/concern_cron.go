package diff

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernCron are the scheduled jobs, each with the zone it really fires in.
const ConcernCron Concern = "cron"

var cronConcern = concern{id: ConcernCron, section: snapshot.SectionCron, read: eachSide(cronItems)}

// cronItems are the jobs by user, schedule and command (whitespace folded).
func cronItems(s *snapshot.Snapshot) []item {
	stale := staleCron(s)
	var out []item
	for _, j := range s.CronJobs {
		if dispatchesPeriodic(j) {
			continue
		}
		cmd := strings.Join(strings.Fields(j.Command), " ")
		user := cmp.Or(j.User, "?")
		schedule := j.Schedule
		if j.Kind == "periodic" {
			// "daily (25 6 * * *)": when the distribution runs its daily
			// scripts is not the job's doing; that it is daily is.
			if i := strings.Index(schedule, " ("); i > 0 {
				schedule = schedule[:i]
			}
		}
		out = append(out, item{
			key:    user + "\x00" + schedule + "\x00" + cmd,
			label:  user + ": " + schedule + " " + cmd,
			fields: []field{{"zone", firingZone(j, stale)}, {"disabled", strconv.FormatBool(j.Disabled)}},
			refs:   []string{cronRef(j)},
		})
	}
	return merge(out)
}

// staleCron returns the zone change a host's crond missed ("" when it missed none):
// its jobs then fire in the zone crond started in, which the host does not record.
func staleCron(s *snapshot.Snapshot) string {
	for _, d := range s.Time.StaleDaemons {
		if distro.IsCronDaemon(d.Command) && d.Zone == "" {
			return s.Time.Zone
		}
	}
	return ""
}

// firingZone is the zone a job fires in. A job of a stale crond has none the host
// can tell, but is known not to fire in the zone configured: that is a difference
// from a host whose jobs fire there, not an unknown to pass over.
func firingZone(j snapshot.CronJob, staleFrom string) string {
	if j.Zone == "" && staleFrom != "" {
		return "the zone crond started in, not " + staleFrom + " (crond started before the zone change)"
	}
	return j.Zone
}

// dispatchesPeriodic tells the /etc/crontab lines that run cron.hourly, daily ...
// through run-parts or anacron. Every distribution writes its own (at its own
// minutes); the scripts they run are compared one by one as periodic jobs.
func dispatchesPeriodic(j snapshot.CronJob) bool {
	if j.Kind != "crontab" && j.Kind != "cron.d" && j.Kind != "anacron" {
		return false
	}
	return strings.Contains(j.Command, "run-parts") && strings.Contains(j.Command, "/etc/cron.")
}

// cronRef is the job's file:line, with the evidence only where it says more than
// the file (a command's output rather than the file itself or its directory).
func cronRef(j snapshot.CronJob) string {
	ev := j.Evidence
	if ev == "file:"+j.Source || strings.HasPrefix(ev, "list:") {
		ev = ""
	}
	return ref(j.Source, j.Line, ev)
}
