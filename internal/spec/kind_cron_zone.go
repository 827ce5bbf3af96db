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
	goss:     CronZone.goss,
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

// goss checks the zone, and that the cron daemon (if one runs) started after
// /etc/localtime last changed: it reads the zone once, when it starts, so one
// started before the change fires every job in the zone before it.
func (z CronZone) goss(g *gossfile, e Expectation) string {
	g.command(e, "", zoneSources+"; "+crondReadTheZone, zoneLine(z.Zone))
	return ""
}

// crondReadTheZone exits 0 when no cron daemon runs, or when the oldest one started
// no earlier than the second /etc/localtime (the link itself) last changed.
const crondReadTheZone = `p=$(pgrep -o -x 'crond?'); [ -z "$p" ] || [ $(( $(date +%s) - $(ps -o etimes= -p "$p") )) -ge "$(stat -c %Z /etc/localtime)" ]`
