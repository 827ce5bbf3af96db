package timekeeping

import (
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// ParseNTPServers reads the time sources of ntp.conf, chrony.conf and OpenNTPD's
// ntpd.conf (server, pool, peer, servers lines) and of timesyncd.conf (NTP=,
// FallbackNTP= in [Time]).
func ParseNTPServers(text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && (strings.TrimSpace(k) == "NTP" || strings.TrimSpace(k) == "FallbackNTP") {
			for _, s := range strings.Fields(v) {
				add(s)
			}
			continue
		}
		f := strings.Fields(line)
		if len(f) >= 2 {
			switch f[0] {
			case "server", "pool", "peer", "servers":
				add(f[1])
			}
		}
	}
	return out
}

// ParseChronyTracking reads `chronyc tracking`: synchronised unless the leap status
// says "Not synchronised". ok is false when the output has no leap status.
func ParseChronyTracking(text string) (synced, ok bool) {
	for _, line := range strings.Split(text, "\n") {
		k, v, found := strings.Cut(line, ":")
		if found && strings.TrimSpace(k) == "Leap status" {
			return !strings.Contains(strings.ToLower(v), "not synchronised"), true
		}
	}
	return false, false
}

// ParseNtpq reads `ntpq -pn`: the peer marked '*' is the one the clock follows.
// ok is false when no peer table was printed.
func ParseNtpq(text string) (synced, ok bool) {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "=====") {
			ok = true
			continue
		}
		if ok && strings.HasPrefix(line, "*") {
			return true, true
		}
	}
	return false, ok
}

// Timedatectl is what `timedatectl` says about the zone and synchronisation.
type Timedatectl struct {
	Zone       string // "America/New_York"
	Synced     *bool
	NTPService string // "active", "inactive", or yes/no from the older "NTP enabled"
}

// ParseTimedatectl reads timedatectl's "Key: value" lines, in both the systemd 219
// (NTP synchronized) and the newer (System clock synchronized) wording.
func ParseTimedatectl(text string) (Timedatectl, error) {
	var out Timedatectl
	var perr kit.ParseError
	seen := false
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "Time zone":
			seen = true
			z, _, _ := strings.Cut(v, " ")
			out.Zone = z
		case "System clock synchronized", "NTP synchronized":
			seen = true
			b := v == "yes"
			if v != "yes" && v != "no" {
				perr.Add(i+1, "%s is %q", k, v)
				continue
			}
			out.Synced = &b
		case "NTP service", "NTP enabled", "Network time on":
			out.NTPService = v
		}
	}
	if !seen {
		perr.Add(1, "no Time zone or synchronisation line")
	}
	return out, perr.Err()
}

// ParseMtime reads the epoch seconds _lmtime printed ("1795224199", or find's
// "1795224199.7338754580"). Zero is not an answer: it is what a failed lstat gives.
func ParseMtime(text string) (time.Time, bool) {
	s := strings.TrimSpace(text)
	if i := strings.IndexAny(s, "\n"); i >= 0 {
		s = s[:i]
	}
	s, _, _ = strings.Cut(s, ".")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// CronDaemon is one line of _crondtz: a cron daemon and the TZ of its environment.
type CronDaemon struct {
	PID  int
	Name string
	// TZ is the value of TZ ("" when it has none); Readable is false when the
	// environment could not be read (not root).
	TZ       string
	Readable bool
}

// ParseCrondTZ reads _crondtz's "PID<tab>NAME<tab>TZ=...|-|?" lines.
func ParseCrondTZ(text string) ([]CronDaemon, error) {
	var out []CronDaemon
	var perr kit.ParseError
	for i, raw := range strings.Split(text, "\n") {
		if raw == "" {
			continue
		}
		f := strings.SplitN(raw, "\t", 3)
		pid, err := strconv.Atoi(f[0])
		if len(f) != 3 || err != nil || pid <= 0 {
			perr.Add(i+1, "not a PID, name and TZ")
			continue
		}
		d := CronDaemon{PID: pid, Name: f[1], Readable: f[2] != "?"}
		if strings.HasPrefix(f[2], "TZ=") {
			d.TZ = strings.TrimPrefix(f[2], "TZ=")
		} else if f[2] != "-" && f[2] != "?" {
			perr.Add(i+1, "TZ field %q", f[2])
			continue
		}
		out = append(out, d)
	}
	return out, perr.Err()
}

// ZoneOfTZ turns a TZ value into a zone name: ":Asia/Tokyo" and "Asia/Tokyo" name a
// zone; a path ("/etc/localtime", ":/usr/share/zoneinfo/UTC") names the file's
// zone when it is under zoneinfo, else ""; a POSIX string ("JST-9") is kept as is.
func ZoneOfTZ(tz string) string {
	tz = strings.TrimPrefix(tz, ":")
	if strings.HasPrefix(tz, "/") {
		if i := strings.LastIndex(tz, "zoneinfo/"); i >= 0 {
			return strings.TrimPrefix(strings.TrimPrefix(tz[i+len("zoneinfo/"):], "posix/"), "right/")
		}
		return ""
	}
	return tz
}
