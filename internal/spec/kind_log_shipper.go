package spec

import (
	"regexp"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindLogShipper expects a shipper to run and send to the same place.
const KindLogShipper Kind = "log_shipper"

// LogShipper is a running log shipper, its program and where it sends.
type LogShipper struct {
	Name         string   `yaml:"name,omitempty"`
	User         string   `yaml:"user,omitempty"`
	Running      *bool    `yaml:"running,omitempty"`
	Command      string   `yaml:"command,omitempty"`      // the program, as Program reads it
	Destinations []string `yaml:"destinations,omitempty"` // host:port
	// Connected are the peers (address:port) of the destinations the old host had a
	// connection established to when it was surveyed (a UDP one, or one between
	// sends, had none): goss checks those by the connection.
	Connected []string `yaml:"connected,omitempty"`
	Inputs    []string `yaml:"inputs,omitempty"`
}

func (LogShipper) Kind() Kind { return KindLogShipper }

var logShipperKind = def[LogShipper]{
	sections: []snapshot.Section{snapshot.SectionShippers},
	derive:   (*deriver).shippers,
	goss:     LogShipper.goss,
}

func (d *deriver) shippers() {
	if !d.usable("log shippers", snapshot.SectionShippers) {
		return
	}
	for _, sh := range d.s.Logs.Shippers {
		if !d.shipping(sh) {
			continue
		}
		b := LogShipper{Name: sh.Name, Running: snapshot.Bool(true), Inputs: sh.Inputs}
		if p, ok := d.process(sh.PID); ok {
			b.Command, b.User = Program(p.Command), p.User
		}
		var srcs []string
		for _, dst := range sh.Destinations {
			b.Destinations = append(b.Destinations, dst.HostPort())
			if peer := d.connection(dst); peer != "" {
				b.Connected = append(b.Connected, peer)
			}
			if dst.Source != "" {
				srcs = append(srcs, dst.Source)
			}
		}
		from := From{Source: strings.Join(srcs, ", "), Evidence: sh.Evidence}
		if from.Source == "" && len(sh.Configs) > 0 {
			from.Source = sh.Configs[0]
		}
		d.add(Expectation{ID: "log_shipper:" + sh.Name, Body: b, From: from})
	}
}

// shipping reports whether a shipper ran, and not only since a moment before the
// survey: a fluentd somebody started by hand a minute before ships nothing a
// replacement must, and may be gone a minute after.
func (d *deriver) shipping(sh snapshot.LogShipper) bool {
	if sh.Running == nil || !*sh.Running {
		return false
	}
	p, ok := d.process(sh.PID)
	return !ok || !d.fleeting(p)
}

// connection is the peer, as ss writes it, of the TCP connection the old host had
// established to a destination (by its address, or a name /etc/hosts gives it)
// when it was surveyed; "" when it had none.
func (d *deriver) connection(dst snapshot.Endpoint) string {
	host := strings.Trim(dst.Host, "[]")
	for _, c := range d.s.Network.Connections {
		if c.Proto == "tcp" && dst.Port != 0 && c.RemotePort == dst.Port &&
			(strings.Trim(c.RemoteAddress, "[]") == host || slices.Contains(c.RemoteNames, host)) {
			return c.HostPort()
		}
	}
	return ""
}

// goss finds the shipper's program among the processes (of its user, when known),
// and each connection it had established, by its peer as ss writes it (host:port,
// [v6]:port). A destination it had no connection to is
// left to trowel verify, which reads the shipper's configuration.
func (s LogShipper) goss(g *gossfile, e Expectation) string {
	ps := "ps -eo args="
	if s.User != "" {
		ps = "ps -u " + shellWord(s.User) + " -o args="
	}
	program := gossWord(s.Command)
	if s.Command == "" {
		program = `(^|[\s/])` + regexp.QuoteMeta(s.Name) // rsyslog runs as rsyslogd
	}
	g.command(e, "running", ps, gossLine(program))
	for _, dst := range s.Connected {
		g.command(e, "connected to "+dst, "ss -tn state established", gossLine(`\s`+regexp.QuoteMeta(dst)+`(\s|$)`))
	}
	return ""
}
