package verify

import (
	"cmp"
	"fmt"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// cronZone wants cron to fire jobs in the zone: the configured one (or crond's own
// TZ), read by a crond started after the zone last changed.
func (v evaluator) cronZone(e spec.Expectation, z spec.CronZone) Check {
	t := v.t.Time
	var crond *snapshot.StaleDaemon
	for i, d := range t.StaleDaemons {
		if distro.IsCronDaemon(d.Command) {
			crond = &t.StaleDaemons[i]
		}
	}
	effective := cmp.Or(t.CronTZ, t.Zone)
	if crond != nil {
		changed := "?"
		if t.LocaltimeChanged != nil {
			changed = t.LocaltimeChanged.UTC().Format("2006-01-02 15:04:05 UTC")
		}
		was := cmp.Or(crond.Zone, "the zone in force when it started (not "+z.Zone+")")
		return fail([]string{fmt.Sprintf("pid %d %s started %s", crond.PID, crond.Command, crond.Started.UTC().Format("2006-01-02 15:04:05 UTC")),
			fmt.Sprintf("/etc/localtime changed %s to %s", changed, t.Zone)},
			"restart cron (service cron restart) so it reads the zone",
			"crond on %s runs in %s while /etc/localtime says %s: it started before the zone changed, so every job fires at the wrong hour; expected jobs to fire in %s %s",
			v.target, was, t.Zone, z.Zone, on(e))
	}
	if effective != z.Zone {
		return fail([]string{"zone " + orUnknown(t.Zone), "crond TZ " + orUnknown(t.CronTZ)}, "set the zone to "+z.Zone+" (timedatectl set-timezone "+z.Zone+") and restart cron",
			"cron on %s fires jobs in %s, expected %s %s", v.target, orUnknown(effective), z.Zone, on(e))
	}
	return pass("cron fires jobs in %s", effective)
}
