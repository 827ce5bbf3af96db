package spec

import (
	"cmp"
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
	Inputs       []string `yaml:"inputs,omitempty"`
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
		if sh.Running == nil || !*sh.Running {
			continue
		}
		b := LogShipper{Name: sh.Name, Running: snapshot.Bool(true), Inputs: sh.Inputs}
		for _, p := range d.s.Processes {
			if p.PID == sh.PID && sh.PID != 0 {
				b.Command, b.User = Program(p.Command), p.User
			}
		}
		var srcs []string
		for _, dst := range sh.Destinations {
			b.Destinations = append(b.Destinations, dst.HostPort())
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

func (s LogShipper) goss(g gossfile, _ Expectation) bool {
	g.command("ps -eo args=", cmp.Or(s.Command, s.Name))
	for _, d := range s.Destinations {
		// ss writes a peer as the destination is written: host:port, [v6]:port.
		if _, port := snapshot.SplitListen(d); port != 0 {
			g.command("ss -Htn state established", d)
		}
	}
	return true
}
