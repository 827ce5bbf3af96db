package report

import "github.com/trowel-dev/trowel/internal/snapshot"

// answersSection shows what the services said when asked as a client: that they
// do their job, not only that they listen. It belongs to the middleware it asked.
var answersSection = handoverSection{
	id: "answers", title: "sec.answers", intro: "intro.answers", under: "middleware",
	reads: []snapshot.Section{snapshot.SectionAnswers},
	build: (*builder).answers,
}

func (b *builder) answers(sec *Section) {
	t := b.table(b.t("tbl.answers"), codeCol(b.t("col.asked")), col(b.t("col.answered")), col(b.t("col.why")), codeCol(b.t("col.evidence")))
	for _, a := range b.s.Answers {
		t.Rows = append(t.Rows, row(c(a.Asked), c(b.answered(a)), c(a.Why), c(a.Evidence)))
	}
	t.Empty = b.empty(b.t("none.answers"), snapshot.SectionAnswers)
	sec.Blocks = append(sec.Blocks, t)
}

func (b *builder) answered(a snapshot.Answer) string {
	switch {
	case a.Error != "":
		return b.t("answer.none", a.Error)
	case a.HTTP != nil:
		s := a.HTTP.StatusLine
		if a.HTTP.Location != "" {
			s += " → " + a.HTTP.Location
		}
		if a.HTTP.Title != "" {
			s += " «" + a.HTTP.Title + "»"
		}
		if a.TLS != nil && a.TLS.Subject != "" {
			s += "; " + b.t("answer.cert", a.TLS.Subject, a.TLS.NotAfter.Format("2006-01-02"))
		}
		return s
	case a.SMTP != nil:
		return b.t("answer.smtp", a.SMTP.Greeting, a.SMTP.Rcpt, a.Domain, join(a.SMTP.Extensions))
	}
	return ""
}
