package estate

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// legacy is the lab's legacy host as trowel surveyed it (internal/report's test
// data): an Apache + Redmine + MariaDB + Postfix box that forwards syslog and its
// access log to the collector and relays mail through a name only its /etc/hosts
// knows. Each call decodes a fresh copy to shape.
func legacy(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	doc, err := os.ReadFile("../report/testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// at renames a copy of a host and moves it to addr: its hostname, FQDN, interface
// address and the /etc/hosts line naming itself.
func at(s *snapshot.Snapshot, name, addr string) *snapshot.Snapshot {
	old := s.Host.Hostname
	s.Host.Hostname, s.Host.FQDN = name, name+".trowel.test"
	for i := range s.Network.Interfaces {
		if s.Network.Interfaces[i].Name == "eth0" {
			s.Network.Interfaces[i].Addresses = []string{addr + "/24"}
		}
	}
	for i, e := range s.Network.Hosts {
		if slices.Contains(e.Names, old) {
			s.Network.Hosts[i] = snapshot.HostsEntry{Address: addr, Names: []string{name + ".trowel.test", name}, Line: e.Line, Evidence: e.Evidence}
		}
	}
	return s
}

// keepServices leaves only the named services, and the listeners and processes
// that belong to them.
func keepServices(s *snapshot.Snapshot, names ...string) {
	s.Services = slices.DeleteFunc(s.Services, func(sv snapshot.Service) bool { return !slices.Contains(names, sv.Name) })
	s.Listeners = slices.DeleteFunc(s.Listeners, func(l snapshot.Listener) bool { return !slices.Contains(names, l.Service) })
}

// noApplication takes the web server, the Redmine app and their cron jobs away.
func noApplication(s *snapshot.Snapshot) {
	s.Middleware.WebServers, s.Middleware.Apps = nil, nil
	s.CronJobs = slices.DeleteFunc(s.CronJobs, func(j snapshot.CronJob) bool { return j.Kind == "spool" || j.Source == "/etc/cron.d/redmine" })
	s.Logs.Shippers = slices.DeleteFunc(s.Logs.Shippers, func(sh snapshot.LogShipper) bool { return sh.Name == "logship" })
	s.Network.Connections = slices.DeleteFunc(s.Network.Connections, func(c snapshot.Connection) bool { return c.Process == "logship" })
	s.Storage.Fstab = nil
	s.Network.Clients = nil
}

func setDatabaseHost(s *snapshot.Snapshot, host string) {
	for i, st := range s.Middleware.Apps[0].Settings {
		if st.Key == "database.host" {
			s.Middleware.Apps[0].Settings[i].Value = host
		}
	}
}

func client(addr string, port int, service string, seen snapshot.Seen) snapshot.Client {
	return snapshot.Client{Proto: "tcp", LocalPort: port, RemoteAddress: addr, Service: service, Count: 1, Seen: seen, Evidence: "cmd:ss"}
}

func connection(addr string, port int, process, purpose string, seen snapshot.Seen) snapshot.Connection {
	return snapshot.Connection{Proto: "tcp", RemoteAddress: addr, RemotePort: port, Process: process, Purpose: purpose, Count: 1, Seen: seen, Evidence: "cmd:ss"}
}

func listener(port int, service string) snapshot.Listener {
	return snapshot.Listener{Proto: "tcp", Address: "0.0.0.0", Port: port, Service: service, Process: service, Evidence: "cmd:ss"}
}

// window is an observation over a day.
var window = snapshot.Seen{
	FirstSeen: ptr(time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)),
	LastSeen:  ptr(time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)),
	Samples:   288,
}

func ptr[T any](v T) *T { return &v }

// lab is an estate made from the lab's legacy host, the way the field reports
// describe one (addresses in 10.231.0.0/24, staging in 10.232.0.0/24):
//
//   - legacy (.10) and app2 (.11) run Redmine against the database on db (.50):
//     legacy names it db.trowel.test in database.yml and was seen connected to
//     it; app2 names it by address only. Both have the same cron jobs.
//   - every host forwards syslog to the collector (.40); legacy and app2 also
//     ship the access log there, and mount its /export/backup.
//   - legacy relays mail through mailrelay.example.co.jp, which only its
//     /etc/hosts resolves (to the collector); app2's /etc/hosts lacks the line.
//   - db pushes its dumps to backup (.60) with rsync, and backup pulls from db's
//     MariaDB: a cycle.
//   - legacy asks ntp.nict.jp for the time; the gateway (.1) logs in over SSH.
//   - stg (staging, 10.232.0.10) is a copy of legacy with its own local database.
func lab(t testing.TB) []Named {
	t.Helper()
	leg := legacy(t)
	setDatabaseHost(leg, "db.trowel.test")
	keepServices(leg, "apache2", "postfix", "rsyslog", "logship", "ssh", "cron")
	leg.Middleware.Databases = nil
	leg.Network.Connections = append(leg.Network.Connections, connection("10.231.0.50", 3306, "ruby", "MySQL", window))
	leg.Time.NTP = snapshot.NTP{Daemon: "ntpd", Servers: []string{"ntp.nict.jp", "127.127.1.0"}, Config: "/etc/ntp.conf"}
	// An administrator's SSH session from the gateway (the survey's own session is
	// never in a snapshot).
	admin := client("10.231.0.1", 22, "ssh", snapshot.Seen{})
	admin.RemoteNames = []string{"gateway.trowel.test", "gateway"}
	leg.Network.Clients = append(leg.Network.Clients, admin)

	app2 := at(legacy(t), "app2", "10.231.0.11")
	setDatabaseHost(app2, "10.231.0.50")
	keepServices(app2, "apache2", "postfix", "rsyslog", "logship", "ssh", "cron")
	app2.Middleware.Databases = nil
	app2.Network.Hosts = slices.DeleteFunc(app2.Network.Hosts, func(e snapshot.HostsEntry) bool { return slices.Contains(e.Names, "mailrelay") })
	app2.Network.Clients = nil

	db := at(legacy(t), "db", "10.231.0.50")
	noApplication(db)
	keepServices(db, "mariadb", "rsyslog", "ssh", "cron")
	db.Middleware.Mail = nil
	db.Network.Clients = []snapshot.Client{
		client("10.231.0.10", 3306, "mariadb", window),
		client("10.231.0.60", 3306, "mariadb", snapshot.Seen{}),
	}
	db.Backups.Items = append(db.Backups.Items, snapshot.BackupTrace{Kind: "job", Tool: "rsync", What: "/var/backups/redmine",
		Where: "backup.trowel.test::dumps", OffHost: true, Job: "/var/spool/cron/crontabs/root:9", Evidence: []string{"file:/var/spool/cron/crontabs/root"}})

	backup := at(legacy(t), "backup", "10.231.0.60")
	noApplication(backup)
	keepServices(backup, "rsyslog", "ssh", "cron")
	backup.Middleware = snapshot.Middleware{}
	backup.Listeners = append(backup.Listeners, listener(873, "rsync"))
	backup.Network.Connections = append(backup.Network.Connections, connection("10.231.0.50", 3306, "mysqldump", "MySQL", snapshot.Seen{}))

	collector := at(legacy(t), "collector", "10.231.0.40")
	noApplication(collector)
	keepServices(collector, "ssh")
	collector.Middleware = snapshot.Middleware{}
	collector.CronJobs = nil
	collector.Logs.Shippers = nil
	collector.Network.Connections = nil
	collector.Listeners = append(collector.Listeners, listener(25, "lab-sink"), listener(514, "lab-sink"), listener(24224, "lab-sink"))
	for _, a := range []string{"10.231.0.10", "10.231.0.11", "10.231.0.50", "10.231.0.60"} {
		collector.Network.Clients = append(collector.Network.Clients, client(a, 514, "lab-sink", snapshot.Seen{}))
	}

	stg := at(legacy(t), "stg", "10.232.0.10")
	stg.Network.Clients = nil

	return []Named{
		{Name: "legacy", Group: "production", Snapshot: leg},
		{Name: "app2", Group: "production", Snapshot: app2},
		{Name: "db", Group: "production", Snapshot: db},
		{Name: "backup", Group: "production", Snapshot: backup},
		{Name: "collector", Group: "production", Snapshot: collector},
		{Name: "stg", Group: "staging", Snapshot: stg},
	}
}

// edgeBetween finds the edge from one end to the other on port; ends are host
// names or outside peers' addresses.
func edgeBetween(m *Map, from, to string, port int) (Edge, bool) {
	for _, e := range m.Edges {
		if endIs(m, e.From, from) && endIs(m, e.To, to) && e.Port == port {
			return e, true
		}
	}
	return Edge{}, false
}

func endIs(m *Map, e End, name string) bool {
	if e.Known {
		return hostByID(m, e.Host).Name == name
	}
	return peerByID(m, e.Peer).Address == name
}

func hostByID(m *Map, id string) Host {
	for _, h := range m.Hosts {
		if h.ID == id {
			return h
		}
	}
	return Host{}
}

func peerByID(m *Map, id string) Peer {
	for _, p := range m.Outside {
		if p.ID == id {
			return p
		}
	}
	return Peer{}
}

// describe prints the map's edges one a line, for failure messages.
func describe(m *Map) string {
	var b strings.Builder
	for _, e := range m.Edges {
		b.WriteString(e.From.ID() + " -> " + e.To.ID() + " " + edgeLabel(e) + "\n")
	}
	return b.String()
}
