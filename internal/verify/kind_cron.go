package verify

import (
	"fmt"
	"slices"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// cron wants a job with the same command (whitespace aside), user and schedule, in
// its own zone when it had one.
func (v evaluator) cron(e spec.Expectation, c spec.Cron) Check {
	want := spec.NormalizeCommand(c.Command)
	var near []string
	for _, j := range v.t.CronJobs {
		if j.Disabled || spec.NormalizeCommand(j.Command) != want {
			continue
		}
		src := j.Source
		if j.Line > 0 {
			src = fmt.Sprintf("%s:%d", j.Source, j.Line)
		}
		if j.User != c.User || j.Schedule != c.Schedule {
			near = append(near, fmt.Sprintf("%s: %s as %s at %q", src, j.Command, j.User, j.Schedule))
			continue
		}
		if c.Zone != "" && j.Zone != c.Zone {
			return fail([]string{src + " zone " + orUnknown(j.Zone) + " " + j.ZoneNote}, "set CRON_TZ="+c.Zone+" for this job",
				"cron job of %s at %q fires in %s on %s, expected %s %s", c.User, c.Schedule, orUnknown(j.Zone), v.target, c.Zone, on(e))
		}
		return pass("cron job of %s at %q is in %s", c.User, c.Schedule, src)
	}
	msg := fmt.Sprintf("cron job of %s is missing on %s: expected %q %s %s", c.User, v.target, c.Schedule, short(want), on(e))
	if len(near) > 0 {
		return fail(near, "fix its user and schedule", "cron job %s on %s has another user or schedule: expected %s at %q %s", short(want), v.target, c.User, c.Schedule, on(e))
	}
	fix := "add it to " + c.User + "'s crontab (crontab -u " + c.User + " -e)"
	if !slices.ContainsFunc(v.t.Accounts.Users, func(u snapshot.User) bool { return u.Name == c.User }) {
		fix = "create the user " + c.User + " and add the job to its crontab"
	}
	return v.absent(fail(nil, fix, "%s", msg))
}

func short(s string) string {
	if len(s) > 70 {
		return s[:67] + "..."
	}
	return s
}
