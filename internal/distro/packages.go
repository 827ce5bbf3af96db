package distro

import (
	"path"
	"slices"
	"strings"
)

// PackagesOn is the packages on to that provide what name provided on from:
// httpd on centos-7 is [apache2] on debian-12, mysql-server on centos-6 is
// [mariadb-server], dovecot is [dovecot-core dovecot-imapd dovecot-pop3d].
//
// mapped is true when the table knows the answer and it is in to's own
// repositories. An empty list with mapped true means another package already
// provides it (mod_ssl is part of apache2 on Debian). mapped is false for a name
// the table does not know (names is [name]: same name, unverified) and for a
// package the target's repositories do not carry (td-agent): names is then the
// third-party package or empty, and PackageNote says what to do.
func PackagesOn(name string, from, to Platform) (names []string, mapped bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	t := data()
	if r, ok := t.packageRowFor(n, from); ok {
		row := t.packages[r]
		if v, _, ok := resolveOn(row.On, to); ok {
			return slices.Clone(v), !row.outside(to)
		}
		return []string{name}, false
	}
	if t.sameName[n] && to.Family() != "" {
		return []string{name}, true
	}
	return []string{name}, false
}

// PackageNote says why the mapping of name from from to to is not one-to-one or
// needs attention (a major version jump, a split or merged package, a third-party
// repository), or "" when there is nothing to say.
func PackageNote(name string, from, to Platform) string {
	n := strings.ToLower(strings.TrimSpace(name))
	t := data()
	r, ok := t.packageRowFor(n, from)
	if !ok {
		return ""
	}
	row := t.packages[r]
	var notes []string
	if v, _, ok := resolveOn(row.Notes, to); ok {
		notes = append(notes, v)
	}
	if v, ok := row.Notes["any"]; ok {
		notes = append(notes, v)
	}
	if len(notes) == 0 {
		if v, _, ok := resolveOn(row.On, to); ok && row.outside(to) {
			if len(v) == 0 {
				notes = append(notes, name+" has no replacement in "+to.String()+"'s repositories.")
			} else {
				notes = append(notes, strings.Join(v, ", ")+" is not in "+to.String()+"'s own repositories.")
			}
		}
	}
	return strings.Join(notes, " ")
}

// outside reports whether the row's packages for p are missing from p's own
// repositories: the most specific selector of p that the row mentions, in on or
// in outside, decides.
func (r packageRow) outside(p Platform) bool {
	for _, k := range p.keys() {
		if slices.Contains(r.Outside, k) {
			return true
		}
		if _, ok := r.On[k]; ok {
			return false
		}
	}
	return false
}

// developmentNames are compilers and build tools that have no -devel/-dev suffix.
var developmentNames = []string{
	"gcc", "gcc-c++", "g++", "cpp", "gcc-gfortran", "gfortran", "make", "automake",
	"autoconf", "libtool", "binutils", "build-essential", "bison", "flex", "cmake",
	"pkgconfig", "pkg-config", "pkgconf", "pkgconf-pkg-config", "rpm-build", "dpkg-dev",
	"debhelper", "kernel-headers", "linux-libc-dev", "gdb", "ctags", "byacc", "m4",
	"development tools", "@development tools", "@development-tools", "development-tools",
	"gcc[0-9]*", "gcc-[0-9]*", "g++-[0-9]*", "cpp-[0-9]*", "linux-headers-*",
	"devtoolset-*", "gcc-toolset-*",
}

// IsDevelopmentPackage reports whether name is a compiler, a build tool or a
// development headers package (*-devel, *-dev), the kind a production server
// rarely needs.
func IsDevelopmentPackage(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if strings.HasPrefix(n, "gcc-") && strings.HasSuffix(n, "-base") {
		// gcc-12-base is the runtime base every Debian system has, not the compiler.
		return false
	}
	if strings.HasSuffix(n, "-devel") || strings.HasSuffix(n, "-dev") || strings.Contains(n, "-devel-") {
		return true
	}
	for _, d := range developmentNames {
		if ok, _ := path.Match(d, n); ok {
			return true
		}
	}
	return false
}
