package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindFirewall expects the packet filter to open a port.
const KindFirewall Kind = "firewall"

// Firewall is a port an accepting packet filter rule opens.
type Firewall struct {
	Proto string `yaml:"proto,omitempty"`
	Port  int    `yaml:"port,omitempty"`
}

func (Firewall) Kind() Kind { return KindFirewall }

var firewallKind = def[Firewall]{
	sections: []snapshot.Section{snapshot.SectionFirewall},
	derive:   (*deriver).firewall,
	goss:     Firewall.goss,
}

func (d *deriver) firewall() {
	if !d.usable("firewall openings", snapshot.SectionFirewall) {
		return
	}
	for _, r := range d.s.Network.Firewall.Rules {
		port, proto := FirewallOpening(r.Rule)
		if port == 0 {
			continue
		}
		d.add(Expectation{ID: fmt.Sprintf("firewall:%s/%d", proto, port), Body: Firewall{Proto: proto, Port: port},
			From: From{Source: strings.TrimSpace(r.Table + " " + r.Chain + ": " + r.Rule), Evidence: ev(r.Evidence)}})
	}
}

// FirewallOpening reads the port and protocol an accepting rule opens, in
// iptables-save or nft syntax; 0 when the rule opens no single port.
func FirewallOpening(rule string) (int, string) {
	return snapshot.FirewallRule{Rule: rule}.Opening()
}

// goss finds the rule's port in the ruleset, iptables-save's or nft's.
func (f Firewall) goss(g *gossfile, e Expectation) string {
	proto, port := regexp.QuoteMeta(f.Proto), strconv.Itoa(f.Port)
	g.command(e, "", "iptables-save 2>/dev/null || nft list ruleset",
		gossLine(`(-p\s+`+proto+`\s.*--dport|`+proto+`\s+dport)\s+`+port+`(\s|$)`))
	return ""
}
