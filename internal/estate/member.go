package estate

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Named is one host given to the map: its latest snapshot, the name the estate
// knows it by, and its group (an environment, or any grouping the operator
// gives; "" for none).
type Named struct {
	Name     string
	Group    string
	Snapshot *snapshot.Snapshot
}

// member is a host of the estate while the map is built.
type member struct {
	id, name, group string
	snap            *snapshot.Snapshot
	addrs           []netip.Addr
	names           []hostName
}

type hostName struct{ name, by string }

func newMember(n Named) *member {
	s := n.Snapshot
	m := &member{name: n.Name, group: n.Group, snap: s}
	if m.name == "" {
		m.name = cmp.Or(s.Host.Hostname, s.Host.FQDN, s.Source.Target, "host")
	}
	for _, ifc := range s.Network.Interfaces {
		for _, cidr := range ifc.Addresses {
			addr, _, _ := strings.Cut(cidr, "/")
			a, ok := canonicalAddr(addr)
			if !ok || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || slices.Contains(m.addrs, a) {
				continue
			}
			m.addrs = append(m.addrs, a)
		}
	}
	add := func(name, by string) {
		name = normalName(name)
		if name == "" || name == "localhost" || slices.ContainsFunc(m.names, func(h hostName) bool { return h.name == name }) {
			return
		}
		m.names = append(m.names, hostName{name, by})
	}
	add(s.Host.FQDN, byFQDN)
	add(s.Host.Hostname, byHostname)
	if short, _, ok := strings.Cut(normalName(s.Host.FQDN), "."); ok {
		add(short, byHostname)
	}
	if short, _, ok := strings.Cut(normalName(s.Host.Hostname), "."); ok {
		add(short, byHostname)
	}
	return m
}

// isCalled reports whether the host is called name.
func (m *member) isCalled(name string) bool {
	return slices.ContainsFunc(m.names, func(h hostName) bool { return h.name == name })
}

// filesFirst reports whether /etc/hosts answers before DNS on the host, as
// nsswitch.conf orders them; without an nsswitch.conf (or without its hosts
// line) glibc reads files first too.
func (m *member) filesFirst() bool {
	for _, src := range m.snap.Network.HostsLookup {
		switch strings.ToLower(src) {
		case "files":
			return true
		case "dns":
			return false
		}
	}
	return true
}

// addresses are the host's addresses as text.
func (m *member) addresses() []string {
	out := make([]string, len(m.addrs))
	for i, a := range m.addrs {
		out[i] = a.String()
	}
	return out
}

// uniqueIDs gives each member an ID made of [a-z0-9-] from its name, unique in
// the estate, and each a unique name (the same host given twice is told apart
// by a number rather than merged).
func uniqueIDs(ms []*member) {
	names, ids := map[string]int{}, map[string]bool{}
	for _, m := range ms {
		names[m.name]++
		if names[m.name] > 1 {
			m.name += " (" + strconv.Itoa(names[m.name]) + ")"
		}
		m.id = uniqueID("h-"+slug(m.name), ids)
	}
}

// uniqueID is base, or base with a number when base is taken.
func uniqueID(base string, taken map[string]bool) string {
	id := base
	for n := 2; taken[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	taken[id] = true
	return id
}

// slug keeps the letters and digits of s, lower-cased, with '-' for every run of
// anything else.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return cmp.Or(strings.TrimSuffix(b.String(), "-"), "x")
}
