package observe

import (
	"strconv"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/network"
)

// Sample is one look at the host: its parsed snapshot, or why it could not be taken.
type Sample struct {
	At   time.Time
	Snap *snapshot.Snapshot
	Err  error
}

// Merge folds samples into base, the full survey taken at the start, which counts
// as the first sample. Processes are keyed by user and command line, not PID, so a
// job that ran in one sample is kept and a restarted daemon is one fact; listeners
// by protocol, address, port and process; connections, established or unanswered, by
// protocol, remote address, port and process (an endpoint seen established in any
// sample is no longer unanswered). Every such fact gets when it was first and last
// seen and in how many samples; a connection's Count becomes the most sockets seen at
// once.
func Merge(base *snapshot.Snapshot, samples []Sample, every string) {
	all := append([]Sample{{At: base.CollectedAt, Snap: base}}, samples...)
	w := &snapshot.Window{Start: base.CollectedAt, End: base.CollectedAt, Every: every}
	procs := newSeen[snapshot.Process](func(p snapshot.Process) string { return procUser(p) + "\x00" + p.Command })
	lis := newSeen[snapshot.Listener](func(l snapshot.Listener) string {
		return l.Proto + "\x00" + l.Address + "\x00" + strconv.Itoa(l.Port) + "\x00" + l.Process
	})
	connKey := func(c snapshot.Connection) string {
		return c.Proto + "\x00" + c.RemoteAddress + "\x00" + strconv.Itoa(c.RemotePort) + "\x00" + c.Process
	}
	conns := newSeen[snapshot.Connection](connKey)
	unanswered := newSeen[snapshot.Connection](connKey)
	for _, s := range all {
		if s.Err != nil || s.Snap == nil {
			w.Failed++
			continue
		}
		at := s.At
		if at.IsZero() {
			at = s.Snap.CollectedAt
		}
		w.Samples++
		if at.Before(w.Start) {
			w.Start = at
		}
		if at.After(w.End) {
			w.End = at
		}
		procs.add(s.Snap.Processes, at, nil)
		lis.add(s.Snap.Listeners, at, nil)
		most := func(kept *snapshot.Connection, c snapshot.Connection) { kept.Count = max(kept.Count, c.Count) }
		conns.add(s.Snap.Network.Connections, at, most)
		unanswered.add(s.Snap.Network.Unanswered, at, most)
		if s.Snap != base {
			for id, ref := range s.Snap.Evidence {
				if _, ok := base.Evidence[id]; !ok {
					if base.Evidence == nil {
						base.Evidence = map[string]snapshot.EvidenceRef{}
					}
					base.Evidence[id] = ref
				}
			}
		}
	}
	base.Processes = procs.result(func(p *snapshot.Process) *snapshot.Seen { return &p.Seen })
	base.Listeners = lis.result(func(l *snapshot.Listener) *snapshot.Seen { return &l.Seen })
	connSeen := func(c *snapshot.Connection) *snapshot.Seen { return &c.Seen }
	base.Network.Connections = conns.result(connSeen)
	// An endpoint seen established in any sample answers: a dependency, not a broken one.
	answered := map[string]bool{}
	for _, c := range base.Network.Connections {
		answered[network.Endpoint(c)] = true
	}
	base.Network.Unanswered = nil
	for _, c := range unanswered.result(connSeen) {
		if !answered[network.Endpoint(c)] {
			base.Network.Unanswered = append(base.Network.Unanswered, c)
		}
	}
	base.Window = w
}

func procUser(p snapshot.Process) string {
	if p.User != "" {
		return p.User
	}
	if p.UID != nil {
		return "uid " + strconv.Itoa(*p.UID)
	}
	return ""
}

// seen collects facts by key across samples, keeping every fact of the first
// sample a key appeared in (the workers of one server share a key and all stay).
type seen[T any] struct {
	key   func(T) string
	order []string
	facts map[string][]T
	first map[string]time.Time
	last  map[string]time.Time
	count map[string]int
}

func newSeen[T any](key func(T) string) *seen[T] {
	return &seen[T]{key: key, facts: map[string][]T{}, first: map[string]time.Time{}, last: map[string]time.Time{}, count: map[string]int{}}
}

func (s *seen[T]) add(items []T, at time.Time, fold func(kept *T, again T)) {
	inSample := map[string]bool{}
	for _, it := range items {
		k := s.key(it)
		if _, known := s.facts[k]; !known {
			s.order = append(s.order, k)
			s.first[k] = at
		}
		if !inSample[k] {
			inSample[k] = true
			s.count[k]++
			s.last[k] = at
			if s.count[k] == 1 {
				s.facts[k] = append(s.facts[k], it)
				continue
			}
		} else if s.count[k] == 1 {
			s.facts[k] = append(s.facts[k], it)
			continue
		}
		if fold != nil && len(s.facts[k]) > 0 {
			fold(&s.facts[k][0], it)
		}
	}
}

func (s *seen[T]) result(seenOf func(*T) *snapshot.Seen) []T {
	out := []T{}
	for _, k := range s.order {
		first, last := s.first[k], s.last[k]
		for _, f := range s.facts[k] {
			sn := seenOf(&f)
			sn.FirstSeen, sn.LastSeen, sn.Samples = &first, &last, s.count[k]
			out = append(out, f)
		}
	}
	return out
}
