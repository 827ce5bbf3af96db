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
	f := strings.Fields(rule)
	accept := false
	proto, port := "tcp", 0
	for i, w := range f {
		switch w {
		case "ACCEPT", "accept":
			accept = true
		case "-p", "--protocol":
			if i+1 < len(f) {
				proto = f[i+1]
			}
		case "tcp", "udp":
			if i+1 < len(f) && f[i+1] == "dport" {
				proto = w
			}
		case "--dport", "dport", "--destination-port":
			if i+1 < len(f) {
				if n, err := strconv.Atoi(f[i+1]); err == nil {
					port = n
				}
			}
		}
	}
	if !accept {
		return 0, ""
	}
	return port, proto
}

// goss finds the rule's port in the ruleset, iptables-save's or nft's.
func (f Firewall) goss(g *gossfile, e Expectation) string {
	proto, port := regexp.QuoteMeta(f.Proto), strconv.Itoa(f.Port)
	g.command(e, "", "iptables-save 2>/dev/null || nft list ruleset",
		gossLine(`(-p\s+`+proto+`\s.*--dport|`+proto+`\s+dport)\s+`+port+`(\s|$)`))
	return ""
}
