package report

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// hostMapSection draws the host: its services with their ports, who connects in,
// and the systems it talks to.
var hostMapSection = handoverSection{
	id: "map", title: "sec.map", intro: "intro.map",
	reads: []snapshot.Section{snapshot.SectionServices, snapshot.SectionListeners, snapshot.SectionConns},
	build: (*builder).hostMap,
}

func (b *builder) hostMap(sec *Section) {
	sec.Blocks = append(sec.Blocks, b.diagram())
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
	for _, conn := range s.Network.Connections {
		owner := cmp.Or(conn.Service, conn.Process)
		if owner == "" {
			continue
		}
		from := addService(owner, "")
		label := fmt.Sprintf("%s/%d", conn.Family(), conn.RemotePort)
		if conn.Local {
			if target, ok := listenerOf[conn.RemotePort]; ok && target != owner {
				addEdge(from, addService(target, ""), label)
			}
			continue
		}
		addEdge(from, addPeer(conn.RemoteAddress, conn.RemoteNames, conn.Purpose, false), label)
	}
	for _, cl := range s.Network.Clients {
		svc := cmp.Or(cl.Service, listenerOf[cl.LocalPort])
		if svc == "" {
			continue
		}
		to := addService(svc, "")
		addEdge(addPeer(cl.RemoteAddress, cl.RemoteNames, "", true), to, fmt.Sprintf("%s/%d", cl.Family(), cl.LocalPort))
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

// listenPort is the port of a service's listen entry, "tcp 0.0.0.0:80" or
// "tcp6 [::]:443"; 0 when it has none.
func listenPort(listen string) int {
	if _, addr, ok := strings.Cut(listen, " "); ok {
		listen = addr
	}
	_, port := snapshot.SplitListen(listen)
	return port
}
