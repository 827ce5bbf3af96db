package packages

import (
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// dpkgStanza holds the fields of one status stanza this surveyor uses. The values
// are substrings of the input: a status file of thousands of packages is parsed
// without a map or a copy per stanza.
type dpkgStanza struct {
	pkg, status, version, arch, source, maintainer, origin string
	priority, essential, depends, preDepends, provides     string
	// fields counts the lines seen, junk those that were not fields.
	fields, junk int
}

// parseDpkgStatus reads /var/lib/dpkg/status: stanzas of "Field: value" lines
// separated by blank lines, a value going on over lines that begin with a space or
// a tab (Description, Conffiles). Only packages whose files are installed and
// configured are packages; removed packages that left their configuration files
// behind, and packages dpkg stopped half-way through, are counted in notes.
func parseDpkgStatus(text string) parsed {
	r := parsed{unit: "stanza", pkgs: make([]snapshot.Package, 0, strings.Count(text, "\nPackage:")+1)}
	var leftovers, unfinished int
	var st dpkgStanza
	var rels []dpkgRelations
	flush := func() {
		if st.fields == 0 {
			return
		}
		p, state, ok := st.toPackage()
		if ok {
			r.badLines += st.junk
		}
		switch {
		case !ok:
			r.bad++
		case state == "installed":
			r.pkgs = append(r.pkgs, p)
			rels = append(rels, dpkgRelations{depends: joinRelations(st.preDepends, st.depends), provides: st.provides})
		case state == "config-files":
			leftovers++
		case state == "half-installed" || state == "unpacked" || state == "half-configured":
			unfinished++
		}
		st = dpkgStanza{}
	}
	stanzaLines(text, func(line string) {
		if line[0] == ' ' || line[0] == '\t' {
			return // the rest of a multi-line value, none of which is needed here
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			// Not a field: the line is dropped, and the stanza kept if it still
			// makes sense without it.
			st.fields++
			st.junk++
			return
		}
		value = strings.TrimSpace(value)
		if name == "Package" && st.pkg != "" {
			// Two stanzas run together (their blank line lost): keep both.
			r.badLines++
			flush()
		}
		st.fields++
		switch name {
		case "Package":
			st.pkg = value
		case "Status":
			st.status = value
		case "Version":
			st.version = value
		case "Architecture":
			st.arch = value
		case "Source":
			st.source = value
		case "Maintainer":
			st.maintainer = value
		case "Origin":
			st.origin = value
		case "Priority":
			st.priority = value
		case "Essential":
			st.essential = value
		case "Depends":
			st.depends = value
		case "Pre-Depends":
			st.preDepends = value
		case "Provides":
			st.provides = value
		}
	}, flush)
	baseClosure(r.pkgs, rels)
	if leftovers > 0 {
		r.notes = append(r.notes, plural(leftovers, "removed package", "removed packages")+" left configuration files behind (dpkg state config-files); they are not listed")
	}
	if unfinished > 0 {
		r.notes = append(r.notes, plural(unfinished, "package is", "packages are")+" only partly installed or not configured (dpkg states half-installed, unpacked, half-configured); they are not listed")
	}
	return r
}

// toPackage turns a stanza into a package. The state is the third word of Status; ok is
// false when the stanza is not one dpkg would have written.
func (st *dpkgStanza) toPackage() (p snapshot.Package, state string, ok bool) {
	want, rest, _ := strings.Cut(st.status, " ")
	flag, state, _ := strings.Cut(rest, " ")
	if st.pkg == "" || want == "" || flag == "" || state == "" || strings.Contains(state, " ") {
		return p, "", false
	}
	switch state {
	case "installed", "triggers-awaited", "triggers-pending":
		// Awaiting triggers, a package is configured and its files are in place.
		state = "installed"
	case "config-files", "half-installed", "unpacked", "half-configured", "not-installed":
		return p, state, true
	default:
		return p, "", false
	}
	p.Epoch, p.Version, p.Release = splitDebianVersion(st.version)
	if p.Version == "" {
		return p, "", false
	}
	p.Name = st.pkg
	p.Arch = st.arch
	// Without a Source field the source package has the binary package's name.
	p.Source = st.pkg
	if st.source != "" {
		// "Source: util-linux (2.38.1-5)" when the versions differ.
		p.Source, _, _ = strings.Cut(st.source, " ")
	}
	p.Origin = st.maintainer
	if st.origin != "" {
		p.Origin = st.origin
	}
	p.Intent, p.IntentSource = st.baseIntent()
	return p, state, true
}

// baseIntent says whether the stanza makes the package part of the base system:
// debootstrap installs every package of Priority required and important, and dpkg
// refuses to remove an Essential one, so no administrator chose them. apt's marks,
// read later, may still say one came in as a dependency.
func (st *dpkgStanza) baseIntent() (intent, source string) {
	switch {
	case st.priority == "required" || st.priority == "important":
		return intentBase, "Priority: " + st.priority
	case st.essential == "yes":
		return intentBase, "Essential: yes"
	}
	return "", ""
}

// splitDebianVersion splits [epoch:]upstream[-revision]; the revision goes to
// Release, as rpm's release does, so version-release reads back as dpkg prints it.
func splitDebianVersion(v string) (epoch *int, version, revision string) {
	if e, rest, ok := strings.Cut(v, ":"); ok {
		if n, err := strconv.ParseUint(e, 10, 31); err == nil {
			epoch, v = snapshot.Int(int(n)), rest
		}
	}
	if i := strings.LastIndexByte(v, '-'); i > 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

// parseDpkgListMtimes reads the probe's `stat -c '%Y %n' -- *.list` run in
// /var/lib/dpkg/info: the time each package's file list was last written, which is
// when dpkg last installed or upgraded it. The key is the file's name without .list:
// "bash", or "libc6:amd64" for a Multi-Arch: same package.
func parseDpkgListMtimes(text string) (times map[string]time.Time, bad int) {
	times = make(map[string]time.Time, strings.Count(text, "\n")+1)
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		sec, file, ok := strings.Cut(line, " ")
		name, isList := strings.CutSuffix(file, ".list")
		n, err := strconv.ParseInt(sec, 10, 64)
		if !ok || !isList || name == "" || err != nil || n <= 0 {
			bad++
			continue
		}
		times[name] = time.Unix(n, 0).UTC()
	}
	return times, bad
}

// applyDpkgTimes sets install times from the file lists' times and returns how many
// packages got one.
func applyDpkgTimes(pkgs []snapshot.Package, times map[string]time.Time) int {
	n := 0
	for i := range pkgs {
		p := &pkgs[i]
		t, ok := times[p.Name+":"+p.Arch]
		if !ok {
			t, ok = times[p.Name]
		}
		if ok {
			p.InstallTime = &t
			n++
		}
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
