package spec

import (
	"regexp"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindTimezone expects the configured zone.
const KindTimezone Kind = "timezone"

// Timezone is the zone the host is configured in.
type Timezone struct {
	Zone string `yaml:"zone,omitempty"`
}

func (Timezone) Kind() Kind { return KindTimezone }

var timezoneKind = def[Timezone]{
	sections: []snapshot.Section{snapshot.SectionTime},
	derive:   (*deriver).timezone,
	goss:     Timezone.goss,
}

func (d *deriver) timezone() {
	if !d.usable("timezone", snapshot.SectionTime) || d.s.Time.Zone == "" {
		return
	}
	t := d.s.Time
	d.add(Expectation{ID: "timezone", Body: Timezone{Zone: t.Zone},
		From: From{Source: t.ZoneSource, Evidence: t.Evidence}})
}

func (t Timezone) goss(g *gossfile, e Expectation) string {
	g.command(e, "", zoneSources+"; true", zoneLine(t.Zone))
	return ""
}

// zoneSources prints where a host keeps its zone: the link /etc/localtime (one
// level: readlink -f would turn zoneinfo/UTC into Etc/UTC), Debian's /etc/timezone
// and the RHEL family's ZONE= in /etc/sysconfig/clock.
const zoneSources = "readlink /etc/localtime; cat /etc/timezone /etc/sysconfig/clock 2>/dev/null"

// zoneLine matches a line of zoneSources that names the zone.
func zoneLine(zone string) string {
	return gossLine(`(^|[/="])` + regexp.QuoteMeta(zone) + `"?$`)
}
