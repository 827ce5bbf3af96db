package report

import (
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

func (b *builder) files(sec *Section) {
	f := b.s.Files
	cfg := b.table(b.t("tbl.configs"), codeCol(b.t("col.path")), col(b.t("col.state")), col(b.t("col.package")),
		codeCol(b.t("col.changes")), col(b.t("col.modified")), col(b.t("col.note")))
	var docs [][]Cell
	for _, x := range f.Configs {
		note := x.ContentNote
		if x.Generated != "" {
			note = strings.TrimSpace(b.t("val.generated_by", x.Generated) + " " + note)
		}
		r := row(c(x.Path), c(b.kind("file."+x.State)), c(x.Package), c(x.Changes), b.ctime(x.Modified), c(note))
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
}

// packageDoc tells a package's documentation or translations (rpm's %doc and
// %lang files, dpkg's under /usr/share/doc): images and minimal installs leave
// them out on purpose (rpm --excludedocs, %_install_langs, dpkg path-exclude),
// so one missing is how the host was installed, not a change to carry.
func packageDoc(path string) bool {
	for _, dir := range []string{"/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/",
		"/usr/share/licenses/", "/usr/share/gtk-doc/"} {
		if strings.HasPrefix(path, dir) {
			return true
		}
	}
	return false
}
