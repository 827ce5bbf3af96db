package report

import (
	"cmp"
	"path"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// servicesSection lists the services the init system knows, what runs and starts
// first, then gives each notable one a subsection: what runs, as whom, on which
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

	var lead, rest, stock []snapshot.Service
	for _, sv := range s.Services {
		st := s.StateOf(sv)
		switch {
		case b.leads(sv, st):
			lead = append(lead, sv)
		case b.stockUnit(sv, st):
			stock = append(stock, sv)
		default:
			rest = append(rest, sv)
		}
	}
	for _, sv := range append(lead, rest...) {
		t.Rows = append(t.Rows, b.serviceRow(sv, offline))
	}
	if len(stock) > 0 {
		f := &Fold{Summary: b.claim(Claim{Subject: "services", Says: SaysFolded, Value: strconv.Itoa(len(stock)), Text: b.t("fold.services", len(stock))})}
		for _, sv := range stock {
			f.Rows = append(f.Rows, b.serviceRow(sv, offline))
		}
		t.Folded = f
	}
	if len(s.Services) == 0 {
		t.Empty = b.empty(b.t("none.services"), snapshot.SectionServices)
	}
	sec.Blocks = append(sec.Blocks, t)
	if len(s.Hints) > 0 {
		h := b.table(b.t("tbl.hints"), codeCol(b.t("col.path")), col(b.t("col.service")), col(b.t("col.hint")))
		for _, x := range s.Hints {
			h.Rows = append(h.Rows, row(c(x.Path), c(x.Service), c(b.hint(x))))
		}
		sec.Blocks = append(sec.Blocks, h)
	}

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

// leads tells the services the table starts with: those that run, start at
// boot, listen, connect or have jobs (a one-shot that ran and exited runs
// nothing), and those a middleware configuration
// names (a configured server stopped is as much the host's as a running one).
func (b *builder) leads(sv snapshot.Service, st snapshot.ServiceState) bool {
	return st.Run == snapshot.Running || st.Boot == snapshot.Enabled ||
		len(sv.Listens)+len(sv.Connects)+len(sv.Jobs) > 0 || b.configured(sv.Name)
}

// configured reports whether a middleware survey found a server whose service
// this is: installed and set up, whatever its state.
func (b *builder) configured(name string) bool {
	return len(b.s.Middleware.ServersOf(name)) > 0
}

// stockUnit tells a unit that is the init system's own machinery rather than a
// service somebody installed to run: started on demand by another unit (static,
// indirect), run only inside the initramfs, or only on the way down (halt,
// reboot, kexec). Whatever its name, a unit stays listed when somebody decided
// or must act on something: it runs, starts at boot or is masked, it failed, a
// timer starts it (scheduled work, as a cron job is), or its unit file is not
// where packages put theirs (/etc/systemd/system: the administrator wrote or
// overrode it; unknown: nothing tells it is stock).
func (b *builder) stockUnit(sv snapshot.Service, st snapshot.ServiceState) bool {
	if st.Run == snapshot.Running || st.Boot == snapshot.Enabled || st.Boot == snapshot.Masked ||
		sv.State == "failed" || b.timed(sv.Name) || sv.Init == "systemd" && !packagedUnit(sv.Path) {
		return false
	}
	name := strings.TrimSuffix(sv.Name, ".service")
	switch {
	case st.Boot == snapshot.Static:
		return true
	case strings.HasPrefix(name, "initrd-"):
		return true
	case strings.HasPrefix(name, "systemd-") && sv.Init == "systemd":
		return true
	}
	return shutdownUnits[name]
}

// timed reports whether a systemd timer starts the service.
func (b *builder) timed(service string) bool {
	for _, j := range b.s.CronJobs {
		if j.Kind == "timer" && strings.TrimSuffix(j.Command, ".service") == strings.TrimSuffix(service, ".service") {
			return true
		}
	}
	return false
}

// packagedUnit tells a unit file in the directories packages install units to.
func packagedUnit(file string) bool {
	return strings.HasPrefix(file, "/usr/lib/systemd/system/") || strings.HasPrefix(file, "/lib/systemd/system/")
}

// shutdownUnits run only when the host goes down or changes runlevel, under
// systemd or SysV.
var shutdownUnits = map[string]bool{
	"halt": true, "poweroff": true, "reboot": true, "kexec": true, "killall": true, "single": true,
	"halt-local": true, "rc-local-shutdown": true, "emergency": true, "rescue": true, "debug-shell": true,
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

// hint says what a pid or lock file says, in the document's language: the
// snapshot's own sentence (Hint.Says) is English. That it proves nothing about now
// is the table's caption.
func (b *builder) hint(h snapshot.Hint) string {
	who := cmp.Or(h.Service, strings.TrimSuffix(path.Base(h.Path), ".pid"))
	when := ""
	if h.Written != nil {
		when = b.t("hint.written", h.Written.Format("2006-01-02 15:04 MST"))
	}
	switch {
	case h.Kind == "lock_file":
		return b.t("hint.lock", who, when)
	case h.PID > 0:
		return b.t("hint.pid", who, h.PID, when)
	}
	return b.t("hint.nopid", who, when)
}
