package observe

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func at(sec int) time.Time { return time.Date(2026, 11, 21, 2, 30, sec, 0, time.UTC) }

func snap(t time.Time, procs []snapshot.Process, conns ...snapshot.Connection) *snapshot.Snapshot {
	return &snapshot.Snapshot{CollectedAt: t, Processes: procs, Network: snapshot.Network{Connections: conns},
		Evidence: map[string]snapshot.EvidenceRef{"cmd:ps": {Kind: "cmd"}}}
}

func TestMerge(t *testing.T) {
	sshd := snapshot.Process{PID: 1, User: "root", Command: "/usr/sbin/sshd -D"}
	worker := func(pid int) snapshot.Process {
		return snapshot.Process{PID: pid, User: "www-data", Command: "/usr/sbin/apache2 -k start"}
	}
	cron := snapshot.Process{PID: 900, User: "root", Command: "/bin/sh /usr/local/bin/backup.sh"}
	ship := snapshot.Connection{Proto: "tcp", RemoteAddress: "10.231.0.40", RemotePort: 24224, Process: "ruby", Count: 1}
	base := snap(at(0), []snapshot.Process{sshd, worker(10), worker(11)}, ship)
	ship2 := ship
	ship2.Count = 3
	// The backup job appears in one sample only, under another PID than it would
	// have had; a sample in the middle fails.
	cronLater := cron
	cronLater.PID = 950
	samples := []Sample{
		{At: at(1), Snap: snap(at(1), []snapshot.Process{sshd, worker(12), cron}, ship2)},
		{At: at(2), Err: errors.New("session dropped")},
		{At: at(3), Snap: snap(at(3), []snapshot.Process{{PID: 2, User: "root", Command: "/usr/sbin/sshd -D"}, worker(13)}, ship)},
	}
	Merge(base, samples, "1s")

	w := base.Window
	if w == nil || w.Samples != 3 || w.Failed != 1 || !w.Start.Equal(at(0)) || !w.End.Equal(at(3)) || w.Every != "1s" {
		t.Fatalf("window %+v", w)
	}
	var got []string
	for _, p := range base.Processes {
		got = append(got, p.Command+" pid="+itoa(p.PID)+" n="+itoa(p.Samples)+" "+p.FirstSeen.Format("05")+"-"+p.LastSeen.Format("05"))
	}
	want := []string{
		"/usr/sbin/sshd -D pid=1 n=3 00-03",
		"/usr/sbin/apache2 -k start pid=10 n=3 00-03",
		"/usr/sbin/apache2 -k start pid=11 n=3 00-03",
		"/bin/sh /usr/local/bin/backup.sh pid=900 n=1 01-01",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("processes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(base.Network.Connections) != 1 {
		t.Fatalf("connections %+v", base.Network.Connections)
	}
	c := base.Network.Connections[0]
	if c.Samples != 3 || c.Count != 3 || !c.FirstSeen.Equal(at(0)) || !c.LastSeen.Equal(at(3)) {
		t.Fatalf("connection %+v first %v last %v", c, c.FirstSeen, c.LastSeen)
	}
}

// A connection seen only in SYN-SENT stays a broken dependency with when it was
// seen; one the peer answered in any sample (by another process, even) is not.
func TestMergeUnanswered(t *testing.T) {
	syn := func(port int, proc string) snapshot.Connection {
		return snapshot.Connection{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: port, Process: proc, Count: 1, State: "SYN-SENT"}
	}
	withSyn := func(at time.Time, syns []snapshot.Connection, conns ...snapshot.Connection) *snapshot.Snapshot {
		s := snap(at, nil, conns...)
		s.Network.Unanswered = syns
		return s
	}
	base := withSyn(at(0), []snapshot.Connection{syn(514, "logship"), syn(6379, "ruby")})
	redis := snapshot.Connection{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: 6379, Process: "php-fpm7.4", Count: 1}
	samples := []Sample{
		{At: at(1), Snap: withSyn(at(1), []snapshot.Connection{syn(514, "logship")}, redis)},
		{At: at(2), Snap: withSyn(at(2), nil)},
	}
	Merge(base, samples, "1s")
	u := base.Network.Unanswered
	if len(u) != 1 || u[0].RemotePort != 514 || u[0].State != "SYN-SENT" || u[0].Samples != 2 || !u[0].LastSeen.Equal(at(1)) {
		t.Fatalf("unanswered %+v", u)
	}
	if len(base.Network.Connections) != 1 || base.Network.Connections[0].RemotePort != 6379 {
		t.Fatalf("connections %+v", base.Network.Connections)
	}
}

// A window whose every later sample failed still has the full survey.
func TestMergeAllFailed(t *testing.T) {
	base := snap(at(0), []snapshot.Process{{PID: 1, User: "root", Command: "init"}})
	Merge(base, []Sample{{Err: errors.New("timeout")}, {Err: errors.New("timeout")}}, "5m")
	if base.Window.Samples != 1 || base.Window.Failed != 2 || len(base.Processes) != 1 || base.Processes[0].Samples != 1 {
		t.Fatalf("%+v %+v", base.Window, base.Processes)
	}
}

func TestPlanSelectsLiveSteps(t *testing.T) {
	var names []string
	for _, st := range Plan() {
		if st.Name != "" {
			names = append(names, st.Name)
		} else {
			names = append(names, st.Path)
		}
	}
	if strings.Join(names, " ") != "self ps proc-ps ss netstat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 /proc/sys/net/ipv4/ip_local_port_range" {
		t.Fatalf("plan %v", names)
	}
	if s := string(Script()); !strings.Contains(s, "ps -eo") || strings.Contains(s, "\t_list ") {
		t.Fatal("the sample script is not the live steps only")
	}
}

func TestShort(t *testing.T) {
	for d, want := range map[time.Duration]string{5 * time.Minute: "5m", 24 * time.Hour: "24h", time.Second: "1s", 90 * time.Minute: "1h30m"} {
		if got := Short(d); got != want {
			t.Errorf("%v: %q", d, got)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
