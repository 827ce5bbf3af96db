package files

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// A file ucf manages is its registering package's, though dpkg lists it for none:
// the package's install script put it there through ucf. ucf's hashfile holds the
// md5 of what it installed, and files-templates the file's md5 now; the two tell
// whether it changed since. Where either is missing, that is not known: the file is
// listed as "unknown", never left out as unchanged.

// ucfFile judges a file ucf's registry gives to pkg: it sets cf's State to ""
// (as ucf installed it), "modified" or "unknown", and for "unknown" returns why.
func (c *configs) ucfFile(cf *snapshot.ConfigFile, pkg string) string {
	cf.Package = pkg
	cf.Writer = &snapshot.FileWriter{Package: pkg, Script: "ucf", Known: "ucf-registry"}
	cf.Evidence = append(cf.Evidence, c.in.Cite(c.in.File(probe.UCFRegistry)))
	want := c.ucf.MD5[cf.Path]
	if c.ucfHash == "" {
		cf.Evidence = append(cf.Evidence, c.in.Cite(c.in.File(probe.UCFHashfile)))
	}
	cur, have := c.tsums.Current[cf.Path]
	if have {
		cf.Evidence = append(cf.Evidence, c.in.Cite(c.tsumsIt))
	}
	switch {
	case want != "" && have && cur == want:
		cf.State = ""
		return ""
	case want != "" && have:
		cf.State = "modified"
		c.expect[cf.Path] = want
		return ""
	}
	cf.State = "unknown"
	switch {
	case c.ucfHash != "":
		return c.ucfHash
	case want == "":
		return "ucf's hashfile holds no digest of them"
	}
	return c.noDigest(cf.Path)
}

// noDigest says why files-templates gave no digest of a file it was to digest.
func (c *configs) noDigest(p string) string {
	switch {
	case !kit.Usable(c.tsumsIt):
		_, why := kit.StatusOf(c.tsumsIt)
		return "their digests were not taken (" + why + ")"
	case slices.Contains(c.tsums.Denied, p):
		return "they are not readable"
	case !c.tsums.Done || c.tsumsIt.Truncated:
		return c.tsumsIt.Source() + " did not run to its end"
	}
	return "their digests are not in " + c.tsumsIt.Source()
}

// ucfMissing adds the files ucf installed for an installed package that are gone.
func (c *configs) ucfMissing(installed map[string]bool) {
	if !c.ucfSeen || installed == nil {
		return
	}
	for _, p := range c.tsums.Missing {
		pkg, ok := c.ucf.Package[p]
		if _, listed := c.byPath[p]; !ok || listed || !installed[pkg] {
			continue
		}
		w := &snapshot.FileWriter{Package: pkg, Script: "ucf", Known: "ucf-registry"}
		c.add(snapshot.ConfigFile{Path: p, State: "missing", Package: pkg, Writer: w, Generated: writerName(w),
			Evidence: []string{c.in.Cite(c.in.File(probe.UCFRegistry)), c.in.Cite(c.tsumsIt)}})
	}
}

// noteUCFUnknown says, once per reason, which files ucf manages are not known to
// be as it installed them or changed: the section is partial.
func (c *configs) noteUCFUnknown() {
	whys := make([]string, 0, len(c.ucfUnknown))
	for why := range c.ucfUnknown {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	for _, why := range whys {
		c.note(snapshot.Partial, "whether "+pathList(c.ucfUnknown[why])+" changed since ucf installed them is not known: "+why)
	}
}

// pathList names the first few paths and counts the rest.
func pathList(paths []string) string {
	const shown = 5
	sort.Strings(paths)
	if len(paths) <= shown {
		return strings.Join(paths, ", ")
	}
	return strings.Join(paths[:shown], ", ") + " and " + strconv.Itoa(len(paths)-shown) + " more"
}
