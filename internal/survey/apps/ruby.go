package apps

import (
	"regexp"
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

// RubySurveyor says which Ruby the Rails and Rack applications run on where their
// trees and servers did not, and fills the ruby coverage.
type RubySurveyor struct{}

// NewRuby returns the Ruby surveyor.
func NewRuby() RubySurveyor { return RubySurveyor{} }

// Name is the surveyor's name.
func (RubySurveyor) Name() string { return "ruby" }

// Survey reads ruby -v.
func (RubySurveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionRuby
	rv := in.Cmd("ruby-v")
	runtime := ""
	if kit.Usable(rv) {
		if v := ParseRubyV(rv.Text()); v != "" {
			runtime = "ruby " + v
		}
	}
	var apps, unknown []string
	for i := range in.Snap.Middleware.Apps {
		a := &in.Snap.Middleware.Apps[i]
		if a.Kind != "rails" && a.Kind != "rack" {
			continue
		}
		apps = append(apps, a.Path)
		if a.Runtime == "" && runtime != "" {
			a.Runtime, a.RuntimeSource = runtime, "ruby -v: the ruby on PATH, which may not be the one the application runs with"
			a.Evidence = append(a.Evidence, in.Cite(rv))
		}
		if a.Runtime == "" {
			unknown = append(unknown, a.Path)
		}
	}
	switch {
	case len(apps) == 0 && rv.Status == evidence.StatusAbsent && !hasPackage(in.Snap, "ruby", "ruby1.8", "ruby1.9.1") && packagesKnown(in):
		in.Cover(sec, snapshot.NotApplicable, "no ruby program or package, and no Rails or Rack application", rv)
	case len(apps) == 0 && !kit.Usable(rv):
		st, why := kit.StatusOf(rv)
		in.Cover(sec, st, why, rv)
	case len(unknown) > 0:
		in.Cover(sec, snapshot.Partial, "the Ruby that runs "+strings.Join(unknown, ", ")+" is unknown: "+kit.Explain(rv), rv)
	default:
		in.Cover(sec, snapshot.Collected, "", rv)
	}
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
