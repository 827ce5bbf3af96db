package distro

import (
	"embed"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed data/services.yaml data/packages.yaml data/daemons.yaml
var dataFS embed.FS

type serviceRow struct {
	Role         string            `yaml:"role"`
	Aliases      []string          `yaml:"aliases"`
	On           map[string]string `yaml:"on"`
	MTA          bool              `yaml:"mta"`
	Packages     []rolePackageRow  `yaml:"packages"`
	Programs     []string          `yaml:"programs"`
	Docs         []string          `yaml:"docs"`
	VersionFiles []versionFileRow  `yaml:"version_files"`

	packages     []RolePackage // Packages, checked
	versionFiles []VersionFile // VersionFiles, compiled
}

type versionFileRow struct {
	Path string `yaml:"path"`
	Line string `yaml:"line"`
}

type rolePackageRow struct {
	Name   string `yaml:"name"`
	Flavor string `yaml:"flavor"`
	Ships  string `yaml:"ships"` // "", "program" or "service"
}

type packageRow struct {
	On      map[string][]string `yaml:"on"`
	Aliases []string            `yaml:"aliases"`
	Outside []string            `yaml:"outside"`
	Notes   map[string]string   `yaml:"notes"`
}

// matcher finds the row a name belongs to: exact names first, then shell globs in
// the order of the file.
type matcher struct {
	exact map[string]int
	globs []glob
}

type glob struct {
	pattern string
	row     int
}

func (m *matcher) add(name string, row int) error {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return fmt.Errorf("empty name")
	}
	if strings.ContainsAny(name, "*?[") {
		if _, err := path.Match(name, ""); err != nil {
			return fmt.Errorf("bad pattern %q: %v", name, err)
		}
		m.globs = append(m.globs, glob{name, row})
		return nil
	}
	if prev, ok := m.exact[name]; ok && prev != row {
		return fmt.Errorf("%q names two rows (%d and %d)", name, prev, row)
	}
	m.exact[name] = row
	return nil
}

func (m *matcher) find(name string) (int, bool) {
	if r, ok := m.exact[name]; ok {
		return r, true
	}
	for _, g := range m.globs {
		if ok, _ := path.Match(g.pattern, name); ok {
			return g.row, true
		}
	}
	return 0, false
}

type tables struct {
	services  []serviceRow
	serviceBy matcher // every alias and name of a role → its row

	daemons      map[string][]Daemon // service → the processes that run it
	unitPackages map[string][]string // service → the packages that ship its unit

	packages []packageRow
	aliasBy  matcher        // package aliases → row
	anyName  map[string]int // a name a row uses on some platform → the first such row
	sameName map[string]bool
}

var loaded = sync.OnceValues(func() (*tables, error) {
	return loadTables(dataFS)
})

// data is the parsed table. The table is compiled in and checked by the tests, so a
// failure here is a bug in the build, not in anyone's input.
func data() *tables {
	t, err := loaded()
	if err != nil {
		panic("distro: embedded mapping table: " + err.Error())
	}
	return t
}

func loadTables(fsys embed.FS) (*tables, error) {
	t := &tables{
		serviceBy: matcher{exact: map[string]int{}},
		aliasBy:   matcher{exact: map[string]int{}},
		anyName:   map[string]int{},
		sameName:  map[string]bool{},
	}
	var svc struct {
		Services []serviceRow `yaml:"services"`
	}
	if err := decodeStrict(fsys, "data/services.yaml", &svc); err != nil {
		return nil, err
	}
	for i, r := range svc.Services {
		if r.Role == "" || len(r.On) == 0 {
			return nil, fmt.Errorf("services.yaml: entry %d needs a role and on", i+1)
		}
		on := map[string]string{}
		for k, v := range r.On {
			ck, err := canonicalSelector(k)
			if err != nil {
				return nil, fmt.Errorf("services.yaml: role %s: %v", r.Role, err)
			}
			on[ck] = v
		}
		r.On = on
		names := append([]string{r.Role}, r.Aliases...)
		for _, v := range r.On {
			names = append(names, v)
		}
		for _, n := range names {
			if err := t.serviceBy.add(n, i); err != nil {
				return nil, fmt.Errorf("services.yaml: role %s: %v", r.Role, err)
			}
		}
		for _, p := range r.Packages {
			rp, err := p.check()
			if err != nil {
				return nil, fmt.Errorf("services.yaml: role %s: %v", r.Role, err)
			}
			r.packages = append(r.packages, rp)
		}
		if err := r.checkTraces(); err != nil {
			return nil, fmt.Errorf("services.yaml: role %s: %v", r.Role, err)
		}
		t.services = append(t.services, r)
	}
	if err := t.loadDaemons(fsys); err != nil {
		return nil, err
	}

	var pkg struct {
		SameName []string     `yaml:"same_name"`
		Packages []packageRow `yaml:"packages"`
	}
	if err := decodeStrict(fsys, "data/packages.yaml", &pkg); err != nil {
		return nil, err
	}
	for i, r := range pkg.Packages {
		if len(r.On) == 0 {
			return nil, fmt.Errorf("packages.yaml: entry %d has no on", i+1)
		}
		on := map[string][]string{}
		for k, v := range r.On {
			ck, err := canonicalSelector(k)
			if err != nil {
				return nil, fmt.Errorf("packages.yaml: entry %d: %v", i+1, err)
			}
			on[ck] = v
			for _, n := range v {
				if _, seen := t.anyName[strings.ToLower(n)]; !seen {
					t.anyName[strings.ToLower(n)] = i
				}
			}
		}
		r.On = on
		for j, k := range r.Outside {
			ck, err := canonicalSelector(k)
			if err != nil {
				return nil, fmt.Errorf("packages.yaml: entry %d outside: %v", i+1, err)
			}
			r.Outside[j] = ck
		}
		notes := map[string]string{}
		for k, v := range r.Notes {
			ck := "any"
			if k != "any" {
				var err error
				if ck, err = canonicalSelector(k); err != nil {
					return nil, fmt.Errorf("packages.yaml: entry %d notes: %v", i+1, err)
				}
			}
			notes[ck] = v
		}
		r.Notes = notes
		for _, a := range r.Aliases {
			if err := t.aliasBy.add(a, i); err != nil {
				return nil, fmt.Errorf("packages.yaml: entry %d: %v", i+1, err)
			}
		}
		t.packages = append(t.packages, r)
	}
	for _, n := range pkg.SameName {
		n = strings.ToLower(n)
		if t.sameName[n] {
			return nil, fmt.Errorf("packages.yaml: %q twice in same_name", n)
		}
		t.sameName[n] = true
	}
	return t, nil
}

func decodeStrict(fsys embed.FS, name string, v any) error {
	b, err := fsys.ReadFile(name)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

var elSelector = regexp.MustCompile(`^el[0-9]+$`)

// canonicalSelector writes a table key the way Platform.keys spells it.
func canonicalSelector(k string) (string, error) {
	k = strings.ToLower(strings.TrimSpace(k))
	switch {
	case k == "rhel" || k == "debian" || elSelector.MatchString(k):
		return k, nil
	case idAliases[k] != "":
		return idAliases[k], nil
	}
	p, err := ParsePlatform(k)
	if err != nil {
		return "", fmt.Errorf("selector %q: %v", k, err)
	}
	return p.ID + "-" + p.Version, nil
}

// resolveOn picks the value for p from a selector map, and the selector it came from.
func resolveOn[V any](on map[string]V, p Platform) (V, string, bool) {
	for _, k := range p.keys() {
		if v, ok := on[k]; ok {
			return v, k, true
		}
	}
	var zero V
	return zero, "", false
}

// packageRowFor finds the row of name as it is known on from: a name the row gives
// for from first, then an alias, then a name the row gives on any platform.
func (t *tables) packageRowFor(name string, from Platform) (int, bool) {
	for i, r := range t.packages {
		names, _, _ := resolveOn(r.On, from)
		if slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, name) }) {
			return i, true
		}
	}
	if r, ok := t.aliasBy.exact[name]; ok {
		return r, true
	}
	if r, ok := t.anyName[name]; ok {
		return r, true
	}
	return t.aliasBy.find(name)
}
