package ansible

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/secrets"
)

// Render returns every file of the project, by its path relative to the
// project's directory.
func Render(p *Project) map[string]string {
	files := map[string]string{}
	files["ansible.cfg"] = ansibleCfg
	files["inventory/hosts.yml"] = renderInventory(p)
	files["site.yml"] = renderSite(p)
	files["group_vars/all/main.yml"] = renderVars(p.Vars, fmt.Sprintf(
		"What makes %s %s, as surveyed %s (%s).\nEach value says where it came from; change the ones the new server does differently.",
		p.Source.Hostname, p.Source.Hostname, p.Source.Surveyed, p.Source.OS))
	files["group_vars/all/vault.yml"] = renderVault(p)
	var colls L
	for _, c := range p.Collections {
		colls = append(colls, M{{K: "name", V: c}})
	}
	files["collections/requirements.yml"] = Document("Collections the roles use (Debian's ansible package ships them all).",
		M{{K: "collections", V: colls}})
	for _, r := range p.Roles {
		dir := "roles/" + r.Name + "/"
		files[dir+"tasks/main.yml"] = renderTasks(r.Tasks, r.Description)
		if len(r.Handlers) > 0 {
			files[dir+"handlers/main.yml"] = renderTasks(r.Handlers, "")
		}
		files[dir+"defaults/main.yml"] = renderVars(r.Defaults, "Defaults of the "+r.Name+" role for "+p.Target.String()+"; the site's values are in group_vars/all/main.yml.")
		files[dir+"meta/main.yml"] = renderMeta(p, r)
		for _, t := range r.Templates {
			files[dir+"templates/"+t.Path] = t.Content
		}
		for _, f := range r.Files {
			files[dir+"files/"+f.Path] = f.Content
		}
	}
	files["MIGRATION_TODO.md"] = renderTodo(p)
	files["README.md"] = renderReadme(p)
	return files
}

// Write renders the project into dir, creating it. Files already there that the
// project does not write are left alone.
func Write(p *Project, dir string) error {
	files := Render(p)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, "vault.yml") {
			mode = 0o600
		}
		// The operator's side of the secret defence: nothing is written unscanned.
		content, _ := secrets.Clean([]byte(files[name]))
		if err := os.WriteFile(path, content, mode); err != nil {
			return err
		}
	}
	return nil
}

const ansibleCfg = `# Written by trowel codify.
[defaults]
inventory = inventory/hosts.yml
roles_path = roles
interpreter_python = auto_silent
# Say what a change was, so a second run that changes nothing is easy to see.
display_skipped_hosts = false

[privilege_escalation]
become = true

[ssh_connection]
pipelining = true
`

func renderInventory(p *Project) string {
	host := M{}
	addr := p.Address
	comment := "TODO: the new server's address (it takes over " + p.Host + "'s role)."
	if addr == "" {
		addr = p.Host
	} else {
		comment = "The new server, which takes over " + p.Host + "'s role."
	}
	host = append(host, KV{K: "ansible_host", V: addr, Comment: comment})
	return Document(fmt.Sprintf("The server that replaces %s (%s) with %s.", p.Host, p.Source.OS, p.Target),
		M{{K: "all", V: M{{K: "hosts", V: M{{K: p.Host, V: host}}}}}})
}

func renderSite(p *Project) string {
	var roles L
	for _, r := range p.Roles {
		if r.Name == "firewall" {
			// Tagged so a dry run against the old server, which ran no firewall,
			// can leave it out: --skip-tags firewall.
			roles = append(roles, M{{K: "role", V: r.Name}, {K: "tags", V: L{"firewall"}}})
			continue
		}
		roles = append(roles, r.Name)
	}
	play := M{
		{K: "name", V: fmt.Sprintf("Rebuild %s on %s", p.Host, p.Target)},
		{K: "hosts", V: "all"},
		{K: "become", V: true},
	}
	if len(p.Vault) > 0 {
		var names L
		for _, v := range p.Vault {
			names = append(names, v.Name)
		}
		play = append(play, KV{K: "pre_tasks", V: Spaced{taskNode(Task{
			Name: "Refuse to run while a secret is still a TODO", Module: "ansible.builtin.assert",
			Comment: "The vault holds placeholders until somebody fills it in (MIGRATION_TODO.md).",
			Args: M{
				{K: "that", V: L{"lookup('ansible.builtin.vars', item) is not match('TODO')"}},
				{K: "fail_msg", V: "{{ item }} in group_vars/all/vault.yml is still a TODO"},
				{K: "quiet", V: true},
			},
			Extra: M{{K: "loop", V: names}},
		})}})
	}
	play = append(play, KV{K: "roles", V: roles})
	return Document(fmt.Sprintf("Rebuilds %s (%s) on %s.\nWritten by trowel codify from the survey of %s; read MIGRATION_TODO.md first.",
		p.Host, p.Source.OS, p.Target, p.Source.Surveyed), L{play})
}

func taskNode(t Task) M {
	n := M{{K: "name", V: t.Name, Comment: t.Comment}}
	args := t.Args
	if args == nil {
		args = M{}
	}
	n = append(n, KV{K: t.Module, V: args})
	n = append(n, t.Extra...)
	return n
}

func renderTasks(ts []Task, header string) string {
	var l Spaced
	for _, t := range ts {
		l = append(l, taskNode(t))
	}
	if len(l) == 0 {
		return Document(header, L{})
	}
	return Document(header, l)
}

func renderVars(vs []Var, header string) string {
	m := M{}
	for _, v := range vs {
		m = append(m, KV{K: v.Name, V: v.Value, Comment: v.Comment})
	}
	if len(m) == 0 {
		return Document(header, M{})
	}
	return Document(header, spacedVars(m))
}

// spacedVars is a mapping whose documented keys are set apart by a blank line.
type spacedVars M

func renderVault(p *Project) string {
	m := M{}
	for _, v := range p.Vault {
		m = append(m, KV{K: v.Name, V: v.Value, Comment: v.Comment})
	}
	header := "Secrets. Every value is a TODO: trowel never reads or writes a secret.\nFill them in, then encrypt this file: ansible-vault encrypt group_vars/all/vault.yml"
	if len(m) == 0 {
		return Document(header, M{})
	}
	return Document(header, spacedVars(m))
}

func renderMeta(p *Project, r *Role) string {
	var deps L
	for _, d := range r.Depends {
		deps = append(deps, d)
	}
	info := M{
		{K: "role_name", V: r.Name},
		{K: "author", V: "trowel codify"},
		{K: "description", V: r.Description},
		{K: "license", V: "proprietary"},
		{K: "min_ansible_version", V: "2.14"},
		{K: "platforms", V: L{metaPlatform(p)}},
	}
	return Document("", M{{K: "galaxy_info", V: info}, {K: "dependencies", V: deps}})
}

// metaPlatform names the target as ansible-lint's meta schema spells platforms.
func metaPlatform(p *Project) M {
	switch p.Target.ID {
	case "debian":
		v := "all"
		if p.Target.Version == "12" {
			v = "bookworm"
		}
		return M{{K: "name", V: "Debian"}, {K: "versions", V: L{v}}}
	case "ubuntu":
		return M{{K: "name", V: "Ubuntu"}, {K: "versions", V: L{"all"}}}
	case "amzn":
		return M{{K: "name", V: "Amazon"}, {K: "versions", V: L{"all"}}}
	}
	return M{{K: "name", V: "EL"}, {K: "versions", V: L{p.Target.Version}}}
}

var todoSections = []string{"Data", "Secrets", "Software", "Not translated", "Check", "Findings", "Not surveyed"}

var todoIntro = map[string]string{
	"Data":           "Ansible builds the server; it does not move its data. Sizes are from the survey.",
	"Secrets":        "Nothing secret was read or written. These have to come from their owners.",
	"Software":       "Installed outside any package: the project cannot install it, and its content is not in the snapshot.",
	"Not translated": "What the project does not carry over, and why.",
	"Check":          "Carried over, but worth a look before cutover.",
	"Findings":       "Everything the analysis found on the source. Each key is stable: `trowel report` explains it.",
	"Not surveyed":   "Parts of the source the survey could not see completely: the project may be missing something there.",
}

func renderTodo(p *Project) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Migration TODO: %s to %s\n\n", p.Host, p.Target)
	fmt.Fprintf(&b, "Written by trowel codify from the survey of %s (%s) taken %s.\n", p.Host, p.Source.OS, p.Source.Surveyed)
	b.WriteString("The Ansible project next to this file rebuilds the server; this list is what it does not do.\n")
	bySection := map[string][]TodoItem{}
	for _, t := range p.Todo {
		bySection[t.Section] = append(bySection[t.Section], t)
	}
	for _, sec := range todoSections {
		items := bySection[sec]
		if len(items) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n", sec, todoIntro[sec])
		for _, t := range items {
			fmt.Fprintf(&b, "- [ ] **%s**", t.Title)
			if len(t.Findings) > 0 {
				fmt.Fprintf(&b, " (`%s`)", strings.Join(t.Findings, "`, `"))
			}
			if t.Detail != "" {
				fmt.Fprintf(&b, "\n  %s", t.Detail)
			}
			if len(t.Facts) > 0 {
				facts := append([]string(nil), t.Facts...)
				sort.Strings(facts)
				fmt.Fprintf(&b, "\n  Evidence: %s", strings.Join(facts, ", "))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func renderReadme(p *Project) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s on %s\n\n", p.Host, p.Target)
	fmt.Fprintf(&b, "This project rebuilds %s (%s) on %s. trowel codify wrote it from the\nsurvey taken %s; every value in `group_vars/all/main.yml` says where it came from.\n\n", p.Host, p.Source.OS, p.Target, p.Source.Surveyed)
	b.WriteString("1. Read `MIGRATION_TODO.md`: the data to move, the secrets to supply, what was not translated.\n")
	b.WriteString("2. Set the new server's address in `inventory/hosts.yml`.\n")
	b.WriteString("3. Fill in `group_vars/all/vault.yml` and encrypt it with `ansible-vault encrypt`.\n")
	b.WriteString("4. `ansible-galaxy collection install -r collections/requirements.yml` (Debian's ansible package already has them).\n")
	b.WriteString("5. `ansible-playbook site.yml --check --diff`, then `ansible-playbook site.yml`; a second run must report `changed=0`.\n\n")
	b.WriteString("Roles, in the order they run:\n\n")
	for _, r := range p.Roles {
		fmt.Fprintf(&b, "- `%s`: %s\n", r.Name, r.Description)
	}
	return b.String()
}
