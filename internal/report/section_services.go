package report

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// servicesSection lists every service the init system knows, then gives each
// notable one a subsection: what runs, as whom, on which
// ports, from which package.
var servicesSection = handoverSection{
	id: "services", title: "sec.services", intro: "intro.services",
	reads: []snapshot.Section{snapshot.SectionServices, snapshot.SectionProcesses},
	build: (*builder).services,
}

func (b *builder) services(sec *Section) {
	s := b.s
	offline := s.Source.Mode() == snapshot.ModeOffline
	explain := b.t("tbl.services")
	cols := []Column{col(b.t("col.service"))}
	if offline {
		// Offline no process was seen: a column of "unknown" says nothing the
		// explanation cannot say once.
		explain = b.t("tbl.services.offline")
	} else {
		cols = append(cols, col(b.t("col.running")))
	}
	cols = append(cols, col(b.t("col.at_boot")), col(b.t("col.user")), codeCol(b.t("col.listens")), col(b.t("col.package")), col(b.t("col.init")))
	t := b.table(explain, cols...)

	for _, sv := range s.Services {
		t.Rows = append(t.Rows, b.serviceRow(sv, offline))
	}
	t.Empty = b.empty(b.t("none.services"), snapshot.SectionServices)
	sec.Blocks = append(sec.Blocks, t)

	for _, sv := range s.Services {
		if b.notable(sv) {
			sec.Sub = append(sec.Sub, b.service(sv))
		}
	}
}

func (b *builder) serviceRow(sv snapshot.Service, offline bool) []Cell {
	st, subject := b.s.StateOf(sv), serviceSubject(sv.Name)
	cells := []Cell{c(sv.Name)}
	if !offline {
		cells = append(cells, c(b.runCell(subject, st)))
	}
	return append(cells, c(b.bootCell(subject, st)), c(sv.User), c(join(sv.Listens)), c(sv.Package), c(sv.Init))
}

// configured reports whether a middleware survey found a server whose service
// this is: installed and set up, whatever its state.
func (b *builder) configured(name string) bool {
	mw := b.s.Middleware
	var names []string
	for _, w := range mw.WebServers {
		names = append(names, w.Service)
	}
	for _, d := range mw.Databases {
		names = append(names, d.Service)
	}
	for _, m := range mw.Mail {
		names = append(names, m.Service)
	}
	for _, a := range mw.Apps {
		names = append(names, a.Service)
	}
	for _, x := range mw.Caches {
		names = append(names, x.Service)
	}
	for _, n := range names {
		if n != "" && strings.TrimSuffix(n, ".service") == strings.TrimSuffix(name, ".service") {
			return true
		}
	}
	return false
}

// notable services get a section of their own: those running, those tied to a
// port, a connection or a job, and the servers a middleware configuration names.
func (b *builder) notable(sv snapshot.Service) bool {
	return b.s.StateOf(sv).Runs() || len(sv.Listens)+len(sv.Connects)+len(sv.Jobs) > 0 || b.configured(sv.Name)
}

func (b *builder) service(sv snapshot.Service) *Section {
	sub := &Section{ID: anchor("service", sv.Name), Title: sv.Name}
	if sv.Description != "" {
		sub.Intro = sv.Description
	}
	var cmds []string
	seen := map[string]bool{}
	for _, p := range b.s.Processes {
		if p.Service == sv.Name && !seen[p.Command] {
			seen[p.Command] = true
			cmds = append(cmds, p.Command)
		}
	}
	if len(cmds) > 3 {
		cmds = append(cmds[:3], b.t("val.more", len(cmds)-3))
	}
	start := sv.Init
	if sv.Path != "" {
		start += " " + sv.Path
	}
	st, subject := b.s.StateOf(sv), serviceSubject(sv.Name)
	running := ""
	if st.Mode != snapshot.ModeOffline {
		running = b.runCell(subject, st)
	}
	pairs := []Pair{
		{b.t("svc.what"), join(cmds)},
		{b.t("svc.running"), running},
		{b.t("svc.boot"), b.bootCell(subject, st)},
		{b.t("svc.start"), start},
		{b.t("svc.user"), sv.User},
		{b.t("svc.listens"), join(sv.Listens)},
		{b.t("svc.connects"), join(sv.Connects)},
		{b.t("svc.configs"), join(sv.Configs)},
		{b.t("svc.logs"), join(sv.Logs)},
		{b.t("svc.jobs"), join(sv.Jobs)},
		{b.t("svc.package"), sv.Package},
	}
	sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty(pairs)})
	return sub
}
