// Package diff compares two snapshots — a legacy host and its replacement, or one
// host at two times — and says what the new one lacks, what changed and what it
// has that the old one did not, concern by concern, with what could not be
// compared. It is pure: snapshots in, a Result out; Document lays a Result out as
// a report.
package diff

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Kind says which way a difference goes.
type Kind string

const (
	// Missing is on OLD and not on NEW: what a migration loses. Said only when
	// NEW's section was collected.
	Missing Kind = "missing"
	// Changed is on both, with a different value.
	Changed Kind = "changed"
	// Added is on NEW and not on OLD. Said only when OLD's section was collected.
	Added Kind = "new"
)

// Concern groups the differences a reader handles together. Each is defined,
// with how it is read and compared, in its own file (concern_*.go), and ranked in
// order of impact by the table in concerns.go.
type Concern string

// None is the value of a field known to be empty (a shipper with no destination,
// no stale daemon), told apart from "" (not known, so not compared).
const None = "-"

// Result is the comparison of two snapshots. Its JSON field names are stable:
// `trowel diff --format json` prints it.
type Result struct {
	Old Side `json:"old"`
	New Side `json:"new"`
	// CrossPlatform is true when OLD and NEW run different releases: names are
	// then matched through the distribution tables, system accounts are left out
	// (each distribution makes its own) and packages are summarised.
	CrossPlatform bool `json:"cross_platform"`
	// Differences are ordered: missing on NEW, changed, new on NEW; within each,
	// by concern in order of impact (Concerns), notable ones first among the new.
	Differences []Difference `json:"differences"`
	// NotCompared are the sections that were not collected on one side, so that
	// what they hold could be neither missing nor new.
	NotCompared []Gap          `json:"not_compared"`
	Packages    PackageSummary `json:"packages"`
	Counts      Counts         `json:"counts"`
}

// Side identifies one of the two snapshots.
type Side struct {
	Target      string    `json:"target,omitempty"`
	Hostname    string    `json:"hostname,omitempty"`
	Platform    string    `json:"platform,omitempty"` // "centos-5", "debian-12"
	OS          string    `json:"os,omitempty"`       // pretty name
	CollectedAt time.Time `json:"collected_at"`
}

// Difference is one thing that differs.
type Difference struct {
	Kind    Kind    `json:"kind"`
	Concern Concern `json:"concern"`
	// Item names the thing as the hosts do: "apache (httpd ≡ apache2)",
	// "tcp/80", "deploy: */5 * * * * /usr/local/bin/worker.sh".
	Item string `json:"item"`
	// Field is what changed (zone, uid, version, running ...), for Changed only;
	// Old and New are its values ("" on the side that lacks the item, None when
	// known to be empty).
	Field string `json:"field,omitempty"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
	// Change qualifies a version change: upgrade or downgrade.
	Change string `json:"change,omitempty"`
	// Notable says why a new item deserves attention: all_interfaces (a listener
	// open to the network) or enabled (a service started at boot).
	Notable string `json:"notable,omitempty"`
	// OldSource and NewSource are where each side says so: "file:line (evidence)".
	OldSource []string `json:"old_source,omitempty"`
	NewSource []string `json:"new_source,omitempty"`
}

// Gap is a section that one side did not collect.
type Gap struct {
	Concern Concern          `json:"concern"`
	Side    string           `json:"side"` // old or new
	Section snapshot.Section `json:"section"`
	Status  snapshot.Status  `json:"status"` // "" when the snapshot has no word for it
	Reason  string           `json:"reason,omitempty"`
	// Undecided are the items of the other side that could not be called missing
	// (or new) because of it.
	Undecided []string `json:"undecided,omitempty"`
}

// PackageSummary is the package comparison in numbers, so a change of
// distribution does not bury the report under thousands of rows.
type PackageSummary struct {
	Old int `json:"old"`
	New int `json:"new"`
	// Matched are OLD's packages found on NEW, by name or through the mapping.
	Matched int `json:"matched"`
	// Dropped are OLD's packages the mapping says have no counterpart on NEW's
	// release (and need none).
	Dropped []string `json:"dropped,omitempty"`
	// Unmapped are OLD's packages absent from NEW that the mapping does not know:
	// listed by name only, for a reader to judge.
	Unmapped []string `json:"unmapped,omitempty"`
	// Added counts NEW's packages that match none of OLD's; across platforms they
	// are not listed one by one.
	Added int `json:"added"`
}

// Counts are the numbers of differences of each kind.
type Counts struct {
	Missing     int `json:"missing"`
	Changed     int `json:"changed"`
	New         int `json:"new"`
	NotCompared int `json:"not_compared"`
}

// Compare compares OLD with NEW, concern by concern in the order of the table.
func Compare(old, new *snapshot.Snapshot) Result {
	c := &comparer{hosts: newHosts(old, new)}
	r := Result{
		Old:           side(old, c.oldPlatform),
		New:           side(new, c.newPlatform),
		CrossPlatform: c.cross,
	}
	for _, k := range concerns() {
		c.compare(k)
	}
	r.Packages = packageSummary(&c.hosts)

	sortDifferences(c.diffs)
	sort.SliceStable(c.gaps, func(i, j int) bool {
		a, b := c.gaps[i], c.gaps[j]
		if rank(a.Concern) != rank(b.Concern) {
			return rank(a.Concern) < rank(b.Concern)
		}
		if a.Side != b.Side {
			return a.Side == "new" // NEW's gaps hide missing items: first
		}
		return a.Section < b.Section
	})
	for _, g := range c.gaps {
		sort.Strings(g.Undecided)
	}
	r.Differences = c.diffs
	r.NotCompared = c.gaps
	if r.Differences == nil {
		r.Differences = []Difference{}
	}
	if r.NotCompared == nil {
		r.NotCompared = []Gap{}
	}
	for _, d := range r.Differences {
		switch d.Kind {
		case Missing:
			r.Counts.Missing++
		case Changed:
			r.Counts.Changed++
		case Added:
			r.Counts.New++
		}
	}
	r.Counts.NotCompared = len(r.NotCompared)
	return r
}

func side(s *snapshot.Snapshot, p distro.Platform) Side {
	return Side{
		Target:      s.Source.Target,
		Hostname:    cmp.Or(s.Host.FQDN, s.Host.Hostname),
		Platform:    p.String(),
		OS:          s.OS.PrettyName,
		CollectedAt: s.CollectedAt,
	}
}

func rank(c Concern) int {
	for i, x := range Concerns {
		if x == c {
			return i
		}
	}
	return len(Concerns)
}

func kindRank(k Kind) int {
	switch k {
	case Missing:
		return 0
	case Changed:
		return 1
	}
	return 2
}

func sortDifferences(ds []Difference) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if kindRank(a.Kind) != kindRank(b.Kind) {
			return kindRank(a.Kind) < kindRank(b.Kind)
		}
		if (a.Notable != "") != (b.Notable != "") {
			return a.Notable != ""
		}
		if rank(a.Concern) != rank(b.Concern) {
			return rank(a.Concern) < rank(b.Concern)
		}
		if a.Item != b.Item {
			return a.Item < b.Item
		}
		return a.Field < b.Field
	})
}

// HasDifferences reports whether NEW lacks or changed anything of OLD's, or has
// anything OLD did not.
func (r Result) HasDifferences() bool { return len(r.Differences) > 0 }

// comparer holds the two snapshots and collects what differs.
type comparer struct {
	hosts
	diffs []Difference
	gaps  []Gap
}

// compare reads one kind from both snapshots and compares its items.
func (c *comparer) compare(k concern) {
	olds, news := k.read(&c.hosts)
	c.group(k.id, k.section, olds, news)
}

// item is one comparable thing of one side: its identity (key), how it is named,
// the values compared when both sides have it, and where it was read.
type item struct {
	key    string
	label  string
	fields []field
	refs   []string
	// notable is why the item deserves attention when only NEW has it.
	notable string
	// version marks the field compared as a package-manager version: its
	// change is an upgrade or a downgrade.
	versionManager string
}

type field struct {
	name, value string
}

// group compares the items of one concern read from one section on each side.
func (c *comparer) group(concern Concern, sec snapshot.Section, olds, news []item) {
	oldCov, oldOK := c.old.Coverage[sec]
	newCov, newOK := c.new.Coverage[sec]
	oldKnown, newKnown := oldOK && oldCov.Status.Decided(), newOK && newCov.Status.Decided()
	oldBy, newBy := index(olds), index(news)

	var notOnNew, notOnOld []string
	for _, o := range olds {
		n, ok := newBy[o.key]
		if !ok {
			if !newKnown {
				notOnNew = append(notOnNew, o.label)
				continue
			}
			c.diffs = append(c.diffs, Difference{Kind: Missing, Concern: concern, Item: o.label, OldSource: o.refs})
			continue
		}
		c.changed(concern, o, n)
	}
	for _, n := range news {
		if _, ok := oldBy[n.key]; ok {
			continue
		}
		if !oldKnown {
			notOnOld = append(notOnOld, n.label)
			continue
		}
		c.diffs = append(c.diffs, Difference{Kind: Added, Concern: concern, Item: n.label, Notable: n.notable, NewSource: n.refs})
	}
	if !newKnown {
		c.gap(concern, "new", sec, newCov, newOK, notOnNew)
	}
	if !oldKnown {
		c.gap(concern, "old", sec, oldCov, oldOK, notOnOld)
	}
}

func (c *comparer) gap(concern Concern, sideName string, sec snapshot.Section, cov snapshot.Coverage, ok bool, undecided []string) {
	g := Gap{Concern: concern, Side: sideName, Section: sec, Status: cov.Status, Reason: cov.Reason}
	if !ok {
		g.Reason = "the snapshot says nothing about this section"
	}
	// Each row of the table is one Concern and section (TestConcernTable), so a
	// gap is said once per row, with everything it left undecided.
	g.Undecided = undecided
	c.gaps = append(c.gaps, g)
}

// changed adds a difference for each field both sides know and disagree on.
func (c *comparer) changed(concern Concern, o, n item) {
	label := o.label
	if n.label != o.label {
		label = o.label + " ≡ " + n.label
	}
	newFields := map[string]string{}
	for _, f := range n.fields {
		newFields[f.name] = f.value
	}
	for _, f := range o.fields {
		nv, ok := newFields[f.name]
		if !ok || f.value == "" || nv == "" || f.value == nv {
			continue
		}
		d := Difference{Kind: Changed, Concern: concern, Item: label, Field: f.name,
			Old: f.value, New: nv, OldSource: o.refs, NewSource: n.refs}
		if f.name == "version" && o.versionManager != "" && o.versionManager == n.versionManager {
			switch distro.CompareVersions(o.versionManager, f.value, nv) {
			case -1:
				d.Change = "upgrade"
			case 1:
				d.Change = "downgrade"
			default:
				continue // equal to the package manager ("1.0" and "1.0-0")
			}
		}
		c.diffs = append(c.diffs, d)
	}
}

// index maps items by key; items with the same key (workers of one daemon, a
// service's tcp and tcp6 sockets) are merged: their values joined, their
// sources kept.
func index(items []item) map[string]item {
	m := make(map[string]item, len(items))
	for _, it := range items {
		m[it.key] = it
	}
	return m
}

// merge collapses items with one key into one, joining differing field values
// as a sorted set; the input order of first occurrences is kept.
func merge(items []item) []item {
	pos := make(map[string]int, len(items))
	out := make([]item, 0, len(items))
	for _, it := range items {
		i, ok := pos[it.key]
		if !ok {
			pos[it.key] = len(out)
			out = append(out, it)
			continue
		}
		m := &out[i]
		for fi, f := range it.fields {
			if fi < len(m.fields) && m.fields[fi].name == f.name {
				m.fields[fi].value = joinSet(m.fields[fi].value, f.value)
			}
		}
		m.refs = snapshot.AppendNew(m.refs, it.refs...)
		if m.notable == "" {
			m.notable = it.notable
		}
	}
	return out
}

// joinSet is the union of two comma-separated value sets, sorted. An unknown
// value ("") makes the whole unknown; None counts as empty.
func joinSet(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	set := map[string]bool{}
	for _, s := range []string{a, b} {
		if s == None {
			continue
		}
		for _, p := range strings.Split(s, ", ") {
			set[p] = true
		}
	}
	return setValue(slices.Collect(maps.Keys(set)))
}

// setValue is a list as one comparable value: sorted, deduplicated, None when
// empty.
func setValue(list []string) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return None
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// boolValue is a tri-state as a compared value: "" when not known.
func boolValue(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "true"
	}
	return "false"
}

// ref is where a fact was read: "file:line (evidence)", either part optional.
func ref(source string, line int, evidence string) string {
	if source != "" && line > 0 {
		source += ":" + strconv.Itoa(line)
	}
	switch {
	case source == "":
		return evidence
	case evidence == "":
		return source
	}
	return source + " (" + evidence + ")"
}

func refs(evidence []string) []string {
	return append([]string(nil), evidence...)
}
