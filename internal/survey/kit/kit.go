// Package kit holds what every surveyor needs besides its own parser: the evidence it
// reads, a way to cite the items facts come from, and the rules that turn an item's
// fate into a section's coverage.
package kit

import (
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Input is what a surveyor reads and writes.
type Input struct {
	Archive *evidence.Archive
	Snap    *snapshot.Snapshot
}

// Offline reports whether the evidence was read from a mounted disk, where nothing
// was running.
func (in *Input) Offline() bool { return in.Snap.Source.Kind == "root" }

// Cite records the item in the snapshot's evidence index and returns its ID, for a
// fact's evidence field.
func (in *Input) Cite(it *evidence.Item) string {
	id := it.ID()
	if in.Snap.Evidence == nil {
		in.Snap.Evidence = map[string]snapshot.EvidenceRef{}
	}
	if _, ok := in.Snap.Evidence[id]; !ok {
		in.Snap.Evidence[id] = snapshot.EvidenceRef{
			Kind:      string(it.Kind),
			Source:    it.Source(),
			Status:    string(it.Status),
			RC:        it.RC,
			Bytes:     len(it.Data),
			Truncated: it.Truncated,
			Seconds:   round2(it.Duration()),
		}
	}
	return id
}

// Cover sets a section's coverage, citing the items behind it, each once.
func (in *Input) Cover(s snapshot.Section, st snapshot.Status, reason string, items ...*evidence.Item) {
	c := snapshot.Coverage{Status: st, Reason: reason}
	for _, it := range items {
		if it != nil {
			c.Evidence = snapshot.AppendNew(c.Evidence, in.Cite(it))
		}
	}
	if in.Snap.Coverage == nil {
		in.Snap.Coverage = map[snapshot.Section]snapshot.Coverage{}
	}
	in.Snap.Coverage[s] = c
}

// Get fetches an item. An item the archive lacks comes back with status "missing",
// or "cut" when the archive is incomplete, so coverage says the session ended early
// rather than that the probe never looked. A file one of the plan's globs would have
// read is absent from a complete archive: the glob ran and matched no regular file
// there.
func (in *Input) Get(id string) *evidence.Item {
	it, ok := in.Archive.Get(id)
	if !ok && in.Archive.Complete && it.Kind == evidence.KindFile && probe.Globbed(it.Name) {
		it.Status = evidence.StatusAbsent
	}
	return it
}

// File, Cmd and List are Get for one kind.
func (in *Input) File(path string) *evidence.Item {
	return in.Get(evidence.ID(evidence.KindFile, path))
}
func (in *Input) Cmd(name string) *evidence.Item { return in.Get(evidence.ID(evidence.KindCmd, name)) }
func (in *Input) List(path string) *evidence.Item {
	return in.Get(evidence.ID(evidence.KindList, path))
}

// Usable reports whether the item has content a parser may read: it was read, and a
// command exited successfully. A cut or truncated item is usable but partial.
func Usable(it *evidence.Item) bool {
	if it == nil {
		return false
	}
	switch it.Status {
	case evidence.StatusOK:
		return it.Kind != evidence.KindCmd || it.RC == 0
	case evidence.StatusCut:
		return len(it.Data) > 0
	}
	return false
}

// StatusOf maps an item that could not be used to a coverage status and a reason.
// For a usable item it returns Collected, or Partial when the item was cut short.
func StatusOf(it *evidence.Item) (snapshot.Status, string) {
	if it == nil {
		return snapshot.Unavailable, "not collected"
	}
	if Usable(it) {
		if it.Truncated || it.Status == evidence.StatusCut {
			return snapshot.Partial, it.Source() + " was cut short; only the first part was read"
		}
		return snapshot.Collected, ""
	}
	switch it.Status {
	case evidence.StatusDenied:
		return snapshot.Denied, it.Problem()
	case evidence.StatusTimeout:
		return snapshot.TimedOut, it.Problem()
	case evidence.StatusCut:
		return snapshot.Cut, it.Problem()
	case evidence.StatusOffline:
		return snapshot.Unavailable, "offline: " + it.Problem()
	}
	if it.Status == evidence.StatusOK && it.Kind == evidence.KindCmd && looksDenied(it.Stderr) {
		return snapshot.Denied, it.Problem()
	}
	return snapshot.Unavailable, it.Problem()
}

func looksDenied(stderr []byte) bool {
	s := strings.ToLower(string(stderr))
	return strings.Contains(s, "permission denied") || strings.Contains(s, "operation not permitted") ||
		strings.Contains(s, "must be root") || strings.Contains(s, "are you root")
}

// FirstUsable returns the first item that can be parsed, or nil.
func FirstUsable(items ...*evidence.Item) *evidence.Item {
	for _, it := range items {
		if Usable(it) {
			return it
		}
	}
	return nil
}

// Explain joins the problems of items that were tried and failed, for a reason text.
func Explain(items ...*evidence.Item) string {
	var parts []string
	for _, it := range items {
		if p := it.Problem(); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "no source of this information was found"
	}
	return strings.Join(parts, "; ")
}

// Worst returns the coverage status describing items that were all needed: the
// weakest of them wins.
func Worst(items ...*evidence.Item) (snapshot.Status, string) {
	best, reason := snapshot.Collected, ""
	for _, it := range items {
		st, why := StatusOf(it)
		if rank(st) > rank(best) {
			best, reason = st, why
		}
	}
	return best, reason
}

// Telling reports whether a status says why nothing was read (refused, cut off,
// stopped by the watchdog), which says more than "unavailable" and wins over it.
func Telling(st snapshot.Status) bool {
	return st == snapshot.Denied || st == snapshot.Cut || st == snapshot.TimedOut
}

// Failure is the coverage of a section none of whose items could be read: the
// most telling status among them (a refusal, then a cut stream, then a timeout),
// else unavailable, with every item's problem.
func Failure(items ...*evidence.Item) (snapshot.Status, string) {
	var sts []snapshot.Status
	for _, it := range items {
		st, _ := StatusOf(it)
		sts = append(sts, st)
	}
	return MostTelling(sts...), Explain(items...)
}

// MostTelling is the failure that says most of why nothing was read: a refusal,
// then a cut stream, then a timeout, else unavailable.
func MostTelling(sts ...snapshot.Status) snapshot.Status {
	for _, want := range []snapshot.Status{snapshot.Denied, snapshot.Cut, snapshot.TimedOut} {
		if slices.Contains(sts, want) {
			return want
		}
	}
	return snapshot.Unavailable
}

// WorseOf returns the weaker of two coverage statuses: a section built from several
// items is only as complete as its least complete one.
func WorseOf(a, b snapshot.Status) snapshot.Status {
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// CompleteLines is the item's text without a last line cut in the middle: a line
// that ends where the limit, the watchdog or a dropped session cut it would parse
// as a wrong fact, not as part of one.
func CompleteLines(it *evidence.Item) string {
	text := it.Text()
	if it.Truncated || it.Status == evidence.StatusCut || it.Status == evidence.StatusTimeout {
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			return text[:i+1]
		}
		return ""
	}
	return text
}

func rank(s snapshot.Status) int {
	switch s {
	case snapshot.Collected, snapshot.NotApplicable:
		return 0
	case snapshot.Partial:
		return 1
	case snapshot.TimedOut, snapshot.Cut:
		return 2
	case snapshot.Denied:
		return 3
	}
	return 4
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// KiB is a size measured in KiB (du -k) in bytes; nil, not measured, stays nil.
func KiB(v *int64) *int64 {
	if v == nil {
		return nil
	}
	b := *v * 1024
	return &b
}
