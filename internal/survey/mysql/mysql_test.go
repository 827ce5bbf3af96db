package mysql

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseVersion(t *testing.T) {
	for _, c := range []struct{ file, version, kind string }{
		{"mysqld_version_mariadb105.txt", "10.5.23-MariaDB-0+deb11u1", "mariadb"},
		{"mysql_version_mariadb105.txt", "10.5.23-MariaDB", "mariadb"},
		{"mysqld_version_el5.txt", "5.0.95", "mysql"},
		{"mysql_version_el5.txt", "5.0.95", "mysql"},
	} {
		v, k := ParseVersion(fixture(t, c.file))
		if v != c.version || k != c.kind {
			t.Errorf("%s: got %q %q, want %q %q", c.file, v, k, c.version, c.kind)
		}
	}
	if v, k := ParseVersion("bash: mysqld: command not found"); v != "" || k != "" {
		t.Errorf("garbage gave %q %q", v, k)
	}
	if MajorMinor("10.5.23-MariaDB") != "10.5" || MajorMinor("x") != "" {
		t.Error("MajorMinor")
	}
}

func TestParseOptionFile(t *testing.T) {
	f, err := ParseOptionFile("/etc/my.cnf", fixture(t, "el5_my.cnf"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Option{
		"datadir":         {Group: "mysqld", Key: "datadir", Value: "/var/lib/mysql", File: "/etc/my.cnf", Line: 2},
		"read_only":       {Group: "mysqld", Key: "read_only", Value: "", File: "/etc/my.cnf", Line: 13},
		"max_connections": {Group: "mysqld-5.0", Key: "max_connections", Value: "300", File: "/etc/my.cnf", Line: 16},
	}
	got := 0
	for _, o := range f.Options {
		if w, ok := want[o.Key]; ok && o.Group == w.Group {
			if o != w {
				t.Errorf("got %+v, want %+v", o, w)
			}
			got++
		}
	}
	if got != 3 {
		t.Errorf("found %d of 3 options", got)
	}
	f, err = ParseOptionFile("x", "stray = 1\n[mysqld]\nport = \"3307\" # q\n!include /etc/other.cnf\n!bogus\n[broken\n")
	pe, ok := err.(*kit.ParseError)
	if !ok || len(pe.Lines) != 3 || pe.Lines[0].Line != 1 || pe.Lines[1].Line != 5 || pe.Lines[2].Line != 6 {
		t.Fatalf("errors: %v", err)
	}
	if len(f.Options) != 2 || f.Options[1].Value != "3307" || len(f.Includes) != 1 || f.Includes[0].Target != "/etc/other.cnf" {
		t.Fatalf("kept: %+v", f)
	}
}

func TestMergeFollowsIncludesInOrder(t *testing.T) {
	files := Files{}
	add := func(p, text string) {
		f, _ := ParseOptionFile(p, text)
		files[p] = f
	}
	add("/etc/mysql/my.cnf", fixture(t, "legacy_mariadb.cnf"))
	add("/etc/mysql/mariadb.conf.d/50-server.cnf", fixture(t, "legacy_50-server.cnf"))
	add("/etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf", fixture(t, "legacy_50-mysqld_safe.cnf"))
	add("/etc/mysql/conf.d/zz.cnf", "[mysqld]\nmax_connections = 50\n!include /opt/db/extra.cnf\n!includedir /opt/db/conf.d\n")
	m := Merge(files, Roots)
	if strings.Join(m.Read, " ") != "/etc/mysql/my.cnf /etc/mysql/conf.d/zz.cnf /etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf /etc/mysql/mariadb.conf.d/50-server.cnf" {
		t.Fatalf("read order %v", m.Read)
	}
	if len(m.Unfollowed) != 2 || m.Unfollowed[0].Target != "/opt/db/extra.cnf" || !m.Unfollowed[1].Dir {
		t.Fatalf("unfollowed %+v", m.Unfollowed)
	}
	e := ServerSettings(m, "10.5", nil)
	// conf.d comes before mariadb.conf.d: 50-server.cnf's 200 wins over zz.cnf's 50.
	if o, _ := e.Get("max-connections"); o.Value != "200" || o.Source() != "/etc/mysql/mariadb.conf.d/50-server.cnf:46" {
		t.Errorf("max_connections %+v", o)
	}
	for _, k := range []string{"bind-address", "innodb_buffer_pool_size", "innodb_log_file_size", "socket", "datadir"} {
		if _, ok := e.Get(k); !ok {
			t.Errorf("%s missing", k)
		}
	}
	if o, _ := e.Get("bind_address"); o.Value != "0.0.0.0" || o.Source() != "/etc/mysql/mariadb.conf.d/50-server.cnf:30" {
		t.Errorf("bind-address %+v", o)
	}
	if _, ok := e.Get("nice"); ok {
		t.Error("a mysqld_safe option counted as the server's")
	}
}

func TestRole(t *testing.T) {
	f, _ := ParseOptionFile("/etc/my.cnf", fixture(t, "el5_my.cnf"))
	e := ServerSettings(Merge(Files{"/etc/my.cnf": f}, Roots), "5.0", nil)
	if r, b := Role(e, nil); r != "replica" || b != "master-host = 10.0.0.5 at /etc/my.cnf:10" {
		t.Errorf("el5 replica: %q %q", r, b)
	}
	if o, _ := e.Get("max_connections"); o.Value != "300" {
		t.Errorf("version group: %+v", o)
	}
	d, err := ParseDatadir(fixture(t, "datadir_legacy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := Role(Effective{index: map[string]int{}}, &d); r != "standalone" {
		t.Errorf("legacy: %q", r)
	}
	p, _ := ParseOptionFile("/etc/my.cnf", "[mysqld]\nlog-bin\nserver-id = 1\n")
	if r, b := Role(ServerSettings(Merge(Files{"/etc/my.cnf": p}, Roots), "", nil), &d); r != "primary" || !strings.Contains(b, "/etc/my.cnf:2") {
		t.Errorf("primary: %q %q", r, b)
	}
	d.Entries = append(d.Entries, kit.Entry{Type: 'f', Name: "relay-log.info"})
	if r, _ := Role(Effective{index: map[string]int{}}, &d); r != "replica" {
		t.Errorf("relay-log.info: %q", r)
	}
}

func TestDatadirSchemas(t *testing.T) {
	d, err := ParseDatadir(fixture(t, "datadir_legacy.txt") + "d\tmy@002dapp\nd\t#innodb_temp\nsize\tx\ty\n")
	if err == nil {
		t.Error("bad size line not reported")
	}
	s := d.Schemas()
	if len(s) != 4 || s[0].Name != "mysql" || !s[0].System || *s[0].KB != 3320 || s[2].Name != "redmine" || s[2].System || *s[2].KB != 164 || s[3].Name != "my-app" || s[3].KB != nil {
		t.Fatalf("%+v", s)
	}
}

// A probe from the apparent-size era adds the whole datadir's sizes and each
// database's apparent size; a sparse ibdata1 makes them differ by far.
func TestDatadirApparentSizes(t *testing.T) {
	d, err := ParseDatadir("datadir\t/var/lib/mysql\nf\tibdata1\nd\tredmine\ntotal\t244\t2147483661\nsize\t164\tredmine\napparent\t13\tredmine\n")
	if err != nil {
		t.Fatal(err)
	}
	if d.TotalKB == nil || *d.TotalKB != 244 || d.TotalApparent == nil || *d.TotalApparent != 2147483661 {
		t.Errorf("total: %v %v", d.TotalKB, d.TotalApparent)
	}
	s := d.Schemas()
	if len(s) != 1 || *s[0].KB != 164 || s[0].Apparent == nil || *s[0].Apparent != 13 {
		t.Fatalf("%+v", s)
	}
	// An empty measurement is unknown, not zero.
	d, err = ParseDatadir("datadir\t/d\nd\tx\ntotal\t\t\napparent\t\tx\n")
	if err != nil || d.TotalKB != nil || d.TotalApparent != nil || d.Schemas()[0].Apparent != nil {
		t.Errorf("empty sizes read as %v %v %+v (%v)", d.TotalKB, d.TotalApparent, d.Schemas(), err)
	}
}

func legacyArchive(t *testing.T) *evidence.Archive {
	return kittest.Archive(
		kittest.Cmd("mysqld-version", "_data_run mysqld --version", fixture(t, "mysqld_version_mariadb105.txt")),
		kittest.Cmd("mysql-version", "_data_run mysql --version", fixture(t, "mysql_version_mariadb105.txt")),
		kittest.Cmd("mysql-datadir", "_data_mysql_datadir", fixture(t, "datadir_legacy.txt")),
		kittest.Failed(evidence.KindFile, "/etc/my.cnf", evidence.StatusAbsent, ""),
		kittest.File("/etc/mysql/my.cnf", fixture(t, "legacy_mariadb.cnf")),
		kittest.File("/etc/mysql/mariadb.conf.d/50-server.cnf", fixture(t, "legacy_50-server.cnf")),
		kittest.File("/etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf", fixture(t, "legacy_50-mysqld_safe.cnf")),
	)
}

func TestSurveyLegacy(t *testing.T) {
	in := kittest.Input(legacyArchive(t), nil)
	in.Snap.Services = []snapshot.Service{{Name: "mariadb.service", Init: "systemd"}}
	// Debian's unit runs mariadbd with no option on its command line.
	in.Snap.Processes = []snapshot.Process{{PID: 612, Comm: "mariadbd", Command: "/usr/sbin/mariadbd"}}
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionMySQL]
	if c.Status != snapshot.Collected {
		t.Fatalf("coverage %+v", c)
	}
	dbs := in.Snap.Middleware.Databases
	if len(dbs) != 1 {
		t.Fatalf("%+v", dbs)
	}
	db := dbs[0]
	if db.Kind != "mariadb" || db.Version != "10.5.23-MariaDB-0+deb11u1" || db.Bind != "0.0.0.0" || db.Port != 3306 ||
		db.Datadir != "/var/lib/mysql" || db.Socket != "/run/mysqld/mysqld.sock" || db.Role != "standalone" || db.Service != "mariadb.service" {
		t.Errorf("%+v", db)
	}
	names := []string{}
	for _, s := range db.Databases {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "mysql,performance_schema,redmine" || *db.Databases[2].Bytes != 164*1024 {
		t.Errorf("databases %+v", db.Databases)
	}
	want := map[string]string{"max_connections": "200", "innodb_buffer_pool_size": "64M", "innodb_log_file_size": "16M", "skip-external-locking": ""}
	for _, s := range db.Settings {
		if v, ok := want[s.Key]; ok {
			if s.Value != v || !strings.HasPrefix(s.Source, "/etc/mysql/mariadb.conf.d/50-server.cnf:") {
				t.Errorf("%+v", s)
			}
			delete(want, s.Key)
		}
	}
	if len(want) > 0 {
		t.Errorf("settings missing: %v", want)
	}
	if len(db.Evidence) == 0 || len(c.Evidence) == 0 {
		t.Error("no evidence cited")
	}
}

func TestSurveyDatadirDenied(t *testing.T) {
	a := legacyArchive(t)
	dd := kittest.Cmd("mysql-datadir", "_data_mysql_datadir", "datadir\t/var/lib/mysql\n")
	dd.RC, dd.Stderr = 1, []byte("/var/lib/mysql: Permission denied")
	a.Add(dd)
	in := kittest.Input(a, nil)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionMySQL]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "databases are unknown") {
		t.Fatalf("%+v", c)
	}
	if db := in.Snap.Middleware.Databases[0]; db.Role != "" || len(db.Databases) != 0 || db.Bind != "0.0.0.0" {
		t.Errorf("%+v", db)
	}
}

func absentArchive(extra ...*evidence.Item) *evidence.Archive {
	ver := kittest.Cmd("mysqld-version", "_data_run mysqld --version", "")
	ver.RC, ver.Stderr = 127, []byte("mysqld: not found")
	dd := kittest.Cmd("mysql-datadir", "_data_mysql_datadir", "datadir\t/var/lib/mysql\n")
	dd.RC, dd.Stderr = 2, []byte("/var/lib/mysql: No such file or directory")
	items := []*evidence.Item{ver, dd,
		kittest.Cmd("software-traces", "_traces ...", "program\t/usr/sbin/httpd\thttpd\n"),
		kittest.Failed(evidence.KindFile, "/etc/my.cnf", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/etc/mysql/my.cnf", evidence.StatusAbsent, ""),
	}
	a := kittest.Archive(items...)
	for _, it := range extra {
		a.Add(it)
	}
	return a
}

// surveyed is a host whose packages and services were read whole.
func surveyed(pkgs ...snapshot.Package) *snapshot.Snapshot {
	return &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"},
		Packages: append([]snapshot.Package{{Name: "bash"}}, pkgs...),
		Services: []snapshot.Service{{Name: "httpd", Init: "sysv"}},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
}

// Absent needs every kind of trace looked for and none there: one trace of any kind
// makes MySQL present (or, for my.cnf alone, not absent), and whatever could not be
// looked at leaves it unknown.
func TestSurveyNotInstalled(t *testing.T) {
	s := surveyed()
	in := kittest.Input(absentArchive(), s)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionMySQL]
	if c.Status != snapshot.NotApplicable || len(c.Evidence) != 5 {
		t.Fatalf("%+v", c)
	}
	for _, want := range []string{"no package (mysql-server-[0-9]*", "no program (mysqld, mariadbd in the program directories; _data_run mysqld --version)", "no init script or unit", "no configuration (/etc/my.cnf; /etc/mysql/my.cnf)", "no data directory (/var/lib/mysql)"} {
		if !strings.Contains(c.Reason, want) {
			t.Errorf("reason lacks %q: %s", want, c.Reason)
		}
	}

	for name, cs := range map[string]struct {
		snap  func(*snapshot.Snapshot)
		extra []*evidence.Item
		want  snapshot.Status
		found string
	}{
		"package list incomplete": {snap: func(s *snapshot.Snapshot) {
			s.Coverage[snapshot.SectionPackages] = snapshot.Coverage{Status: snapshot.Denied}
		}, want: snapshot.Unavailable},
		"services unknown": {snap: func(s *snapshot.Snapshot) { delete(s.Coverage, snapshot.SectionServices) }, want: snapshot.Unavailable},
		"init script only": {snap: func(s *snapshot.Snapshot) {
			s.Services = append(s.Services, snapshot.Service{Name: "mysqld", Init: "sysv", Path: "/etc/init.d/mysqld", Enabled: snapshot.Bool(true), EnabledState: "345"})
		}, want: snapshot.Partial, found: "init script /etc/init.d/mysqld, starts at boot (runlevels 345)"},
		"program from a tarball": {extra: []*evidence.Item{kittest.Cmd("software-traces", "_traces ...", "program\t/usr/local/mysql/bin/mysqld\t\n")},
			want: snapshot.Partial, found: "program /usr/local/mysql/bin/mysqld (no package owns it)"},
		"data directory only": {extra: []*evidence.Item{kittest.Cmd("mysql-datadir", "_data_mysql_datadir", "datadir\t/var/lib/mysql\nf\tibdata1\nd\tmysql\n")},
			want: snapshot.Partial, found: "data directory /var/lib/mysql"},
		"my.cnf only":       {extra: []*evidence.Item{kittest.File("/etc/my.cnf", "[client]\nsocket=/var/lib/mysql/mysql.sock\n")}, want: snapshot.Partial},
		"traces unreadable": {extra: []*evidence.Item{kittest.Failed(evidence.KindCmd, "software-traces", evidence.StatusTimeout, "")}, want: snapshot.TimedOut},
	} {
		s := surveyed()
		if cs.snap != nil {
			cs.snap(s)
		}
		in := kittest.Input(absentArchive(cs.extra...), s)
		New().Survey(in)
		c := in.Snap.Coverage[snapshot.SectionMySQL]
		if c.Status != cs.want {
			t.Errorf("%s: %+v", name, c)
		}
		dbs := in.Snap.Middleware.Databases
		if cs.found == "" {
			if len(dbs) != 0 {
				t.Errorf("%s: a server was reported: %+v", name, dbs)
			}
			continue
		}
		if len(dbs) != 1 || !slices.Contains(dbs[0].Presence, cs.found) || dbs[0].Version != "" || !strings.Contains(c.Reason, "version unknown") {
			t.Errorf("%s: %+v (%s)", name, dbs, c.Reason)
		}
	}

	// A server package alone makes it present, with the package's version.
	s = surveyed(snapshot.Package{Name: "mysql-server", Version: "5.0.95", Release: "5.el5_9"})
	in = kittest.Input(absentArchive(), s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionMySQL]; c.Status != snapshot.Partial || len(in.Snap.Middleware.Databases) != 1 ||
		in.Snap.Middleware.Databases[0].Version != "5.0.95" || in.Snap.Middleware.Databases[0].VersionSource != "package mysql-server 5.0.95-5.el5_9" {
		t.Fatalf("%+v %+v", c, in.Snap.Middleware.Databases)
	}
	// Amazon Linux 2023 names its MariaDB server by version; the package says whose
	// server it is when mysqld could not be run.
	s.Packages, s.Middleware = []snapshot.Package{{Name: "mariadb105-server", Version: "10.5.25"}}, snapshot.Middleware{}
	in = kittest.Input(absentArchive(), s)
	New().Survey(in)
	if dbs := in.Snap.Middleware.Databases; len(dbs) != 1 || dbs[0].Kind != "mariadb" || dbs[0].Version != "10.5.25" {
		t.Fatalf("%+v", dbs)
	}
}
