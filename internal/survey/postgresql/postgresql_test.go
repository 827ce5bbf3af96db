package postgresql

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
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

func TestParseConf(t *testing.T) {
	s, err := ParseConf("/p.conf", fixture(t, "postgresql_conf_el7.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]snapshot.Setting{}
	for _, x := range s {
		m[x.Key] = x
	}
	if m["listen_addresses"].Value != "*" || m["port"] != (snapshot.Setting{Key: "port", Value: "5433", Source: "/p.conf:12"}) ||
		m["log_line_prefix"].Value != "< %m > " || m["max_wal_senders"].Value != "3" || len(s) != 8 {
		t.Errorf("%+v", s)
	}
	if _, err := ParseConf("x", "a = 'unterminated\nb\n"); err == nil {
		t.Error("bad lines not reported")
	}
}

func TestSurvey(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("postgres-version", "_data_pg_version", fixture(t, "postgres_version_el7.txt")),
		kittest.Cmd("postgres-datadirs", "_data_pg_datadirs", fixture(t, "datadirs_el7.txt")),
		kittest.File("/var/lib/pgsql/data/PG_VERSION", "9.2\n"),
		kittest.File("/var/lib/pgsql/data/postgresql.conf", fixture(t, "postgresql_conf_el7.txt")),
		kittest.File("/var/lib/pgsql/data/recovery.conf", "standby_mode = 'on'\nprimary_conninfo = <redacted>\n"),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionPostgreSQL]
	if c.Status != snapshot.Partial {
		t.Fatalf("%+v", c)
	}
	db := in.Snap.Middleware.Databases[0]
	if db.Version != "9.2.24" || db.Bind != "*" || db.Port != 5433 || db.Role != "replica" || len(db.Databases) != 4 ||
		!db.Databases[0].System || db.Databases[3].System || db.Databases[3].Name != "oid 16384" || *db.Databases[3].Bytes != 9332*1024 {
		t.Errorf("%+v", db)
	}
	v := kittest.Cmd("postgres-version", "_data_pg_version", "")
	v.RC = 127
	d := kittest.Cmd("postgres-datadirs", "_data_pg_datadirs", "")
	d.RC = 2
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}},
		// The client, Debian's metapackage and the headers to build extensions
		// against are no server.
		Packages: []snapshot.Package{{Name: "postgresql"}, {Name: "postgresql-client-13"}, {Name: "postgresql-server-dev-13"}}}
	traces := kittest.Cmd("software-traces", "_traces ...", "program\t/usr/bin/psql\tpostgresql\n")
	in = kittest.Input(kittest.Archive(v, d, traces), s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionPostgreSQL]; c.Status != snapshot.NotApplicable || len(c.Evidence) != 3 {
		t.Fatalf("%+v", c)
	}
	// A source build in /usr/local/pgsql, which no package lists, is there.
	traces = kittest.Cmd("software-traces", "_traces ...", "program\t/usr/local/pgsql/bin/postgres\t\n")
	in = kittest.Input(kittest.Archive(v, d, traces), s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionPostgreSQL]; c.Status == snapshot.NotApplicable {
		t.Fatalf("a PostgreSQL outside the package database was taken for absent: %+v", c)
	}
}

func FuzzParsers(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.txt")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = ParseConf("f", in)
		cs, _ := ParseDatadirs(in)
		for _, c := range cs {
			for _, o := range c.OIDs {
				if c.KB[o] < 0 {
					t.Fatal("negative")
				}
			}
		}
		_ = ParseBinaries(in)
	})
}

func TestParseBinaries(t *testing.T) {
	got := ParseBinaries("/usr/lib/postgresql/15/bin/postgres\tpostgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n" +
		"/usr/bin/postgres\tpostgres (PostgreSQL) 8.1.23\n" +
		"/usr/pgsql-9.6/bin/postgres\t\n")
	want := map[string]string{"/usr/lib/postgresql/15/bin/postgres": "15.18", "/usr/bin/postgres": "8.1.23"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: version %q, want %q", k, got[k], v)
		}
	}
}
