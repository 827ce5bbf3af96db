package listeners

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// appServer is the process list behind ss_tuanp_workers.txt. The survey came in by
// the login 7000/7001; 7100 and 7200 are other people's.
func appServer() *snapshot.Snapshot {
	p := func(pid, ppid int, comm, cmd string) snapshot.Process {
		return snapshot.Process{PID: pid, PPID: ppid, Comm: comm, Command: cmd}
	}
	return &snapshot.Snapshot{
		Source: snapshot.Source{Kind: "ssh", Session: &snapshot.Session{
			PIDs: []int{7000, 7001, 7002, 7003}, Client: "10.0.0.5:51022", Server: "10.0.0.10:22"}},
		Processes: []snapshot.Process{
			p(1, 0, "init", "/sbin/init"),
			p(507, 1, "logship", "/usr/bin/python3 /usr/local/sbin/logship"),
			p(610, 1, "rpc.statd", "/sbin/rpc.statd"),
			p(700, 1, "sshd", "/usr/sbin/sshd -D"),
			p(1100, 1, "apache2", "/usr/sbin/apache2 -k start"),
			p(1101, 1100, "apache2", "/usr/sbin/apache2 -k start"),
			p(1102, 1100, "apache2", "/usr/sbin/apache2 -k start"),
			p(1150, 1100, "PassengerAgent", "Passenger watchdog"),
			p(1160, 1150, "PassengerAgent", "Passenger core"),
			p(1300, 1160, "ruby", "Passenger AppPreloader: /var/www/redmine"),
			p(1310, 1300, "Passenger RackA", "Passenger RackApp: /var/www/redmine"),
			p(2000, 1, "ruby", "puma 5.6.4 (tcp://127.0.0.1:3000) [app]"),
			p(2010, 2000, "ruby", "puma: cluster worker 0: 2000 [app]"),
			p(2011, 2000, "ruby", "puma: cluster worker 1: 2000 [app]"),
			p(3000, 1, "php-fpm7.4", "php-fpm: master process (/etc/php/7.4/fpm/php-fpm.conf)"),
			p(3001, 3000, "php-fpm7.4", "php-fpm: pool www"),
			p(3002, 3000, "php-fpm7.4", "php-fpm: pool www"),
			p(4000, 1, "ruby", "unicorn master -c /srv/app/config/unicorn.rb -E production -D"),
			p(4001, 4000, "ruby", "unicorn worker[0] -c /srv/app/config/unicorn.rb -E production -D"),
			p(5000, 1, "java", "/usr/bin/java -jar /opt/app/app.jar"),
			p(7100, 700, "sshd", "sshd: deploy [priv]"),
			p(7101, 7100, "sshd", "sshd: deploy@notty"),
			p(7200, 700, "sshd", "sshd: admin [priv]"),
			p(7201, 7200, "sshd", "sshd: admin@pts/1"),
		},
	}
}

func TestWorkersOwnPorts(t *testing.T) {
	a := archive(map[string]string{"uid": "0"}, ssItem(fixture(t, "ss_tuanp_workers.txt")),
		&evidence.Item{Kind: evidence.KindFile, Name: "/proc/sys/net/ipv4/ip_local_port_range", Status: evidence.StatusOK, Data: []byte("32768\t60999\n")})
	in := run(a, appServer())
	same(t, in.Snap.Listeners,
		"tcp 0.0.0.0:22 700/sshd cmd:ss",
		"tcp 0.0.0.0:80 1100/apache2 cmd:ss",
		"tcp 127.0.0.1:3000 2000/ruby cmd:ss",
		"tcp 127.0.0.1:9000 3000/php-fpm7.4 cmd:ss",
		"tcp 127.0.0.1:38211 3001/php-fpm7.4 cmd:ss",
		"tcp 0.0.0.0:40417 610/rpc.statd cmd:ss",
		"tcp 127.0.0.1:45000 5000/java cmd:ss",
		"tcp 127.0.0.1:45871 2011/ruby cmd:ss",
		"tcp 127.0.0.1:50122 4001/ruby cmd:ss",
		"tcp 127.0.0.1:53644 1310/Passenger RackA cmd:ss",
		"udp 0.0.0.0:40123 610/rpc.statd cmd:ss",
	)
	workers := map[int]string{
		38211: "PHP-FPM's master (pid 3000)",
		45871: "Puma (pid 2000)",
		50122: "Unicorn's master (pid 4000)",
		53644: "Passenger AppPreloader: /var/www/redmine (pid 1300)",
	}
	for _, l := range in.Snap.Listeners {
		parent, worker := workers[l.Port]
		switch {
		case worker && !strings.Contains(l.Ephemeral, "a child of "+parent) || worker && !strings.Contains(l.Ephemeral, "range 32768–60999, held by"):
			t.Errorf("%d: ephemeral = %q, want a worker of %s in the host's range", l.Port, l.Ephemeral, parent)
		case !worker && l.Ephemeral != "":
			// The configured ports (Puma's 3000, PHP-FPM's 9000), rpc.statd's random
			// ports on every address and a loopback port below no such server are
			// the host's to keep, or not this rule's to judge.
			t.Errorf("%d: marked ephemeral: %q", l.Port, l.Ephemeral)
		}
	}
	c := in.Snap.Coverage[snapshot.SectionListeners]
	if c.Status != snapshot.Collected || !strings.Contains(c.Reason, "left out: 1 socket of the survey itself") ||
		!strings.Contains(c.Reason, "4 ports are workers' own") || !strings.Contains(strings.Join(c.Evidence, " "), "ip_local_port_range") {
		t.Errorf("coverage %+v", c)
	}
}

// The port range is the host's: where an admin widened it, a worker's port below
// 32768 is one too, and without the range Linux's default is said to be assumed.
func TestWorkerPortRange(t *testing.T) {
	byPID := map[int]*snapshot.Process{}
	s := appServer()
	for i := range s.Processes {
		byPID[s.Processes[i].PID] = &s.Processes[i]
	}
	l := snapshot.Listener{Proto: "tcp", Address: "127.0.0.1", Port: 20001, PID: 2011}
	wide, ok := ParsePortRange("10000 65000")
	if !ok || WorkerPort(l, wide, byPID) == "" {
		t.Errorf("a worker's port in a widened range not marked")
	}
	if got := WorkerPort(l, DefaultPortRange, byPID); got != "" {
		t.Errorf("a port below the default range marked: %q", got)
	}
	l.Port = 40001
	if got := WorkerPort(l, DefaultPortRange, byPID); !strings.Contains(got, "Linux's default (the host's own range was not read)") {
		t.Errorf("default range not said: %q", got)
	}
	for _, bad := range []string{"", "1 2 3", "60999 32768", "0 10", "x y"} {
		if _, ok := ParsePortRange(bad); ok {
			t.Errorf("%q read as a range", bad)
		}
	}
}

// The survey's own sockets are told by their owners, by the sockets its way in held
// (where /proc/net names no owner), or by the SSH connection from either end.
func TestFootprintOwns(t *testing.T) {
	f := NewFootprint(&snapshot.Session{PIDs: []int{7000, 7001}, Client: "10.0.0.5:51022", Server: "[::ffff:10.0.0.10]:22", Sockets: []uint64{99}})
	ep := func(a string, p int) Endpoint { return Endpoint{Addr: a, Port: p} }
	for _, tc := range []struct {
		s    Socket
		want bool
	}{
		{Socket{Owners: []Owner{{PID: 7001}, {PID: 7000}}}, true},
		{Socket{Owners: []Owner{{PID: 7001}, {PID: 700}}}, false},
		{Socket{Owners: []Owner{{Name: "sshd"}}}, false},
		{Socket{Inode: 99}, true},
		{Socket{Local: ep("10.0.0.10", 22), Remote: ep("10.0.0.5", 51022)}, true},
		{Socket{Local: ep("::ffff:10.0.0.10", 22), Remote: ep("::ffff:10.0.0.5", 51022)}, true},
		{Socket{Local: ep("10.0.0.5", 51022), Remote: ep("10.0.0.10", 22)}, true},
		{Socket{Local: ep("10.0.0.10", 22), Remote: ep("10.0.0.5", 51030)}, false},
	} {
		if got := f.Owns(tc.s); got != tc.want {
			t.Errorf("%+v: owns = %v", tc.s, got)
		}
	}
	if NewFootprint(nil).Owns(Socket{Inode: 99, Owners: []Owner{{PID: 1}}}) {
		t.Error("no session owns a socket")
	}
}

// Passenger's application process outlives its preloader (which exits when
// idle), and is then PID 1's child: its port is still its own, chosen anew.
func TestPassengerAppAfterItsPreloader(t *testing.T) {
	app := &snapshot.Process{PID: 591, PPID: 1, Comm: "Passenger", Command: "Passenger RubyApp: /var/www/redmine"}
	byPID := map[int]*snapshot.Process{1: {PID: 1, Comm: "systemd", Command: "/usr/lib/systemd/systemd"}, 591: app}
	r := PortRange{Low: 32768, High: 60999}
	got := WorkerPort(snapshot.Listener{Proto: "tcp", Address: "127.0.0.1", Port: 36149, PID: 591}, r, byPID)
	if !strings.Contains(got, "held by Passenger RubyApp") || !strings.Contains(got, "a process of Passenger's") {
		t.Errorf("ephemeral = %q", got)
	}
	// On every address it is no worker's own port.
	if got := WorkerPort(snapshot.Listener{Proto: "tcp", Address: "0.0.0.0", Port: 36149, PID: 591}, r, byPID); got != "" {
		t.Errorf("on every address: %q", got)
	}
}
