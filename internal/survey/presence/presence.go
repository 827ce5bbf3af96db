// Package presence decides whether a kind of server software is on the host, for
// every middleware surveyor: one decision over every kind of evidence. Software is
// present when any trace of it is there: its package, its program on disk, its init
// script or unit, its configuration, its data directory. It is absent only when
// every one of those was looked for and none is there; anything short of that proof
// leaves it unknown. Old hosts are full of software the package database never
// listed (a MySQL from a tarball, a td-agent from its own repository), so the
// package database alone never proves absence.
package presence

import (
	"path"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Verdict is what the evidence says of a trace, or of the software as a whole.
type Verdict int

const (
	Unknown Verdict = iota // it could not be looked for
	Present                // it is there
	Absent                 // it was looked for and is not there
)

// The kinds of trace, in the order reasons name them. Absence needs each kind a
// decision looks at to have been looked for.
const (
	KindPackage = "package"
	KindProgram = "program"
	KindService = "init script or unit"
	KindConfig  = "configuration"
	KindData    = "data directory"
)

var kinds = []string{KindPackage, KindProgram, KindService, KindConfig, KindData}

// Clue is one trace looked for.
type Clue struct {
	Kind string
	// What names it: "package mysql-server 5.0.95-5.el5", "program
	// /usr/local/mysql/bin/mysqld (no package owns it)", or for an absent clue
	// what was looked for.
	What string
	Seen Verdict
	Why  string         // why it could not be looked for, when Seen is Unknown
	Item *evidence.Item // the evidence, when an item shows it
	Ref  string         // or the evidence ID of a fact another surveyor found
	// Shared marks a trace other software leaves too (my.cnf, which every MySQL
	// client library ships and reads): there, it keeps absence from being proven,
	// but it proves no server.
	Shared bool
}

// Spec is what a surveyor knows of its software beyond what Decide looks up itself
// (its packages, programs on disk and services, by the role distro gives it).
type Spec struct {
	Role string // distro's role: mysql, postgresql, postfix ...
	Name string // what it is, for reasons: "a MySQL or MariaDB server"
	// Programs are commands that ran the program (mysqld --version): one that ran
	// shows it installed, one whose program was found nowhere shows it absent.
	Programs []*evidence.Item
	// Configs are its configuration files or directories; SharedConfigs those
	// client libraries ship and read too; Data clues about its data directories,
	// as the surveyor read them (see DataClue). A kind the spec leaves empty is
	// not looked at.
	Configs       []*evidence.Item
	SharedConfigs []*evidence.Item
	Data          []Clue
}

// Decision is the verdict and every clue behind it.
type Decision struct {
	Spec    Spec
	Verdict Verdict
	Clues   []Clue
}

// Decide looks at every kind of trace of the software.
func Decide(in *kit.Input, s Spec) Decision {
	d := Decision{Spec: s}
	d.Clues = append(d.Clues, packageClues(in, s.Role)...)
	d.Clues = append(d.Clues, programClues(in, s)...)
	d.Clues = append(d.Clues, serviceClues(in, s.Role)...)
	for _, it := range s.Configs {
		d.Clues = append(d.Clues, FileClue(KindConfig, it))
	}
	for _, it := range s.SharedConfigs {
		c := FileClue(KindConfig, it)
		c.Shared = true
		d.Clues = append(d.Clues, c)
	}
	d.Clues = append(d.Clues, s.Data...)
	d.Verdict = verdict(d.Clues)
	return d
}

func verdict(clues []Clue) Verdict {
	looked := map[string]bool{}
	unknown := false
	for _, c := range clues {
		switch {
		case c.Seen == Present && !c.Shared:
			return Present
		case c.Seen == Absent:
			looked[c.Kind] = true
		default:
			unknown = true
		}
	}
	if unknown {
		return Unknown
	}
	// Package, program and service are always looked for; a kind with no clue at
	// all (an older probe that did not look) leaves absence unproven.
	for _, k := range []string{KindPackage, KindProgram, KindService} {
		if !looked[k] {
			return Unknown
		}
	}
	return Absent
}

// FileClue is the clue of a configuration file or directory item: read (or there
// but unreadable: denied is still there), absent, or not looked at.
func FileClue(kind string, it *evidence.Item) Clue {
	c := Clue{Kind: kind, Item: it, What: it.Name}
	switch {
	case kit.Usable(it):
		c.Seen = Present
	case it.Status == evidence.StatusAbsent:
		c.Seen = Absent
	case it.Status == evidence.StatusDenied || it.Status == evidence.StatusNotFile:
		// Something is there, though it could not be read.
		c.Seen, c.What = Present, it.Name+" (unreadable)"
	default:
		c.Why = it.Problem()
	}
	return c
}

// DataClue is the clue of a data directory: present, absent (missing is true: the
// probe found no such directory), or not looked at (the item says why).
func DataClue(it *evidence.Item, dir string, present, missing bool) Clue {
	c := Clue{Kind: KindData, What: dir, Item: it}
	switch {
	case present:
		c.Seen = Present
	case missing:
		c.Seen = Absent
	default:
		c.Why = it.Problem()
		if c.Why == "" {
			c.Why = dir + " could not be listed"
		}
	}
	return c
}

func packageClues(in *kit.Input, role string) []Clue {
	var pats []string
	for _, p := range distro.RolePackages(role) {
		pats = append(pats, p.Pattern)
	}
	if len(pats) == 0 {
		return nil
	}
	var out []Clue
	for _, p := range Packages(in.Snap, pats...) {
		out = append(out, Clue{Kind: KindPackage, What: "package " + p.Name + " " + p.FullVersion(), Seen: Present, Ref: p.Evidence})
	}
	if len(out) > 0 {
		return out
	}
	c := Clue{Kind: KindPackage, What: strings.Join(pats, ", ")}
	if PackagesKnown(in.Snap) {
		c.Seen = Absent
	} else {
		c.Why = "the package list is incomplete"
	}
	return []Clue{c}
}

func programClues(in *kit.Input, s Spec) []Clue {
	names := distro.Programs(s.Role)
	var out []Clue
	tr := in.Cmd("software-traces")
	switch {
	case kit.Usable(tr):
		for _, t := range ParseTraces(tr.Text()) {
			if t.Kind == "program" && slices.Contains(names, path.Base(t.Path)) {
				out = append(out, Clue{Kind: KindProgram, What: "program " + t.Path + ownedBy(t.Owner), Seen: Present, Item: tr})
			}
		}
		if len(out) == 0 {
			out = append(out, Clue{Kind: KindProgram, What: strings.Join(names, ", ") + " in the program directories", Seen: Absent, Item: tr})
		}
	case tr.Status == evidence.StatusMissing:
		// An older probe did not look: the version commands speak alone.
	default:
		out = append(out, Clue{Kind: KindProgram, What: strings.Join(names, ", "), Item: tr, Why: tr.Problem()})
	}
	for _, it := range s.Programs {
		c := Clue{Kind: KindProgram, What: it.Source(), Item: it}
		switch {
		case notInstalled(it):
			c.Seen = Absent
		case it.Status == evidence.StatusOK || it.Status == evidence.StatusTimeout:
			// It ran, whatever it answered: the program is there.
			c.Seen, c.What = Present, "program run by "+it.Source()
		case it.Status == evidence.StatusOffline:
			continue // a disk cannot run it; software-traces looked on the disk
		case it.Status == evidence.StatusMissing:
			continue // not run, in a whole archive: a fallback whose first choice worked
		default:
			c.Why = it.Problem()
		}
		out = append(out, c)
	}
	return out
}

func ownedBy(owner string) string {
	switch owner {
	case "":
		return " (no package owns it)"
	case "?":
		return ""
	}
	return " (package " + owner + ")"
}

// notInstalled reports whether a command item proves its program is not installed:
// the probe found no such program (status absent), or _data_run looked in PATH,
// sbin and libexec and exited 127 without output.
func notInstalled(it *evidence.Item) bool {
	if it.Status == evidence.StatusAbsent {
		return true
	}
	return it.Status == evidence.StatusOK && it.RC == 127 && len(strings.TrimSpace(string(it.Data))) == 0
}

func serviceClues(in *kit.Input, role string) []Clue {
	var out []Clue
	for _, sv := range in.Snap.Services {
		if !distro.SameService(sv.Name, role) {
			continue
		}
		c := Clue{Kind: KindService, What: serviceWhat(sv), Seen: Present}
		if len(sv.Evidence) > 0 {
			c.Ref = sv.Evidence[0]
		}
		out = append(out, c)
	}
	if len(out) > 0 {
		return out
	}
	c := Clue{Kind: KindService, What: "no init script or unit"}
	switch cov := in.Snap.Coverage[snapshot.SectionServices]; cov.Status {
	case snapshot.Collected, snapshot.Partial:
		// Partial offline still lists every script and unit; only what runs
		// is unknown there.
		c.Seen = Absent
	case "":
		c.Why = "the services were not surveyed"
	default:
		c.Why = "the services section is " + string(cov.Status) + " (see there why)"
	}
	return []Clue{c}
}

// serviceWhat names a service and how it starts: "init script /etc/init.d/mysqld,
// starts at boot (runlevels 345)".
func serviceWhat(sv snapshot.Service) string {
	what := "unit " + sv.Name
	if sv.Init == "sysv" {
		what = "init script " + cmpOr(sv.Path, "/etc/init.d/"+sv.Name)
	} else if sv.Init != "systemd" {
		what = sv.Init + " job " + sv.Name
	}
	switch {
	case sv.Enabled == nil:
	case *sv.Enabled && sv.Init == "sysv" && sv.EnabledState != "":
		what += ", starts at boot (runlevels " + sv.EnabledState + ")"
	case *sv.Enabled:
		what += ", starts at boot"
	default:
		what += ", does not start at boot"
	}
	return what
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Found is the clues that show the software there.
func (d Decision) Found() []Clue {
	var out []Clue
	for _, c := range d.Clues {
		if c.Seen == Present && !c.Shared {
			out = append(out, c)
		}
	}
	return out
}

// Presence is what shows the software installed, one phrase per trace, for a
// snapshot's presence field.
func (d Decision) Presence() []string {
	var out []string
	for _, c := range d.Found() {
		w := c.What
		if c.Kind == KindConfig || c.Kind == KindData {
			w = c.Kind + " " + w
		}
		out = snapshot.AppendNew(out, w)
	}
	return out
}

// Items are the evidence items the decision looked at.
func (d Decision) Items() []*evidence.Item {
	var out []*evidence.Item
	for _, c := range d.Clues {
		if c.Item != nil && !slices.Contains(out, c.Item) {
			out = append(out, c.Item)
		}
	}
	return out
}

// Reason says why the software is absent ("not installed: no package (...), no
// program (...), no init script or unit, no configuration (...), no data directory
// (...)") or why that is not known.
func (d Decision) Reason() string {
	if d.Verdict == Absent {
		var parts []string
		for _, k := range kinds {
			var what []string
			for _, c := range d.Clues {
				if c.Kind == k && c.Seen == Absent && c.What != "no init script or unit" {
					what = snapshot.AppendNew(what, c.What)
				}
			}
			switch {
			case k == KindService && d.has(k):
				parts = append(parts, "no init script or unit")
			case len(what) > 0:
				parts = append(parts, "no "+k+" ("+strings.Join(what, "; ")+")")
			}
		}
		return "not installed: " + strings.Join(parts, ", ")
	}
	var why []string
	for _, c := range d.Clues {
		switch {
		case c.Seen == Present && c.Shared:
			why = snapshot.AppendNew(why, "the "+c.Kind+" "+c.What+" is there, which client software ships and reads too")
		case c.Seen == Unknown:
			why = snapshot.AppendNew(why, c.Kind+": "+c.Why)
		}
	}
	if len(why) == 0 {
		why = append(why, "not every kind of trace was looked for (an older probe)")
	}
	return "whether " + d.Spec.Name + " is installed is not known: no package, program, init script or data directory of it was found, but " + strings.Join(why, "; ")
}

// sharedOnly: nothing was left unlooked at, and the only traces are shared ones.
func (d Decision) sharedOnly() bool {
	shared := false
	for _, c := range d.Clues {
		if c.Seen == Unknown {
			return false
		}
		shared = shared || c.Shared && c.Seen == Present
	}
	return shared
}

func (d Decision) has(kind string) bool {
	return slices.ContainsFunc(d.Clues, func(c Clue) bool { return c.Kind == kind })
}

// Cover sets the coverage of a section whose software is absent (not applicable,
// with the proof) or not known to be there (the weakest status of what could not
// be looked at), and reports whether it did: a surveyor goes on only with software
// that is present.
func (d Decision) Cover(in *kit.Input, sec snapshot.Section) bool {
	switch d.Verdict {
	case Absent:
		in.Cover(sec, snapshot.NotApplicable, d.Reason(), d.Items()...)
		return true
	case Unknown:
		st := snapshot.Unavailable
		if d.sharedOnly() {
			// Everything was looked at; what was found is told, and proves nothing.
			st = snapshot.Partial
		}
		var unread []snapshot.Status
		for _, c := range d.Clues {
			if c.Seen == Unknown && c.Item != nil {
				s, _ := kit.StatusOf(c.Item)
				unread = append(unread, s)
			}
		}
		if s := kit.MostTelling(unread...); kit.Telling(s) {
			st = s
		}
		in.Cover(sec, st, d.Reason(), d.Items()...)
		return true
	}
	return false
}

// Packages returns the installed packages whose names match one of the shell
// patterns ("mariadb-server*" matches mariadb-server-10.5).
func Packages(s *snapshot.Snapshot, names ...string) []snapshot.Package {
	var out []snapshot.Package
	for _, p := range s.Packages {
		for _, n := range names {
			if ok, _ := path.Match(n, p.Name); ok {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// PackagesKnown reports whether the package list is complete enough for the absence
// of a package to mean something.
func PackagesKnown(s *snapshot.Snapshot) bool {
	return s.Coverage[snapshot.SectionPackages].Status == snapshot.Collected
}

// Service returns the name of the first service known under one of the names.
func Service(s *snapshot.Snapshot, names ...string) string {
	for _, n := range names {
		for _, sv := range s.Services {
			if sv.Name == n || sv.Name == n+".service" {
				return sv.Name
			}
		}
	}
	return ""
}
