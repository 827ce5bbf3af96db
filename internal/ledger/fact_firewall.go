package ledger

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindFirewall is a way in the packet filter opened: firewall:tcp/22, with the
// sources it was open to.
const KindFirewall Kind = "firewall"

var firewallKind = kind{name: KindFirewall, read: (*reader).openings,
	tests: []spec.Kind{spec.KindFirewall}, claim: one(KindFirewall)}

// Opening is what one accepting rule of the packet filter lets in.
type Opening struct {
	Proto string
	// Port is the destination port; 0 for every port.
	Port int
	// Sources are the addresses and networks it is open to; none for anywhere.
	Sources []string
	Rule    string
	// Evidence is the rule's evidence item.
	Evidence string
}

// Key is the opening's key: "tcp/22", "tcp/all".
func (o Opening) Key() string {
	port := "all"
	if o.Port != 0 {
		port = strconv.Itoa(o.Port)
	}
	return o.Proto + "/" + port
}

// From says whom it is open to.
func (o Opening) From() string {
	if len(o.Sources) == 0 {
		return "anywhere"
	}
	return strings.Join(o.Sources, ", ")
}

// Openings reads the ways in the host's packet filter opened, one per port of
// each accepting rule on the way in; a rule it cannot read is in unread. What
// every filter lets in anyway (loopback, replies to the host's own connections,
// ICMP) is no opening.
func Openings(fw snapshot.Firewall) (open []Opening, unread []snapshot.FirewallRule) {
	for _, r := range fw.Rules {
		if r.Table != "" && r.Table != "filter" && r.Table != "inet filter" && r.Table != "ip filter" {
			continue
		}
		switch r.Chain {
		case "OUTPUT", "FORWARD", "POSTROUTING", "PREROUTING", "output", "forward":
			continue
		}
		os, ok := parseRule(r.Rule)
		if !ok {
			unread = append(unread, r)
			continue
		}
		for i := range os {
			os[i].Rule, os[i].Evidence = r.Rule, r.Evidence
		}
		open = append(open, os...)
	}
	return open, unread
}

// parseRule reads an iptables-save or nft rule; ok is false for an accepting rule
// it cannot tell the meaning of. A rule that accepts nothing new is no opening.
func parseRule(rule string) ([]Opening, bool) {
	f := strings.Fields(rule)
	accept, other := false, false
	proto := ""
	var ports []int
	var sources []string
	for i := 0; i < len(f); i++ {
		w := f[i]
		next := ""
		if i+1 < len(f) {
			next = f[i+1]
		}
		switch w {
		case "ACCEPT", "accept":
			if i > 0 && (f[i-1] == "-j" || f[i-1] == "--jump") || w == "accept" {
				accept = true
			}
		case "-i", "--in-interface", "iif", "iifname":
			if strings.Trim(next, `"`) == "lo" {
				return nil, true
			}
			other = true
		case "--state", "--ctstate", "state":
			if w == "state" && (i == 0 || f[i-1] != "ct") {
				break // iptables' "-m state"
			}
			if !strings.Contains(next, "NEW") && !strings.Contains(next, "new") {
				return nil, true // replies to what the host itself opened
			}
		case "-p", "--protocol":
			proto = strings.TrimPrefix(next, "!")
			if proto == "icmp" || proto == "ipv6-icmp" || proto == "icmpv6" {
				return nil, true
			}
		case "icmp", "icmpv6":
			if next == "type" {
				return nil, true
			}
		case "tcp", "udp":
			if next == "dport" {
				proto = w
			}
		case "-s", "--source", "--src":
			sources = append(sources, strings.Split(next, ",")...)
		case "saddr":
			sources = append(sources, nftSet(f[i+1:])...)
		case "--dport", "--destination-port", "dport", "--dports":
			if next == "{" {
				ports = append(ports, intsOf(nftSet(f[i+1:]))...)
				break
			}
			for _, p := range strings.Split(next, ",") {
				if n, err := strconv.Atoi(p); err == nil {
					ports = append(ports, n)
				} else {
					other = true // a range or a name: not read
				}
			}
		}
	}
	if !accept {
		return nil, true
	}
	if other {
		return nil, false
	}
	if proto == "" {
		proto = "all"
	}
	if len(ports) == 0 {
		ports = []int{0}
	}
	var out []Opening
	for _, p := range ports {
		out = append(out, Opening{Proto: proto, Port: p, Sources: sources})
	}
	return out, true
}

// nftSet reads "{ a, b }" or a single word.
func nftSet(f []string) []string {
	if len(f) == 0 {
		return nil
	}
	if f[0] != "{" {
		return []string{strings.TrimSuffix(f[0], ",")}
	}
	var out []string
	for _, w := range f[1:] {
		if w == "}" {
			break
		}
		if w = strings.Trim(w, ","); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func intsOf(ss []string) []int {
	var out []int
	for _, s := range ss {
		if n, err := strconv.Atoi(s); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (r *reader) openings() {
	open, unread := Openings(r.s.Network.Firewall)
	for _, o := range open {
		r.add(KindFirewall, o.Key(), o.Key()+" open to "+o.From(), o.Rule, o.Evidence)
	}
	for _, u := range unread {
		r.add(KindFirewall, "rule:"+u.Rule, "a rule trowel cannot read: "+u.Rule, u.Chain, u.Evidence)
	}
}
