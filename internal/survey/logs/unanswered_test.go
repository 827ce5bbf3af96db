package logs

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// A process found only by a connection to a log port that the collector never
// answered is no shipper with a destination to carry: the network section reports
// the broken dependency; one established is a shipper.
func TestInHouseShipperNeedsAnEstablishedConnection(t *testing.T) {
	for _, tc := range []struct {
		state string
		want  int
	}{{"SYN-SENT", 0}, {"ESTAB", 1}} {
		ss := "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n" +
			"tcp " + tc.state + " 0 1 10.0.0.10:51544 10.0.9.20:514 users:((\"logship\",pid=507,fd=3))\n"
		s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"},
			Processes: []snapshot.Process{{PID: 507, PPID: 1, User: "root", Comm: "logship", Command: "/usr/local/sbin/logship"}},
			Coverage:  map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Collected}}}
		in := kittest.Input(kittest.Archive(kittest.Cmd("ss", "ss -tuanp", ss)), s)
		New().Survey(in)
		if got := len(in.Snap.Logs.Shippers); got != tc.want {
			t.Errorf("%s: %d shippers %+v", tc.state, got, in.Snap.Logs.Shippers)
		}
	}
}
