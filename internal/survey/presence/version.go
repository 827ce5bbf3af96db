package presence

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Trace is one line of the probe's _traces (software-traces).
type Trace struct {
	Kind  string // program, doc, version
	Path  string
	Owner string // program: the package owning it, "" for none, "?" when not asked
	Line  string // version: the line that names a version
}

// ParseTraces reads software-traces: "program\tPATH\tOWNER", "doc\tPATH" and
// "version\tPATH\tLINE" lines. Lines of another form are left out: the output is
// bounded and may end in the middle of one.
func ParseTraces(text string) []Trace {
	var out []Trace
	for _, line := range strings.Split(text, "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 || !strings.HasPrefix(f[1], "/") {
			continue
		}
		t := Trace{Kind: f[0], Path: f[1]}
		switch {
		case f[0] == "program" && len(f) == 3:
			t.Owner = f[2]
		case f[0] == "doc":
		case f[0] == "version" && len(f) == 3:
			t.Line = f[2]
		default:
			continue
		}
		out = append(out, t)
	}
	return out
}

// versionWord is a version as software writes it: 5.0.95, 2.2.3-43, 10.5.23-MariaDB.
var versionWord = regexp.MustCompile(`[0-9]+(\.[0-9]+)+([-.][0-9A-Za-z]+)?`)

// Version is the version of software found present, and where it comes from, from
// the traces the probe read, in order of trust: the package that installs its
// program, the package that owns a program found on disk, its /usr/share/doc
// directory, its own version file. Version is "" when none says; the surveyor
// asks the program itself first where it could run.
func (d Decision) Version(in *kit.Input) (version, source string) {
	for _, rp := range distro.RolePackages(d.Spec.Role) {
		if !rp.Program {
			continue
		}
		if ps := Packages(in.Snap, rp.Pattern); len(ps) > 0 {
			return ps[0].Version, "package " + ps[0].Name + " " + ps[0].FullVersion()
		}
	}
	traces := ParseTraces(in.Cmd("software-traces").Text())
	programs := distro.Programs(d.Spec.Role)
	for _, t := range traces {
		if t.Kind != "program" || t.Owner == "" || t.Owner == "?" || !slices.Contains(programs, path.Base(t.Path)) {
			continue
		}
		if ps := Packages(in.Snap, t.Owner); len(ps) > 0 {
			return ps[0].Version, "package " + ps[0].Name + " " + ps[0].FullVersion() + ", which owns " + t.Path
		}
	}
	best, from := "", ""
	for _, t := range traces {
		if t.Kind != "doc" {
			continue
		}
		for _, n := range distro.DocNames(d.Spec.Role) {
			v, ok := strings.CutPrefix(path.Base(t.Path), n+"-")
			if ok && versionWord.FindString(v) == v && (best == "" || distro.CompareVersions("rpm", v, best) > 0) {
				best, from = v, t.Path
			}
		}
	}
	if best != "" {
		return best, from
	}
	for _, vf := range distro.VersionFiles(d.Spec.Role) {
		for _, t := range traces {
			if ok, _ := path.Match(vf.Path, t.Path); t.Kind != "version" || !ok || !vf.Line.MatchString(t.Line) {
				continue
			}
			if v := versionWord.FindString(t.Line); v != "" {
				return v, "the version file " + t.Path
			}
		}
	}
	return "", ""
}
