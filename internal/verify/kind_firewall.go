package verify

import (
	"cmp"
	"fmt"

	"github.com/trowel-dev/trowel/internal/spec"
)

// firewall wants an accepting rule that opens the port, or no packet filter at all.
func (v evaluator) firewall(e spec.Expectation, f spec.Firewall) Check {
	for _, r := range v.t.Network.Firewall.Rules {
		if p, proto := spec.FirewallOpening(r.Rule); p == f.Port && proto == f.Proto {
			return pass("%s/%d opened by %s", f.Proto, f.Port, r.Rule)
		}
	}
	tool := v.t.Network.Firewall.Tool
	if tool == "none" {
		return pass("%s/%d: %s filters no packets (no firewall)", f.Proto, f.Port, v.target)
	}
	return v.absent(fail([]string{"firewall " + cmp.Or(tool, "unknown")}, fmt.Sprintf("open %s/%d in the firewall", f.Proto, f.Port),
		"the firewall of %s does not open %s/%d %s", v.target, f.Proto, f.Port, on(e)))
}
