package diff

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernFirewall is the packet filter: which tool, and each rule by table and
// chain (whitespace folded).
const ConcernFirewall Concern = "firewall"

var firewallConcern = concern{id: ConcernFirewall, section: snapshot.SectionFirewall, read: eachSide(firewallItems)}

func firewallItems(s *snapshot.Snapshot) []item {
	fw := s.Network.Firewall
	out := []item{{key: "tool", label: "firewall", fields: []field{{"tool", fw.Tool}}, refs: refs(fw.Evidence)}}
	for _, r := range fw.Rules {
		text := strings.Join(strings.Fields(r.Rule), " ")
		label := strings.TrimSpace(r.Table + " " + r.Chain + ": " + text)
		out = append(out, item{key: r.Table + "\x00" + r.Chain + "\x00" + text, label: label, refs: []string{r.Evidence}})
	}
	return merge(out)
}
