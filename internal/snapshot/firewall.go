package snapshot

import (
	"strconv"
	"strings"
)

// Opening reads the port and protocol an accepting rule opens, in iptables-save
// or nft syntax; 0 when the rule opens no single port.
func (r FirewallRule) Opening() (port int, proto string) {
	f := strings.Fields(r.Rule)
	accept := false
	proto = "tcp"
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
