package apps

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Lock is what a Gemfile.lock says: every resolved spec, and the direct dependencies.
type Lock struct {
	Specs  map[string]string // name -> version
	Direct []string          // names, in the file's order
}

// ParseGemfileLock reads the GEM specs (four-space indent: "    rails (5.2.8.1)") and
// the DEPENDENCIES section ("  rails (= 5.2.8.1)", "  foo!").
func ParseGemfileLock(text string) (Lock, error) {
	l := Lock{Specs: map[string]string{}}
	var perr kit.ParseError
	section := ""
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if line[0] != ' ' {
			section = strings.TrimSpace(line)
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		f := strings.Fields(line)
		switch {
		case (section == "GEM" || section == "GIT" || section == "PATH") && indent == 4:
			if len(f) != 2 || !strings.HasPrefix(f[1], "(") || !strings.HasSuffix(f[1], ")") {
				perr.Add(i+1, "not a spec line: %q", strings.TrimSpace(line))
				continue
			}
			l.Specs[f[0]] = strings.TrimSuffix(strings.TrimPrefix(f[1], "("), ")")
		case section == "DEPENDENCIES" && indent == 2 && len(f) > 0:
			l.Direct = append(l.Direct, strings.TrimSuffix(f[0], "!"))
		}
	}
	return l, perr.Err()
}

var versionConst = regexp.MustCompile(`^\s*(MAJOR|MINOR|TINY)\s*=\s*(\d+)`)

// ParseRedmineVersion reads lib/redmine/version.rb: "4.2.11", or "" when the
// constants are not there.
func ParseRedmineVersion(text string) string {
	v := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if m := versionConst.FindStringSubmatch(line); m != nil {
			if _, ok := v[m[1]]; !ok {
				v[m[1]] = m[2]
			}
		}
	}
	if v["MAJOR"] == "" || v["MINOR"] == "" {
		return ""
	}
	s := v["MAJOR"] + "." + v["MINOR"]
	if v["TINY"] != "" {
		s += "." + v["TINY"]
	}
	return s
}

// ParseRubyV reads `ruby -v`: "ruby 2.7.4p191 (2021-07-07 ...) [x86_64-linux-gnu]"
// gives "2.7.4".
func ParseRubyV(text string) string {
	f := strings.Fields(text)
	if len(f) < 2 || f[0] != "ruby" {
		return ""
	}
	v := f[1]
	if i := strings.IndexByte(v, 'p'); i > 0 {
		v = v[:i]
	}
	return v
}

// ParseDatabaseYML reads the production entry's adapter, database and host from a
// redacted database.yml. The password never arrives (the probe removed it) and is
// never looked for.
func ParseDatabaseYML(text string) map[string]string {
	out := map[string]string{}
	in := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] != ' ' {
			in = strings.HasPrefix(line, "production:")
			continue
		}
		if !in {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		switch k {
		case "adapter", "database", "host", "port", "socket":
			out[k] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return out
}

// appRootSuffixes mark a Rails application root by the file the probe read.
var appRootSuffixes = []string{"/Gemfile.lock", "/config/environment.rb", "/lib/redmine/version.rb", "/config/database.yml"}

// RubySurveyor fills the Rails applications and the ruby coverage.
type RubySurveyor struct{}

// NewRuby returns the Ruby surveyor.
func NewRuby() RubySurveyor { return RubySurveyor{} }

// Name is the surveyor's name.
func (RubySurveyor) Name() string { return "ruby" }

// Survey reads ruby -v and the Rails roots found under /var/www, /srv and /opt.
func (RubySurveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionRuby
	rv := in.Cmd("ruby-v")
	runtime := ""
	if kit.Usable(rv) {
		if v := ParseRubyV(rv.Text()); v != "" {
			runtime = "ruby " + v
		}
	}
	roots := map[string]map[string]*evidence.Item{}
	for _, it := range in.Archive.Items {
		if it.Kind != evidence.KindFile {
			continue
		}
		for _, suf := range appRootSuffixes {
			if strings.HasSuffix(it.Name, suf) && underAppDirs(it.Name) {
				root := strings.TrimSuffix(it.Name, suf)
				if roots[root] == nil {
					roots[root] = map[string]*evidence.Item{}
				}
				roots[root][suf] = it
			}
		}
	}
	var notes []string
	names := make([]string, 0, len(roots))
	for r := range roots {
		names = append(names, r)
	}
	sort.Strings(names)
	passenger := hasPassenger(in.Snap)
	for _, root := range names {
		files := roots[root]
		app := snapshot.App{Kind: "rails", Path: root, Runtime: runtime}
		if runtime != "" {
			app.Evidence = append(app.Evidence, in.Cite(rv))
		}
		for _, suf := range appRootSuffixes {
			it := files[suf]
			if it == nil {
				continue
			}
			if !kit.Usable(it) {
				if it.Status != evidence.StatusAbsent {
					notes = append(notes, it.Problem())
				}
				continue
			}
			app.Evidence = append(app.Evidence, in.Cite(it))
			switch suf {
			case "/Gemfile.lock":
				lock, err := ParseGemfileLock(it.Text())
				if err != nil {
					notes = append(notes, it.Name+": "+err.Error())
				}
				for _, g := range lock.Direct {
					if v := lock.Specs[g]; v != "" {
						app.Gems = append(app.Gems, g+" "+v)
					} else {
						app.Gems = append(app.Gems, g)
					}
				}
				if v := lock.Specs["rails"]; v != "" {
					app.Settings = append(app.Settings, snapshot.Setting{Key: "rails", Value: v, Source: it.Name})
					if app.Name == "" {
						app.Name = "Rails " + v
					}
				}
			case "/lib/redmine/version.rb":
				if v := ParseRedmineVersion(it.Text()); v != "" {
					app.Name = "Redmine " + v
				}
			case "/config/database.yml":
				db := ParseDatabaseYML(it.Text())
				for _, k := range []string{"adapter", "database", "host", "port", "socket"} {
					if v := db[k]; v != "" {
						app.Settings = append(app.Settings, snapshot.Setting{Key: "database." + k, Value: v, Source: it.Name})
					}
				}
			}
		}
		app.Server = rubyServer(in.Snap, root, passenger)
		in.Snap.Middleware.Apps = append(in.Snap.Middleware.Apps, app)
	}
	switch {
	case len(names) == 0 && rv.Status == evidence.StatusAbsent && !hasPackage(in.Snap, "ruby", "ruby1.8", "ruby1.9.1") && packagesKnown(in):
		in.Cover(sec, snapshot.NotApplicable, "no ruby program or package, and no Rails application under /var/www, /srv or /opt", rv)
	case len(names) == 0 && !kit.Usable(rv):
		st, why := kit.StatusOf(rv)
		in.Cover(sec, st, why, rv)
	default:
		st := snapshot.Collected
		if runtime == "" && len(names) > 0 {
			notes = append(notes, "the Ruby that runs the applications is unknown: "+kit.Explain(rv))
		}
		notes = append(notes, "Rails applications are looked for under /var/www, /srv and /opt only (and found from Apache document roots there)")
		if len(notes) > 1 {
			st = snapshot.Partial
		}
		in.Cover(sec, st, strings.Join(notes, "; "), rv)
	}
}

func underAppDirs(p string) bool {
	for _, d := range []string{"/var/www/", "/srv/", "/opt/"} {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

func hasPassenger(s *snapshot.Snapshot) bool {
	for _, ws := range s.Middleware.WebServers {
		for _, m := range ws.Modules {
			if m == "passenger_module" {
				return true
			}
		}
	}
	return false
}

// rubyServer names what serves a Rails root: Passenger when an Apache vhost with
// Passenger loaded has its document root in the app's public/, else a unicorn or
// puma process whose command line names the root.
func rubyServer(s *snapshot.Snapshot, root string, passenger bool) string {
	for _, p := range s.Processes {
		c := p.Command
		if !strings.Contains(c, root) {
			continue
		}
		switch {
		case strings.Contains(c, "unicorn"):
			return "unicorn"
		case strings.Contains(c, "puma"):
			return "puma"
		case strings.Contains(c, "Passenger"):
			return "passenger"
		}
	}
	for _, ws := range s.Middleware.WebServers {
		for _, v := range ws.VHosts {
			if path.Clean(v.DocumentRoot) == root+"/public" {
				if passenger {
					return "passenger"
				}
				for _, px := range v.Proxies {
					if px == "passenger:"+root {
						return "passenger"
					}
				}
			}
		}
	}
	return ""
}

func hasPackage(s *snapshot.Snapshot, names ...string) bool {
	for _, p := range s.Packages {
		for _, n := range names {
			if p.Name == n {
				return true
			}
		}
	}
	return false
}

func packagesKnown(in *kit.Input) bool {
	c, ok := in.Snap.Coverage[snapshot.SectionPackages]
	return ok && c.Status == snapshot.Collected
}
