package estate

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Resolution kinds (Resolution.By).
const (
	byAddress   = "address"
	byHostname  = "hostname"
	byFQDN      = "fqdn"
	byHostsFile = "hosts_file"
)

// resolver matches the names and addresses a host's evidence gives to the hosts of
// the estate, using only what the snapshots say.
type resolver struct {
	hosts  []*member
	byAddr map[netip.Addr][]int
	byName map[string][]int
	how    map[string]string // name → byHostname or byFQDN, for the first host known by it
}

// target is what a name or address resolved to.
type target struct {
	// local is true for the naming host itself (loopback, its own address or
	// name): a dependency that moves with it, never an edge.
	local bool
	host  int // index of the host, or -1 when outside
	// addr is the outside peer's address ("" when only a name is known), names
	// the names it was given.
	addr      string
	name      string
	ambiguous []int
	how       *Resolution
}

func newResolver(hosts []*member) *resolver {
	r := &resolver{hosts: hosts, byAddr: map[netip.Addr][]int{}, byName: map[string][]int{}, how: map[string]string{}}
	for i, h := range hosts {
		for _, a := range h.addrs {
			r.byAddr[a] = appendIndex(r.byAddr[a], i)
		}
		for _, n := range h.names {
			r.byName[n.name] = appendIndex(r.byName[n.name], i)
			if _, ok := r.how[n.name]; !ok {
				r.how[n.name] = n.by
			}
		}
	}
	return r
}

func appendIndex(s []int, i int) []int {
	if len(s) > 0 && s[len(s)-1] == i {
		return s
	}
	return append(s, i)
}

// canonicalAddr reads an IP address as snapshots write it ("10.0.0.5",
// "::ffff:10.0.0.5", "[2001:db8::1]", "fe80::1%eth0"); ok is false for a name.
func canonicalAddr(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// normalName is a host name as compared: lower case, without a trailing dot or
// brackets.
func normalName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.Trim(strings.TrimSpace(s), "[]")), ".")
}

// resolve matches what host from calls named.
func (r *resolver) resolve(from int, named string) target {
	if a, ok := canonicalAddr(named); ok {
		return r.resolveAddr(from, a, nil)
	}
	name := normalName(named)
	if name == "" || snapshot.AddressReach(name) == snapshot.ReachLoopback {
		return target{local: true, host: -1}
	}
	h := r.hosts[from]
	if h.isCalled(name) {
		return target{local: true, host: -1}
	}
	// /etc/hosts answers before DNS unless nsswitch.conf says otherwise; trowel
	// has no DNS of its own, so the estate's names stand in for it.
	filesFirst := h.filesFirst()
	if filesFirst {
		if t, ok := r.viaHostsFile(from, name); ok {
			return t
		}
	}
	if t, ok := r.viaNames(from, name); ok {
		return t
	}
	if !filesFirst {
		if t, ok := r.viaHostsFile(from, name); ok {
			return t
		}
	}
	return target{host: -1, name: name}
}

func (r *resolver) resolveAddr(from int, a netip.Addr, how *Resolution) target {
	if a.IsLoopback() || a.IsUnspecified() || slices.Contains(r.hosts[from].addrs, a) {
		return target{local: true, host: -1}
	}
	t := target{host: -1, addr: a.String(), how: how}
	if i, amb := r.pick(from, r.byAddr[a]); i >= 0 {
		t.host = i
		if t.how == nil {
			t.how = &Resolution{By: byAddress}
		}
	} else {
		t.ambiguous = amb
	}
	return t
}

func (r *resolver) viaHostsFile(from int, name string) (target, bool) {
	for _, e := range r.hosts[from].snap.Network.Hosts {
		for _, n := range e.Names {
			if normalName(n) != name {
				continue
			}
			a, ok := canonicalAddr(e.Address)
			if !ok {
				continue
			}
			src := "/etc/hosts"
			if e.Line > 0 {
				src += ":" + strconv.Itoa(e.Line)
			}
			t := r.resolveAddr(from, a, &Resolution{By: byHostsFile, Address: a.String(), Source: src})
			t.name = name
			return t, true
		}
	}
	return target{}, false
}

func (r *resolver) viaNames(from int, name string) (target, bool) {
	// A name without a dot is tried in the search domains first, as the
	// resolver does: of db.prod.ex and db.stg.ex, "db" on a staging host with
	// "search stg.ex" is the latter.
	var candidates []string
	if !strings.Contains(name, ".") {
		for _, d := range r.hosts[from].snap.Network.SearchDomains {
			candidates = append(candidates, name+"."+normalName(d))
		}
	}
	candidates = append(candidates, name)
	for _, n := range candidates {
		found := r.byName[n]
		if len(found) == 0 {
			continue
		}
		if slices.Contains(found, from) {
			return target{local: true, host: -1}, true
		}
		t := target{host: -1, name: name}
		if i, amb := r.pick(from, found); i >= 0 {
			t.host = i
			t.how = &Resolution{By: r.how[n]}
		} else {
			t.ambiguous = amb
		}
		return t, true
	}
	return target{}, false
}

// pick chooses among the hosts a name or address matches: the only one, or the
// only one in the naming host's group (private addresses are reused between
// environments). Otherwise it is ambiguous and nothing is chosen.
func (r *resolver) pick(from int, found []int) (int, []int) {
	switch len(found) {
	case 0:
		return -1, nil
	case 1:
		return found[0], nil
	}
	same := -1
	for _, i := range found {
		if r.hosts[i].group == r.hosts[from].group {
			if same >= 0 {
				return -1, found
			}
			same = i
		}
	}
	if same >= 0 {
		return same, nil
	}
	return -1, found
}
