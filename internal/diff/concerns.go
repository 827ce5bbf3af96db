package diff

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Each method below reads one concern from both snapshots as items and hands them
// to group. What is left out of keys and values is the noise: pids, start times,
// sizes, byte counts, ephemeral ports, evidence IDs.

func (c *comparer) shippers() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, sh := range s.Logs.Shippers {
			var dest []string
			for _, d := range sh.Destinations {
				dest = append(dest, endpoint(d))
			}
			out = append(out, item{
				key:    "shipper " + sh.Name,
				label:  sh.Name,
				fields: []field{{"running", boolValue(sh.Running)}, {"destinations", setValue(dest)}},
				refs:   shipperRefs(sh),
			})
		}
		return out
	}
	c.group(ConcernShippers, snapshot.SectionShippers, read(c.old), read(c.new))
}

func endpoint(e snapshot.Endpoint) string {
	s := e.Host
	if e.Port != 0 {
		s = net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
	}
	if e.Proto != "" {
		s += "/" + e.Proto
	}
	return s
}

func shipperRefs(sh snapshot.LogShipper) []string {
	var out []string
	for _, d := range sh.Destinations {
		out = appendUnique(out, d.Source)
	}
	return appendUnique(out, sh.Evidence...)
}

func (c *comparer) cron() {
	read := func(s *snapshot.Snapshot) []item {
		stale := staleCron(s)
		var out []item
		for _, j := range s.CronJobs {
			if dispatchesPeriodic(j) {
				continue
			}
			cmd := strings.Join(strings.Fields(j.Command), " ")
			user := j.User
			if user == "" {
				user = "?"
			}
			schedule := j.Schedule
			if j.Kind == "periodic" {
				// "daily (25 6 * * *)": when the distribution runs its daily
				// scripts is not the job's doing; that it is daily is.
				if i := strings.Index(schedule, " ("); i > 0 {
					schedule = schedule[:i]
				}
			}
			out = append(out, item{
				key:    user + "\x00" + schedule + "\x00" + cmd,
				label:  user + ": " + schedule + " " + cmd,
				fields: []field{{"zone", firingZone(j, stale)}, {"disabled", strconv.FormatBool(j.Disabled)}},
				refs:   []string{cronRef(j)},
			})
		}
		return merge(out)
	}
	c.group(ConcernCron, snapshot.SectionCron, read(c.old), read(c.new))
}

// staleCron returns the zone change a host's crond missed ("" when it missed none):
// its jobs then fire in the zone crond started in, which the host does not record.
func staleCron(s *snapshot.Snapshot) string {
	for _, d := range s.Time.StaleDaemons {
		if distro.IsCronDaemon(d.Command) && d.Zone == "" {
			return s.Time.Zone
		}
	}
	return ""
}

// firingZone is the zone a job fires in. A job of a stale crond has none the host
// can tell, but is known not to fire in the zone configured: that is a difference
// from a host whose jobs fire there, not an unknown to pass over.
func firingZone(j snapshot.CronJob, staleFrom string) string {
	if j.Zone == "" && staleFrom != "" {
		return "the zone crond started in, not " + staleFrom + " (crond started before the zone change)"
	}
	return j.Zone
}

// dispatchesPeriodic tells the /etc/crontab lines that run cron.hourly, daily ...
// through run-parts or anacron. Every distribution writes its own (at its own
// minutes); the scripts they run are compared one by one as periodic jobs.
func dispatchesPeriodic(j snapshot.CronJob) bool {
	if j.Kind != "crontab" && j.Kind != "cron.d" && j.Kind != "anacron" {
		return false
	}
	return strings.Contains(j.Command, "run-parts") && strings.Contains(j.Command, "/etc/cron.")
}

func cronRef(j snapshot.CronJob) string {
	ev := j.Evidence
	if ev == "file:"+j.Source || strings.HasPrefix(ev, "list:") {
		ev = ""
	}
	return ref(j.Source, j.Line, ev)
}

// serviceKey is what a service is, whatever its init system and distribution
// call it (httpd and apache2 are one web server).
func serviceKey(name string) string {
	if role := distro.ServiceRole(name); role != "" {
		return "role " + role
	}
	return "name " + strings.TrimSuffix(name, ".service")
}

func (c *comparer) services() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, sv := range s.Services {
			// A unit that neither runs nor starts at boot (a timer's target, a
			// static helper) is how the distribution is built, not what the
			// host does.
			if !isTrue(sv.Running) && !isTrue(sv.Enabled) {
				continue
			}
			it := item{
				key:    serviceKey(sv.Name),
				label:  sv.Name,
				fields: []field{{"running", boolValue(sv.Running)}, {"enabled", boolValue(sv.Enabled)}},
				refs:   serviceRefs(sv),
			}
			if isTrue(sv.Enabled) {
				it.notable = "enabled"
			}
			out = append(out, it)
		}
		return merge(out)
	}
	c.group(ConcernServices, snapshot.SectionServices, read(c.old), read(c.new))
}

func serviceRefs(sv snapshot.Service) []string {
	var out []string
	if sv.Path != "" {
		out = append(out, sv.Path)
	}
	return appendUnique(out, sv.Evidence...)
}

func isTrue(b *bool) bool { return b != nil && *b }

// ephemeralFrom is where Linux's default ip_local_port_range starts: a listener
// above it is usually a port the kernel picked (RPC, passive FTP), different at
// every start.
const ephemeralFrom = 32768

// knownHighPorts are services that listen above ephemeralFrom on purpose.
var knownHighPorts = map[int]bool{33060: true /* mysqlx */}

func (c *comparer) listeners() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, l := range s.Listeners {
			if l.Port >= ephemeralFrom && !knownHighPorts[l.Port] {
				continue
			}
			proto := strings.TrimSuffix(l.Proto, "6")
			class := addressClass(l.Address)
			it := item{
				key:    proto + "/" + strconv.Itoa(l.Port),
				label:  proto + "/" + strconv.Itoa(l.Port),
				fields: []field{{"bind", class}},
				refs:   []string{listenerRef(l)},
			}
			if class == "all" {
				it.notable = "all_interfaces"
			}
			out = append(out, it)
		}
		items := merge(out)
		// The process is said in the label after merging, so tcp and tcp6
		// sockets of one daemon read as one line.
		names := map[string][]string{}
		for _, l := range s.Listeners {
			k := strings.TrimSuffix(l.Proto, "6") + "/" + strconv.Itoa(l.Port)
			if l.Process != "" {
				names[k] = appendUnique(names[k], l.Process)
			}
		}
		for i := range items {
			if n := names[items[i].key]; len(n) > 0 {
				sort.Strings(n)
				items[i].label += " (" + strings.Join(n, ", ") + ")"
			}
		}
		return items
	}
	c.group(ConcernListeners, snapshot.SectionListeners, read(c.old), read(c.new))
}

// addressClass is how far a listener is reachable: loopback, all interfaces, or
// one address (which differs between two hosts by nature, so it is not kept).
func addressClass(addr string) string {
	a := strings.Trim(addr, "[]")
	if i := strings.Index(a, "%"); i >= 0 {
		a = a[:i]
	}
	switch a {
	case "", "*", "0.0.0.0", "::":
		return "all"
	}
	if ip := net.ParseIP(a); ip != nil && ip.IsLoopback() {
		return "loopback"
	}
	return "address"
}

func listenerRef(l snapshot.Listener) string {
	return l.Proto + " " + net.JoinHostPort(l.Address, strconv.Itoa(l.Port)) + " (" + l.Evidence + ")"
}

func (c *comparer) connections() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, cn := range s.Network.Connections {
			// Connections to the host itself move with it; a remote port in the
			// ephemeral range is the far end of something this host serves.
			if cn.Local || cn.RemotePort >= ephemeralFrom {
				continue
			}
			ep := strings.TrimSuffix(cn.Proto, "6") + " " + net.JoinHostPort(cn.RemoteAddress, strconv.Itoa(cn.RemotePort))
			label := ep
			if cn.Purpose != "" {
				label += " (" + cn.Purpose + ")"
			}
			refs := append([]string{}, cn.ConfigRefs...)
			out = append(out, item{key: ep, label: label, refs: appendUnique(refs, cn.Evidence)})
		}
		return merge(out)
	}
	c.group(ConcernConnections, snapshot.SectionConns, read(c.old), read(c.new))
}

// accounts compares users and groups. Across platforms, system accounts are left
// out: each distribution makes its own (rpc, haldaemon; _apt, systemd-network),
// and the packages that need them make them. An account that is a human's or a
// service's on either host is compared on both (www-data runs the site on OLD and
// is a bare system account on a NEW that does not run it yet).
func (c *comparer) accounts() {
	ours := map[string]bool{}
	for _, s := range []*snapshot.Snapshot{c.old, c.new} {
		for _, u := range s.Accounts.Users {
			if u.Kind != "system" {
				ours[u.Name] = true
			}
		}
	}
	readUsers := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, u := range s.Accounts.Users {
			if c.cross && !ours[u.Name] {
				continue
			}
			out = append(out, item{
				key:   u.Name,
				label: u.Name,
				fields: []field{
					{"uid", strconv.Itoa(u.UID)},
					{"group", u.Group},
					{"groups", setValue(u.Groups)},
					{"shell", u.Shell},
					{"home", u.Home},
				},
				refs: refs(u.Evidence),
			})
		}
		return out
	}
	c.group(ConcernUsers, snapshot.SectionAccounts, readUsers(c.old), readUsers(c.new))

	// Across platforms a group is compared when it is in the user range or
	// belongs to an account that is compared: deploy's group is the host's,
	// wheel and adm are the distribution's.
	readGroups := func(s *snapshot.Snapshot) []item {
		uidMin := s.Accounts.UIDMin
		if uidMin == 0 {
			uidMin = 1000
		}
		ownGroup := map[string]bool{}
		for _, u := range s.Accounts.Users {
			if ours[u.Name] {
				ownGroup[u.Group] = true
			}
		}
		var out []item
		for _, g := range s.Accounts.Groups {
			if c.cross && g.GID < uidMin && !ownGroup[g.Name] && !ours[g.Name] {
				continue
			}
			out = append(out, item{
				key:    g.Name,
				label:  g.Name,
				fields: []field{{"gid", strconv.Itoa(g.GID)}, {"members", setValue(g.Members)}},
				refs:   []string{g.Evidence},
			})
		}
		return out
	}
	c.group(ConcernGroups, snapshot.SectionAccounts, readGroups(c.old), readGroups(c.new))
}

func (c *comparer) sudo() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, r := range s.Accounts.Sudo {
			label := r.Who + " (" + r.RunAs + ") " + strings.Join(r.Commands, ", ")
			out = append(out, item{
				key:   r.Who + "\x00" + r.RunAs + "\x00" + strings.Join(r.Commands, "\x00"),
				label: label,
				fields: []field{
					{"nopasswd", strconv.FormatBool(r.NoPasswd)},
					{"tags", setValue(r.Tags)},
					{"defaults", setValue(r.Defaults)},
				},
				refs: []string{ref(r.Source, 0, "")},
			})
		}
		return merge(out)
	}
	c.group(ConcernSudo, snapshot.SectionSudo, read(c.old), read(c.new))
}

func (c *comparer) keys() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, u := range s.Accounts.Users {
			for _, k := range u.Keys {
				label := u.Name + ": " + k.Type + " " + k.Fingerprint
				if k.Comment != "" {
					label += " " + k.Comment
				}
				out = append(out, item{
					key:    u.Name + "\x00" + k.Fingerprint,
					label:  label,
					fields: []field{{"options", setValue(k.Options)}},
					refs:   []string{ref(k.Source, 0, "")},
				})
			}
		}
		return merge(out)
	}
	c.group(ConcernKeys, snapshot.SectionKeys, read(c.old), read(c.new))
}

// clock compares the zone, what cron fires in and the daemons that missed a zone
// change, as one item: the host's clock.
func (c *comparer) clock() {
	read := func(s *snapshot.Snapshot) []item {
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
			key:   "clock",
			label: "clock",
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
	c.group(ConcernTime, snapshot.SectionTime, read(c.old), read(c.new))
}

func (c *comparer) middleware() {
	web := func(kind string) func(*snapshot.Snapshot) []item {
		return func(s *snapshot.Snapshot) []item {
			var out []item
			for _, w := range s.Middleware.WebServers {
				if w.Kind != kind {
					continue
				}
				out = append(out, item{
					key:            "web " + w.Kind,
					label:          w.Kind,
					fields:         []field{{"version", w.Version}, {"mpm", w.MPM}},
					refs:           refs(w.Evidence),
					versionManager: "dpkg",
				})
				for _, v := range w.VHosts {
					name := v.ServerName
					if name == "" {
						name = "(default)"
					}
					label := w.Kind + " vhost " + name + " " + v.Listen
					out = append(out, item{
						key:   "vhost " + w.Kind + " " + name + " " + listenPort(v.Listen),
						label: label,
						fields: []field{
							{"document_root", v.DocumentRoot},
							{"tls", strconv.FormatBool(v.TLS)},
							{"aliases", setValue(v.Aliases)},
							{"proxies", setValue(v.Proxies)},
						},
						refs: []string{v.Source},
					})
				}
			}
			return merge(out)
		}
	}
	c.groupBoth(snapshot.SectionApache, web("apache"))
	c.groupBoth(snapshot.SectionNginx, web("nginx"))

	db := func(family string) func(*snapshot.Snapshot) []item {
		return func(s *snapshot.Snapshot) []item {
			var out []item
			for _, d := range s.Middleware.Databases {
				if dbFamily(d.Kind) != family {
					continue
				}
				port := ""
				if d.Port != 0 {
					port = strconv.Itoa(d.Port)
				}
				out = append(out, item{
					key:   "db " + family,
					label: d.Kind,
					fields: []field{
						{"bind", d.Bind}, {"port", port}, {"role", d.Role},
					},
					refs: refs(d.Evidence),
				})
				for _, sc := range d.Databases {
					if sc.System {
						continue
					}
					out = append(out, item{
						key:   "schema " + family + " " + sc.Name,
						label: d.Kind + " database " + sc.Name,
						refs:  refs(d.Evidence),
					})
				}
			}
			return merge(out)
		}
	}
	c.groupBoth(snapshot.SectionMySQL, db("mysql"))
	c.groupBoth(snapshot.SectionPostgreSQL, db("postgresql"))

	mail := func(kind string) func(*snapshot.Snapshot) []item {
		return func(s *snapshot.Snapshot) []item {
			var out []item
			for _, m := range s.Middleware.Mail {
				if m.Kind != kind {
					continue
				}
				relay := m.Relayhost
				if relay == "" && kind == "postfix" {
					relay = None
				}
				out = append(out, item{
					key:    "mail " + kind,
					label:  kind,
					fields: []field{{"relayhost", relay}, {"relayhost_hosts", hostsAddress(m.RelayhostHosts)}},
					refs:   refs(m.Evidence),
				})
				for _, a := range m.Aliases {
					out = append(out, item{
						key:    "alias " + kind + " " + a.Name,
						label:  kind + " alias " + a.Name,
						fields: []field{{"targets", setValue(a.Targets)}},
						refs:   []string{a.Source},
					})
				}
			}
			return merge(out)
		}
	}
	c.groupBoth(snapshot.SectionPostfix, mail("postfix"))
	c.groupBoth(snapshot.SectionDovecot, mail("dovecot"))

	cache := func(kind string) func(*snapshot.Snapshot) []item {
		return func(s *snapshot.Snapshot) []item {
			var out []item
			for _, ch := range s.Middleware.Caches {
				if ch.Kind != kind {
					continue
				}
				out = append(out, item{
					key:    "cache " + kind,
					label:  kind,
					fields: []field{{"bind", ch.Bind}, {"port", strconv.Itoa(ch.Port)}},
					refs:   refs(ch.Evidence),
				})
			}
			return merge(out)
		}
	}
	c.groupBoth(snapshot.SectionMemcached, cache("memcached"))
	c.groupBoth(snapshot.SectionRedis, cache("redis"))

	apps := func(kind string) func(*snapshot.Snapshot) []item {
		return func(s *snapshot.Snapshot) []item {
			var out []item
			for _, a := range s.Middleware.Apps {
				if a.Kind != kind {
					continue
				}
				label := kind + " app " + a.Path
				if a.Name != "" {
					label += " (" + a.Name + ")"
				}
				out = append(out, item{
					key:    "app " + kind + " " + a.Path,
					label:  label,
					fields: []field{{"name", a.Name}, {"server", a.Server}},
					refs:   refs(a.Evidence),
				})
			}
			return merge(out)
		}
	}
	c.groupBoth(snapshot.SectionRuby, apps("rails"))
	c.groupBoth(snapshot.SectionPHP, apps("php"))
	c.groupBoth(snapshot.SectionJava, apps("java"))

	c.groupBoth(snapshot.SectionDocker, func(s *snapshot.Snapshot) []item {
		var out []item
		for _, ct := range s.Middleware.Containers {
			out = append(out, item{
				key:    "container " + ct.Name,
				label:  "container " + ct.Name,
				fields: []field{{"image", ct.Image}, {"ports", setValue(ct.Ports)}, {"restart_policy", ct.RestartPolicy}},
				refs:   refs(ct.Evidence),
			})
		}
		return merge(out)
	})
	c.groupBoth(snapshot.SectionCertificates, func(s *snapshot.Snapshot) []item {
		var out []item
		for _, ce := range s.Middleware.Certificates {
			out = append(out, item{
				key:    "cert " + ce.Path,
				label:  "certificate " + ce.Path,
				fields: []field{{"subject", ce.Subject}, {"sans", setValue(ce.SANs)}},
				refs:   appendUnique(refs(ce.UsedBy), ce.Evidence...),
			})
		}
		return merge(out)
	})
}

func (c *comparer) groupBoth(sec snapshot.Section, read func(*snapshot.Snapshot) []item) {
	c.group(ConcernMiddleware, sec, read(c.old), read(c.new))
}

// dbFamily puts MariaDB with MySQL: distributions replaced one with the other
// under the same section, and a migration does the same.
func dbFamily(kind string) string {
	if kind == "mariadb" {
		return "mysql"
	}
	return kind
}

// listenPort is the port of "*:80" or "80"; a vhost's address differs between
// hosts, its port does not.
func listenPort(listen string) string {
	if i := strings.LastIndex(listen, ":"); i >= 0 {
		return listen[i+1:]
	}
	return listen
}

// hostsAddress is the address of an /etc/hosts line reference
// ("10.231.0.40 at /etc/hosts:7"), without where it is written.
func hostsAddress(s string) string {
	if s == "" {
		return ""
	}
	if i := strings.Index(s, " at "); i > 0 {
		return s[:i]
	}
	return s
}

func (c *comparer) mounts() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, m := range s.Storage.Mounts {
			fields := []field{{"fstype", m.FSType}}
			// A local device's name depends on the machine (sda1, vda1, a
			// UUID); a network mount's source is the dependency itself.
			if m.Network {
				fields = append(fields, field{"source", m.Device})
			}
			out = append(out, item{key: m.MountPoint, label: m.MountPoint, fields: fields, refs: refs(m.Evidence)})
		}
		return merge(out)
	}
	c.group(ConcernMounts, snapshot.SectionStorage, read(c.old), read(c.new))
}

func (c *comparer) firewall() {
	read := func(s *snapshot.Snapshot) []item {
		fw := s.Network.Firewall
		tool := fw.Tool
		out := []item{{key: "tool", label: "firewall", fields: []field{{"tool", tool}}, refs: refs(fw.Evidence)}}
		for _, r := range fw.Rules {
			text := strings.Join(strings.Fields(r.Rule), " ")
			label := strings.TrimSpace(r.Table + " " + r.Chain + ": " + text)
			out = append(out, item{key: r.Table + "\x00" + r.Chain + "\x00" + text, label: label, refs: []string{r.Evidence}})
		}
		return merge(out)
	}
	c.group(ConcernFirewall, snapshot.SectionFirewall, read(c.old), read(c.new))
}

func (c *comparer) configs() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, f := range s.Files.Configs {
			out = append(out, item{
				key:   f.Path,
				label: f.Path,
				fields: []field{
					{"state", f.State},
					{"content", contentHash(f)},
					{"mode", f.Mode},
					{"owner", f.Owner},
				},
				refs: refs(f.Evidence),
			})
		}
		return merge(out)
	}
	c.group(ConcernConfigs, snapshot.SectionFiles, read(c.old), read(c.new))
}

// contentHash identifies a config's (redacted) text; "" when the text was not
// kept, so that a file whose content is unknown on one side is not called changed.
func contentHash(f snapshot.ConfigFile) string {
	if f.Content == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(f.Content))
	return "sha256:" + hex.EncodeToString(sum[:6])
}

// processes compares the long-running programs. A process is compared when it is
// a service's or a daemon (its parent is init): a command run by cron or by
// someone's shell at survey time comes and goes, and is noise. Workers collapse
// into one item per program.
func (c *comparer) processes() {
	read := func(s *snapshot.Snapshot) []item {
		var out []item
		for _, p := range s.Processes {
			if p.PID <= 1 || (p.Service == "" && p.PPID != 1) || kernelThread(p) {
				continue
			}
			// A service's processes are one item: which programs it forks (postfix's
			// smtp, cleanup) comes and goes, and its main program is named
			// differently across releases (mysqld, mariadbd).
			key, label := "program "+processName(p.Command, p.Comm), processName(p.Command, p.Comm)
			if p.Service != "" {
				key, label = serviceKey(p.Service), "service "+p.Service
			}
			out = append(out, item{key: key, label: label, fields: []field{{"users", setValue([]string{p.User})}}, refs: []string{p.Evidence}})
		}
		return merge(out)
	}
	c.group(ConcernProcesses, snapshot.SectionProcesses, read(c.old), read(c.new))
}

func kernelThread(p snapshot.Process) bool {
	return p.PPID == 2 || strings.HasPrefix(p.Command, "[")
}

// interpreters run a script named by their first operand: the script is the
// program ("python3 /usr/local/sbin/logship" is logship).
var interpreters = map[string]bool{
	"sh": true, "bash": true, "dash": true, "ksh": true, "perl": true, "ruby": true,
	"python": true, "python2": true, "python3": true, "php": true, "node": true,
}

// processName is the program a command line runs, without its directory (which
// differs between distributions) or arguments.
func processName(command, comm string) string {
	f := strings.Fields(command)
	if len(f) == 0 {
		return comm
	}
	// Daemons that rewrite their argv ("sshd: /usr/sbin/sshd [listener]") name
	// themselves before the colon.
	if strings.HasSuffix(f[0], ":") {
		return strings.TrimSuffix(f[0], ":")
	}
	name := path.Base(f[0])
	if interpreters[strings.TrimRight(name, "0123456789.")] || interpreters[name] {
		for _, a := range f[1:] {
			if !strings.HasPrefix(a, "-") {
				return path.Base(a)
			}
		}
	}
	return name
}
