package report

import "github.com/trowel-dev/trowel/internal/snapshot"

// endOfLifeSection says whether the OS and middleware still receive security
// updates, and from which copy of the end-of-life data.
var endOfLifeSection = handoverSection{
	id: "end-of-life", title: "sec.eol", intro: "intro.eol",
	reads: []snapshot.Section{snapshot.SectionEOL},
	build: (*builder).endOfLife,
}

func (b *builder) endOfLife(sec *Section) {
	t := b.table(b.t("tbl.eol"),
		col(b.t("col.product")), col(b.t("col.of")), col(b.t("col.version")), col(b.t("col.cycle")),
		col(b.t("col.eol_date")), col(b.t("col.extended")), col(b.t("col.status")), col(b.t("col.note")))
	dataDate := ""
	for _, e := range b.s.EndOfLife {
		dataDate = e.DataDate
		status := b.t("eol." + e.Status)
		if e.LTS {
			status += " (LTS)"
		}
		t.Rows = append(t.Rows, row(c(e.Product), c(b.of(e.Of)), c(e.Version), c(e.Cycle),
			c(e.EOL), c(e.Extended), c(status), c(e.Note)))
	}
	t.Empty = b.empty(b.t("none.eol"), snapshot.SectionEOL)
	if dataDate != "" {
		t.Explain += " " + b.t("tbl.eol.date", dataDate)
	}
	sec.Blocks = append(sec.Blocks, t)
}

// of names what an end-of-life entry was matched against.
func (b *builder) of(of string) string {
	if of == "os" {
		return b.t("val.os")
	}
	return of
}
