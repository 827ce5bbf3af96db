package spec

import (
	"slices"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A shipper's destinations are all expected; the ones it had a connection
// established to (by address, or by a name /etc/hosts gives the address) are kept
// apart, with the peer as ss writes it, for goss to check by the connection.
func TestDeriveShipperConnections(t *testing.T) {
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "old"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionShippers: {Status: snapshot.Collected}},
		Logs: snapshot.Logs{Shippers: []snapshot.LogShipper{{Name: "rsyslog", Running: snapshot.Bool(true), Destinations: []snapshot.Endpoint{
			{Host: "loghost", Port: 514, Proto: "tcp"}, {Host: "10.0.0.9", Port: 514, Proto: "udp"}, {Host: "10.0.0.7", Port: 6514, Proto: "tcp"},
		}}}},
		Network: snapshot.Network{Connections: []snapshot.Connection{
			{Proto: "tcp", RemoteAddress: "10.0.0.5", RemotePort: 514, RemoteNames: []string{"loghost"}},
			{Proto: "tcp", RemoteAddress: "10.0.0.7", RemotePort: 443},
		}},
	}
	sp := Derive(s, "x")
	if len(sp.Expectations) != 1 {
		t.Fatalf("%+v", sp.Expectations)
	}
	b := bodyOf[LogShipper](t, sp.Expectations[0])
	if !slices.Equal(b.Destinations, []string{"loghost:514", "10.0.0.9:514", "10.0.0.7:6514"}) || !slices.Equal(b.Connected, []string{"10.0.0.5:514"}) {
		t.Errorf("destinations %q, connected %q", b.Destinations, b.Connected)
	}
}
