package links

import (
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// legacyLike is the lab's legacy host in miniature: Apache serving Redmine, MariaDB,
// Postfix relaying, rsyslog and an in-house shipper sending logs out, cron jobs.
func legacyLike() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Services: []snapshot.Service{
			{Name: "apache2", Init: "sysv", MainPID: 100, Package: "apache2"},
			{Name: "mariadb", Init: "sysv", MainPID: 200, Package: "mariadb-server-10.5"},
			{Name: "postfix", Init: "sysv", MainPID: 300, Package: "postfix"},
			{Name: "rsyslog", Init: "sysv", MainPID: 400, Package: "rsyslog"},
			{Name: "logship", Init: "sysv", MainPID: 500},
			{Name: "cron", Init: "sysv", MainPID: 600, Package: "cron"},
		},
		Processes: []snapshot.Process{
			{PID: 100, PPID: 1, User: "root", Command: "/usr/sbin/apache2 -k start", Service: "apache2"},
			{PID: 101, PPID: 100, User: "www-data", Command: "/usr/sbin/apache2 -k start", Service: "apache2"},
			{PID: 200, PPID: 1, User: "mysql", Command: "/usr/sbin/mariadbd", Service: "mariadb"},
			{PID: 300, PPID: 1, User: "root", Command: "/usr/lib/postfix/sbin/master -w", Service: "postfix"},
			{PID: 301, PPID: 300, User: "postfix", Command: "smtp -t unix -u -c"},
			{PID: 400, PPID: 1, User: "root", Command: "/usr/sbin/rsyslogd", Service: "rsyslog"},
			{PID: 500, PPID: 1, User: "root", Command: "python3 /usr/local/sbin/logship", Service: "logship"},
		},
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "0.0.0.0", Port: 80, PID: 100, Service: "apache2"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 3306, PID: 200, Service: "mariadb"},
			{Proto: "tcp6", Address: "::", Port: 443, PID: 100, Service: "apache2"},
		},
		Network: snapshot.Network{Connections: []snapshot.Connection{
			{Proto: "tcp", RemoteAddress: "10.231.0.40", RemotePort: 514, PID: 400, Count: 1},
			{Proto: "tcp", RemoteAddress: "10.231.0.40", RemotePort: 24224, PID: 500, Count: 1},
			{Proto: "tcp", RemoteAddress: "10.231.0.40", RemotePort: 25, PID: 301, Count: 1},
			{Proto: "tcp", RemoteAddress: "192.0.2.9", RemotePort: 443, PID: 9999, Count: 1}, // gone by now
		}},
		Middleware: snapshot.Middleware{
			WebServers: []snapshot.WebServer{{Kind: "apache", VHosts: []snapshot.VHost{{
				ServerName: "redmine.example.co.jp", DocumentRoot: "/var/www/redmine/public",
				Logs:   []string{"/var/log/apache2/access.log", "/var/log/apache2/redmine_error.log"},
				Source: "/etc/apache2/sites-enabled/redmine.conf:2",
			}}, Legacy: []snapshot.Directive{{Name: "Order", Source: "/etc/apache2/sites-enabled/redmine.conf:12"}}}},
			Databases: []snapshot.Database{{Kind: "mariadb", Datadir: "/var/lib/mysql", Configs: []string{"/etc/mysql/mariadb.conf.d/50-server.cnf"}}},
			Mail:      []snapshot.MailServer{{Kind: "postfix", Configs: []string{"/etc/postfix/main.cf"}}},
		},
		Files: snapshot.Files{Configs: []snapshot.ConfigFile{
			{Path: "/etc/apache2/conf-available/security.conf", State: "modified", Package: "apache2"},
			{Path: "/etc/logship.conf", State: "unowned"},
			{Path: "/etc/rsyslog.d/60-forward.conf", State: "unowned"},
		}},
		Logs: snapshot.Logs{
			Files:    []snapshot.LogFile{{Path: "/var/log/mysql/error.log"}, {Path: "/var/log/logship.log"}},
			Shippers: []snapshot.LogShipper{{Name: "rsyslog", Service: "rsyslog", Configs: []string{"/etc/rsyslog.conf"}}},
		},
		CronJobs: []snapshot.CronJob{
			{Source: "/var/spool/cron/crontabs/root", Line: 3, Command: "/usr/local/sbin/backup-redmine.sh >/var/log/backup-redmine.log 2>&1", Scripts: []string{"/usr/local/sbin/backup-redmine.sh"}},
			{Source: "/etc/cron.d/redmine", Line: 5, User: "www-data", Command: "find /var/www/redmine/tmp -type f -mmin +60 -delete"},
			{Source: "/var/spool/cron/crontabs/root", Line: 8, Command: "/usr/sbin/sendmail ops@example.co.jp"},
			{Source: "/etc/cron.daily/logrotate", Command: "/etc/cron.daily/logrotate"},
		},
		Backups: snapshot.Backups{Items: []snapshot.BackupTrace{{Kind: "job", Tool: "mysqldump", Job: "/var/spool/cron/crontabs/root:3"}}},
	}
}

func TestServiceViewGathersEachServicesFacts(t *testing.T) {
	s := legacyLike()
	ServiceView(s)
	got := map[string]snapshot.Service{}
	for _, sv := range s.Services {
		got[sv.Name] = sv
	}
	check := func(service, field string, have, want []string) {
		t.Helper()
		if !reflect.DeepEqual(have, want) {
			t.Errorf("%s %s = %q, want %q", service, field, have, want)
		}
	}
	a := got["apache2"]
	if a.User != "root" {
		t.Errorf("apache2 user = %q", a.User)
	}
	check("apache2", "listens", a.Listens, []string{"tcp 0.0.0.0:80", "tcp6 [::]:443"})
	check("apache2", "configs", a.Configs, []string{"/etc/apache2/conf-available/security.conf", "/etc/apache2/sites-enabled/redmine.conf"})
	check("apache2", "logs", a.Logs, []string{"/var/log/apache2/access.log", "/var/log/apache2/redmine_error.log"})
	check("apache2", "jobs", a.Jobs, []string{"/etc/cron.d/redmine:5"})

	m := got["mariadb"]
	check("mariadb", "configs", m.Configs, []string{"/etc/mysql/mariadb.conf.d/50-server.cnf"})
	check("mariadb", "jobs", m.Jobs, []string{"/var/spool/cron/crontabs/root:3"}) // mysqldump, found in the script
	check("mariadb", "listens", m.Listens, []string{"tcp 0.0.0.0:3306"})

	p := got["postfix"]
	// The smtp child has no service of its own: its parent's is found up the tree.
	check("postfix", "connects", p.Connects, []string{"tcp 10.231.0.40:25"})
	check("postfix", "jobs", p.Jobs, []string{"/var/spool/cron/crontabs/root:8"})

	l := got["logship"]
	check("logship", "connects", l.Connects, []string{"tcp 10.231.0.40:24224"})
	check("logship", "configs", l.Configs, []string{"/etc/logship.conf"})
	check("logship", "logs", l.Logs, []string{"/var/log/logship.log"})

	r := got["rsyslog"]
	check("rsyslog", "configs", r.Configs, []string{"/etc/rsyslog.conf", "/etc/rsyslog.d/60-forward.conf"})
	check("rsyslog", "connects", r.Connects, []string{"tcp 10.231.0.40:514"})

	c := got["cron"]
	check("cron", "jobs", c.Jobs, nil)

	if svc := s.Network.Connections[2].Service; svc != "postfix" {
		t.Errorf("smtp connection attributed to %q, want postfix", svc)
	}
	if svc := s.Network.Connections[3].Service; svc != "" {
		t.Errorf("a connection of a vanished process attributed to %q", svc)
	}
}

// Middleware a surveyor could not tie to a service is tied by the role its kind
// plays: PGDG's postgresql-9.6, a Software Collections httpd; never a service of
// another role.
func TestServiceViewTiesMiddlewareByRole(t *testing.T) {
	s := &snapshot.Snapshot{
		Services: []snapshot.Service{{Name: "httpd24-httpd"}, {Name: "postgresql-9.6"}, {Name: "mysqld"}},
		Middleware: snapshot.Middleware{
			WebServers: []snapshot.WebServer{{Kind: "apache", Legacy: []snapshot.Directive{{Name: "Order", Source: "/opt/rh/httpd24/root/etc/httpd/conf/httpd.conf:12"}}}},
			Databases:  []snapshot.Database{{Kind: "postgresql", Configs: []string{"/var/lib/pgsql/9.6/data/postgresql.conf"}}},
			Mail:       []snapshot.MailServer{{Kind: "postfix", Configs: []string{"/etc/postfix/main.cf"}}},
		},
	}
	ServiceView(s)
	got := map[string][]string{}
	for _, sv := range s.Services {
		got[sv.Name] = sv.Configs
	}
	want := map[string][]string{
		"httpd24-httpd":  {"/opt/rh/httpd24/root/etc/httpd/conf/httpd.conf"},
		"postgresql-9.6": {"/var/lib/pgsql/9.6/data/postgresql.conf"},
		"mysqld":         nil, // postfix's config is no database's
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("configs %q, want %q", got, want)
	}
}

func TestServiceViewWithoutServicesChangesNothing(t *testing.T) {
	s := legacyLike()
	s.Services = nil
	ServiceView(s)
	if s.Network.Connections[0].Service != "" {
		t.Error("connections attributed without any service")
	}
}

func TestNamedAfter(t *testing.T) {
	for _, c := range []struct {
		path, service, dir string
		want               bool
	}{
		{"/etc/apache2/apache2.conf", "apache2", "/etc/", true},
		{"/etc/logship.conf", "logship", "/etc/", true},
		{"/etc/logship/extra/x.conf", "logship", "/etc/", true},
		{"/etc/apache2x.conf", "apache2", "/etc/", false},
		{"/etc/ssh/sshd_config", "ssh", "/etc/", true},
		{"/etc/at.deny", "at", "/etc/", false}, // too short a name to mean anything
		{"/var/log/mysql/error.log", "mysql", "/var/log/", true},
		{"/var/log/syslog", "rsyslog", "/var/log/", false},
	} {
		if got := namedAfter(c.path, c.service, c.dir); got != c.want {
			t.Errorf("namedAfter(%q, %q) = %v, want %v", c.path, c.service, got, c.want)
		}
	}
}
