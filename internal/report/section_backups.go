package report

import (
	"cmp"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// backupsSection says whether this host's data is copied elsewhere, and says "not
// known" rather than "no backup" when the survey could not look.
var backupsSection = handoverSection{
	id: "backups", title: "sec.backups", intro: "intro.backups",
	reads: []snapshot.Section{snapshot.SectionBackups},
	build: (*builder).backups,
}

func (b *builder) backups(sec *Section) {
	bk := b.s.Backups
	cov := b.s.Coverage[snapshot.SectionBackups]
	var verdict string
	switch {
	case bk.Found:
		verdict = b.t("backup.found", len(bk.Items))
	case cov.Status == snapshot.Collected:
		verdict = b.claim(Claim{Subject: coverageSubject(snapshot.SectionBackups), Says: SaysNone, Text: b.t("backup.none")})
	default:
		verdict = b.t("backup.unknown", b.status(cov.Status), cmp.Or(cov.Reason, "-"))
	}
	t := b.table(b.t("tbl.backups"), col(b.t("col.kind")), col(b.t("col.tool")), col(b.t("col.what")), codeCol(b.t("col.where_to")),
		col(b.t("col.off_host")), codeCol(b.t("col.job")), col(b.t("col.latest")))
	for _, x := range bk.Items {
		off := b.t("val.no")
		if x.OffHost {
			off = b.t("val.yes")
		}
		t.Rows = append(t.Rows, row(c(b.kind("backup."+x.Kind)), c(x.Tool), c(x.What), c(x.Where), c(off), c(x.Job), b.ctime(x.Latest)))
	}
	t.Empty = b.empty(b.t("none.backups"), snapshot.SectionBackups)
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: verdict}, t)
}
