package diff

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

var (
	t0 = time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	t1 = time.Date(2024, 3, 8, 2, 0, 0, 0, time.UTC)
)

// collected marks every section collected, as a full root survey does.
func collected() map[snapshot.Section]snapshot.Coverage {
	m := map[snapshot.Section]snapshot.Coverage{}
	for _, s := range snapshot.Sections {
		m[s] = snapshot.Coverage{Status: snapshot.Collected}
	}
	return m
}

func ptime(t time.Time) *time.Time { return &t }

// centos5 is a small CentOS 5 web server as survey would read it: SysV httpd,
// mysqld and crond, a log shipper, cron jobs of two users, a kernel parameter
// its administrator set.
func centos5() *snapshot.Snapshot {
	yes, no := snapshot.Bool(true), snapshot.Bool(false)
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		CollectedAt:   t0,
		Source:        snapshot.Source{Kind: "ssh", Target: "ssh://root@old"},
		Host:          snapshot.Host{Hostname: "old", FQDN: "old.example.com"},
		OS: snapshot.OS{ID: "centos", Family: "rhel", Name: "CentOS", Version: "5.11", VersionID: "5.11",
			PrettyName: "CentOS release 5.11 (Final)", InitSystem: "sysv", PackageManager: "rpm", Timezone: "Asia/Tokyo"},
		Packages: []snapshot.Package{
			{Name: "httpd", Version: "2.2.3", Release: "91.el5.centos", Arch: "x86_64", Manager: "rpm", Evidence: "cmd:rpm"},
			{Name: "mysql-server", Version: "5.0.95", Release: "5.el5_9", Arch: "x86_64", Manager: "rpm", Evidence: "cmd:rpm"},
			{Name: "vixie-cron", Version: "4.1", Release: "81.el5", Arch: "x86_64", Manager: "rpm", Evidence: "cmd:rpm"},
		},
		Services: []snapshot.Service{
			{Name: "httpd", Init: "sysv", Enabled: yes, EnabledState: "345", Running: yes, MainPID: 2011, Path: "/etc/init.d/httpd", Evidence: []string{"list:/etc/rc3.d"}},
			{Name: "mysqld", Init: "sysv", Enabled: yes, EnabledState: "345", Running: yes, MainPID: 1811, Path: "/etc/init.d/mysqld", Evidence: []string{"list:/etc/rc3.d"}},
			{Name: "crond", Init: "sysv", Enabled: yes, EnabledState: "2345", Running: yes, MainPID: 1700, Path: "/etc/init.d/crond", Evidence: []string{"list:/etc/rc3.d"}},
			{Name: "td-agent", Init: "sysv", Enabled: yes, EnabledState: "345", Running: yes, MainPID: 2100, Path: "/etc/init.d/td-agent", Evidence: []string{"list:/etc/rc3.d"}},
			{Name: "kudzu", Init: "sysv", Enabled: no, Running: no, Path: "/etc/init.d/kudzu", Evidence: []string{"list:/etc/rc3.d"}},
		},
		Processes: []snapshot.Process{
			{PID: 1, PPID: 0, User: "root", Command: "init [3]", Comm: "init", Evidence: "cmd:ps"},
			{PID: 2011, PPID: 1, User: "root", Command: "/usr/sbin/httpd", Comm: "httpd", Service: "httpd", Started: ptime(t0.Add(-time.Hour)), Evidence: "cmd:ps"},
			{PID: 2012, PPID: 2011, User: "apache", Command: "/usr/sbin/httpd", Comm: "httpd", Service: "httpd", Evidence: "cmd:ps"},
			{PID: 2013, PPID: 2011, User: "apache", Command: "/usr/sbin/httpd", Comm: "httpd", Service: "httpd", Evidence: "cmd:ps"},
			{PID: 1700, PPID: 1, User: "root", Command: "crond", Comm: "crond", Service: "crond", Evidence: "cmd:ps"},
			{PID: 2100, PPID: 1, User: "td-agent", Command: "/usr/lib64/fluent/ruby/bin/ruby /usr/sbin/td-agent --daemon", Comm: "ruby", Service: "td-agent", Evidence: "cmd:ps"},
			{PID: 2200, PPID: 1, User: "deploy", Command: "/bin/sh /home/deploy/bin/worker.sh", Comm: "sh", Evidence: "cmd:ps"},
			// what the survey itself and a cron run leave at survey time
			{PID: 3001, PPID: 1700, User: "root", Command: "/bin/sh -c /usr/local/bin/check.sh", Comm: "sh", Evidence: "cmd:ps"},
			{PID: 3100, PPID: 3099, User: "root", Command: "sshd: root@notty", Comm: "sshd", Evidence: "cmd:ps"},
			{PID: 12, PPID: 2, User: "root", Command: "[kswapd0]", Comm: "kswapd0", Evidence: "cmd:ps"},
		},
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "0.0.0.0", Port: 80, PID: 2011, Process: "httpd", Service: "httpd", Evidence: "cmd:netstat"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 3306, PID: 1811, Process: "mysqld", Service: "mysqld", Evidence: "cmd:netstat"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 22, Process: "sshd", Evidence: "cmd:netstat"},
			{Proto: "udp", Address: "0.0.0.0", Port: 41234, Process: "rpc.statd", Evidence: "cmd:netstat"},
		},
		Kernel: snapshot.Kernel{Live: true, InForce: map[string]string{"net.core.somaxconn": "1024"}, Sysctls: []snapshot.Sysctl{
			{Key: "net.core.somaxconn", Value: "1024", State: snapshot.SysctlRead,
				Configured: &snapshot.SysctlSetting{Value: "1024", File: "/etc/sysctl.conf", Line: 12, Origin: snapshot.OriginAdmin}},
		}},
		Time: snapshot.Clock{Zone: "Asia/Tokyo", NTP: snapshot.NTP{Daemon: "ntpd", Servers: []string{"ntp.example.com"}, Evidence: []string{"file:/etc/ntp.conf"}}, Evidence: []string{"file:/etc/sysconfig/clock"}},
		CronJobs: []snapshot.CronJob{
			{Kind: "crontab", Source: "/etc/crontab", Line: 11, User: "root", Schedule: "02 4 * * *", Command: "run-parts /etc/cron.daily", Evidence: "file:/etc/crontab"},
			{Kind: "spool", Source: "/var/spool/cron/root", Line: 3, User: "root", Schedule: "30 2 * * *", Command: "/usr/local/sbin/backup.sh >/dev/null 2>&1", Zone: "Asia/Tokyo", Evidence: "file:/var/spool/cron/root"},
			{Kind: "spool", Source: "/var/spool/cron/deploy", Line: 2, User: "deploy", Schedule: "*/5 * * * *", Command: "/home/deploy/bin/sync.sh", Zone: "Asia/Tokyo", Evidence: "file:/var/spool/cron/deploy"},
			{Kind: "periodic", Source: "/etc/cron.daily/logrotate", User: "root", Schedule: "daily (02 4 * * *)", Command: "/etc/cron.daily/logrotate", Evidence: "list:/etc/cron.daily"},
		},
		Accounts: snapshot.Accounts{
			Users: []snapshot.User{
				{Name: "root", UID: 0, GID: 0, Group: "root", Home: "/root", Shell: "/bin/bash", Kind: "system", Evidence: []string{"file:/etc/passwd"},
					Keys: []snapshot.AuthorizedKey{{Type: "ssh-rsa", Fingerprint: "SHA256:aaaa", Comment: "ops@jump", Source: "/root/.ssh/authorized_keys:1", Evidence: "file:/root/.ssh/authorized_keys"}}},
				{Name: "apache", UID: 48, GID: 48, Group: "apache", Home: "/var/www", Shell: "/sbin/nologin", Kind: "system", Evidence: []string{"file:/etc/passwd"}},
				{Name: "deploy", UID: 500, GID: 500, Group: "deploy", Home: "/home/deploy", Shell: "/bin/bash", Kind: "human", Evidence: []string{"file:/etc/passwd"}},
			},
			Groups: []snapshot.Group{
				{Name: "root", GID: 0, Evidence: "file:/etc/group"},
				{Name: "deploy", GID: 500, Evidence: "file:/etc/group"},
			},
			Sudo:   []snapshot.SudoRule{{Who: "deploy", Users: []string{"deploy"}, RunAs: "ALL", Commands: []string{"ALL"}, NoPasswd: true, Source: "/etc/sudoers:99", Evidence: "file:/etc/sudoers"}},
			UIDMin: 500,
		},
		Files: snapshot.Files{Configs: []snapshot.ConfigFile{
			{Path: "/etc/httpd/conf/httpd.conf", State: "modified", Package: "httpd", Content: "Listen 80\n", Size: 10, Modified: ptime(t0), Evidence: []string{"file:/etc/httpd/conf/httpd.conf"},
				Baseline: &snapshot.ConfigBaseline{Kind: "rpmnew", Path: "/etc/httpd/conf/httpd.conf.rpmnew", Exact: true, Compared: true, Format: "apache"},
				Settings: []snapshot.SettingChange{{Key: "Listen", Change: "changed", Was: "80", Now: "8080", Line: 1}}},
		}},
		Network: snapshot.Network{
			Connections: []snapshot.Connection{
				{Proto: "tcp", RemoteAddress: "10.0.0.40", RemotePort: 24224, PID: 2100, Process: "ruby", Count: 1, Purpose: "fluentd forward", ConfigRefs: []string{"/etc/td-agent/td-agent.conf:7"}, Evidence: "cmd:netstat"},
			},
			Firewall: snapshot.Firewall{Tool: "iptables", Rules: []snapshot.FirewallRule{{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -p tcp --dport 80 -j ACCEPT", Evidence: "cmd:iptables-save"}}},
		},
		Storage: snapshot.Storage{Mounts: []snapshot.Mount{
			{Device: "/dev/sda1", MountPoint: "/", FSType: "ext3", SizeBytes: snapshotInt64(40 << 30), Evidence: []string{"file:/proc/mounts"}},
			{Device: "nas:/export/uploads", MountPoint: "/var/www/uploads", FSType: "nfs", Network: true, Evidence: []string{"file:/proc/mounts"}},
		}},
		Logs: snapshot.Logs{Shippers: []snapshot.LogShipper{
			{Name: "td-agent", Running: snapshot.Bool(true), PID: 2100, Service: "td-agent",
				Destinations: []snapshot.Endpoint{{Host: "10.0.0.40", Port: 24224, Proto: "forward", Source: "/etc/td-agent/td-agent.conf:7"}},
				Evidence:     []string{"file:/etc/td-agent/td-agent.conf"}},
		}},
		Middleware: snapshot.Middleware{
			WebServers: []snapshot.WebServer{{Kind: "apache", Version: "2.2.3", VHosts: []snapshot.VHost{
				{ServerName: "www.example.com", Listen: "*:80", DocumentRoot: "/var/www/html", Source: "/etc/httpd/conf.d/www.conf:1"},
			}, Evidence: []string{"cmd:httpd-V"}}},
			Databases: []snapshot.Database{{Kind: "mysql", Version: "5.0.95", Bind: "127.0.0.1", Port: 3306,
				Databases: []snapshot.DatabaseSchema{{Name: "mysql", System: true}, {Name: "shop", Bytes: snapshotInt64(1 << 20)}},
				Evidence:  []string{"file:/etc/my.cnf"}}},
			Mail: []snapshot.MailServer{{Kind: "postfix", Relayhost: "[mail.example.com]", Evidence: []string{"cmd:postconf"}}},
		},
		Coverage: collected(),
	}
	for _, sec := range []snapshot.Section{snapshot.SectionNginx, snapshot.SectionPostgreSQL, snapshot.SectionDovecot,
		snapshot.SectionRuby, snapshot.SectionPHP, snapshot.SectionJava, snapshot.SectionDocker, snapshot.SectionMemcached, snapshot.SectionRedis} {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.NotApplicable}
	}
	return s
}

func snapshotInt64(n int64) *int64 { return &n }

// clone is a deep copy, as reading the same JSON twice gives.
func clone(t testing.TB, s *snapshot.Snapshot) *snapshot.Snapshot {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out snapshot.Snapshot
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// debian12 is centos5's host rebuilt on Debian 12 by a careful team: the same
// things under Debian's names, on systemd.
func debian12(t testing.TB) *snapshot.Snapshot {
	s := clone(t, centos5())
	s.CollectedAt = t1
	s.Source.Target = "ssh://root@new"
	s.Host = snapshot.Host{Hostname: "new", FQDN: "new.example.com"}
	s.OS = snapshot.OS{ID: "debian", Family: "debian", Name: "Debian GNU/Linux", Version: "12.5", VersionID: "12",
		Codename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)", InitSystem: "systemd", PackageManager: "dpkg", Timezone: "Asia/Tokyo"}
	s.Packages = []snapshot.Package{
		{Name: "apache2", Version: "2.4.59-1~deb12u1", Arch: "amd64", Manager: "dpkg", Evidence: "file:/var/lib/dpkg/status"},
		{Name: "mariadb-server", Version: "1:10.11.6-0+deb12u1", Arch: "amd64", Manager: "dpkg", Evidence: "file:/var/lib/dpkg/status"},
		{Name: "cron", Version: "3.0pl1-162", Arch: "amd64", Manager: "dpkg", Evidence: "file:/var/lib/dpkg/status"},
	}
	yes := snapshot.Bool(true)
	s.Services = []snapshot.Service{
		{Name: "apache2", Init: "systemd", Enabled: yes, EnabledState: "enabled", Running: yes, MainPID: 801, Path: "/lib/systemd/system/apache2.service", Evidence: []string{"cmd:systemctl"}},
		{Name: "mariadb", Init: "systemd", Enabled: yes, EnabledState: "enabled", Running: yes, MainPID: 702, Path: "/lib/systemd/system/mariadb.service", Evidence: []string{"cmd:systemctl"}},
		{Name: "cron", Init: "systemd", Enabled: yes, EnabledState: "enabled", Running: yes, MainPID: 650, Path: "/lib/systemd/system/cron.service", Evidence: []string{"cmd:systemctl"}},
		{Name: "td-agent", Init: "systemd", Enabled: yes, EnabledState: "enabled", Running: yes, MainPID: 900, Path: "/lib/systemd/system/td-agent.service", Evidence: []string{"cmd:systemctl"}},
	}
	s.Processes = []snapshot.Process{
		{PID: 1, PPID: 0, User: "root", Command: "/sbin/init", Comm: "systemd", Evidence: "cmd:ps"},
		{PID: 801, PPID: 1, User: "root", Command: "/usr/sbin/apache2 -k start", Comm: "apache2", Service: "apache2", Evidence: "cmd:ps"},
		{PID: 802, PPID: 801, User: "www-data", Command: "/usr/sbin/apache2 -k start", Comm: "apache2", Service: "apache2", Evidence: "cmd:ps"},
		{PID: 650, PPID: 1, User: "root", Command: "/usr/sbin/cron -f", Comm: "cron", Service: "cron", Evidence: "cmd:ps"},
		{PID: 900, PPID: 1, User: "td-agent", Command: "/opt/td-agent/bin/ruby /opt/td-agent/bin/td-agent", Comm: "ruby", Service: "td-agent", Evidence: "cmd:ps"},
		{PID: 910, PPID: 1, User: "deploy", Command: "/bin/sh /home/deploy/bin/worker.sh", Comm: "sh", Evidence: "cmd:ps"},
	}
	// httpd's workers run as apache on CentOS and www-data on Debian: a real
	// difference, kept in the user test below; here the rebuild kept "apache".
	s.Processes[2].User = "apache"
	for i := range s.Listeners {
		s.Listeners[i].Evidence = "cmd:ss"
	}
	s.Listeners[0].Process, s.Listeners[0].Service = "apache2", "apache2"
	s.Listeners[1].Process, s.Listeners[1].Service = "mariadbd", "mariadb"
	s.Listeners[3].Port = 51234 // rpc.statd picks a new port at every start
	// Debian's /etc/crontab runs the periodic directories its own way.
	s.CronJobs[0] = snapshot.CronJob{Kind: "crontab", Source: "/etc/crontab", Line: 17, User: "root", Schedule: "25 6 * * *",
		Command: "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )", Evidence: "file:/etc/crontab"}
	s.CronJobs[3].Schedule = "daily (25 6 * * *)"
	s.Accounts.Users[1] = snapshot.User{Name: "www-data", UID: 33, GID: 33, Group: "www-data", Home: "/var/www", Shell: "/usr/sbin/nologin", Kind: "system", Evidence: []string{"file:/etc/passwd"}}
	s.Accounts.UIDMin = 1000
	s.Time.NTP = snapshot.NTP{Daemon: "ntpd", Servers: []string{"ntp.example.com"}, Evidence: []string{"file:/etc/ntp.conf"}}
	s.Middleware.WebServers[0].Version = "2.4.59"
	s.Middleware.Databases[0].Kind, s.Middleware.Databases[0].Version = "mariadb", "10.11.6-MariaDB"
	s.Storage.Mounts[0].Device, s.Storage.Mounts[0].FSType = "/dev/vda1", "ext4"
	s.Middleware.WebServers[0].VHosts[0].Source = "/etc/apache2/sites-enabled/www.conf:1"
	s.Files.Configs[0] = snapshot.ConfigFile{Path: "/etc/httpd/conf/httpd.conf", State: "unowned", Content: "Listen 80\n", Evidence: []string{"file:/etc/httpd/conf/httpd.conf"}}
	return s
}

// find returns the differences of a concern.
func find(r Result, concern Concern) []Difference {
	var out []Difference
	for _, d := range r.Differences {
		if d.Concern == concern {
			out = append(out, d)
		}
	}
	return out
}

func describe(ds []Difference) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("\n  " + string(d.Kind) + " " + string(d.Concern) + " " + d.Item)
		if d.Field != "" {
			b.WriteString(" [" + d.Field + ": " + d.Old + " → " + d.New + "]")
		}
	}
	return b.String()
}

func TestCrossDistributionRebuildIsEqual(t *testing.T) {
	r := Compare(centos5(), debian12(t))
	if !r.CrossPlatform {
		t.Errorf("centos-5 → debian-12 not seen as a change of platform: %s → %s", r.Old.Platform, r.New.Platform)
	}
	// The only differences are the ones a change of release makes by nature:
	// versions of the middleware, the filesystem, and which package set.
	for _, d := range r.Differences {
		switch {
		case d.Concern == ConcernMiddleware && d.Field == "version",
			d.Concern == ConcernMounts && d.Field == "fstype",
			d.Concern == ConcernConfigs && d.Field == "state":
		default:
			t.Errorf("unexpected difference: %s", describe([]Difference{d}))
		}
	}
	for _, c := range []Concern{ConcernServices, ConcernProcesses, ConcernListeners, ConcernCron, ConcernUsers, ConcernPackages} {
		if ds := find(r, c); len(ds) > 0 {
			t.Errorf("%s differ across distributions although the rebuild has them all:%s", c, describe(ds))
		}
	}
	if r.Packages.Matched != 3 || len(r.Packages.Unmapped) != 0 {
		t.Errorf("packages: %+v, want httpd, mysql-server and vixie-cron matched through the mapping", r.Packages)
	}
	if len(r.NotCompared) != 0 {
		t.Errorf("not compared: %+v", r.NotCompared)
	}
}

func TestDriftSameHostTwice(t *testing.T) {
	old := centos5()
	now := clone(t, old)
	// What changes between two looks at an untouched host is noise.
	now.CollectedAt = t1
	for i := range now.Processes {
		now.Processes[i].PID += 1000
		now.Processes[i].Started = ptime(t1)
	}
	now.Processes = append(now.Processes, snapshot.Process{PID: 5000, PPID: 4999, User: "root", Command: "/bin/sh /usr/local/bin/check.sh", Comm: "sh", Evidence: "cmd:ps"})
	now.Listeners[3].Port = 39999
	now.Listeners[0].Evidence = "cmd:ss"
	now.Storage.Mounts[0].SizeBytes = snapshotInt64(41 << 30)
	now.Files.Configs[0].Size, now.Files.Configs[0].Modified = 11, ptime(t1)
	now.Network.Connections[0].Count, now.Network.Connections[0].PID = 3, 7777
	now.Logs.Shippers[0].PID = 7777
	now.Middleware.Databases[0].Databases[1].Bytes = snapshotInt64(2 << 20)
	now.Evidence = map[string]snapshot.EvidenceRef{"cmd:ps": {Kind: "cmd", Source: "ps", Bytes: 1234}}

	r := Compare(old, now)
	if r.CrossPlatform {
		t.Error("the same host seen as two platforms")
	}
	if len(r.Differences) != 0 {
		t.Fatalf("noise reported as differences:%s", describe(r.Differences))
	}

	// And what did change is all that is reported.
	now.CronJobs = now.CronJobs[:2]           // deploy's crontab was lost
	now.Packages[0].Release = "92.el5.centos" // httpd was updated
	now.Accounts.Users[2].UID = 501
	r = Compare(old, now)
	want := []string{
		"missing cron deploy: */5 * * * * /home/deploy/bin/sync.sh",
		"missing cron root: daily /etc/cron.daily/logrotate",
		"changed users deploy [uid: 500 → 501]",
		"changed packages httpd [version: 2.2.3-91.el5.centos → 2.2.3-92.el5.centos]",
	}
	if got := strings.TrimPrefix(describe(r.Differences), "\n  "); got != strings.Join(want, "\n  ") {
		t.Errorf("drift:\n  %s\nwant\n  %s", got, strings.Join(want, "\n  "))
	}
	if r.Differences[3].Change != "upgrade" {
		t.Errorf("httpd 91 → 92 is %q, want upgrade", r.Differences[3].Change)
	}
}

// TestEveryConcern changes one thing on NEW per case and checks that exactly it is
// reported, as the kind it is.
func TestEveryConcern(t *testing.T) {
	for _, tc := range concernCases {
		t.Run(tc.name, func(t *testing.T) {
			old := centos5()
			new := clone(t, old)
			tc.change(new)
			r := Compare(old, new)
			got := strings.TrimPrefix(describe(r.Differences), "\n  ")
			if got != tc.want {
				t.Errorf("got\n  %s\nwant\n  %s", got, tc.want)
			}
			for _, d := range r.Differences {
				if (d.Kind != Added && len(d.OldSource) == 0) || (d.Kind != Missing && len(d.NewSource) == 0) {
					t.Errorf("%s cites no source: %+v", d.Item, d)
				}
			}
		})
	}
}

var concernCases = []struct {
	name   string
	change func(s *snapshot.Snapshot)
	want   string // as describe prints it
}{
	{"log shipper missing", func(s *snapshot.Snapshot) {
		s.Logs.Shippers = nil
	}, "missing log_shippers td-agent"},
	{"log shipper sends elsewhere", func(s *snapshot.Snapshot) {
		s.Logs.Shippers[0].Destinations[0].Host = "10.0.0.41"
	}, "changed log_shippers td-agent [destinations: 10.0.0.40:24224/forward → 10.0.0.41:24224/forward]"},
	{"cron job fires in another zone", func(s *snapshot.Snapshot) {
		s.CronJobs[1].Zone = "UTC"
	}, "changed cron root: 30 2 * * * /usr/local/sbin/backup.sh >/dev/null 2>&1 [zone: Asia/Tokyo → UTC]"},
	{"cron job of one user missing", func(s *snapshot.Snapshot) {
		s.CronJobs = append(s.CronJobs[:2], s.CronJobs[3:]...)
	}, "missing cron deploy: */5 * * * * /home/deploy/bin/sync.sh"},
	{"cron job rescheduled", func(s *snapshot.Snapshot) {
		s.CronJobs[1].Schedule = "30 3 * * *"
	}, "missing cron root: 30 2 * * * /usr/local/sbin/backup.sh >/dev/null 2>&1\n  new cron root: 30 3 * * * /usr/local/sbin/backup.sh >/dev/null 2>&1"},
	{"service stopped", func(s *snapshot.Snapshot) {
		s.Services[0].Running = snapshot.Bool(false)
	}, "changed services httpd [running: true → false]"},
	{"service missing", func(s *snapshot.Snapshot) {
		s.Services = s.Services[1:]
	}, "missing services httpd"},
	{"service added and enabled", func(s *snapshot.Snapshot) {
		s.Services = append(s.Services, snapshot.Service{Name: "cups", Init: "sysv", Enabled: snapshot.Bool(true), Running: snapshot.Bool(true), Path: "/etc/init.d/cups"})
	}, "new services cups"},
	{"listener now on all interfaces", func(s *snapshot.Snapshot) {
		s.Listeners[1].Address = "0.0.0.0"
	}, "changed listeners tcp/3306 (mysqld) [bind: loopback → all]"},
	{"listener missing", func(s *snapshot.Snapshot) {
		s.Listeners = s.Listeners[1:]
	}, "missing listeners tcp/80 (httpd)"},
	{"listener added", func(s *snapshot.Snapshot) {
		s.Listeners = append(s.Listeners, snapshot.Listener{Proto: "tcp6", Address: "::", Port: 8080, Process: "java", Evidence: "cmd:ss"})
	}, "new listeners tcp/8080 (java)"},
	{"outbound dependency gone", func(s *snapshot.Snapshot) {
		s.Network.Connections = nil
	}, "missing connections tcp 10.0.0.40:24224 (fluentd forward)"},
	{"user missing", func(s *snapshot.Snapshot) {
		s.Accounts.Users = s.Accounts.Users[:2]
	}, "missing users deploy"},
	{"group member added", func(s *snapshot.Snapshot) {
		s.Accounts.Groups[1].Members = []string{"alice"}
	}, "changed groups deploy [members: - → alice]"},
	{"sudo asks for a password now", func(s *snapshot.Snapshot) {
		s.Accounts.Sudo[0].NoPasswd = false
	}, "changed sudo deploy (ALL) ALL [nopasswd: true → false]"},
	{"authorized key missing", func(s *snapshot.Snapshot) {
		s.Accounts.Users[0].Keys = nil
	}, "missing authorized_keys root: ssh-rsa SHA256:aaaa ops@jump"},
	{"zone changed", func(s *snapshot.Snapshot) {
		s.Time.Zone = "UTC"
	}, "changed time clock [zone: Asia/Tokyo → UTC]"},
	{"crond missed the zone change", func(s *snapshot.Snapshot) {
		s.Time.StaleDaemons = []snapshot.StaleDaemon{{PID: 99, Command: "crond", Started: t0}}
	}, "changed time clock [stale_daemons: - → crond]"},
	{"kernel parameter in force differs", func(s *snapshot.Snapshot) {
		s.Kernel.InForce["net.core.somaxconn"] = "4096"
	}, "changed sysctl net.core.somaxconn [value: 1024 → 4096]"},
	{"vhost missing", func(s *snapshot.Snapshot) {
		s.Middleware.WebServers[0].VHosts = nil
	}, "missing middleware apache vhost www.example.com *:80"},
	{"database schema missing", func(s *snapshot.Snapshot) {
		s.Middleware.Databases[0].Databases = s.Middleware.Databases[0].Databases[:1]
	}, "missing middleware mysql database shop"},
	{"relay host changed", func(s *snapshot.Snapshot) {
		s.Middleware.Mail[0].Relayhost = ""
	}, "changed middleware postfix [relayhost: [mail.example.com] → -]"},
	{"network mount missing", func(s *snapshot.Snapshot) {
		s.Storage.Mounts = s.Storage.Mounts[:1]
	}, "missing mounts /var/www/uploads"},
	{"firewall rule missing", func(s *snapshot.Snapshot) {
		s.Network.Firewall.Rules = nil
	}, "missing firewall filter INPUT: -A INPUT -p tcp --dport 80 -j ACCEPT"},
	{"config edited", func(s *snapshot.Snapshot) {
		s.Files.Configs[0].Content = "Listen 8080\n"
	}, "changed config_files /etc/httpd/conf/httpd.conf [content: sha256:c6f0738612c0 → sha256:b66f5abdf02f]"},
	// The administrator's settings, where both sides compared the file with its
	// packaged version (the fixture's old side says Listen 80 was changed to 8080).
	{"config settings differ", func(s *snapshot.Snapshot) {
		s.Files.Configs[0].Settings = []snapshot.SettingChange{{Key: "Listen", Change: "changed", Was: "80", Now: "8081"}}
	}, "changed config_files /etc/httpd/conf/httpd.conf [settings: Listen = 8080 → Listen = 8081]"},
	{"config settings unknown on one side", func(s *snapshot.Snapshot) {
		s.Files.Configs[0].Baseline = &snapshot.ConfigBaseline{Kind: "none", Why: "not on the host"}
		s.Files.Configs[0].Settings = nil
	}, ""},
	{"daemon not running", func(s *snapshot.Snapshot) {
		s.Processes = append(s.Processes[:6], s.Processes[7:]...)
	}, "missing processes worker.sh"},
	{"workers under another user", func(s *snapshot.Snapshot) {
		s.Processes[2].User, s.Processes[3].User = "www-data", "www-data"
	}, "changed processes service httpd [users: apache, root → root, www-data]"},
	{"package downgraded", func(s *snapshot.Snapshot) {
		s.Packages[1].Version = "5.0.77"
	}, "changed packages mysql-server [version: 5.0.95-5.el5_9 → 5.0.77-5.el5_9]"},
	{"package removed", func(s *snapshot.Snapshot) {
		s.Packages = s.Packages[:2]
	}, "missing packages vixie-cron"},
}

func TestNotCollectedIsNotMissing(t *testing.T) {
	old := centos5()
	new := clone(t, old)
	new.CronJobs = nil
	new.Coverage[snapshot.SectionCron] = snapshot.Coverage{Status: snapshot.Denied, Reason: "/var/spool/cron is root's and the probe ran as deploy"}
	new.Logs.Shippers = nil
	delete(new.Coverage, snapshot.SectionShippers)
	// and OLD did not read sudoers: what NEW has there is not "new"
	old.Coverage[snapshot.SectionSudo] = snapshot.Coverage{Status: snapshot.Partial, Reason: "an include could not be read"}

	r := Compare(old, new)
	if len(r.Differences) != 0 {
		t.Errorf("differences from sections not collected:%s", describe(r.Differences))
	}
	var got []string
	for _, g := range r.NotCompared {
		got = append(got, string(g.Concern)+"/"+g.Side+"/"+string(g.Status)+"/"+strings.Join(g.Undecided, ";"))
	}
	want := []string{
		"log_shippers/new//td-agent",
		"cron/new/denied/deploy: */5 * * * * /home/deploy/bin/sync.sh;root: 30 2 * * * /usr/local/sbin/backup.sh >/dev/null 2>&1;root: daily /etc/cron.daily/logrotate",
		"sudo/old/partial/", // the rule is on both: compared all the same
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("not compared:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var md strings.Builder
	if err := renderMarkdown(&md, r, "en"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "not compared: NEW's cron section was denied (/var/spool/cron is root's and the probe ran as deploy)") {
		t.Errorf("the report does not say why cron was not compared:\n%s", md.String())
	}
}

func TestOrderMissingFirstByImpact(t *testing.T) {
	old := centos5()
	new := clone(t, old)
	new.Packages = new.Packages[:2]
	new.Logs.Shippers = nil
	new.Listeners = new.Listeners[1:]
	new.CronJobs = new.CronJobs[:2]
	new.Services[0].Running = snapshot.Bool(false)
	new.Listeners = append(new.Listeners, snapshot.Listener{Proto: "tcp", Address: "127.0.0.1", Port: 6379, Process: "redis-server", Evidence: "cmd:ss"},
		snapshot.Listener{Proto: "tcp", Address: "0.0.0.0", Port: 8080, Process: "java", Evidence: "cmd:ss"})
	r := Compare(old, new)
	var got []string
	for _, d := range r.Differences {
		got = append(got, string(d.Kind)+" "+string(d.Concern))
	}
	want := []string{
		"missing log_shippers", "missing cron", "missing cron", "missing listeners", "missing packages",
		"changed services",
		"new listeners", // 8080 on all interfaces, before 6379 on loopback
		"new listeners",
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("order:\n%s\nwant\n%s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	if last := r.Differences[len(r.Differences)-2]; last.Notable != "all_interfaces" || !strings.HasPrefix(last.Item, "tcp/8080") {
		t.Errorf("the listener open to all first among the new: %+v", last)
	}
}

func TestCrossPlatformPackages(t *testing.T) {
	old := centos5()
	old.Packages = append(old.Packages,
		snapshot.Package{Name: "mod_ssl", Version: "2.2.3", Release: "91.el5.centos", Manager: "rpm", Evidence: "cmd:rpm"},
		snapshot.Package{Name: "acme-inhouse-tools", Version: "1.0", Release: "1", Manager: "rpm", Evidence: "cmd:rpm"},
	)
	new := debian12(t)
	new.Packages = new.Packages[1:] // apache2 not installed
	r := Compare(old, new)
	ds := find(r, ConcernPackages)
	if len(ds) != 1 || ds[0].Kind != Missing || ds[0].Item != "httpd → apache2" {
		t.Errorf("packages:%s\nwant httpd → apache2 missing", describe(ds))
	}
	if strings.Join(r.Packages.Unmapped, " ") != "acme-inhouse-tools" {
		t.Errorf("unmapped = %q", r.Packages.Unmapped)
	}
	if strings.Join(r.Packages.Dropped, " ") != "mod_ssl" {
		t.Errorf("dropped = %q, want mod_ssl (part of apache2 on Debian)", r.Packages.Dropped)
	}
}

func TestLabelsComplete(t *testing.T) {
	for k := range labels["en"] {
		if _, ok := labels["ja"][k]; !ok {
			t.Errorf("ja lacks %q", k)
		}
	}
	for k := range labels["ja"] {
		if _, ok := labels["en"][k]; !ok {
			t.Errorf("ja has %q, which en lacks", k)
		}
	}
	// Every concern and field the comparison reports has a label.
	for _, c := range Concerns {
		if _, ok := labels["en"][string(c)]; !ok {
			t.Errorf("no label for concern %s", c)
		}
	}
	for _, tc := range concernCases {
		old := centos5()
		new := clone(t, old)
		tc.change(new)
		for _, d := range Compare(old, new).Differences {
			if _, ok := labels["en"]["f_"+d.Field]; d.Field != "" && !ok {
				t.Errorf("no label for field %s", d.Field)
			}
		}
	}
}
