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
// common-*) are owned by no package but are not hand-made; see probe.GeneratedFiles.
// They are reported only when they differ from what the generator writes.
package files

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trowel-dev/trowel/internal/evidence"
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

type manager struct {
	name                   string
	db                     *evidence.Item // dpkg status; nil for rpm
	sums, unowned, content *evidence.Item
}

func surveyConfigs(in *kit.Input) {
	status := in.File("/var/lib/dpkg/status")
	mgrs := []manager{}
	if kit.Usable(status) {
		mgrs = append(mgrs, manager{"dpkg", status, in.Cmd("files-dpkg-sums"), in.Cmd("files-dpkg-unowned"), in.Cmd("files-dpkg-content")})
	}
	rpmSums := in.Cmd("files-rpm-sums")
	if kit.Usable(rpmSums) || in.Snap.OS.PackageManager == "rpm" {
		mgrs = append(mgrs, manager{"rpm", nil, rpmSums, in.Cmd("files-rpm-unowned"), in.Cmd("files-rpm-content")})
	}
	if len(mgrs) == 0 {
		st, _ := kit.StatusOf(status)
		if st == snapshot.Collected {
			st = snapshot.Unavailable
		}
		in.Cover(snapshot.SectionFiles, st, "no dpkg or rpm database was read, so no file can be told changed or unowned: "+
			kit.Explain(status, rpmSums), status, rpmSums)
		return
	}
	templates := in.Cmd("files-templates")
	tsums, _ := ParseSums(templates.Text())
	var used []*evidence.Item
	var notes []string
	worst := snapshot.Collected
	note := func(st snapshot.Status, why string) {
		worst = kit.WorseOf(worst, st)
		if why != "" {
			notes = append(notes, why)
		}
	}
	byPath := map[string]int{}
	add := func(c snapshot.ConfigFile) {
		if i, ok := byPath[c.Path]; ok {
			in.Snap.Files.Configs[i].Evidence = kit.AppendNew(in.Snap.Files.Configs[i].Evidence, c.Evidence...)
			return
		}
		byPath[c.Path] = len(in.Snap.Files.Configs)
		in.Snap.Files.Configs = append(in.Snap.Files.Configs, c)
	}
	for _, m := range mgrs {
		items := []*evidence.Item{m.sums, m.unowned}
		if m.db != nil {
			items = append([]*evidence.Item{m.db}, items...)
		}
		used = append(used, items...)
		if st, why := kit.Worst(items...); st != snapshot.Collected {
			note(st, m.name+": "+why)
		}
		// Changed and missing configs.
		if kit.Usable(m.sums) {
			sums, err := ParseSums(m.sums.Text())
			if err != nil {
				note(snapshot.Partial, m.sums.Source()+": "+err.Error())
			}
			if !sums.Done {
				note(snapshot.Partial, m.sums.Source()+" did not run to its end")
			}
			if len(sums.Denied) > 0 {
				note(snapshot.Partial, strings.Join(sums.Denied, ", ")+": not readable, so not compared")
			}
			want := sums.Expected
			if m.db != nil {
				cfs, err := ParseConffiles(m.db.Text())
				if err != nil {
					note(snapshot.Partial, m.db.Source()+": "+err.Error())
				}
				want = map[string]Expected{}
				for p, e := range sums.Expected {
					want[p] = e
				}
				for _, c := range cfs {
					if !c.Obsolete && !c.NewConffile {
						want[c.Path] = Expected{Package: c.Package, Digest: c.MD5}
					}
				}
			}
			missing := map[string]bool{}
			for _, p := range sums.Missing {
				missing[p] = true
			}
			ev := []string{in.Cite(m.sums)}
			if m.db != nil {
				ev = append(ev, in.Cite(m.db))
			}
			for p, e := range want {
				switch cur, ok := sums.Current[p]; {
				case missing[p]:
					add(snapshot.ConfigFile{Path: p, State: "missing", Package: e.Package, Evidence: ev})
				case ok && cur != e.Digest:
					add(snapshot.ConfigFile{Path: p, State: "modified", Package: e.Package, Evidence: ev})
				}
			}
		}
		// Configs no package owns.
		if kit.Usable(m.unowned) {
			u, err := ParseUnowned(m.unowned.Text())
			if err != nil {
				note(snapshot.Partial, m.unowned.Source()+": "+err.Error())
			}
			if !u.Done || m.unowned.Truncated {
				note(snapshot.Partial, m.unowned.Source()+" did not run to its end")
			}
			if u.Checked == 0 {
				note(snapshot.Partial, m.unowned.Source()+" looked at no file at all")
			}
			if len(u.Odd) > 0 {
				note(snapshot.Partial, "not checked (names with blanks or quotes): "+strings.Join(u.Odd, ", "))
			}
			id := in.Cite(m.unowned)
			for _, p := range u.Paths {
				if noise(p) != "" {
					continue
				}
				c := snapshot.ConfigFile{Path: p, State: "unowned", Evidence: []string{id}}
				if g, ok := generated[p]; ok {
					if pristine(g, tsums.Current) {
						continue
					}
					c.Generated = g.By
					if kit.Usable(templates) {
						c.Evidence = append(c.Evidence, in.Cite(templates))
					}
				}
				add(c)
			}
		}
	}
	// Content, from whichever manager's content step ran.
	for _, m := range mgrs {
		if !kit.Usable(m.content) {
			if m.content.Status != evidence.StatusMissing && m.content.Status != evidence.StatusSkipped {
				st, why := kit.StatusOf(m.content)
				note(kit.WorseOf(st, snapshot.Partial), "no content: "+why)
			}
			continue
		}
		cs, done, err := ParseContent(m.content.Text())
		if err != nil {
			note(snapshot.Partial, m.content.Source()+": "+err.Error())
		} else if !done {
			note(snapshot.Partial, m.content.Source()+" did not run to its end")
		}
		id := in.Cite(m.content)
		for path, c := range cs {
			i, ok := byPath[path]
			if !ok {
				continue
			}
			cf := &in.Snap.Files.Configs[i]
			switch {
			case !c.Have:
				cf.ContentNote = c.Note
			case !looksText(c.Text):
				cf.ContentNote = "binary"
			default:
				cf.Content = c.Text
			}
			cf.Evidence = kit.AppendNew(cf.Evidence, id)
		}
	}
	for i := range in.Snap.Files.Configs {
		cf := &in.Snap.Files.Configs[i]
		if cf.Content == "" && cf.ContentNote == "" && cf.State != "missing" {
			cf.ContentNote = "not collected"
		}
	}
	sort.Slice(in.Snap.Files.Configs, func(i, j int) bool {
		return in.Snap.Files.Configs[i].Path < in.Snap.Files.Configs[j].Path
	})
	in.Cover(snapshot.SectionFiles, worst, strings.Join(notes, "; "), used...)
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
		in.Cover(snapshot.SectionUnmanaged, st, why, it)
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
	in.Cover(snapshot.SectionUnmanaged, st, strings.Join(notes, "; "), it)
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
