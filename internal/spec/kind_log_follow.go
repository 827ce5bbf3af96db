package spec

import (
	"fmt"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindLogFollow expects a shipper to keep up with a log it reads.
const KindLogFollow Kind = "log_follow"

// LogFollow is a log a shipper kept up with, read from the shipper's own position
// file. Any shipper on the target will do.
type LogFollow struct {
	Name string `yaml:"name,omitempty"` // the shipper on the old host
	Log  string `yaml:"log,omitempty"`
}

func (LogFollow) Kind() Kind { return KindLogFollow }

var logFollowKind = def[LogFollow]{
	sections: []snapshot.Section{snapshot.SectionShippers},
	derive:   (*deriver).logFollows,
	noGoss:   "a shipper's position set against its log's size and last write is nothing a goss resource reads",
}

// logFollows expects every log a running shipper kept up with on the source to be
// kept up with on the target: a shipper that is installed and running but stuck
// (the field's lost day of access logs) is a silence only its position shows. A
// log the source's own shipper had fallen behind on is not expected, and the spec
// says why.
func (d *deriver) logFollows() {
	if c, ok := d.s.Coverage[snapshot.SectionShippers]; !ok || (c.Status != snapshot.Collected && c.Status != snapshot.Partial) {
		return // shippers() has noted the gap
	}
	for _, sh := range d.s.Logs.Shippers {
		if !d.shipping(sh) {
			continue
		}
		for _, p := range sh.Positions {
			ok, known := p.Following()
			if !ok {
				why := "its position or the log's time was not known"
				if known {
					why = fmt.Sprintf("it was %d bytes behind, last moved at %s", p.Behind(), p.Recorded.Format(time.RFC3339))
				}
				d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("log follow: %s on %s was not keeping up with %s (%s), so nothing is expected of it", sh.Name, d.host, p.Log, why))
				continue
			}
			e := Expectation{ID: "log_follow:" + sh.Name + ":" + p.Log, Body: LogFollow{Name: sh.Name, Log: p.Log},
				Note: fmt.Sprintf("on %s, %s had read %d of %d bytes of it (position file %s)", d.host, sh.Name, p.Offset, *p.LogBytes, p.File),
				From: From{Source: p.File, Evidence: []string{p.Evidence}}}
			d.add(e)
		}
	}
}
