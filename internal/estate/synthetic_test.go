package estate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// synthetic is an estate of n hosts drawn at random from seed, with the edges it
// must map ("from -> to port", ends by host name or outside address): host 0
// collects every other host's syslog; every tenth host is a database that the
// others use, named by address, FQDN, short name, an /etc/hosts alias or
// loopback (no edge), seen connected or not, from either end; some hosts ask an
// outside time server, relay through a name only some /etc/hosts know, are
// reached by an outside client, or are called back by their database (a cycle).
func synthetic(seed uint64, n int) ([]Named, map[string]bool) {
	r := rand.New(rand.NewPCG(seed, 7))
	want := map[string]bool{}
	edge := func(from, to string, port int) { want[fmt.Sprintf("%s -> %s %d", from, to, port)] = true }
	name := func(i int) string { return fmt.Sprintf("h%04d", i) }
	addr := func(i int) string { return fmt.Sprintf("10.%d.%d.%d", 1+i/62500, i/250%250, 1+i%250) }
	groups := []string{"development", "staging", "production"}
	snaps := make([]*snapshot.Snapshot, n)
	for i := range n {
		s := bare(name(i), name(i)+".ex.test", addr(i))
		s.Host.Evidence = []string{"cmd:hostname"}
		snaps[i] = s
	}
	isDB := func(i int) bool { return i > 0 && i%10 == 0 }
	var dbs []int
	for i := range n {
		if isDB(i) {
			dbs = append(dbs, i)
			snaps[i].Listeners = append(snaps[i].Listeners, listener(3306, "mariadb"))
			snaps[i].Middleware.Databases = []snapshot.Database{{Kind: "mariadb", Port: 3306, Databases: []snapshot.DatabaseSchema{{Name: "app"}}}}
		}
	}
	snaps[0].Listeners = append(snaps[0].Listeners, listener(514, "rsyslog"), listener(25, "postfix"))
	for i := 1; i < n; i++ {
		s := snaps[i]
		s.Logs.Shippers = []snapshot.LogShipper{{Name: "rsyslog", Destinations: []snapshot.Endpoint{{Host: addr(0), Port: 514, Proto: "tcp", Source: "/etc/rsyslog.d/fwd.conf:1"}}}}
		edge(name(i), name(0), 514)
		if len(dbs) > 0 && !isDB(i) {
			d := dbs[r.IntN(len(dbs))]
			var host string
			switch r.IntN(5) {
			case 0:
				host = addr(d)
			case 1:
				host = name(d) + ".ex.test"
			case 2:
				host = name(d)
			case 3:
				host = fmt.Sprintf("dbalias%d", d)
				s.Network.Hosts = append(s.Network.Hosts, snapshot.HostsEntry{Address: addr(d), Names: []string{host}, Line: len(s.Network.Hosts) + 1})
			case 4:
				host = "127.0.0.1"
			}
			s.Middleware.Apps = []snapshot.App{{Kind: "rails", Path: "/srv/app", Name: "App 1.0", Settings: []snapshot.Setting{
				{Key: "database.adapter", Value: "mysql2", Source: "/srv/app/config/database.yml"},
				{Key: "database.host", Value: host, Source: "/srv/app/config/database.yml"},
			}}}
			if host == "127.0.0.1" {
				s.Network.Connections = append(s.Network.Connections, snapshot.Connection{Proto: "tcp", RemoteAddress: host, RemotePort: 3306, Local: true, Count: 1, Evidence: "cmd:ss"})
			} else {
				edge(name(i), name(d), 3306)
				if r.IntN(2) == 0 {
					s.Network.Connections = append(s.Network.Connections, connection(addr(d), 3306, "ruby", "MySQL", snapshot.Seen{}))
				}
				if r.IntN(3) == 0 {
					snaps[d].Network.Clients = append(snaps[d].Network.Clients, client(addr(i), 3306, "mariadb", window))
				}
				if r.IntN(9) == 0 {
					snaps[d].Network.Connections = append(snaps[d].Network.Connections, connection(addr(i), 8080, "java", "", snapshot.Seen{}))
					edge(name(d), name(i), 8080)
				}
			}
		}
		if r.IntN(5) == 0 {
			ntp := fmt.Sprintf("ntp%d.outside.test", r.IntN(3))
			s.Time.NTP = snapshot.NTP{Daemon: "chronyd", Servers: []string{ntp}, Config: "/etc/chrony.conf"}
			edge(name(i), ntp, 123)
		}
		if r.IntN(7) == 0 {
			relayTo(s, "[relay.only-in-hosts.test]:25")
			if r.IntN(2) == 0 {
				s.Network.Hosts = append(s.Network.Hosts, snapshot.HostsEntry{Address: addr(0), Names: []string{"relay.only-in-hosts.test"}, Line: 20})
				edge(name(i), name(0), 25)
			} else {
				edge(name(i), "relay.only-in-hosts.test", 25)
			}
		}
		if r.IntN(11) == 0 {
			out := fmt.Sprintf("192.0.2.%d", 1+r.IntN(200))
			s.Network.Clients = append(s.Network.Clients, client(out, 443, "nginx", snapshot.Seen{}))
			edge(out, name(i), 443)
		}
	}
	in := make([]Named, n)
	for i, s := range snaps {
		in[i] = Named{Name: name(i), Group: groups[i%len(groups)], Snapshot: s}
	}
	return in, want
}

// TestEdgesHaveEvidence is the map's property over random estates: the edges are
// exactly those the snapshots show, each with evidence from the snapshot of the
// end that states it, each end known when and only when it is a host of the
// estate (and matched by what the evidence names), and the waves in order.
func TestEdgesHaveEvidence(t *testing.T) {
	for seed := range uint64(40) {
		n := 2 + int(seed*7%61)
		in, want := synthetic(seed, n)
		m := Build(in)
		t.Run(fmt.Sprintf("seed %d, %d hosts", seed, n), func(t *testing.T) {
			got := map[string]bool{}
			for _, e := range m.Edges {
				got[fmt.Sprintf("%s -> %s %d", endText(m, e.From), endText(m, e.To), e.Port)] = true
			}
			for k := range want {
				if !got[k] {
					t.Errorf("missing edge %s", k)
				}
			}
			for k := range got {
				if !want[k] {
					t.Errorf("invented edge %s", k)
				}
			}
			checkEdges(t, m)
			assertWavesOrdered(t, m)
		})
	}
}

func endText(m *Map, e End) string {
	if e.Known {
		return hostByID(m, e.Host).Name
	}
	return peerByID(m, e.Peer).Address
}

// checkEdges holds every edge and peer of m to what its evidence says.
func checkEdges(t *testing.T, m *Map) {
	t.Helper()
	hosts := map[string]Host{}
	for _, h := range m.Hosts {
		hosts[h.ID] = h
	}
	peers := map[string]Peer{}
	for _, p := range m.Outside {
		peers[p.ID] = p
	}
	used := map[string]bool{}
	for _, e := range m.Edges {
		for _, end := range []End{e.From, e.To} {
			_, isHost := hosts[end.Host]
			_, isPeer := peers[end.Peer]
			if end.Known != isHost || end.Known == isPeer || (end.Host != "") == (end.Peer != "") {
				t.Errorf("%s: end %+v is neither a host nor a peer, or both", e.ID, end)
			}
			used[end.Peer] = true
		}
		if e.From.ID() == e.To.ID() {
			t.Errorf("%s: an edge from a system to itself", e.ID)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("%s: no evidence", e.ID)
		}
		for _, ev := range e.Evidence {
			says, other := e.From, e.To
			if ev.Kind == kindClient {
				says, other = e.To, e.From
			}
			if !says.Known || ev.Host != says.Host {
				t.Errorf("%s: %s evidence stated by %s, not by the end that says it (%+v)", e.ID, ev.Kind, ev.Host, says)
			}
			if ev.Source == "" || ev.Named == "" {
				t.Errorf("%s: evidence without source or name: %+v", e.ID, ev)
			}
			if other.Known && !names(hosts[other.Host], ev) {
				t.Errorf("%s: %q (resolved %+v) does not name %s", e.ID, ev.Named, ev.Resolved, other.Host)
			}
			if !other.Known && ev.Resolved != nil && ev.Resolved.By != byHostsFile {
				t.Errorf("%s: an outside end resolved %+v", e.ID, ev.Resolved)
			}
		}
	}
	for id := range peers {
		if !used[id] {
			t.Errorf("outside peer %s has no edge", id)
		}
	}
}

// names reports whether what a piece of evidence names is host h: one of its
// addresses or names, or an address its /etc/hosts line gave.
func names(h Host, ev Evidence) bool {
	n := strings.ToLower(strings.Trim(ev.Named, "[]"))
	if a, ok := canonicalAddr(n); ok {
		n = a.String()
	}
	if ev.Resolved != nil && ev.Resolved.By == byHostsFile {
		n = ev.Resolved.Address
	}
	short, _, _ := strings.Cut(h.FQDN, ".")
	return slices.Contains(h.Addresses, n) || n == h.Hostname || n == h.FQDN || n == short
}

// BenchmarkMap1000Hosts maps 1,000 hosts and renders the map page: the estate a
// store will hold, whose page must render in under 200 ms.
func BenchmarkMap1000Hosts(b *testing.B) {
	in, _ := synthetic(1, 1000)
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			Build(in)
		}
	})
	m := Build(in)
	for _, f := range []string{"html", "md", "svg", "json"} {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				if err := Write(discard{}, m, f, "en", fixedTime); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			if err := Write(discard{}, Build(in), "html", "en", fixedTime); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

var fixedTime = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
