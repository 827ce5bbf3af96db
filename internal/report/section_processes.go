package report

import "github.com/trowel-dev/trowel/internal/snapshot"

// processesSection lists what ran at survey time (kernel threads counted, not
// listed).
var processesSection = handoverSection{
	id: "processes", title: "sec.processes", intro: "intro.processes",
	reads: []snapshot.Section{snapshot.SectionProcesses},
	build: (*builder).processes,
}

func (b *builder) processes(sec *Section) {
	s := b.s
	cols := []Column{numCol("PID"), col(b.t("col.user")), col(b.t("col.service")), col(b.t("col.started")), codeCol(b.t("col.command"))}
	if s.Window != nil {
		cols = append(cols, col(b.t("col.seen")))
	}
	t := b.table(b.t("tbl.processes"), cols...)
	kernel := 0
	for _, p := range s.Processes {
		if p.KernelThread() {
			kernel++
			continue
		}
		r := row(cn(p.PID), c(p.User), c(p.Service), b.ctime(p.Started), c(p.Command))
		if s.Window != nil {
			r = append(r, c(b.seen(p.Seen)))
		}
		t.Rows = append(t.Rows, r)
	}
	if kernel > 0 {
		t.Explain += " " + b.t("tbl.processes.kernel", kernel)
	}
	t.Empty = b.empty(b.t("none.processes"), snapshot.SectionProcesses)
	sec.Blocks = append(sec.Blocks, t)
}
