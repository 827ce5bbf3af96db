package apache

import (
	"path"
	"sort"
	"strings"
)

// Config is the effective configuration: the main file with every Include spliced in
// where it stands, and <IfModule> sections decided when the loaded modules are known.
type Config struct {
	Lines []Line
	// Files are the files read, in the order they were included.
	Files []string
	// Missing are include targets that matched no collected file.
	Missing []string
	// Errors are the lines that could not be read, "file: reason".
	Errors []string
}

// maxDepth bounds include nesting: httpd itself stops at 128, a loop here at 16.
const maxDepth = 16

// Resolve reads main and what it includes from files (path to content, the items
// collected). root is the ServerRoot relative paths are resolved against, vars the
// known ${VAR} values (Define adds to them); modules, when not nil, decides
// <IfModule> sections, else their content is kept.
func Resolve(main, root string, files map[string]string, vars map[string]string, modules map[string]bool) Config {
	r := &resolver{files: files, vars: map[string]string{}, modules: modules, root: root, open: map[string]bool{}}
	for k, v := range vars {
		r.vars[k] = v
	}
	r.file(main, 0)
	return r.cfg
}

type resolver struct {
	cfg     Config
	files   map[string]string
	vars    map[string]string
	modules map[string]bool
	root    string
	open    map[string]bool
	skip    int // depth inside an <IfModule> that does not hold
}

func (r *resolver) file(name string, depth int) {
	if depth > maxDepth || r.open[name] {
		r.cfg.Errors = append(r.cfg.Errors, name+": included in a loop or too deeply; not read again")
		return
	}
	r.open[name] = true
	defer delete(r.open, name)
	r.cfg.Files = append(r.cfg.Files, name)
	lines, err := ParseConfig(name, r.files[name])
	if err != nil {
		r.cfg.Errors = append(r.cfg.Errors, name+": "+err.Error())
	}
	for _, l := range lines {
		if r.skip > 0 {
			switch {
			case l.Open && strings.EqualFold(l.Name, "IfModule"):
				r.skip++
			case l.Close && strings.EqualFold(l.Name, "IfModule"):
				r.skip--
			}
			continue
		}
		for i, a := range l.Args {
			l.Args[i] = Expand(a, r.vars)
		}
		switch {
		case l.Open && strings.EqualFold(l.Name, "IfModule") && len(l.Args) > 0 && r.modules != nil:
			if !r.holds(l.Args[0]) {
				r.skip = 1
			}
			continue
		case l.Close && strings.EqualFold(l.Name, "IfModule") && r.modules != nil:
			continue
		case strings.EqualFold(l.Name, "Define") && len(l.Args) > 0:
			v := ""
			if len(l.Args) > 1 {
				v = l.Args[1]
			}
			r.vars[l.Args[0]] = v
		case strings.EqualFold(l.Name, "ServerRoot") && len(l.Args) > 0:
			r.root = l.Args[0]
		case (strings.EqualFold(l.Name, "Include") || strings.EqualFold(l.Name, "IncludeOptional")) && len(l.Args) > 0:
			r.cfg.Lines = append(r.cfg.Lines, l)
			r.include(l, depth)
			continue
		}
		r.cfg.Lines = append(r.cfg.Lines, l)
	}
}

func (r *resolver) holds(arg string) bool {
	neg := strings.HasPrefix(arg, "!")
	return r.modules[ModuleID(strings.TrimPrefix(arg, "!"))] != neg
}

// ModuleID names a module as -M does: "mod_ssl.c" and "ssl_module" are both
// "ssl_module".
func ModuleID(s string) string {
	if strings.HasPrefix(s, "mod_") && strings.HasSuffix(s, ".c") {
		return strings.TrimSuffix(strings.TrimPrefix(s, "mod_"), ".c") + "_module"
	}
	return s
}

func (r *resolver) include(l Line, depth int) {
	pat := l.Args[0]
	if !strings.HasPrefix(pat, "/") {
		pat = path.Join(r.root, pat)
	}
	pat = path.Clean(pat)
	var hits []string
	if strings.ContainsAny(pat, "*?[") {
		for f := range r.files {
			if ok, _ := path.Match(pat, f); ok {
				hits = append(hits, f)
			}
		}
	} else if _, ok := r.files[pat]; ok {
		hits = []string{pat}
	} else {
		// A directory: httpd reads every file below it.
		for f := range r.files {
			if strings.HasPrefix(f, pat+"/") {
				hits = append(hits, f)
			}
		}
	}
	if len(hits) == 0 {
		what := pat + " (" + l.Name + " at " + l.Source() + ")"
		if strings.EqualFold(l.Name, "IncludeOptional") {
			what += ", which may match nothing"
		}
		r.cfg.Missing = append(r.cfg.Missing, what)
		return
	}
	sort.Strings(hits)
	for _, h := range hits {
		r.file(h, depth+1)
	}
}
