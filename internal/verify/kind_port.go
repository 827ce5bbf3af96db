package verify

import (
	"cmp"
	"fmt"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// port wants something listening on the port, on the same kind of address: all of
// them, loopback (all addresses will do), or the old host's own address (any that
// is not loopback, when allowed).
func (v evaluator) port(e spec.Expectation, p spec.Port) Check {
	want := snapshot.AddressReach(p.Address)
	var found []string
	for _, l := range v.t.Listeners {
		if l.Family() != p.Proto || l.Port != p.Port {
			continue
		}
		found = append(found, fmt.Sprintf("%s %s (%s)", l.Proto, l.HostPort(), l.Process))
		reach := l.Reach()
		switch {
		case want == snapshot.ReachAll && reach == snapshot.ReachAll,
			want == snapshot.ReachLoopback && (reach == snapshot.ReachLoopback || reach == snapshot.ReachAll),
			want == snapshot.ReachHost && e.Allows(spec.AllowAddress) && reach != snapshot.ReachLoopback,
			want == snapshot.ReachHost && l.Address == p.Address:
			return pass("%s/%d listens on %s (%s)", p.Proto, p.Port, l.HostPort(), l.Process)
		}
	}
	where := map[snapshot.Reach]string{snapshot.ReachAll: "all addresses", snapshot.ReachLoopback: "loopback", snapshot.ReachHost: p.Address}[want]
	if want == snapshot.ReachHost && e.Allows(spec.AllowAddress) {
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
