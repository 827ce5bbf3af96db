package probe

import (
	"path"
	"strings"
	"sync"
)

// Item kinds as the evidence names them ("file", "list", "cmd"): the probe writes
// them and does not import the reader's package.
const (
	itemFile = "file"
	itemList = "list"
	itemCmd  = "cmd"
)

// DomainOf names the plan domain whose step produced an item of the evidence, given
// the item's kind and name, or "" when no step of the plan would have: items the
// probe did not write (trowel's meta records) or a newer probe's. A file several
// steps could read counts for the first of them, the one the probe reaches first.
func DomainOf(kind, name string) string {
	domainsOnce.Do(indexDomains)
	switch kind {
	case itemCmd:
		return cmdDomain[name]
	case itemFile:
		if d, ok := fileDomain[name]; ok {
			return d
		}
	case itemList:
		if d, ok := listDomain[name]; ok {
			return d
		}
	default:
		return ""
	}
	for _, st := range Plan {
		if producedBy(st, kind, name) {
			return st.Domain
		}
	}
	return ""
}

var (
	domainsOnce                       sync.Once
	cmdDomain, fileDomain, listDomain map[string]string
)

// indexDomains indexes the steps that name their one item, so most items are found
// without matching the plan's patterns.
func indexDomains() {
	cmdDomain, fileDomain, listDomain = map[string]string{}, map[string]string{}, map[string]string{}
	first := func(m map[string]string, k, d string) {
		if _, ok := m[k]; !ok {
			m[k] = d
		}
	}
	for _, st := range Plan {
		switch st.Kind {
		case Cmd:
			first(cmdDomain, st.Name, st.Domain)
		case File:
			first(fileDomain, st.Path, st.Domain)
		case List:
			first(listDomain, st.Path, st.Domain)
		}
	}
}

// producedBy reports whether the pattern step st writes an item of that kind and name.
// The sudoers includes are named on the host at run time; they are the files below
// /etc that sudoers includes, which /etc/sudoers.d is by convention.
func producedBy(st Step, kind, name string) bool {
	switch {
	case st.Kind == Glob && kind == itemFile:
		if st.Path == SudoersIncludes {
			return strings.HasPrefix(name, "/etc/sudoers")
		}
		return matchesAny(st.Path, name)
	case st.Kind == ListGlob && kind == itemList:
		return matchesAny(st.Path, name)
	case st.Kind == HomeFile && kind == itemFile:
		return strings.HasSuffix(name, "/"+strings.TrimPrefix(st.Path, "/"))
	}
	return false
}

// matchesAny reports whether name matches one of a plan glob's space-separated
// patterns.
func matchesAny(patterns, name string) bool {
	for _, p := range strings.Fields(patterns) {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
