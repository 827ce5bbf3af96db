package accounts

import (
	"sort"
	"strconv"
	"strings"
)

// Rule is one user specification's commands that share hosts, run-as users and tags,
// with the aliases expanded and the users it grants resolved.
type Rule struct {
	Who      string
	Users    []string
	Hosts    string
	RunAs    string
	Commands []string
	Tags     []string
	NoPasswd bool
	Defaults []string
	Path     string
	Line     int
}

// Accounts is what resolving sudoers needs to know of the host's accounts.
type Accounts struct {
	Users  []PasswdEntry
	Groups []GroupEntry
}

// members lists a group's users: those /etc/group names, and those whose primary
// group it is in /etc/passwd (which /etc/group does not repeat).
func (a Accounts) members(g GroupEntry) []string {
	out := append([]string(nil), g.Members...)
	for _, u := range a.Users {
		if u.GID == g.GID {
			out = append(out, u.Name)
		}
	}
	return out
}

type aliasTable map[string]map[string][]string // kind -> name -> items

func aliasesOf(files []*Sudoers) aliasTable {
	t := aliasTable{}
	for _, f := range files {
		for _, a := range f.Aliases {
			if t[a.Kind] == nil {
				t[a.Kind] = map[string][]string{}
			}
			t[a.Kind][a.Name] = append(t[a.Kind][a.Name], a.Items...)
		}
	}
	return t
}

// expand replaces alias names by their items, recursively and bounded against
// cycles; a "!" before an alias is carried onto each of its items.
func (t aliasTable) expand(kind string, items []string, depth int) []string {
	var out []string
	for _, it := range items {
		neg := ""
		name := it
		for strings.HasPrefix(name, "!") {
			neg = flip(neg)
			name = strings.TrimSpace(name[1:])
		}
		if sub, ok := t[kind][name]; ok && depth < 16 {
			for _, x := range t.expand(kind, sub, depth+1) {
				if neg != "" {
					x = negate(x)
				}
				out = append(out, x)
			}
			continue
		}
		out = append(out, neg+name)
	}
	return out
}

func flip(neg string) string {
	if neg == "" {
		return "!"
	}
	return ""
}

func negate(x string) string {
	if strings.HasPrefix(x, "!") {
		return x[1:]
	}
	return "!" + x
}

// users resolves a user list to account names in /etc/passwd order. Netgroups and
// non-Unix groups cannot be resolved from files and grant nobody here.
func (a Accounts) users(items []string) []string {
	set := map[string]bool{}
	for _, it := range items {
		neg := strings.HasPrefix(it, "!")
		it = strings.Trim(strings.TrimPrefix(it, "!"), `"`)
		for _, n := range a.match(it) {
			set[n] = !neg
		}
	}
	var out []string
	for _, u := range a.Users {
		if set[u.Name] {
			out = append(out, u.Name)
			delete(set, u.Name)
		}
	}
	return out
}

func (a Accounts) match(it string) []string {
	switch {
	case it == "ALL":
		var all []string
		for _, u := range a.Users {
			all = append(all, u.Name)
		}
		return all
	case strings.HasPrefix(it, "%:") || strings.HasPrefix(it, "%+") || strings.HasPrefix(it, "+"):
		return nil
	case strings.HasPrefix(it, "%#"):
		gid, err := strconv.Atoi(it[2:])
		if err != nil {
			return nil
		}
		var out []string
		for _, g := range a.Groups {
			if g.GID == gid {
				out = append(out, a.members(g)...)
			}
		}
		if len(out) == 0 { // a gid without a group line still has primary members
			out = a.members(GroupEntry{GID: gid})
		}
		return out
	case strings.HasPrefix(it, "%"):
		for _, g := range a.Groups {
			if g.Name == it[1:] {
				return a.members(g)
			}
		}
		return nil
	case strings.HasPrefix(it, "#"):
		uid, err := strconv.Atoi(it[1:])
		if err != nil {
			return nil
		}
		var out []string
		for _, u := range a.Users {
			if u.UID == uid {
				out = append(out, u.Name)
			}
		}
		return out
	}
	return []string{it}
}

// Resolve expands every file's specifications over the aliases of all files (sudo
// reads them as one) into rules, each with the Defaults lines that apply to its users.
func Resolve(files []*Sudoers, acc Accounts) []Rule {
	t := aliasesOf(files)
	type scoped struct {
		d     Default
		users map[string]bool
	}
	var defs []scoped
	for _, f := range files {
		for _, d := range f.Defaults {
			s := scoped{d: d}
			if d.Scope == ":" {
				s.users = map[string]bool{}
				for _, u := range acc.users(t.expand("User", d.List, 0)) {
					s.users[u] = true
				}
			}
			defs = append(defs, s)
		}
	}
	var out []Rule
	for _, f := range files {
		var cur *Rule
		curSeq := -1
		for _, sp := range f.Specs {
			users := acc.users(t.expand("User", sp.Users, 0))
			hosts := strings.Join(t.expand("Host", sp.Hosts, 0), ",")
			runas := expandRunAs(t, sp.RunAs)
			tags := sp.Tags
			if cur == nil || curSeq != sp.Sequence || cur.Hosts != hosts || cur.RunAs != runas || strings.Join(cur.Tags, " ") != strings.Join(tags, " ") {
				out = append(out, Rule{
					Who: strings.Join(sp.Users, ", "), Users: users, Hosts: hosts, RunAs: runas,
					Tags: tags, NoPasswd: hasTag(tags, "NOPASSWD"), Path: f.Path, Line: sp.Line,
				})
				cur, curSeq = &out[len(out)-1], sp.Sequence
			}
			cur.Commands = append(cur.Commands, t.expand("Cmnd", []string{sp.Command}, 0)...)
		}
	}
	for i := range out {
		r := &out[i]
		for _, s := range defs {
			if s.users == nil || anyIn(r.Users, s.users) {
				r.Defaults = append(r.Defaults, s.d.Text)
			}
		}
	}
	return out
}

func expandRunAs(t aliasTable, runas string) string {
	if runas == "" {
		return "root" // sudo's default run-as user
	}
	u, g, hasG := strings.Cut(runas, ":")
	s := strings.Join(t.expand("Runas", splitList(u), 0), ",")
	if hasG {
		s += ":" + strings.Join(t.expand("Runas", splitList(g), 0), ",")
	}
	return s
}

func hasTag(tags []string, want string) bool {
	for _, t := range tags {
		if t == want {
			return true
		}
	}
	return false
}

func anyIn(users []string, set map[string]bool) bool {
	for _, u := range users {
		if set[u] {
			return true
		}
	}
	return false
}

// TagsWithout returns the tags other than NOPASSWD and PASSWD, which the model holds
// as a flag.
func TagsWithout(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t != "NOPASSWD" && t != "PASSWD" {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}
