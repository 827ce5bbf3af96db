package report

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// summary says in one paragraph what the server is for, derived from what it
// serves, and how much of the document to trust.
func (b *builder) summary() *Section {
	s := b.s
	sec := &Section{ID: "summary", Title: b.t("sec.summary"), Intro: b.t("intro.summary")}
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.purpose()})

	counts := map[analyze.Severity]int{}
	inhibitors := 0
	for _, f := range b.findings {
		counts[f.Severity]++
		if f.Inhibitor {
			inhibitors++
		}
	}
	gaps := 0
	for _, sec := range snapshot.Sections {
		if st := s.Coverage[sec].Status; st != snapshot.Collected && st != snapshot.NotApplicable {
			gaps++
		}
	}
	sec.Blocks = append(sec.Blocks, &Facts{Pairs: []Pair{
		{b.t("sum.findings"), b.t("sum.findings.value", counts[analyze.High], counts[analyze.Medium], counts[analyze.Low], counts[analyze.Info], inhibitors)},
		{b.t("sum.coverage"), b.t("sum.coverage.value", len(snapshot.Sections)-gaps, len(snapshot.Sections), gaps)},
	}})
	if len(s.Source.Notes) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("sum.notes")}, &List{Items: s.Source.Notes})
	}
	return sec
}

// purpose is the one-paragraph answer to "what is this server for", built from
// the applications, web servers, databases, mail and shippers found. It claims
// nothing the snapshot does not show.
func (b *builder) purpose() string {
	s := b.s
	mw := s.Middleware
	var parts []string
	osName := cmp.Or(s.OS.PrettyName, s.OS.Name, b.t("val.unknown_os"))
	parts = append(parts, b.t("purpose.host", b.hostName(), osName))

	var apps []string
	for _, a := range mw.Apps {
		name := cmp.Or(a.Name, a.Kind+" "+a.Path)
		if a.Server != "" {
			name += " (" + a.Server + ")"
		}
		apps = append(apps, name)
	}
	if len(apps) > 0 {
		parts = append(parts, b.t("purpose.apps", join(apps)))
	}
	for _, w := range mw.WebServers {
		var names, ports []string
		seenName, seenPort := map[string]bool{}, map[int]bool{}
		for _, v := range w.VHosts {
			if v.ServerName != "" && !seenName[v.ServerName] {
				seenName[v.ServerName] = true
				names = append(names, v.ServerName)
			}
			if p := v.Port(); p != 0 && !seenPort[p] {
				seenPort[p] = true
				ports = append(ports, ":"+strconv.Itoa(p))
			}
		}
		what := strings.TrimSpace(w.Kind + " " + w.Version)
		if len(names) > 0 {
			parts = append(parts, b.t("purpose.web", what, join(names), join(ports)))
		} else {
			parts = append(parts, b.t("purpose.web.plain", what))
		}
	}
	for _, d := range mw.Databases {
		var dbs []string
		for _, sch := range d.Databases {
			if !sch.System {
				dbs = append(dbs, sch.Name)
			}
		}
		what := strings.TrimSpace(d.Kind + " " + d.Version)
		where := snapshot.JoinHostPort(d.Bind, d.Port)
		if len(dbs) > 0 {
			parts = append(parts, b.t("purpose.db", what, join(dbs), where))
		} else {
			parts = append(parts, b.t("purpose.db.plain", what, where))
		}
	}
	for _, m := range mw.Mail {
		switch {
		case m.Kind == "postfix" && m.Relayhost != "":
			parts = append(parts, b.t("purpose.mail.relay", m.Relayhost))
		default:
			parts = append(parts, b.t("purpose.mail", m.Kind))
		}
	}
	var ships []string
	for _, sh := range s.Logs.Shippers {
		var to []string
		for _, d := range sh.Destinations {
			to = append(to, destination(d))
		}
		if len(to) > 0 {
			ships = append(ships, sh.Name+" → "+join(to))
		}
	}
	if len(ships) > 0 {
		parts = append(parts, b.t("purpose.ship", strings.Join(ships, "; ")))
	}
	if n := len(s.CronJobs); n > 0 {
		parts = append(parts, b.t("purpose.cron", n))
	}
	if len(parts) == 1 {
		// "Nothing recognised" only when every middleware survey could look.
		none := "purpose.none"
		for _, sec := range []snapshot.Section{snapshot.SectionApache, snapshot.SectionNginx, snapshot.SectionMySQL,
			snapshot.SectionPostgreSQL, snapshot.SectionPostfix, snapshot.SectionDovecot, snapshot.SectionRuby,
			snapshot.SectionPHP, snapshot.SectionJava} {
			if st := s.Coverage[sec].Status; st != snapshot.Collected && st != snapshot.NotApplicable {
				none = "purpose.unknown"
			}
		}
		parts = append(parts, b.t(none))
	}
	return strings.Join(parts, b.t("purpose.sep")) + b.t("purpose.end")
}

// destination is where a shipper sends, as a client dials it, with the protocol
// beside it: "10.231.0.40:24224 (forward)".
func destination(e snapshot.Endpoint) string {
	out := e.HostPort()
	if e.Proto != "" {
		out += " (" + e.Proto + ")"
	}
	return out
}

// listenPort is the port of a service's listen entry, "tcp 0.0.0.0:80" or
// "tcp6 [::]:443"; 0 when it has none.
func listenPort(listen string) int {
	if _, addr, ok := strings.Cut(listen, " "); ok {
		listen = addr
	}
	_, port := snapshot.SplitListen(listen)
	return port
}

func (b *builder) system() *Section {
	s := b.s
	sec := &Section{ID: "system", Title: b.t("sec.system"), Intro: b.t("intro.system")}
	mem := ""
	if s.Host.MemoryBytes > 0 {
		mem = humanBytes(s.Host.MemoryBytes)
	}
	cpus := ""
	if s.Host.CPUs > 0 {
		cpus = strconv.Itoa(s.Host.CPUs)
	}
	pairs := []Pair{
		{b.t("sys.hostname"), s.Host.Hostname},
		{b.t("sys.fqdn"), s.Host.FQDN},
		{b.t("sys.os"), cmp.Or(s.OS.PrettyName, strings.TrimSpace(s.OS.Name+" "+s.OS.Version))},
		{b.t("sys.family"), s.OS.Family},
		{b.t("sys.kernel"), s.OS.Kernel},
		{b.t("sys.arch"), s.OS.Arch},
		{b.t("sys.virt"), s.Host.Virtualization},
		{b.t("sys.cpus"), cpus},
		{b.t("sys.memory"), mem},
		{b.t("sys.init"), s.OS.InitSystem},
		{b.t("sys.pkgmgr"), s.OS.PackageManager},
		{b.t("sys.zone"), s.Time.Zone},
		{b.t("sys.machine_id"), s.Host.MachineID},
	}
	var kept []Pair
	for _, p := range pairs {
		if p.Value != "" {
			kept = append(kept, p)
		}
	}
	sec.Blocks = append(sec.Blocks, &Facts{Pairs: kept})
	return sec
}

func (b *builder) endOfLife() *Section {
	sec := &Section{ID: "end-of-life", Title: b.t("sec.eol"), Intro: b.t("intro.eol")}
	t := b.table(b.t("tbl.eol"),
		col(b.t("col.product")), col(b.t("col.of")), col(b.t("col.version")), col(b.t("col.cycle")),
		col(b.t("col.eol_date")), col(b.t("col.extended")), col(b.t("col.status")), col(b.t("col.note")))
	dataDate := ""
	for _, e := range b.s.EndOfLife {
		dataDate = e.DataDate
		status := b.t("eol." + e.Status)
		if e.LTS {
			status += " (LTS)"
		}
		t.Rows = append(t.Rows, row(c(e.Product), c(b.of(e.Of)), c(e.Version), c(e.Cycle),
			c(e.EOL), c(e.Extended), c(status), c(e.Note)))
	}
	t.Empty = b.empty(b.t("none.eol"), snapshot.SectionEOL)
	if dataDate != "" {
		t.Explain += " " + b.t("tbl.eol.date", dataDate)
	}
	sec.Blocks = append(sec.Blocks, t)
	return sec
}

// of names what an end-of-life entry was matched against.
func (b *builder) of(of string) string {
	if of == "os" {
		return b.t("val.os")
	}
	return of
}

func (b *builder) services() *Section {
	s := b.s
	sec := &Section{ID: "services", Title: b.t("sec.services"), Intro: b.t("intro.services")}
	t := b.table(b.t("tbl.services"),
		col(b.t("col.service")), col(b.t("col.running")), col(b.t("col.at_boot")), col(b.t("col.user")),
		codeCol(b.t("col.listens")), col(b.t("col.package")), col(b.t("col.init")))
	for _, sv := range s.Services {
		boot := b.yesNo(sv.Enabled)
		if sv.EnabledState != "" {
			boot += " (" + sv.EnabledState + ")"
		}
		t.Rows = append(t.Rows, row(c(sv.Name), c(b.yesNo(sv.Running)), c(boot), c(sv.User),
			c(join(sv.Listens)), c(sv.Package), c(sv.Init)))
	}
	t.Empty = b.empty(b.t("none.services"), snapshot.SectionServices)
	sec.Blocks = append(sec.Blocks, t)

	for _, sv := range s.Services {
		if !notable(sv) {
			continue
		}
		sec.Sub = append(sec.Sub, b.service(sv))
	}
	return sec
}

// notable services get a section of their own: those running, or tied to a
// port, a connection, a config, a log or a job.
func notable(sv snapshot.Service) bool {
	return (sv.Running != nil && *sv.Running) || len(sv.Listens)+len(sv.Connects)+len(sv.Jobs) > 0
}

func (b *builder) service(sv snapshot.Service) *Section {
	sub := &Section{ID: anchor("service", sv.Name), Title: sv.Name}
	if sv.Description != "" {
		sub.Intro = sv.Description
	}
	var cmds []string
	seen := map[string]bool{}
	for _, p := range b.s.Processes {
		if p.Service == sv.Name && !seen[p.Command] {
			seen[p.Command] = true
			cmds = append(cmds, p.Command)
		}
	}
	if len(cmds) > 3 {
		cmds = append(cmds[:3], b.t("val.more", len(cmds)-3))
	}
	start := sv.Init
	if sv.Path != "" {
		start += " " + sv.Path
	}
	state := b.yesNo(sv.Running)
	if sv.State != "" {
		state += " (" + sv.State + ")"
	}
	boot := b.yesNo(sv.Enabled)
	if sv.EnabledState != "" {
		boot += " (" + sv.EnabledState + ")"
	}
	pairs := []Pair{
		{b.t("svc.what"), join(cmds)},
		{b.t("svc.running"), state},
		{b.t("svc.boot"), boot},
		{b.t("svc.start"), start},
		{b.t("svc.user"), sv.User},
		{b.t("svc.listens"), join(sv.Listens)},
		{b.t("svc.connects"), join(sv.Connects)},
		{b.t("svc.configs"), join(sv.Configs)},
		{b.t("svc.logs"), join(sv.Logs)},
		{b.t("svc.jobs"), join(sv.Jobs)},
		{b.t("svc.package"), sv.Package},
	}
	var kept []Pair
	for _, p := range pairs {
		if strings.TrimSpace(p.Value) != "" {
			kept = append(kept, p)
		}
	}
	sub.Blocks = append(sub.Blocks, &Facts{Pairs: kept})
	return sub
}

func (b *builder) listeners() *Section {
	s := b.s
	sec := &Section{ID: "listeners", Title: b.t("sec.listeners"), Intro: b.t("intro.listeners")}
	cols := []Column{col(b.t("col.proto")), codeCol(b.t("col.address")), numCol(b.t("col.port")),
		col(b.t("col.process")), col(b.t("col.service")), col(b.t("col.package"))}
	if s.Window != nil {
		cols = append(cols, col(b.t("col.seen")))
	}
	t := b.table(b.t("tbl.listeners"), cols...)
	for _, l := range s.Listeners {
		r := row(c(l.Proto), c(l.Address), cn(l.Port), c(l.Process), c(l.Service), c(l.Package))
		if s.Window != nil {
			r = append(r, c(b.seen(l.Seen)))
		}
		t.Rows = append(t.Rows, r)
	}
	t.Empty = b.empty(b.t("none.listeners"), snapshot.SectionListeners)
	sec.Blocks = append(sec.Blocks, t)
	return sec
}

func (b *builder) seen(s snapshot.Seen) string {
	if s.FirstSeen == nil {
		return ""
	}
	return b.t("val.seen", b.when(*s.FirstSeen), b.when(*s.LastSeen), s.Samples)
}

func (b *builder) dependencies() *Section {
	s := b.s
	sec := &Section{ID: "dependencies", Title: b.t("sec.dependencies"), Intro: b.t("intro.dependencies")}
	t := b.table(b.t("tbl.connections"),
		codeCol(b.t("col.remote")), col(b.t("col.names")), numCol(b.t("col.port")), col(b.t("col.purpose")),
		col(b.t("col.process")), col(b.t("col.service")), numCol(b.t("col.count")), codeCol(b.t("col.config_refs")))
	for _, cn := range s.Network.Connections {
		if cn.Local {
			continue
		}
		t.Rows = append(t.Rows, row(c(cn.RemoteAddress), c(join(cn.RemoteNames)), cportOf(cn.RemotePort),
			c(cn.Purpose), c(cn.Process), c(cn.Service), cnCount(cn.Count), c(join(cn.ConfigRefs))))
	}
	t.Empty = b.empty(b.t("none.connections"), snapshot.SectionConns)
	sec.Blocks = append(sec.Blocks, t)

	local := b.table(b.t("tbl.local_connections"),
		codeCol(b.t("col.remote")), numCol(b.t("col.port")), col(b.t("col.purpose")),
		col(b.t("col.process")), col(b.t("col.service")), numCol(b.t("col.count")))
	for _, cn := range s.Network.Connections {
		if cn.Local {
			local.Rows = append(local.Rows, row(c(cn.RemoteAddress), cportOf(cn.RemotePort), c(cn.Purpose),
				c(cn.Process), c(cn.Service), cnCount(cn.Count)))
		}
	}
	if len(local.Rows) > 0 {
		sec.Blocks = append(sec.Blocks, local)
	}

	in := b.table(b.t("tbl.clients"),
		codeCol(b.t("col.remote")), col(b.t("col.names")), numCol(b.t("col.local_port")), col(b.t("col.service")), numCol(b.t("col.count")))
	for _, cl := range s.Network.Clients {
		in.Rows = append(in.Rows, row(c(cl.RemoteAddress), c(join(cl.RemoteNames)), cportOf(cl.LocalPort), c(cl.Service), cnCount(cl.Count)))
	}
	in.Empty = b.empty(b.t("none.clients"), snapshot.SectionConns)
	sec.Blocks = append(sec.Blocks, in)
	return sec
}

func cportOf(p int) Cell { return Cell{Text: strconv.Itoa(p), Sort: strconv.Itoa(p)} }
func cnCount(n int) Cell {
	if n == 0 {
		return c("")
	}
	return cn(n)
}

func (b *builder) network() *Section {
	s := b.s
	n := s.Network
	sec := &Section{ID: "network", Title: b.t("sec.network"), Intro: b.t("intro.network")}
	ifs := b.table(b.t("tbl.interfaces"), col(b.t("col.interface")), codeCol(b.t("col.addresses")), col(b.t("col.mac")), numCol("MTU"), col(b.t("col.up")))
	for _, i := range n.Interfaces {
		ifs.Rows = append(ifs.Rows, row(c(i.Name), c(join(i.Addresses)), c(i.MAC), cnCount(i.MTU), c(b.yesNo(i.Up))))
	}
	ifs.Empty = b.empty(b.t("none.interfaces"), snapshot.SectionNetwork)
	routes := b.table(b.t("tbl.routes"), codeCol(b.t("col.destination")), codeCol(b.t("col.gateway")), col(b.t("col.device")), col(b.t("col.table")), col(b.t("col.type")))
	for _, r := range n.Routes {
		routes.Rows = append(routes.Rows, row(c(r.Destination), c(r.Gateway), c(r.Device), c(r.Table), c(r.Type)))
	}
	routes.Empty = b.empty(b.t("none.routes"), snapshot.SectionNetwork)
	hosts := b.table(b.t("tbl.hosts"), codeCol(b.t("col.address")), col(b.t("col.names")), numCol(b.t("col.line")))
	for _, h := range n.Hosts {
		hosts.Rows = append(hosts.Rows, row(c(h.Address), c(join(h.Names)), cn(h.Line)))
	}
	hosts.Empty = b.empty(b.t("none.hosts"), snapshot.SectionNetwork)
	sec.Blocks = append(sec.Blocks, ifs, routes, &Facts{Pairs: nonEmpty([]Pair{
		{b.t("net.resolvers"), cmp.Or(join(n.Resolvers), b.t("val.none"))},
		{b.t("net.search"), join(n.SearchDomains)},
		{b.t("net.lookup"), join(n.HostsLookup)},
	})}, hosts)

	fw := b.table(b.t("tbl.firewall"), col(b.t("col.table")), col(b.t("col.chain")), codeCol(b.t("col.rule")))
	for _, r := range n.Firewall.Rules {
		fw.Rows = append(fw.Rows, row(c(r.Table), c(r.Chain), c(r.Rule)))
	}
	fw.Empty = b.empty(b.t("none.firewall", cmp.Or(n.Firewall.Tool, b.t("val.none"))), snapshot.SectionFirewall)
	if n.Firewall.Tool != "" {
		fw.Explain += " " + b.t("tbl.firewall.tool", n.Firewall.Tool)
	}
	sec.Blocks = append(sec.Blocks, fw)
	if n.Firewall.Note != "" {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: n.Firewall.Note})
	}
	return sec
}

// hostMap draws the host: its services with their ports, who connects in, and
// the systems it talks to.
func (b *builder) hostMap() *Section {
	sec := &Section{ID: "map", Title: b.t("sec.map"), Intro: b.t("intro.map")}
	sec.Blocks = append(sec.Blocks, b.diagram())
	return sec
}

func (b *builder) diagram() *Diagram {
	s := b.s
	d := &Diagram{Host: b.hostName()}
	svcID := map[string]string{}
	addService := func(name, detail string) string {
		if id, ok := svcID[name]; ok {
			return id
		}
		id := anchor("svc", name)
		svcID[name] = id
		d.Services = append(d.Services, DiagramNode{ID: id, Label: name, Detail: detail})
		return id
	}
	for _, sv := range s.Services {
		if len(sv.Listens) == 0 && len(sv.Connects) == 0 {
			continue
		}
		var ports []string
		seen := map[int]bool{}
		for _, l := range sv.Listens {
			if p := listenPort(l); p != 0 && !seen[p] {
				seen[p] = true
				ports = append(ports, ":"+strconv.Itoa(p))
			}
		}
		addService(sv.Name, strings.Join(ports, " "))
	}
	// A peer may serve several purposes (the collector takes syslog and fluentd
	// forward): its box names them all, under its address when it has a name.
	type peer struct {
		index    int
		addr     string
		purposes []string
	}
	peers := map[string]*peer{}
	addPeer := func(addr string, names []string, purpose string, inbound bool) string {
		key := addr
		if inbound {
			key = "in " + addr
		}
		p, ok := peers[key]
		if !ok {
			label := addr
			if len(names) > 0 {
				label = names[0]
			}
			p = &peer{index: len(d.Peers), addr: addr}
			peers[key] = p
			d.Peers = append(d.Peers, DiagramNode{ID: anchor(map[bool]string{true: "in", false: "out"}[inbound], addr), Label: label, Inbound: inbound})
		}
		if purpose != "" && !slices.Contains(p.purposes, purpose) {
			p.purposes = append(p.purposes, purpose)
		}
		return d.Peers[p.index].ID
	}
	edges := map[string]bool{}
	addEdge := func(from, to, label string) {
		k := from + "|" + to + "|" + label
		if !edges[k] {
			edges[k] = true
			d.Edges = append(d.Edges, DiagramEdge{From: from, To: to, Label: label})
		}
	}
	listenerOf := map[int]string{}
	for _, l := range s.Listeners {
		if l.Service != "" {
			listenerOf[l.Port] = l.Service
		}
	}
	for _, cn := range s.Network.Connections {
		owner := cmp.Or(cn.Service, cn.Process)
		if owner == "" {
			continue
		}
		from := addService(owner, "")
		label := fmt.Sprintf("%s/%d", strings.TrimSuffix(cn.Proto, "6"), cn.RemotePort)
		if cn.Local {
			if target, ok := listenerOf[cn.RemotePort]; ok && target != owner {
				addEdge(from, addService(target, ""), label)
			}
			continue
		}
		addEdge(from, addPeer(cn.RemoteAddress, cn.RemoteNames, cn.Purpose, false), label)
	}
	for _, cl := range s.Network.Clients {
		svc := cmp.Or(cl.Service, listenerOf[cl.LocalPort])
		if svc == "" {
			continue
		}
		to := addService(svc, "")
		addEdge(addPeer(cl.RemoteAddress, cl.RemoteNames, "", true), to, fmt.Sprintf("%s/%d", strings.TrimSuffix(cl.Proto, "6"), cl.LocalPort))
	}
	for _, p := range peers {
		node := &d.Peers[p.index]
		node.Detail = strings.Join(p.purposes, ", ")
		if node.Label != p.addr {
			node.Detail = strings.TrimSpace(p.addr + " " + node.Detail)
		}
	}
	d.Alt = b.t("map.alt", d.Host, len(d.Services), len(d.Peers))
	sort.SliceStable(d.Peers, func(i, j int) bool { return d.Peers[i].Inbound && !d.Peers[j].Inbound })
	return d
}
