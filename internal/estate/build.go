package estate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Build maps the estate the named snapshots make. A nil snapshot is skipped.
func Build(in []Named) *Map {
	var ms []*member
	for _, n := range in {
		if n.Snapshot != nil {
			ms = append(ms, newMember(n))
		}
	}
	uniqueIDs(ms)
	b := &builder{ms: ms, r: newResolver(ms), edges: map[edgeKey]*edgeAcc{}, peers: map[string]*Peer{},
		peerByID: map[string]*Peer{}, hostByID: map[string]int{}, shared: map[string][]string{},
		peerIDs: map[string]bool{}, edgeIDs: map[string]bool{}}
	for i, m := range ms {
		b.hostByID[m.id] = i
	}
	for i, m := range ms {
		for _, src := range endpointSources {
			for _, rf := range src.read(m.snap) {
				b.add(i, rf)
			}
		}
	}
	mp := &Map{Version: Version, Hosts: b.hosts(), Edges: b.finishEdges(), Duplicates: duplicates(ms)}
	for _, m := range ms {
		if !slices.Contains(mp.Groups, m.group) && m.group != "" {
			mp.Groups = append(mp.Groups, m.group)
		}
	}
	mp.Outside = b.finishPeers(mp.Edges)
	mp.Waves = planWaves(mp, b.sharedGroups(), ms)
	for _, w := range mp.Waves {
		for _, id := range w.Hosts {
			mp.Hosts[b.hostByID[id]].Wave = w.Number
		}
	}
	return mp
}

type builder struct {
	ms       []*member
	r        *resolver
	edges    map[edgeKey]*edgeAcc
	order    []edgeKey
	peers    map[string]*Peer // by address, or "name " and the name
	peerByID map[string]*Peer
	hostByID map[string]int
	peerIDs  map[string]bool
	edgeIDs  map[string]bool
	// shared maps a piece of data on one end (an export, a database) to the
	// hosts that use it.
	shared map[string][]string
}

type edgeKey struct {
	from, to string
	proto    string
	port     int
}

type edgeAcc struct {
	e               Edge
	portGiven       bool
	config, purpose string
	local           string
	toHost          int // the server's index, -1 when it is outside
}

// add puts what one ref of host i shows on the map.
func (b *builder) add(i int, rf ref) {
	t := b.r.resolve(i, rf.named)
	if t.local {
		return
	}
	m := b.ms[i]
	this := End{Host: m.id, Known: true}
	var other End
	if t.host >= 0 {
		other = End{Host: b.ms[t.host].id, Known: true}
	} else {
		other = End{Peer: b.peer(t, rf).ID}
	}
	from, to, toHost := this, other, t.host
	if rf.inbound {
		from, to, toHost = other, this, i
	}
	k := edgeKey{from.ID(), to.ID(), rf.proto, rf.port}
	acc, ok := b.edges[k]
	if !ok {
		acc = &edgeAcc{e: Edge{From: from, To: to, Proto: rf.proto, Port: rf.port}, toHost: toHost}
		b.edges[k] = acc
		b.order = append(b.order, k)
	}
	acc.portGiven = acc.portGiven || rf.portGiven
	acc.config = cmp.Or(acc.config, rf.service)
	acc.purpose = cmp.Or(acc.purpose, rf.purpose)
	acc.local = cmp.Or(acc.local, rf.local)
	ev := rf.ev
	ev.Host = m.id
	ev.Resolved = t.how
	if !slices.ContainsFunc(acc.e.Evidence, func(x Evidence) bool {
		return x.Host == ev.Host && x.Kind == ev.Kind && x.Source == ev.Source && x.What == ev.What && x.Named == ev.Named
	}) {
		acc.e.Evidence = append(acc.e.Evidence, ev)
	}
	if rf.shared != "" && !rf.inbound {
		key := to.ID() + " " + rf.shared
		if !slices.Contains(b.shared[key], m.id) {
			b.shared[key] = append(b.shared[key], m.id)
		}
	}
}

// peer is the outside system t stands for: by address when one is known, else by
// the name nothing resolved.
func (b *builder) peer(t target, rf ref) *Peer {
	key := t.addr
	if key == "" {
		key = "name " + t.name
	}
	p, ok := b.peers[key]
	if !ok {
		addr := cmp.Or(t.addr, t.name)
		p = &Peer{ID: uniqueID("o-"+slug(addr), b.peerIDs), Address: addr, Unresolved: t.addr == ""}
		b.peers[key] = p
		b.peerByID[p.ID] = p
	}
	for _, n := range append([]string{t.name}, rf.names...) {
		if n = normalName(n); n != "" && n != p.Address && !slices.Contains(p.Names, n) {
			p.Names = append(p.Names, n)
		}
	}
	for _, h := range t.ambiguous {
		if id := b.ms[h].id; !slices.Contains(p.Ambiguous, id) {
			p.Ambiguous = append(p.Ambiguous, id)
		}
	}
	return p
}

// finishEdges names each edge's service, says whether its server listened, and
// sorts edges and evidence.
func (b *builder) finishEdges() []Edge {
	out := make([]Edge, 0, len(b.order))
	for _, k := range b.order {
		acc := b.edges[k]
		e := acc.e
		e.PortAssumed = !acc.portGiven && e.Port != 0
		var server *member
		if acc.toHost >= 0 {
			server = b.ms[acc.toHost]
		}
		e.Service = b.serviceName(acc, server)
		// A port no evidence names is the standard one clients use, so it is
		// checked too: a mount of a filer that no longer serves NFS shows here.
		if server != nil && e.Port != 0 {
			e.Listening = listensOn(server.snap, e.Proto, e.Port)
		}
		// What the dependent host says comes first: its config, then its view of the
		// connection, then the server's.
		slices.SortStableFunc(e.Evidence, func(x, y Evidence) int {
			return cmp.Or(boolRank(x.Host != e.From.Host)-boolRank(y.Host != e.From.Host), compareEvidence(x, y))
		})
		out = append(out, e)
	}
	slices.SortFunc(out, func(x, y Edge) int {
		return cmp.Or(strings.Compare(b.endName(x.From), b.endName(y.From)), strings.Compare(b.endName(x.To), b.endName(y.To)),
			x.Port-y.Port, strings.Compare(x.Proto, y.Proto))
	})
	for i := range out {
		out[i].ID = uniqueID("e-"+slug(out[i].From.ID()+" "+out[i].To.ID()+" "+out[i].Proto+" "+strconv.Itoa(out[i].Port)), b.edgeIDs)
	}
	return out
}

// endName is how an end sorts: the host's name, or the peer's address.
func (b *builder) endName(e End) string {
	if e.Known {
		return b.ms[b.hostByID[e.Host]].name
	}
	return "\uffff" + b.peerByID[e.Peer].Address // outside peers after the hosts
}

var kindRank = map[string]int{kindConfig: 0, kindConnection: 1, kindClient: 2}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func compareEvidence(x, y Evidence) int {
	return cmp.Or(strings.Compare(x.Host, y.Host), kindRank[x.Kind]-kindRank[y.Kind], strings.Compare(x.Source, y.Source), strings.Compare(x.What, y.What))
}

// serviceName is what the edge's server provides: what the config uses it for,
// else the known role of the service listening on the port, else the usual
// purpose of the port, else protocol and port.
func (b *builder) serviceName(acc *edgeAcc, server *member) string {
	if acc.config != "" {
		return acc.config
	}
	if server != nil {
		for _, l := range server.snap.Listeners {
			if l.Port == acc.e.Port && l.Family() == acc.e.Proto && l.Service != "" {
				if role := distro.ServiceRole(l.Service); knownRole(role) {
					return role
				}
			}
		}
	}
	if acc.local != "" {
		if role := distro.ServiceRole(acc.local); knownRole(role) {
			return role
		}
	}
	return cmp.Or(acc.purpose, acc.local, acc.e.Proto+"/"+strconv.Itoa(acc.e.Port))
}

var knownRoles = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, r := range distro.ServiceRoles() {
		out[r] = true
	}
	return out
})

func knownRole(role string) bool { return knownRoles()[role] }

// listensOn says whether the host listened on port for others (not on loopback
// only); nil when its listeners were not collected.
func listensOn(s *snapshot.Snapshot, proto string, port int) *bool {
	if !s.Coverage[snapshot.SectionListeners].Known() {
		return nil
	}
	for _, l := range s.Listeners {
		if l.Port == port && l.Family() == proto && l.Reach() != snapshot.ReachLoopback {
			return snapshot.Bool(true)
		}
	}
	return snapshot.Bool(false)
}

// finishPeers lists the outside peers with what the estate uses them for and who
// talks to them, in address order.
func (b *builder) finishPeers(edges []Edge) []Peer {
	byID := b.peerByID
	for _, e := range edges {
		if p, ok := byID[e.To.Peer]; ok && !e.To.Known {
			p.Services = appendNew(p.Services, e.Service)
			p.Users = appendNew(p.Users, e.From.Host)
		}
		if p, ok := byID[e.From.Peer]; ok && !e.From.Known {
			p.Clients = appendNew(p.Clients, e.To.Host)
		}
	}
	out := make([]Peer, 0, len(byID))
	for _, p := range byID {
		slices.Sort(p.Services)
		slices.Sort(p.Users)
		slices.Sort(p.Clients)
		slices.Sort(p.Ambiguous)
		out = append(out, *p)
	}
	slices.SortFunc(out, func(x, y Peer) int { return strings.Compare(x.Address, y.Address) })
	return out
}

func appendNew(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// sharedGroups are the hosts that use one piece of data, when more than one
// does, each with what they share.
func (b *builder) sharedGroups() []Reason {
	var out []Reason
	for key, hosts := range b.shared {
		if len(hosts) < 2 {
			continue
		}
		end, what, _ := strings.Cut(key, " ")
		out = append(out, Reason{Kind: reasonSharedData, Hosts: slices.Sorted(slices.Values(hosts)), What: []string{what + " @ " + b.endLabel(end)}})
	}
	slices.SortFunc(out, func(x, y Reason) int { return strings.Compare(x.What[0], y.What[0]) })
	return out
}

// endLabel names a host or peer by ID for a sentence.
func (b *builder) endLabel(id string) string {
	if i, ok := b.hostByID[id]; ok {
		return b.ms[i].name
	}
	return b.peerByID[id].Address
}

// hosts describes each member.
func (b *builder) hosts() []Host {
	out := make([]Host, len(b.ms))
	for i, m := range b.ms {
		s := m.snap
		out[i] = Host{
			ID: m.id, Name: m.name, Group: m.group, Hostname: s.Host.Hostname, FQDN: s.Host.FQDN,
			Addresses: m.addresses(), OS: cmp.Or(s.OS.PrettyName, strings.TrimSpace(s.OS.Name+" "+s.OS.Version)),
			CollectedAt: s.CollectedAt, For: purposes(s), Gaps: gaps(s),
		}
	}
	return out
}

// mapSections are the sections the map reads: those endpoints are read from, the
// listeners an edge's server is checked against, and what duplicates compare.
var mapSections = func() []snapshot.Section {
	var out []snapshot.Section
	for _, src := range endpointSources {
		for _, sec := range src.sections {
			if !slices.Contains(out, sec) {
				out = append(out, sec)
			}
		}
	}
	return append(out, snapshot.SectionListeners, snapshot.SectionServices, snapshot.SectionCron, snapshot.SectionFiles)
}()

// gaps are the sections the map reads that s did not collect.
func gaps(s *snapshot.Snapshot) []Gap {
	var out []Gap
	for _, sec := range mapSections {
		c, ok := s.Coverage[sec]
		switch {
		case !ok:
			out = append(out, Gap{Section: string(sec), Status: "unknown"})
		case c.Status != snapshot.Collected && c.Status != snapshot.NotApplicable:
			out = append(out, Gap{Section: string(sec), Status: string(c.Status), Reason: c.Reason})
		}
	}
	return out
}

// purposes say what the host is for, from what it serves: no more than the
// snapshot shows.
func purposes(s *snapshot.Snapshot) []string {
	var out []string
	mw := s.Middleware
	covered := map[string]bool{}
	for _, a := range mw.Apps {
		out = appendNew(out, cmp.Or(a.Name, a.Kind+" "+a.Path))
	}
	for _, ws := range mw.WebServers {
		var sites []string
		for _, v := range ws.VHosts {
			sites = appendNew(sites, v.ServerName)
		}
		out = appendNew(out, strings.TrimSpace(ws.Kind+" "+strings.Join(sites, ", ")))
		covered[distro.ServiceRole(cmp.Or(ws.Service, ws.Kind))] = true
	}
	for _, db := range mw.Databases {
		var schemas []string
		for _, d := range db.Databases {
			if !d.System {
				schemas = append(schemas, d.Name)
			}
		}
		out = appendNew(out, strings.TrimSpace(db.Kind+" "+strings.Join(schemas, ", ")))
		covered[distro.ServiceRole(cmp.Or(db.Service, db.Kind))] = true
	}
	for _, m := range mw.Mail {
		out = appendNew(out, m.Kind)
		covered[distro.ServiceRole(cmp.Or(m.Service, m.Kind))] = true
	}
	for _, c := range mw.Caches {
		out = appendNew(out, c.Kind)
		covered[distro.ServiceRole(cmp.Or(c.Service, c.Kind))] = true
	}
	for _, c := range mw.Containers {
		out = appendNew(out, "docker "+c.Name)
	}
	// Other services that listen beyond the host itself, but not the ssh every
	// host runs.
	for _, sv := range s.Services {
		role := distro.ServiceRole(sv.Name)
		if role == "ssh" || covered[role] || sv.Running == nil || !*sv.Running {
			continue
		}
		for _, l := range sv.Listens {
			_, addr, _ := strings.Cut(l, " ")
			host, _ := snapshot.SplitListen(addr)
			if snapshot.AddressReach(host) != snapshot.ReachLoopback {
				out = appendNew(out, sv.Name)
				covered[role] = true
				break
			}
		}
	}
	return out
}
