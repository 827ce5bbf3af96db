package spec

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindCronZone expects the cron daemon to fire jobs in a zone.
const KindCronZone Kind = "cron_zone"

// CronZone is the zone the cron daemon fires the jobs without a zone of their own in.
type CronZone struct {
	Zone string `yaml:"zone,omitempty"`
}

func (CronZone) Kind() Kind { return KindCronZone }

var cronZoneKind = def[CronZone]{
	sections: []snapshot.Section{snapshot.SectionTime, snapshot.SectionCron},
	derive:   (*deriver).cronZone,
	noGoss:   "goss cannot tell the zone a running cron daemon fires jobs in (it reads the zone when it starts, not when /etc/localtime changes)",
}

// cronZone expects the zone once for all the cron jobs, when there is one: they
// are derived before (the table's order), and only from a cron section collected.
func (d *deriver) cronZone() {
	zone := d.s.Time.Zone
	if zone == "" || !d.derived(KindCron) {
		return
	}
	e := Expectation{ID: "cron_zone", Body: CronZone{Zone: zone},
		From: From{Source: d.s.Time.ZoneSource, Evidence: d.s.Time.Evidence}}
	for _, sd := range d.s.Time.StaleDaemons {
		if distro.IsCronDaemon(sd.Command) && sd.Zone == "" {
			e.Note = fmt.Sprintf("on %s itself crond (pid %d) was started before the zone changed to %s, so its jobs fired in the previous zone: the intended zone is expected here", d.host, sd.PID, zone)
		}
	}
	d.add(e)
}
