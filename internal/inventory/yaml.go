package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseYAML reads Ansible's YAML inventory: top-level keys are groups (usually
// all), each with hosts (a mapping of host entries, which may be ranges or carry
// :port, to their variables), children (groups, recursively) and vars. JSON is
// YAML too, and the JSON ansible-inventory --list writes (hosts and children as
// lists, host variables under _meta) is read as well.
func parseYAML(source string, data []byte) (*builder, error) {
	root, err := yamlRoot(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	b := newBuilder(source)
	if mapGet(root, "_meta") != nil {
		return b, b.listJSON(root)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if err := b.yamlGroup(root.Content[i].Value, root.Content[i+1]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func yamlRoot(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("the inventory is empty")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errors.New("a YAML inventory is a mapping of groups (all: hosts: ...)")
	}
	if mapGet(root, "plugin") != nil {
		return nil, errors.New("this is the configuration of an inventory plugin, which trowel does not run: write its hosts out with ansible-inventory -i FILE --list --yaml > inventory.yml and give that")
	}
	return root, nil
}

// looksLikeYAML tells a YAML inventory without a .yml name from an INI one: it
// must read as a mapping whose groups hold hosts, children or vars.
func looksLikeYAML(data []byte) bool {
	root, err := yamlRoot(data)
	if err != nil {
		return false
	}
	for i := 1; i < len(root.Content); i += 2 {
		v := root.Content[i]
		if root.Content[i-1].Value == "_meta" {
			return true
		}
		if v.Kind == yaml.MappingNode && (mapGet(v, "hosts") != nil || mapGet(v, "children") != nil || mapGet(v, "vars") != nil) {
			return true
		}
	}
	return false
}

func (b *builder) yamlGroup(name string, def *yaml.Node) error {
	b.group(name)
	if def == nil || def.Kind == yaml.ScalarNode && def.Tag == "!!null" {
		return nil
	}
	if def.Kind != yaml.MappingNode {
		return b.yamlError(def, "group %s must be a mapping of hosts, children and vars", name)
	}
	for i := 0; i+1 < len(def.Content); i += 2 {
		key, val := def.Content[i].Value, def.Content[i+1]
		if isNull(val) {
			continue
		}
		switch key {
		case "vars":
			vars, err := b.scalars(val, "vars of group "+name)
			if err != nil {
				return err
			}
			for k, v := range vars {
				b.groups[name].vars[k] = v
			}
		case "children":
			if val.Kind == yaml.ScalarNode { // "children: web" is allowed for one
				val = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{val, {Kind: yaml.ScalarNode, Tag: "!!null"}}}
			}
			if val.Kind != yaml.MappingNode {
				return b.yamlError(val, "children of group %s must be a mapping of groups", name)
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				child := val.Content[j].Value
				if err := b.yamlGroup(child, val.Content[j+1]); err != nil {
					return err
				}
				b.child(name, child)
			}
		case "hosts":
			if val.Kind == yaml.ScalarNode { // "hosts: web1" is allowed for one
				val = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{val, {Kind: yaml.ScalarNode, Tag: "!!null"}}}
			}
			if val.Kind != yaml.MappingNode {
				return b.yamlError(val, "hosts of group %s must be a mapping of host names (each followed by a colon)", name)
			}
			grp := name
			if name == "all" { // Ansible puts all's own hosts in ungrouped
				grp = "ungrouped"
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				k := val.Content[j]
				names, port, err := expandHostPattern(k.Value)
				if err != nil {
					return b.yamlError(k, "%v", err)
				}
				vars := map[string]string{}
				if hv := val.Content[j+1]; !isNull(hv) {
					if vars, err = b.scalars(hv, "variables of host "+k.Value); err != nil {
						return err
					}
				}
				if port != "" {
					vars["ansible_port"] = port
				}
				for _, n := range names {
					b.addHost(n, grp, vars, k.Line)
				}
			}
		}
	}
	return nil
}

// listJSON reads what ansible-inventory --list writes: each group with hosts and
// children as lists and vars as a mapping, host variables in _meta.hostvars.
func (b *builder) listJSON(root *yaml.Node) error {
	hostvars := map[string]map[string]string{}
	if hv := mapGet(mapGet(root, "_meta"), "hostvars"); hv != nil && hv.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(hv.Content); i += 2 {
			vars, err := b.scalars(hv.Content[i+1], "hostvars of "+hv.Content[i].Value)
			if err != nil {
				return err
			}
			hostvars[hv.Content[i].Value] = vars
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		name, def := root.Content[i].Value, root.Content[i+1]
		if name == "_meta" || def.Kind != yaml.MappingNode {
			continue
		}
		b.group(name)
		vars, err := b.scalars(mapGet(def, "vars"), "vars of group "+name)
		if err != nil {
			return err
		}
		for k, v := range vars {
			b.groups[name].vars[k] = v
		}
		for _, c := range items(mapGet(def, "children")) {
			b.child(name, c.Value)
		}
		grp := name
		if name == "all" {
			grp = "ungrouped"
		}
		for _, h := range items(mapGet(def, "hosts")) {
			b.addHost(h.Value, grp, hostvars[h.Value], h.Line)
		}
	}
	return nil
}

// scalars reads a mapping of variables, keeping the scalar ones: trowel reads
// only names, addresses, ports and flags. A vault-encrypted value is left out,
// with a note.
func (b *builder) scalars(n *yaml.Node, what string) (map[string]string, error) {
	out := map[string]string{}
	if isNull(n) {
		return out, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, b.yamlError(n, "%s must be a mapping", what)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch {
		case v.Tag == "!vault":
			b.notes = append(b.notes, fmt.Sprintf("%s: %s is vault-encrypted and was not read", what, k))
		case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
			out[k] = v.Value
		}
	}
	return out, nil
}

func (b *builder) yamlError(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", b.source, n.Line, fmt.Sprintf(format, args...))
}

// mapGet gives the value of key in a mapping node, or nil.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// items are the elements of a sequence node, or none.
func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// readVarDirs reads group_vars/ and host_vars/ beside the inventory, as Ansible
// does for an inventory file: for each group and host, a file named after it (no
// extension, .yml, .yaml or .json) or a directory of such files, read in name
// order. They override the inventory file's variables of the same group or host.
func (b *builder) readVarDirs(dir string) error {
	for _, g := range b.order {
		vars, err := b.varFiles(filepath.Join(dir, "group_vars"), g)
		if err != nil {
			return err
		}
		for k, v := range vars {
			b.groups[g].vars[k] = v
		}
	}
	for name, h := range b.hosts {
		vars, err := b.varFiles(filepath.Join(dir, "host_vars"), name)
		if err != nil {
			return err
		}
		for k, v := range vars {
			h.vars[k] = v
		}
	}
	return nil
}

func (b *builder) varFiles(dir, name string) (map[string]string, error) {
	var files []string
	base := filepath.Join(dir, name)
	if fi, err := os.Stat(base); err == nil && fi.IsDir() {
		entries, err := os.ReadDir(base)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && varFileExt(e.Name()) {
				files = append(files, filepath.Join(base, e.Name()))
			}
		}
		sort.Strings(files)
	} else {
		for _, ext := range []string{"", ".yml", ".yaml", ".json"} {
			if fi, err := os.Stat(base + ext); err == nil && fi.Mode().IsRegular() {
				files = append(files, base+ext)
			}
		}
	}
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("$ANSIBLE_VAULT")) {
			b.notes = append(b.notes, f+" is vault-encrypted and was not read")
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		saved := b.source
		b.source = f
		vars, err := b.scalars(doc.Content[0], "variables in "+f)
		b.source = saved
		if err != nil {
			return nil, err
		}
		for k, v := range vars {
			out[k] = v
		}
	}
	return out, nil
}

func varFileExt(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch filepath.Ext(name) {
	case "", ".yml", ".yaml", ".json":
		return true
	}
	return false
}
