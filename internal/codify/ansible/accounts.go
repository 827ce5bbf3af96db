package ansible

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// accounts carries the people: their groups, users with the uid they had (files
// they own on shared storage and in the moved data keep their numeric owner), the
// sudo rules, and which keys may log in. Passwords and keys are never in the
// snapshot; what the operator must supply is listed instead.
func (b *builder) accounts() {
	s := b.s
	if !b.readable(snapshot.SectionAccounts) {
		b.p.todo(TodoItem{Section: "Not translated", Title: "Accounts were not surveyed",
			Detail: fmt.Sprintf("The accounts section is %s (%s): no users or groups are created.", s.Coverage[snapshot.SectionAccounts].Status, s.Coverage[snapshot.SectionAccounts].Reason)})
		return
	}
	r := b.role("accounts", "Groups, people's accounts with their uids, authorized keys and sudo rules.")

	groups := map[string]snapshot.Group{}
	for _, g := range s.Accounts.Groups {
		groups[g.Name] = g
	}
	var users, groupItems L
	wantGroup := map[string]bool{}
	var keyNotes []string
	var passwordUsers []string
	systemGroup := map[string]bool{}
	// memberships lists a user's other groups; a group of the site's own (a gid
	// in the people's range) that is nobody's primary group is created first too,
	// or the user task fails on a fresh host.
	memberships := func(u snapshot.User) []string {
		extra := b.extraGroups(u)
		for _, g := range u.Groups {
			if sg, ok := groups[g]; ok && g != u.Group && sg.GID >= 1000 && sg.GID < 60000 {
				wantGroup[g] = true
			}
		}
		return extra
	}
	for _, u := range s.Accounts.Users {
		if u.Kind == "service" && !packageAccount(u.Name) {
			// An account the site made for its own software: created as a system
			// account, its ids left to the target (they may be taken there), so the
			// data moves mapping owners by name.
			item := M{{K: "name", V: u.Name}, {K: "system", V: true}}
			if u.Group != "" {
				item = append(item, KV{K: "group", V: u.Group})
				systemGroup[u.Group] = true
			}
			// Its memberships too (a log shipper's account in adm reads the logs):
			// the group entries say they are carried.
			if extra := memberships(u); len(extra) > 0 {
				item = append(item, KV{K: "groups", V: toL(extra)})
			}
			for _, kv := range []KV{{K: "comment", V: u.Comment}, {K: "home", V: u.Home}, {K: "shell", V: u.Shell}} {
				if kv.V != "" {
					item = append(item, kv)
				}
			}
			users = append(users, item)
			b.book.Carry(ledger.ID(ledger.KindUser, u.Name), "accounts", "Create the accounts (a system account)")
			continue
		}
		if u.Kind == "service" {
			b.book.Leave(ledger.ID(ledger.KindUser, u.Name), ledger.TargetOS, "the service account of a package, which the target's package creates")
			continue
		}
		if u.Kind != "human" || u.UID == 0 {
			continue
		}
		b.book.Carry(ledger.ID(ledger.KindUser, u.Name), "accounts", "Create the accounts")
		item := M{{K: "name", V: u.Name}, {K: "uid", V: u.UID}}
		if u.Group != "" {
			item = append(item, KV{K: "group", V: u.Group})
			wantGroup[u.Group] = true
		}
		if extra := memberships(u); len(extra) > 0 {
			item = append(item, KV{K: "groups", V: toL(extra)})
		}
		if u.Comment != "" {
			item = append(item, KV{K: "comment", V: u.Comment})
		}
		if u.Home != "" {
			item = append(item, KV{K: "home", V: u.Home})
		}
		if u.Shell != "" {
			item = append(item, KV{K: "shell", V: u.Shell})
		}
		users = append(users, item)
		if u.Password == "usable" {
			passwordUsers = append(passwordUsers, u.Name)
		}
		for _, k := range u.Keys {
			keyNotes = append(keyNotes, fmt.Sprintf("%s: %s %s (%s) from %s", u.Name, k.Type, k.Fingerprint, k.Comment, k.Source))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(wantGroup)) {
		g, ok := groups[name]
		if !ok {
			continue
		}
		groupItems = append(groupItems, M{{K: "name", V: g.Name}, {K: "gid", V: g.GID}})
		b.book.Carry(ledger.ID(ledger.KindGroup, g.Name), "accounts", "Create the groups")
	}
	for _, name := range slices.Sorted(maps.Keys(systemGroup)) {
		if !wantGroup[name] {
			groupItems = append(groupItems, M{{K: "name", V: name}, {K: "system", V: true}})
			if id := ledger.ID(ledger.KindGroup, name); b.book.Has(id) { // a fact when it has members
				b.book.Carry(id, "accounts", "Create the groups (a system group)")
			}
		}
	}
	for _, id := range b.book.Of(ledger.KindGroup) {
		if _, given := b.book.Given(id); !given {
			f, _ := b.book.Fact(id)
			b.book.Carry(id, "accounts", "Create the accounts: their memberships of "+b.groupOnTarget(f.Key))
		}
	}
	if len(groupItems) > 0 {
		b.p.setVar("accounts_groups", groupItems, "the people's primary groups, with the gids they had (/etc/group)")
		r.def("accounts_groups", L{}, "groups to create, as name and gid")
		r.task(Task{Name: "Create the groups", Module: "ansible.builtin.group",
			Args: M{{K: "name", V: "{{ item.name }}"}, {K: "gid", V: "{{ item.gid | default(omit) }}"},
				{K: "system", V: "{{ item.system | default(false) }}"}, {K: "state", V: "present"}},
			Extra: M{{K: "loop", V: "{{ accounts_groups }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.name }}"}}}}})
	}
	if len(users) > 0 {
		b.p.setVar("accounts_users", users, "people's accounts from /etc/passwd, with their uids (files in the moved data and on shared storage are owned by number),\nand the system accounts the site made for its own software (their ids are the target's: data of theirs moves mapping owners by name).\nThe accounts of packages come with the packages.")
		r.def("accounts_users", L{}, "accounts to create, as ansible.builtin.user arguments")
		r.task(Task{Name: "Create the accounts", Module: "ansible.builtin.user",
			Comment: "No password is set here: accounts that had one get it from their owner (see MIGRATION_TODO.md).",
			Args: M{
				{K: "name", V: "{{ item.name }}"}, {K: "uid", V: "{{ item.uid | default(omit) }}"},
				{K: "system", V: "{{ item.system | default(false) }}"},
				{K: "group", V: "{{ item.group | default(omit) }}"}, {K: "groups", V: "{{ item.groups | default(omit) }}"},
				{K: "append", V: true},
				{K: "comment", V: "{{ item.comment | default(omit) }}"}, {K: "home", V: "{{ item.home | default(omit) }}"},
				{K: "shell", V: "{{ item.shell | default(omit) }}"}, {K: "create_home", V: "{{ not (item.system | default(false)) }}"}, {K: "state", V: "present"},
			},
			Extra: M{{K: "loop", V: "{{ accounts_users }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.name }}"}}}}})
	}
	if len(passwordUsers) > 0 {
		b.p.todo(TodoItem{Section: "Secrets", Title: "Passwords of " + strings.Join(passwordUsers, ", "),
			Detail: "These accounts had a usable password on the source. Password hashes never leave the source, so the accounts are created without one: have each owner set it (`passwd`), or set it from your vault with ansible.builtin.user's password parameter.",
			Facts:  []string{"accounts.users"}})
	}

	// Keys: the survey keeps fingerprints, never the keys, so the operator pastes
	// the public keys that should still log in.
	b.p.addCollection("ansible.posix")
	comment := "Public keys that may log in, as user and key (one line of authorized_keys).\nThe survey keeps only fingerprints; these were on the source:"
	for _, n := range keyNotes {
		comment += "\n  " + n
	}
	for _, u := range s.Accounts.Users {
		if u.UID == 0 {
			for _, k := range u.Keys {
				comment += fmt.Sprintf("\n  root: %s %s (%s) from %s", k.Type, k.Fingerprint, k.Comment, k.Source)
			}
		}
	}
	comment += "\nA key nobody can account for (see keys.orphan in MIGRATION_TODO.md) should not come back."
	var allKeys []string
	for _, u := range s.Accounts.Users {
		for _, k := range u.Keys {
			allKeys = append(allKeys, fmt.Sprintf("%s: %s %s (%s) from %s", u.Name, k.Type, k.Fingerprint, k.Comment, k.Source))
		}
	}
	if len(allKeys) > 0 {
		var keyIDs []string
		for _, u := range s.Accounts.Users {
			for _, k := range u.Keys {
				keyIDs = append(keyIDs, ledger.ID(ledger.KindKey, u.Name+":"+k.Fingerprint))
			}
		}
		b.todo(TodoItem{Section: "Secrets", Title: "Authorized SSH keys",
			Detail: "The survey keeps fingerprints, never keys, so none is authorized yet. Put the public keys that should still log in into accounts_authorized_keys (group_vars/all/main.yml); these were authorized on the source: " + strings.Join(allKeys, "; ") + ".",
			Facts:  []string{"accounts.users[].keys"}}, keyIDs...)
	}
	// sshd's access settings are the host's security posture: carried silently,
	// a PermitRootLogin yes would outlive the migration, so each is a decision.
	var sshd []string
	for _, st := range s.Accounts.SSHD {
		sshd = append(sshd, fmt.Sprintf("%s %s (%s)", st.Key, st.Value, st.Source))
	}
	if len(sshd) > 0 {
		ids := b.book.Of(ledger.KindSetting)
		ids = slices.DeleteFunc(ids, func(id string) bool { return !strings.HasPrefix(id, "setting:sshd:") })
		if id := ledger.ID(ledger.KindConfig, "/etc/ssh/sshd_config"); b.book.Has(id) { // a fact when changed from the package's
			ids = append(ids, id)
		}
		b.todo(TodoItem{Section: "Decide", Title: "sshd access settings",
			Detail: "The target keeps its own sshd_config. The source set: " + strings.Join(sshd, "; ") + ". Decide which still apply (PermitRootLogin yes rarely should) and add them as a drop-in under /etc/ssh/sshd_config.d/.",
			Facts:  []string{"accounts.sshd"}}, ids...)
	}
	b.p.setVar("accounts_authorized_keys", L{}, comment)
	r.def("accounts_authorized_keys", L{}, "public keys to authorize, as user and key")
	r.task(Task{Name: "Authorize the SSH keys", Module: "ansible.posix.authorized_key",
		Args:  M{{K: "user", V: "{{ item.user }}"}, {K: "key", V: "{{ item.key }}"}, {K: "state", V: "present"}},
		Extra: M{{K: "loop", V: "{{ accounts_authorized_keys }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.user }}"}}}}})

	// sudo rules: each drop-in as it was, checked by visudo before it is put in
	// place, since a broken sudoers file locks every admin out.
	var sudoers []string
	for _, c := range s.Files.Configs {
		if strings.HasPrefix(c.Path, "/etc/sudoers.d/") && c.Content != "" {
			sudoers = append(sudoers, c.Path)
		}
		if c.Path == "/etc/sudoers" && c.State != "missing" {
			ids := []string{ledger.ID(ledger.KindConfig, c.Path)}
			for _, rule := range s.Accounts.Sudo {
				if strings.HasPrefix(rule.Source, "/etc/sudoers:") && !distributionSudo(rule) {
					ids = append(ids, ledger.ID(ledger.KindSudo, rule.Who))
				}
			}
			b.todo(TodoItem{Section: "Not translated", Title: "/etc/sudoers was edited",
				Detail: "The distribution's /etc/sudoers is left alone on the target. Move the rules that were added to it into a drop-in under /etc/sudoers.d.",
				Facts:  c.Evidence}, ids...)
		}
	}
	if len(sudoers) > 0 {
		b.p.def("sudo", r, b.packages("sudo"))
		r.task(b.install("sudo", "accounts_sudo_packages"))
	}
	for _, p := range sudoers {
		c := b.configs[p]
		name := "sudoers-" + path.Base(p) + ".j2"
		r.template(name, b.templateText(c, "accounts"))
		b.carryConfig(p, "accounts", "Install the sudo rules of "+p)
		for _, rule := range s.Accounts.Sudo {
			if strings.HasPrefix(rule.Source, p+":") {
				b.book.Carry(ledger.ID(ledger.KindSudo, rule.Who), "accounts", "Install the sudo rules of "+p)
			}
		}
		r.task(Task{Name: "Install the sudo rules of " + p, Module: "ansible.builtin.template",
			Comment: "From " + from(c) + ".",
			Args: M{{K: "src", V: name}, {K: "dest", V: p}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0440"},
				{K: "validate", V: "visudo -cf %s"}}})
	}
	b.sudoDecisions()
}

// sudoDecisions leaves the distribution's own rules of /etc/sudoers to the
// target's sudoers.
func (b *builder) sudoDecisions() {
	for _, rule := range b.s.Accounts.Sudo {
		if distributionSudo(rule) {
			b.book.Leave(ledger.ID(ledger.KindSudo, rule.Who), ledger.TargetOS, "the distribution's own rule, which the target's /etc/sudoers has")
		}
	}
}

// distributionSudo says whether a rule is one a distribution's sudoers ships:
// root's, and the admin group's (sudo on Debian, wheel on EL).
func distributionSudo(r snapshot.SudoRule) bool {
	if !strings.HasPrefix(r.Source, "/etc/sudoers:") {
		return false
	}
	switch r.Who {
	case "root", "%sudo", "%wheel", "%admin":
		return true
	}
	return false
}

// packageAccounts are the service accounts the packages trowel's roles install
// create on every target.
var packageAccounts = map[string]bool{
	"www-data": true, "apache": true, "mysql": true, "postfix": true, "postdrop": true, "dovecot": true, "dovenull": true,
	"redis": true, "memcached": true, "memcache": true, "nginx": true, "postgres": true, "tomcat": true, "tomcat9": true,
	"_chrony": true, "chrony": true, "ntp": true, "sshd": true, "messagebus": true, "td-agent": true, "_fluentd": true,
	"Debian-exim": true, "mail": true, "nobody": true, "daemon": true, "syslog": true, "_apt": true, "systemd-network": true,
	"systemd-resolve": true, "systemd-timesync": true, "polkitd": true, "rpc": true, "rpcuser": true,
}

func packageAccount(name string) bool {
	return packageAccounts[name] || strings.HasPrefix(name, "systemd-")
}

// groupOnTarget is a group's name on the target: the administrators' group is
// sudo on Debian and wheel on EL.
func (b *builder) groupOnTarget(g string) string {
	switch {
	case g == "sudo" && !b.debian():
		return "wheel"
	case g == "wheel" && b.debian():
		return "sudo"
	}
	return g
}

// def adds a role default holding the target's packages for what.
func (p *Project) def(what string, r *Role, pkgs []string) {
	r.def(r.Name+"_"+slug(what)+"_packages", toL(pkgs), what+" on "+p.Target.String())
	for _, pk := range pkgs {
		if p.installedBy == nil {
			p.installedBy = map[string]string{}
		}
		if _, ok := p.installedBy[pk]; !ok {
			p.installedBy[pk] = r.Name
		}
	}
}

// extraGroups are the groups a user belongs to besides its own, as the target
// names them, sorted.
func (b *builder) extraGroups(u snapshot.User) []string {
	var extra []string
	for _, g := range u.Groups {
		if g != u.Group {
			extra = append(extra, b.groupOnTarget(g))
		}
	}
	sort.Strings(extra)
	return extra
}
