package presence

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// host is a host whose packages and services were read whole, with nothing of
// redis on it; each case adds one trace.
func host(traces string, items ...*evidence.Item) *kit.Input {
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"},
		Packages: []snapshot.Package{{Name: "bash", Version: "3.2"}},
		Services: []snapshot.Service{{Name: "crond", Init: "sysv"}},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Partial}}}
	a := kittest.Archive(append([]*evidence.Item{kittest.Cmd("software-traces", "_traces ...", traces)}, items...)...)
	return kittest.Input(a, s)
}

func redis(in *kit.Input) Decision {
	return Decide(in, Spec{Role: "redis", Name: "redis",
		Programs: []*evidence.Item{{Kind: evidence.KindCmd, Name: "redis-version", Command: "_data_run redis-server --version", Status: evidence.StatusOffline}},
		Configs:  []*evidence.Item{in.File("/etc/redis.conf")}})
}

func TestEveryKindOfTraceDisprovesAbsence(t *testing.T) {
	absentConf := kittest.Failed(evidence.KindFile, "/etc/redis.conf", evidence.StatusAbsent, "")
	d := redis(host("program\t/usr/sbin/httpd\thttpd\n", absentConf))
	if d.Verdict != Absent {
		t.Fatalf("nothing there: %v %s", d.Verdict, d.Reason())
	}
	for _, want := range []string{"not installed: no package (redis, redis6, redis-server, redis-tools)", "no program (redis-server in the program directories)", "no init script or unit", "no configuration (/etc/redis.conf)"} {
		if !strings.Contains(d.Reason(), want) {
			t.Errorf("reason lacks %q: %s", want, d.Reason())
		}
	}
	for name, c := range map[string]struct {
		in    *kit.Input
		want  Verdict
		found string
	}{
		"package":             {in: withPackage(host("", absentConf), "redis"), want: Present, found: "package redis 2.4.10-1.el5"},
		"program by hand":     {in: host("program\t/usr/local/bin/redis-server\t\n", absentConf), want: Present, found: "program /usr/local/bin/redis-server (no package owns it)"},
		"program of another":  {in: host("program\t/usr/bin/redis-server\tredis-tools\n", absentConf), want: Present, found: "program /usr/bin/redis-server (package redis-tools)"},
		"init script":         {in: withService(host("", absentConf), "redis"), want: Present, found: "init script /etc/init.d/redis"},
		"configuration":       {in: host("", kittest.File("/etc/redis.conf", "port 6379\n")), want: Present, found: "configuration /etc/redis.conf"},
		"unreadable config":   {in: host("", kittest.Failed(evidence.KindFile, "/etc/redis.conf", evidence.StatusDenied, "")), want: Present},
		"config out of reach": {in: host("", kittest.Failed(evidence.KindFile, "/etc/redis.conf", evidence.StatusSkipped, "refused: outside the root")), want: Unknown},
		"traces not read":     {in: host("", absentConf, kittest.Failed(evidence.KindCmd, "software-traces", evidence.StatusOffline, "")), want: Unknown},
	} {
		d := redis(c.in)
		if d.Verdict != c.want {
			t.Errorf("%s: %v, want %v (%s)", name, d.Verdict, c.want, d.Reason())
		}
		if c.found != "" && (len(d.Presence()) == 0 || d.Presence()[0] != c.found) {
			t.Errorf("%s: presence %q, want %q", name, d.Presence(), c.found)
		}
	}
}

// An older probe did not look for programs on disk: offline, nothing else can, so
// absence stays unproven.
func TestOlderProbeProvesNoAbsenceOffline(t *testing.T) {
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"}, Coverage: map[snapshot.Section]snapshot.Coverage{
		snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
	in := kittest.Input(kittest.Archive(kittest.Failed(evidence.KindFile, "/etc/redis.conf", evidence.StatusAbsent, "")), s)
	if d := redis(in); d.Verdict != Unknown || !strings.Contains(d.Reason(), "older probe") {
		t.Errorf("%v %s", d.Verdict, d.Reason())
	}
}

// A shared configuration (my.cnf, which client libraries ship) proves no server but
// keeps absence unproven, and the section says what was found.
func TestSharedConfigIsNoServer(t *testing.T) {
	in := host("", kittest.File("/etc/my.cnf", "[client]\n"))
	d := Decide(in, Spec{Role: "mysql", Name: "a MySQL server", SharedConfigs: []*evidence.Item{in.File("/etc/my.cnf")}})
	if d.Verdict != Unknown || len(d.Presence()) != 0 || !strings.Contains(d.Reason(), "/etc/my.cnf is there, which client software ships and reads too") {
		t.Fatalf("%v %q %s", d.Verdict, d.Presence(), d.Reason())
	}
	d.Cover(in, snapshot.SectionMySQL)
	if c := in.Snap.Coverage[snapshot.SectionMySQL]; c.Status != snapshot.Partial {
		t.Errorf("%+v", c)
	}
}

func TestVersionSources(t *testing.T) {
	mysql := func(in *kit.Input) (string, string) {
		return Decide(in, Spec{Role: "mysql", Name: "MySQL"}).Version(in)
	}
	for name, c := range map[string]struct {
		in         *kit.Input
		ver, where string
	}{
		"server package": {withPackage(host("doc\t/usr/share/doc/mysql-5.0.77\n"), "mysql-server"), "2.4.10", "package mysql-server 2.4.10-1.el5"},
		"program's package": {withPackage(host("program\t/usr/sbin/mysqld\tcpanel-mysql-server\n"), "cpanel-mysql-server"),
			"2.4.10", "package cpanel-mysql-server 2.4.10-1.el5, which owns /usr/sbin/mysqld"},
		"doc directory": {host("program\t/usr/local/mysql/bin/mysqld\t\ndoc\t/usr/share/doc/mysql-5.0.77\ndoc\t/usr/share/doc/mysql-5.0.95\ndoc\t/usr/share/doc/mysql-server-devel\n"),
			"5.0.95", "/usr/share/doc/mysql-5.0.95"},
		"version file": {host("program\t/usr/local/mysql/bin/mysqld\t\nversion\t/usr/local/mysql-5.1.73/bin/mysql_config\tversion='5.1.73'\n"),
			"5.1.73", "the version file /usr/local/mysql-5.1.73/bin/mysql_config"},
		"nothing says": {host("program\t/usr/local/mysql/bin/mysqld\t\n"), "", ""},
	} {
		if v, w := mysql(c.in); v != c.ver || w != c.where {
			t.Errorf("%s: %q from %q, want %q from %q", name, v, w, c.ver, c.where)
		}
	}
}

func TestParseTraces(t *testing.T) {
	got := ParseTraces("program\t/usr/sbin/mysqld\tmysql-server\ndoc\t/usr/share/doc/mysql-5.0.95\nversion\t/x/mysql_config\tversion='5'\ngarbage\nprogram\trelative\t\nprogram\t/cut")
	if len(got) != 3 || got[0].Owner != "mysql-server" || got[1].Kind != "doc" || got[2].Line != "version='5'" {
		t.Errorf("%+v", got)
	}
}

func withPackage(in *kit.Input, name string) *kit.Input {
	in.Snap.Packages = append(in.Snap.Packages, snapshot.Package{Name: name, Version: "2.4.10", Release: "1.el5", Evidence: "cmd:rpm-qa"})
	return in
}

func withService(in *kit.Input, name string) *kit.Input {
	in.Snap.Services = append(in.Snap.Services, snapshot.Service{Name: name, Init: "sysv", Path: "/etc/init.d/" + name})
	return in
}
