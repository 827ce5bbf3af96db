package spec

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Derive turns a snapshot into the expectations a replacement must meet. It derives
// nothing from a section the survey could not collect, and records that as a gap.
// Facts that cannot hold on any replacement (the host's own addresses, block
// devices, uid numbers) are expected with a tolerance, named in Allow.
func Derive(s *snapshot.Snapshot, snapshotPath string) *Spec {
	host := cmp.Or(s.Host.Hostname, s.Source.Target)
	p := distro.PlatformOf(s.OS)
	sp := &Spec{
		TrowelSpec: FormatVersion,
		Source: Source{
			Host: host, OS: s.OS.PrettyName, Platform: p.String(), Manager: s.OS.PackageManager,
			Init: s.OS.InitSystem, CollectedAt: s.CollectedAt, Snapshot: snapshotPath,
		},
	}
	d := deriver{s: s, host: host, spec: sp}
	// In the table's order, each kind adding its own: the spec lists them so.
	for _, k := range kinds() {
		k.deriveFrom(&d)
	}
	return sp
}

type deriver struct {
	s    *snapshot.Snapshot
	host string
	spec *Spec
	ids  map[string]int
}

// usable reports whether a section's facts may be derived from; a gap is noted when
// not, once for kinds that share it (users and groups).
func (d *deriver) usable(what string, secs ...snapshot.Section) bool {
	for _, sec := range secs {
		c, ok := d.s.Coverage[sec]
		if ok && (c.Status.Read() || c.Status == snapshot.NotApplicable) {
			continue
		}
		reason := "no coverage recorded"
		if ok {
			reason = string(c.Status)
			if c.Reason != "" {
				reason += ": " + c.Reason
			}
		}
		if gap := fmt.Sprintf("%s: not derived, the %s section was %s", what, sec, reason); !slices.Contains(d.spec.Gaps, gap) {
			d.spec.Gaps = append(d.spec.Gaps, gap)
		}
		return false
	}
	return true
}

// add keeps an expectation derived from the old host.
func (d *deriver) add(e Expectation) {
	if d.ids == nil {
		d.ids = map[string]int{}
	}
	// Two facts may share a subject (two rules for one user); keep both, told apart.
	if n := d.ids[e.ID]; n > 0 {
		d.ids[e.ID] = n + 1
		e.ID = fmt.Sprintf("%s#%d", e.ID, n+1)
	} else {
		d.ids[e.ID] = 1
	}
	e.From.Host = d.host
	d.spec.Expectations = append(d.spec.Expectations, e)
}

// derived reports whether an expectation of a kind has been derived (kinds derive
// in the table's order).
func (d *deriver) derived(k Kind) bool {
	return slices.ContainsFunc(d.spec.Expectations, func(e Expectation) bool { return e.Kind() == k })
}

func ev(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
