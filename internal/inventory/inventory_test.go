package inventory

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func load(t *testing.T, name string) *Inventory {
	t.Helper()
	inv, err := Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func byName(inv *Inventory) map[string]Host {
	out := map[string]Host{}
	for _, h := range inv.Hosts {
		out[h.Name] = h
	}
	return out
}

func names(hs []Host) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return out
}

func target(t *testing.T, h Host) string {
	t.Helper()
	s, err := h.Target()
	if err != nil {
		t.Fatalf("%s: %v", h.Name, err)
	}
	return s
}

// Ansible's INI example, read as Ansible reads it.
func TestINIDocsExample(t *testing.T) {
	inv := load(t, "docs-ini.ini")
	want := []string{"front1", "front2", "cat1", "cat2", "cat3", "ci1"}
	if got := names(inv.Hosts); !reflect.DeepEqual(got, want) {
		t.Fatalf("hosts %v, want %v", got, want)
	}
	h := byName(inv)
	for _, c := range []struct{ host, key, want string }{
		{"front2", "ansible_port", "222"},
		{"front1", "http_port", "8080"},
		{"cat1", "myvar", "23"},
		{"cat2", "myvar", "34"},             // the host's own beats its groups'
		{"cat3", "mysecret", "03#pa33w0rd"}, // the quotes kept the # out of the comment
		{"ci1", "has_java", "True"},         // a child's group vars beat the parent's and all's
		{"front1", "has_java", "False"},     // all's reach every host
		{"cat1", "http_port", "8080"},       // web's vars reach its children's hosts
	} {
		if got := h[c.host].Vars[c.key]; got != c.want {
			t.Errorf("%s %s = %q, want %q", c.host, c.key, got, c.want)
		}
	}
	if g := h["cat1"].Groups; !reflect.DeepEqual(g, []string{"apache", "web"}) {
		t.Errorf("cat1 groups %v", g)
	}
	if h["cat1"].Group != "apache" || h["front1"].Group != "web" {
		t.Errorf("primary groups: %q %q", h["cat1"].Group, h["front1"].Group)
	}
	if got := target(t, h["front2"]); got != "ssh://front2:222" {
		t.Errorf("front2 → %s", got)
	}

	inv = load(t, "docs-ini-2.ini")
	if got := names(inv.Hosts); !reflect.DeepEqual(got, []string{"loose1", "loose2", "loose3", "both"}) {
		t.Fatalf("hosts %v", got)
	}
	h = byName(inv)
	if got := target(t, h["loose3"]); got != "ssh://127.0.0.1:45" {
		t.Errorf("loose3 → %s", got)
	}
	if h["loose1"].Group != "" || h["both"].Group != "g1" || !reflect.DeepEqual(h["both"].Groups, []string{"g1", "g2"}) {
		t.Errorf("groups: %q %+v", h["loose1"].Group, h["both"])
	}
}

// Ansible's YAML example: nested children, a host without a colon, a host named
// in two groups.
func TestYAMLDocsExample(t *testing.T) {
	inv := load(t, "docs.yml")
	h := byName(inv)
	if got := names(inv.Hosts); !reflect.DeepEqual(got, []string{"node1", "node2", "node5", "node6", "node4"}) {
		t.Fatalf("hosts %v", got)
	}
	if h["node1"].Vars["group_all_var"] != "value" || h["node2"].Vars["host_var"] != "value" {
		t.Errorf("vars: %v %v", h["node1"].Vars, h["node2"].Vars)
	}
	if h["node1"].Vars["group_last_var"] != "value" || h["node1"].Group != "last_group" {
		t.Errorf("node1 in last_group: %+v", h["node1"])
	}
	if h["node5"].Vars["g2_var2"] != "value3" || !reflect.DeepEqual(h["node5"].Groups, []string{"group_x", "other_group"}) {
		t.Errorf("node5: %+v", h["node5"])
	}
	if got := target(t, h["node4"]); got != "ssh://127.0.0.1" {
		t.Errorf("node4 → %s", got)
	}
	if h["node2"].Group != "" {
		t.Errorf("node2 is ungrouped, got %q", h["node2"].Group)
	}
}

func TestRangesAndPorts(t *testing.T) {
	inv := load(t, "docs-ranges.ini")
	want := []string{"mail.example.net", "www01.example.net", "www02.example.net", "www03.example.net", "old.example.net",
		"db-a.example.net", "db-b.example.net", "db-c.example.net", "db-99-node.example.net", "db-100-node.example.net", "db-101-node.example.net",
		"node1", "node3", "node5", "node7", "node9", "gate", "2001:db8::10", "2001:db8::11"}
	if got := names(inv.Hosts); !reflect.DeepEqual(got, want) {
		t.Fatalf("hosts\n%v\nwant\n%v", got, want)
	}
	h := byName(inv)
	for name, want := range map[string]string{
		"old.example.net": "ssh://old.example.net:5309",
		"gate":            "ssh://192.0.2.50:5555",
		"2001:db8::10":    "ssh://[2001:db8::10]",
		"2001:db8::11":    "ssh://[2001:db8::11]:2022",
	} {
		if got := target(t, h[name]); got != want {
			t.Errorf("%s → %s, want %s", name, got, want)
		}
	}
}

// group_vars/ and host_vars/ beside the file, in Ansible's order; what is
// vault-encrypted is left out and said so.
func TestVarDirs(t *testing.T) {
	inv := load(t, "estate/hosts")
	h := byName(inv)
	for name, want := range map[string]string{
		"centos5-web": "ssh://ops@10.1.0.5:2222", // user from all.yml, port from group_vars/web/
		"centos5-db":  "ssh://dba@10.1.0.6",      // the host's own user beats all's
		"control":     "local",
	} {
		if got := target(t, h[name]); got != want {
			t.Errorf("%s → %s, want %s", name, got, want)
		}
	}
	if h["centos5-web"].KeyFile() != "~/.ssh/estate_ed25519" {
		t.Errorf("key file %q", h["centos5-web"].KeyFile())
	}
	if !h["centos5-db"].Become() || h["centos5-web"].Become() {
		t.Error("ansible_become from host_vars")
	}
	if _, ok := h["centos5-db"].Vars["db_password"]; ok {
		t.Error("a vault value was kept")
	}
	notes := strings.Join(inv.Notes, "\n")
	if !strings.Contains(notes, "20-vault.yml is vault-encrypted") || !strings.Contains(notes, "db_password is vault-encrypted") {
		t.Errorf("notes: %s", notes)
	}
}

func TestListJSON(t *testing.T) {
	inv := load(t, "list.json")
	h := byName(inv)
	if got := names(inv.Hosts); !reflect.DeepEqual(got, []string{"app1", "app2", "lone"}) {
		t.Fatalf("hosts %v", got)
	}
	if got := target(t, h["app1"]); got != "ssh://svc@10.9.0.1:2200" {
		t.Errorf("app1 → %s", got)
	}
	if got := target(t, h["app2"]); got != "ssh://deploy@app2" {
		t.Errorf("app2 → %s", got)
	}
	if h["lone"].Group != "" || h["app1"].Group != "apps" {
		t.Errorf("groups %q %q", h["lone"].Group, h["app1"].Group)
	}
}

// Without a .yml name, the content decides.
func TestFormatByContent(t *testing.T) {
	yml, _ := os.ReadFile("testdata/docs.yml")
	inv, err := Parse("hosts", yml)
	if err != nil || len(inv.Hosts) != 5 {
		t.Fatalf("YAML without extension: %v %v", inv, err)
	}
	inv, err = Parse("hosts", []byte("web1\nweb2:2222\n"))
	if err != nil || !reflect.DeepEqual(names(inv.Hosts), []string{"web1", "web2"}) {
		t.Fatalf("INI of bare names: %v %v", inv, err)
	}
}

func TestLimit(t *testing.T) {
	// docs-ini.ini's groups, with ungrouped hosts first as Ansible requires.
	one, _ := os.ReadFile("testdata/docs-ini.ini")
	inv, err := Parse("h.ini", append([]byte("loose1\nloose2\nloose3\n[g1]\nboth\n[g2]\nboth\n"), one...))
	if err != nil {
		t.Fatal(err)
	}
	for pattern, want := range map[string]string{
		"web":         "front1 front2 cat1 cat2 cat3 ci1",
		"web:!apache": "front1 front2 ci1",
		"!apache:web": "front1 front2 ci1", // order does not matter
		"web:&nginx":  "ci1",
		"cat*,loose1": "loose1 cat1 cat2 cat3", // in the inventory's order
		"~cat[12]":    "cat1 cat2",
		"ungrouped":   "loose1 loose2 loose3",
		"!web":        "loose1 loose2 loose3 both",
		"all":         "loose1 loose2 loose3 both front1 front2 cat1 cat2 cat3 ci1",
		"g2":          "both",
		"front2":      "front2",
	} {
		got, err := inv.Limit(pattern)
		if err != nil {
			t.Errorf("%s: %v", pattern, err)
			continue
		}
		if g := strings.Join(names(got), " "); g != want {
			t.Errorf("--limit %s = %s, want %s", pattern, g, want)
		}
	}
	for pattern, want := range map[string]string{
		"nosuch":   "matches no host or group",
		"web:&g1":  "leaves no host",
		"web[0:2]": "subscripts",
		"~(":       "missing closing",
	} {
		if _, err := inv.Limit(pattern); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--limit %s: %v, want %q", pattern, err, want)
		}
	}
}

func TestErrors(t *testing.T) {
	for name, c := range map[string]struct{ file, data, want string }{
		"undeclared child": {"h.ini", "[web:children]\napache\n", "h.ini:2: [web:children] names group apache, which is never declared"},
		"vars of nothing":  {"h.ini", "[db:vars]\nx=1\n", "section [db:vars] is for a group that is never declared"},
		"bad section":      {"h.ini", "[web servers]\n", "invalid section"},
		"unknown type":     {"h.ini", "[web:hosts2]\n", "unknown type"},
		"bad var":          {"h.ini", "[web]\nweb1 port\n", "h.ini:2: expected key=value"},
		"unclosed quote":   {"h.ini", "[web]\nweb1 x='a\n", "unclosed ' quote"},
		"backwards":        {"h.ini", "web[5:1]\n", "runs backwards"},
		"huge range":       {"h.ini", "web[1:999999999]\n", "more than 100000"},
		"width":            {"h.ini", "web[01:100]\n", "as wide"},
		"cycle":            {"h.ini", "[a:children]\nb\n[b:children]\na\n", "its own child"},
		"private key":      {"id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n", "give the key with --identity"},
		"script":           {"ec2.py", "#!/usr/bin/env python\nprint('{}')\n", "trowel does not run it"},
		"plugin config":    {"aws_ec2.yml", "plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n", "configuration of an inventory plugin"},
		"yaml list":        {"h.yml", "- web1\n- web2\n", "a mapping of groups"},
		"yaml hosts list":  {"h.yml", "all:\n  hosts:\n    - web1\n", "h.yml:3: hosts of group all must be a mapping"},
		"ends in colon":    {"h.ini", "web1:\n", "ends in ':'"},
		"yaml in ini":      {"h.ini", "---\n", "YAML document"},
	} {
		_, err := Parse(c.file, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func TestTargetErrors(t *testing.T) {
	inv, err := Parse("h.ini", []byte(`winbox ansible_connection=winrm
tmpl ansible_host="{{ inventory_hostname }}.corp"
badport ansible_port=ssh
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range inv.Hosts {
		_, err := h.Target()
		want := map[string]string{"winbox": "ansible_connection=winrm", "tmpl": "is a template", "badport": "not a port number"}[h.Name]
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "h.ini:") {
			t.Errorf("%s: %v, want %q", h.Name, err, want)
		}
	}
}

func TestParseTargets(t *testing.T) {
	got, err := ParseTargets("targets.txt", []byte("# the estate\nssh://admin@web1\n\nlocal   # this machine\n/mnt/old-disk\nhost#1\n"))
	if err != nil || !reflect.DeepEqual(got, []string{"ssh://admin@web1", "local", "/mnt/old-disk", "host#1"}) {
		t.Errorf("%q %v", got, err)
	}
	if _, err := ParseTargets("t", []byte("web1 web2\n")); err == nil || !strings.Contains(err.Error(), "t:1: ") {
		t.Errorf("two on a line: %v", err)
	}
	if _, err := ParseTargets("t", []byte("# nothing\n")); err == nil {
		t.Error("an empty list")
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"docs-ini.ini", "docs.yml", "docs-ranges.ini", "list.json"} {
		data, _ := os.ReadFile(filepath.Join("testdata", name))
		f.Add(name, data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		inv, err := Parse(name, data)
		if err != nil {
			return
		}
		for _, h := range inv.Hosts {
			h.Target() // never panics
		}
		inv.Limit("all:!x*")
	})
}
