package eol

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	data "github.com/trowel-dev/trowel/internal/eol"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// middlewareFound reads the versions middleware surveyors reported.
func middlewareFound(m snapshot.Middleware) []found {
	var out []found
	add := func(product, version, of string, ev []string) {
		if version = strings.TrimSpace(version); version != "" && product != "" {
			out = append(out, found{product: product, version: version, of: of, evidence: ev})
		}
	}
	for _, w := range m.WebServers {
		switch w.Kind {
		case "apache":
			add("apache-http-server", w.Version, string(snapshot.SectionApache), w.Evidence)
		case "nginx":
			add("nginx", w.Version, string(snapshot.SectionNginx), w.Evidence)
		}
	}
	for _, db := range m.Databases {
		switch {
		case db.Kind == "mariadb" || strings.Contains(strings.ToLower(db.Version), "mariadb"):
			add("mariadb", db.Version, string(snapshot.SectionMySQL), db.Evidence)
		case db.Kind == "mysql":
			add("mysql", db.Version, string(snapshot.SectionMySQL), db.Evidence)
		case db.Kind == "postgresql":
			add("postgresql", db.Version, string(snapshot.SectionPostgreSQL), db.Evidence)
		}
	}
	for _, ms := range m.Mail {
		if ms.Kind == "postfix" {
			add("postfix", ms.Version, string(snapshot.SectionPostfix), ms.Evidence)
		}
	}
	for _, c := range m.Caches {
		// A cache surveyor without its program's answer takes the package's
		// version, epoch and revision included ("5:6.0.16-1+deb11u2").
		switch c.Kind {
		case "redis":
			add("redis", data.Upstream(c.Version), string(snapshot.SectionRedis), c.Evidence)
		case "memcached":
			add("memcached", data.Upstream(c.Version), string(snapshot.SectionMemcached), c.Evidence)
		}
	}
	for _, a := range m.Apps {
		// The runtime of a Java app ("java 1.8.0_392") is not matched: java -version
		// does not say whose build it is, and each vendor ends its builds on its
		// own dates. The packages say (packageProducts).
		if name, ver, ok := strings.Cut(a.Runtime, " "); ok {
			switch strings.ToLower(name) {
			case "ruby":
				add("ruby", ver, string(snapshot.SectionRuby), a.Evidence)
			case "php":
				add("php", ver, string(snapshot.SectionPHP), a.Evidence)
			}
		}
		if name, ver, ok := strings.Cut(a.Name, " "); ok && strings.EqualFold(name, "redmine") {
			add("redmine", ver, string(snapshot.SectionRuby), a.Evidence)
		}
		for _, st := range a.Settings {
			if st.Key == "rails" {
				add("ruby-on-rails", st.Value, string(snapshot.SectionRuby), a.Evidence)
			}
		}
	}
	for _, r := range m.Runtimes {
		if r.Kind == "php" {
			add("php", r.Version, string(snapshot.SectionPHP), r.Evidence)
		}
	}
	return out
}

// packageProducts names, per product, the packages that carry its version on the
// RPM and Debian families. Where a product has a middleware fact, packages are not
// read for it: the running binary's version beats the package database's.
// Database servers are known by distro's server packages instead (see
// serverProducts).
var packageProducts = []struct {
	product string
	name    *regexp.Regexp
}{
	{"apache-http-server", regexp.MustCompile(`^(httpd|apache2|apache2-bin)$`)},
	{"nginx", regexp.MustCompile(`^(nginx|nginx-core|nginx-full|nginx-light)$`)},
	{"php", regexp.MustCompile(`^(php|php-cli|php-common|php5|php5-cli|php5-common|php\d+\.\d+-(cli|common))$`)},
	{"ruby", regexp.MustCompile(`^(ruby|ruby\d+\.\d+)$`)},
	{"redmine", regexp.MustCompile(`^redmine$`)},
	{"postfix", regexp.MustCompile(`^postfix$`)},
	{"tomcat", regexp.MustCompile(`^tomcat\d*$`)},
	// python, python2, python3 (metapackages on Debian, the interpreter on RPM),
	// python2.7 and python3.9 (Debian, RHEL 8's python3.11), python27 and python36
	// (Amazon Linux, RHEL 8, EPEL).
	{"python", regexp.MustCompile(`^python(\d(\.\d+)?|\d{2,3})?$`)},
	{"redis", regexp.MustCompile(`^(redis|redis-server)$`)},
	{"memcached", regexp.MustCompile(`^memcached$`)},
	// Docker's own packages and the distributions' builds of the same Moby
	// releases. CentOS 7's "docker" is Red Hat's fork of 1.13, with Red Hat's
	// support dates, and Debian's "docker" is an unrelated system-tray tool: neither
	// is docker-engine.
	{"docker-engine", regexp.MustCompile(`^(docker-ce|docker-ee|docker-engine|docker\.io|docker-io|moby-engine)$`)},
	// Java runtimes by whose build they are. The RHEL family's java-*-openjdk
	// (rebuilt unchanged by CentOS, Alma, Rocky and Oracle Linux) is the Red Hat
	// build; Debian's and Ubuntu's openjdk-* packages are the distribution's own
	// builds, for which endoflife.date has no product, so they are not matched.
	{"red-hat-build-of-openjdk", regexp.MustCompile(`^java-(1\.\d\.0|\d+)-openjdk(-headless|-devel)?$`)},
	{"amazon-corretto", regexp.MustCompile(`^java-(1\.8\.0|\d+)-amazon-corretto(-headless|-devel|-jdk)?$`)},
	{"eclipse-temurin", regexp.MustCompile(`^temurin-\d+-(jdk|jre)$`)},
	{"oracle-jdk", regexp.MustCompile(`^(jdk|jre)(1\.\d+(\.0_\d+)?|-\d+(\.\d+)*)$`)},
}

// productVersion turns a package's upstream version into the product's, for the
// products that spell them differently.
var productVersion = map[string]func(string) string{
	"red-hat-build-of-openjdk": javaRelease, "amazon-corretto": javaRelease,
	"eclipse-temurin": javaRelease, "oracle-jdk": javaRelease,
}

// javaRelease drops the "1." Java 5 to 8 were versioned under ("1.8.0_392",
// "1.8.0.242.b08"), which endoflife.date names by the release alone ("8").
// Java 1.4 and older keep it: that is their name.
func javaRelease(v string) string {
	rest, ok := strings.CutPrefix(v, "1.")
	if !ok {
		return v
	}
	major, _, _ := strings.Cut(rest, ".")
	if n, err := strconv.Atoi(major); err != nil || n < 5 {
		return v
	}
	return rest
}

// serverProducts is the endoflife.date product of each flavor of database server
// (distro.ServerFlavor). Percona Server has none there, so it is not matched.
var serverProducts = map[string]string{"mysql": "mysql", "mariadb": "mariadb", "postgresql": "postgresql"}

// packageProduct is the product whose version the package called name carries,
// or "".
func packageProduct(name string) string {
	if p := serverProducts[distro.ServerFlavor(name)]; p != "" {
		return p
	}
	for _, pp := range packageProducts {
		if pp.name.MatchString(name) {
			return pp.product
		}
	}
	return ""
}

// packagesFound reads versions from packages for the products no middleware
// surveyor reported.
func packagesFound(s *snapshot.Snapshot, mw []found) ([]found, string) {
	have := map[string]bool{}
	for _, f := range mw {
		have[f.product] = true
	}
	var out []found
	for _, p := range s.Packages {
		product := packageProduct(p.Name)
		if product == "" || have[product] {
			continue
		}
		// Debian's "ruby" and "php" are metapackages whose version names the
		// default cycle ("1:2.7+2", "2:7.4+76"): Upstream keeps that cycle.
		v := data.Upstream(p.Version)
		if f := productVersion[product]; f != nil {
			v = f(v)
		}
		if v == "" {
			continue
		}
		out = append(out, found{product: product, version: v, of: "packages", evidence: []string{p.Evidence}})
	}
	if c, ok := s.Coverage[snapshot.SectionPackages]; ok && !c.Known() && c.Status != snapshot.NotApplicable {
		return out, "the package list was not fully read (" + string(c.Status) + "), so software found only by its package may be missing"
	}
	return out, ""
}
