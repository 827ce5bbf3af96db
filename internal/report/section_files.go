package report

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// filesSection is what makes this server this server: configs changed from their
// package, configs no package owns, and software installed by hand.
var filesSection = handoverSection{
	id: "files", title: "sec.files", intro: "intro.files",
	reads: []snapshot.Section{snapshot.SectionFiles, snapshot.SectionUnmanaged},
	build: (*builder).files,
}

// settingsShown is how many changed settings a row lists before "and N more": the
// snapshot keeps them all.
const settingsShown = 8

func (b *builder) files(sec *Section) {
	f := b.s.Files
	caption := "tbl.configs"
	if slices.ContainsFunc(f.Configs, func(x snapshot.ConfigFile) bool { return x.State == "unknown" }) {
		caption = "tbl.configs_unknown"
	}
	cfg := b.table(b.t(caption), codeCol(b.t("col.path")), col(b.t("col.state")), col(b.t("col.package")),
		col(b.t("col.changes")), col(b.t("col.modified")), col(b.t("col.note")))
	var docs [][]Cell
	for _, x := range f.Configs {
		r := row(c(x.Path), c(b.kind("file."+x.State)), c(x.Package), c(b.configChanges(x)), b.ctime(x.Modified), c(b.configNote(x)))
		if x.State == "missing" && packageDoc(x.Path) {
			docs = append(docs, r)
			continue
		}
		cfg.Rows = append(cfg.Rows, r)
	}
	if len(docs) > 0 {
		cfg.Folded = &Fold{Rows: docs, Summary: b.claim(Claim{Subject: "files.configs", Says: SaysFolded, Value: strconv.Itoa(len(docs)), Text: b.t("fold.package_docs", len(docs))})}
	}
	if len(f.Configs) == 0 {
		cfg.Empty = b.empty(b.t("none.configs"), snapshot.SectionFiles)
	}
	un := b.table(b.t("tbl.unmanaged"), codeCol(b.t("col.path")), col(b.t("col.what")), numCol(b.t("col.files")), numCol(b.t("col.size")), col(b.t("col.modified")))
	for _, u := range f.Unmanaged {
		un.Rows = append(un.Rows, row(c(u.Path), c(u.What), cnCount(u.Files), b.cbytes(u.Bytes), b.ctime(u.Modified)))
	}
	un.Empty = b.empty(b.t("none.unmanaged"), snapshot.SectionUnmanaged)
	sec.Blocks = append(sec.Blocks, cfg, un)
	if sw := b.softwareTable(f.Unmanaged); sw != nil {
		sec.Blocks = append(sec.Blocks, sw)
	}
}

// softwareTable names what the trees hold: each piece of software installed outside
// the package manager, how, and where its version was read. It is left out when
// none was named: a survey that could not name any says so in the coverage, and
// an older one never tried.
func (b *builder) softwareTable(trees []snapshot.UnmanagedTree) *Table {
	t := b.table(b.t("tbl.software"), col(b.t("col.name")), col(b.t("col.version")), col(b.t("col.installed_by")),
		codeCol(b.t("col.path")), codeCol(b.t("col.programs")), codeCol(b.t("col.version_from")))
	for _, u := range trees {
		for _, s := range u.Software {
			t.Rows = append(t.Rows, row(c(s.Name), c(s.Version), c(b.kind("sw."+s.Installer)), c(s.Path), c(join(s.Programs)), c(s.VersionFrom)))
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return t
}

// packageDoc tells a package's documentation or translations (rpm's %doc and
// %lang files, dpkg's under /usr/share/doc): images and minimal installs leave
// them out on purpose (rpm --excludedocs, %_install_langs, dpkg path-exclude),
// so one missing is how the host was installed, not a change to carry.
func packageDoc(file string) bool {
	for _, dir := range []string{"/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/",
		"/usr/share/licenses/", "/usr/share/gtk-doc/"} {
		if strings.HasPrefix(file, dir) {
			return true
		}
	}
	return false
}

// configChanges says what changed in a file: the settings that differ from the
// packaged version where a copy of it was compared, or why nothing was compared.
// It is never empty for a listed file.
func (b *builder) configChanges(x snapshot.ConfigFile) string {
	bl := x.Baseline
	switch {
	case x.State == "missing":
		return b.t("files.ch.missing")
	case bl == nil && x.Changes != "":
		return x.Changes // rpm -V's column
	case bl == nil:
		return b.t("files.ch.not_compared")
	case bl.Compared && len(x.Settings) == 0:
		return b.t("files.ch.no_setting")
	case bl.Compared:
		var parts []string
		for i, s := range x.Settings {
			if i == settingsShown {
				parts = append(parts, b.t("val.more", len(x.Settings)-settingsShown))
				break
			}
			parts = append(parts, b.settingText(s))
		}
		return strings.Join(parts, "; ")
	case bl.Kind == "none" && x.State == "modified":
		return b.t("files.ch.not_on_host")
	case bl.Kind == "none" && strings.HasPrefix(bl.Why, "a packaged version itself"):
		return b.t("files.ch.dist_copy", strings.TrimSuffix(x.Path, path.Ext(x.Path)))
	case bl.Kind == "none" && x.Writer != nil:
		return b.t("files.ch.writer_absent")
	case bl.Kind == "none":
		return b.t("files.ch.no_package")
	}
	return b.t("files.ch.unknown", bl.Why)
}

// settingText is one changed setting: "Section Key: was → now".
func (b *builder) settingText(s snapshot.SettingChange) string {
	name := s.Key
	if s.Section != "" {
		name = strings.TrimSpace(s.Section + " " + s.Key)
	}
	val := func(v string) string {
		if v == "" {
			return b.t("files.set.empty")
		}
		return v
	}
	was := val(s.Was)
	if s.WasCommented {
		was = b.t("files.set.commented", s.Was)
	}
	var what string
	switch {
	case s.Hidden && s.Change == "unknown":
		what = b.t("files.set.hidden_unknown")
	case s.Hidden:
		what = b.t("files.set.hidden_" + s.Change)
	case s.Change == "changed":
		what = was + " → " + val(s.Now)
	case s.Change == "added":
		what = b.t("files.set.added", val(s.Now))
	case s.Change == "removed":
		what = b.t("files.set.removed", val(s.Was))
	}
	if name == "" {
		return what
	}
	return name + ": " + what
}

// configNote says who wrote a file no package lists, with what evidence, what it
// was compared with, and why its text is not kept.
func (b *builder) configNote(x snapshot.ConfigFile) string {
	var notes []string
	switch w := x.Writer; {
	case w == nil && x.Generated != "":
		notes = append(notes, b.t("val.generated_by", x.Generated))
	case w == nil:
	case w.Script == "ucf":
		notes = append(notes, b.t("files.w.ucf", w.Package))
	case w.Script == "postinst" && w.Debconf:
		notes = append(notes, b.t("files.w.postinst_debconf", w.Package))
	case w.Script == "postinst":
		notes = append(notes, b.t("files.w.postinst", w.Package))
	case w.Script == "%post":
		notes = append(notes, b.t("files.w.post", w.Package))
	case w.Package != "":
		notes = append(notes, b.t("files.w.tool", w.Script, w.Package))
	default:
		notes = append(notes, b.t("val.generated_by", w.Script))
	}
	if bl := x.Baseline; bl != nil && bl.Path != "" {
		key := "files.b." + bl.Kind
		switch bl.Kind {
		case "dpkg-dist", "ucf-dist", "rpmnew":
			key = "files.b.dist"
		}
		switch {
		case bl.Exact || bl.Kind == "in-force":
		case bl.Kind == "ucf-cache" && x.State == "unknown":
			// ucf's digest of what it installed is not known, so neither is
			// whether its copy is that.
			key += "_unknown"
		default:
			key += "_inexact"
		}
		notes = append(notes, b.t(key, bl.Path))
	}
	if x.ContentNote != "" {
		notes = append(notes, x.ContentNote)
	}
	return strings.Join(notes, " ")
}
