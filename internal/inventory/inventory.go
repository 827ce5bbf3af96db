// Package inventory reads the lists of hosts an estate is surveyed from: an Ansible
// inventory (INI or YAML, with its groups, children, host ranges such as web[01:03],
// variables and the group_vars/ and host_vars/ beside it), or a plain file of trowel
// targets, one per line. It reads only what trowel needs to reach a host
// (ansible_host, ansible_user, ansible_port, ansible_ssh_private_key_file,
// ansible_become, ansible_connection) and the groups, for --limit and the store; it
// runs nothing and evaluates no template.
package inventory

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Host is one host of an inventory, with the variables that apply to it.
type Host struct {
	// Name is the inventory's name for the host (inventory_hostname).
	Name string
	// Group is the first group, in the inventory's order, that lists the host
	// itself; "" for a host in no group but all (Ansible's "ungrouped").
	Group string
	// Groups are every group the host belongs to, directly or as a member of a
	// child group, sorted; "all" and "ungrouped" are left out.
	Groups []string
	// Vars are the host's variables after Ansible's precedence: all's, then each
	// group's from the outermost to the innermost (of one depth, by name), then
	// group_vars/ files, then the host's own, then host_vars/ files. Only scalar
	// values are kept.
	Vars map[string]string
	// At says where the host was defined, for messages: "hosts.ini:12".
	At string
}

// Variables trowel reads, with the older names Ansible still accepts.
var (
	hostVars = []string{"ansible_host", "ansible_ssh_host"}
	userVars = []string{"ansible_user", "ansible_ssh_user", "ansible_remote_user"}
	portVars = []string{"ansible_port", "ansible_ssh_port"}
	keyVars  = []string{"ansible_ssh_private_key_file", "ansible_private_key_file"}
)

func (h Host) first(names []string) string {
	for _, n := range names {
		if v, ok := h.Vars[n]; ok && v != "" {
			return v
		}
	}
	return ""
}

// Address is where the host is reached: ansible_host, else its name.
func (h Host) Address() string { return cmp.Or(h.first(hostVars), h.Name) }

// User is ansible_user, or "" (the ssh config's User, else the local user).
func (h Host) User() string { return h.first(userVars) }

// KeyFile is ansible_ssh_private_key_file, or "".
func (h Host) KeyFile() string { return h.first(keyVars) }

// Become says whether ansible_become asks for root through sudo.
func (h Host) Become() bool {
	if !truthy(h.Vars["ansible_become"]) {
		return false
	}
	m := cmp.Or(h.Vars["ansible_become_method"], "sudo")
	return m == "sudo"
}

// Target is the trowel target that reaches the host: "local" for
// ansible_connection=local, else ssh://[user@]address[:port]. A connection trowel
// does not speak (winrm, docker ...), a value left as a Jinja template, or a port
// that is no number is an error naming the host and the variable.
func (h Host) Target() (string, error) {
	switch c := h.Vars["ansible_connection"]; c {
	case "", "ssh", "smart", "paramiko", "paramiko_ssh", "ansible.builtin.ssh", "ansible.builtin.paramiko_ssh":
	case "local", "ansible.builtin.local":
		return "local", nil
	default:
		return "", fmt.Errorf("%s (%s): ansible_connection=%s; trowel reaches hosts over SSH or locally only", h.Name, h.At, c)
	}
	for _, names := range [][]string{hostVars, userVars, portVars, keyVars} {
		for _, n := range names {
			if v := h.Vars[n]; strings.Contains(v, "{{") || strings.Contains(v, "{%") {
				return "", fmt.Errorf("%s (%s): %s is a template (%s), which trowel does not evaluate; give the value itself (ansible-inventory --list --yaml writes the inventory with templates evaluated)", h.Name, h.At, n, v)
			}
		}
	}
	addr := h.Address()
	if strings.ContainsAny(addr, " \t/@") || addr == "" {
		return "", fmt.Errorf("%s (%s): %q is not a host name or address", h.Name, h.At, addr)
	}
	t := "ssh://"
	if u := h.User(); u != "" {
		t += u + "@"
	}
	if p := h.first(portVars); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%s (%s): ansible_port %q is not a port number", h.Name, h.At, p)
		}
		return t + net.JoinHostPort(addr, p), nil
	}
	if strings.Contains(addr, ":") { // IPv6
		return t + "[" + addr + "]", nil
	}
	return t + addr, nil
}

func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1", "y", "t":
		return true
	}
	return false
}

// Inventory is a parsed inventory.
type Inventory struct {
	// Source names the file, for messages.
	Source string
	// Hosts are in the order the inventory first names them.
	Hosts []Host
	// Notes say what was read besides the file and what was left out (a
	// vault-encrypted group_vars file), for the operator.
	Notes []string

	groups map[string]*group
	order  []string // group names in order of appearance
}

// Groups lists the inventory's groups in the order they appear ("all" and
// "ungrouped" included).
func (inv *Inventory) Groups() []string { return slices.Clone(inv.order) }

// group is a group as the file declares it.
type group struct {
	name     string
	vars     map[string]string
	hosts    []string // direct members, in order
	children []string
	parents  []string
}

// host is a host as the file declares it, before variables are merged.
type host struct {
	name  string
	vars  map[string]string
	order int
	at    string
}

// builder collects groups and hosts while a file is parsed.
type builder struct {
	source string
	groups map[string]*group
	order  []string
	hosts  map[string]*host
	notes  []string
}

func newBuilder(source string) *builder {
	b := &builder{source: source, groups: map[string]*group{}, hosts: map[string]*host{}}
	b.group("all")
	b.group("ungrouped")
	b.child("all", "ungrouped")
	return b
}

func (b *builder) group(name string) *group {
	if g, ok := b.groups[name]; ok {
		return g
	}
	g := &group{name: name, vars: map[string]string{}}
	b.groups[name] = g
	b.order = append(b.order, name)
	return g
}

func (b *builder) child(parent, child string) {
	p, c := b.group(parent), b.group(child)
	if !slices.Contains(p.children, child) {
		p.children = append(p.children, child)
		c.parents = append(c.parents, parent)
	}
}

// addHost adds a host to a group with its own variables ("" group: ungrouped).
func (b *builder) addHost(name, grp string, vars map[string]string, line int) {
	h, ok := b.hosts[name]
	if !ok {
		h = &host{name: name, vars: map[string]string{}, order: len(b.hosts), at: fmt.Sprintf("%s:%d", filepath.Base(b.source), line)}
		b.hosts[name] = h
	}
	for k, v := range vars {
		h.vars[k] = v
	}
	g := b.group(cmp.Or(grp, "ungrouped"))
	if !slices.Contains(g.hosts, name) {
		g.hosts = append(g.hosts, name)
	}
}

// build merges the variables and makes the Inventory. A host Ansible would keep
// in ungrouped only while it is in no other group is taken out of ungrouped.
func (b *builder) build() (*Inventory, error) {
	if err := b.checkCycles(); err != nil {
		return nil, err
	}
	depth := b.depths()
	inv := &Inventory{Source: b.source, groups: map[string]*group{}, order: b.order, Notes: b.notes}
	for n, g := range b.groups {
		inv.groups[n] = g
	}
	names := make([]*host, 0, len(b.hosts))
	for _, h := range b.hosts {
		names = append(names, h)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].order < names[j].order })
	for _, h := range names {
		direct := b.directGroups(h.name)
		all := b.ancestors(direct)
		// Ansible: all first, then groups by depth (deeper wins), then by name.
		sort.Slice(all, func(i, j int) bool {
			if depth[all[i]] != depth[all[j]] {
				return depth[all[i]] < depth[all[j]]
			}
			return all[i] < all[j]
		})
		vars := map[string]string{}
		for _, g := range all {
			for k, v := range b.groups[g].vars {
				vars[k] = v
			}
		}
		for k, v := range h.vars {
			vars[k] = v
		}
		out := Host{Name: h.name, Vars: vars, At: h.at}
		for _, g := range direct {
			if g != "ungrouped" && g != "all" {
				out.Group = g
				break
			}
		}
		for _, g := range all {
			if g != "all" && g != "ungrouped" {
				out.Groups = append(out.Groups, g)
			}
		}
		sort.Strings(out.Groups)
		inv.Hosts = append(inv.Hosts, out)
	}
	return inv, nil
}

// directGroups are the groups that list the host themselves, in file order; a
// host in another group is no longer in ungrouped.
func (b *builder) directGroups(name string) []string {
	var out []string
	for _, g := range b.order {
		if slices.Contains(b.groups[g].hosts, name) {
			out = append(out, g)
		}
	}
	if len(out) > 1 {
		out = slices.DeleteFunc(out, func(g string) bool { return g == "ungrouped" })
	}
	return out
}

// ancestors are the groups given and every group above them, all included.
func (b *builder) ancestors(groups []string) []string {
	seen := map[string]bool{"all": true}
	out := []string{"all"}
	var walk func(string)
	walk = func(g string) {
		if seen[g] {
			return
		}
		seen[g] = true
		out = append(out, g)
		for _, p := range b.groups[g].parents {
			walk(p)
		}
	}
	for _, g := range groups {
		walk(g)
	}
	return out
}

// depths gives each group its distance from all: a top-level group is 1, its
// children 2; a group reached two ways takes the longer, as Ansible does.
func (b *builder) depths() map[string]int {
	d := map[string]int{}
	var walk func(string, int)
	walk = func(g string, n int) {
		if cur, ok := d[g]; ok && cur >= n {
			return
		}
		d[g] = n
		for _, c := range b.groups[g].children {
			walk(c, n+1)
		}
	}
	walk("all", 0)
	for _, g := range b.order { // a group declared but under no parent is under all
		if _, ok := d[g]; !ok {
			walk(g, 1)
		}
	}
	return d
}

func (b *builder) checkCycles() error {
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string, []string) error
	visit = func(g string, path []string) error {
		switch state[g] {
		case 1:
			return fmt.Errorf("%s: group %s is its own child (%s)", b.source, g, strings.Join(append(path, g), " → "))
		case 2:
			return nil
		}
		state[g] = 1
		for _, c := range b.groups[g].children {
			if err := visit(c, append(path, g)); err != nil {
				return err
			}
		}
		state[g] = 2
		return nil
	}
	for _, g := range b.order {
		if err := visit(g, nil); err != nil {
			return err
		}
	}
	return nil
}

// Load reads an inventory file and the group_vars/ and host_vars/ directories
// beside it. The format is YAML for .yml, .yaml and .json files and for other files
// that read as a YAML inventory, else INI.
func Load(path string) (*Inventory, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory; give the inventory file in it (trowel reads one inventory file and the group_vars/ and host_vars/ beside it)", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := b.readVarDirs(filepath.Dir(path)); err != nil {
		return nil, err
	}
	return b.build()
}

// Parse reads an inventory held in memory; source names it (its extension picks
// the format as in Load). group_vars/ and host_vars/ are not read.
func Parse(source string, data []byte) (*Inventory, error) {
	b, err := parse(source, data)
	if err != nil {
		return nil, err
	}
	return b.build()
}

func parse(source string, data []byte) (*builder, error) {
	if err := notAnInventory(source, data); err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(source)) {
	case ".yml", ".yaml", ".json":
		return parseYAML(source, data)
	}
	if looksLikeYAML(data) {
		return parseYAML(source, data)
	}
	return parseINI(source, data)
}

// CheckFile says, before anything else is checked, when the file given as an
// inventory is what is often given by mistake (see notAnInventory): "trowel survey
// HOST -i KEY" must say that -i is not the key here, not that HOST and -i clash. A
// file that cannot be read is left for Load to report.
func CheckFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	return notAnInventory(path, head[:n])
}

// notAnInventory recognises what is often given by mistake: an SSH private key
// (-i is the identity on other tools) or a dynamic inventory script, which trowel
// does not run.
func notAnInventory(source string, data []byte) error {
	head := bytes.TrimSpace(data[:min(len(data), 4096)])
	switch {
	case bytes.HasPrefix(head, []byte("-----BEGIN")) && bytes.Contains(head, []byte("PRIVATE KEY")),
		bytes.HasPrefix(head, []byte("PuTTY-User-Key-File")):
		return fmt.Errorf("%s is an SSH private key, not an inventory: on trowel survey, -i names an Ansible inventory (as ansible's -i does); give the key with --identity", source)
	case bytes.HasPrefix(head, []byte("#!")):
		return fmt.Errorf("%s is a script (a dynamic inventory?); trowel does not run it: write its hosts out with ansible-inventory -i %s --list --yaml > inventory.yml and give that", source, source)
	}
	return nil
}

// ParseTargets reads a plain file of targets: one per line, anything trowel survey
// takes (an SSH destination, local, a directory, an evidence file); blank lines
// and comments (# to the end of the line) are skipped.
func ParseTargets(source string, data []byte) ([]string, error) {
	var out []string
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(stripComment(line))
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("%s:%d: %q holds more than one word; give one target per line", source, i+1, line)
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s names no target", source)
	}
	return out, nil
}

// stripComment cuts a line at a # that starts it or follows a blank.
func stripComment(line string) string {
	for i, r := range line {
		if r == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}
