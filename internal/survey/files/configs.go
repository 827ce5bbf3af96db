package files

import (
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// manager is one package manager's evidence about /etc.
type manager struct {
	name                            string
	db                              *evidence.Item // dpkg status; nil for rpm
	sums, unowned, scripts, content *evidence.Item
}

// configs gathers one survey of the config files: what each manager said, and what
// the files' writers and packaged copies are.
type configs struct {
	in      *kit.Input
	list    []snapshot.ConfigFile
	byPath  map[string]int
	used    []*evidence.Item
	notes   []string
	worst   snapshot.Status
	expect  map[string]string // the digest a package database holds for a changed file
	ucf     UCF
	ucfSeen bool   // the registry was read
	ucfHash string // why ucf's hashfile was not read, or ""
	// ucfUnknown are the files ucf manages whose change is unknown, by why.
	ucfUnknown map[string][]string
	tsums      Sums // files-templates: generated files and their templates (dpkg)
	tsumsIt    *evidence.Item
}

func (c *configs) note(st snapshot.Status, why string) {
	c.worst = kit.WorseOf(c.worst, st)
	if why != "" {
		c.notes = append(c.notes, why)
	}
}

func (c *configs) add(cf snapshot.ConfigFile) {
	if i, ok := c.byPath[cf.Path]; ok {
		c.list[i].Evidence = snapshot.AppendNew(c.list[i].Evidence, cf.Evidence...)
		return
	}
	c.byPath[cf.Path] = len(c.list)
	c.list = append(c.list, cf)
}

func surveyConfigs(in *kit.Input) {
	status := in.File("/var/lib/dpkg/status")
	mgrs := []manager{}
	if kit.Usable(status) {
		mgrs = append(mgrs, manager{"dpkg", status, in.Cmd("files-dpkg-sums"), in.Cmd("files-dpkg-unowned"), in.Cmd("files-dpkg-scripts"), in.Cmd("files-dpkg-content")})
	}
	rpmSums := in.Cmd("files-rpm-sums")
	if kit.Usable(rpmSums) || in.Snap.OS.PackageManager == "rpm" {
		mgrs = append(mgrs, manager{"rpm", nil, rpmSums, in.Cmd("files-rpm-unowned"), in.Cmd("files-rpm-scripts"), in.Cmd("files-rpm-content")})
	}
	if len(mgrs) == 0 {
		st, _ := kit.StatusOf(status)
		if st == snapshot.Collected {
			st = snapshot.Unavailable
		}
		in.Cover(snapshot.SectionFiles, st, "no dpkg or rpm database was read, so no file can be told changed or unowned: "+
			kit.Explain(status, rpmSums), status, rpmSums)
		return
	}
	c := &configs{in: in, list: []snapshot.ConfigFile{}, byPath: map[string]int{}, worst: snapshot.Collected, expect: map[string]string{},
		ucfUnknown: map[string][]string{}}
	var installed map[string]bool
	if mgrs[0].name == "dpkg" {
		c.readDebian(status)
		installed = ParseInstalled(status.Text())
	}
	unowned := map[string]int{}
	readers := 0
	var unownedIDs []string
	for _, m := range mgrs {
		c.changed(m)
		if u, id, ok := c.readUnowned(m); ok {
			readers++
			unownedIDs = append(unownedIDs, id)
			for _, p := range u {
				unowned[p]++
			}
		}
	}
	// A file is unowned when every manager that listed /etc says so: on a Debian
	// host with rpm installed for a vendor tool, rpm owns none of dpkg's files.
	var paths []string
	for p, n := range unowned {
		if n == readers {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	scripts := c.readScripts(mgrs)
	for _, p := range paths {
		if noise(p) != "" {
			continue
		}
		c.unownedFile(p, unownedIDs, scripts, installed)
	}
	c.ucfMissing(installed)
	c.noteUCFUnknown()
	for _, m := range mgrs {
		c.contents(m)
	}
	for i := range c.list {
		cf := &c.list[i]
		if cf.Content == "" && cf.ContentNote == "" && cf.State != "missing" {
			cf.ContentNote = "not collected"
		}
	}
	sort.Slice(c.list, func(i, j int) bool { return c.list[i].Path < c.list[j].Path })
	in.Snap.Files.Configs = c.list
	in.Cover(snapshot.SectionFiles, c.worst, strings.Join(c.notes, "; "), c.used...)
}

// readDebian reads what only a dpkg host has: ucf's registry and hashfile, and the
// digests of the generated files and their templates. The registry alone says whose
// each file is; without the hashfile, whether it changed is unknown.
func (c *configs) readDebian(status *evidence.Item) {
	c.tsumsIt = c.in.Cmd("files-templates")
	c.tsums, _ = ParseSums(c.tsumsIt.Text())
	reg, hash := c.in.File(probe.UCFRegistry), c.in.File(probe.UCFHashfile)
	switch {
	case kit.Usable(reg):
		hashText := ""
		if kit.Usable(hash) {
			hashText = hash.Text()
		} else {
			_, why := kit.StatusOf(hash)
			c.ucfHash = "ucf's hashfile was not read (" + why + ")"
		}
		u, err := ParseUCF(reg.Text(), hashText)
		if err != nil {
			c.note(snapshot.Partial, "ucf's state files: "+err.Error())
		}
		c.ucf, c.ucfSeen = u, true
		c.used = append(c.used, reg, hash)
	case reg.Status == evidence.StatusAbsent || reg.Status == evidence.StatusMissing || reg.Status == evidence.StatusSkipped:
		// No ucf on this host (or an older probe): nothing it manages.
	default:
		st, why := kit.Worst(reg, hash)
		c.note(kit.WorseOf(st, snapshot.Partial), "which files ucf manages is unknown, so those show as unowned: "+why)
		c.used = append(c.used, reg, hash)
	}
}

// changed adds the files a manager's digests say were changed or removed.
func (c *configs) changed(m manager) {
	items := []*evidence.Item{m.sums, m.unowned}
	if m.db != nil {
		items = append([]*evidence.Item{m.db}, items...)
	}
	c.used = append(c.used, items...)
	if st, why := kit.Worst(items...); st != snapshot.Collected {
		c.note(st, m.name+": "+why)
	}
	if !kit.Usable(m.sums) {
		return
	}
	sums, err := ParseSums(m.sums.Text())
	if err != nil {
		c.note(snapshot.Partial, m.sums.Source()+": "+err.Error())
	}
	if !sums.Done {
		c.note(snapshot.Partial, m.sums.Source()+" did not run to its end")
	}
	if len(sums.Denied) > 0 {
		c.note(snapshot.Partial, strings.Join(sums.Denied, ", ")+": not readable, so not compared")
	}
	want := sums.Expected
	if m.db != nil {
		cfs, err := ParseConffiles(m.db.Text())
		if err != nil {
			c.note(snapshot.Partial, m.db.Source()+": "+err.Error())
		}
		want = map[string]Expected{}
		for p, e := range sums.Expected {
			want[p] = e
		}
		for _, cf := range cfs {
			if !cf.Obsolete && !cf.NewConffile {
				want[cf.Path] = Expected{Package: cf.Package, Digest: cf.MD5}
			}
		}
	}
	missing := map[string]bool{}
	for _, p := range sums.Missing {
		missing[p] = true
	}
	ev := []string{c.in.Cite(m.sums)}
	if m.db != nil {
		ev = append(ev, c.in.Cite(m.db))
	}
	for p, e := range want {
		switch cur, ok := sums.Current[p]; {
		case missing[p]:
			c.add(snapshot.ConfigFile{Path: p, State: "missing", Package: e.Package, Evidence: ev})
		case ok && cur != e.Digest:
			c.expect[p] = e.Digest
			c.add(snapshot.ConfigFile{Path: p, State: "modified", Package: e.Package, Evidence: ev})
		}
	}
}

// readUnowned returns the files under /etc a manager owns none of.
func (c *configs) readUnowned(m manager) ([]string, string, bool) {
	if !kit.Usable(m.unowned) {
		return nil, "", false
	}
	u, err := ParseUnowned(m.unowned.Text())
	if err != nil {
		c.note(snapshot.Partial, m.unowned.Source()+": "+err.Error())
	}
	if !u.Done || m.unowned.Truncated {
		c.note(snapshot.Partial, m.unowned.Source()+" did not run to its end")
	}
	if u.Checked == 0 {
		c.note(snapshot.Partial, m.unowned.Source()+" looked at no file at all")
	}
	if len(u.Odd) > 0 {
		c.note(snapshot.Partial, "not checked (names with blanks or quotes): "+strings.Join(u.Odd, ", "))
	}
	return u.Paths, c.in.Cite(m.unowned), true
}

// scriptEvidence is the install scripts of one manager, with the item they came from.
type scriptEvidence struct {
	manager string
	scripts Scripts
	id      string
}

// readScripts reads the install scripts' lines naming /etc; a step that failed
// leaves the writers of unowned files unknown, and coverage says so.
func (c *configs) readScripts(mgrs []manager) []scriptEvidence {
	var out []scriptEvidence
	for _, m := range mgrs {
		it := m.scripts
		if !kit.Usable(it) {
			switch it.Status {
			case evidence.StatusMissing, evidence.StatusAbsent, evidence.StatusSkipped:
			default:
				st, why := kit.StatusOf(it)
				c.note(kit.WorseOf(st, snapshot.Partial), "which install script wrote a file no package lists is unknown: "+why)
				c.used = append(c.used, it)
			}
			continue
		}
		s, err := ParseScripts(it.Text())
		if err != nil {
			c.note(snapshot.Partial, it.Source()+": "+err.Error())
		}
		if !s.Done || it.Truncated {
			c.note(snapshot.Partial, it.Source()+" did not run to its end: a file's writer may be missing")
		}
		c.used = append(c.used, it)
		out = append(out, scriptEvidence{manager: m.name, scripts: s, id: c.in.Cite(it)})
	}
	return out
}

// unownedFile adds a file no package lists, unless what wrote it wrote it as it is.
func (c *configs) unownedFile(p string, ids []string, scripts []scriptEvidence, installed map[string]bool) {
	cf := snapshot.ConfigFile{Path: p, State: "unowned", Evidence: append([]string{}, ids...)}
	unknown := ""
	if pkg, ok := c.ucf.Package[p]; ok && c.ucfSeen {
		if unknown = c.ucfFile(&cf, pkg); cf.State == "" {
			return // as ucf installed it
		}
	}
	if g, ok := generated[p]; ok && installed != nil && (g.Package == "" || installed[g.Package]) {
		// A digest ucf's hashfile holds is what the package installed: the table's
		// likely pristine forms do not overrule it.
		if cf.State != "modified" && pristine(g, c.tsums.Current) {
			return
		}
		if cf.Writer == nil {
			cf.Writer = &snapshot.FileWriter{Package: g.Package, Script: g.Script, Known: "table"}
		}
		if kit.Usable(c.tsumsIt) {
			cf.Evidence = snapshot.AppendNew(cf.Evidence, c.in.Cite(c.tsumsIt))
		}
	}
	if cf.Writer == nil || cf.Writer.Known == "table" {
		if w, id := scriptWriter(p, scripts); w != nil {
			cf.Writer = w
			cf.Evidence = append(cf.Evidence, id)
		}
	}
	if cf.State == "unknown" {
		c.ucfUnknown[unknown] = append(c.ucfUnknown[unknown], p)
	}
	cf.Generated = writerName(cf.Writer)
	c.add(cf)
}

// scriptWriter finds the install script one of whose lines writes p, the first by
// package name.
func scriptWriter(p string, scripts []scriptEvidence) (*snapshot.FileWriter, string) {
	for _, se := range scripts {
		pkgs := make([]string, 0, len(se.scripts.ByPackage))
		for pkg := range se.scripts.ByPackage {
			pkgs = append(pkgs, pkg)
		}
		sort.Strings(pkgs)
		for _, pkg := range pkgs {
			sc := se.scripts.ByPackage[pkg]
			for _, l := range sc.Lines {
				if !strings.Contains(l, p) || !WritesTo(l, p) {
					continue
				}
				w := &snapshot.FileWriter{Package: pkg, Script: "postinst", Known: "script", Line: strings.TrimSpace(l), Debconf: sc.Debconf}
				if se.manager == "rpm" {
					w.Script, w.Debconf = "%post", false
				}
				return w, se.id
			}
		}
	}
	return nil, ""
}

// writerName says who writes a file in the words of Generated.
func writerName(w *snapshot.FileWriter) string {
	switch {
	case w == nil:
		return ""
	case w.Script == "ucf":
		return w.Package + " (ucf)"
	case w.Package == "":
		return w.Script
	case w.Script == "postinst" || w.Script == "%post":
		return w.Package + " " + w.Script
	}
	return w.Script + " (" + w.Package + ")"
}

// contents reads a manager's content step: each listed file's text, and its
// comparison with the best copy of its packaged version.
func (c *configs) contents(m manager) {
	if !kit.Usable(m.content) {
		if m.content.Status != evidence.StatusMissing && m.content.Status != evidence.StatusSkipped {
			st, why := kit.StatusOf(m.content)
			c.note(kit.WorseOf(st, snapshot.Partial), "no content: "+why)
		}
		c.baselines(m, Contents{}, "")
		return
	}
	cs, err := ParseContent(m.content.Text())
	if err != nil {
		c.note(snapshot.Partial, m.content.Source()+": "+err.Error())
	} else if !cs.Done {
		c.note(snapshot.Partial, m.content.Source()+" did not run to its end")
	}
	id := c.in.Cite(m.content)
	for path, ct := range cs.Files {
		i, ok := c.byPath[path]
		if !ok {
			continue
		}
		cf := &c.list[i]
		switch {
		case !ct.Have:
			cf.ContentNote = ct.Note
		case !looksText(ct.Text):
			cf.ContentNote = "binary"
		default:
			cf.Content = ct.Text
		}
		cf.Evidence = snapshot.AppendNew(cf.Evidence, id)
	}
	c.baselines(m, cs, id)
}

// baselines compares each file of the manager's family with its best copy, or says
// why there is none. A file whose record the content step did not print (it failed
// or was cut off first) or whose text it did not send was not looked for copies of:
// whether one is on the host is unknown.
func (c *configs) baselines(m manager, cs Contents, id string) {
	unknown := "the content step did not reach it"
	looked := probe.LooksForCopies(c.in.Archive.Header["probe"])
	if !looked {
		unknown = "the evidence comes from a probe (version " + c.in.Archive.Header["probe"] + ") that did not look for copies of packaged versions"
	}
	if !kit.Usable(m.content) {
		_, why := kit.StatusOf(m.content)
		unknown = "the content step failed: " + why
	}
	for i := range c.list {
		cf := &c.list[i]
		if cf.State == "missing" || cf.Baseline != nil || !c.family(cf, m.name) {
			continue
		}
		rec, seen := cs.Files[cf.Path]
		switch {
		case !seen:
			cf.Baseline = &snapshot.ConfigBaseline{Kind: "unknown", Why: unknown}
			continue
		case !rec.Have:
			cf.Baseline = &snapshot.ConfigBaseline{Kind: "unknown", Why: "the file's text was not collected: " + rec.Note}
			continue
		case !looked:
			cf.Baseline = &snapshot.ConfigBaseline{Kind: "unknown", Why: unknown}
			continue
		}
		b := c.pick(cf, cs)
		if b.copy == nil {
			cf.Baseline = &snapshot.ConfigBaseline{Kind: "none", Why: c.noCopy(cf, m.name)}
			continue
		}
		cf.Baseline = &snapshot.ConfigBaseline{Kind: b.copy.Kind, Path: b.copy.Path, Exact: b.exact}
		text, have := cs.Files[b.copy.Path]
		switch {
		case cf.Content == "":
			cf.Baseline.Why = "the file is not text"
		case !have || !text.Have:
			cf.Baseline.Why = "the copy's text was not collected: " + text.Note
		case !looksText(text.Text):
			cf.Baseline.Why = "the copy is not text"
		default:
			format, opts := formatOf(cf.Path, cf.Content)
			facts := factsOf(b.copy)
			if strings.Contains(cf.Content, redact.KeyMarker) {
				facts = lineFacts{} // a removed key block shifts the lines
			}
			settings, omitted := compareSettings(readSettings(format, opts, text.Text), readSettings(format, opts, cf.Content), facts)
			cf.Settings = settings
			cf.Baseline.Compared, cf.Baseline.Format = true, format
			if omitted > 0 {
				cf.Baseline.Why = "only the first settings that differ are listed; " + strconv.Itoa(omitted) + " more differ"
			}
			cf.Evidence = snapshot.AppendNew(cf.Evidence, id)
		}
	}
}

// family reports whether a listed file is one manager m speaks for: the files it
// found changed, and the unowned ones under its own family's rules.
func (c *configs) family(cf *snapshot.ConfigFile, m string) bool {
	if cf.Writer != nil && cf.Writer.Script == "%post" {
		return m == "rpm"
	}
	if cf.Writer != nil && (cf.Writer.Script == "ucf" || cf.Writer.Script == "postinst" || cf.Writer.Known == "table") {
		return m == "dpkg"
	}
	return true
}

type choice struct {
	copy  *Copy
	exact bool
}

// pick chooses the copy to compare a file with: the packaged version itself (a
// copy whose digest the package database or ucf holds, or a template the script
// copies as it is), else ucf's copy, an upgrade's copy, the template the script
// starts from, and for a copy an upgrade moved aside, the file in force.
func (c *configs) pick(cf *snapshot.ConfigFile, cs Contents) choice {
	copies := cs.Copies[cf.Path]
	rank := func(k *Copy) (int, bool) {
		exact := false
		switch k.Kind {
		case "dpkg-dist", "rpmnew":
			exact = sameDigest(c.expect[cf.Path], k)
		case "ucf-dist", probe.UCFCacheKind:
			exact = c.ucf.MD5[cf.Path] != "" && c.ucf.MD5[cf.Path] == k.MD5
		case probe.TemplateKind:
			g, ok := generated[cf.Path]
			exact = ok && g.Verbatim && g.Template == k.Path
		}
		order := map[string]int{probe.UCFCacheKind: 1, "dpkg-dist": 2, "ucf-dist": 2, "rpmnew": 2, probe.TemplateKind: 3, probe.InForceKind: 4}[k.Kind]
		if order == 0 {
			return 99, false
		}
		if exact {
			order -= 10
		}
		return order, exact
	}
	best, bestRank := choice{}, 100
	for _, k := range copies {
		if r, exact := rank(k); r < bestRank {
			best, bestRank = choice{k, exact}, r
		}
	}
	return best
}

func sameDigest(want string, k *Copy) bool {
	switch len(want) {
	case 32:
		return want == k.MD5
	case 64:
		return want == k.SHA256
	}
	return false
}

// noCopy says why a file has nothing to be compared with.
func (c *configs) noCopy(cf *snapshot.ConfigFile, m string) string {
	switch {
	case cf.State == "modified" && cf.Writer != nil && cf.Writer.Script == "ucf":
		return "not on the host: ucf keeps no copy of what it installed for this file"
	case cf.State == "modified":
		return "not on the host: " + m + " keeps only the digest of the packaged version"
	case cf.Writer != nil:
		return "writer's output not on the host"
	}
	if base, ok := distCopyOf(cf.Path); ok {
		return "a packaged version itself: the one of " + base + " an upgrade left beside it"
	}
	return "no package"
}

// distCopyOf says whether p is a copy of a packaged version an upgrade left beside
// the file it did not overwrite, and which file that is.
func distCopyOf(p string) (string, bool) {
	for _, kinds := range probe.CopyKinds {
		for _, k := range kinds {
			if base, ok := strings.CutSuffix(p, k.Suffix); ok && base != "" {
				return base, true
			}
		}
	}
	return "", false
}
