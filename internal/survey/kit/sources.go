package kit

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Source is one source of a section read from several (cron's crontabs, periodic
// scripts, timers ...), assembled item by item: what was read of it, and what was
// not and why. CoverSources sums the sources up into the section's coverage.
type Source struct {
	Name string
	// looked is set once any of its items was read, or found not to be there:
	// the source says something, if only that it holds nothing.
	looked bool
	// na says the source does not apply to the host (no systemd, no at), why.
	na      string
	gaps    []snapshot.Status
	reasons []string
	items   []*evidence.Item
}

// NewSource starts a source's coverage.
func NewSource(name string) *Source { return &Source{Name: name} }

// Read takes an item of the source and reports whether it has content to parse. A
// usable item is cited (partial when cut short); one that is not there is cited as
// where the source was looked for and holds nothing, unless it had to exist (a
// file its directory listed); any other failure is a gap of its own kind: denied,
// cut, timed out, offline.
func (s *Source) Read(it *evidence.Item, mustExist bool) bool {
	if Usable(it) {
		s.looked = true
		s.items = append(s.items, it)
		if st, why := StatusOf(it); st != snapshot.Collected {
			s.Gap(st, why)
		}
		return true
	}
	if it != nil && it.Status == evidence.StatusAbsent && !mustExist {
		s.looked = true
		s.Cite(it)
		return false
	}
	st, why := StatusOf(it)
	if it != nil && it.Status == evidence.StatusAbsent {
		st = snapshot.Partial // listed, then gone before it was read: the rest stands
	}
	s.Gap(st, why, it)
	return false
}

// Gap records what of the source could not be read, with the items that show it.
func (s *Source) Gap(st snapshot.Status, why string, items ...*evidence.Item) {
	s.gaps = append(s.gaps, st)
	if why != "" {
		s.reasons = snapshot.AppendNew(s.reasons, why)
	}
	s.Cite(items...)
}

// Cite adds items the source's facts rest on.
func (s *Source) Cite(items ...*evidence.Item) {
	for _, it := range items {
		if it != nil {
			s.items = append(s.items, it)
		}
	}
}

// Looked says the source was read, whatever an item said (a command that ran and
// listed nothing).
func (s *Source) Looked() { s.looked = true }

// NotApplicable says the source does not apply to the host, and why: an at queue
// where at is not installed is no gap.
func (s *Source) NotApplicable(why string, items ...*evidence.Item) {
	s.na = why
	s.Cite(items...)
}

// Items are the items the source cited.
func (s *Source) Items() []*evidence.Item { return s.items }

// coverage is the source's status: collected with no gap, partial with gaps
// beside something read, else the most telling of its failures.
func (s *Source) coverage() (snapshot.Status, string) {
	reason := strings.Join(s.reasons, "; ")
	switch {
	case len(s.gaps) == 0 && s.na != "" && !s.looked:
		return snapshot.NotApplicable, s.na
	case len(s.gaps) == 0:
		return snapshot.Collected, reason
	case s.looked:
		return snapshot.Partial, reason
	}
	return MostTelling(s.gaps...), reason
}

// CoverSources sets a section's coverage from its sources: each with its own
// status, reason and evidence, and the section's as their sum. Collected when every
// source was read in full (or does not apply); partial when some were read, so that
// what they hold stands while the others are unknown; else the most telling
// failure. notes are said of the section whatever its sources (a zone crond missed).
func (in *Input) CoverSources(sec snapshot.Section, sources []*Source, notes ...string) {
	var list []snapshot.SourceCoverage
	var all []*evidence.Item
	var reasons []string
	var failed []snapshot.Status
	read, whole := false, true
	for _, s := range sources {
		st, why := s.coverage()
		sc := snapshot.SourceCoverage{Name: s.Name, Status: st, Reason: why}
		for _, it := range s.items {
			sc.Evidence = snapshot.AppendNew(sc.Evidence, in.Cite(it))
		}
		list = append(list, sc)
		all = append(all, s.items...)
		switch {
		case st.Decided():
			read = true
		case st == snapshot.Partial:
			read, whole = true, false
		default:
			whole = false
			failed = append(failed, st)
		}
		if !st.Decided() && why != "" {
			reasons = append(reasons, s.Name+": "+why)
		}
	}
	status := snapshot.Collected
	switch {
	case whole && allNotApplicable(list):
		status = snapshot.NotApplicable
	case whole:
	case read:
		status = snapshot.Partial
	default:
		status = MostTelling(failed...)
	}
	reasons = append(reasons, notes...)
	in.Cover(sec, status, strings.Join(snapshot.AppendNew(nil, reasons...), "; "), all...)
	c := in.Snap.Coverage[sec]
	c.Sources = list
	in.Snap.Coverage[sec] = c
}

func allNotApplicable(list []snapshot.SourceCoverage) bool {
	for _, s := range list {
		if s.Status != snapshot.NotApplicable {
			return false
		}
	}
	return len(list) > 0
}
