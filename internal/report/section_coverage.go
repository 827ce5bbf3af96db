package report

import "github.com/trowel-dev/trowel/internal/snapshot"

// coverageSection is the list of what could not be surveyed, as prominent as the
// rest: a reader must know which silences are real.
var coverageSection = handoverSection{
	id: "coverage", title: "sec.coverage", intro: "intro.coverage",
	reads: snapshot.Sections,
	build: (*builder).coverage,
}

func (b *builder) coverage(sec *Section) {
	s := b.s
	t := b.table(b.t("tbl.coverage"), col(b.t("col.section")), col(b.t("col.status")), col(b.t("col.reason")), codeCol(b.t("col.evidence")))
	var na []string
	for _, sc := range snapshot.Sections {
		cov, ok := s.Coverage[sc]
		if !ok {
			// A snapshot from a trowel older than this section's survey.
			t.Rows = append(t.Rows, row(c(string(sc)), c(b.t("status.not_surveyed")), c(b.t("empty.not_surveyed")), c("")))
			continue
		}
		switch cov.Status {
		case snapshot.Collected:
			continue
		case snapshot.NotApplicable:
			na = append(na, string(sc))
			continue
		}
		t.Rows = append(t.Rows, row(c(string(sc)), c(b.status(cov.Status)), c(cov.Reason), c(join(cov.Evidence))))
	}
	t.Empty = b.t("none.coverage")
	sec.Blocks = append(sec.Blocks, t)
	if len(na) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("cov.not_applicable", join(na))})
	}
}
