// Package ledger accounts for everything an old host did that a migration must
// keep: every service that runs or starts at boot, listener, scheduled job, log
// shipper and its destination, application tree, data directory, package installed
// on purpose, web server module, account, sudo rule, key, kernel parameter,
// firewall opening, mount, mail alias and relay. Facts enumerates them from a
// snapshot, each with a stable ID and its provenance, independently of whatever
// turns them into something else; a Book collects a disposition for each (carried,
// translated, moved as data, left for a person to decide, or left behind for a
// stated reason), and Build makes the ledger, in which nothing is without one.
package ledger

import (
	"slices"
	"strings"
	"time"
)

// SchemaVersion changes when a field of the ledger changes meaning or goes.
const SchemaVersion = 1

// Kind is a kind of fact.
type Kind string

// Disposition is what becomes of a fact on the new host.
type Disposition string

const (
	// Carried: a role of the project does it on the new host (Role, Task).
	Carried Disposition = "carried"
	// Translated: the new host does it another way (From, To, Why).
	Translated Disposition = "translated"
	// Data: it is moved, not built (How, Bytes, Time).
	Data Disposition = "data"
	// Todo: a person must decide or do it (Decide, Findings).
	Todo Disposition = "todo"
	// Left: it need not come (Reason, Why).
	Left Disposition = "left"
)

// Dispositions lists them from the one needing the most attention: when two
// parts of a project say something of one fact, the first of these wins.
var Dispositions = []Disposition{Todo, Data, Translated, Carried, Left}

// Reason is why a fact need not come to the new host.
type Reason string

// The reasons a reviewer accepts for leaving something behind; no other is.
const (
	// TargetOS: the new host's own OS provides it (its package ships the unit,
	// creates the account, writes the default).
	TargetOS Reason = "target_os"
	// Footprint: the survey's own doing, not the host's.
	Footprint Reason = "survey_footprint"
	// Ephemeral: made anew at each start, or passing (a worker's own port).
	Ephemeral Reason = "ephemeral"
	// BaseSystem: part of the source's base installation, not anyone's decision.
	BaseSystem Reason = "base_system"
	// Dependency: installed only because something else needs it.
	Dependency Reason = "dependency"
	// Inactive: it neither ran nor would start at boot (stopped and disabled,
	// masked, commented out, a job cron skips).
	Inactive Reason = "inactive"
	// Empty: there is nothing in it to move.
	Empty Reason = "empty"
)

// Reasons lists the allowed reasons.
var Reasons = []Reason{TargetOS, Footprint, Ephemeral, BaseSystem, Dependency, Inactive, Empty}

// Fact is one thing the old host did.
type Fact struct {
	// ID is Kind and Key, "service:apache2": stable across surveys of one host.
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Key is written as "name": a field named key followed by a package's name
	// reads as an API key to secret scanners, trowel's own included, which would
	// mask it in the ledger written.
	Key string `json:"name"`
	// Title says what the old host did, in a line.
	Title string `json:"title"`
	// Source is where it was found: a file and line, a unit, a command.
	Source   string   `json:"source,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
	// Bytes is its size, for data and application trees (nil when not measured).
	Bytes *int64 `json:"bytes,omitempty"`
	// Checks are the IDs of the expectations trowel spec derives from the same
	// snapshot that test this fact on a new host: a failure of one of them in
	// trowel verify is this fact's.
	Checks []string `json:"checks,omitempty"`
}

// Entry is a fact with its disposition.
type Entry struct {
	Fact
	Disposition Disposition `json:"disposition" jsonschema:"enum=carried,enum=translated,enum=data,enum=todo,enum=left"`
	// Role and Task carry it (carried, translated).
	Role string `json:"role,omitempty"`
	Task string `json:"task,omitempty"`
	// From, To and Why say what it became (translated).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	Why  string `json:"why,omitempty"`
	// How it moves and how long that takes (data).
	How  string `json:"how,omitempty"`
	Time string `json:"time,omitempty"`
	// Decide is what a person must decide or do (todo), with the findings that
	// explain it.
	Decide   string   `json:"decide,omitempty"`
	Findings []string `json:"findings,omitempty"`
	// Reason is why it need not come (left), one of Reasons; Why says more.
	Reason Reason `json:"reason,omitempty" jsonschema:"enum=,enum=target_os,enum=survey_footprint,enum=ephemeral,enum=base_system,enum=dependency,enum=inactive,enum=empty"`
	// Unaccounted is set when no part of the project gave the fact a
	// disposition: it is then a todo, and a defect of the project.
	Unaccounted bool `json:"unaccounted,omitempty"`
}

// Ledger is every fact of one host with its disposition for one target.
type Ledger struct {
	SchemaVersion int       `json:"schema_version"`
	TrowelVersion string    `json:"trowel_version,omitempty"`
	Host          string    `json:"host"`
	SourceOS      string    `json:"source_os,omitempty"`
	Surveyed      time.Time `json:"surveyed"`
	Target        string    `json:"target"`
	// Totals counts the entries by disposition.
	Totals  map[Disposition]int `json:"totals"`
	Entries []Entry             `json:"entries"`
}

// Entry finds an entry by its ID.
func (l *Ledger) Entry(id string) (Entry, bool) {
	i := slices.IndexFunc(l.Entries, func(e Entry) bool { return e.ID == id })
	if i < 0 {
		return Entry{}, false
	}
	return l.Entries[i], true
}

// ID makes a fact's ID of its kind and key.
func ID(k Kind, key string) string { return string(k) + ":" + key }

// Book collects the dispositions of a host's facts.
type Book struct {
	facts  []Fact
	index  map[string]int
	given  map[string]Entry
	strays []string
}

// NewBook starts a book over facts.
func NewBook(facts []Fact) *Book {
	b := &Book{facts: facts, index: map[string]int{}, given: map[string]Entry{}}
	for i, f := range facts {
		b.index[f.ID] = i
	}
	return b
}

// Has reports whether the host did id.
func (b *Book) Has(id string) bool { _, ok := b.index[id]; return ok }

// Fact returns the fact of an ID.
func (b *Book) Fact(id string) (Fact, bool) {
	i, ok := b.index[id]
	if !ok {
		return Fact{}, false
	}
	return b.facts[i], true
}

// Of lists the IDs of the facts of a kind, in order.
func (b *Book) Of(k Kind) []string {
	var out []string
	for _, f := range b.facts {
		if f.Kind == k {
			out = append(out, f.ID)
		}
	}
	return out
}

// Given reports whether id has a disposition yet, and which.
func (b *Book) Given(id string) (Disposition, bool) {
	e, ok := b.given[id]
	return e.Disposition, ok
}

// Carry says a role does it on the new host.
func (b *Book) Carry(id, role, task string) {
	b.give(Entry{Fact: Fact{ID: id}, Disposition: Carried, Role: role, Task: task})
}

// Translate says the new host does it another way.
func (b *Book) Translate(id, role, from, to, why string) {
	b.give(Entry{Fact: Fact{ID: id}, Disposition: Translated, Role: role, From: from, To: to, Why: why})
}

// Move says it is data, moved by how in about the time given.
func (b *Book) Move(id, how, time string) {
	b.give(Entry{Fact: Fact{ID: id}, Disposition: Data, How: how, Time: time})
}

// Decide says a person must decide or do it.
func (b *Book) Decide(id, decide string, findings ...string) {
	b.give(Entry{Fact: Fact{ID: id}, Disposition: Todo, Decide: decide, Findings: findings})
}

// Leave says it need not come, for one of the allowed reasons.
func (b *Book) Leave(id string, reason Reason, why string) {
	b.give(Entry{Fact: Fact{ID: id}, Disposition: Left, Reason: reason, Why: why})
}

// give keeps the disposition that needs the most attention; an ID the host did
// not do is kept aside as a stray, a defect of the caller.
func (b *Book) give(e Entry) {
	if !b.Has(e.ID) {
		if !slices.Contains(b.strays, e.ID) {
			b.strays = append(b.strays, e.ID)
		}
		return
	}
	if old, ok := b.given[e.ID]; ok && rank(old.Disposition) <= rank(e.Disposition) {
		return
	}
	b.given[e.ID] = e
}

func rank(d Disposition) int { return slices.Index(Dispositions, d) }

// Strays are the IDs given a disposition that are no fact of the host.
func (b *Book) Strays() []string { return b.strays }

// Build makes the ledger: every fact with its disposition, those without one
// turned into todos marked unaccounted.
func (b *Book) Build(l Ledger) Ledger {
	l.SchemaVersion = SchemaVersion
	l.Totals = map[Disposition]int{}
	l.Entries = nil
	for _, f := range b.facts {
		e, ok := b.given[f.ID]
		if !ok {
			e = Entry{Disposition: Todo, Unaccounted: true,
				Decide: "No part of the project accounts for this: carry it over by hand, or decide it need not come."}
		}
		e.Fact = f
		l.Entries = append(l.Entries, e)
		l.Totals[e.Disposition]++
	}
	return l
}

// Unaccounted lists the entries no part of the project gave a disposition.
func (l *Ledger) Unaccounted() []Entry {
	var out []Entry
	for _, e := range l.Entries {
		if e.Unaccounted {
			out = append(out, e)
		}
	}
	return out
}

// Problems lists what makes a ledger incomplete: a fact without a disposition,
// something left behind without an allowed reason, a disposition missing what it
// must say.
func (l *Ledger) Problems() []string {
	var out []string
	for _, e := range l.Entries {
		switch {
		case e.Unaccounted:
			out = append(out, e.ID+": no disposition")
		case e.Disposition == Left && !slices.Contains(Reasons, e.Reason):
			out = append(out, e.ID+": left without an allowed reason ("+string(e.Reason)+")")
		case e.Disposition == Left && strings.TrimSpace(e.Why) == "":
			out = append(out, e.ID+": left without saying why")
		case e.Disposition == Carried && e.Role == "":
			out = append(out, e.ID+": carried by no role")
		case e.Disposition == Translated && (e.To == "" || e.Why == ""):
			out = append(out, e.ID+": translated without saying into what and why")
		case e.Disposition == Data && e.How == "":
			out = append(out, e.ID+": data without saying how it moves")
		case e.Disposition == Todo && e.Decide == "":
			out = append(out, e.ID+": a todo without saying what to decide")
		}
	}
	return out
}
