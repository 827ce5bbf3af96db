// Package packages surveys the installed packages from the rpm, dpkg and apk
// databases, and says which package manager rules the host.
//
// Each database is read by a pure parser (parseRPMQA, parseDpkgStatus,
// parseAPKInstalled) over the evidence item's text; the surveyor only fetches items,
// decides which manager rules, and turns the items' fates into coverage. On dpkg
// hosts apt's auto marks (parseExtendedStates) and the status file's Priority,
// Essential and Depends tell why each package is installed (intent.go).
package packages

import (
	"fmt"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Evidence items, as named in internal/probe/plan.go.
const (
	itemRPMQA      = "rpm-qa"
	itemDpkgStatus = "/var/lib/dpkg/status"
	itemDpkgTimes  = "dpkg-list-mtimes"
	itemAptStates  = "/var/lib/apt/extended_states"
	itemAPK        = "/lib/apk/db/installed"
)

// parsed is what a parser made of one database.
type parsed struct {
	pkgs []snapshot.Package
	// unit is what bad counts: "line" for rpm -qa, "stanza" for dpkg and apk.
	unit string
	// bad counts units that could not be read; badLines, stray lines inside units
	// that were read all the same.
	bad, badLines int
	// notes are facts about what is deliberately not listed.
	notes []string
}

// source is one package database and what became of it.
type source struct {
	manager string
	label   string // short name for reasons; a cmd item's Source is the whole command
	item    *evidence.Item
	parse   func(string) parsed
	read    bool
	res     parsed
}

// Surveyor fills snapshot.Packages, the packages section's coverage and, when the
// OS surveyor has not, the OS's package manager.
type Surveyor struct{}

// New returns the packages surveyor.
func New() *Surveyor { return &Surveyor{} }

// Name names the surveyor.
func (*Surveyor) Name() string { return "packages" }

// Survey reads every package database the probe brought back. The one listing the
// most packages rules the host; the others' packages are listed too, under their own
// manager, because rpm installed on Debian for a vendor's tool is real and worth
// knowing when the host is rebuilt.
func (*Surveyor) Survey(in *kit.Input) {
	srcs := []*source{
		{manager: "rpm", label: "rpm -qa", item: in.Cmd(itemRPMQA), parse: parseRPMQA},
		{manager: "dpkg", label: itemDpkgStatus, item: in.File(itemDpkgStatus), parse: parseDpkgStatus},
		{manager: "apk", label: itemAPK, item: in.File(itemAPK), parse: parseAPKInstalled},
	}
	var ruler *source
	total := 0
	for _, s := range srcs {
		if !readable(s.item) {
			continue
		}
		s.read, s.res = true, s.parse(wholeLines(s.item))
		total += len(s.res.pkgs)
		if len(s.res.pkgs) > 0 && (ruler == nil || len(s.res.pkgs) > len(ruler.res.pkgs)) {
			ruler = s
		}
	}

	// dpkg keeps no install time; the time its file list was written is the next best.
	// Nor does it keep why a package is there; apt's marks do.
	var times, marks *evidence.Item
	var marksNote string
	if dpkg := srcs[1]; len(dpkg.res.pkgs) > 0 {
		if it := in.Cmd(itemDpkgTimes); readable(it) {
			if m, _ := parseDpkgListMtimes(wholeLines(it)); applyDpkgTimes(dpkg.res.pkgs, m) > 0 {
				times = it
				in.Cite(it)
			}
		}
		marks, marksNote = markIntents(in, dpkg.res.pkgs)
	}

	pkgs := make([]snapshot.Package, 0, total)
	for _, s := range srcs {
		if len(s.res.pkgs) == 0 {
			continue
		}
		id := in.Cite(s.item)
		for i := range s.res.pkgs {
			s.res.pkgs[i].Manager, s.res.pkgs[i].Evidence = s.manager, id
		}
		pkgs = append(pkgs, s.res.pkgs...)
	}
	sort.SliceStable(pkgs, func(i, j int) bool {
		a, b := &pkgs[i], &pkgs[j]
		switch {
		case a.Name != b.Name:
			return a.Name < b.Name
		case a.Arch != b.Arch:
			return a.Arch < b.Arch
		case a.Manager != b.Manager:
			return a.Manager < b.Manager
		case a.Version != b.Version:
			return a.Version < b.Version
		}
		return a.Release < b.Release
	})
	in.Snap.Packages = pkgs
	if ruler != nil && in.Snap.OS.PackageManager == "" {
		in.Snap.OS.PackageManager = ruler.manager
	}
	cover(in, srcs, ruler, marksNote, times, marks)
}

// cover sets the packages section's coverage. The ruling database decides it, with
// one exception: a database that exists but could not be read (denied, timed out,
// rpm failing) may hold packages nobody listed, so the section is then partial. A
// database that is simply not there (rpm on Debian) changes nothing. The note says
// what apt's marks could not tell; extra are items behind facts beside the list.
func cover(in *kit.Input, srcs []*source, ruler *source, note string, extra ...*evidence.Item) {
	var failed, read []*evidence.Item
	for _, s := range srcs {
		switch {
		case s.read:
			read = append(read, s.item)
		case !notThere(s.item):
			failed = append(failed, s.item)
		}
	}

	if ruler == nil {
		all := []*evidence.Item{srcs[0].item, srcs[1].item, srcs[2].item}
		switch {
		case len(failed) > 0:
			st, _ := kit.Failure(failed...)
			reason := kit.Explain(failed...)
			for _, s := range srcs {
				if s.read {
					reason += "; " + emptyDatabase(s)
				}
			}
			in.Cover(snapshot.SectionPackages, st, reason, append(failed, read...)...)
		case len(read) > 0:
			var said []string
			for _, s := range srcs {
				if s.read {
					said = append(said, emptyDatabase(s))
				}
			}
			// Every Linux has packages: an empty database beside no other means a
			// package manager trowel does not read (pacman, portage, none at all).
			in.Cover(snapshot.SectionPackages, snapshot.Unavailable,
				strings.Join(said, "; ")+"; no other package database was found: this host's packages are not managed by rpm, dpkg or apk",
				read...)
		default:
			in.Cover(snapshot.SectionPackages, snapshot.Unavailable,
				"no package database was found: "+kit.Explain(all...), all...)
		}
		return
	}

	st := snapshot.Collected
	var reasons []string
	cited := []*evidence.Item{ruler.item}
	partial := func(why string) {
		st = snapshot.Partial
		reasons = append(reasons, why)
	}
	listed := []*source{ruler}
	for _, s := range srcs {
		// A database with nothing to list but garbage is as telling as one with packages.
		if s != ruler && (len(s.res.pkgs) > 0 || s.res.bad > 0 || s.res.badLines > 0) {
			listed = append(listed, s)
			cited = append(cited, s.item)
		}
	}
	for _, s := range listed {
		if !complete(s.item) {
			partial(cutShort(s.item))
		}
		if n := s.res.bad; n > 0 {
			partial(fmt.Sprintf("%s of %s could not be read", plural(n, s.res.unit, s.res.unit+"s"), s.label))
		}
		if n := s.res.badLines; n > 0 {
			partial(fmt.Sprintf("%s of %s could not be read (the file may be damaged)", plural(n, "line", "lines"), s.label))
		}
	}
	for _, it := range failed {
		partial(it.Problem() + "; packages it manages, if any, are not listed")
		cited = append(cited, it)
	}
	for _, s := range listed[1:] {
		if len(s.res.pkgs) > 0 {
			reasons = append(reasons, fmt.Sprintf("%s manages this host (%d packages); %s also lists %s",
				ruler.manager, len(ruler.res.pkgs), s.manager, plural(len(s.res.pkgs), "package", "packages")))
		}
	}
	for _, s := range srcs {
		reasons = append(reasons, s.res.notes...)
	}
	if note != "" {
		reasons = append(reasons, note)
	}
	in.Cover(snapshot.SectionPackages, st, strings.Join(reasons, "; "), append(cited, extra...)...)
}

// readable reports whether an item has content to parse. This is wider than
// kit.Usable: rpm stopped by the watchdog, or failing half-way on a damaged database,
// still printed packages worth keeping, and the section then says it is partial.
func readable(it *evidence.Item) bool {
	switch it.Status {
	case evidence.StatusOK:
		return it.Kind != evidence.KindCmd || it.RC == 0 || len(it.Data) > 0
	case evidence.StatusTimeout, evidence.StatusCut:
		return len(it.Data) > 0
	}
	return false
}

// complete reports whether a readable item holds everything its source had to say.
func complete(it *evidence.Item) bool {
	return it.Status == evidence.StatusOK && !it.Truncated && (it.Kind != evidence.KindCmd || it.RC == 0)
}

// notThere reports whether the probe looked and found no such database (or, in a
// complete archive, never looked): normal for every manager but the host's own.
func notThere(it *evidence.Item) bool {
	return it.Status == evidence.StatusAbsent || it.Status == evidence.StatusMissing
}

// wholeLines is an item's text without the unfinished line an item cut short ends
// with: half a line would read as garbage, or worse as a package with half a name.
func wholeLines(it *evidence.Item) string {
	text := it.Text()
	if complete(it) || strings.HasSuffix(text, "\n") {
		return text
	}
	return text[:strings.LastIndexByte(text, '\n')+1]
}

// cutShort says why a readable item is not the whole story.
func cutShort(it *evidence.Item) string {
	if it.Truncated || it.Status == evidence.StatusCut {
		_, why := kit.StatusOf(it)
		return why
	}
	return it.Problem() + "; what it printed before is listed"
}

// emptyDatabase describes a database that was read and listed no package.
func emptyDatabase(s *source) string {
	if n := s.res.bad; n > 0 {
		return fmt.Sprintf("%s lists no packages: %s could not be read", s.label, plural(n, s.res.unit, s.res.unit+"s"))
	}
	if !complete(s.item) {
		return s.label + " lists no packages: " + cutShort(s.item)
	}
	return s.label + " lists no packages"
}

// stanzaLines walks a database written as stanzas of "Field: value" lines (dpkg's
// status, apt's extended_states, apk's installed): each line without its "\r"
// goes to line, and end is called where a blank line ends a stanza and once at
// the end of the text.
func stanzaLines(text string, line func(string), end func()) {
	for text != "" {
		var l string
		l, text, _ = strings.Cut(text, "\n")
		l = strings.TrimSuffix(l, "\r")
		if strings.TrimSpace(l) == "" {
			end()
			continue
		}
		line(l)
	}
	end()
}
