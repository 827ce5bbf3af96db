package spec

import (
	"sort"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// What the old host did not do is not expected of the new one: the settings of a
// server whose service neither ran nor started at boot (a dovecot left installed,
// stopped and disabled), my.cnf's lines on the distribution's layout, which
// helper of a service drops to nobody, and a service that runs only a while after
// something asked for it. A server whose state is not known keeps its
// settings expected: unknown is not idle.
func TestDeriveExpectsOnlyWhatTheHostDid(t *testing.T) {
	no, yes := snapshot.Bool(false), snapshot.Bool(true)
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "old"}, OS: snapshot.OS{InitSystem: "systemd"},
		Source: snapshot.Source{Kind: "ssh"},
		Coverage: map[snapshot.Section]snapshot.Coverage{
			snapshot.SectionProcesses: {Status: snapshot.Collected}, snapshot.SectionPostfix: {Status: snapshot.Collected},
			snapshot.SectionServices: {Status: snapshot.Collected},
			snapshot.SectionMySQL:    {Status: snapshot.Collected}, snapshot.SectionPostgreSQL: {Status: snapshot.Collected},
		},
		Services: []snapshot.Service{
			{Name: "dovecot", Init: "systemd", Running: no, Enabled: no, EnabledState: "disabled", State: "dead"},
			{Name: "mariadb", Init: "systemd", Running: yes, Enabled: yes, EnabledState: "enabled", State: "running"},
			{Name: "apache2", Init: "systemd", Running: yes, Enabled: yes, EnabledState: "enabled", State: "running"},
			// Asked for by timedatectl (the survey's own question) a moment before.
			{Name: "systemd-timedated", Init: "systemd", Running: yes, Enabled: no, EnabledState: "static", State: "running"},
		},
		Processes: []snapshot.Process{
			{PID: 1, User: "root", Command: "/sbin/init"},
			{PID: 200, PPID: 1, User: "www-data", Service: "apache2", Command: "/usr/sbin/apache2 -k start"},
			{PID: 210, PPID: 1, User: "nobody", Service: "apache2", Command: "Passenger ust-router"},
		},
		Middleware: snapshot.Middleware{
			Mail: []snapshot.MailServer{
				{Kind: "dovecot", Service: "dovecot", Settings: []snapshot.Setting{{Key: "listen", Value: "*", Source: "doveconf -n"}}},
				{Kind: "postfix", Service: "postfix-unknown", Settings: []snapshot.Setting{{Key: "relayhost", Value: "[relay]:25", Source: "main.cf:3"}}},
			},
			Databases: []snapshot.Database{{Kind: "mariadb", Service: "mariadb", Settings: []snapshot.Setting{
				{Key: "lc-messages-dir", Value: "/usr/local/mysql/share", Source: "/etc/my.cnf:9"},
				{Key: "max_connections", Value: "300", Source: "/etc/my.cnf:12"},
			}}},
		},
	}
	var got []string
	for _, e := range Derive(s, "old").Expectations {
		if strings.HasPrefix(e.ID, "setting:") || strings.HasPrefix(e.ID, "process:") || strings.HasPrefix(e.ID, "service:") {
			got = append(got, e.ID)
		}
	}
	sort.Strings(got)
	want := []string{"process:apache2:www-data", "service:apache2", "service:mariadb", "setting:mariadb:max_connections", "setting:postfix:relayhost"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("expected:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
