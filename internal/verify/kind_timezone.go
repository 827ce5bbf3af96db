package verify

import "github.com/trowel-dev/trowel/internal/spec"

// timezone wants the configured zone.
func (v evaluator) timezone(e spec.Expectation, z spec.Timezone) Check {
	t := v.t.Time
	if t.Zone == "" {
		return Check{Status: Skipped, Message: "the zone of " + v.target + " could not be told"}
	}
	if t.Zone != z.Zone {
		return fail([]string{t.Zone + " (" + t.ZoneSource + ")"}, "timedatectl set-timezone "+z.Zone+" (or link /etc/localtime), then restart cron and the other daemons",
			"the zone of %s is %s, expected %s %s", v.target, t.Zone, z.Zone, on(e))
	}
	return pass("zone %s", z.Zone)
}
