package spec

import (
	"fmt"
	"strconv"
	"strings"

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
	// Socket is the kernel's table the old host listened in (/proc/net/tcp6 for an
	// IPv6 socket, which a dual-stack [::] one is, tcp for an IPv4 one): goss names
	// a port by it.
	Socket string `yaml:"socket,omitempty"`
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
		if p, ok := d.process(l.PID); ok && d.fleeting(p) {
			continue // a test's or a build's server, gone a minute later
		}
		k := key{l.Family(), l.Reach(), l.Port}
		if seen[k] {
			continue
		}
		seen[k] = true
		b := Port{Proto: l.Family(), Port: l.Port, Address: l.Address, Name: l.Process, Service: l.Service, Socket: l.Proto}
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

// goss names a port by the table its socket is in: tcp6:80 for Apache's dual-stack
// [::]:80, tcp:80 for 0.0.0.0:80 (goss's docs/gossfile.md, "port"), and reports
// the addresses there as Go writes them, in capitals. That is one table only, where
// verify asks how far a listener reaches: the old host's 0.0.0.0:3306 is served as
// well by a new MariaDB on [::]:3306, and a listener allowed any address of the new
// host may be on either family. Those are asked of ss (iproute2, on every current
// distribution), whose filter lists the port's listeners in both tables.
func (p Port) goss(g *gossfile, e Expectation) string {
	if p.Address == "*" || e.Allows(AllowAddress) {
		g.command(e, "", p.ssExec(e))
		return ""
	}
	table := p.Socket
	if table == "" {
		// A spec written before sockets were kept: an IPv6 address is in tcp6.
		table = p.Proto
		if strings.Contains(p.Address, ":") {
			table += "6"
		}
	}
	g.put("port", table+":"+strconv.Itoa(p.Port), e, map[string]any{"listening": true, "ip": []string{gossIP(p.Address)}})
	return ""
}

// ssExec is the command that exits 0 when the port listens as e asks: on a wildcard
// of either family (0.0.0.0, * for dual-stack, [::]), or on any address but
// loopback.
func (p Port) ssExec(e Expectation) string {
	flags := "-Hlnt"
	if p.Proto == "udp" {
		flags = "-Hlnu"
	}
	port := strconv.Itoa(p.Port)
	list := fmt.Sprintf("ss %s 'sport = :%s'", flags, port)
	if p.Address == "*" {
		return list + ` | grep -Eq '(0\.0\.0\.0|\*|\[::\]):` + port + ` '`
	}
	return list + ` | grep -Eqv '(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]):` + port + ` '`
}
