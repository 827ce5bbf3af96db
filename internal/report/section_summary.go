package report

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// summarySection says in one paragraph what the server is for, derived from what
// it serves, and how much of the document to trust (it counts every section's
// coverage).
var summarySection = handoverSection{
	id: "summary", title: "sec.summary", intro: "intro.summary",
	reads: snapshot.Sections,
	build: (*builder).summary,
}

func (b *builder) summary(sec *Section) {
	s := b.s
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.purpose()})

	counts := map[analyze.Severity]int{}
	inhibitors := 0
	for _, f := range b.findings {
		counts[f.Severity]++
		if f.Inhibitor {
			inhibitors++
		}
	}
	gaps := 0
	for _, sec := range snapshot.Sections {
		if st := s.Coverage[sec].Status; st != snapshot.Collected && st != snapshot.NotApplicable {
			gaps++
		}
	}
	sec.Blocks = append(sec.Blocks, &Facts{Pairs: []Pair{
		{b.t("sum.findings"), b.t("sum.findings.value", counts[analyze.High], counts[analyze.Medium], counts[analyze.Low], counts[analyze.Info], inhibitors)},
		{b.t("sum.coverage"), b.t("sum.coverage.value", len(snapshot.Sections)-gaps, len(snapshot.Sections), gaps)},
	}})
	if len(s.Source.Notes) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("sum.notes")}, &List{Items: s.Source.Notes})
	}
}

// purpose is the one-paragraph answer to "what is this server for", built from
// the applications, web servers, databases, mail and shippers found. It claims
// nothing the snapshot does not show.
func (b *builder) purpose() string {
	s := b.s
	mw := s.Middleware
	var parts []string
	osName := cmp.Or(s.OS.PrettyName, s.OS.Name, b.t("val.unknown_os"))
	parts = append(parts, b.t("purpose.host", b.hostName(), osName))

	var apps []string
	for _, a := range mw.Apps {
		name := cmp.Or(a.Name, a.Kind+" "+a.Path)
		if a.Server != "" {
			name += " (" + a.Server + ")"
		}
		apps = append(apps, name)
	}
	if len(apps) > 0 {
		parts = append(parts, b.t("purpose.apps", join(apps)))
	}
	for _, w := range mw.WebServers {
		var names, ports []string
		seenName, seenPort := map[string]bool{}, map[int]bool{}
		for _, v := range w.VHosts {
			if v.ServerName != "" && !seenName[v.ServerName] {
				seenName[v.ServerName] = true
				names = append(names, v.ServerName)
			}
			if p := v.Port(); p != 0 && !seenPort[p] {
				seenPort[p] = true
				ports = append(ports, ":"+strconv.Itoa(p))
			}
		}
		what := strings.TrimSpace(w.Kind + " " + w.Version)
		if len(names) > 0 {
			parts = append(parts, b.t("purpose.web", what, join(names), join(ports)))
		} else {
			parts = append(parts, b.t("purpose.web.plain", what))
		}
	}
	for _, d := range mw.Databases {
		var dbs []string
		for _, sch := range d.Databases {
			if !sch.System {
				dbs = append(dbs, sch.Name)
			}
		}
		what := strings.TrimSpace(d.Kind + " " + d.Version)
		where := snapshot.JoinHostPort(d.Bind, d.Port)
		if len(dbs) > 0 {
			parts = append(parts, b.t("purpose.db", what, join(dbs), where))
		} else {
			parts = append(parts, b.t("purpose.db.plain", what, where))
		}
	}
	for _, m := range mw.Mail {
		switch {
		case m.Kind == "postfix" && m.Relayhost != "":
			parts = append(parts, b.t("purpose.mail.relay", m.Relayhost))
		default:
			parts = append(parts, b.t("purpose.mail", m.Kind))
		}
	}
	var ships []string
	for _, sh := range s.Logs.Shippers {
		var to []string
		for _, d := range sh.Destinations {
			to = append(to, destination(d))
		}
		if len(to) > 0 {
			ships = append(ships, sh.Name+" → "+join(to))
		}
	}
	if len(ships) > 0 {
		parts = append(parts, b.t("purpose.ship", strings.Join(ships, "; ")))
	}
	if n := len(s.CronJobs); n > 0 {
		parts = append(parts, b.t("purpose.cron", n))
	}
	if len(parts) == 1 {
		// "Nothing recognised" only when every middleware survey could look.
		none := "purpose.none"
		for _, sec := range []snapshot.Section{snapshot.SectionApache, snapshot.SectionNginx, snapshot.SectionMySQL,
			snapshot.SectionPostgreSQL, snapshot.SectionPostfix, snapshot.SectionDovecot, snapshot.SectionApps, snapshot.SectionRuby,
			snapshot.SectionPHP, snapshot.SectionJava} {
			if st := s.Coverage[sec].Status; st != snapshot.Collected && st != snapshot.NotApplicable {
				none = "purpose.unknown"
			}
		}
		parts = append(parts, b.t(none))
	}
	return strings.Join(parts, b.t("purpose.sep")) + b.t("purpose.end")
}
