package kernel

import (
	"path"
	"sort"
	"strings"
)

// ConfFile is a configuration file as the probe found it.
type ConfFile struct {
	Path string
	Text string
}

// Link is a symbolic link in a sysctl directory, from its listing.
type Link struct {
	Path   string
	Target string // as the link says, relative to its directory or absolute
}

// Boot orders. Each names the rules a host applies its sysctl files by at boot.
const (
	// OrderSystem is systemd-sysctl's and procps's sysctl --system: every *.conf of
	// every directory sorted by file name, a name in an earlier directory (/etc, /run,
	// /usr/local/lib, /usr/lib, /lib) hiding the same name in a later one, a link to
	// /dev/null masking it; /etc/sysctl.conf last.
	OrderSystem = "systemd-sysctl / sysctl --system: files by name across /etc, /run, /usr/local/lib, /usr/lib, /lib sysctl.d (same name: the earlier directory wins), /etc/sysctl.conf last"
	// OrderInitscripts is RHEL 5/6's rc.sysinit (apply_sysctl): /etc/sysctl.conf,
	// then /etc/sysctl.d's files by name; no other directory.
	OrderInitscripts = "RHEL initscripts (apply_sysctl): /etc/sysctl.conf, then /etc/sysctl.d by name"
)

// Arrange returns the files in the order they are applied at boot, later ones
// overriding earlier ones. dirs are in precedence order; conf is /etc/sysctl.conf.
func Arrange(order string, dirs []string, conf string, files []ConfFile, links []Link) []ConfFile {
	byPath := map[string]ConfFile{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	var out []ConfFile
	if order == OrderInitscripts {
		if f, ok := byPath[conf]; ok {
			out = append(out, f)
		}
		var rest []ConfFile
		for _, f := range files {
			if path.Dir(f.Path) == dirs[0] && f.Path != conf {
				rest = append(rest, f)
			}
		}
		sort.Slice(rest, func(i, j int) bool { return path.Base(rest[i].Path) < path.Base(rest[j].Path) })
		return append(out, rest...)
	}
	// A name is taken by the first directory that has it; a link to /dev/null takes
	// the name and applies nothing, and a link to sysctl.conf is left for the end,
	// where sysctl.conf is applied anyway.
	taken := map[string]bool{}
	skip := map[string]bool{}
	for _, l := range links {
		t := l.Target
		if !strings.HasPrefix(t, "/") {
			t = path.Join(path.Dir(l.Path), t)
		}
		if t == "/dev/null" || t == conf {
			skip[l.Path] = true
		}
	}
	for _, d := range dirs {
		var names []string
		inDir := map[string]bool{}
		for _, f := range files {
			if path.Dir(f.Path) == d && strings.HasSuffix(f.Path, ".conf") {
				inDir[path.Base(f.Path)] = true
			}
		}
		for _, l := range links {
			if path.Dir(l.Path) == d && skip[l.Path] {
				inDir[path.Base(l.Path)] = true
			}
		}
		for n := range inDir {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if taken[n] {
				continue
			}
			taken[n] = true
			p := d + "/" + n
			if f, ok := byPath[p]; ok && !skip[p] {
				out = append(out, f)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return path.Base(out[i].Path) < path.Base(out[j].Path) })
	if f, ok := byPath[conf]; ok {
		out = append(out, f)
	}
	return out
}

// Setting is an assignment with the file it came from.
type Setting struct {
	Assignment
	File string
}

// Resolved is the outcome of applying the files in order.
type Resolved struct {
	// Winners holds, per explicit key, the assignments in applied order: the last
	// one is in force at boot.
	Winners map[string][]Setting
	// Globs are the pattern assignments in applied order.
	Globs []Setting
	// Excluded keys are kept out of every glob.
	Excluded map[string]bool
}

// Resolve applies the arranged files' assignments.
func Resolve(files []ConfFile) Resolved {
	r := Resolved{Winners: map[string][]Setting{}, Excluded: map[string]bool{}}
	for _, f := range files {
		for _, a := range ParseConf(f.Text) {
			s := Setting{Assignment: a, File: f.Path}
			switch {
			case a.Exclude:
				r.Excluded[a.Key] = true
			case a.Glob:
				r.Globs = append(r.Globs, s)
			default:
				r.Winners[a.Key] = append(r.Winners[a.Key], s)
			}
		}
	}
	return r
}

// ForKey returns the assignments that apply to a concrete key, in applied order:
// its explicit ones, or when it has none, the globs matching it (sysctl.d(5): a key
// with an explicit assignment is excluded from glob matching).
func (r Resolved) ForKey(key string) []Setting {
	if s, ok := r.Winners[key]; ok {
		return s
	}
	if r.Excluded[key] {
		return nil
	}
	var out []Setting
	for _, g := range r.Globs {
		if Matches(g.Key, key) {
			out = append(out, g)
		}
	}
	return out
}
