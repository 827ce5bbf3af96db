package eol

import (
	"regexp"
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
	for _, a := range m.Apps {
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
