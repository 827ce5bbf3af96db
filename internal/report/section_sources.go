package report

import (
	"maps"
	"slices"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// sourcesSection lists every evidence item, so any fact can be checked by running
// the same command or opening the same file. It shows evidence, not the facts of a
// section.
var sourcesSection = handoverSection{
	id: "sources", title: "sec.sources", intro: "intro.sources",
	reads: []snapshot.Section{},
	build: (*builder).sources,
}

func (b *builder) sources(sec *Section) {
	s := b.s
	t := b.table(b.t("tbl.sources"), codeCol("ID"), col(b.t("col.kind")), codeCol(b.t("col.source")), col(b.t("col.status")), numCol(b.t("col.size")))
	for _, id := range slices.Sorted(maps.Keys(s.Evidence)) {
		e := s.Evidence[id]
		st := e.Status
		if e.Truncated {
			st += " (" + b.t("val.truncated") + ")"
		}
		t.Rows = append(t.Rows, row(c(id), c(e.Kind), c(e.Source), c(st), b.cbytes(int64(e.Bytes))))
	}
	t.Empty = b.t("none.sources")
	sec.Blocks = append(sec.Blocks, t)
	if s.Source.EvidenceSHA256 != "" {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("src.sha", s.Source.EvidenceSHA256)})
	}
}
