package ansible

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// installedBy records that role installs a package of the target.
func (b *builder) installedBy(pkg, role string) {
	if b.p.installedBy == nil {
		b.p.installedBy = map[string]string{}
	}
	if _, ok := b.p.installedBy[pkg]; !ok {
		b.p.installedBy[pkg] = role
	}
}

// packageRole installs, first of all, the packages the administrator installed on
// purpose that no other role installs (those are known only once every role is
// built, so this role is filled in by packageSweep).
func (b *builder) packageRole() {
	b.pkgRole = &Role{Name: "packages", Description: "The packages the administrator of " + b.p.Source.Hostname + " installed on purpose, as the target names them."}
	b.p.Roles = append(b.p.Roles, b.pkgRole)
}

// packageSweep gives every package fact its disposition: a role installs it (or
// its target's equivalent), the packages role installs what was installed on
// purpose, and a package nobody can tell was is a decision.
func (b *builder) packageSweep() {
	var manual L
	var unknown []string
	var unknownIDs []string
	for _, p := range b.s.Packages {
		id := ledger.ID(ledger.KindPackage, p.Name)
		if !b.book.Has(id) {
			continue
		}
		if _, given := b.book.Given(id); given {
			continue
		}
		names, mapped := distro.PackagesOn(p.Name, b.p.Source.Platform, b.p.Target)
		if !mapped && b.sameFamily() {
			names, mapped = []string{p.Name}, true
		}
		if role := b.roleInstalling(p.Name, names); role != "" {
			b.book.Carry(id, role, "installed by the role as "+strings.Join(names, ", "))
			continue
		}
		if mapped && len(names) == 0 {
			b.book.Leave(id, ledger.TargetOS, "another package of "+b.p.Target.String()+" already provides it")
			continue
		}
		if src := b.idleSource(p); src != "" {
			b.book.Leave(id, ledger.Inactive, "of "+src+", whose service neither ran nor started at boot on the source: installing it would start what the old host did not run")
			continue
		}
		if !ledger.Unknown(p) {
			if !mapped {
				b.todo(TodoItem{Section: "Not translated", Title: "Package " + p.Name,
					Detail: fmt.Sprintf("It was installed on purpose (%s) and trowel knows no %s package for it: find what provides it there and add it to packages_install.", p.IntentSource, b.p.Target)}, id)
				continue
			}
			for _, n := range names {
				manual = append(manual, n)
			}
			b.book.Carry(id, "packages", "Install the packages installed on purpose: "+strings.Join(names, ", "))
			continue
		}
		unknown = append(unknown, p.Name)
		unknownIDs = append(unknownIDs, id)
	}
	if len(unknown) > 0 {
		b.todo(TodoItem{Section: "Decide", Title: fmt.Sprintf("Whether %d packages were installed on purpose", len(unknown)),
			Detail: "The survey did not record why these are installed (a package database of a survey without apt's or yum's history): the base system, dependencies and what the administrator chose look alike. " +
				"List the ones the server's work needs in packages_install (group_vars/all/main.yml), as " + b.p.Target.String() + " names them: " + strings.Join(unknown, ", ") + "."}, unknownIDs...)
	}
	r := b.pkgRole
	slices.SortFunc(manual, func(a, c any) int { return strings.Compare(a.(string), c.(string)) })
	manual = slices.CompactFunc(manual, func(a, c any) bool { return a == c })
	r.def("packages_install", L{}, "packages to install, as the target names them")
	if len(manual) > 0 {
		b.p.setVar("packages_install", manual, "packages the administrator installed on purpose (apt-mark, apt or yum history), as "+b.p.Target.String()+" names them")
	}
	r.task(Task{Name: "Install the packages installed on purpose", Module: b.pkgModule(),
		Args:  installArgs(b, "{{ packages_install }}"),
		Extra: M{{K: "when", V: "packages_install | length > 0"}, {K: "tags", V: L{"packages"}}}})
}

// roleInstalling names the role that installs a source package or one of its
// target names, "" when none does.
func (b *builder) roleInstalling(src string, names []string) string {
	for _, sv := range b.s.Services {
		if sv.Package == src && b.svcRole[sv.Name] != "" {
			return b.svcRole[sv.Name]
		}
	}
	for _, n := range append([]string{src}, names...) {
		if role := b.p.installedBy[n]; role != "" {
			return role
		}
	}
	return ""
}

func installArgs(b *builder, what string) M {
	args := M{{K: "name", V: what}, {K: "state", V: "present"}}
	if b.debian() {
		args = append(args, KV{K: "update_cache", V: true}, KV{K: "cache_valid_time", V: 3600})
	}
	return args
}

// idleSource is the source package of a package that belongs with an idle
// service (stopped and disabled on the source): dovecot-imapd beside a dovecot
// that did not run, whose install would start it on the target. A source with
// any service that ran, starts at boot or is of unknown state is in use
// (systemd's source has a disabled networkd beside a running journald).
func (b *builder) idleSource(p snapshot.Package) string {
	sources := map[string]string{}
	for _, q := range b.s.Packages {
		sources[q.Name] = cmpOr(q.Source, q.Name)
	}
	src := cmpOr(p.Source, p.Name)
	idle := false
	for _, sv := range b.s.Services {
		if sv.Package == "" || sources[sv.Package] != src {
			continue
		}
		switch st := b.s.StateOf(sv); {
		case st.Idle():
			idle = true
		case st.Run != snapshot.Stopped || st.Boot == snapshot.Enabled || st.Boot == snapshot.BootUnknown:
			return ""
		}
	}
	if idle {
		return src
	}
	return ""
}
