package estate

import (
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// bare is a minimal snapshot of a host at addr, every section collected.
func bare(name, fqdn, addr string) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		CollectedAt:   time.Date(2026, 11, 21, 3, 30, 0, 0, time.UTC),
		Host:          snapshot.Host{Hostname: name, FQDN: fqdn},
		Network: snapshot.Network{Interfaces: []snapshot.Interface{
			{Name: "lo", Addresses: []string{"127.0.0.1/8", "::1/128"}, Evidence: "cmd:ip-addr"},
			{Name: "eth0", Addresses: []string{addr + "/16", "fe80::1/64"}, Evidence: "cmd:ip-addr"},
		}},
		Coverage: map[snapshot.Section]snapshot.Coverage{},
	}
	for _, sec := range snapshot.Sections {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.Collected}
	}
	return s
}

// relayTo makes s relay its mail through host.
func relayTo(s *snapshot.Snapshot, host string) *snapshot.Snapshot {
	s.Middleware.Mail = append(s.Middleware.Mail, snapshot.MailServer{Kind: "postfix", Relayhost: host,
		Settings: []snapshot.Setting{{Key: "relayhost", Value: host, Source: "/etc/postfix/main.cf:3"}}})
	return s
}

func TestResolution(t *testing.T) {
	for _, tc := range []struct {
		name    string
		from    func() *snapshot.Snapshot
		others  []Named
		to      string // host name, or outside peer address; "" for no edge
		by      string
		outside bool
	}{
		{name: "by address", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "10.0.0.2") },
			to: "b", by: byAddress},
		{name: "by FQDN", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "[b.ex.com]:25") },
			to: "b", by: byFQDN},
		{name: "by short host name", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "b") },
			to: "b", by: byHostname},
		{name: "by a search domain", from: func() *snapshot.Snapshot {
			s := relayTo(bare("a", "", "10.0.0.1"), "b")
			s.Network.SearchDomains = []string{"ex.com"}
			return s
		}, to: "b", by: byFQDN},
		{name: "by /etc/hosts", from: func() *snapshot.Snapshot {
			s := relayTo(bare("a", "a.ex.com", "10.0.0.1"), "[smarthost.corp]:25")
			s.Network.Hosts = []snapshot.HostsEntry{{Address: "10.0.0.2", Names: []string{"smarthost.corp"}, Line: 4}}
			return s
		}, to: "b", by: byHostsFile},
		{name: "by /etc/hosts to an address outside", from: func() *snapshot.Snapshot {
			s := relayTo(bare("a", "a.ex.com", "10.0.0.1"), "[smarthost.corp]:25")
			s.Network.Hosts = []snapshot.HostsEntry{{Address: "192.0.2.9", Names: []string{"smarthost.corp"}, Line: 4}}
			return s
		}, to: "192.0.2.9", by: byHostsFile, outside: true},
		{name: "another host's /etc/hosts does not help", from: func() *snapshot.Snapshot {
			return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "[smarthost.corp]:25")
		}, others: []Named{{Name: "c", Snapshot: func() *snapshot.Snapshot {
			s := bare("c", "", "10.0.0.3")
			s.Network.Hosts = []snapshot.HostsEntry{{Address: "10.0.0.2", Names: []string{"smarthost.corp"}, Line: 4}}
			return s
		}()}}, to: "smarthost.corp", outside: true},
		{name: "an unknown name stays outside", from: func() *snapshot.Snapshot {
			return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "relay.isp.example")
		}, to: "relay.isp.example", outside: true},
		{name: "/etc/hosts before the estate's names", from: func() *snapshot.Snapshot {
			s := relayTo(bare("a", "a.ex.com", "10.0.0.1"), "b.ex.com")
			s.Network.Hosts = []snapshot.HostsEntry{{Address: "192.0.2.7", Names: []string{"b.ex.com"}, Line: 2}}
			return s
		}, to: "192.0.2.7", by: byHostsFile, outside: true},
		{name: "DNS first when nsswitch says so", from: func() *snapshot.Snapshot {
			s := relayTo(bare("a", "a.ex.com", "10.0.0.1"), "b.ex.com")
			s.Network.Hosts = []snapshot.HostsEntry{{Address: "192.0.2.7", Names: []string{"b.ex.com"}, Line: 2}}
			s.Network.HostsLookup = []string{"dns", "files"}
			return s
		}, to: "b", by: byFQDN},
		{name: "loopback is the host itself", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "127.0.0.1") }},
		{name: "localhost is the host itself", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "localhost:25") }},
		{name: "::1 is the host itself", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "[::1]:25") }},
		{name: "its own address", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "10.0.0.1") }},
		{name: "its own name", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "a.ex.com") }},
		{name: "an IPv4-mapped address", from: func() *snapshot.Snapshot { return relayTo(bare("a", "a.ex.com", "10.0.0.1"), "[::ffff:10.0.0.2]:25") },
			to: "b", by: byAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]Named{{Name: "a", Snapshot: tc.from()}, {Name: "b", Snapshot: bare("b", "b.ex.com", "10.0.0.2")}}, tc.others...)
			m := Build(in)
			if tc.to == "" {
				if len(m.Edges) != 0 || len(m.Outside) != 0 {
					t.Fatalf("want no edge, got\n%s outside %+v", describe(m), m.Outside)
				}
				return
			}
			if len(m.Edges) != 1 {
				t.Fatalf("want one edge, got\n%s", describe(m))
			}
			e := m.Edges[0]
			if !endIs(m, e.To, tc.to) || e.To.Known == tc.outside || !e.From.Known {
				t.Fatalf("edge to %s (outside %v), got\n%s", tc.to, tc.outside, describe(m))
			}
			r := e.Evidence[0].Resolved
			if tc.by == "" && r != nil || tc.by != "" && (r == nil || r.By != tc.by) {
				t.Errorf("resolved %+v, want by %q", r, tc.by)
			}
		})
	}
}

// TestAmbiguousAddress: private addresses are reused between environments; the
// naming host's own group decides, and where nothing decides the peer stays
// outside with the candidates named.
func TestAmbiguousAddress(t *testing.T) {
	in := []Named{
		{Name: "db-prod", Group: "production", Snapshot: bare("db", "db.prod.ex", "10.0.0.5")},
		{Name: "db-stg", Group: "staging", Snapshot: bare("db", "db.stg.ex", "10.0.0.5")},
		{Name: "app-stg", Group: "staging", Snapshot: relayTo(bare("app", "app.stg.ex", "10.0.0.9"), "10.0.0.5")},
		{Name: "tool", Snapshot: relayTo(bare("tool", "", "10.1.0.9"), "db")},
		{Name: "tool-stg", Snapshot: func() *snapshot.Snapshot {
			s := relayTo(bare("tool2", "", "10.1.0.10"), "db")
			s.Network.SearchDomains = []string{"stg.ex"}
			return s
		}()},
	}
	m := Build(in)
	if e, ok := edgeBetween(m, "tool-stg", "db-stg", 25); !ok || e.Evidence[0].Resolved.By != byFQDN {
		t.Errorf("tool-stg's search domain should pick db-stg:\n%s", describe(m))
	}
	if e, ok := edgeBetween(m, "app-stg", "db-stg", 25); !ok || !e.To.Known {
		t.Errorf("app-stg should reach its own group's db:\n%s", describe(m))
	}
	if len(m.Outside) != 1 || m.Outside[0].Address != "db" || len(m.Outside[0].Ambiguous) != 2 {
		t.Fatalf("tool's db is ambiguous: %+v\n%s", m.Outside, describe(m))
	}
}
