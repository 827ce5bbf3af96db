package verify

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// port wants something listening on the port, on the same kind of address: all of
// them, loopback (all addresses will do), or the old host's own address (any that
// is not loopback, when allowed).
func (v evaluator) port(e spec.Expectation, p spec.Port) Check {
	wantClass := spec.AddressClass(p.Address)
	var found []string
	for _, l := range v.t.Listeners {
		if strings.TrimSuffix(l.Proto, "6") != p.Proto || l.Port != p.Port {
			continue
		}
		found = append(found, fmt.Sprintf("%s %s:%d (%s)", l.Proto, l.Address, l.Port, l.Process))
		class := spec.AddressClass(l.Address)
		switch {
		case wantClass == "any" && class == "any",
			wantClass == "loopback" && (class == "loopback" || class == "any"),
			wantClass == "host" && e.Allows(spec.AllowAddress) && class != "loopback",
			wantClass == "host" && l.Address == p.Address:
			return pass("%s/%d listens on %s:%d (%s)", p.Proto, p.Port, l.Address, l.Port, l.Process)
		}
	}
	where := map[string]string{"any": "all addresses", "loopback": "loopback", "host": p.Address}[wantClass]
	if wantClass == "host" && e.Allows(spec.AllowAddress) {
		where = "a non-loopback address"
	}
	who := cmp.Or(p.Service, p.Name)
	msg := fmt.Sprintf("nothing listens on %s/%d on %s %s: expected %s listening on %s %s", p.Proto, p.Port, where, v.target, who, where, on(e))
	if len(found) > 0 {
		msg = fmt.Sprintf("%s/%d listens on %s only on another address: expected %s listening on %s %s", p.Proto, p.Port, v.target, who, where, on(e))
		return fail(found, "change the listen address in "+who+"'s configuration", "%s", msg)
	}
	return v.absent(fail(nil, "install/start "+who+" or open its listener", "%s", msg))
}
