package ansible

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Build makes the project for in.Target from in.Snap. It is pure: the same
// snapshot, target and findings give the same project.
func Build(in Input) (*Project, error) {
	s := in.Snap
	if s == nil {
		return nil, fmt.Errorf("no snapshot")
	}
	if in.Target.Family() == "" {
		return nil, fmt.Errorf("target %s: trowel does not map names for this distribution", in.Target)
	}
	host := s.Host.Hostname
	if host == "" {
		host = "server"
	}
	p := &Project{
		Target: in.Target,
		Host:   host,
		Source: SourceInfo{
			Hostname: host, OS: s.OS.PrettyName, Platform: distro.PlatformOf(s.OS),
			Surveyed: s.CollectedAt.UTC().Format("2006-01-02 15:04 UTC"), TrowelVer: s.TrowelVersion,
		},
	}
	if p.Source.OS == "" {
		p.Source.OS = strings.TrimSpace(s.OS.Name + " " + s.OS.Version)
	}
	p.Lang = in.Lang
	if p.Lang == "" {
		p.Lang = "en"
	}
	b := &builder{p: p, s: s, in: in, configs: map[string]snapshot.ConfigFile{},
		book: ledger.NewBook(ledger.Facts(s)), unitShipped: map[string]bool{}}
	for _, c := range s.Files.Configs {
		b.configs[c.Path] = c
	}
	for _, r := range rows() {
		r.build(b)
	}
	for _, r := range rows() {
		if r.sweep != nil {
			r.sweep(b)
		}
	}
	p.Ledger = b.book.Build(ledger.Ledger{TrowelVersion: s.TrowelVersion, Host: host, SourceOS: p.Source.OS,
		Surveyed: s.CollectedAt, Target: in.Target.String()})
	p.Strays = b.book.Strays()
	return p, nil
}

// builder holds what the role builders share.
type builder struct {
	p       *Project
	s       *snapshot.Snapshot
	in      Input
	configs map[string]snapshot.ConfigFile
	// ports are the TCP ports the carried-over services listen on, with the
	// service that owns each, for the firewall role.
	ports []openPort
	// restartOnZone are the services to restart after a time zone change.
	restartOnZone []string
	// told are the findings (by ID) a TODO item of a role already speaks for,
	// which the Findings section does not repeat.
	told map[string]bool
	// book collects what becomes of each fact of the source (ledger.json).
	book *ledger.Book
	// svcRole is the role that runs each service carried over, by its name on
	// the source; unitShipped the services whose target package ships the unit.
	svcRole     map[string]string
	unitShipped map[string]bool
	pkgRole     *Role
}

type openPort struct {
	Port    int
	Proto   string
	Service string
	Source  string
}

func (b *builder) debian() bool { return b.p.Target.Family() == "debian" }

// sameFamily says whether configuration files can be carried as they are: the
// source and the target lay out packages' files the same way.
func (b *builder) sameFamily() bool {
	return b.p.Source.Platform.Family() == b.p.Target.Family()
}

func (b *builder) readable(sec snapshot.Section) bool {
	return b.s.Coverage[sec].Status.Read()
}

func (b *builder) findingKeys(keys ...string) []string {
	var out []string
	for _, k := range keys {
		for _, f := range b.in.Findings {
			if f.Key == k {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

func (b *builder) listen(service string) {
	for _, l := range b.s.Listeners {
		if l.Service != service || l.Reach() == snapshot.ReachLoopback || !strings.HasPrefix(l.Proto, "tcp") && !strings.HasPrefix(l.Proto, "udp") {
			continue
		}
		proto := l.Family()
		dup := false
		for _, o := range b.ports {
			if o.Port == l.Port && o.Proto == proto {
				dup = true
			}
		}
		if !dup {
			b.ports = append(b.ports, openPort{Port: l.Port, Proto: proto, Service: service, Source: l.Evidence})
		}
	}
}

// slug makes a variable-name part of s: "redmine.example.co.jp" -> "redmine_example_co_jp".
func slug(s string) string {
	var out []rune
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			out = append(out, r)
		default:
			if len(out) > 0 && out[len(out)-1] != '_' {
				out = append(out, '_')
			}
		}
	}
	return strings.Trim(string(out), "_")
}

func from(c snapshot.ConfigFile) string {
	what := "unowned"
	switch c.State {
	case "modified":
		what = "changed from " + c.Package + "'s version"
	case "unknown":
		what = "installed by " + c.Package + "; whether it was changed since is not known"
	}
	return fmt.Sprintf("%s (%s)", c.Path, what)
}

// ---- base -------------------------------------------------------------------

func (b *builder) base() {
	r := b.role("base", "Time zone, clock synchronisation, host name, /etc/hosts entries, kernel settings and mounts.")
	s := b.s
	if b.debian() {
		// A fresh host may have no package index at all; every role's apt task
		// then refreshes it when it is older than an hour.
		r.task(Task{Name: "Look for the package index", Module: "ansible.builtin.find",
			Args:  M{{K: "paths", V: "/var/lib/apt/lists"}, {K: "patterns", V: "*_Packages*"}},
			Extra: M{{K: "register", V: "base_apt_lists"}, {K: "tags", V: L{"packages"}}}})
		r.task(Task{Name: "Download the package index on a fresh host", Module: "ansible.builtin.apt",
			Args:  M{{K: "update_cache", V: true}},
			Extra: M{{K: "when", V: "base_apt_lists.matched == 0"}, {K: "tags", V: L{"packages"}}}})
		r.task(Task{Name: "Install the init scripts Debian's packages dropped, on hosts without systemd", Module: "ansible.builtin.apt",
			Comment: "Some packages (rsyslog among them) ship only a systemd unit; under another init\n(sysvinit, a container's init) their services need these scripts.",
			Args:    M{{K: "name", V: "orphan-sysvinit-scripts"}, {K: "state", V: "present"}},
			Extra:   M{{K: "when", V: "ansible_facts['service_mgr'] != 'systemd'"}, {K: "tags", V: L{"packages"}}}})
	}

	if s.Time.Zone != "" {
		b.book.Carry(ledger.ID(ledger.KindClock, "timezone"), "base", "Set the time zone")
		b.p.setVar("base_timezone", s.Time.Zone, "from "+s.Time.ZoneSource)
		r.def("base_timezone", "Etc/UTC", "the zone the server's clock is shown in")
		b.p.addCollection("community.general")
		r.task(Task{
			Name: "Set the time zone", Module: "community.general.timezone",
			Comment: "Every cron job and every log line reads the clock in this zone.",
			Args:    M{{K: "name", V: "{{ base_timezone }}"}},
			Extra:   M{{K: "notify", V: "Time zone changed"}},
		})
		// A daemon reads the zone once, when it starts: crond keeps firing in the
		// old zone until it is restarted (the legacy host showed exactly that).
		r.def("base_time_sensitive_services", L{}, "services that read the time zone once at start and are restarted when it changes")
	} else {
		b.p.todo(TodoItem{Section: "Not translated", Title: "Time zone unknown",
			Detail: "The survey could not tell the source's time zone; set base_timezone by hand.", Facts: s.Time.Evidence})
	}

	if s.Time.NTP.Daemon != "" {
		b.ntp(r)
	} else if b.readable(snapshot.SectionTime) {
		b.p.todo(TodoItem{Section: "Not translated", Title: "No clock synchronisation on the source",
			Detail: "The source ran no NTP daemon, so none is configured here. The target's default (systemd-timesyncd on Debian and Ubuntu, chronyd on EL) keeps running; point it at your NTP servers.",
			Facts:  s.Time.Evidence})
	}

	if s.Host.Hostname != "" {
		b.p.setVar("base_hostname", s.Host.Hostname, "the surveyed host's name (/etc/hostname); the new server takes it over at cutover")
		r.task(Task{
			Name: "Set the host name", Module: "ansible.builtin.hostname",
			Args: M{{K: "name", V: "{{ base_hostname }}"}},
		})
	}

	// /etc/hosts: names resolved nowhere else are easy to lose. The host's own
	// lines and localhost belong to the new server.
	own := map[string]bool{}
	for _, ifc := range s.Network.Interfaces {
		for _, a := range ifc.Addresses {
			ip, _, _ := strings.Cut(a, "/")
			own[ip] = true
		}
	}
	var entries L
	seen := map[string]int{}
	for _, h := range s.Network.Hosts {
		if !ledger.OwnAddress(s, h.Address) {
			key := h.Address
			if seen[key]++; seen[key] > 1 {
				key = fmt.Sprintf("%s#%d", key, seen[key])
			}
			b.book.Carry(ledger.ID(ledger.KindHosts, key), "base", "Add the /etc/hosts entries the services rely on")
		}
		if snapshot.AddressReach(h.Address) == snapshot.ReachLoopback || own[h.Address] || strings.HasPrefix(h.Address, "fe00") || strings.HasPrefix(h.Address, "ff0") {
			continue
		}
		mine := false
		for _, n := range h.Names {
			if n == s.Host.Hostname || n == s.Host.FQDN {
				mine = true
			}
		}
		if mine {
			continue
		}
		entries = append(entries, M{
			{K: "address", V: h.Address},
			{K: "names", V: strings.Join(h.Names, " ")},
		})
	}
	if len(entries) > 0 {
		b.p.setVar("base_hosts_entries", entries, "from /etc/hosts: names some service resolves only there (the mail relay and the log host among them)")
		r.def("base_hosts_entries", L{}, "extra /etc/hosts lines, as address and names")
		r.task(Task{
			Name: "Add the /etc/hosts entries the services rely on", Module: "ansible.builtin.lineinfile",
			Args: M{
				{K: "path", V: "/etc/hosts"},
				{K: "regexp", V: `^{{ item.address | regex_escape }}\s+{{ item.names.split() | first | regex_escape }}(\s|$)`},
				{K: "line", V: "{{ item.address }}\t{{ item.names }}"},
				{K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"},
			},
			Extra: M{
				{K: "loop", V: "{{ base_hosts_entries }}"},
				{K: "loop_control", V: M{{K: "label", V: "{{ item.address }} {{ item.names }}"}}},
			},
		})
	}

	b.sysctl(r)
	b.limits(r)
	b.mounts(r)
	b.motd(r)
	b.localMounts()

	// The handler runs after every role, so the daemons it restarts exist, but for
	// those of a role left out (--skip-tags thirdparty): it restarts the ones the
	// host has, as the service facts read just before it list them.
	r.handler(Task{
		Name: "Read which services the host has", Module: "ansible.builtin.service_facts",
		Extra: M{{K: "listen", V: "Time zone changed"}},
	})
	r.handler(Task{
		Name: "Restart the time-sensitive daemons", Module: "ansible.builtin.service",
		Comment: "Daemons read the zone once at start; restart them so they fire in the new one.",
		Args:    M{{K: "name", V: "{{ item }}"}, {K: "state", V: "restarted"}},
		Extra: M{{K: "loop", V: "{{ base_time_sensitive_services }}"}, {K: "listen", V: "Time zone changed"},
			{K: "when", V: "item in ansible_facts.services or (item ~ '.service') in ansible_facts.services"}},
	})
}

// localClock is ntpd's local clock driver (server 127.127.1.0): the host's own
// clock offered as a last resort, no time server at all.
func localClock(server string) bool { return strings.HasPrefix(server, "127.127.") }

func (b *builder) ntp(r *Role) {
	s := b.s
	var servers []string
	local := false
	for _, sv := range s.Time.NTP.Servers {
		id := ledger.ID(ledger.KindClock, "ntp:"+sv)
		if localClock(sv) {
			local = true
			b.book.Translate(id, "base", "server "+sv+" (ntpd's local clock driver)", "local stratum 10 in chrony's drop-in",
				"it is the host's own clock offered when no server answers, not a time server: chrony says that with local")
			continue
		}
		servers = append(servers, sv)
		b.book.Carry(id, "base", "Point chrony at the NTP servers")
	}
	b.p.setVar("base_ntp_servers", toL(servers), "from "+s.Time.NTP.Config+" ("+s.Time.NTP.Daemon+"); empty keeps the distribution's pool")
	r.def("base_ntp_servers", L{}, "NTP servers chrony follows; empty keeps the distribution's pool")
	r.def("base_ntp_local", local, "serve the host's own clock when no server answers (ntpd's local clock driver on the source)")
	pkgs := b.packages("chrony")
	svc := b.serviceName("chronyd")
	conf := "/etc/chrony.conf"
	if b.debian() {
		conf = "/etc/chrony/conf.d/trowel-servers.conf"
	} else {
		conf = "/etc/chrony.d/trowel-servers.conf"
	}
	r.def("base_chrony_packages", toL(pkgs), "")
	r.task(b.install("chrony", "base_chrony_packages"))
	r.template("chrony-servers.conf.j2", "# {{ ansible_managed }}\n{% for server in base_ntp_servers %}\nserver {{ server }} iburst\n{% endfor %}\n{% if base_ntp_local %}\nlocal stratum 10\n{% endif %}\n")
	r.task(Task{Name: "Point chrony at the NTP servers", Module: "ansible.builtin.template",
		Args:  M{{K: "src", V: "chrony-servers.conf.j2"}, {K: "dest", V: conf}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
		Extra: M{{K: "notify", V: "Restart chrony"}}})
	r.task(Task{Name: "Keep chrony running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: svc}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	ntpID := ledger.ID(ledger.KindClock, "ntp")
	if d := s.Time.NTP.Daemon; d == "chronyd" || d == "chrony" {
		b.book.Carry(ntpID, "base", "Keep chrony running")
	} else {
		b.book.Translate(ntpID, "base", d, "chronyd", "chrony is the NTP daemon of every target")
	}
	for _, sv := range s.Services {
		if distro.ServiceRole(sv.Name) == "ntp" {
			b.carryService(sv.Name, "base", "Keep chrony running")
		}
	}
	r.handler(Task{Name: "Restart chrony", Module: "ansible.builtin.service", Args: M{{K: "name", V: svc}, {K: "state", V: "restarted"}}})
}

func (b *builder) limits(r *Role) {
	for _, c := range b.s.Files.Configs {
		if c.Path != "/etc/security/limits.conf" && !strings.HasPrefix(c.Path, "/etc/security/limits.d/") || c.Content == "" {
			continue
		}
		dest := c.Path
		if dest == "/etc/security/limits.conf" {
			// The target's own limits.conf stays; ours is a drop-in.
			dest = "/etc/security/limits.d/90-migrated.conf"
		}
		name := "limits-" + path.Base(dest) + ".j2"
		r.template(name, b.templateText(c, "base"))
		b.carryConfig(c.Path, "base", "Set the resource limits from "+c.Path)
		r.task(Task{Name: "Set the resource limits from " + c.Path, Module: "ansible.builtin.template",
			Comment: "From " + from(c) + ".",
			Args:    M{{K: "src", V: name}, {K: "dest", V: dest}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}}})
	}
}

func (b *builder) mounts(r *Role) {
	var items L
	var nfs bool
	for _, f := range b.s.Storage.Fstab {
		if f.Commented {
			b.p.todo(TodoItem{Section: "Not translated", Title: "A commented-out mount in /etc/fstab: " + f.MountPoint,
				Detail: fmt.Sprintf("`%s %s %s %s` is commented out on the source (/etc/fstab:%d). It is not carried over; find out whether anything still expects it.", f.Device, f.MountPoint, f.FSType, f.Options, f.Line),
				Facts:  []string{f.Evidence}})
			continue
		}
		if !f.Network {
			// Local disks are the new server's own layout, not the old one's.
			continue
		}
		b.book.Carry(ledger.ID(ledger.KindMount, f.MountPoint), "base", "Declare the network mounts")
		if strings.HasPrefix(f.FSType, "nfs") {
			nfs = true
		}
		state := "mounted"
		if strings.Contains(","+f.Options+",", ",noauto,") {
			state = "present"
		}
		items = append(items, M{
			{K: "path", V: f.MountPoint}, {K: "src", V: f.Device}, {K: "fstype", V: f.FSType},
			{K: "opts", V: f.Options}, {K: "state", V: state},
		})
	}
	if len(items) == 0 {
		return
	}
	b.p.addCollection("ansible.posix")
	b.p.setVar("base_network_mounts", items, "network filesystems from /etc/fstab; noauto ones are written to fstab but not mounted")
	r.def("base_network_mounts", L{}, "network filesystems, as ansible.posix.mount arguments")
	if nfs {
		r.def("base_nfs_packages", toL(b.packages("nfs-utils")), "the NFS client")
		r.task(b.install("the NFS client", "base_nfs_packages"))
	}
	r.task(Task{Name: "Declare the network mounts", Module: "ansible.posix.mount",
		Args: M{{K: "path", V: "{{ item.path }}"}, {K: "src", V: "{{ item.src }}"}, {K: "fstype", V: "{{ item.fstype }}"},
			{K: "opts", V: "{{ item.opts }}"}, {K: "state", V: "{{ item.state }}"}},
		Extra: M{{K: "loop", V: "{{ base_network_mounts }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.path }}"}}}}})
}

func (b *builder) motd(r *Role) {
	c, ok := b.configs["/etc/motd"]
	if !ok || c.Content == "" {
		return
	}
	r.template("motd.j2", b.templateText(c, "base"))
	b.carryConfig(c.Path, "base", "Write the message of the day")
	r.task(Task{Name: "Write the message of the day", Module: "ansible.builtin.template",
		Comment: "From " + from(c) + ".",
		Args:    M{{K: "src", V: "motd.j2"}, {K: "dest", V: "/etc/motd"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}}})
}

// localMounts decides the local filesystems: the new server's own disks for its
// system, and a decision for every other place something was mounted.
func (b *builder) localMounts() {
	for _, id := range b.book.Of(ledger.KindMount) {
		if _, given := b.book.Given(id); given {
			continue
		}
		f, _ := b.book.Fact(id)
		switch f.Key {
		case "/", "/boot", "/boot/efi", "/home", "/var", "/tmp", "/usr", "/var/log", "swap", "none":
			b.book.Leave(id, ledger.TargetOS, "part of the new server's own disk layout, made when it is installed")
			continue
		}
		if strings.HasPrefix(f.Key, "/run/") {
			b.book.Leave(id, ledger.Ephemeral, "under /run, which lives in memory and is made anew at every boot (here by the container manager or a daemon): there is nothing in it to move")
			continue
		}
		b.todo(TodoItem{Section: "Decide", Title: "A filesystem mounted at " + f.Key,
			Detail: f.Title + " on the source. Give the new server a filesystem there (its own disk, LVM volume or share) before the data moves, or what writes to " + f.Key + " fills the root filesystem."}, id)
	}
}

func toL(ss []string) L {
	out := L{}
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}
