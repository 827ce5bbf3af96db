package network

import (
	"encoding/xml"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Rule is one packet-filter rule with where it sits.
type Rule struct {
	Table string
	Chain string
	Rule  string
}

// ParseIptablesSave reads iptables-save or ip6tables-save output (and the
// /etc/sysconfig/iptables it writes). Rules are "-A CHAIN ..." lines, kept as printed.
// A built-in chain's policy other than ACCEPT is kept as a rule "-P CHAIN POLICY", the
// way `iptables -S` prints it: a DROP policy with no rule still filters everything.
func ParseIptablesSave(text string) ([]Rule, error) {
	var out []Rule
	pe := &kit.ParseError{}
	table := ""
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == '#' || line == "COMMIT":
		case line[0] == '*':
			table = line[1:]
		case line[0] == ':':
			f := strings.Fields(line[1:])
			if len(f) < 2 {
				pe.Add(n+1, "a chain line without a policy")
				continue
			}
			if f[1] != "-" && f[1] != "ACCEPT" {
				out = append(out, Rule{Table: table, Chain: f[0], Rule: "-P " + f[0] + " " + f[1]})
			}
		case strings.HasPrefix(line, "-A ") || strings.HasPrefix(line, "-I "):
			f := strings.Fields(line)
			if len(f) < 2 {
				pe.Add(n+1, "a rule without a chain")
				continue
			}
			if table == "" {
				pe.Add(n+1, "a rule before any *table line")
			}
			out = append(out, Rule{Table: table, Chain: f[1], Rule: line})
		default:
			pe.Add(n+1, "not an iptables-save line")
		}
	}
	return out, pe.Err()
}

// ParseNft reads `nft list ruleset`. Tables are named "family name" ("inet filter");
// a base chain's policy other than accept is kept as a rule "policy drop"; sets, maps,
// flowtables and the like are declarations, not rules, and are skipped.
func ParseNft(text string) ([]Rule, error) {
	var out []Rule
	pe := &kit.ParseError{}
	table, chain := "", ""
	depth := 0     // brace depth
	skipFrom := -1 // depth at which a skipped block (set, map ...) began
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		opens, closes := strings.Count(line, "{"), strings.Count(line, "}")
		switch {
		case skipFrom >= 0:
		case depth == 0 && f[0] == "table" && len(f) >= 3 && strings.HasSuffix(line, "{"):
			if len(f) == 4 {
				table = f[1] + " " + f[2]
			} else {
				table = "ip " + f[1] // no family means ip
			}
		case depth == 1 && f[0] == "chain" && len(f) >= 2 && strings.HasSuffix(line, "{"):
			chain = f[1]
		case depth == 1 && opens > closes:
			skipFrom = depth // set, map, flowtable, ct helper ... blocks
		case depth == 2 && chain != "":
			if f[0] == "type" {
				if i := strings.Index(line, "policy "); i >= 0 {
					pol := strings.TrimRight(strings.TrimSpace(line[i+len("policy "):]), ";")
					if pol != "accept" {
						out = append(out, Rule{Table: table, Chain: chain, Rule: "policy " + pol})
					}
				}
			} else if line != "}" && f[0] != "comment" {
				out = append(out, Rule{Table: table, Chain: chain, Rule: line})
			}
		case line == "}":
		default:
			if depth == 0 {
				pe.Add(n+1, "not an nft ruleset line")
			}
		}
		depth += opens - closes
		if depth < 0 {
			pe.Add(n+1, "a closing brace without an opening one")
			depth = 0
		}
		if skipFrom >= 0 && depth <= skipFrom {
			skipFrom = -1
		}
		if depth <= 1 {
			chain = ""
		}
		if depth == 0 {
			table = ""
		}
	}
	return out, pe.Err()
}

// iptablesNftTables are the tables iptables-nft creates: rules in them are the same
// rules iptables-save prints, so they are not listed twice.
func iptablesNftTable(t string) bool {
	fam, name, _ := strings.Cut(t, " ")
	switch fam {
	case "ip", "ip6", "arp", "bridge":
	default:
		return false
	}
	switch name {
	case "filter", "nat", "mangle", "raw", "security":
		return true
	}
	return false
}

type fwZone struct {
	Short    string `xml:"short"`
	Target   string `xml:"target,attr"`
	Services []struct {
		Name string `xml:"name,attr"`
	} `xml:"service"`
	Ports []struct {
		Port     string `xml:"port,attr"`
		Protocol string `xml:"protocol,attr"`
	} `xml:"port"`
	Sources []struct {
		Address string `xml:"address,attr"`
	} `xml:"source"`
	Interfaces []struct {
		Name string `xml:"name,attr"`
	} `xml:"interface"`
	Forwards []struct {
		Port     string `xml:"port,attr"`
		Protocol string `xml:"protocol,attr"`
		ToPort   string `xml:"to-port,attr"`
		ToAddr   string `xml:"to-addr,attr"`
	} `xml:"forward-port"`
	Masquerade *struct{} `xml:"masquerade"`
	Rich       []struct {
		Inner []byte `xml:",innerxml"`
	} `xml:"rule"`
}

// ParseFirewalldZone reads one /etc/firewalld/zones/NAME.xml into rules of chain
// NAME in the table "firewalld", in firewall-cmd's words ("service ssh", "port
// 8080/tcp", "source 10.0.0.0/8"). A rich rule is kept as its XML, compacted.
func ParseFirewalldZone(name, text string) ([]Rule, error) {
	var z fwZone
	if err := xml.Unmarshal([]byte(text), &z); err != nil {
		return nil, err
	}
	var out []Rule
	add := func(s string) { out = append(out, Rule{Table: "firewalld", Chain: name, Rule: s}) }
	if z.Target != "" && z.Target != "default" {
		add("target " + z.Target)
	}
	for _, i := range z.Interfaces {
		add("interface " + i.Name)
	}
	for _, s := range z.Sources {
		add("source " + s.Address)
	}
	for _, s := range z.Services {
		add("service " + s.Name)
	}
	for _, p := range z.Ports {
		add("port " + p.Port + "/" + p.Protocol)
	}
	for _, p := range z.Forwards {
		add("forward-port port=" + p.Port + ":proto=" + p.Protocol + ":toport=" + p.ToPort + ":toaddr=" + p.ToAddr)
	}
	if z.Masquerade != nil {
		add("masquerade")
	}
	for _, r := range z.Rich {
		add("rule " + strings.Join(strings.Fields(string(r.Inner)), " "))
	}
	return out, nil
}

// FirewalldDefaultZone is DefaultZone= of firewalld.conf, or "".
func FirewalldDefaultZone(text string) string {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "DefaultZone="); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// UfwEnabled reads ENABLED= of /etc/ufw/ufw.conf.
func UfwEnabled(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "ENABLED="); ok {
			return strings.Trim(strings.TrimSpace(v), `"'`) == "yes"
		}
	}
	return false
}
