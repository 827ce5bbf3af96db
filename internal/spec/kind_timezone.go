package spec

import "github.com/trowel-dev/trowel/internal/snapshot"

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

func (t Timezone) goss(g gossfile, _ Expectation) bool {
	g.command("readlink -f /etc/localtime || cat /etc/timezone", t.Zone)
	return true
}
