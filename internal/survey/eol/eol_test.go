package eol

import (
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

var at = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)

func run(s *snapshot.Snapshot) *snapshot.Snapshot {
	s.CollectedAt = at
	in := kittest.Input(kittest.Archive(), s)
	New().Survey(in)
	return in.Snap
}

func byProduct(s *snapshot.Snapshot) map[string]snapshot.EndOfLife {
	m := map[string]snapshot.EndOfLife{}
	for _, e := range s.EndOfLife {
		m[e.Product+" "+e.Of] = e
	}
	return m
}

// The legacy server trowel is made for: CentOS 5.11 with Apache 2.2, MySQL 5.0 and
// PHP 5.1 as the middleware surveyors report them.
func TestCentOS5Middleware(t *testing.T) {
	s := run(&snapshot.Snapshot{
		OS: snapshot.OS{ID: "centos", Version: "5.11", VersionID: "5.11", Evidence: []string{"file:/etc/redhat-release"}},
		Middleware: snapshot.Middleware{
			WebServers: []snapshot.WebServer{{Kind: "apache", Version: "2.2.3", Evidence: []string{"cmd:httpd-v"}}},
			Databases:  []snapshot.Database{{Kind: "mysql", Version: "5.0.95", Evidence: []string{"cmd:mysqld-version"}}},
			Apps:       []snapshot.App{{Kind: "php", Runtime: "php 5.1.6", Evidence: []string{"cmd:php-v"}}},
		},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}},
	})
	m := byProduct(s)
	want := map[string][3]string{ // cycle, eol, status
		"centos os":                 {"5", "2017-03-31", "eol"},
		"apache-http-server apache": {"2.2", "2017-07-11", "eol"},
		"mysql mysql":               {"", "", "eol"},
		"php php":                   {"5.1", "2006-08-24", "eol"},
	}
	if len(s.EndOfLife) != len(want) {
		t.Fatalf("got %d entries: %+v", len(s.EndOfLife), s.EndOfLife)
	}
	for k, w := range want {
		e := m[k]
		if e.Cycle != w[0] || e.EOL != w[1] || e.Status != w[2] {
			t.Errorf("%s: %+v, want %v", k, e, w)
		}
	}
	if s.EndOfLife[0].Product != "centos" || s.EndOfLife[0].Evidence[0] != "file:/etc/redhat-release" || s.EndOfLife[0].DataDate != "2021-11-16" {
		t.Errorf("OS entry first, citing the OS evidence, dated: %+v", s.EndOfLife[0])
	}
	if c := s.Coverage[snapshot.SectionEOL]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}

// Debian 11 (the lab's legacy host) with nothing from the middleware surveyors:
// versions come from dpkg's, epochs and revisions removed.
func TestDebian11Packages(t *testing.T) {
	s := run(&snapshot.Snapshot{
		OS: snapshot.OS{ID: "debian", Version: "11", VersionID: "11"},
		Packages: []snapshot.Package{
			{Name: "apache2", Version: "2.4.62-1~deb11u1", Manager: "dpkg", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "mariadb-server-10.5", Version: "1:10.5.21-0+deb11u1", Manager: "dpkg", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "php7.4-common", Version: "7.4.33-1+deb11u5", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "php7.4-cli", Version: "7.4.33-1+deb11u5", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "ruby", Version: "1:2.7+2", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "ruby2.7", Version: "2.7.4-1+deb11u1", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "postfix", Version: "3.5.25-0+deb11u1", Evidence: "file:/var/lib/dpkg/status"},
			{Name: "libapache2-mod-php7.4", Version: "7.4.33-1+deb11u5", Evidence: "file:/var/lib/dpkg/status"},
		},
	})
	m := byProduct(s)
	for k, w := range map[string][5]string{ // version, cycle, eol, extended, status
		"debian os":                   {"11", "11", "2024-08-14", "2026-08-31", "eol"},
		"apache-http-server packages": {"2.4.62", "2.4", "", "", "supported"},
		"mariadb packages":            {"10.5.21", "10.5", "2025-06-24", "2025-07-16", "eol"},
		"php packages":                {"7.4.33", "7.4", "2022-11-28", "", "eol"},
		"ruby packages":               {"2.7.4", "2.7", "2023-03-31", "", "eol"},
		"postfix packages":            {"3.5.25", "3.5", "2024-03-06", "", "eol"},
	} {
		e := m[k]
		if e.Version != w[0] || e.Cycle != w[1] || e.EOL != w[2] || e.Extended != w[3] || e.Status != w[4] {
			t.Errorf("%s: %+v, want %v", k, e, w)
		}
	}
	if len(s.EndOfLife) != 6 {
		t.Errorf("%d entries, want 6 (php and ruby packages merged): %+v", len(s.EndOfLife), s.EndOfLife)
	}
	if e := m["apache-http-server packages"]; e.Note == "" || len(e.Evidence) != 1 {
		t.Errorf("supported without an end date needs its as-of note and evidence: %+v", e)
	}
}

// A middleware fact wins over the package for the same product.
func TestMiddlewareBeatsPackages(t *testing.T) {
	s := run(&snapshot.Snapshot{
		OS:         snapshot.OS{ID: "debian", VersionID: "11"},
		Packages:   []snapshot.Package{{Name: "mariadb-server-10.5", Version: "1:10.5.21-0+deb11u1"}},
		Middleware: snapshot.Middleware{Databases: []snapshot.Database{{Kind: "mysql", Version: "10.5.23-MariaDB-0+deb11u1"}}},
	})
	m := byProduct(s)
	if e := m["mariadb mysql"]; e.Cycle != "10.5" || e.Status != "eol" {
		t.Errorf("%+v", s.EndOfLife)
	}
	if _, ok := m["mariadb packages"]; ok {
		t.Errorf("package read although the middleware named a version: %+v", s.EndOfLife)
	}
}

// Without an identified OS or a full package list, the section says so.
func TestPartialCoverage(t *testing.T) {
	s := run(&snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{
		snapshot.SectionPackages: {Status: snapshot.Denied, Reason: "rpm: permission denied"},
	}})
	c := s.Coverage[snapshot.SectionEOL]
	if c.Status != snapshot.Partial || c.Reason == "" || len(s.EndOfLife) != 0 {
		t.Fatalf("%+v %+v", c, s.EndOfLife)
	}
}

func FuzzSurvey(f *testing.F) {
	f.Add("centos", "5.11", "2.2.3", "1:10.5.21-0+deb11u1")
	f.Add("", "", "", "")
	f.Add("debian", "11", "apache", "1:")
	f.Fuzz(func(t *testing.T, id, osv, web, pkg string) {
		run(&snapshot.Snapshot{
			OS:         snapshot.OS{ID: id, VersionID: osv},
			Packages:   []snapshot.Package{{Name: "httpd", Version: pkg}},
			Middleware: snapshot.Middleware{WebServers: []snapshot.WebServer{{Kind: "apache", Version: web}}},
		})
	})
}

// Database servers are known by distro's server packages: every vendor's name for
// MySQL, MariaDB and PostgreSQL, and nothing whose version is not the server's.
func TestPackageProduct(t *testing.T) {
	for name, want := range map[string]string{
		"mysql-server": "mysql", "mysql-server-5.5": "mysql", "mysql-server-core-5.5": "mysql", "mysql-community-server": "mysql",
		"MySQL-server": "mysql", "MySQL-server-community": "mysql", "mysql55-server": "mysql",
		"mariadb-server": "mariadb", "mariadb-server-10.5": "mariadb", "mariadb-server-core": "mariadb", "MariaDB-server": "mariadb",
		"mariadb105-server": "mariadb",
		"postgresql-server": "postgresql", "postgresql96-server": "postgresql", "postgresql-15": "postgresql", "postgresql-9.6": "postgresql",
		"rh-postgresql96-postgresql-server": "postgresql",
		// Percona has no product at endoflife.date; the others carry another
		// version than the server's (Debian's metapackages, postgis, the units).
		"Percona-Server-server-57": "", "default-mysql-server": "", "postgresql": "", "postgresql-common": "",
		"postgresql-15-postgis-3": "", "postgresql-client-15": "", "mariadb-client-10.5": "",
		"httpd": "apache-http-server", "ruby2.7": "ruby", "tomcat9": "tomcat",
	} {
		if got := packageProduct(name); got != want {
			t.Errorf("packageProduct(%q) = %q, want %q", name, got, want)
		}
	}
}
