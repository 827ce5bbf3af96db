// Package timekeeping surveys how the host keeps time: the zone it is configured
// for (and how that was found), when the zone last changed, clock synchronisation,
// and the daemons that started before the change and so still run in the old zone.
//
// The zone glibc uses is /etc/localtime's content; /etc/timezone (Debian) and
// /etc/sysconfig/clock (RHEL 5/6) only record a name for tools. So the link target
// wins, then the content of a copied file (CentOS 5 copies it), then the records.
// A running process does not re-read /etc/localtime when it changes (glibc reads it
// once when TZ is unset), which is how cron keeps firing in the old zone.
package timekeeping

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/hostos"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/processes"
)

// Surveyor fills Time and the time coverage. It runs after processes and services.
type Surveyor struct{}

// New returns the time surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "time" }

type cites struct {
	in  *kit.Input
	ids []string
	its []*evidence.Item
}

func (c *cites) add(it *evidence.Item) {
	if it == nil {
		return
	}
	id := c.in.Cite(it)
	for _, x := range c.ids {
		if x == id {
			return
		}
	}
	c.ids = append(c.ids, id)
	c.its = append(c.its, it)
}

// Survey reads the evidence into in.Snap.Time.
func (Surveyor) Survey(in *kit.Input) {
	t := &in.Snap.Time
	c := &cites{in: in}
	var gaps []string

	zoneOf(in, t, c, &gaps)

	if it := in.Cmd("date"); kit.Usable(it) {
		if d, err := processes.ParseDate(it.Text()); err == nil {
			t.UTCOffset = formatOffset(d.Offset)
			c.add(it)
		}
	}

	mt := in.Cmd("localtime-mtime")
	if kit.Usable(mt) {
		if ts, ok := ParseMtime(mt.Text()); ok {
			t.LocaltimeChanged = &ts
			c.add(mt)
		} else {
			gaps = append(gaps, "the change time of /etc/localtime could not be read from "+mt.Source())
		}
	} else {
		gaps = append(gaps, "when /etc/localtime last changed is unknown: "+mt.Problem())
	}

	daemons := cronDaemons(in, t, c)
	ntp(in, &t.NTP)
	t.StaleDaemons = staleDaemons(in, t.LocaltimeChanged, daemons)
	if t.LocaltimeChanged != nil && len(t.StaleDaemons) > 0 {
		c.add(in.Cmd("ps"))
	}
	t.Evidence = c.ids

	switch {
	case t.Zone == "" && t.LocaltimeChanged == nil:
		st, _ := kit.Worst(in.List("/etc"), in.File("/etc/localtime"), mt)
		if st.Read() {
			st = snapshot.Unavailable
		}
		in.Cover(snapshot.SectionTime, st, strings.Join(gaps, "; "), append(c.its, in.List("/etc"), in.File("/etc/localtime"), mt)...)
	case len(gaps) > 0:
		in.Cover(snapshot.SectionTime, snapshot.Partial, strings.Join(gaps, "; "), c.its...)
	default:
		in.Cover(snapshot.SectionTime, snapshot.Collected, "", c.its...)
	}
}

func formatOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec%3600/60)
}

// zoneOf decides Zone and ZoneSource, and notes where the records disagree.
func zoneOf(in *kit.Input, t *snapshot.Clock, c *cites, gaps *[]string) {
	var recorded []struct{ zone, src string }
	var recItems []*evidence.Item
	if it := in.File("/etc/timezone"); kit.Usable(it) {
		if z, ok := hostos.ParseTimezoneFile(it.Text()); ok {
			recorded = append(recorded, struct{ zone, src string }{z, "/etc/timezone"})
			recItems = append(recItems, it)
		}
	}
	if it := in.File("/etc/sysconfig/clock"); kit.Usable(it) {
		kv, _ := hostos.ParseKV(it.Text())
		for _, k := range []string{"ZONE", "TIMEZONE"} {
			if z, ok := hostos.ParseTimezoneFile(kv[k]); ok {
				recorded = append(recorded, struct{ zone, src string }{z, "/etc/sysconfig/clock " + k + "="})
				recItems = append(recItems, it)
				break
			}
		}
	}

	lt := in.File("/etc/localtime")
	isLink := false
	if it := in.List("/etc"); kit.Usable(it) {
		entries, _ := kit.ParseListing(it.Text())
		for _, e := range entries {
			if e.Name != "localtime" {
				continue
			}
			if e.Type == 'l' {
				isLink = true
				if z, ok := hostos.ZoneFromLink(e.Target); ok {
					t.Zone, t.ZoneSource = z, "/etc/localtime link to "+e.Target
					c.add(it)
				} else {
					t.Notes = append(t.Notes, "/etc/localtime links to "+e.Target+", which is not a zoneinfo file")
				}
			}
		}
	}
	if t.Zone == "" && kit.Usable(lt) && !lt.Truncated {
		at := in.Snap.CollectedAt
		if at.IsZero() {
			at = time.Now()
		}
		if z, err := IdentifyTZif(lt.Data, at); err == nil {
			c.add(lt)
			pickFromContent(t, z, recorded, isLink)
		} else {
			t.Notes = append(t.Notes, "/etc/localtime: "+err.Error())
		}
	}
	if t.Zone == "" && len(recorded) > 0 {
		t.Zone, t.ZoneSource = recorded[0].zone, recorded[0].src+" (only the recorded name: /etc/localtime could not be checked)"
		c.add(recItems[0])
	}
	if t.Zone == "" {
		if it := in.Cmd("timedatectl"); kit.Usable(it) {
			if td, _ := ParseTimedatectl(it.Text()); td.Zone != "" {
				t.Zone, t.ZoneSource = td.Zone, "timedatectl"
				c.add(it)
			}
		}
	}
	if t.Zone == "" {
		*gaps = append(*gaps, "the configured zone could not be told: "+kit.Explain(in.List("/etc"), lt))
		return
	}
	for i, r := range recorded {
		if r.zone != t.Zone && !sameZone(r.zone, t.Zone) {
			t.Notes = append(t.Notes, fmt.Sprintf("%s says %s but the zone in force is %s: tools that read the record (and a migration copying it) get the wrong zone", r.src, r.zone, t.Zone))
			c.add(recItems[i])
		}
	}
}

// pickFromContent names the zone of a copied /etc/localtime.
func pickFromContent(t *snapshot.Clock, z TZif, recorded []struct{ zone, src string }, isLink bool) {
	what := "content of /etc/localtime (a copy, not a link)"
	if isLink {
		what = "content of /etc/localtime"
	}
	for _, r := range recorded {
		for _, cand := range z.Candidates {
			if cand == r.zone {
				t.Zone, t.ZoneSource = cand, what+", matching the name in "+r.src
				return
			}
		}
	}
	canon := Canonical(z.Candidates)
	if named := Canonical(z.SameNames); len(named) == 1 {
		canon = named
	}
	switch {
	case len(canon) == 1:
		t.Zone, t.ZoneSource = canon[0], what+", matched against the tz database"
	case len(z.Candidates) == 1:
		t.Zone, t.ZoneSource = z.Candidates[0], what+", matched against the tz database"
	case len(canon) > 1:
		t.Notes = append(t.Notes, fmt.Sprintf("/etc/localtime is a copy matching several zones with the same offsets since 1970: %s", strings.Join(canon, ", ")))
	case z.Footer != "":
		t.Notes = append(t.Notes, fmt.Sprintf("/etc/localtime is a copy matching no zone of this trowel's tz database; its rule is %q", z.Footer))
	default:
		t.Notes = append(t.Notes, "/etc/localtime is a copy matching no zone of this trowel's tz database, and has no rule footer (a version 1 file)")
	}
	if t.Zone == "" && z.Footer != "" && len(canon) > 1 {
		t.Notes = append(t.Notes, fmt.Sprintf("its rule is %q", z.Footer))
	}
}

// sameZone holds for aliases that behave alike now ("Japan" and "Asia/Tokyo").
func sameZone(a, b string) bool {
	la, err1 := time.LoadLocation(a)
	lb, err2 := time.LoadLocation(b)
	if err1 != nil || err2 != nil {
		return false
	}
	for _, ts := range []int64{0, 1e9, 1.5e9, 1.7e9, 1.72e9, 1.75e9} {
		_, oa := time.Unix(ts, 0).In(la).Zone()
		_, ob := time.Unix(ts, 0).In(lb).Zone()
		if oa != ob {
			return false
		}
	}
	return true
}

// cronDaemons reads crond's TZ; it sets CronTZ when every cron daemon agrees.
func cronDaemons(in *kit.Input, t *snapshot.Clock, c *cites) map[int]CronDaemon {
	out := map[int]CronDaemon{}
	it := in.Cmd("crond-tz")
	if !kit.Usable(it) {
		return out
	}
	ds, _ := ParseCrondTZ(it.Text())
	c.add(it)
	for _, d := range ds {
		out[d.PID] = d
		if !d.Readable {
			t.Notes = append(t.Notes, fmt.Sprintf("the environment of %s (pid %d) could not be read, so a TZ it may run in is unknown", d.Name, d.PID))
			continue
		}
		if d.TZ != "" {
			t.CronTZ = d.TZ
		}
	}
	return out
}

// shortLived are programs whose start time says nothing about a zone they keep.
var shortLived = map[string]bool{"sleep": true}

// staleDaemons lists the long-running processes started before the zone changed:
// those of a service or children of PID 1, crond first.
func staleDaemons(in *kit.Input, changed *time.Time, cron map[int]CronDaemon) []snapshot.StaleDaemon {
	if changed == nil {
		return nil
	}
	svc := map[int]string{}
	for _, s := range in.Snap.Services {
		if s.MainPID > 0 {
			svc[s.MainPID] = s.Name
		}
	}
	var out []snapshot.StaleDaemon
	for _, p := range in.Snap.Processes {
		if p.Started == nil || !p.Started.Before(*changed) || p.PID <= 2 {
			continue
		}
		service := p.Service
		if service == "" {
			service = svc[p.PID]
		}
		if p.PPID != 1 && service == "" {
			continue
		}
		if shortLived[commOf(p)] || p.KernelThread() || p.Defunct() {
			continue
		}
		d := snapshot.StaleDaemon{PID: p.PID, Command: p.Command, Service: service, Started: *p.Started, Evidence: []string{p.Evidence}}
		if cd, ok := cron[p.PID]; ok && cd.TZ != "" {
			d.Zone = ZoneOfTZ(cd.TZ)
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ci, cj := distro.IsCronDaemon(out[i].Command), distro.IsCronDaemon(out[j].Command)
		if ci != cj {
			return ci
		}
		return out[i].Started.Before(out[j].Started)
	})
	return out
}

func commOf(p snapshot.Process) string {
	if p.Comm != "" {
		return p.Comm
	}
	return snapshot.CommandName(p.Command)
}

// ntp fills the clock synchronisation facts.
func ntp(in *kit.Input, n *snapshot.NTP) {
	type conf struct{ path, daemon string }
	confs := []conf{
		{"/etc/chrony.conf", "chronyd"}, {"/etc/chrony/chrony.conf", "chronyd"},
		{"/etc/ntp.conf", "ntpd"}, {"/etc/openntpd/ntpd.conf", "openntpd"},
		{"/etc/systemd/timesyncd.conf", "systemd-timesyncd"},
	}
	running := map[string]bool{}
	for _, p := range in.Snap.Processes {
		running[commOf(p)] = true
	}
	live := in.Snap.Coverage[snapshot.SectionProcesses].Status == snapshot.Collected ||
		in.Snap.Coverage[snapshot.SectionProcesses].Status == snapshot.Partial
	cite := func(it *evidence.Item) { n.Evidence = append(n.Evidence, in.Cite(it)) }
	for _, cf := range confs {
		it := in.File(cf.path)
		if !kit.Usable(it) {
			continue
		}
		servers := ParseNTPServers(it.Text())
		// timesyncd.conf ships on every systemd host; it counts when it runs or names servers.
		if cf.daemon == "systemd-timesyncd" && !running[cf.daemon] && len(servers) == 0 {
			continue
		}
		if n.Daemon == "" || (!running[n.Daemon] && running[cf.daemon]) {
			n.Daemon, n.Config, n.Servers = cf.daemon, cf.path, servers
			cite(it)
		}
	}
	for _, d := range []string{"chronyd", "ntpd", "systemd-timesyncd"} {
		if n.Daemon == "" && running[d] {
			n.Daemon = d
		}
	}
	if n.Daemon != "" && live {
		r := running[n.Daemon] || (n.Daemon == "openntpd" && running["ntpd"])
		n.Running = &r
	}
	if it := in.Cmd("chronyc-tracking"); kit.Usable(it) {
		if s, ok := ParseChronyTracking(it.Text()); ok {
			n.Synchronized = &s
			cite(it)
		}
	}
	if it := in.Cmd("ntpq-pn"); n.Synchronized == nil && kit.Usable(it) {
		if s, ok := ParseNtpq(it.Text()); ok {
			n.Synchronized = &s
			cite(it)
		}
	}
	if it := in.Cmd("timedatectl"); n.Synchronized == nil && kit.Usable(it) {
		if td, _ := ParseTimedatectl(it.Text()); td.Synced != nil {
			n.Synchronized = td.Synced
			cite(it)
		}
	}
}
