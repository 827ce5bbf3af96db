package evidence

import (
	"path"
	"sort"
	"strings"
)

// Archive is a decoded evidence stream.
type Archive struct {
	Version  int
	Boundary string
	// Header holds the probe's key=value header: probe version, uid, user, epoch ...
	Header map[string]string
	Items  []*Item
	// Complete is true when the writer reached its end marker. When false, items that
	// are not in the archive were never attempted, and must be reported as not collected.
	Complete bool
	// Problems are defects found while decoding: malformed records, a cut-off item.
	Problems []string

	byID map[string]*Item
}

// Get returns the item with that ID. When the archive has none it returns a
// placeholder whose status says why (missing from a complete archive: the probe never
// asked for it; cut from an incomplete one: the stream ended before it), so callers
// can report coverage without special cases. The boolean reports whether the item
// was present.
func (a *Archive) Get(id string) (*Item, bool) {
	if it, ok := a.byID[id]; ok {
		return it, true
	}
	kind, name, _ := strings.Cut(id, ":")
	if !a.Complete {
		return &Item{Kind: Kind(kind), Name: name, Status: StatusCut, unreached: true}, false
	}
	return &Item{Kind: Kind(kind), Name: name, Status: StatusMissing}, false
}

// File returns the file item for path.
func (a *Archive) File(p string) (*Item, bool) { return a.Get(ID(KindFile, p)) }

// Cmd returns the command item with that name.
func (a *Archive) Cmd(name string) (*Item, bool) { return a.Get(ID(KindCmd, name)) }

// List returns the directory listing item for path.
func (a *Archive) List(p string) (*Item, bool) { return a.Get(ID(KindList, p)) }

// FilesUnder returns the file items whose path is in dir (not below it), in path
// order, for surveyors that read "every file in /etc/cron.d".
func (a *Archive) FilesUnder(dir string) []*Item {
	var out []*Item
	for _, it := range a.Items {
		if it.Kind == KindFile && path.Dir(it.Name) == path.Clean(dir) {
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Matching returns items of a kind whose name matches a path.Match pattern.
func (a *Archive) Matching(k Kind, pattern string) []*Item {
	var out []*Item
	for _, it := range a.Items {
		if it.Kind != k {
			continue
		}
		if ok, _ := path.Match(pattern, it.Name); ok {
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Add appends an item, replacing an earlier one with the same ID (a later attempt
// of the same thing, such as a retry, wins).
func (a *Archive) Add(it *Item) {
	if a.byID == nil {
		a.byID = map[string]*Item{}
	}
	if old, ok := a.byID[it.ID()]; ok {
		for i, x := range a.Items {
			if x == old {
				a.Items = append(a.Items[:i], a.Items[i+1:]...)
				break
			}
		}
	}
	a.byID[it.ID()] = it
	a.Items = append(a.Items, it)
}
