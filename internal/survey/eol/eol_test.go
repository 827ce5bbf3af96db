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
	if s.EndOfLife[0].Product != "centos" || s.EndOfLife[0].Evidence[0] != "file:/etc/redhat-release" || s.EndOfLife[0].DataDate != "2026-08-22" {
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
// The other products by their own packages, not their libraries, clients or
// documentation, and not a namesake.
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
		"python": "python", "python3": "python", "python3.9": "python", "python3.11": "python", "python36": "python",
		"python3-minimal": "", "libpython3.9-stdlib": "", "python-apt-common": "", "python3-libs": "",
		"redis": "redis", "redis-server": "redis", "redis-tools": "", "memcached": "memcached",
		"docker-ce": "docker-engine", "docker.io": "docker-engine", "moby-engine": "docker-engine", "docker": "", "docker-ce-cli": "",
		"java-1.8.0-openjdk-headless": "red-hat-build-of-openjdk", "java-11-openjdk": "red-hat-build-of-openjdk",
		"java-1.6.0-openjdk": "red-hat-build-of-openjdk", "java-1.8.0-openjdk-javadoc": "",
		"java-17-amazon-corretto-headless": "amazon-corretto", "java-1.8.0-amazon-corretto-devel": "amazon-corretto",
		"temurin-17-jdk": "eclipse-temurin", "jdk1.8": "oracle-jdk", "jdk-17": "oracle-jdk", "jre1.8.0_202": "oracle-jdk",
		"openjdk-11-jre-headless": "", "default-jre-headless": "",
	} {
		if got := packageProduct(name); got != want {
			t.Errorf("packageProduct(%q) = %q, want %q", name, got, want)
		}
	}
}

var osRelease = []string{"file:/etc/os-release"}

// want is one expected entry: version, cycle, end of life, status.
type want [4]string

func check(t *testing.T, s *snapshot.Snapshot, wants map[string]want) {
	t.Helper()
	m := byProduct(s)
	for k, w := range wants {
		e, ok := m[k]
		if !ok {
			t.Errorf("%s: no entry in %+v", k, s.EndOfLife)
			continue
		}
		if e.Version != w[0] || e.Cycle != w[1] || e.EOL != w[2] || e.Status != w[3] {
			t.Errorf("%s: %+v, want %v", k, e, w)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("%s: no evidence", k)
		}
	}
	if len(s.EndOfLife) != len(wants) {
		t.Errorf("%d entries, want %d: %+v", len(s.EndOfLife), len(wants), s.EndOfLife)
	}
}

// Debian 11 packages beyond the web stack: python3 and python3.9 with their
// neighbours from the lab host's dpkg status (internal/survey/files/testdata), and
// Debian 11's redis, docker.io and tomcat9. Debian's own OpenJDK build has no
// endoflife.date product and is left unmatched rather than dated as someone else's.
func TestDebian11RuntimePackages(t *testing.T) {
	const dpkg = "file:/var/lib/dpkg/status"
	s := run(&snapshot.Snapshot{
		OS: snapshot.OS{ID: "debian", VersionID: "11", Evidence: osRelease},
		Packages: []snapshot.Package{
			{Name: "libpython3.9-stdlib", Version: "3.9.2-1", Evidence: dpkg},
			{Name: "python-apt-common", Version: "2.2.1", Evidence: dpkg},
			{Name: "python3", Version: "3.9.2-3", Evidence: dpkg},
			{Name: "python3-apt", Version: "2.2.1", Evidence: dpkg},
			{Name: "python3-minimal", Version: "3.9.2-3", Evidence: dpkg},
			{Name: "python3.9", Version: "3.9.2-1", Evidence: dpkg},
			{Name: "python3.9-minimal", Version: "3.9.2-1", Evidence: dpkg},
			{Name: "redis-server", Version: "5:6.0.16-1+deb11u2", Evidence: dpkg},
			{Name: "redis-tools", Version: "5:6.0.16-1+deb11u2", Evidence: dpkg},
			{Name: "docker.io", Version: "20.10.5+dfsg1-1+deb11u2", Evidence: dpkg},
			{Name: "tomcat9", Version: "9.0.43-2~deb11u9", Evidence: dpkg},
			{Name: "openjdk-11-jre-headless", Version: "11.0.23+9-1~deb11u1", Evidence: dpkg},
		},
	})
	check(t, s, map[string]want{
		"debian os":              {"11", "11", "2024-08-14", "eol"},
		"python packages":        {"3.9.2", "3.9", "2025-10-31", "eol"},
		"redis packages":         {"6.0.16", "6.0", "2022-05-31", "eol"},
		"docker-engine packages": {"20.10.5", "20.10", "2023-12-10", "eol"},
		"tomcat packages":        {"9.0.43", "9.0", "2027-03-31", "supported"},
	})
}

// CentOS 7: python 2.7.5 (the centos7-httpd24 rpmdb of /work/shared/fixtures), the
// Red Hat build of OpenJDK 8 as insights-core's ps shows it installed
// (java-1.8.0-openjdk-1.8.0.242.b08-4.el8), memcached 1.4.15, tomcat 7.0.76 and
// docker-ce; CentOS's own "docker" (Red Hat's 1.13 fork) is not docker-engine.
func TestCentOS7Packages(t *testing.T) {
	const rpm = "cmd:rpm-qa"
	s := run(&snapshot.Snapshot{
		OS: snapshot.OS{ID: "centos", Name: "CentOS Linux", VersionID: "7", Evidence: osRelease},
		Packages: []snapshot.Package{
			{Name: "python", Version: "2.7.5", Release: "89.el7", Evidence: rpm},
			{Name: "python-libs", Version: "2.7.5", Release: "89.el7", Evidence: rpm},
			{Name: "rpm-python", Version: "4.11.3", Evidence: rpm},
			{Name: "java-1.8.0-openjdk-headless", Version: "1.8.0.242.b08", Release: "4.el8", Evidence: rpm},
			{Name: "java-1.8.0-openjdk", Version: "1.8.0.242.b08", Release: "4.el8", Evidence: rpm},
			{Name: "memcached", Version: "1.4.15", Evidence: rpm},
			{Name: "tomcat", Version: "7.0.76", Evidence: rpm},
			{Name: "docker", Version: "1.13.1", Evidence: rpm},
			{Name: "docker-ce", Version: "24.0.7", Evidence: rpm},
		},
	})
	check(t, s, map[string]want{
		"centos os":                         {"7", "7", "2024-06-30", "eol"},
		"python packages":                   {"2.7.5", "2.7", "2020-01-01", "eol"},
		"red-hat-build-of-openjdk packages": {"8.0.242.b08", "8", "2026-11-30", "eol"},
		"memcached packages":                {"1.4.15", "1.4", "2017-07-21", "eol"},
		"tomcat packages":                   {"7.0.76", "7", "2021-03-31", "eol"},
		"docker-engine packages":            {"24.0.7", "24.0", "2024-06-08", "eol"},
	})
}

// Caches as their surveyor reports them (a version from the program, or the
// package's with its epoch when the program did not answer) and a Rails
// application's version from its Gemfile.lock, cited by the evidence that brought it.
func TestCachesAndRails(t *testing.T) {
	s := run(&snapshot.Snapshot{
		OS: snapshot.OS{ID: "ubuntu", VersionID: "24.04", Evidence: osRelease},
		Middleware: snapshot.Middleware{
			Caches: []snapshot.Cache{
				{Kind: "redis", Version: "5:7.0.15-1build2", Evidence: []string{"cmd:redis-server-version"}},
				{Kind: "memcached", Version: "1.6.24", Evidence: []string{"cmd:memcached-h"}},
			},
			Apps: []snapshot.App{{
				Kind: "rails", Path: "/var/www/redmine", Name: "Redmine 4.2.11",
				Settings: []snapshot.Setting{{Key: "rails", Value: "5.2.8.1", Source: "/var/www/redmine/Gemfile.lock"}},
				Evidence: []string{"cmd:web-apps"},
			}},
		},
		// The packages agree; the middleware facts are used instead of them.
		Packages: []snapshot.Package{{Name: "redis-server", Version: "5:7.0.15-1build2"}, {Name: "memcached", Version: "1.6.24-1build3"}},
	})
	check(t, s, map[string]want{
		"ubuntu os":           {"24.04", "24.04", "2029-05-31", "supported"},
		"redis redis":         {"7.0.15", "7.0", "2024-07-29", "eol"},
		"memcached memcached": {"1.6.24", "1.6", "", "supported"},
		"redmine ruby":        {"4.2.11", "4.2", "2023-10-31", "eol"},
		"ruby-on-rails ruby":  {"5.2.8.1", "5.2", "2022-06-01", "eol"},
	})
	if e := byProduct(s)["ruby-on-rails ruby"]; len(e.Evidence) != 1 || e.Evidence[0] != "cmd:web-apps" {
		t.Errorf("Rails cites the record its Gemfile.lock came in: %+v", e)
	}
	if e := byProduct(s)["memcached memcached"]; e.Note == "" {
		t.Errorf("no end announced needs its as-of note: %+v", e)
	}
}

// Operating systems whose os-release does not name the product directly.
func TestOSProducts(t *testing.T) {
	for _, c := range []struct {
		os                  snapshot.OS
		product, cycle, eol string
	}{
		{snapshot.OS{ID: "centos", Name: "CentOS Stream", VersionID: "8"}, "centos-stream", "8", "2024-05-31"},
		{snapshot.OS{ID: "centos", Name: "CentOS Linux", VersionID: "8"}, "centos", "8", "2021-12-31"},
		{snapshot.OS{ID: "sles", Name: "SLES", VersionID: "15"}, "sles", "15.0", "2019-12-31"},
		{snapshot.OS{ID: "amzn", Name: "Amazon Linux", VersionID: "2"}, "amazon-linux", "2", "2026-06-30"},
		{snapshot.OS{ID: "fedora", Name: "Fedora Linux", VersionID: "40"}, "fedora", "40", "2025-05-13"},
	} {
		s := run(&snapshot.Snapshot{OS: c.os})
		if len(s.EndOfLife) != 1 {
			t.Fatalf("%+v: %+v", c.os, s.EndOfLife)
		}
		e := s.EndOfLife[0]
		if e.Product != c.product || e.Cycle != c.cycle || e.EOL != c.eol || e.Status != "eol" {
			t.Errorf("%+v: %+v", c.os, e)
		}
	}
}

func TestJavaRelease(t *testing.T) {
	for in, want := range map[string]string{
		"1.8.0_392": "8.0_392", "1.8.0.242.b08": "8.0.242.b08", "1.6.0.41": "6.0.41",
		"11.0.21.0.9": "11.0.21.0.9", "1.4.2": "1.4.2", "17": "17", "1.": "1.", "": "",
	} {
		if got := javaRelease(in); got != want {
			t.Errorf("javaRelease(%q) = %q, want %q", in, got, want)
		}
	}
}
