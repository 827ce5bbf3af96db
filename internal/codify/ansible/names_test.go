package ansible

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestServerPackage: the source's server is the package distro says ships it, never
// Debian's -core package that carries only the program.
func TestServerPackage(t *testing.T) {
	for _, c := range []struct {
		pkgs []string
		want string
	}{
		{[]string{"mariadb-common", "mariadb-server", "mariadb-server-10.5", "mariadb-server-core-10.5"}, "mariadb-server-10.5"}, // Debian 11
		{[]string{"mysql-server-5.5", "mysql-server-core-5.5"}, "mysql-server-5.5"},                                              // Debian 7 without the metapackage
		{[]string{"mysql-server", "mysql"}, "mysql-server"},                                                                      // CentOS 5/6
		{[]string{"Percona-Server-server-57"}, "Percona-Server-server-57"},
		{[]string{"mariadb-server-core"}, "mariadb-server"}, // the program alone says nothing of the server's package
		{nil, "mariadb-server"},
	} {
		s := &snapshot.Snapshot{}
		for _, n := range c.pkgs {
			s.Packages = append(s.Packages, snapshot.Package{Name: n})
		}
		b := &builder{s: s}
		if got := b.serverPackage("mysql", "mariadb-server"); got != c.want {
			t.Errorf("%q: %q, want %q", c.pkgs, got, c.want)
		}
	}
}

// A Debian 7 host whose server package is the versioned one becomes MariaDB on the
// target, with nothing left to translate by hand.
func TestDatabaseFromVersionedPackage(t *testing.T) {
	s := &snapshot.Snapshot{
		OS:         snapshot.OS{ID: "debian", Version: "7", VersionID: "7"},
		Packages:   []snapshot.Package{{Name: "mysql-server-5.5", Version: "5.5.62"}, {Name: "mysql-server-core-5.5", Version: "5.5.62"}},
		Middleware: snapshot.Middleware{Databases: []snapshot.Database{{Kind: "mysql", Version: "5.5.62", Service: "mysql"}}},
	}
	for _, target := range []string{"debian-12", "almalinux-9"} {
		proj := build(t, s, target)
		files := Render(proj)
		want := map[string]string{"debian-12": "- mariadb-server", "almalinux-9": "- mariadb-server"}[target]
		if d := files["roles/database/defaults/main.yml"]; !strings.Contains(d, want) {
			t.Errorf("%s: database packages: %s", target, d)
		}
		for _, td := range proj.Todo {
			if strings.Contains(td.Title, "mysql-server") {
				t.Errorf("%s: %s", target, td.Title)
			}
		}
	}
}

// A service listening on loopback only, however the address is written, gets no
// firewall opening; one on every address or one of the host's does.
func TestListenOpensOnlyReachablePorts(t *testing.T) {
	s := &snapshot.Snapshot{Listeners: []snapshot.Listener{
		{Proto: "tcp", Address: "127.0.0.1", Port: 3306, Service: "mysql"},
		{Proto: "tcp6", Address: "::1", Port: 3306, Service: "mysql"},
		{Proto: "tcp6", Address: "::ffff:127.0.0.1", Port: 3307, Service: "mysql"},
		{Proto: "tcp", Address: "0.0.0.0", Port: 80, Service: "apache2"},
		{Proto: "tcp", Address: "10.0.0.5", Port: 443, Service: "apache2"},
	}}
	b := &builder{s: s}
	b.listen("mysql")
	b.listen("apache2")
	var got []int
	for _, p := range b.ports {
		got = append(got, p.Port)
	}
	if len(got) != 2 || got[0] != 80 || got[1] != 443 {
		t.Errorf("opened %v, want [80 443]", got)
	}
}
