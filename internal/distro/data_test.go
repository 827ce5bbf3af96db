package distro

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestEveryDataFileLoads checks that each YAML file in data/ is embedded and read
// by the loader: a file added beside the others but left out of go:embed, or
// embedded but never decoded, would be knowledge the binary silently lacks.
func TestEveryDataFileLoads(t *testing.T) {
	onDisk, err := os.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := dataFS.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	var disk, emb []string
	for _, e := range onDisk {
		if strings.HasSuffix(e.Name(), ".yaml") {
			disk = append(disk, e.Name())
		}
	}
	for _, e := range embedded {
		emb = append(emb, e.Name())
	}
	if !slices.Equal(disk, emb) {
		t.Errorf("data/ holds %v, the binary embeds %v", disk, emb)
	}
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.services) == 0 || len(tb.packages) == 0 || len(tb.daemons) == 0 || len(tb.unitPackages) == 0 {
		t.Errorf("a table is empty: %d roles, %d package rows, %d daemons, %d unit packages",
			len(tb.services), len(tb.packages), len(tb.daemons), len(tb.unitPackages))
	}
}

// TestEveryRoleHasNames checks that every role, daemon and unit-package entry names
// what it is about, and that a role with packages says which install its server
// program and which ship its service.
func TestEveryRoleHasNames(t *testing.T) {
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tb.services {
		if r.Role == "" || len(r.On) == 0 {
			t.Errorf("role %q has no names", r.Role)
		}
		for sel, v := range r.On {
			if v == "" {
				t.Errorf("role %s: no name on %s", r.Role, sel)
			}
		}
		if len(r.packages) == 0 {
			continue
		}
		program := slices.ContainsFunc(r.packages, func(p RolePackage) bool { return p.Program })
		service := slices.ContainsFunc(r.packages, func(p RolePackage) bool { return p.Service })
		if !program || !service {
			t.Errorf("role %s: packages with its program %v, with its service %v; want both", r.Role, program, service)
		}
	}
	for s, ds := range tb.daemons {
		for _, d := range ds {
			if d.Name == "" || strings.ContainsAny(d.Name, " \t/") {
				t.Errorf("service %s: process %q is not a program's base name", s, d.Name)
			}
		}
	}
	for s, ps := range tb.unitPackages {
		if len(ps) == 0 {
			t.Errorf("service %s: no unit packages", s)
		}
	}
}

// example is a package name a pattern matches: mysql-server-[0-9]* gives
// mysql-server-5.
func example(pattern string) string {
	return strings.ReplaceAll(strings.ReplaceAll(pattern, "[0-9]", "5"), "*", "")
}

// TestNoPackageInTwoRoles: a package installs one role's server, so whose server a
// package is (ServerFlavor, RolePackages) has one answer.
func TestNoPackageInTwoRoles(t *testing.T) {
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range tb.services {
		for _, p := range r.packages {
			name := example(p.Pattern)
			if !p.Matches(name) {
				t.Fatalf("example(%q) = %q does not match it", p.Pattern, name)
			}
			for j, o := range tb.services {
				if j == i {
					continue
				}
				for _, op := range o.packages {
					if op.Matches(name) {
						t.Errorf("%s of role %s is also %s of role %s", name, r.Role, op.Pattern, o.Role)
					}
				}
			}
		}
	}
}

// TestServerPackagesMap: every package that installs a role's server and ships its
// service is one the package table maps, to what the role's own name maps to, so
// codify rebuilds the same server whichever of them the source had.
func TestServerPackagesMap(t *testing.T) {
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	from := []Platform{{"centos", "5"}, {"centos", "7"}, {"debian", "11"}}
	for _, r := range tb.services {
		for _, p := range r.packages {
			if !p.Program || !p.Service {
				continue
			}
			canonical := example(r.packages[0].Pattern)
			for _, f := range from {
				for _, to := range Targets() {
					// A server the target does not package (Docker on EL9) maps from
					// none of its packages, alike.
					want, wantMapped := PackagesOn(canonical, f, to)
					got, mapped := PackagesOn(example(p.Pattern), f, to)
					if mapped != wantMapped || !slices.Equal(got, want) {
						t.Errorf("%s (role %s) from %s on %s: %q, %v; want %q as %s", example(p.Pattern), r.Role, f, to, got, mapped, want, canonical)
					}
				}
			}
		}
	}
}

func TestServerPackages(t *testing.T) {
	for _, c := range []struct {
		role      string
		installed []string
		want      bool
	}{
		{"mysql", []string{"mysql-server"}, true},                                      // CentOS 5/6
		{"mysql", []string{"mariadb-server"}, true},                                    // CentOS 7
		{"mariadb", []string{"mariadb-server-10.5", "mariadb-server-core-10.5"}, true}, // Debian 11
		{"mysqld", []string{"mariadb-server-core"}, true},                              // Debian 12, the program alone
		{"mysql", []string{"MySQL-server-community"}, true},
		{"mysql", []string{"Percona-Server-server-57"}, true},
		{"mysql", []string{"mysql", "mysql-libs", "mariadb-client-10.5", "mysql-common", "default-mysql-server"}, false},
		{"postgresql", []string{"postgresql-server"}, true},
		{"postgresql", []string{"postgresql96-server"}, true},
		{"postgresql", []string{"postgresql-15", "postgresql-common"}, true},
		{"postgresql", []string{"postgresql-9.6"}, true},
		{"postgresql-15", []string{"rh-postgresql96-postgresql-server"}, true},
		// The client, Debian's metapackage, the units alone and headers to build
		// extensions are no server.
		{"postgresql", []string{"postgresql", "postgresql-common", "postgresql-client-15", "postgresql-server-dev-15", "postgresql-server-devel"}, false},
		{"nginx", []string{"nginx"}, true},
		{"nginx", []string{"nginx-common"}, false}, // configuration only
		{"redis", []string{"redis-tools"}, true},   // Debian: the program is there
		{"redis", []string{"redis-server"}, false}, // the unit alone
		{"apache", []string{"apache2", "apache2-utils", "apache2-data"}, false},
		{"apache", []string{"apache2-bin"}, true},
	} {
		pats := ServerPackages(c.role)
		got := false
		for _, n := range c.installed {
			for _, p := range pats {
				if (RolePackage{Pattern: p}).Matches(n) {
					got = true
				}
			}
		}
		if got != c.want {
			t.Errorf("ServerPackages(%q) %q match %v: %v, want %v", c.role, pats, c.installed, got, c.want)
		}
	}
}

func TestServerFlavor(t *testing.T) {
	for pkg, want := range map[string]string{
		"mysql-server": "mysql", "mysql-server-5.5": "mysql", "mysql-server-core-5.5": "mysql",
		"mysql-community-server": "mysql", "MySQL-server": "mysql", "MySQL-server-community": "mysql",
		"mariadb-server": "mariadb", "mariadb-server-10.5": "mariadb", "mariadb-server-core": "mariadb", "MariaDB-server": "mariadb",
		"Percona-Server-server-57": "percona", "percona-server-server": "percona",
		"postgresql-server": "postgresql", "postgresql15-server": "postgresql", "postgresql-9.6": "postgresql",
		"postgresql-15": "postgresql",
		// No server program: the unit alone, a metapackage, a client, a library.
		"postgresql-common": "", "postgresql": "", "postgresql-15-postgis-3": "", "default-mysql-server": "",
		"mariadb-client-10.5": "", "libmariadb3": "", "mysql": "", "httpd-tools": "", "apache2": "",
		"httpd": "apache", "nginx-full": "nginx",
	} {
		if got := ServerFlavor(pkg); got != want {
			t.Errorf("ServerFlavor(%q) = %q, want %q", pkg, got, want)
		}
	}
}

func TestDaemonTables(t *testing.T) {
	ds, known := ServiceDaemons("postfix")
	if !known || len(ds) != 1 || ds[0] != (Daemon{Name: "master", Args: "postfix"}) {
		t.Errorf("postfix: %v, %v", ds, known)
	}
	ds, _ = ServiceDaemons("httpd")
	if !slices.Equal(ds, []Daemon{{Name: "httpd"}, {Name: "httpd.worker"}, {Name: "httpd.event"}}) {
		t.Errorf("httpd: %v", ds)
	}
	if _, known := ServiceDaemons("network"); known {
		t.Error("a one-shot script is listed as a daemon")
	}
	ds[0].Name = "changed"
	if again, _ := ServiceDaemons("httpd"); again[0].Name != "httpd" {
		t.Error("the table was changed through a result")
	}
	// Unit packages of a role come from services.yaml, those that ship its service.
	my, _ := UnitPackages("mysql")
	if len(my) == 0 || my[0] != "mysql-server-[0-9]*" || slices.Contains(my, "mysql-server-core-[0-9]*") {
		t.Errorf("mysql unit packages: %q", my)
	}
	pg, _ := UnitPackages("postgresql")
	if !slices.Contains(pg, "postgresql-common") || slices.Contains(pg, "postgresql-[0-9][0-9]") {
		t.Errorf("postgresql unit packages: %q", pg)
	}
	if _, listed := UnitPackages("httpd"); listed {
		t.Error("httpd's package is its own name, yet it is listed")
	}
}

func TestIsMTA(t *testing.T) {
	for name, want := range map[string]bool{
		"postfix": true, "postfix.service": true, "exim4": true, "exim": true, "sendmail": true,
		"dovecot": false, "mysql": false, "": false, "myapp": false,
	} {
		if got := IsMTA(name); got != want {
			t.Errorf("IsMTA(%q) = %v", name, got)
		}
	}
}

// TestDatabaseFamily pins what diff and verify ask: MariaDB replaced MySQL under the
// same role, and a migration does the same.
func TestDatabaseFamily(t *testing.T) {
	if ServiceRole("mariadb") != "mysql" || ServiceRole("mysql") != "mysql" || !SameService("mariadb", "mysql") {
		t.Error("mariadb and mysql are not one role")
	}
	if SameService("postgresql", "mysql") || ServiceRole("postgresql") != "postgresql" {
		t.Error("postgresql is taken for mysql")
	}
}
