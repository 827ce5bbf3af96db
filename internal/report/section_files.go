package report

import (
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
	for _, x := range f.Configs {
		note := x.ContentNote
		if x.Generated != "" {
			note = strings.TrimSpace(b.t("val.generated_by", x.Generated) + " " + note)
		}
		cfg.Rows = append(cfg.Rows, row(c(x.Path), c(b.kind("file."+x.State)), c(x.Package), c(x.Changes), b.ctime(x.Modified), c(note)))
	}
	cfg.Empty = b.empty(b.t("none.configs"), snapshot.SectionFiles)
	un := b.table(b.t("tbl.unmanaged"), codeCol(b.t("col.path")), col(b.t("col.what")), numCol(b.t("col.files")), numCol(b.t("col.size")), col(b.t("col.modified")))
	for _, u := range f.Unmanaged {
		un.Rows = append(un.Rows, row(c(u.Path), c(u.What), cnCount(u.Files), b.cbytes(u.Bytes), b.ctime(u.Modified)))
	}
	un.Empty = b.empty(b.t("none.unmanaged"), snapshot.SectionUnmanaged)
	sec.Blocks = append(sec.Blocks, cfg, un)
}
