// Package ansible turns a snapshot into an Ansible project for the OS the server is
// moving to: a model of roles, tasks, variables and files built by pure functions
// of the snapshot (one per concern), and a writer that renders the model as the
// files a careful engineer would have written by hand.
//
// It translates rather than clones: package and service names are mapped to the
// target through internal/distro, Apache 2.2 access directives become 2.4 Require
// lines where the meaning is certain, SysV scripts give way to the target's units.
// What cannot be translated, and the data Ansible does not move, are listed in
// MIGRATION_TODO.md with the finding that explains them. Secrets are never written:
// the snapshot holds only redacted text, which is filtered again, and every redacted
// value becomes a vault variable whose value is a TODO.
package ansible

import (
	"sort"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Project is a whole generated Ansible project.
type Project struct {
	Target distro.Platform
	// Host is the inventory name: the surveyed host's name, which the new server
	// takes over.
	Host string
	// Address is what ansible_host is set to.
	Address string
	Roles   []*Role
	// Vars are the site's values (group_vars/all/main.yml): what makes this server
	// this server, each with where it came from.
	Vars []Var
	// Vault are the secrets the operator must fill in (group_vars/all/vault.yml,
	// to be encrypted with ansible-vault); every value is a TODO.
	Vault []Var
	// Todo is MIGRATION_TODO.md's content, by section.
	Todo []TodoItem
	// Collections are the collections the tasks use (collections/requirements.yml).
	Collections []string
	Source      SourceInfo
	// Ledger is every fact of the source with what became of it (ledger.json).
	Ledger ledger.Ledger
	// Strays are dispositions the builders gave to facts the source does not
	// have: a defect of the builders, which the tests look for.
	Strays []string
	// Lang is the language of MIGRATION_TODO.md: en or ja.
	Lang string
	// installedBy is the role that installs each package of the target.
	installedBy map[string]string
}

// SourceInfo says what the project was made from, for the README and headers.
type SourceInfo struct {
	Hostname   string
	OS         string
	Platform   distro.Platform
	Surveyed   string
	TrowelVer  string
	SnapshotID string
}

// Role is one concern of the server.
type Role struct {
	Name        string
	Description string
	Tasks       []Task
	Handlers    []Task
	// Defaults are the role's own defaults (defaults/main.yml): target-specific
	// names and neutral values a site may override.
	Defaults []Var
	// Templates and Files are keyed by their path under templates/ and files/.
	Templates []File
	Files     []File
	// Depends are roles that must run first (meta/main.yml).
	Depends []string
	// Tags are the role's tags in site.yml.
	Tags []string
}

// Task is one task or handler.
type Task struct {
	Name string
	// Comment is written above the task: where it came from, why it is so.
	Comment string
	Module  string
	Args    M
	// Free is the module's argument when it takes a single word rather than a
	// mapping (ansible.builtin.meta: flush_handlers).
	Free string
	// Extra are the task keywords after the module (loop, when, notify, ...), in
	// the order a person writes them.
	Extra M
}

// Var is one variable with the comment that says where its value came from.
type Var struct {
	Name    string
	Value   any
	Comment string
}

// File is a template or a plain file of a role.
type File struct {
	Path    string
	Content string
}

// TodoItem is one thing the operator has to do by hand.
type TodoItem struct {
	Section string // "Data", "Secrets", "Not translated", "Findings" ...
	Title   string
	Detail  string
	// Findings are the analyze keys that explain the item (config.apache22-access).
	Findings []string
	// Facts cite the snapshot: "file:line", evidence IDs.
	Facts []string
	// Ledger are the IDs of the ledger's facts the item is about.
	Ledger []string
}

// Input is what a project is built from.
type Input struct {
	Snap   *snapshot.Snapshot
	Target distro.Platform
	// Findings are analyze.Analyze's findings for Snap (in Lang).
	Findings []analyze.Finding
	// Lang is the language MIGRATION_TODO.md is written in: "en" (the default)
	// or "ja".
	Lang string
}

func (p *Project) addCollection(c string) {
	for _, x := range p.Collections {
		if x == c {
			return
		}
	}
	p.Collections = append(p.Collections, c)
	sort.Strings(p.Collections)
}

func (p *Project) todo(t TodoItem) { p.Todo = append(p.Todo, t) }

func (p *Project) vault(name, comment string) string {
	for _, v := range p.Vault {
		if v.Name == name {
			return name
		}
	}
	p.Vault = append(p.Vault, Var{Name: name, Value: "TODO: fill in (see the comment above)", Comment: comment})
	return name
}

func (p *Project) setVar(name string, value any, comment string) {
	for _, v := range p.Vars {
		if v.Name == name {
			return
		}
	}
	p.Vars = append(p.Vars, Var{Name: name, Value: value, Comment: comment})
}

func (r *Role) task(t Task) { r.Tasks = append(r.Tasks, t) }

func (r *Role) handler(t Task) {
	for _, h := range r.Handlers {
		if h.Name == t.Name {
			return
		}
	}
	r.Handlers = append(r.Handlers, t)
}

func (r *Role) template(path, content string) {
	for i := range r.Templates {
		if r.Templates[i].Path == path {
			r.Templates[i].Content = content
			return
		}
	}
	r.Templates = append(r.Templates, File{Path: path, Content: content})
}

func (r *Role) file(path, content string) {
	r.Files = append(r.Files, File{Path: path, Content: content})
}

func (r *Role) def(name string, value any, comment string) {
	r.Defaults = append(r.Defaults, Var{Name: name, Value: value, Comment: comment})
}
