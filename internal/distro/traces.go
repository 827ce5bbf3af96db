package distro

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// VersionFile is a file where software installed outside the package manager keeps
// its version: a tarball's mysql_config, a source build's pg_config.
type VersionFile struct {
	Path string         // a shell glob
	Line *regexp.Regexp // the line that carries the version
}

// Programs is the base names of the server program of name's role (mysqld,
// mariadbd), looked for on disk whatever the package database says.
func Programs(name string) []string {
	return roleField(name, func(r serviceRow) []string { return r.Programs })
}

// DocNames is the package names whose /usr/share/doc/NAME-VERSION directory tells
// the version of name's role's software.
func DocNames(name string) []string {
	return roleField(name, func(r serviceRow) []string { return r.Docs })
}

// VersionFiles is where an installation of name's role outside the package
// manager keeps its version.
func VersionFiles(name string) []VersionFile {
	t := data()
	if r, ok := t.serviceBy.find(normalizeService(name)); ok {
		return slices.Clone(t.services[r].versionFiles)
	}
	return nil
}

// AllPrograms, AllDocNames and AllVersionFiles are every role's, in table order
// and each once: what the probe looks for.
func AllPrograms() []string { return allOf(func(r serviceRow) []string { return r.Programs }) }
func AllDocNames() []string { return allOf(func(r serviceRow) []string { return r.Docs }) }
func AllVersionFiles() []string {
	return allOf(func(r serviceRow) []string {
		var out []string
		for _, v := range r.VersionFiles {
			out = append(out, v.Path)
		}
		return out
	})
}

func roleField(name string, f func(serviceRow) []string) []string {
	t := data()
	if r, ok := t.serviceBy.find(normalizeService(name)); ok {
		return slices.Clone(f(t.services[r]))
	}
	return nil
}

func allOf(f func(serviceRow) []string) []string {
	var out []string
	for _, r := range data().services {
		for _, v := range f(r) {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// plainName is a program or package name the probe may put on its command line
// unquoted: no shell syntax, no path.
var plainName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)

// plainGlob is a version file path the same way, with glob characters.
var plainGlob = regexp.MustCompile(`^/[A-Za-z0-9._+/*-]+$`)

func (r *serviceRow) checkTraces() error {
	for _, n := range append(slices.Clone(r.Programs), r.Docs...) {
		if !plainName.MatchString(n) {
			return fmt.Errorf("program or doc name %q is not a plain name", n)
		}
	}
	for _, v := range r.VersionFiles {
		if !plainGlob.MatchString(v.Path) || strings.Contains(v.Path, "..") {
			return fmt.Errorf("version file %q is not an absolute path or glob", v.Path)
		}
		if _, err := path.Match(path.Base(v.Path), ""); err != nil {
			return fmt.Errorf("version file %q: %v", v.Path, err)
		}
		re, err := regexp.Compile(v.Line)
		if err != nil || v.Line == "" {
			return fmt.Errorf("version file %s: bad line pattern %q", v.Path, v.Line)
		}
		r.versionFiles = append(r.versionFiles, VersionFile{Path: v.Path, Line: re})
	}
	return nil
}
