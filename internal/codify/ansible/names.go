package ansible

import (
	"github.com/trowel-dev/trowel/internal/distro"
)

// packages are the target's packages that provide what the source's package name
// provided. A name distro cannot map is kept when source and target are of one
// family (Debian names are Debian names), and otherwise recorded as a TODO.
func (b *builder) packages(name string) []string {
	pkgs, ok := distro.PackagesOn(name, b.p.Source.Platform, b.p.Target)
	if ok {
		return pkgs
	}
	if b.sameFamily() {
		return []string{name}
	}
	b.p.todo(TodoItem{Section: "Not translated", Title: "No " + b.p.Target.String() + " package known for " + name,
		Detail: "trowel has no mapping for the source package " + name + "; find what provides it on the target and add it to the role."})
	return nil
}

// serverPackage is the source's package that installed role's server and shipped
// its service (distro.RolePackages, in their order of preference), or fallback
// when the package list names none: which one it was decides the row of the
// package table, so a Debian source's mariadb-server-core-10.5, which carries
// only the program, is never taken for the server.
func (b *builder) serverPackage(role, fallback string) string {
	for _, rp := range distro.RolePackages(role) {
		if !rp.Program || !rp.Service {
			continue
		}
		for _, pk := range b.s.Packages {
			if rp.Matches(pk.Name) {
				return pk.Name
			}
		}
	}
	return fallback
}

// serviceName is the target's unit or init script for the source's service name.
func (b *builder) serviceName(name string) string {
	if n := distro.ServiceOn(name, b.p.Target); n != "" {
		return n
	}
	return name
}

// pkgModule is the package module of the target's package manager: apt and dnf
// rather than the generic package module, because the apt cache of a fresh host
// must be refreshed before the first install.
func (b *builder) pkgModule() string {
	if b.debian() {
		return "ansible.builtin.apt"
	}
	return "ansible.builtin.dnf"
}

// install is the task that installs a role's package variable.
func (b *builder) install(what, varName string) Task {
	args := installArgs(b, "{{ "+varName+" }}")
	// The tag lets a dry run against a host that cannot reach a mirror (the old
	// server itself) skip the installs: --check --diff --skip-tags packages.
	return Task{Name: "Install " + what, Module: b.pkgModule(), Args: args, Extra: M{{K: "tags", V: L{"packages"}}}}
}
