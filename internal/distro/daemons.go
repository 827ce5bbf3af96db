package distro

import (
	"embed"
	"fmt"
	"path"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Daemon is a process that shows a service runs.
type Daemon struct {
	// Name is matched against a process's comm, its argv[0] base name, or for an
	// interpreter (sh, python, perl, ruby ...) the base name of the script it runs.
	Name string
	// Args, when set, must also occur in the command line: "master" alone is too
	// common a name to mean Postfix, "java" to mean Tomcat.
	Args string
}

// ServiceDaemons is the processes that run service, a name as the init system
// gives it (a SysV script, an upstart job, a systemd unit without ".service"),
// matched exactly. known is true for a long-running daemon the table lists: when
// the process list is complete and none of its processes is there, it is not
// running. A service the table does not list may be a one-shot script that runs
// no process at all (see data/daemons.yaml).
func ServiceDaemons(service string) (daemons []Daemon, known bool) {
	ds, ok := data().daemons[service]
	return slices.Clone(ds), ok
}

// UnitPackages is the packages that ship service's unit or init script where their
// names differ from the service's, as shell patterns in order of preference (the
// first one installed wins), and whether the table lists any. A service it does
// not list is shipped, if at all, by the package of its own name.
func UnitPackages(service string) (patterns []string, listed bool) {
	ps, ok := data().unitPackages[service]
	return slices.Clone(ps), ok
}

type daemonRow struct {
	Services  []string      `yaml:"services"`
	Processes []processSpec `yaml:"processes"`
}

type unitPackageRow struct {
	Services []string `yaml:"services"`
	Packages []string `yaml:"packages"`
	OfRole   string   `yaml:"of_role"`
}

// processSpec is one process of daemons.yaml: a name alone, or {name, args}.
type processSpec Daemon

func (p *processSpec) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		p.Name = n.Value
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "name":
				p.Name = v.Value
			case "args":
				p.Args = v.Value
			default:
				return fmt.Errorf("line %d: a process has a name and args, not %q", k.Line, k.Value)
			}
		}
	default:
		return fmt.Errorf("line %d: a process is a name or {name, args}", n.Line)
	}
	if p.Name == "" {
		return fmt.Errorf("line %d: a process without a name", n.Line)
	}
	return nil
}

func (t *tables) loadDaemons(fsys embed.FS) error {
	var f struct {
		Daemons      []daemonRow      `yaml:"daemons"`
		UnitPackages []unitPackageRow `yaml:"unit_packages"`
	}
	if err := decodeStrict(fsys, "data/daemons.yaml", &f); err != nil {
		return err
	}
	t.daemons = map[string][]Daemon{}
	for i, r := range f.Daemons {
		if len(r.Services) == 0 || len(r.Processes) == 0 {
			return fmt.Errorf("daemons.yaml: daemons entry %d needs services and processes", i+1)
		}
		ds := make([]Daemon, len(r.Processes))
		for j, p := range r.Processes {
			ds[j] = Daemon(p)
		}
		for _, s := range r.Services {
			if _, dup := t.daemons[s]; dup || s == "" {
				return fmt.Errorf("daemons.yaml: daemons entry %d: service %q is empty or listed twice", i+1, s)
			}
			t.daemons[s] = ds
		}
	}
	t.unitPackages = map[string][]string{}
	for i, r := range f.UnitPackages {
		pkgs := r.Packages
		if r.OfRole != "" {
			if len(pkgs) > 0 {
				return fmt.Errorf("daemons.yaml: unit_packages entry %d has both packages and of_role", i+1)
			}
			var err error
			if pkgs, err = t.serviceShippers(r.OfRole); err != nil {
				return fmt.Errorf("daemons.yaml: unit_packages entry %d: %v", i+1, err)
			}
		}
		if len(r.Services) == 0 || len(pkgs) == 0 {
			return fmt.Errorf("daemons.yaml: unit_packages entry %d needs services and packages", i+1)
		}
		for _, p := range pkgs {
			if _, err := path.Match(p, ""); err != nil || p == "" {
				return fmt.Errorf("daemons.yaml: unit_packages entry %d: bad pattern %q", i+1, p)
			}
		}
		for _, s := range r.Services {
			if _, dup := t.unitPackages[s]; dup || s == "" {
				return fmt.Errorf("daemons.yaml: unit_packages entry %d: service %q is empty or listed twice", i+1, s)
			}
			t.unitPackages[s] = pkgs
		}
	}
	return nil
}

// serviceShippers is the patterns of role's packages that ship its service.
func (t *tables) serviceShippers(role string) ([]string, error) {
	for _, r := range t.services {
		if r.Role != role {
			continue
		}
		var out []string
		for _, p := range r.packages {
			if p.Service {
				out = append(out, p.Pattern)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("role %s has no package that ships its service", role)
		}
		return out, nil
	}
	return nil, fmt.Errorf("no role %q in services.yaml", role)
}
