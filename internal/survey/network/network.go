// Package network surveys addresses, routes, name resolution, the packet filter and
// the outbound connections open at survey time: the systems this host depends on.
//
// Sockets are read with the listeners package's parsers (ss, netstat, /proc/net), so
// connections and listeners come from the same evidence. Connection.Service is left
// for the links surveyor, which runs last and knows which process belongs to which
// service; PID and Process name the socket's owner.
package network

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/listeners"
)

// Surveyor fills Network and the network, connections and firewall coverage.
type Surveyor struct{}

// New returns the network surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "network" }

// Survey reads the network evidence.
func (Surveyor) Survey(in *kit.Input) {
	n := &in.Snap.Network
	n.Interfaces = []snapshot.Interface{}
	n.Routes = []snapshot.Route{}
	n.Connections = []snapshot.Connection{}
	hosts := surveyResolution(in)
	surveyBoot(in)
	surveyLinks(in)
	surveyConnections(in, hosts)
	surveyFirewall(in)
}

// surveyResolution reads /etc/hosts, resolv.conf and nsswitch.conf, and returns the
// names /etc/hosts gives each address.
func surveyResolution(in *kit.Input) map[string][]string {
	n := &in.Snap.Network
	names := map[string][]string{}
	if it := in.File("/etc/hosts"); kit.Usable(it) {
		lines, _ := ParseHosts(it.Text())
		id := in.Cite(it)
		n.Evidence = append(n.Evidence, id)
		for _, h := range lines {
			n.Hosts = append(n.Hosts, snapshot.HostsEntry{Address: h.Address, Names: h.Names, Line: h.Line, Evidence: id})
			names[h.Address] = snapshot.AppendNew(names[h.Address], h.Names...)
		}
	}
	if it := in.File("/etc/resolv.conf"); kit.Usable(it) {
		r := ParseResolv(it.Text())
		n.Resolvers, n.SearchDomains = r.Nameservers, r.Search
		n.Evidence = append(n.Evidence, in.Cite(it))
	}
	if it := in.File("/etc/nsswitch.conf"); kit.Usable(it) {
		n.HostsLookup = ParseNSSwitchHosts(it.Text())
		n.Evidence = append(n.Evidence, in.Cite(it))
	}
	return names
}

// surveyLinks reads interfaces and routes, and sets the network coverage, which also
// speaks for the name-resolution files.
func surveyLinks(in *kit.Input) {
	const sec = snapshot.SectionNetwork
	n := &in.Snap.Network
	var notes []string
	status := snapshot.Collected
	var used []*evidence.Item
	note := func(st snapshot.Status, why string) {
		status = kit.WorseOf(status, st)
		if why != "" {
			notes = append(notes, why)
		}
	}

	ipAddr, ifc := in.Cmd("ip-addr"), in.Cmd("ifconfig")
	if src := kit.FirstUsable(ipAddr, ifc); src != nil {
		parse := ParseIPAddr
		if src == ifc {
			parse = ParseIfconfig
		}
		ifaces, err := parse(src.Text())
		st, why := kit.StatusOf(src)
		note(st, why)
		if err != nil {
			note(snapshot.Partial, src.Source()+": "+err.Error())
		}
		id := in.Cite(src)
		used = append(used, src)
		for _, i := range ifaces {
			n.Interfaces = append(n.Interfaces, snapshot.Interface{Name: i.Name, MAC: i.MAC, MTU: i.MTU, Up: i.Up, Addresses: i.Addresses, Evidence: id})
		}
		n.Evidence = append(n.Evidence, id)
	} else {
		st, _ := kit.StatusOf(ipAddr)
		if st == snapshot.Unavailable || st == snapshot.Collected {
			st, _ = kit.StatusOf(ifc)
		}
		note(downgrade(st), "interfaces: "+kit.Explain(ipAddr, ifc))
		used = append(used, ipAddr, ifc)
	}

	r4, r6, proc := in.Cmd("ip-route"), in.Cmd("ip6-route"), in.File("/proc/net/route")
	switch {
	case kit.Usable(r4):
		for _, it := range []*evidence.Item{r4, r6} {
			if !kit.Usable(it) {
				if it == r6 {
					note(snapshot.Partial, "IPv6 routes: "+kit.Explain(it))
				}
				continue
			}
			routes, err := ParseIPRoute(it.Text())
			st, why := kit.StatusOf(it)
			note(st, why)
			if err != nil {
				note(snapshot.Partial, it.Source()+": "+err.Error())
			}
			addRoutes(in, it, routes)
		}
		used = append(used, r4, r6)
	case kit.Usable(proc):
		routes, err := ParseProcRoute(proc.Text(), listeners.IsBigEndian(machine(in)))
		if err != nil {
			note(snapshot.Partial, "/proc/net/route: "+err.Error())
		}
		note(snapshot.Partial, "routes from /proc/net/route: IPv4 main table only")
		addRoutes(in, proc, routes)
		used = append(used, r4, proc)
	default:
		st, _ := kit.StatusOf(r4)
		note(downgrade(st), "routes: "+kit.Explain(r4, proc))
		used = append(used, r4, proc)
	}

	hostsFile := in.File("/etc/hosts")
	if !kit.Usable(hostsFile) && hostsFile.Status != evidence.StatusAbsent {
		st, _ := kit.StatusOf(hostsFile)
		note(downgrade(st), "/etc/hosts: "+kit.Explain(hostsFile))
	}
	used = append(used, hostsFile)
	if in.Offline() {
		status = snapshot.Partial
		notes = []string{"offline: interfaces and routes are live state; /etc/hosts, resolv.conf and nsswitch.conf were read from the disk"}
		if len(n.Configured) > 0 || len(n.DHCPLeases) > 0 {
			notes[0] += ", as were the interfaces' boot configuration and the DHCP leases"
		}
		if len(n.Hosts) == 0 && !kit.Usable(hostsFile) {
			status = snapshot.Unavailable
		}
	}
	in.Cover(sec, status, strings.Join(notes, "; "), used...)
}

// downgrade turns "this one source failed" into the section's status: a failure to
// collect one part leaves the rest, so the section is partial unless it was denied,
// cut off or timed out.
func downgrade(st snapshot.Status) snapshot.Status {
	if kit.Telling(st) {
		return st
	}
	return snapshot.Partial
}

func addRoutes(in *kit.Input, it *evidence.Item, routes []RouteEntry) {
	id := in.Cite(it)
	n := &in.Snap.Network
	for _, r := range routes {
		n.Routes = append(n.Routes, snapshot.Route{Destination: r.Destination, Gateway: r.Gateway, Device: r.Device, Metric: r.Metric, Table: r.Table, Type: r.Type, Evidence: id})
	}
	n.Evidence = append(n.Evidence, id)
}

var procFiles = []struct{ path, proto string }{
	{"/proc/net/tcp", "tcp"}, {"/proc/net/tcp6", "tcp6"}, {"/proc/net/udp", "udp"}, {"/proc/net/udp6", "udp6"},
}

// surveyConnections fills Connections (outbound) and Clients (inbound) from ss or
// netstat, else /proc/net (no owners). Client.Service, like Connection.Service, is
// the links surveyor's to fill.
func surveyConnections(in *kit.Input, hosts map[string][]string) {
	const sec = snapshot.SectionConns
	ss, ns := in.Cmd("ss"), in.Cmd("netstat")
	if in.Offline() {
		in.Cover(sec, snapshot.Unavailable, "offline: connections exist only on a running host", ss, ns)
		return
	}
	ppid := map[int]int{}
	for _, p := range in.Snap.Processes {
		ppid[p.PID] = p.PPID
	}
	var socks []listeners.Socket
	var used []*evidence.Item
	var notes []string
	status := snapshot.Collected
	if src := kit.FirstUsable(ss, ns); src != nil {
		st, why := kit.StatusOf(src)
		status = st
		if why != "" {
			notes = append(notes, why)
		}
		s, err := listeners.ParseSockets(kit.CompleteLines(src))
		if err != nil {
			status = kit.WorseOf(status, snapshot.Partial)
			notes = append(notes, src.Source()+": "+err.Error())
		}
		socks, used = s, []*evidence.Item{src}
		if in.Archive.Header["uid"] != "0" {
			status = kit.WorseOf(status, snapshot.Partial)
			notes = append(notes, "not root: the processes behind other users' connections are hidden")
		}
	} else {
		big := listeners.IsBigEndian(machine(in))
		for _, f := range procFiles {
			it := in.File(f.path)
			if !kit.Usable(it) {
				if f.proto == "tcp" {
					st, _ := kit.StatusOf(it)
					tried := []*evidence.Item{ss, ns, it}
					in.Cover(sec, st, kit.Explain(tried...), tried...)
					return
				}
				continue
			}
			s, err := listeners.ParseProcNet(kit.CompleteLines(it), f.proto, big)
			if err != nil {
				notes = append(notes, it.Name+": "+err.Error())
			}
			socks = append(socks, s...)
			used = append(used, it)
		}
		status = snapshot.Partial
		notes = append([]string{"only /proc/net was read: connections are known, the processes behind them are not (" + kit.Explain(ss, ns) + ")"}, notes...)
	}

	socks, mine := listeners.NewFootprint(in.Snap.Source.Session).Drop(socks)
	if mine > 0 {
		notes = append(notes, fmt.Sprintf("left out: %d %s of the survey itself", mine, listeners.Sockets(mine)))
	}
	listen := map[string]map[int]bool{"tcp": {}, "udp": {}}
	for _, s := range listeners.Listening(socks) {
		listen[snapshot.ProtoFamily(s.Proto)][s.Local.Port] = true
	}
	for _, l := range in.Snap.Listeners {
		listen[l.Family()][l.Port] = true
	}
	id := in.Cite(used[0])
	files := in.Archive.Items
	named := func(c snapshot.Connection) snapshot.Connection {
		c.RemoteNames = hosts[c.RemoteAddress]
		if !c.Local {
			c.ConfigRefs = ConfigRefs(files, c.RemoteAddress, c.RemotePort, c.RemoteNames)
		}
		c.Evidence = id
		return c
	}
	for _, c := range Outbound(socks, listen, ppid) {
		in.Snap.Network.Connections = append(in.Snap.Network.Connections, named(c))
	}
	for _, c := range Unanswered(socks, listen, ppid) {
		in.Snap.Network.Unanswered = append(in.Snap.Network.Unanswered, named(c))
	}
	for _, c := range Inbound(socks, listen) {
		c.RemoteNames = hosts[c.RemoteAddress]
		c.Evidence = id
		in.Snap.Network.Clients = append(in.Snap.Network.Clients, c)
	}
	// /etc/hosts only names the peers: cited where it gave names, it says nothing
	// of which connections there are when it could not be read.
	if h := in.File("/etc/hosts"); kit.Usable(h) {
		used = append(used, h)
	}
	in.Cover(sec, status, strings.Join(notes, "; "), used...)
}

// surveyFirewall reads the packet filter: iptables-save, ip6tables-save, nft, and the
// firewalld and ufw configuration; offline, the rules saved for boot.
func surveyFirewall(in *kit.Input) {
	const sec = snapshot.SectionFirewall
	fw := &in.Snap.Network.Firewall
	ipt, ip6t, nft := in.Cmd("iptables-save"), in.Cmd("ip6tables-save"), in.Cmd("nft-ruleset")
	saved4, saved6 := in.File("/etc/sysconfig/iptables"), in.File("/etc/sysconfig/ip6tables")
	fwdConf, ufwConf := in.File("/etc/firewalld/firewalld.conf"), in.File("/etc/ufw/ufw.conf")
	zones := in.Archive.Matching(evidence.KindFile, "/etc/firewalld/zones/*.xml")
	fw.Note = cloudNote(in)
	var notes []string
	add := func(it *evidence.Item, rules []Rule, err error) {
		id := in.Cite(it)
		fw.Evidence = append(fw.Evidence, id)
		if err != nil {
			notes = append(notes, it.Source()+": "+err.Error())
		}
		for _, r := range rules {
			fw.Rules = append(fw.Rules, snapshot.FirewallRule{Table: r.Table, Chain: r.Chain, Rule: r.Rule, Evidence: id})
		}
	}
	firewalldOn := running(in, "firewalld")
	ufwOn := kit.Usable(ufwConf) && UfwEnabled(ufwConf.Text())

	if in.Offline() {
		// Only what would be loaded at boot can be read from a disk.
		var used []*evidence.Item
		for _, it := range []*evidence.Item{saved4, saved6} {
			if kit.Usable(it) {
				r, err := ParseIptablesSave(it.Text())
				add(it, r, err)
				fw.Tool = "iptables"
				used = append(used, it)
			}
		}
		if kit.Usable(fwdConf) {
			fw.Tool = "firewalld"
			used = append(used, fwdConf)
			addZones(in, zones, add)
		}
		if ufwOn {
			fw.Tool = "ufw"
			used = append(used, ufwConf)
		}
		reason := "offline: the live ruleset is not visible; only the configuration loaded at boot was read"
		if len(used) == 0 {
			reason = "offline: the live ruleset is not visible, and no saved rules (/etc/sysconfig/iptables, firewalld, ufw) were found"
		}
		in.Cover(sec, snapshot.Partial, joinNotes(reason, notes), append(used, ipt, nft)...)
		return
	}

	root := in.Archive.Header["uid"] == "0"
	status := snapshot.Collected
	var reasons []string
	var used []*evidence.Item
	iptRules, nftRules := 0, 0
	for _, it := range []*evidence.Item{ipt, ip6t, nft} {
		used = append(used, it)
		if it.Status == evidence.StatusAbsent {
			continue
		}
		if !kit.Usable(it) {
			st, why := kit.StatusOf(it)
			status = kit.WorseOf(status, st)
			reasons = append(reasons, it.Source()+": "+why)
			continue
		}
		st, why := kit.StatusOf(it)
		status = kit.WorseOf(status, st)
		if why != "" {
			reasons = append(reasons, why)
		}
		if strings.TrimSpace(it.Text()) == "" && !root && it != nft {
			// Legacy iptables-save lists the tables named in a root-only /proc file:
			// for anyone else it prints nothing, which is not an empty firewall.
			status = kit.WorseOf(status, snapshot.Denied)
			reasons = append(reasons, it.Source()+" printed nothing: not root, the loaded tables are hidden")
			continue
		}
		if it == nft {
			rules, err := ParseNft(it.Text())
			var own []Rule
			for _, r := range rules {
				if iptRules == 0 || !iptablesNftTable(r.Table) {
					own = append(own, r)
				}
			}
			nftRules = len(own)
			add(it, own, err)
			continue
		}
		rules, err := ParseIptablesSave(it.Text())
		iptRules += len(rules)
		add(it, rules, err)
	}
	if firewalldOn {
		addZones(in, zones, add)
		used = append(used, fwdConf)
	}
	switch {
	case firewalldOn:
		fw.Tool = "firewalld"
	case ufwOn:
		fw.Tool = "ufw"
	case nftRules > 0:
		fw.Tool = "nftables"
	case iptRules > 0:
		fw.Tool = "iptables"
	}
	if ipt.Status == evidence.StatusAbsent && ip6t.Status == evidence.StatusAbsent && nft.Status == evidence.StatusAbsent {
		loaded := false
		for _, p := range []string{"/proc/net/ip_tables_names", "/proc/net/ip6_tables_names"} {
			if it := in.File(p); kit.Usable(it) && strings.TrimSpace(it.Text()) != "" {
				loaded = true
				used = append(used, it)
			}
		}
		switch {
		case loaded:
			in.Cover(sec, snapshot.Unavailable, joinNotes("iptables tables are loaded in the kernel, but neither iptables-save nor nft is installed to show their rules", notes), used...)
		case fw.Tool == "":
			fw.Tool = "none"
			in.Cover(sec, snapshot.NotApplicable, joinNotes("no packet filter: neither iptables-save nor nft is installed, no iptables table is loaded, and firewalld is not running", notes), used...)
		default:
			in.Cover(sec, snapshot.Partial, joinNotes(fw.Tool+" is configured, but neither iptables-save nor nft is installed to show the live rules", notes), used...)
		}
		return
	}
	if fw.Tool == "" && status == snapshot.Collected {
		fw.Tool = "none"
		reasons = append(reasons, "the packet filter tools are installed but hold no rules and no restrictive policy")
	}
	if len(notes) > 0 && status == snapshot.Collected {
		status = snapshot.Partial
	}
	in.Cover(sec, status, joinNotes(strings.Join(reasons, "; "), notes), used...)
}

func addZones(in *kit.Input, zones []*evidence.Item, add func(*evidence.Item, []Rule, error)) {
	for _, z := range zones {
		if !kit.Usable(z) {
			continue
		}
		name := strings.TrimSuffix(path.Base(z.Name), ".xml")
		r, err := ParseFirewalldZone(name, z.Text())
		add(z, r, err)
	}
}

// running reports whether a service or process of that name runs.
func running(in *kit.Input, name string) bool {
	for _, s := range in.Snap.Services {
		if strings.TrimSuffix(s.Name, ".service") == name && s.Running != nil && *s.Running {
			return true
		}
	}
	for _, p := range in.Snap.Processes {
		if p.Comm == name || path.Base(firstWord(p.Command)) == name {
			return true
		}
	}
	return false
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// clouds maps what the DMI vendor or product name says to the provider's name for
// its own firewall, which no host can see from inside.
var clouds = []struct{ match, note string }{
	{"amazon", "Amazon EC2: security groups and network ACLs"},
	{"google", "Google Cloud: VPC firewall rules"},
	{"microsoft corporation", "Microsoft Azure or Hyper-V: on Azure, network security groups"},
	{"openstack", "OpenStack: security groups"},
	{"alibaba", "Alibaba Cloud: security groups"},
	{"digitalocean", "DigitalOcean: cloud firewalls"},
	{"oraclecloud", "Oracle Cloud: security lists and network security groups"},
	{"tencent", "Tencent Cloud: security groups"},
	{"hetzner", "Hetzner Cloud: cloud firewalls"},
}

func cloudNote(in *kit.Input) string {
	var says []string
	for _, p := range []string{"/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name"} {
		if it := in.File(p); kit.Usable(it) {
			says = append(says, strings.ToLower(strings.TrimSpace(it.Text())))
		}
	}
	says = append(says, strings.ToLower(in.Snap.Host.Virtualization))
	all := strings.Join(says, " ")
	for _, c := range clouds {
		if strings.Contains(all, c.match) {
			return c.note + " filter traffic outside the host and are not visible from inside it"
		}
	}
	return ""
}

func joinNotes(head string, notes []string) string {
	parts := append([]string{}, notes...)
	if head != "" {
		parts = append([]string{head}, parts...)
	}
	return strings.Join(parts, "; ")
}

func machine(in *kit.Input) string {
	it := in.Cmd("uname")
	if !kit.Usable(it) {
		return ""
	}
	lines := strings.Split(it.Text(), "\n")
	if len(lines) < 4 {
		return ""
	}
	return strings.TrimSpace(lines[3])
}
