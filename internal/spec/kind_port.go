package spec

import (
	"fmt"
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindPort expects a port to listen, on the same kind of address.
const KindPort Kind = "port"

// Port is a listening port and the address it listens on: "*" for all of them.
type Port struct {
	Name    string `yaml:"name,omitempty"` // the process that listened
	Proto   string `yaml:"proto,omitempty"`
	Address string `yaml:"address,omitempty"`
	Port    int    `yaml:"port,omitempty"`
	Service string `yaml:"service,omitempty"` // the service the process belongs to
}

func (Port) Kind() Kind { return KindPort }

var portKind = def[Port]{
	sections: []snapshot.Section{snapshot.SectionListeners},
	derive:   (*deriver).ports,
	goss:     Port.goss,
}

// ephemeralPort is where a kernel hands out client ports: a listener there is a
// passing thing (an RPC helper, a mail sender), not a promise.
const ephemeralPort = 32768

func (d *deriver) ports() {
	if !d.usable("ports", snapshot.SectionListeners) {
		return
	}
	type key struct {
		proto string
		reach snapshot.Reach
		port  int
	}
	seen := map[key]bool{}
	for _, l := range d.s.Listeners {
		// A worker's own port (see Listener.Ephemeral) is chosen anew at each
		// start: the replacement's will differ, and must.
		if l.Ephemeral != "" || l.Port >= ephemeralPort && l.Service == "" {
			continue
		}
		k := key{l.Family(), l.Reach(), l.Port}
		if seen[k] {
			continue
		}
		seen[k] = true
		b := Port{Proto: l.Family(), Port: l.Port, Address: l.Address, Name: l.Process, Service: l.Service}
		e := Expectation{ID: fmt.Sprintf("port:%s/%d", l.Family(), l.Port),
			From: From{Source: l.Proto + " " + l.HostPort(), Evidence: ev(l.Evidence)}}
		switch k.reach {
		case snapshot.ReachAll:
			b.Address = "*"
		case snapshot.ReachLoopback:
			e.ID += "@loopback"
		default:
			// The old host's own address cannot be the new one's: any address that
			// is not loopback will do.
			e.ID += "@" + l.Address
			e.Allow = []string{AllowAddress}
			e.Note = "listened on the old host's own address; any non-loopback address is accepted"
		}
		e.Body = b
		d.add(e)
	}
}

func (p Port) goss(g gossfile, e Expectation) bool {
	a := map[string]any{"listening": true}
	if p.Address != "*" && !e.Allows(AllowAddress) {
		a["ip"] = []string{p.Address}
	}
	g.put("port", p.Proto+":"+strconv.Itoa(p.Port), a)
	return true
}
