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
// nothing the snapshot does not show: a server "serves" or "runs" only when a
// process of it runs; one stopped is said to be stopped, and offline, where no
// process was seen, only what starts at boot is said.
func (b *builder) purpose() string {
	s := b.s
	mw := s.Middleware
	var parts []string
	osName := cmp.Or(s.OS.PrettyName, s.OS.Name, b.t("val.unknown_os"))
	parts = append(parts, b.t("purpose.host", b.hostName(), osName))
	if mode := s.Source.Mode(); mode == snapshot.ModeOffline {
		parts = append(parts, b.claim(Claim{Subject: "source", Says: SaysMode, Value: string(mode), Text: b.t("purpose.offline")}))
	}
	lead := len(parts)

	var apps running
	for _, a := range mw.Apps {
		name := cmp.Or(a.Name, a.Kind+" "+a.Path)
		if a.Server != "" {
			name += " (" + a.Server + ")"
		}
		st, subject := b.stateOf(a.Service)
		if st.Runs() {
			apps.add(name, subject, st)
			continue
		}
		parts = append(parts, b.server(subject, st, name, "", b.t("purpose.app", name), ""))
	}
	if len(apps.names) > 0 {
		parts = append(parts, apps.claim(b, b.t("purpose.apps", join(apps.names))))
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
		what := b.software("middleware.web_servers["+w.Kind+"]", w.Kind, w.Version)
		st, subject := b.stateOf(w.Service)
		if len(names) > 0 {
			parts = append(parts, b.server(subject, st, what, b.t("purpose.web", what, join(names), join(ports)),
				b.t("purpose.web.idle", what, join(names), join(ports)), ""))
		} else {
			parts = append(parts, b.server(subject, st, what, b.t("purpose.web.plain", what), b.t("purpose.web.plain.idle", what), ""))
		}
	}
	for _, d := range mw.Databases {
		var dbs []string
		for _, sch := range d.Databases {
			if !sch.System {
				dbs = append(dbs, sch.Name)
			}
		}
		what := b.software("middleware.databases["+d.Kind+"]", d.Kind, d.Version)
		where := b.where("middleware.databases["+d.Kind+"]", d.Bind, d.Port)
		st, subject := b.stateOf(d.Service)
		if len(dbs) > 0 {
			parts = append(parts, b.server(subject, st, what, b.t("purpose.db", what, join(dbs)), b.t("purpose.db.idle", what, join(dbs)), where))
		} else {
			parts = append(parts, b.server(subject, st, what, b.t("purpose.db.plain", what), b.t("purpose.db.plain.idle", what), where))
		}
	}
	for _, m := range mw.Mail {
		what := b.software("middleware.mail["+m.Kind+"]", m.Kind, m.Version)
		st, subject := b.stateOf(m.Service)
		if m.Kind == "postfix" && m.Relayhost != "" {
			parts = append(parts, b.server(subject, st, what, b.t("purpose.mail.relay", m.Relayhost), b.t("purpose.mail.relay.idle", what, m.Relayhost), ""))
		} else {
			parts = append(parts, b.server(subject, st, what, b.t("purpose.mail", what), b.t("purpose.mail.idle", what), ""))
		}
	}
	var ships running
	for _, sh := range s.Logs.Shippers {
		var to []string
		for _, d := range sh.Destinations {
			to = append(to, destination(d))
		}
		if len(to) == 0 {
			continue
		}
		st, subject := b.shipperState(sh)
		line := sh.Name + " → " + join(to)
		if st.Runs() {
			ships.add(line, subject, st)
			continue
		}
		parts = append(parts, b.server(subject, st, sh.Name, "", b.t("purpose.ship.idle", sh.Name, join(to)), ""))
	}
	if len(ships.names) > 0 {
		parts = append(parts, ships.claim(b, b.t("purpose.ship", strings.Join(ships.names, "; "))))
	}
	if n := len(s.CronJobs); n > 0 {
		parts = append(parts, b.t("purpose.cron", n))
	}
	if len(parts) == lead {
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

// running gathers what runs for a sentence that lists them ("It runs ..."),
// each claimed with the whole sentence once it is written.
type running struct {
	names    []string
	subjects []string
	states   []snapshot.ServiceState
}

func (r *running) add(name, subject string, st snapshot.ServiceState) {
	r.names = append(r.names, name)
	r.subjects = append(r.subjects, subject)
	r.states = append(r.states, st)
}

func (r *running) claim(b *builder, sentence string) string {
	for i, subject := range r.subjects {
		b.claimRun(subject, r.states[i], sentence)
	}
	return sentence
}

// server is the purpose's sentence about one server, in the state its facts
// allow: running says what it does; installed, configured, stopped and not
// started at boot says so and why that matters; anything else says what it is
// set up to do, with its state beside it. running may be "" where the sentence
// has no running form of its own (the caller says it in a list instead);
// detail ("listening on ...") goes in the same parentheses as the state.
func (b *builder) server(subject string, st snapshot.ServiceState, what, running, configured, detail string) string {
	in := func(text string, more ...string) string {
		var parts []string
		for _, p := range append([]string{detail}, more...) {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			return text
		}
		return text + b.t("purpose.paren", strings.Join(parts, b.t("state.sep")))
	}
	switch {
	case subject == "":
		// No service of it was found: nothing is said of its state at all.
		return in(configured)
	case st.Runs() && running != "":
		return b.claimRun(subject, st, in(running))
	case idle(st):
		text := b.t("purpose.idle", what, b.bootWords(st))
		b.claimRun(subject, st, text)
		return b.claimBoot(subject, st, text)
	}
	return in(configured, b.stateWords(subject, st))
}

// shipperState is what is known of a log shipper's state: whether it runs is
// its own observation (a process seen sending), whether it starts at boot its
// service's.
func (b *builder) shipperState(sh snapshot.LogShipper) (snapshot.ServiceState, string) {
	sv, _ := b.s.ServiceNamed(sh.Service)
	sv.Running = sh.Running
	return b.s.StateOf(sv), "logs.shippers[" + sh.Name + "]"
}

// software names a piece of software with its version, "mariadb 10.5.23", and
// claims the version.
func (b *builder) software(subject, kind, version string) string {
	if version == "" {
		return kind
	}
	return b.claim(Claim{Subject: subject, Says: SaysVersion, Value: version, Text: kind + " " + version})
}

// where says where a server is reached, "listening on 0.0.0.0:3306", as a
// socket the survey saw or, when none was seen, as its configuration says:
// "listening" is a fact of the moment, a configured address only an intent.
func (b *builder) where(subject, bind string, port int) string {
	if port == 0 {
		return ""
	}
	for _, l := range b.s.Listeners {
		if l.Port == port {
			addr := snapshot.JoinHostPort(l.Address, l.Port)
			return b.claim(Claim{Subject: subject, Says: SaysListens, Value: addr, Text: b.t("purpose.listening", addr), Evidence: []string{l.Evidence}})
		}
	}
	addr := snapshot.JoinHostPort(bind, port)
	return b.claim(Claim{Subject: subject, Says: SaysConfiguredFor, Value: addr, Text: b.t("purpose.configured_for", addr)})
}
