package mysql

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Option is one option line of an option file: `key`, `key = value`, in a group.
type Option struct {
	Group string // lower case, as MySQL compares group names
	Key   string // as written
	Value string // unquoted; "" for a bare flag such as skip-external-locking
	File  string
	Line  int
	// Origin names a command line the option was given on instead of a file.
	Origin string
}

// Include is an !include or !includedir directive.
type Include struct {
	Dir    bool // !includedir
	Target string
	File   string
	Line   int
}

// OptionFile is one parsed option file.
type OptionFile struct {
	Options  []Option
	Includes []Include
	// Order interleaves options and includes as they appear: MySQL reads an
	// included file at the point of the directive.
	Order []any
}

// ParseOptionFile reads a my.cnf-format file. Options before the first group are
// kept under group "" (MySQL rejects them; the error says so). Values lose their
// quotes and trailing comments; MySQL's escapes (\n, \t, \\, \s) are decoded in
// quoted values only, as the server does.
func ParseOptionFile(file, text string) (OptionFile, error) {
	var out OptionFile
	var perr kit.ParseError
	group := ""
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '!' {
			f := strings.Fields(line)
			if len(f) < 2 || (f[0] != "!include" && f[0] != "!includedir") {
				perr.Add(n, "unknown directive %q", line)
				continue
			}
			inc := Include{Dir: f[0] == "!includedir", Target: strings.TrimSpace(line[len(f[0]):]), File: file, Line: n}
			out.Includes = append(out.Includes, inc)
			out.Order = append(out.Order, inc)
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				perr.Add(n, "group header without ]")
				continue
			}
			group = strings.ToLower(strings.TrimSpace(line[1:end]))
			continue
		}
		if group == "" {
			perr.Add(n, "option outside any group")
		}
		key, val := line, ""
		if eq := strings.IndexByte(line, '='); eq >= 0 {
			key, val = strings.TrimSpace(line[:eq]), unquote(strings.TrimSpace(line[eq+1:]))
		} else if h := strings.IndexByte(key, '#'); h >= 0 {
			key = strings.TrimSpace(key[:h])
		}
		if key == "" {
			perr.Add(n, "no option name")
			continue
		}
		o := Option{Group: group, Key: key, Value: val, File: file, Line: n}
		out.Options = append(out.Options, o)
		out.Order = append(out.Order, o)
	}
	return out, perr.Err()
}

// unquote strips a value's quotes, or its trailing # comment when unquoted.
func unquote(v string) string {
	if v == "" {
		return v
	}
	if q := v[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(v[1:], q); end >= 0 {
			return unescape(v[1 : end+1])
		}
		return v[1:]
	}
	if h := strings.Index(v, "#"); h >= 0 {
		v = v[:h]
	}
	return strings.TrimSpace(v)
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	r := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\s`, " ", `\\`, `\`, `\b`, "\b", `\r`, "\r")
	return r.Replace(s)
}

// NormKey is an option name as the server compares it: dashes and underscores are
// the same, and the loose- prefix only silences unknown options.
func NormKey(k string) string {
	k = strings.ToLower(strings.ReplaceAll(k, "-", "_"))
	return strings.TrimPrefix(k, "loose_")
}

// Files are the option files read from the host, by path.
type Files map[string]OptionFile

// Merged is what the server reads, in order, and what could not be followed.
type Merged struct {
	Read       []string  // files in reading order
	Options    []Option  // every option of every group, in reading order
	Unfollowed []Include // includes whose target was not collected
}

// Roots are the option files MySQL reads by default, in its order (~/.my.cnf, last,
// is a client's file and never collected).
var Roots = []string{"/etc/my.cnf", "/etc/mysql/my.cnf"}

// collectedDirs are the directories the probe globs; an !includedir of another
// directory cannot be followed.
var collectedDirs = map[string]bool{
	"/etc/my.cnf.d": true, "/etc/mysql/conf.d": true, "/etc/mysql/mariadb.conf.d": true, "/etc/mysql/mysql.conf.d": true,
}

// Merge follows the roots and their includes in MySQL's reading order. !includedir
// reads the directory's *.cnf files in name order (MySQL 5.6+ and MariaDB sort; older
// MySQL took directory order, which the evidence does not keep). A file included
// twice is read once, which also stops include loops.
func Merge(files Files, roots []string) Merged {
	var m Merged
	seen := map[string]bool{}
	var read func(p string, depth int)
	read = func(p string, depth int) {
		f, ok := files[p]
		if !ok || seen[p] || depth > 10 {
			return
		}
		seen[p] = true
		m.Read = append(m.Read, p)
		for _, x := range f.Order {
			switch x := x.(type) {
			case Option:
				m.Options = append(m.Options, x)
			case Include:
				target := x.Target
				if !path.IsAbs(target) {
					target = path.Join(path.Dir(p), target)
				}
				target = path.Clean(target)
				if !x.Dir {
					if _, ok := files[target]; !ok {
						m.Unfollowed = append(m.Unfollowed, x)
					}
					read(target, depth+1)
					continue
				}
				if !collectedDirs[target] {
					m.Unfollowed = append(m.Unfollowed, x)
					continue
				}
				for _, q := range inDir(files, target) {
					read(q, depth+1)
				}
			}
		}
	}
	for _, r := range roots {
		read(r, 0)
	}
	return m
}

func inDir(files Files, dir string) []string {
	var out []string
	for p := range files {
		if path.Dir(p) == dir && strings.HasSuffix(p, ".cnf") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// ServerGroup reports whether mysqld reads a group: [mysqld], [server], MariaDB's
// [mariadb], [mariadbd] and [client-server], and the version groups of its own
// major.minor ([mysqld-5.0], [mariadb-10.5]). With the version unknown, every
// version group is taken.
func ServerGroup(group, majorMinor string) bool {
	switch group {
	case "mysqld", "server", "mariadb", "mariadbd", "client-server":
		return true
	}
	for _, p := range []string{"mysqld-", "mariadb-", "mariadbd-"} {
		if v, ok := strings.CutPrefix(group, p); ok {
			return majorMinor == "" || v == majorMinor
		}
	}
	return false
}

// Effective returns the server's settings: the last value of each option across the
// server groups, in the order each option first appears, with file:line of the value
// that wins.
type Effective struct {
	Settings []Option
	index    map[string]int
}

// ServerSettings picks the server's options out of the merged files, then takes
// those of its command line (l may be nil), which override every file. A
// --defaults-group-suffix adds each server group with the suffix.
func ServerSettings(m Merged, majorMinor string, l *Launch) Effective {
	e := Effective{index: map[string]int{}}
	suffix := ""
	if l != nil {
		suffix = l.GroupSuffix
	}
	for _, o := range m.Options {
		g := o.Group
		if suffix != "" && strings.HasSuffix(g, suffix) && ServerGroup(strings.TrimSuffix(g, suffix), majorMinor) {
			g = strings.TrimSuffix(g, suffix)
		}
		if ServerGroup(g, majorMinor) {
			e.set(o)
		}
	}
	if l != nil {
		for _, o := range l.Options {
			e.set(o)
		}
	}
	return e
}

func (e *Effective) set(o Option) {
	k := NormKey(o.Key)
	if i, ok := e.index[k]; ok {
		e.Settings[i] = o
		return
	}
	e.index[k] = len(e.Settings)
	e.Settings = append(e.Settings, o)
}

// Get returns the option set under any of the names.
func (e Effective) Get(names ...string) (Option, bool) {
	for _, n := range names {
		if i, ok := e.index[NormKey(n)]; ok {
			return e.Settings[i], true
		}
	}
	return Option{}, false
}

// Source is an option's file:line, or the command line it was given on.
func (o Option) Source() string {
	if o.Origin != "" {
		return o.Origin
	}
	return o.File + ":" + strconv.Itoa(o.Line)
}
