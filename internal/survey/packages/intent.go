package packages

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Intents, as snapshot.Package.Intent records them. Only dpkg hosts get one: rpm
// keeps no mark of what was asked for (yum history is another database, not read),
// and apk's world file is not read either, so their packages keep "" (nothing tells).
const (
	intentManual     = "manual"
	intentDependency = "dependency"
	intentBase       = "base"
)

// aptMarkSource is what tells a package's intent when apt's marks do.
const aptMarkSource = "apt-mark (extended_states)"

// aptMarks is what /var/lib/apt/extended_states says: apt-mark's auto marks, keyed
// "name:arch", or "name" for a stanza without Architecture (apt before multi-arch).
// A package apt installed on request has no stanza, or one with Auto-Installed: 0.
type aptMarks struct {
	auto map[string]bool
	// byName holds, for each name, whether any of its stanzas marks it auto: apt
	// records an Architecture: all package under the native architecture, which the
	// status file does not name.
	byName map[string]bool
}

// parseExtendedStates reads extended_states: stanzas of "Package:", "Architecture:"
// and "Auto-Installed: 0|1" in any order, separated by blank lines. Other fields
// (aptitude once wrote some) are ignored; bad counts stanzas without a name or with
// an Auto-Installed value that is neither 0 nor 1.
func parseExtendedStates(text string) (marks aptMarks, bad int) {
	marks = aptMarks{auto: map[string]bool{}, byName: map[string]bool{}}
	var name, arch, auto string
	var fields int
	flush := func() {
		switch {
		case fields == 0:
		case name == "" || (auto != "" && auto != "0" && auto != "1"):
			bad++
		default:
			key := name
			if arch != "" {
				key += ":" + arch
			}
			isAuto := auto == "1"
			marks.auto[key] = isAuto
			marks.byName[name] = marks.byName[name] || isAuto
		}
		name, arch, auto, fields = "", "", "", 0
	}
	stanzaLines(text, func(line string) {
		fields++
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch field {
		case "Package":
			if name != "" {
				// Two stanzas run together (their blank line lost): keep both.
				flush()
				fields = 1
			}
			name = value
		case "Architecture":
			arch = value
		case "Auto-Installed":
			auto = value
		}
	}, flush)
	return marks, bad
}

// isAuto says whether apt marked the package auto, and whether any stanza names it.
func (m aptMarks) isAuto(name, arch string) (auto, listed bool) {
	if a, ok := m.auto[name+":"+arch]; ok {
		return a, true
	}
	if a, ok := m.auto[name]; ok {
		return a, true
	}
	if arch == "all" {
		a, ok := m.byName[name]
		return a, ok
	}
	return false, false
}

// applyAptMarks gives each dpkg package its intent from apt's marks: auto is a
// dependency even of the base system; otherwise the base system stays base (told by
// the status file) and the rest was asked for. When the marks are not the whole
// file (cut short), a package they do not name may be marked in the part lost, so
// only what they name is told. It returns how many packages the marks told.
func applyAptMarks(pkgs []snapshot.Package, m aptMarks, whole bool) int {
	n := 0
	for i := range pkgs {
		p := &pkgs[i]
		auto, listed := m.isAuto(p.Name, p.Arch)
		switch {
		case auto:
			p.Intent, p.IntentSource = intentDependency, aptMarkSource
		case p.Intent == intentBase:
			continue
		case listed || whole:
			p.Intent, p.IntentSource = intentManual, aptMarkSource
		default:
			continue
		}
		n++
	}
	return n
}

// markIntents reads apt's marks for the dpkg packages. It returns the item when its
// marks told something (to be cited), and a note for the coverage when they could
// not tell everything. Without the file nothing tells what was asked for: a host
// whose apt never marked a package has none either, and that is no proof that every
// package was chosen.
func markIntents(in *kit.Input, pkgs []snapshot.Package) (*evidence.Item, string) {
	it := in.File(itemAptStates)
	const untold = "whether each package outside the base system was installed on purpose or as a dependency is not told"
	if !readable(it) {
		return nil, untold + " (" + it.Problem() + ")"
	}
	marks, bad := parseExtendedStates(wholeLines(it))
	whole := complete(it) && bad == 0
	var cited *evidence.Item
	if applyAptMarks(pkgs, marks, whole) > 0 {
		cited = it
	}
	const unnamed = "for packages outside the base system that " + itemAptStates + " does not name, whether they were installed on purpose or as dependencies is not told"
	switch {
	case !complete(it):
		return cited, unnamed + " (" + cutShort(it) + ")"
	case bad > 0:
		return cited, unnamed + " (" + plural(bad, "stanza", "stanzas") + " could not be read)"
	}
	return cited, ""
}

// dpkgRelations are the relation fields of one installed package, as the status
// file writes them.
type dpkgRelations struct{ depends, provides string }

func joinRelations(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + ", " + b
}

// baseClosure extends the base system to what it depends on: debootstrap installs
// the libraries of its required and important packages without an apt mark (they
// are Priority optional), so on a host built by debootstrap or the installer they
// would otherwise read as asked for. Only a dependency that one installed package
// alone satisfies is followed; of alternatives both installed, none is the base
// system's choice. pkgs and rels are parallel.
func baseClosure(pkgs []snapshot.Package, rels []dpkgRelations) {
	byName := map[string][]int{}
	for i, p := range pkgs {
		byName[p.Name] = append(byName[p.Name], i)
	}
	for i := range rels {
		for _, v := range relationNames(rels[i].provides) {
			if v != pkgs[i].Name {
				byName[v] = append(byName[v], i)
			}
		}
	}
	var queue []int
	for i, p := range pkgs {
		if p.Intent == intentBase {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, alts := range strings.Split(rels[i].depends, ",") {
			j, ok := onlyInstalled(pkgs, byName, pkgs[i].Arch, alts)
			if !ok || pkgs[j].Intent == intentBase {
				continue
			}
			pkgs[j].Intent, pkgs[j].IntentSource = intentBase, "depended on by "+pkgs[i].Name+", of the base system"
			queue = append(queue, j)
		}
	}
}

// onlyInstalled returns the one installed package satisfying a dependency's
// alternatives ("a (>= 1) | b:any"), false when none or several do. Versions are
// not compared: dpkg configured the package, so what is installed satisfied it.
func onlyInstalled(pkgs []snapshot.Package, byName map[string][]int, arch, alts string) (int, bool) {
	found := -1
	for _, name := range relationNames(strings.ReplaceAll(alts, "|", ",")) {
		for _, j := range sameArch(pkgs, byName[name], arch) {
			if found >= 0 && found != j {
				return 0, false
			}
			found = j
		}
	}
	return found, found >= 0
}

// sameArch narrows a name's installed instances to the depending package's
// architecture (or all) when the name is installed for several.
func sameArch(pkgs []snapshot.Package, idx []int, arch string) []int {
	if len(idx) < 2 {
		return idx
	}
	var same []int
	for _, j := range idx {
		if pkgs[j].Arch == arch || pkgs[j].Arch == "all" {
			same = append(same, j)
		}
	}
	if len(same) == 0 {
		return idx
	}
	return same
}

// relationNames lists the package names of a comma-separated relation field,
// without versions and architecture qualifiers ("libc6:any (>= 2.34)" is libc6).
func relationNames(field string) []string {
	var names []string
	for _, rel := range strings.Split(field, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(rel), " ")
		name, _, _ = strings.Cut(name, "(")
		name, _, _ = strings.Cut(name, ":")
		if name != "" {
			names = append(names, name)
		}
	}
	return names
}
