package files

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Installs is what _files_software printed: the records of software installed
// outside the package manager, by kind, and the commands of /usr/local/bin and sbin.
type Installs struct {
	Gems     []GemSpec
	Pips     []PipDist
	Npms     []NpmModule
	Trees    []SourceTree
	Commands []Command
	Done     bool
}

// GemSpec is a specification file of a gem home ("fluentd-1.16.5.gemspec").
type GemSpec struct{ Home, File string }

// PipDist is a pip distribution's metadata directory with the programs its RECORD
// lists, relative to the directory that holds it.
type PipDist struct {
	Dir      string
	Programs []string
}

// NpmModule is a global npm module and the version its package.json names.
type NpmModule struct{ Dir, Version string }

// SourceTree is a directory named NAME-VERSION under /usr/local/src or /opt, with
// the build files it holds (Makefile, configure, CMakeLists.txt).
type SourceTree struct {
	Dir   string
	Build []string
}

// Command is one entry of /usr/local/bin or sbin: Kind is link, elf, script or
// other; Target a link's target, or the gem a RubyGems wrapper loads.
type Command struct{ Path, Kind, Target string }

// ParseInstalls reads _files_software's G, P, R, N, S and B lines and "# done".
func ParseInstalls(text string) (Installs, error) {
	var out Installs
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		f := strings.Split(line, "\t")
		switch {
		case line == "":
		case line == "# done":
			out.Done = true
		case f[0] == "G" && len(f) == 3:
			out.Gems = append(out.Gems, GemSpec{Home: f[1], File: f[2]})
		case f[0] == "P" && len(f) == 2:
			out.Pips = append(out.Pips, PipDist{Dir: f[1]})
		case f[0] == "R" && len(f) == 2 && len(out.Pips) > 0:
			p := &out.Pips[len(out.Pips)-1]
			p.Programs = append(p.Programs, f[1])
		case f[0] == "N" && len(f) == 3:
			out.Npms = append(out.Npms, NpmModule{Dir: f[1], Version: f[2]})
		case f[0] == "S" && len(f) == 3:
			out.Trees = append(out.Trees, SourceTree{Dir: f[1], Build: strings.Fields(f[2])})
		case f[0] == "B" && len(f) == 4:
			out.Commands = append(out.Commands, Command{Path: f[1], Kind: f[2], Target: f[3]})
		default:
			perr.Add(i+1, "not a software line: %q", line)
		}
	}
	return out, perr.Err()
}

// nameVersion splits "fluentd-1.16.5" at the first dash a digit follows: names hold
// dashes ("net-http"), versions start with a digit, and what follows the version
// after another dash is a platform ("x86_64-linux", "py3.9"), dropped.
func nameVersion(s string) (name, version string, ok bool) {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '-' && s[i+1] >= '0' && s[i+1] <= '9' && i > 0 {
			v := s[i+1:]
			if j := strings.IndexByte(v, '-'); j > 0 {
				v = v[:j]
			}
			return s[:i], v, true
		}
	}
	return s, "", false
}

// Named turns the records into software, each with the commands on PATH that are
// its: a RubyGems wrapper loading the gem, a link into its tree, a program a pip
// RECORD lists, or for a source tree the program of its name.
func (ins Installs) Named(id string) []snapshot.Software {
	var out []snapshot.Software
	add := func(s snapshot.Software) {
		s.Evidence = []string{id}
		out = append(out, s)
	}
	for _, g := range ins.Gems {
		name, ver, ok := nameVersion(strings.TrimSuffix(g.File, ".gemspec"))
		if !ok {
			continue
		}
		s := snapshot.Software{Name: name, Version: ver, Installer: "gem", Path: g.Home + "/gems/" + strings.TrimSuffix(g.File, ".gemspec"),
			VersionFrom: g.Home + "/specifications/" + g.File}
		for _, c := range ins.Commands {
			if c.Kind == "script" && c.Target == name {
				s.Programs = append(s.Programs, c.Path)
			}
		}
		add(s)
	}
	for _, p := range ins.Pips {
		base := path.Base(p.Dir)
		meta := path.Ext(base) // .dist-info or .egg-info
		name, ver, ok := nameVersion(strings.TrimSuffix(base, meta))
		if !ok {
			continue
		}
		s := snapshot.Software{Name: name, Version: ver, Installer: "pip", Path: p.Dir, VersionFrom: p.Dir}
		for _, rel := range p.Programs {
			s.Programs = append(s.Programs, path.Join(path.Dir(p.Dir), rel))
		}
		add(s)
	}
	for _, m := range ins.Npms {
		_, name, _ := strings.Cut(m.Dir, "/node_modules/")
		s := snapshot.Software{Name: name, Version: m.Version, Installer: "npm", Path: m.Dir}
		if m.Version != "" {
			s.VersionFrom = m.Dir + "/package.json"
		}
		s.Programs = linkedInto(ins.Commands, m.Dir)
		add(s)
	}
	for _, t := range ins.Trees {
		name, ver, ok := nameVersion(path.Base(t.Dir))
		if !ok {
			continue
		}
		s := snapshot.Software{Name: name, Version: ver, Path: t.Dir, VersionFrom: t.Dir}
		s.Programs = linkedInto(ins.Commands, t.Dir)
		if len(t.Build) > 0 {
			s.Installer = "source"
			for _, c := range ins.Commands {
				if c.Kind != "link" && programOf(path.Base(c.Path), name) {
					s.Programs = append(s.Programs, c.Path)
				}
			}
		} else {
			s.Installer = "tarball"
		}
		// A tree with no program on PATH is only a tree: what it is, files says.
		if len(s.Programs) > 0 {
			add(s)
		}
	}
	return out
}

// programOf says whether a command in /usr/local/bin is the program a source tree
// named name builds: the name itself, or with a version after it (lua5.4).
func programOf(base, name string) bool {
	rest, ok := strings.CutPrefix(base, name)
	return ok && strings.Trim(rest, "0123456789.-") == ""
}

// linkedInto are the commands linked into dir.
func linkedInto(cmds []Command, dir string) []string {
	var out []string
	for _, c := range cmds {
		if c.Kind != "link" || c.Target == "" {
			continue
		}
		t := c.Target
		if !strings.HasPrefix(t, "/") {
			t = path.Join(path.Dir(c.Path), t)
		}
		if t == dir || strings.HasPrefix(t, dir+"/") {
			out = append(out, c.Path)
		}
	}
	return out
}

// installerWords say how each installer's software came, in What.
var installerWords = map[string]string{
	"gem": "gem install", "pip": "pip install", "npm": "npm install -g",
	"source": "built from source", "tarball": "unpacked release",
}

// labelsShown is how many software a tree's What names before "and N more".
const labelsShown = 8

// heldText says what a tree holds: "gem install: fluentd 1.16.5".
func heldText(sw []snapshot.Software) string {
	var parts []string
	for _, inst := range []string{"gem", "pip", "npm", "source", "tarball"} {
		var labels []string
		for _, s := range sw {
			if s.Installer == inst {
				labels = append(labels, s.Label())
			}
		}
		if len(labels) > labelsShown {
			labels = append(labels[:labelsShown], "and "+strconv.Itoa(len(labels)-labelsShown)+" more")
		}
		if len(labels) > 0 {
			parts = append(parts, installerWords[inst]+": "+strings.Join(labels, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// softwareRoot is the directory that holds one software's kind: a gem home, a
// Python site directory, node_modules, or the tree itself.
func softwareRoot(s snapshot.Software) string {
	switch s.Installer {
	case "gem":
		return path.Dir(path.Dir(s.Path))
	case "pip":
		return path.Dir(s.Path)
	case "npm":
		i := strings.Index(s.Path, "/node_modules/")
		return s.Path[:i+len("/node_modules")]
	}
	return s.Path
}

// surveySoftware names what the unmanaged trees hold, on the tree holding each
// (a tree of its own when the walk of the trees did not list one), and says on the
// trees holding their commands whose programs they are. It returns the coverage
// note of the step, "" when it ran to its end.
func surveySoftware(in *kit.Input) (snapshot.Status, string, *evidence.Item) {
	it := in.Cmd("files-software")
	if it.Status == evidence.StatusMissing && in.Archive.Complete {
		// Evidence from a probe without the step: the trees stand as walked.
		return snapshot.Collected, "", nil
	}
	if !kit.Usable(it) {
		st, why := kit.StatusOf(it)
		return kit.WorseOf(st, snapshot.Partial), "the software the trees hold is not named: " + why, it
	}
	st, why := kit.StatusOf(it)
	ins, err := ParseInstalls(it.Text())
	var notes []string
	if why != "" {
		notes = append(notes, why)
	}
	if err != nil {
		st, notes = kit.WorseOf(st, snapshot.Partial), append(notes, it.Source()+": "+err.Error())
	}
	if !ins.Done {
		st, notes = kit.WorseOf(st, snapshot.Partial), append(notes, it.Source()+" did not run to its end")
	}
	trees := &in.Snap.Files.Unmanaged
	holding := func(p string) int {
		best := -1
		for i, t := range *trees {
			if (p == t.Path || strings.HasPrefix(p, t.Path+"/")) && (best < 0 || len(t.Path) > len((*trees)[best].Path)) {
				best = i
			}
		}
		return best
	}
	id := in.Cite(it)
	for _, s := range ins.Named(id) {
		i := holding(s.Path)
		if i < 0 {
			*trees = append(*trees, snapshot.UnmanagedTree{Path: softwareRoot(s), Evidence: []string{id}})
			i = len(*trees) - 1
		}
		(*trees)[i].Software = append((*trees)[i].Software, s)
	}
	programs := map[int][]string{}
	for _, t := range *trees {
		for _, s := range t.Software {
			seen := map[int]bool{}
			for _, p := range s.Programs {
				if i := holding(p); i >= 0 && (*trees)[i].Path != t.Path && !seen[i] {
					seen[i] = true
					programs[i] = append(programs[i], s.Label()+" ("+installerWords[s.Installer]+")")
				}
			}
		}
	}
	for i := range *trees {
		t := &(*trees)[i]
		var add []string
		if len(t.Software) > 0 {
			add = append(add, heldText(t.Software))
			t.Evidence = snapshot.AppendNew(t.Evidence, id)
		}
		if ps := programs[i]; len(ps) > 0 {
			sort.Strings(ps)
			add = append(add, "programs of "+strings.Join(ps, ", "))
			t.Evidence = snapshot.AppendNew(t.Evidence, id)
		}
		switch {
		case len(add) == 0:
		case len(t.Software) > 0 && onlyRoot(*t):
			// A gem home's or site directory's markers are its packages' own
			// (a gem's Gemfile), not an application's.
			t.What = strings.Join(add, "; ")
		default:
			t.What = strings.TrimPrefix(t.What+"; "+strings.Join(add, "; "), "; ")
		}
	}
	return st, strings.Join(notes, "; "), it
}

// onlyRoot says whether the tree is the directory its software's kind keeps it in
// (a gem home, a site directory, node_modules) and nothing else.
func onlyRoot(t snapshot.UnmanagedTree) bool {
	for _, s := range t.Software {
		if s.Installer == "source" || s.Installer == "tarball" || softwareRoot(s) != t.Path {
			return false
		}
	}
	return true
}
