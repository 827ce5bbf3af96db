package links

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func pr(pid, ppid int, comm, command string) snapshot.Process {
	return snapshot.Process{PID: pid, PPID: ppid, Comm: comm, Command: command, Evidence: "cmd:ps"}
}

// el6 is a CentOS 6 host's user-space processes, as the processes surveyor leaves
// them (kernel threads and the probe gone).
func el6() []snapshot.Process {
	return []snapshot.Process{
		pr(1, 0, "init", "/sbin/init"),
		pr(501, 1, "udevd", "/sbin/udevd -d"),
		pr(1319, 1, "rsyslogd", "/sbin/rsyslogd -i /var/run/syslogd.pid -c 5"),
		pr(1401, 1, "sshd", "/usr/sbin/sshd"),
		pr(1480, 1, "master", "/usr/libexec/postfix/master"),
		pr(1488, 1480, "qmgr", "qmgr -l -t fifo -u"),
		pr(1490, 1, "crond", "crond"),
		pr(1502, 1, "sh", "/bin/sh /usr/bin/mysqld_safe --datadir=/var/lib/mysql --user=mysql"),
		pr(1604, 1502, "mysqld", "/usr/libexec/mysqld --basedir=/usr --datadir=/var/lib/mysql --user=mysql"),
		pr(1606, 1, "login", "login -- root"),
		pr(1610, 1606, "bash", "-bash"),
		pr(1650, 1, "httpd", "/usr/sbin/httpd"),
		pr(1652, 1650, "httpd", "/usr/sbin/httpd"),
		pr(1702, 1, "nginx", "nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf"),
		pr(1703, 1702, "nginx", "nginx: worker process"),
		pr(1810, 1, "ruby", "/usr/bin/ruby /usr/sbin/td-agent --daemon /var/run/td-agent/td-agent.pid"),
		pr(2240, 1650, "httpd", "[httpd] <defunct>"),
		pr(2571, 1401, "sshd", "sshd: admin [priv]"),
		pr(2573, 2571, "sshd", "sshd: admin@notty"),
		pr(2574, 2573, "sudo", "sudo -n -- /bin/sh -s"),
		pr(2600, 2573, "master", "/home/admin/bin/master --port 9000"), // not Postfix
	}
}

func sysv(names ...string) []snapshot.Service {
	var out []snapshot.Service
	for _, n := range names {
		out = append(out, snapshot.Service{Name: n, Init: "sysv", Path: "/etc/rc.d/init.d/" + n, Evidence: []string{"list:/etc/rc.d/init.d"}})
	}
	return out
}

func pkgs(names ...string) []snapshot.Package {
	var out []snapshot.Package
	for _, n := range names {
		out = append(out, snapshot.Package{Name: n, Version: "1", Manager: "rpm", Evidence: "cmd:rpm-qa"})
	}
	return out
}

func input(snap *snapshot.Snapshot) *kit.Input {
	return &kit.Input{Archive: &evidence.Archive{Complete: true, Header: map[string]string{"uid": "0"}}, Snap: snap}
}

func running(svcs []snapshot.Service) map[string]string {
	out := map[string]string{}
	for _, s := range svcs {
		v := "unknown"
		if s.Running != nil {
			v = fmt.Sprint(*s.Running)
		}
		if s.MainPID != 0 {
			v += fmt.Sprintf(" %d", s.MainPID)
		}
		out[s.Name] = v
	}
	return out
}

func TestSysVHost(t *testing.T) {
	snap := &snapshot.Snapshot{
		Source:    snapshot.Source{Kind: "ssh"},
		OS:        snapshot.OS{InitSystem: "sysv"},
		Services:  append(sysv("sshd", "httpd", "mysqld", "postfix", "crond", "rsyslog", "nginx", "td-agent", "network", "iptables", "ntpd", "foo"), snapshot.Service{Name: "rsync", Init: "xinetd"}),
		Processes: el6(),
		Packages:  pkgs("openssh-server", "httpd", "mysql-server", "postfix", "cronie", "rsyslog", "nginx", "td-agent", "initscripts", "iptables", "ntp"),
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "0.0.0.0", Port: 22, PID: 1401, Process: "sshd"},
			{Proto: "tcp6", Address: "::", Port: 80, PID: 1652, Process: "httpd"}, // a worker holds it
			{Proto: "tcp", Address: "0.0.0.0", Port: 3306, PID: 1604, Process: "mysqld"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 25, PID: 1480, Process: "master"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 8080, PID: 2573, Process: "sshd"}, // ssh -L of a session
			{Proto: "tcp", Address: "0.0.0.0", Port: 9000, PID: 2600, Process: "master"},
			{Proto: "udp", Address: "0.0.0.0", Port: 111}, // no owner known
			{Proto: "tcp", Address: "0.0.0.0", Port: 5555, PID: 7777, Process: "gone"},
		},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Collected}},
	}
	New().Survey(input(snap))

	want := map[string]string{
		"sshd": "true 1401", "httpd": "true 1650", "mysqld": "true 1502", "postfix": "true 1480",
		"crond": "true 1490", "rsyslog": "true 1319", "nginx": "true 1702", "td-agent": "true 1810",
		"network": "unknown", "iptables": "unknown", // one-shot scripts: no process proves nothing
		"ntpd":  "false", // a known daemon, and the process list is complete
		"foo":   "unknown",
		"rsync": "unknown", // xinetd starts it on demand
	}
	if got := running(snap.Services); !reflect.DeepEqual(got, want) {
		t.Errorf("running\n got %v\nwant %v", got, want)
	}

	svcOf := map[int]string{}
	for _, p := range snap.Processes {
		svcOf[p.PID] = p.Service
	}
	wantSvc := map[int]string{
		1: "", 501: "", 1319: "rsyslog", 1401: "sshd", 1480: "postfix", 1488: "postfix", 1490: "crond",
		1502: "mysqld", 1604: "mysqld", 1606: "", 1610: "", 1650: "httpd", 1652: "httpd",
		1702: "nginx", 1703: "nginx", 1810: "td-agent", 2240: "httpd",
		2571: "", 2573: "", 2574: "", 2600: "", // the session, and what was started in it
	}
	if !reflect.DeepEqual(svcOf, wantSvc) {
		t.Errorf("process services\n got %v\nwant %v", svcOf, wantSvc)
	}

	var ls []string
	for _, l := range snap.Listeners {
		ls = append(ls, fmt.Sprintf("%d %s %s", l.Port, l.Service, l.Package))
	}
	wantLs := []string{"22 sshd openssh-server", "80 httpd httpd", "3306 mysqld mysql-server", "25 postfix postfix", "8080  ", "9000  ", "111  ", "5555  "}
	if !reflect.DeepEqual(ls, wantLs) {
		t.Errorf("listeners\n got %q\nwant %q", ls, wantLs)
	}

	gotPkg := map[string]string{}
	for _, s := range snap.Services {
		gotPkg[s.Name] = s.Package
	}
	wantPkg := map[string]string{
		"sshd": "openssh-server", "httpd": "httpd", "mysqld": "mysql-server", "postfix": "postfix",
		"crond": "cronie", "rsyslog": "rsyslog", "nginx": "nginx", "td-agent": "td-agent",
		"network": "", "iptables": "iptables", "ntpd": "ntp", "foo": "", "rsync": "",
	}
	if !reflect.DeepEqual(gotPkg, wantPkg) {
		t.Errorf("service packages\n got %v\nwant %v", gotPkg, wantPkg)
	}
}

func TestIncompleteProcessListNeverSaysStopped(t *testing.T) {
	for _, cov := range []snapshot.Status{snapshot.Partial, snapshot.Unavailable, snapshot.TimedOut, ""} {
		snap := &snapshot.Snapshot{
			Source:    snapshot.Source{Kind: "ssh"},
			Services:  sysv("sshd", "ntpd"),
			Processes: el6(),
		}
		if cov != "" {
			snap.Coverage = map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: cov}}
		}
		New().Survey(input(snap))
		got := running(snap.Services)
		want := map[string]string{"sshd": "true 1401", "ntpd": "unknown"}
		if cov != snapshot.Partial {
			// Not collected at all: the process list cannot be trusted either way.
			want["sshd"] = "unknown"
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("processes %q: got %v, want %v", cov, got, want)
		}
	}
}

func TestOffline(t *testing.T) {
	snap := &snapshot.Snapshot{
		Source:   snapshot.Source{Kind: "root"},
		Services: sysv("sshd", "ntpd"),
		Packages: pkgs("openssh-server"),
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Unavailable, Reason: "offline: nothing runs on a disk image"}},
	}
	New().Survey(input(snap))
	if got := running(snap.Services); !reflect.DeepEqual(got, map[string]string{"sshd": "unknown", "ntpd": "unknown"}) {
		t.Errorf("offline running %v", got)
	}
	if snap.Services[0].Package != "openssh-server" {
		t.Errorf("offline package %q", snap.Services[0].Package)
	}
	// Processes without a collected section (a bundle replayed wrongly): still nothing.
	snap.Processes = el6()
	snap.Coverage[snapshot.SectionProcesses] = snapshot.Coverage{Status: snapshot.Collected}
	New().Survey(input(snap))
	if snap.Services[0].Running != nil {
		t.Error("a disk image has running services")
	}
}

func TestSystemdHost(t *testing.T) {
	tru, fls := snapshot.Bool(true), snapshot.Bool(false)
	snap := &snapshot.Snapshot{
		Source: snapshot.Source{Kind: "ssh"},
		OS:     snapshot.OS{InitSystem: "systemd"},
		Services: []snapshot.Service{
			{Name: "sshd.service", Init: "systemd", Running: tru, MainPID: 801},
			{Name: "nginx.service", Init: "systemd", Running: tru, MainPID: 1704},
			{Name: "mariadb.service", Init: "systemd", Running: tru, MainPID: 950},
			{Name: "old.service", Init: "systemd", Running: fls, MainPID: 1200}, // stale: not trusted
			{Name: "ntp.service", Init: "systemd", Running: fls},
			{Name: "systemd-resolved.service", Init: "systemd", Running: tru, MainPID: 612},
			{Name: "custom.service", Init: "systemd", Running: tru, MainPID: 3000, Package: "acme-agent"},
		},
		Processes: []snapshot.Process{
			pr(1, 0, "systemd", "/sbin/init"),
			pr(612, 1, "systemd-resolve", "/lib/systemd/systemd-resolved"),
			pr(801, 1, "sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"),
			pr(950, 1, "mariadbd", "/usr/sbin/mariadbd"),
			pr(1200, 1, "java", "java -jar /opt/app.jar"),
			pr(1702, 1704, "nginx", "nginx: worker process"),
			pr(1703, 1704, "nginx", "nginx: worker process"),
			pr(1704, 1, "nginx", "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"),
			pr(2571, 801, "sshd-session", "sshd-session: admin [priv]"),
			pr(3000, 1, "acme", "/opt/acme/bin/acme"),
		},
		Packages: pkgs("openssh-server", "nginx", "nginx-common", "mariadb-server", "mariadb-server-10.3", "mariadb-server-core-10.3", "ntp", "systemd"),
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "0.0.0.0", Port: 22, PID: 801, Process: "sshd"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 80, PID: 1702, Process: "nginx"},
			{Proto: "tcp6", Address: "::", Port: 3306, PID: 950, Process: "mariadbd"},
			{Proto: "tcp6", Address: "::ffff:10.0.0.1", Port: 8080, PID: 1200, Process: "java"},
			{Proto: "udp", Address: "127.0.0.53%lo", Port: 53, PID: 612, Process: "systemd-resolve"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 9100, PID: 3000, Process: "acme"},
		},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Collected}},
	}
	New().Survey(input(snap))
	svcOf := map[int]string{}
	for _, p := range snap.Processes {
		svcOf[p.PID] = p.Service
	}
	wantSvc := map[int]string{1: "", 612: "systemd-resolved.service", 801: "sshd.service", 950: "mariadb.service", 1200: "",
		1702: "nginx.service", 1703: "nginx.service", 1704: "nginx.service", 2571: "", 3000: "custom.service"}
	if !reflect.DeepEqual(svcOf, wantSvc) {
		t.Errorf("process services\n got %v\nwant %v", svcOf, wantSvc)
	}
	var ls []string
	for _, l := range snap.Listeners {
		ls = append(ls, fmt.Sprintf("%d %s %s", l.Port, l.Service, l.Package))
	}
	want := []string{
		"22 sshd.service openssh-server",
		"80 nginx.service nginx-common", // Debian's nginx is a metapackage
		"3306 mariadb.service mariadb-server-10.3",
		"8080  ",
		"53 systemd-resolved.service systemd",
		"9100 custom.service acme-agent", // a package another surveyor found is kept
	}
	if !reflect.DeepEqual(ls, want) {
		t.Errorf("listeners\n got %q\nwant %q", ls, want)
	}
	// systemd said so already: nothing is overwritten.
	if got := running(snap.Services); got["ntp.service"] != "false" || got["old.service"] != "false 1200" {
		t.Errorf("running %v", got)
	}
}

func TestProcessNamesAndMatches(t *testing.T) {
	cases := []struct {
		comm, command string
		want          []string
	}{
		{"sh", "/bin/sh /usr/bin/mysqld_safe --datadir=/var/lib/mysql", []string{"sh", "mysqld_safe"}},
		{"", "sendmail: accepting connections", []string{"sendmail"}},
		{"bash", "-bash", []string{"bash"}},
		{"python", "/usr/bin/python -Es /usr/bin/supervisord -c /etc/supervisord.conf", []string{"python", "supervisord"}},
		{"java", "java -jar x.jar", []string{"java"}},
		{"x", "", []string{"x"}},
	}
	for _, c := range cases {
		if got := processNames(c.comm, c.command); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q %q: %v, want %v", c.comm, c.command, got, c.want)
		}
	}
	if !matches(daemonsOf("postfix"), "postfix", "master", "/usr/libexec/postfix/master -w") {
		t.Error("postfix master not matched")
	}
	if matches(daemonsOf("postfix"), "postfix", "master", "/home/admin/bin/master") {
		t.Error("any master taken for postfix")
	}
	if !matches(daemonsOf("tomcat6"), "tomcat6", "java", "/usr/lib/jvm/jre/bin/java -Dcatalina.base=/usr/share/tomcat6 org.apache.catalina.startup.Bootstrap start") {
		t.Error("tomcat not matched")
	}
	if !matches(nil, "systemd-resolved", "systemd-resolve", "") {
		t.Error("a 15-character comm did not match its service")
	}
	if matches(nil, "foo", "foobar", "/usr/bin/foobar") {
		t.Error("prefix taken for a name")
	}
}

func TestPackageFor(t *testing.T) {
	set := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	cases := []struct {
		service   string
		installed map[string]bool
		want      string
	}{
		{"sshd", set("openssh-server", "openssh"), "openssh-server"},
		{"ssh.service", set("openssh-server", "ssh"), "openssh-server"},
		{"httpd", set("httpd"), "httpd"},
		{"network", set("initscripts"), ""},
		{"mysql", set("mysql-server", "mysql-server-5.5", "mysql-server-core-5.5"), "mysql-server-5.5"},
		{"mysqld", set("mysql-server"), "mysql-server"},
		{"mysql", set("mysql-server-5.5", "mysql-server-5.6"), ""}, // two: a guess
		{"postgresql-9.6", set("postgresql96-server", "postgresql-server"), "postgresql-server"},
		{"postgresql", set("postgresql-common", "postgresql-9.1"), "postgresql-common"},
		{"crond", set("vixie-cron"), "vixie-cron"},
		{"apache2", set("apache2", "apache2.2-common"), "apache2.2-common"},
		{"apache2", set("apache2"), "apache2"},
		{"getty@tty1.service", set("getty"), "getty"},
		{"nginx", set(), ""},
		{"systemd-resolved.service", set("systemd", "systemd-resolved"), "systemd-resolved"},
		{"systemd-journald.service", set("systemd"), "systemd"},
	}
	for _, c := range cases {
		if got := PackageFor(c.service, c.installed); got != c.want {
			t.Errorf("%s: %q, want %q", c.service, got, c.want)
		}
	}
}

func TestTopmostCycle(t *testing.T) {
	procs := []snapshot.Process{pr(5, 6, "httpd", "httpd"), pr(6, 5, "httpd", "httpd")}
	svcs := sysv("httpd")
	MatchRunning(svcs, procs, true)
	if svcs[0].Running == nil || !*svcs[0].Running || svcs[0].MainPID != 5 {
		t.Errorf("cycle: %+v", svcs[0])
	}
	AttributeProcesses(svcs, procs)
	var got []string
	for _, p := range procs {
		got = append(got, p.Service)
	}
	sort.Strings(got)
	if strings.Join(got, ",") != "httpd,httpd" {
		t.Errorf("cycle services %v", got)
	}
}

func TestSessionKeepsSSHDStopped(t *testing.T) {
	// sshd stopped; the session it left behind does not make it run.
	procs := []snapshot.Process{pr(1, 0, "init", "/sbin/init"), pr(2571, 1, "sshd", "sshd: admin@pts/0"), pr(2580, 2571, "bash", "-bash")}
	svcs := sysv("sshd")
	MatchRunning(svcs, procs, true)
	if svcs[0].Running == nil || *svcs[0].Running {
		t.Errorf("sshd %+v", svcs[0])
	}
}

// A service the daemon table does not know is matched by its own name, which an
// administrator's command shares: sudo in a login (or a zombie sudo left behind) does
// not make Debian's sudo boot script run, while the same name started by init does
// make its service run, and a known daemon runs wherever it was started from.
func TestCommandsRunByHandStartNoService(t *testing.T) {
	procs := []snapshot.Process{
		pr(1, 0, "init", "/sbin/init"),
		pr(500, 1, "sshd", "/usr/sbin/sshd -D"),
		pr(700, 500, "sshd", "sshd: admin [priv]"),
		pr(701, 700, "sshd", "sshd: admin@pts/0"),
		pr(702, 701, "bash", "-bash"),
		pr(703, 702, "sudo", "sudo -i"),
		pr(704, 703, "bash", "-bash"),
		pr(705, 704, "screen", "screen -r"),
		pr(706, 704, "apache2", "/usr/sbin/apache2 -X"),
		pr(710, 1, "sudo", "[sudo] <defunct>"),
		pr(800, 1, "rsync", "/usr/bin/rsync --daemon --no-detach"),
	}
	svcs := append(sysv("sudo", "screen-cleanup", "rsync"), sysv("apache2")...)
	MatchRunning(svcs, procs, true)
	for _, sv := range svcs {
		want := map[string]string{"sudo": "unknown", "screen-cleanup": "unknown", "rsync": "true", "apache2": "true"}[sv.Name]
		got := "unknown"
		if sv.Running != nil {
			got = fmt.Sprint(*sv.Running)
		}
		if got != want {
			t.Errorf("%s running = %s, want %s", sv.Name, got, want)
		}
	}
}

func daemonsOf(service string) []distro.Daemon {
	ds, _ := distro.ServiceDaemons(service)
	return ds
}
