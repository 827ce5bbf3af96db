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
	var na []snapshot.Section
	var names []string
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
			na = append(na, sc)
			names = append(names, string(sc))
			continue
		}
		t.Rows = append(t.Rows, row(c(string(sc)), c(b.status(cov.Status)), c(cov.Reason), c(join(cov.Evidence))))
		// A section read from several sources says which of them were not read
		// and why, each on a line of its own: what the others hold stands.
		for _, src := range cov.Sources {
			if src.Status.Decided() {
				continue
			}
			name := b.t("cov.source", string(sc), b.source(sc, src.Name))
			t.Rows = append(t.Rows, row(c(name), c(b.status(src.Status)), c(src.Reason), c(join(src.Evidence))))
		}
	}
	t.Empty = b.t("none.coverage")
	sec.Blocks = append(sec.Blocks, t)
	if len(na) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.claim(Claim{Subject: coverageSubject(na...), Says: SaysAbsent,
			Value: string(snapshot.NotApplicable), Text: b.t("cov.not_applicable", join(names))})})
	}
}

// source names a source of a section for a reader, or as the snapshot does when
// this trowel has no words for it (a snapshot from a newer one).
func (b *builder) source(sec snapshot.Section, name string) string {
	key := "source." + string(sec) + "." + name
	if _, ok := labelsEN[key]; ok {
		return b.t(key)
	}
	return name
}
