package ledger

import "github.com/trowel-dev/trowel/internal/spec"

// KindClock is how the host keeps time: its zone (clock:timezone), its NTP daemon
// (clock:ntp) and each time server it follows (clock:ntp:SERVER).
const KindClock Kind = "clock"

var clockKind = kind{name: KindClock, read: (*reader).clock,
	tests: []spec.Kind{spec.KindTimezone, spec.KindCronZone},
	claim: func(spec.Expectation, string) []string { return []string{ID(KindClock, "timezone")} }}

func (r *reader) clock() {
	t := r.s.Time
	if t.Zone != "" {
		r.add(KindClock, "timezone", "the clock is shown in "+t.Zone+" (cron fires in it)", t.ZoneSource, t.Evidence...)
	}
	if t.NTP.Daemon != "" {
		r.add(KindClock, "ntp", t.NTP.Daemon+" keeps the clock", t.NTP.Config, t.NTP.Evidence...)
		for _, s := range t.NTP.Servers {
			r.add(KindClock, "ntp:"+s, t.NTP.Daemon+" follows "+s, t.NTP.Config, t.NTP.Evidence...)
		}
	}
}
