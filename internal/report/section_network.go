package report

import (
	"cmp"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// networkSection shows addresses, routes, name resolution and the packet filter:
// what the new host's network must reproduce.
var networkSection = handoverSection{
	id: "network", title: "sec.network", intro: "intro.network",
	reads: []snapshot.Section{snapshot.SectionNetwork, snapshot.SectionFirewall},
	build: (*builder).network,
}

func (b *builder) network(sec *Section) {
	s := b.s
	n := s.Network
	ifs := b.table(b.t("tbl.interfaces"), col(b.t("col.interface")), codeCol(b.t("col.addresses")), col(b.t("col.mac")), numCol("MTU"), col(b.t("col.up")))
	for _, i := range n.Interfaces {
		ifs.Rows = append(ifs.Rows, row(c(i.Name), c(join(i.Addresses)), c(i.MAC), cnCount(i.MTU), c(b.yesNo(i.Up))))
	}
	ifs.Empty = b.empty(b.t("none.interfaces"), snapshot.SectionNetwork)
	routes := b.table(b.t("tbl.routes"), codeCol(b.t("col.destination")), codeCol(b.t("col.gateway")), col(b.t("col.device")), col(b.t("col.table")), col(b.t("col.type")))
	for _, r := range n.Routes {
		routes.Rows = append(routes.Rows, row(c(r.Destination), c(r.Gateway), c(r.Device), c(r.Table), c(r.Type)))
	}
	routes.Empty = b.empty(b.t("none.routes"), snapshot.SectionNetwork)
	hosts := b.table(b.t("tbl.hosts"), codeCol(b.t("col.address")), col(b.t("col.names")), numCol(b.t("col.line")))
	for _, h := range n.Hosts {
		hosts.Rows = append(hosts.Rows, row(c(h.Address), c(join(h.Names)), cn(h.Line)))
	}
	hosts.Empty = b.empty(b.t("none.hosts"), snapshot.SectionNetwork)
	sec.Blocks = append(sec.Blocks, ifs, routes, &Facts{Pairs: nonEmpty([]Pair{
		{b.t("net.resolvers"), cmp.Or(join(n.Resolvers), b.t("val.none"))},
		{b.t("net.search"), join(n.SearchDomains)},
		{b.t("net.lookup"), join(n.HostsLookup)},
	})}, hosts)
	if len(n.Configured) > 0 {
		cf := b.table(b.t("tbl.ifconfig"), col(b.t("col.interface")), col(b.t("col.method")), codeCol(b.t("col.address")), codeCol(b.t("col.gateway")),
			col(b.t("col.on_boot")), codeCol(b.t("col.source")))
		for _, x := range n.Configured {
			cf.Rows = append(cf.Rows, row(c(x.Name), c(x.Method), c(x.Address), c(x.Gateway), c(b.yesNo(x.OnBoot)), c(x.Source)))
		}
		sec.Blocks = append(sec.Blocks, cf)
	}
	if len(n.DHCPLeases) > 0 {
		ls := b.table(b.t("tbl.leases"), col(b.t("col.interface")), codeCol(b.t("col.address")), codeCol(b.t("col.gateway")), codeCol(b.t("col.dns")),
			col(b.t("col.expires")), codeCol(b.t("col.source")))
		for _, x := range n.DHCPLeases {
			ls.Rows = append(ls.Rows, row(c(x.Interface), c(x.Address), c(join(x.Routers)), c(join(x.DNS)), b.ctime(x.Expires), c(x.Source)))
		}
		sec.Blocks = append(sec.Blocks, ls)
	}

	fw := b.table(b.t("tbl.firewall"), col(b.t("col.table")), col(b.t("col.chain")), codeCol(b.t("col.rule")))
	for _, r := range n.Firewall.Rules {
		fw.Rows = append(fw.Rows, row(c(r.Table), c(r.Chain), c(r.Rule)))
	}
	fw.Empty = b.empty(b.t("none.firewall", cmp.Or(n.Firewall.Tool, b.t("val.none"))), snapshot.SectionFirewall)
	if n.Firewall.Tool != "" {
		fw.Explain += " " + b.t("tbl.firewall.tool", n.Firewall.Tool)
	}
	sec.Blocks = append(sec.Blocks, fw)
	if n.Firewall.Note != "" {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: n.Firewall.Note})
	}
}
