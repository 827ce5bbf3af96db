package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// genericFrameworks say what an application is built with, not which one it is:
// two PHP sites are two applications, two WordPress sites are too, but one
// WordPress moved from /var/www/blog to /srv/blog is the same.
var genericFrameworks = []string{"PHP", "Python", "Rack", "Rails", "Node.js", "CGI", "Java webapp", "Django", "Laravel"}

// product is what an application is when it is a product of its own (Redmine,
// WordPress): a snapshot of an older trowel says so only in its name.
func product(a snapshot.App) string {
	p := a.Framework
	if p == "" {
		if name, version, ok := strings.Cut(a.Name, " "); ok && version != "" && version[0] >= '0' && version[0] <= '9' {
			p = name
		}
	}
	if slices.Contains(genericFrameworks, p) {
		return ""
	}
	return p
}

// appItems are the applications, matched by the product they are when a host has
// one of it (a Redmine moved to another directory is still the Redmine), else by
// where they are deployed; their version, place, server, runtime, owner, database
// and data directories are compared, never their sizes.
func appItems(s *snapshot.Snapshot, _ string) []item {
	count := map[string]int{}
	for _, a := range s.Middleware.Apps {
		count[product(a)]++
	}
	var out []item
	for _, a := range s.Middleware.Apps {
		key := "app " + a.Kind + " " + a.Path
		if p := product(a); p != "" && count[p] == 1 {
			key = "app " + p
		}
		label := a.Kind + " app " + a.Path
		if a.Name != "" {
			label = a.Kind + " app " + a.Name + " at " + a.Path
		}
		version := a.Version
		if version == "" && a.Framework == "" {
			_, version, _ = strings.Cut(a.Name, " ")
		}
		owner := a.Owner
		if a.Group != "" {
			owner += ":" + a.Group
		}
		var data []string
		for _, d := range a.Data {
			data = append(data, d.Path)
		}
		slices.Sort(data)
		out = append(out, item{
			key:   key,
			label: label,
			fields: []field{{"version", version}, {"path", a.Path}, {"server", a.Server}, {"runtime", a.Runtime},
				{"owner", owner}, {"database", database(a.Settings)}, {"data", strings.Join(data, ", ")}},
			refs: refs(a.Evidence),
		})
	}
	return merge(out)
}

// database is where an application's database is, as its configuration says:
// "mysql2 127.0.0.1:3306/redmine".
func database(st []snapshot.Setting) string {
	v := map[string]string{}
	for _, x := range st {
		if k, ok := strings.CutPrefix(x.Key, "database."); ok {
			v[k] = x.Value
		}
	}
	where := cmp.Or(v["host"], v["socket"])
	if v["port"] != "" {
		where += ":" + v["port"]
	}
	if v["database"] != "" {
		where += "/" + v["database"]
	}
	return strings.TrimSpace(v["adapter"] + " " + where)
}

// runtimeItems are the runtimes' own configurations of one kind (php.ini and
// php-fpm pools, Tomcat's server.xml), by file, with their settings.
func runtimeItems(s *snapshot.Snapshot, kind string) []item {
	var out []item
	for _, r := range s.Middleware.Runtimes {
		if r.Kind != kind {
			continue
		}
		var settings []string
		for _, st := range r.Settings {
			settings = append(settings, st.Key+"="+st.Value)
		}
		out = append(out, item{
			key:    "runtime " + kind + " " + r.Path,
			label:  kind + " " + r.Path,
			fields: []field{{"server", r.Server}, {"runtime_settings", strings.Join(settings, ", ")}},
			refs:   refs(r.Evidence),
		})
	}
	return merge(out)
}
