package report

import "github.com/trowel-dev/trowel/internal/snapshot"

// dependenciesSection lists the systems this host talks to and those that talk to
// it: what breaks elsewhere when the host is replaced.
var dependenciesSection = handoverSection{
	id: "dependencies", title: "sec.dependencies", intro: "intro.dependencies",
	reads: []snapshot.Section{snapshot.SectionConns},
	build: (*builder).dependencies,
}

func (b *builder) dependencies(sec *Section) {
	s := b.s
	t := b.table(b.t("tbl.connections"),
		codeCol(b.t("col.remote")), col(b.t("col.names")), numCol(b.t("col.port")), col(b.t("col.purpose")),
		col(b.t("col.process")), col(b.t("col.service")), numCol(b.t("col.count")), codeCol(b.t("col.config_refs")))
	for _, conn := range s.Network.Connections {
		if conn.Local {
			continue
		}
		t.Rows = append(t.Rows, row(c(conn.RemoteAddress), c(join(conn.RemoteNames)), cn(conn.RemotePort),
			c(conn.Purpose), c(conn.Process), c(conn.Service), cnCount(conn.Count), c(join(conn.ConfigRefs))))
	}
	t.Empty = b.empty(b.t("none.connections"), snapshot.SectionConns)
	sec.Blocks = append(sec.Blocks, t)

	local := b.table(b.t("tbl.local_connections"),
		codeCol(b.t("col.remote")), numCol(b.t("col.port")), col(b.t("col.purpose")),
		col(b.t("col.process")), col(b.t("col.service")), numCol(b.t("col.count")))
	for _, conn := range s.Network.Connections {
		if conn.Local {
			local.Rows = append(local.Rows, row(c(conn.RemoteAddress), cn(conn.RemotePort), c(conn.Purpose),
				c(conn.Process), c(conn.Service), cnCount(conn.Count)))
		}
	}
	if len(local.Rows) > 0 {
		sec.Blocks = append(sec.Blocks, local)
	}

	if len(s.Network.Unanswered) > 0 {
		broken := b.table(b.t("tbl.unanswered"),
			codeCol(b.t("col.remote")), col(b.t("col.names")), numCol(b.t("col.port")), col(b.t("col.purpose")),
			col(b.t("col.process")), col(b.t("col.service")), col(b.t("col.state")), numCol(b.t("col.count")), codeCol(b.t("col.config_refs")))
		for _, conn := range s.Network.Unanswered {
			broken.Rows = append(broken.Rows, row(c(conn.RemoteAddress), c(join(conn.RemoteNames)), cn(conn.RemotePort),
				c(conn.Purpose), c(conn.Process), c(conn.Service), c(conn.State), cnCount(conn.Count), c(join(conn.ConfigRefs))))
		}
		sec.Blocks = append(sec.Blocks, broken)
	}

	in := b.table(b.t("tbl.clients"),
		codeCol(b.t("col.remote")), col(b.t("col.names")), numCol(b.t("col.local_port")), col(b.t("col.service")), numCol(b.t("col.count")))
	for _, cl := range s.Network.Clients {
		in.Rows = append(in.Rows, row(c(cl.RemoteAddress), c(join(cl.RemoteNames)), cn(cl.LocalPort), c(cl.Service), cnCount(cl.Count)))
	}
	in.Empty = b.empty(b.t("none.clients"), snapshot.SectionConns)
	sec.Blocks = append(sec.Blocks, in)
}
