// Package files surveys what makes this server this server: configuration files
// changed from their package's version, configuration files no package owns, and
// software installed outside the package manager.
//
// dpkg: the conffiles' digests come from /var/lib/dpkg/status, the current ones from
// md5sum on the host; non-conffile /etc entries of info/*.md5sums are compared too.
// rpm: the %config files' digests (MD5 on EL5/6, SHA-256 from EL7) come from the
// database, and are compared with the host's; this is the digest column of `rpm -V`
// without verifying every file of every package, which takes minutes.
//
// Files under /etc that a maintainer script writes (postfix's main.cf, pam's
// common-*) are owned by no package but are not hand-made: ucf's registry names the
// ones ucf manages for a package, the install scripts' own lines name those they
// write, and probe.GeneratedFiles the rest trowel knows of on Debian. They are
// reported only when they differ from what their writer wrote, or when that cannot
// be told.
//
// For each file, the copies of its packaged version the host keeps (dpkg's and ucf's,
// rpm's .rpmnew, the template an install script starts from) are compared with it
// setting by setting (see compare.go); where none is on the host, the file says so.
package files

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills Files and the files and unmanaged_software coverage.
type Surveyor struct{}

// New returns the files surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "files" }

// Survey reads the files-* items.
func (Surveyor) Survey(in *kit.Input) {
	in.Snap.Files.Configs = []snapshot.ConfigFile{}
	in.Snap.Files.Unmanaged = []snapshot.UnmanagedTree{}
	surveyConfigs(in)
	surveyTrees(in)
}

// looksText: the host's filter drops NUL bytes, so binary is told by control
// characters and invalid UTF-8 (Latin-1 configs pass: few such bytes).
func looksText(s string) bool {
	bad := 0
	for i, r := range s {
		if r == utf8.RuneError {
			_, n := utf8.DecodeRuneInString(s[i:])
			if n == 1 {
				bad++
			}
			continue
		}
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' && r != '\f' {
			bad += 4
		}
	}
	return bad*20 <= len(s)
}

func surveyTrees(in *kit.Input) {
	it := in.Cmd("files-trees")
	if !kit.Usable(it) {
		st, why := kit.StatusOf(it)
		_, _, sw := surveySoftware(in)
		in.Cover(snapshot.SectionUnmanaged, st, why, it, sw)
		return
	}
	trees, done, err := ParseTrees(it.Text())
	st, why := kit.StatusOf(it)
	var notes []string
	if why != "" {
		notes = append(notes, why)
	}
	if err != nil {
		st, notes = kit.WorseOf(st, snapshot.Partial), append(notes, it.Source()+": "+err.Error())
	}
	if !done {
		st, notes = kit.WorseOf(st, snapshot.Partial), append(notes, it.Source()+" did not run to its end")
	}
	id := in.Cite(it)
	for _, t := range trees {
		if t.Files == 0 {
			continue // the empty skeleton of /usr/local
		}
		u := snapshot.UnmanagedTree{Path: t.Path, Files: t.Files, Bytes: t.Bytes, What: What(t), Evidence: []string{id}}
		if t.Newest > 0 {
			m := time.Unix(t.Newest, 0).UTC()
			u.Modified = &m
		}
		if t.Files >= 10000 {
			notes = append(notes, t.Path+": only the first 10000 files were counted")
		}
		in.Snap.Files.Unmanaged = append(in.Snap.Files.Unmanaged, u)
	}
	swSt, swWhy, sw := surveySoftware(in)
	st = kit.WorseOf(st, swSt)
	if swWhy != "" {
		notes = append(notes, swWhy)
	}
	in.Cover(snapshot.SectionUnmanaged, st, strings.Join(notes, "; "), it, sw)
}

// What says what a tree looks like from its marker files and executables.
func What(t Tree) string {
	has := map[string]bool{}
	for _, m := range t.Markers {
		b := m[strings.LastIndexByte(m, '/')+1:]
		has[b] = true
		if strings.HasSuffix(b, ".jar") || strings.HasSuffix(b, ".war") {
			has["*.jar"] = true
		}
	}
	var what []string
	if has[".git"] {
		what = append(what, "git checkout")
	}
	switch {
	case has["Gemfile"] && has["config.ru"]:
		what = append(what, "Rails/Rack app")
	case has["Gemfile"]:
		what = append(what, "Ruby app (Gemfile)")
	}
	if has["package.json"] {
		what = append(what, "Node.js app")
	}
	switch {
	case has["pyvenv.cfg"]:
		what = append(what, "Python virtualenv")
	case has["requirements.txt"] || has["setup.py"]:
		what = append(what, "Python app")
	}
	if has["composer.json"] || has["wp-config.php"] {
		what = append(what, "PHP app")
	}
	if has["pom.xml"] || has["*.jar"] {
		what = append(what, "Java")
	}
	if has["go.mod"] {
		what = append(what, "Go source")
	}
	if has["Makefile"] && len(what) == 0 {
		what = append(what, "source tree (Makefile)")
	}
	if t.Execs["elf"] > 0 {
		what = append(what, "ELF binaries")
	}
	if t.Execs["script"] > 0 {
		what = append(what, "scripts")
	}
	if len(what) == 0 && strings.HasPrefix(t.Path, "/var/www/") {
		what = append(what, "web content")
	}
	return strings.Join(what, ", ")
}
