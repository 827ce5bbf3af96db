package spec

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Derive turns a snapshot into the expectations a replacement must meet. It derives
// nothing from a section the survey could not collect, and records that as a gap.
// Facts that cannot hold on any replacement (the host's own addresses, block
// devices, uid numbers) are expected with a tolerance, named in Allow.
func Derive(s *snapshot.Snapshot, snapshotPath string) *Spec {
	host := s.Host.Hostname
	if host == "" {
		host = s.Source.Target
	}
	p := distro.PlatformOf(s.OS)
	sp := &Spec{
		TrowelSpec: FormatVersion,
		Source: Source{
			Host: host, OS: s.OS.PrettyName, Platform: p.String(), Manager: s.OS.PackageManager,
			Init: s.OS.InitSystem, CollectedAt: s.CollectedAt, Snapshot: snapshotPath,
		},
	}
	d := deriver{s: s, host: host, spec: sp}
	d.timezone()
	d.services()
	d.ports()
	d.processes()
	d.cron()
	d.accounts()
	d.mounts()
	d.sysctls()
	d.firewall()
	d.shippers()
	d.logFollows()
	d.settings()
	d.capabilities()
	d.answers()
	order := map[Kind]int{}
	for i, k := range Kinds {
		order[k] = i
	}
	sort.SliceStable(sp.Expectations, func(i, j int) bool {
		return order[sp.Expectations[i].Kind] < order[sp.Expectations[j].Kind]
	})
	return sp
}

type deriver struct {
	s    *snapshot.Snapshot
	host string
	spec *Spec
	ids  map[string]int
}

// usable reports whether a section's facts may be derived from; a gap is noted when not.
func (d *deriver) usable(what string, secs ...snapshot.Section) bool {
	for _, sec := range secs {
		c, ok := d.s.Coverage[sec]
		if ok && (c.Status == snapshot.Collected || c.Status == snapshot.Partial || c.Status == snapshot.NotApplicable) {
			continue
		}
		reason := "no coverage recorded"
		if ok {
			reason = string(c.Status)
			if c.Reason != "" {
				reason += ": " + c.Reason
			}
		}
		d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("%s: not derived, the %s section was %s", what, sec, reason))
		return false
	}
	return true
}

func (d *deriver) add(e Expectation) {
	if d.ids == nil {
		d.ids = map[string]int{}
	}
	// Two facts may share a subject (two rules for one user); keep both, told apart.
	if n := d.ids[e.ID]; n > 0 {
		d.ids[e.ID] = n + 1
		e.ID = fmt.Sprintf("%s#%d", e.ID, n+1)
	} else {
		d.ids[e.ID] = 1
	}
	e.From.Host = d.host
	d.spec.Expectations = append(d.spec.Expectations, e)
}

func ev(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

func (d *deriver) timezone() {
	if !d.usable("timezone", snapshot.SectionTime) || d.s.Time.Zone == "" {
		return
	}
	t := d.s.Time
	d.add(Expectation{ID: "timezone", Kind: KindTimezone, Zone: t.Zone,
		From: From{Source: t.ZoneSource, Evidence: t.Evidence}})
}

func (d *deriver) services() {
	if !d.usable("services", snapshot.SectionServices) {
		return
	}
	for _, sv := range d.s.Services {
		// A service that was not running did nothing on the old host; one merely
		// enabled is no promise of work, and often a package's leftover.
		if sv.Running == nil || !*sv.Running {
			continue
		}
		e := Expectation{ID: "service:" + sv.Name, Kind: KindService, Name: sv.Name, Running: snapshot.Bool(true),
			From: From{Source: sv.Path, Evidence: sv.Evidence}}
		if r := distro.ServiceRole(sv.Name); r != sv.Name {
			e.Role = r
		}
		if sv.Enabled != nil && *sv.Enabled {
			e.Enabled = snapshot.Bool(true)
		}
		d.add(e)
	}
}

// ephemeralPort is where a kernel hands out client ports: a listener there is a
// passing thing (an RPC helper, a mail sender), not a promise.
const ephemeralPort = 32768

func (d *deriver) ports() {
	if !d.usable("ports", snapshot.SectionListeners) {
		return
	}
	type key struct {
		proto, class string
		port         int
	}
	seen := map[key]bool{}
	for _, l := range d.s.Listeners {
		if l.Port >= ephemeralPort && l.Service == "" {
			continue
		}
		proto := strings.TrimSuffix(l.Proto, "6")
		class := AddressClass(l.Address)
		k := key{proto, class, l.Port}
		if seen[k] {
			continue
		}
		seen[k] = true
		e := Expectation{Kind: KindPort, Proto: proto, Port: l.Port, Address: l.Address,
			Name: l.Process, Service: l.Service, From: From{Source: fmt.Sprintf("%s %s:%d", l.Proto, l.Address, l.Port), Evidence: ev(l.Evidence)}}
		e.ID = fmt.Sprintf("port:%s/%d", proto, l.Port)
		switch class {
		case "any":
			e.Address = "*"
		case "loopback":
			e.ID += "@loopback"
		default:
			// The old host's own address cannot be the new one's: any address that
			// is not loopback will do.
			e.ID += "@" + l.Address
			e.Allow = []string{AllowAddress}
			e.Note = "listened on the old host's own address; any non-loopback address is accepted"
		}
		d.add(e)
	}
}

// AddressClass sorts a listening address: any (all interfaces), loopback or host.
func AddressClass(a string) string {
	a = strings.Trim(a, "[]")
	switch {
	case a == "" || a == "*" || a == "0.0.0.0" || a == "::":
		return "any"
	case strings.HasPrefix(a, "127.") || a == "::1":
		return "loopback"
	}
	return "host"
}

// Program is what identifies a process across hosts: the script an interpreter
// runs, or the executable and its config for an sshd listener, without pids,
// counters or the session details sshd writes into its title.
func Program(command string) string {
	c := strings.TrimSpace(command)
	if rest, ok := strings.CutPrefix(c, "sshd: "); ok {
		if i := strings.Index(rest, " ["); i >= 0 {
			rest = rest[:i]
		}
		return rest
	}
	f := strings.Fields(c)
	if len(f) == 0 {
		return ""
	}
	switch strings.TrimRight(path.Base(f[0]), "0123456789.") {
	case "sh", "bash", "dash", "python", "perl", "ruby", "php", "node", "java":
		for _, a := range f[1:] {
			if strings.HasPrefix(a, "/") {
				return a
			}
			if !strings.HasPrefix(a, "-") {
				break
			}
		}
	}
	return f[0]
}

func (d *deriver) processes() {
	if !d.usable("processes", snapshot.SectionProcesses) {
		return
	}
	seen := map[string]bool{}
	for _, p := range d.s.Processes {
		if p.PID == 1 || p.User == "" {
			continue
		}
		prog := Program(p.Command)
		base := path.Base(prog)
		// Children of a job (sleep) and login sessions come and go.
		if prog == "" || base == "sleep" || strings.Contains(p.Command, "@notty") || strings.Contains(p.Command, "@pts") {
			continue
		}
		var e Expectation
		switch {
		case p.Service != "" && p.User != "root":
			// The service expectation covers that it runs; this says as whom.
			e = Expectation{ID: "process:" + p.Service + ":" + p.User, Kind: KindProcess, Service: p.Service, User: p.User}
		case p.Service == "":
			e = Expectation{ID: "process:" + prog + ":" + p.User, Kind: KindProcess, Command: prog, User: p.User}
		default:
			continue
		}
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		e.Name = base
		e.From = From{Source: fmt.Sprintf("pid %d: %s", p.PID, p.Command), Evidence: ev(p.Evidence)}
		if e.Command != "" {
			e.Note = d.startedBy(e.Command)
		}
		d.add(e)
	}
}

// startedBy names the @reboot job that starts a program, when one does: what to
// carry over when the process is missing.
func (d *deriver) startedBy(program string) string {
	for _, j := range d.s.CronJobs {
		if j.Schedule == "@reboot" && strings.Contains(j.Command, program) {
			return fmt.Sprintf("started at boot by the @reboot job of %s at %s:%d", j.User, j.Source, j.Line)
		}
	}
	return ""
}

// NormalizeCommand collapses whitespace, which cron ignores.
func NormalizeCommand(c string) string { return strings.Join(strings.Fields(c), " ") }

func (d *deriver) cron() {
	if !d.usable("cron", snapshot.SectionCron) {
		return
	}
	// A job in a file the package installed unchanged is the package's, and the new
	// release's package brings its own version: only what somebody wrote is expected.
	touched := map[string]bool{}
	filesKnown := d.s.Coverage[snapshot.SectionFiles].Known()
	for _, c := range d.s.Files.Configs {
		touched[c.Path] = true
	}
	zone := d.s.Time.Zone
	jobs := 0
	for _, j := range d.s.CronJobs {
		if j.Disabled || j.Kind == "at" {
			continue
		}
		if j.Kind != "spool" && filesKnown && !touched[j.Source] {
			continue
		}
		src := j.Source
		if j.Line > 0 {
			src += ":" + strconv.Itoa(j.Line)
		}
		e := Expectation{ID: "cron:" + src, Kind: KindCron, User: j.User, Schedule: j.Schedule,
			Command: NormalizeCommand(j.Command), From: From{Source: src, Evidence: ev(j.Evidence)}}
		// A job with its own zone (CRON_TZ) keeps it; the others fire in the cron
		// daemon's zone, which one cron_zone expectation checks for all of them.
		if j.Zone != "" && j.Zone != zone && !strings.Contains(j.ZoneNote, "crond") {
			e.Zone = j.Zone
		}
		d.add(e)
		jobs++
	}
	if jobs > 0 && zone != "" {
		e := Expectation{ID: "cron_zone", Kind: KindCronZone, Zone: zone,
			From: From{Source: d.s.Time.ZoneSource, Evidence: d.s.Time.Evidence}}
		for _, sd := range d.s.Time.StaleDaemons {
			if distro.IsCronDaemon(sd.Command) && sd.Zone == "" {
				e.Note = fmt.Sprintf("on %s itself crond (pid %d) was started before the zone changed to %s, so its jobs fired in the previous zone: the intended zone is expected here", d.host, sd.PID, zone)
			}
		}
		d.add(e)
	}
}

func (d *deriver) accounts() {
	if d.usable("users and groups", snapshot.SectionAccounts) {
		for _, u := range d.s.Accounts.Users {
			if u.Kind == "system" {
				continue
			}
			e := Expectation{ID: "user:" + u.Name, Kind: KindUser, Name: u.Name, UID: snapshot.Int(u.UID),
				Groups: u.Groups, Home: u.Home, Shell: u.Shell, Allow: []string{AllowUID},
				From: From{Source: "/etc/passwd", Evidence: u.Evidence}}
			if u.Kind == "service" {
				// A package creates its service account; its home and shell are the
				// package's choice on each release.
				e.Home, e.Shell = "", ""
			}
			d.add(e)
		}
		min := d.s.Accounts.UIDMin
		if min == 0 {
			min = 1000
		}
		for _, g := range d.s.Accounts.Groups {
			// System groups are the packages'; a group with members, or a human
			// one, is somebody's decision.
			if g.GID == 65534 || (g.GID < min && len(g.Members) == 0) {
				continue
			}
			d.add(Expectation{ID: "group:" + g.Name, Kind: KindGroup, Name: g.Name, UID: snapshot.Int(g.GID),
				Members: g.Members, Allow: []string{AllowUID}, From: From{Source: "/etc/group", Evidence: ev(g.Evidence)}})
		}
	}
	if d.usable("sudo rules", snapshot.SectionSudo) {
		for _, r := range d.s.Accounts.Sudo {
			e := Expectation{ID: "sudo:" + r.Who, Kind: KindSudo, Name: r.Who, RunAs: r.RunAs,
				Commands: r.Commands, Defaults: userDefaults(r.Defaults),
				From: From{Source: r.Source, Evidence: ev(r.Evidence)}}
			if r.NoPasswd {
				e.NoPasswd = snapshot.Bool(true)
			}
			d.add(e)
		}
	}
	if d.usable("authorized keys", snapshot.SectionKeys) {
		for _, u := range d.s.Accounts.Users {
			for _, k := range u.Keys {
				d.add(Expectation{ID: "key:" + u.Name + ":" + k.Fingerprint, Kind: KindKey, User: u.Name,
					Fingerprint: k.Fingerprint, Comment: k.Comment, From: From{Source: k.Source, Evidence: ev(k.Evidence)}})
			}
		}
	}
}

// userDefaults keeps the Defaults that bind particular users (Defaults:ops
// requiretty); the global ones are the sudo package's and change with it.
func userDefaults(ds []string) []string {
	var out []string
	for _, d := range ds {
		if strings.HasPrefix(d, "Defaults:") || strings.HasPrefix(d, "Defaults>") || strings.HasPrefix(d, "Defaults!") {
			out = append(out, d)
		}
	}
	return out
}

func (d *deriver) mounts() {
	if !d.usable("mounts", snapshot.SectionStorage) {
		return
	}
	seen := map[string]bool{}
	for _, f := range d.s.Storage.Fstab {
		if f.Commented || f.FSType == "swap" || f.MountPoint == "none" {
			continue
		}
		seen[f.MountPoint] = true
		e := Expectation{ID: "mount:" + f.MountPoint, Kind: KindMount, MountPoint: f.MountPoint, FSType: f.FSType,
			Device: f.Device, From: From{Source: fmt.Sprintf("/etc/fstab:%d", f.Line), Evidence: ev(f.Evidence)}}
		if !f.Network {
			// A local disk is a new disk on the new host.
			e.Allow = []string{AllowDevice}
		}
		if f.Mounted == nil || !*f.Mounted {
			e.Declared = true
		}
		if f.MountPoint == "/" {
			// The root filesystem is wherever the new host boots from.
			e.FSType = ""
		}
		d.add(e)
	}
	for _, m := range d.s.Storage.Mounts {
		if seen[m.MountPoint] || m.MountPoint == "/" {
			continue
		}
		seen[m.MountPoint] = true
		e := Expectation{ID: "mount:" + m.MountPoint, Kind: KindMount, MountPoint: m.MountPoint, FSType: m.FSType,
			Device: m.Device, From: From{Source: "mounted", Evidence: m.Evidence}}
		if !m.Network {
			e.Allow = []string{AllowDevice}
		}
		d.add(e)
	}
}

func (d *deriver) firewall() {
	if !d.usable("firewall openings", snapshot.SectionFirewall) {
		return
	}
	for _, r := range d.s.Network.Firewall.Rules {
		port, proto := FirewallOpening(r.Rule)
		if port == 0 {
			continue
		}
		d.add(Expectation{ID: fmt.Sprintf("firewall:%s/%d", proto, port), Kind: KindFirewall, Proto: proto, Port: port,
			From: From{Source: strings.TrimSpace(r.Table + " " + r.Chain + ": " + r.Rule), Evidence: ev(r.Evidence)}})
	}
}

// FirewallOpening reads the port and protocol an accepting rule opens, in
// iptables-save or nft syntax; 0 when the rule opens no single port.
func FirewallOpening(rule string) (int, string) {
	f := strings.Fields(rule)
	accept := false
	proto, port := "tcp", 0
	for i, w := range f {
		switch w {
		case "ACCEPT", "accept":
			accept = true
		case "-p", "--protocol":
			if i+1 < len(f) {
				proto = f[i+1]
			}
		case "tcp", "udp":
			if i+1 < len(f) && f[i+1] == "dport" {
				proto = w
			}
		case "--dport", "dport", "--destination-port":
			if i+1 < len(f) {
				if n, err := strconv.Atoi(f[i+1]); err == nil {
					port = n
				}
			}
		}
	}
	if !accept {
		return 0, ""
	}
	return port, proto
}

func (d *deriver) shippers() {
	if !d.usable("log shippers", snapshot.SectionShippers) {
		return
	}
	for _, sh := range d.s.Logs.Shippers {
		if sh.Running == nil || !*sh.Running {
			continue
		}
		e := Expectation{ID: "log_shipper:" + sh.Name, Kind: KindLogShipper, Name: sh.Name, Running: snapshot.Bool(true),
			Inputs: sh.Inputs, From: From{Evidence: sh.Evidence}}
		for _, p := range d.s.Processes {
			if p.PID == sh.PID && sh.PID != 0 {
				e.Command, e.User = Program(p.Command), p.User
			}
		}
		var srcs []string
		for _, dst := range sh.Destinations {
			e.Destinations = append(e.Destinations, endpoint(dst))
			if dst.Source != "" {
				srcs = append(srcs, dst.Source)
			}
		}
		e.From.Source = strings.Join(srcs, ", ")
		if e.From.Source == "" && len(sh.Configs) > 0 {
			e.From.Source = sh.Configs[0]
		}
		d.add(e)
	}
}

func endpoint(e snapshot.Endpoint) string {
	if e.Port == 0 {
		return e.Host
	}
	return e.Host + ":" + strconv.Itoa(e.Port)
}

func (d *deriver) settings() {
	mw := d.s.Middleware
	add := func(service, sec string, ss []snapshot.Setting, ev []string) {
		for _, st := range ss {
			key := SettingKey(st.Key)
			if def, ok := compiledDefaults[sec][key]; ok && def == NormalizeValue(st.Value) {
				continue
			}
			if distro.PackagingSetting(sec, key) {
				continue // the target's package sets its own
			}
			d.add(Expectation{ID: "setting:" + sec + ":" + key, Kind: KindSetting, Service: sec, Key: key,
				Value: NormalizeValue(st.Value), From: From{Source: st.Source, Evidence: ev}})
		}
	}
	if d.usable("mysql settings", snapshot.SectionMySQL) && d.usable("postgresql settings", snapshot.SectionPostgreSQL) {
		for _, db := range mw.Databases {
			add(db.Service, db.Kind, db.Settings, db.Evidence)
		}
	}
	if d.usable("mail settings", snapshot.SectionPostfix) {
		for _, m := range mw.Mail {
			add(m.Service, m.Kind, m.Settings, m.Evidence)
		}
	}
	if d.usable("sshd settings", snapshot.SectionAccounts) {
		for _, st := range d.s.Accounts.SSHD {
			key := SettingKey(st.Key)
			d.add(Expectation{ID: "setting:sshd:" + key, Kind: KindSetting, Service: "sshd", Key: key,
				Value: NormalizeValue(st.Value), From: From{Source: st.Source, Evidence: ev(st.Evidence)}})
		}
	}
}

// compiledDefaults are settings a distribution's config file spells out although
// the server has the same value built in (MariaDB's server system variables, as
// Debian builds them): a newer file that leaves them out changes nothing, so they
// are not the "non-default lines" a spec expects.
var compiledDefaults = map[string]map[string]string{
	"mariadb": mysqlDefaults,
	"mysql":   mysqlDefaults,
}

var mysqlDefaults = map[string]string{
	"user": "mysql", "basedir": "/usr", "datadir": "/var/lib/mysql", "tmpdir": "/tmp",
	"lc_messages_dir": "/usr/share/mysql", "lc_messages": "en_US", "skip_external_locking": "",
	"pid_file": "/run/mysqld/mysqld.pid", "socket": "/run/mysqld/mysqld.sock", "port": "3306",
}

// settingAliases are keys renamed by newer releases, so the old name on one host and
// the new one on the other are the same setting.
var settingAliases = map[string]string{
	"challengeresponseauthentication": "kbdinteractiveauthentication",
	"pubkeyacceptedkeytypes":          "pubkeyacceptedalgorithms",
	"key_buffer":                      "key_buffer_size",
}

// SettingKey normalises a setting's name: case and the - / _ spelling MySQL accepts
// both of, and renamed keys.
func SettingKey(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	if a, ok := settingAliases[k]; ok {
		return a
	}
	if a, ok := settingAliases[strings.ReplaceAll(k, "-", "_")]; ok {
		return a
	}
	return strings.ReplaceAll(k, "-", "_")
}

// NormalizeValue collapses whitespace and drops quotes and a list's comma spacing.
func NormalizeValue(v string) string {
	v = strings.Trim(strings.TrimSpace(v), `"'`)
	v = strings.ReplaceAll(v, ",", ", ")
	return strings.Join(strings.Fields(v), " ")
}

func (d *deriver) capabilities() {
	mw := d.s.Middleware
	if d.usable("web servers", snapshot.SectionApache) && d.usable("web servers", snapshot.SectionNginx) {
		for _, w := range mw.WebServers {
			for _, v := range w.VHosts {
				name := v.ServerName
				if name == "" {
					name = "(default)"
				}
				_, port := splitListen(v.Listen)
				e := Expectation{ID: fmt.Sprintf("capability:web:%s:%d", name, port), Kind: KindCapability,
					Role: "web server", Name: name, Port: port, Serves: []string{name}, Version: w.Version,
					Manager: d.s.OS.PackageManager, Service: w.Service,
					From: From{Source: v.Source, Evidence: w.Evidence}}
				if v.DocumentRoot != "" {
					e.Value = v.DocumentRoot
				}
				d.add(e)
			}
		}
	}
	if d.usable("mail", snapshot.SectionPostfix) {
		for _, m := range mw.Mail {
			if m.Kind != "postfix" {
				continue
			}
			e := Expectation{ID: "capability:mta", Kind: KindCapability, Role: "MTA", Name: m.Kind, Port: 25,
				Version: m.Version, Manager: d.s.OS.PackageManager, Service: m.Service,
				From: From{Source: "/etc/postfix/main.cf", Evidence: m.Evidence}}
			if m.Relayhost != "" {
				e.Serves = []string{"relay " + m.Relayhost}
			}
			d.add(e)
		}
	}
	if d.usable("databases", snapshot.SectionMySQL) && d.usable("databases", snapshot.SectionPostgreSQL) {
		for _, db := range mw.Databases {
			e := Expectation{ID: "capability:database:" + db.Kind, Kind: KindCapability, Role: "database",
				Name: db.Kind, Port: db.Port, Version: db.Version, Manager: d.s.OS.PackageManager, Service: db.Service,
				From: From{Evidence: db.Evidence}}
			for _, sch := range db.Databases {
				if !sch.System {
					e.Serves = append(e.Serves, "database "+sch.Name)
				}
			}
			if len(db.Configs) > 0 {
				e.From.Source = db.Configs[0]
			}
			d.add(e)
		}
	}
}

func splitListen(l string) (string, int) {
	i := strings.LastIndex(l, ":")
	if i < 0 {
		n, _ := strconv.Atoi(l)
		return "", n
	}
	n, _ := strconv.Atoi(l[i+1:])
	return l[:i], n
}
