package report

import "github.com/trowel-dev/trowel/internal/snapshot"

// servicesSection lists every service the init system knows, then gives each
// notable one a subsection: what runs, as whom, on which ports, from which package.
var servicesSection = handoverSection{
	id: "services", title: "sec.services", intro: "intro.services",
	reads: []snapshot.Section{snapshot.SectionServices, snapshot.SectionProcesses},
	build: (*builder).services,
}

func (b *builder) services(sec *Section) {
	s := b.s
	t := b.table(b.t("tbl.services"),
		col(b.t("col.service")), col(b.t("col.running")), col(b.t("col.at_boot")), col(b.t("col.user")),
		codeCol(b.t("col.listens")), col(b.t("col.package")), col(b.t("col.init")))
	for _, sv := range s.Services {
		boot := b.yesNo(sv.Enabled)
		if sv.EnabledState != "" {
			boot += " (" + sv.EnabledState + ")"
		}
		t.Rows = append(t.Rows, row(c(sv.Name), c(b.yesNo(sv.Running)), c(boot), c(sv.User),
			c(join(sv.Listens)), c(sv.Package), c(sv.Init)))
	}
	t.Empty = b.empty(b.t("none.services"), snapshot.SectionServices)
	sec.Blocks = append(sec.Blocks, t)
	if len(s.Hints) > 0 {
		h := b.table(b.t("tbl.hints"), codeCol(b.t("col.path")), col(b.t("col.service")), col(b.t("col.hint")))
		for _, x := range s.Hints {
			h.Rows = append(h.Rows, row(c(x.Path), c(x.Service), c(x.Says)))
		}
		sec.Blocks = append(sec.Blocks, h)
	}

	for _, sv := range s.Services {
		if !notable(sv) {
			continue
		}
		sec.Sub = append(sec.Sub, b.service(sv))
	}
}

// notable services get a section of their own: those running, or tied to a
// port, a connection, a config, a log or a job.
func notable(sv snapshot.Service) bool {
	return (sv.Running != nil && *sv.Running) || len(sv.Listens)+len(sv.Connects)+len(sv.Jobs) > 0
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
	state := b.yesNo(sv.Running)
	if sv.State != "" {
		state += " (" + sv.State + ")"
	}
	boot := b.yesNo(sv.Enabled)
	if sv.EnabledState != "" {
		boot += " (" + sv.EnabledState + ")"
	}
	pairs := []Pair{
		{b.t("svc.what"), join(cmds)},
		{b.t("svc.running"), state},
		{b.t("svc.boot"), boot},
		{b.t("svc.start"), start},
		{b.t("svc.user"), sv.User},
		{b.t("svc.listens"), join(sv.Listens)},
		{b.t("svc.worker_ports"), b.workerPorts(sv.Name)},
		{b.t("svc.connects"), join(sv.Connects)},
		{b.t("svc.configs"), join(sv.Configs)},
		{b.t("svc.logs"), join(sv.Logs)},
		{b.t("svc.jobs"), join(sv.Jobs)},
		{b.t("svc.package"), sv.Package},
	}
	sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty(pairs)})
	return sub
}

// workerPorts lists the ports a service's workers bound for their own use, and why
// they are not carried; "" when it has none.
func (b *builder) workerPorts(service string) string {
	var ports []string
	for _, l := range b.s.Listeners {
		if l.Service == service && l.Ephemeral != "" {
			ports = append(ports, l.Proto+" "+l.HostPort())
		}
	}
	if len(ports) == 0 {
		return ""
	}
	return join(ports) + " (" + b.t("val.worker_port") + ")"
}
