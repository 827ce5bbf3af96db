package report

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// findingsSection lists the findings by severity, each readable on its own. The
// findings come from analyze, not from one section of the snapshot.
var findingsSection = handoverSection{
	id: "findings", title: "sec.findings", intro: "intro.findings",
	reads: []snapshot.Section{},
	build: (*builder).findingsBySeverity,
}

func (b *builder) findingsBySeverity(sec *Section) {
	if len(b.findings) == 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("none.findings")})
		return
	}
	for _, sev := range []analyze.Severity{analyze.High, analyze.Medium, analyze.Low, analyze.Info} {
		var sub *Section
		for _, f := range b.findings {
			if f.Severity != sev {
				continue
			}
			if sub == nil {
				sub = &Section{ID: "findings-" + string(sev), Title: b.t("sev." + string(sev))}
			}
			sub.Blocks = append(sub.Blocks, b.callout(f))
		}
		if sub != nil {
			sub.Title = fmt.Sprintf("%s (%d)", sub.Title, len(sub.Blocks))
			sec.Sub = append(sec.Sub, sub)
		}
	}
}

func (b *builder) callout(f analyze.Finding) *Callout {
	return &Callout{
		Severity: string(f.Severity), SeverityLabel: b.t("sev." + string(f.Severity)),
		Inhibitor: f.Inhibitor, InhibitorLabel: b.t("inhibitor"),
		Key: f.ID(), Title: f.Title, Why: f.Summary, Fix: f.Remediation.Hint,
		Command: f.Remediation.Command, Ansible: f.Remediation.Ansible, Facts: f.Facts,
		WhyLabel: L(b.lang, "why"), FixLabel: L(b.lang, "fix"), FactsLabel: L(b.lang, "facts"),
	}
}
