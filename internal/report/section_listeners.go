package report

import (
	"slices"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// listenersSection lists the sockets that accept connections: what a replacement
// must answer on.
var listenersSection = handoverSection{
	id: "listeners", title: "sec.listeners", intro: "intro.listeners",
	reads: []snapshot.Section{snapshot.SectionListeners},
	build: (*builder).listeners,
}

func (b *builder) listeners(sec *Section) {
	s := b.s
	cols := []Column{col(b.t("col.proto")), codeCol(b.t("col.address")), numCol(b.t("col.port")),
		col(b.t("col.process")), col(b.t("col.service")), col(b.t("col.package"))}
	if s.Window != nil {
		cols = append(cols, col(b.t("col.seen")))
	}
	// A worker's own port is listed, and said not to be a promise.
	workers := slices.ContainsFunc(s.Listeners, func(l snapshot.Listener) bool { return l.Ephemeral != "" })
	if workers {
		cols = append(cols, col(b.t("col.note")))
	}
	t := b.table(b.t("tbl.listeners"), cols...)
	for _, l := range s.Listeners {
		r := row(c(l.Proto), c(l.Address), cn(l.Port), c(l.Process), c(l.Service), c(l.Package))
		if s.Window != nil {
			r = append(r, c(b.seen(l.Seen)))
		}
		if workers {
			note := ""
			if l.Ephemeral != "" {
				note = b.t("val.worker_port")
			}
			r = append(r, c(note))
		}
		t.Rows = append(t.Rows, r)
	}
	t.Empty = b.empty(b.t("none.listeners"), snapshot.SectionListeners)
	sec.Blocks = append(sec.Blocks, t)
}
