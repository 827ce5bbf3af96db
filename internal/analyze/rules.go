package analyze

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Rule is one check over a snapshot.
type Rule struct {
	Key      string
	Severity Severity // the default; a finding may set its own
	Check    func(s *snapshot.Snapshot) []Finding
}

// Rules is the registry, in the order findings of equal weight are listed.
func Rules() []Rule {
	return []Rule{
		{"eol.os", High, eolOS},
		{"eol.middleware", High, eolMiddleware},
		{"backup.none", High, noBackup},
		{"backup.local-only", Medium, localOnlyBackup},
		{"time.stale-zone", High, staleZone},
		{"service.running-not-enabled", Medium, runningNotEnabled},
		{"service.enabled-not-running", Low, enabledNotRunning},
		{"service.stopped-configured", Low, stoppedConfigured},
		{"listener.local-service-exposed", Medium, localServiceExposed},
		{"config.apache22-access", High, apache22Access},
		{"account.empty-password", High, emptyPassword},
		{"sudo.nopasswd", Medium, nopasswdSudo},
		{"keys.orphan", Medium, orphanKeys},
		{"tls.expiring", Medium, expiringCerts},
		{"packages.build-tools", Low, buildTools},
		{"shipper.unreachable", Medium, unreachableShipper},
		{"connection.unanswered", Medium, unansweredConnection},
		{"disk.full", Medium, diskFull},
		{"sysctl.not-applied", Medium, sysctlNotApplied},
		{"sysctl.unknown-key", Info, sysctlUnknownKey},
		{"coverage.gap", Low, coverageGaps},
		{"coverage.incomplete", Info, incompleteCoverage},
	}
}

// collected reports whether every named section's facts are the whole truth.
func collected(s *snapshot.Snapshot, secs ...snapshot.Section) bool {
	for _, sec := range secs {
		if s.Coverage[sec].Status != snapshot.Collected {
			return false
		}
	}
	return true
}

func readable(s *snapshot.Snapshot, sec snapshot.Section) bool {
	return s.Coverage[sec].Status.Read()
}

func eolOS(s *snapshot.Snapshot) []Finding { return eolOf(s, true) }

func eolMiddleware(s *snapshot.Snapshot) []Finding { return eolOf(s, false) }

func eolOf(s *snapshot.Snapshot, os bool) []Finding {
	var out []Finding
	for _, e := range s.EndOfLife {
		if (e.Of == "os") != os || e.Status != "eol" {
			continue
		}
		// A release older than every cycle in the data has no cycle: its version
		// tells it apart.
		release := e.Product + " " + cmp.Or(e.Cycle, e.Version)
		f := Finding{
			Subject: release,
			Facts:   []string{"end_of_life[" + release + "]"},
			Args: map[string]string{
				"product": e.Product, "cycle": e.Cycle, "version": e.Version, "eol": e.EOL,
				"data_date": e.DataDate,
			},
		}
		// The data knows some ends without their date (ended without one, or a
		// release older than the data's oldest): "since" would have nothing to say.
		if e.EOL == "" {
			f.Args["variant"] = "undated"
		}
		out = append(out, f)
	}
	return out
}

func noBackup(s *snapshot.Snapshot) []Finding {
	if s.Backups.Found || !collected(s, snapshot.SectionBackups) {
		return nil
	}
	return []Finding{{Facts: []string{"backups"}, Inhibitor: true}}
}

func localOnlyBackup(s *snapshot.Snapshot) []Finding {
	if !s.Backups.Found {
		return nil
	}
	var facts, where []string
	for _, b := range s.Backups.Items {
		if b.OffHost {
			return nil
		}
		if b.Where != "" {
			where = append(where, b.Where)
		}
		if b.Job != "" {
			facts = append(facts, "cron_jobs["+b.Job+"]")
		}
	}
	return []Finding{{
		Facts: uniq(append([]string{"backups"}, facts...)),
		Args:  map[string]string{"where": strings.Join(uniq(where), ", ")},
	}}
}

func staleZone(s *snapshot.Snapshot) []Finding {
	if s.Time.LocaltimeChanged == nil {
		return nil
	}
	var out []Finding
	for _, d := range s.Time.StaleDaemons {
		name := cmp.Or(d.Service, snapshot.CommandName(d.Command))
		f := Finding{
			Subject: name,
			Facts:   []string{fmt.Sprintf("processes[%d]", d.PID), "time.localtime_changed"},
			Args: map[string]string{
				"daemon": name, "started": d.Started.Format(time.RFC3339),
				"changed": s.Time.LocaltimeChanged.Format(time.RFC3339), "zone": s.Time.Zone,
			},
			Remediation: Remediation{Command: restartCommand(s, name)},
		}
		// A stale cron fires every job in the old zone.
		if distro.IsCronDaemon(name) {
			f.Severity, f.Inhibitor = High, true
		} else {
			f.Severity = Medium
		}
		out = append(out, f)
	}
	return out
}

func restartCommand(s *snapshot.Snapshot, service string) string {
	if s.OS.InitSystem == "systemd" {
		return "systemctl restart " + service
	}
	return "service " + service + " restart"
}

func runningNotEnabled(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, sv := range s.Services {
		// A static unit has no boot setting of its own: another unit starts it.
		if st := s.StateOf(sv); st.Runs() && (st.Boot == snapshot.Disabled || st.Boot == snapshot.Masked) {
			out = append(out, Finding{
				Subject: sv.Name, Facts: []string{"services[" + sv.Name + "]"},
				Args: map[string]string{"service": sv.Name},
			})
		}
	}
	return out
}

func enabledNotRunning(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, sv := range s.Services {
		if st := s.StateOf(sv); st.Run == snapshot.Stopped && st.Boot == snapshot.Enabled {
			out = append(out, Finding{
				Subject: sv.Name, Facts: []string{"services[" + sv.Name + "]"},
				Args: map[string]string{"service": sv.Name},
			})
		}
	}
	return out
}

// stoppedConfigured finds servers installed and configured but stopped and
// disabled: retired, or stopped after an incident (the field report's Dovecot).
// Either way the migration must decide to carry them or drop them, and what they
// left behind outlives them: the configuration, and a firewall opening that
// lets in whatever binds the port next. Low where the packet filter still opens
// one of its ports: nothing listens now, so nothing is exposed at this moment,
// but the opening waits for the next thing that binds the port (a package
// update that starts the server again, an intruder's listener) and a ruleset
// copied to the new host carries it over. Info where only its configuration
// remains: nothing is exposed, it is a decision to make. Offline nothing is
// known to be stopped, so this never fires there.
func stoppedConfigured(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, sv := range s.Services {
		st := s.StateOf(sv)
		if st.Run != snapshot.Stopped || (st.Boot != snapshot.Disabled && st.Boot != snapshot.Masked) {
			continue
		}
		facts := []string{"services[" + sv.Name + "]"}
		configured := false
		ports := slices.Clone(distro.ServicePorts(sv.Name))
		for _, m := range s.Middleware.ServersOf(sv.Name) {
			configured = true
			facts = append(facts, m.Path)
			if m.Port != 0 && !slices.Contains(ports, m.Port) {
				ports = append(ports, m.Port)
			}
		}
		if len(sv.Configs) > 0 {
			configured = true
			facts = append(facts, sv.Configs...)
		}
		var open []string
		if readable(s, snapshot.SectionFirewall) {
			for _, r := range s.Network.Firewall.Rules {
				if p, proto := r.Opening(); p != 0 && slices.Contains(ports, p) {
					open = append(open, proto+"/"+strconv.Itoa(p))
					facts = append(facts, strings.TrimSpace(r.Table+" "+r.Chain+": "+r.Rule))
				}
			}
		}
		if !configured && len(open) == 0 {
			continue
		}
		f := Finding{
			Subject: sv.Name, Severity: Info, Facts: uniq(facts),
			Args: map[string]string{"service": sv.Name, "boot": string(st.Boot)},
		}
		if len(open) > 0 {
			f.Severity = Low
			f.Args["variant"] = "firewall"
			f.Args["ports"] = strings.Join(uniq(open), ", ")
		}
		out = append(out, f)
	}
	return out
}

// localOnlyPorts are services whose clients are, on a server like this, usually on
// the same host: listening on every interface exposes them for nothing.
var localOnlyPorts = map[int]string{3306: "MySQL/MariaDB", 5432: "PostgreSQL", 6379: "Redis", 11211: "memcached", 27017: "MongoDB"}

func localServiceExposed(s *snapshot.Snapshot) []Finding {
	if !readable(s, snapshot.SectionListeners) {
		return nil
	}
	// Remote clients seen at survey time prove the wide listen is used.
	remote := map[int]bool{}
	for _, c := range s.Network.Clients {
		if snapshot.AddressReach(c.RemoteAddress) != snapshot.ReachLoopback {
			remote[c.LocalPort] = true
		}
	}
	seen := map[int]bool{}
	var out []Finding
	for _, l := range s.Listeners {
		what, ok := localOnlyPorts[l.Port]
		if !ok || seen[l.Port] || l.Reach() != snapshot.ReachAll || remote[l.Port] {
			continue
		}
		seen[l.Port] = true
		out = append(out, Finding{
			Subject: strconv.Itoa(l.Port),
			Facts:   []string{fmt.Sprintf("listeners[%s %s:%d]", l.Proto, l.Address, l.Port)},
			Args:    map[string]string{"what": what, "port": strconv.Itoa(l.Port), "address": l.Address},
		})
	}
	return out
}

func apache22Access(s *snapshot.Snapshot) []Finding {
	byFile := map[string][]string{}
	for _, w := range s.Middleware.WebServers {
		for _, d := range w.Legacy {
			switch strings.ToLower(d.Name) {
			case "order", "allow", "deny", "satisfy":
				file := d.Source
				if i := strings.LastIndexByte(file, ':'); i > 0 {
					file = file[:i]
				}
				byFile[file] = append(byFile[file], d.Source)
			}
		}
	}
	var out []Finding
	for _, file := range slices.Sorted(maps.Keys(byFile)) {
		lines := byFile[file]
		out = append(out, Finding{
			Subject: file, Inhibitor: true,
			Facts: prefixed("middleware.web_servers.legacy", lines),
			Args:  map[string]string{"file": file, "count": strconv.Itoa(len(lines)), "lines": strings.Join(lines, ", ")},
			Remediation: Remediation{Ansible: "- name: Apache 2.4 access control\n" +
				"  ansible.builtin.replace:\n    path: " + file + "\n" +
				"    regexp: '^(\\s*)Order allow,deny\\n\\s*Allow from all'\n    replace: '\\1Require all granted'\n"},
		})
	}
	return out
}

func emptyPassword(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, u := range s.Accounts.Users {
		if u.Password == "empty" {
			out = append(out, Finding{
				Subject: u.Name, Inhibitor: true, Facts: []string{"accounts.users[" + u.Name + "]"},
				Args:        map[string]string{"user": u.Name},
				Remediation: Remediation{Command: "passwd -l " + u.Name},
			})
		}
	}
	return out
}

func nopasswdSudo(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, u := range s.Accounts.Users {
		var srcs []string
		for _, r := range u.Sudo {
			if r.NoPasswd {
				srcs = append(srcs, r.Source)
			}
		}
		if len(srcs) > 0 {
			out = append(out, Finding{
				Subject: u.Name, Facts: append([]string{"accounts.users[" + u.Name + "].sudo"}, srcs...),
				Args: map[string]string{"user": u.Name, "sources": strings.Join(uniq(srcs), ", ")},
			})
		}
	}
	return out
}

// orphanKeys: an authorized key whose comment names somebody (user@host) with no
// human account here is likely a person or machine that has left.
func orphanKeys(s *snapshot.Snapshot) []Finding {
	humans := map[string]bool{}
	for _, u := range s.Accounts.Users {
		if u.Kind == "human" {
			humans[strings.ToLower(u.Name)] = true
		}
	}
	var out []Finding
	for _, u := range s.Accounts.Users {
		for _, k := range u.Keys {
			who, _, hasHost := strings.Cut(k.Comment, "@")
			who = strings.ToLower(strings.TrimSpace(who))
			if k.Comment == "" || !hasHost || humans[who] || who == strings.ToLower(u.Name) {
				continue
			}
			out = append(out, Finding{
				Subject: u.Name + " " + k.Fingerprint,
				Facts:   []string{"accounts.users[" + u.Name + "].keys[" + k.Fingerprint + "]", k.Source},
				Args:    map[string]string{"user": u.Name, "comment": k.Comment, "fingerprint": k.Fingerprint, "source": k.Source},
			})
		}
	}
	return out
}

func expiringCerts(s *snapshot.Snapshot) []Finding {
	now := s.CollectedAt
	if now.IsZero() {
		now = time.Now()
	}
	var out []Finding
	for _, c := range s.Middleware.Certificates {
		left := c.NotAfter.Sub(now)
		if c.NotAfter.IsZero() || left > 30*24*time.Hour {
			continue
		}
		f := Finding{
			Subject: c.Path,
			Facts:   append([]string{"middleware.certificates[" + c.Path + "]"}, c.UsedBy...),
			Args: map[string]string{
				"path": c.Path, "subject": c.Subject, "not_after": c.NotAfter.Format("2006-01-02"),
				"days": strconv.Itoa(int(left.Hours() / 24)),
			},
		}
		if left <= 0 {
			f.Severity, f.Inhibitor = High, true
			f.Args["days"] = "0"
		}
		out = append(out, f)
	}
	return out
}

// buildToolPackages are packages a production server rarely needs and an
// intruder is glad to find: compilers and the "Development Tools" group's core.
var buildToolPackages = map[string]bool{
	"gcc": true, "gcc-c++": true, "g++": true, "make": true, "cpp": true, "build-essential": true,
	"autoconf": true, "automake": true, "libtool": true, "rpm-build": true, "dpkg-dev": true,
}

func buildTools(s *snapshot.Snapshot) []Finding {
	var found []string
	for _, p := range s.Packages {
		if buildToolPackages[p.Name] || versionedCompiler(p.Name) {
			found = append(found, p.Name)
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.Strings(found)
	found = uniq(found)
	return []Finding{{
		Facts: prefixed("packages", found),
		Args:  map[string]string{"packages": strings.Join(found, ", ")},
		Remediation: Remediation{Ansible: "- name: no build tools on the new production host\n" +
			"  ansible.builtin.package:\n    name: [" + strings.Join(found, ", ") + "]\n    state: absent\n"},
	}}
}

// versionedCompiler matches Debian's gcc-12 and g++-12, not the gcc-12-base runtime
// every system carries.
func versionedCompiler(name string) bool {
	for _, prefix := range []string{"gcc-", "g++-"} {
		if v, ok := strings.CutPrefix(name, prefix); ok && isVersion(v) {
			return true
		}
	}
	return false
}

func isVersion(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

func unreachableShipper(s *snapshot.Snapshot) []Finding {
	if !readable(s, snapshot.SectionConns) {
		return nil
	}
	connected := map[string]bool{}
	for _, c := range s.Network.Connections {
		connected[fmt.Sprintf("%s:%d", c.RemoteAddress, c.RemotePort)] = true
		for _, n := range c.RemoteNames {
			connected[fmt.Sprintf("%s:%d", n, c.RemotePort)] = true
		}
	}
	var out []Finding
	for _, sh := range s.Logs.Shippers {
		if sh.Running == nil || !*sh.Running {
			continue
		}
		for _, d := range sh.Destinations {
			if d.Port == 0 || strings.EqualFold(d.Proto, "udp") {
				continue // UDP holds no connection to see
			}
			hp := fmt.Sprintf("%s:%d", d.Host, d.Port)
			if connected[hp] {
				continue
			}
			out = append(out, Finding{
				Subject: sh.Name + " " + hp,
				Facts:   []string{"logs.shippers[" + sh.Name + "]", d.Source},
				Args:    map[string]string{"shipper": sh.Name, "destination": hp, "source": d.Source},
			})
		}
	}
	return out
}

// unansweredConnection raises what the host tried to reach and never reached: a
// connection still in SYN-SENT when the survey looked (one the peer answered in any
// sample of an observation is not among them).
func unansweredConnection(s *snapshot.Snapshot) []Finding {
	if !readable(s, snapshot.SectionConns) {
		return nil
	}
	var out []Finding
	for _, c := range s.Network.Unanswered {
		remote := c.HostPort()
		process := c.Process
		if process == "" {
			process = "(a process this survey could not see)"
		}
		refs := strings.Join(c.ConfigRefs, ", ")
		if refs == "" {
			refs = "-"
		}
		out = append(out, Finding{
			Subject: strings.TrimSpace(c.Process + " " + remote),
			Facts:   []string{fmt.Sprintf("network.unanswered[%s %s]", c.Proto, remote), c.Evidence},
			Args: map[string]string{"remote": remote, "purpose": cmp.Or(c.Purpose, c.Proto), "state": c.State,
				"process": process, "count": strconv.Itoa(c.Count), "refs": refs},
		})
	}
	return out
}

func diskFull(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, m := range s.Storage.Mounts {
		if m.UsedPct == nil || *m.UsedPct < 85 {
			continue
		}
		f := Finding{
			Subject: m.MountPoint, Facts: []string{"storage.mounts[" + m.MountPoint + "]"},
			Args: map[string]string{"mount": m.MountPoint, "pct": strconv.Itoa(*m.UsedPct)},
		}
		if *m.UsedPct >= 95 {
			f.Severity = High
		}
		out = append(out, f)
	}
	return out
}

// coverageGaps raises one finding per section that could not be read at all
// for want of rights or tools: each needs its own remedy.
func coverageGaps(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, sec := range snapshot.Sections {
		c, ok := s.Coverage[sec]
		if !ok || c.Status.Decided() || c.Status == snapshot.Partial || liveOnly(s, c) {
			continue
		}
		out = append(out, Finding{
			Subject: string(sec), Facts: append([]string{"coverage." + string(sec)}, c.Evidence...),
			Args: map[string]string{"section": string(sec), "status": string(c.Status), "reason": c.Reason},
		})
	}
	return out
}

// liveOnly tells a section that only a running host asked live can fill: read
// from a disk image or a bundle, or surveyed with --no-ask. More rights would not
// help, so its finding says what would.
func liveOnly(s *snapshot.Snapshot, c snapshot.Coverage) bool {
	if c.Status != snapshot.Unavailable {
		return false
	}
	return s.Source.Kind == "root" || s.Source.Kind == "bundle" || strings.Contains(c.Reason, "--no-ask")
}

// incompleteCoverage groups the sections read only in part and those only the
// running host can show into one finding that names them: each is an info, and
// twenty of them one per section buried the findings that matter. The reasons
// stay in the coverage section of the report, one row each.
func incompleteCoverage(s *snapshot.Snapshot) []Finding {
	var partial, live, facts []string
	for _, sec := range snapshot.Sections {
		c, ok := s.Coverage[sec]
		switch {
		case !ok:
			continue
		case c.Status == snapshot.Partial:
			partial = append(partial, string(sec))
		case liveOnly(s, c):
			live = append(live, string(sec))
		default:
			continue
		}
		facts = append(facts, append([]string{"coverage." + string(sec)}, c.Evidence...)...)
	}
	if len(partial)+len(live) == 0 {
		return nil
	}
	f := Finding{
		Facts: facts,
		Args: map[string]string{"count": strconv.Itoa(len(partial) + len(live)), "partial": strings.Join(partial, ", "),
			"live": strings.Join(live, ", "), "sections": strings.Join(append(slices.Clone(partial), live...), ", ")},
	}
	switch {
	case len(live) == 0:
		f.Args["variant"] = "partial"
	case len(partial) == 0:
		f.Args["variant"] = "live"
	}
	return []Finding{f}
}

func uniq(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func prefixed(prefix string, refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = prefix + "[" + r + "]"
	}
	return out
}
