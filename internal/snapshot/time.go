package snapshot

import "time"

// Clock is how the host keeps and shows time. A migration that changes the zone, or
// a daemon that never noticed a zone change, moves every scheduled job. (It is not
// named Time: the schema generator names definitions by type name, and would take
// every time.Time for it.)
type Clock struct {
	// Zone is the configured zone name ("Asia/Tokyo"); "" when it could not be told.
	Zone string `json:"zone,omitempty"`
	// ZoneSource says how Zone was found: the /etc/localtime link, /etc/timezone,
	// /etc/sysconfig/clock, or the TZif content of a copied /etc/localtime.
	ZoneSource string `json:"zone_source,omitempty"`
	// LocaltimeChanged is the last change of /etc/localtime (the link itself when it
	// is one); daemons started before it may still run in the previous zone.
	LocaltimeChanged *time.Time `json:"localtime_changed,omitempty"`
	// UTCOffset is the offset date(1) printed at survey time, "+0900".
	UTCOffset string `json:"utc_offset,omitempty"`
	NTP       NTP    `json:"ntp"`
	// StaleDaemons are long-running processes started before LocaltimeChanged.
	StaleDaemons []StaleDaemon `json:"stale_daemons,omitempty"`
	// CronTZ is TZ in the cron daemon's environment (read on the host, alone), which
	// overrides the configured zone for every job; "" when it has none or it could
	// not be read. Added because cron jobs fire in it, not in Zone.
	CronTZ string `json:"cron_tz,omitempty"`
	// Notes say what the zone evidence leaves open or contradicts: /etc/timezone
	// naming another zone than /etc/localtime, a copied zone file matching several
	// zones. Added so a disagreement is reported rather than silently resolved.
	Notes    []string `json:"notes,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// NTP is the host's clock synchronisation.
type NTP struct {
	// Daemon is chronyd, ntpd, systemd-timesyncd, openntpd, or "" when none is set up.
	Daemon  string   `json:"daemon,omitempty"`
	Running *bool    `json:"running,omitempty"`
	Servers []string `json:"servers,omitempty"`
	// Synchronized is the daemon's own verdict at survey time; nil when not asked.
	Synchronized *bool    `json:"synchronized,omitempty"`
	Config       string   `json:"config,omitempty"`
	Evidence     []string `json:"evidence,omitempty"`
}

// StaleDaemon is a process that started before the zone last changed.
type StaleDaemon struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Service string    `json:"service,omitempty"`
	Started time.Time `json:"started"`
	// Zone is the zone the process runs in when it can be told (TZ in its
	// environment); "" means the zone in force when it started, which the host does
	// not record.
	Zone     string   `json:"zone,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}
