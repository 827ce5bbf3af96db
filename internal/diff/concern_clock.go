package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// ConcernTime is the host's clock: its zone, what cron fires in, NTP, and the
// daemons that missed a zone change, compared as one item.
const ConcernTime Concern = "time"

var clockConcern = concern{id: ConcernTime, section: snapshot.SectionTime, read: eachSide(clockItems)}

// clockItem names the one item of ConcernTime; a report says it in its own
// language ("item_clock").
const clockItem = "clock"

func clockItems(s *snapshot.Snapshot) []item {
	t := s.Time
	var stale []string
	for _, d := range t.StaleDaemons {
		stale = append(stale, processName(d.Command, ""))
	}
	ntp := t.NTP.Daemon
	if ntp == "" && len(t.NTP.Evidence) > 0 {
		ntp = None
	}
	return []item{{
		key:   clockItem,
		label: clockItem,
		fields: []field{
			{"zone", t.Zone},
			{"cron_tz", t.CronTZ},
			{"ntp_daemon", ntp},
			{"ntp_servers", setValue(t.NTP.Servers)},
			{"stale_daemons", setValue(stale)},
		},
		refs: refs(t.Evidence),
	}}
}
