package network

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// The application server of the listeners' fixture: the survey's own SSH connection
// is no client, another login from the same address is; a connection that never got
// past SYN-SENT is a broken dependency, not a dependency, unless another socket to
// the same endpoint is established.
func TestUnansweredAndTheSurveysOwnConnection(t *testing.T) {
	ss, err := os.ReadFile("../listeners/testdata/ss_tuanp_workers.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := &snapshot.Snapshot{
		Source: snapshot.Source{Kind: "ssh", Session: &snapshot.Session{PIDs: []int{7000, 7001}, Client: "10.0.0.5:51022", Server: "10.0.0.10:22"}},
		Processes: []snapshot.Process{
			{PID: 507, PPID: 1}, {PID: 1300, PPID: 1}, {PID: 1310, PPID: 1300},
			{PID: 2000, PPID: 1}, {PID: 2010, PPID: 2000}, {PID: 2011, PPID: 2000},
		},
	}
	in := survey(kittest.Archive(kittest.Cmd("ss", "ss -tuanp", string(ss)),
		kittest.File("/etc/logship.conf", "server = 10.0.9.20:514\n")), s)
	n := in.Snap.Network
	clients := []snapshot.Client{
		{Proto: "tcp", LocalPort: 22, RemoteAddress: "10.0.0.5", Count: 1, Evidence: "cmd:ss"},
		{Proto: "tcp", LocalPort: 22, RemoteAddress: "10.0.0.7", Count: 1, Evidence: "cmd:ss"},
	}
	if !reflect.DeepEqual(n.Clients, clients) {
		t.Errorf("clients %+v", n.Clients)
	}
	conns := []snapshot.Connection{
		{Proto: "tcp", RemoteAddress: "10.0.0.20", RemotePort: 3306, PID: 1310, Process: "Passenger RackA", Count: 1, Purpose: "MySQL", Evidence: "cmd:ss"},
		{Proto: "tcp", RemoteAddress: "10.0.0.21", RemotePort: 6379, PID: 2011, Process: "ruby", Count: 1, Purpose: "Redis", Evidence: "cmd:ss"},
	}
	if !reflect.DeepEqual(n.Connections, conns) {
		t.Errorf("connections %+v", n.Connections)
	}
	broken := []snapshot.Connection{
		{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: 514, PID: 507, Process: "logship", Count: 2, Purpose: "syslog",
			ConfigRefs: []string{"/etc/logship.conf:1"}, State: "SYN-SENT", Evidence: "cmd:ss"},
	}
	if !reflect.DeepEqual(n.Unanswered, broken) {
		t.Errorf("unanswered %+v", n.Unanswered)
	}
	if c := in.Snap.Coverage[snapshot.SectionConns]; c.Status != snapshot.Collected || !strings.Contains(c.Reason, "left out: 2 sockets of the survey itself") {
		t.Errorf("coverage %+v", c)
	}
}
