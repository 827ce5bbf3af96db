package diff

import (
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// packages compares installed packages. On one platform (drift, or a rebuild on
// the same release) every package is an item and versions are compared as the
// package manager orders them. Across platforms OLD's names are translated to
// NEW's release: a package whose translation is installed is matched, one whose
// translation is not is missing, and one the mapping does not know is listed by
// name in the summary only, since thousands of base packages differ between two
// distributions by construction.
func (c *comparer) packages() PackageSummary {
	sum := PackageSummary{Old: len(c.old.Packages), New: len(c.new.Packages)}
	if !c.cross {
		olds, news := packageItems(c.old.Packages), packageItems(c.new.Packages)
		c.group(ConcernPackages, snapshot.SectionPackages, olds, news)
		onNew := index(news)
		for _, o := range olds {
			if _, ok := onNew[o.key]; ok {
				sum.Matched++
			}
		}
		sum.Added = len(news) - sum.Matched
		return sum
	}

	newByName := make(map[string]snapshot.Package, len(c.new.Packages))
	for _, p := range c.new.Packages {
		newByName[p.Name] = p
	}
	matchedNew := map[string]bool{}
	var olds, news []item
	for _, p := range uniquePackages(c.old.Packages) {
		if _, ok := newByName[p.Name]; ok {
			sum.Matched++
			matchedNew[p.Name] = true
			continue
		}
		names, mapped := distro.PackagesOn(p.Name, c.oldPlatform, c.newPlatform)
		if !mapped {
			sum.Unmapped = append(sum.Unmapped, p.Name)
			continue
		}
		if len(names) == 0 {
			sum.Dropped = append(sum.Dropped, p.Name)
			continue
		}
		var absent []string
		for _, n := range names {
			if _, ok := newByName[n]; ok {
				matchedNew[n] = true
			} else {
				absent = append(absent, n)
			}
		}
		if len(absent) == 0 {
			sum.Matched++
			continue
		}
		// Only the missing half of the comparison is itemised: across
		// platforms, what NEW has on top is counted, not listed.
		label := p.Name
		if len(absent) != 1 || absent[0] != p.Name {
			label += " → " + strings.Join(absent, ", ")
		}
		olds = append(olds, item{
			key:   "pkg " + p.Name,
			label: label,
			refs:  []string{p.Evidence},
		})
	}
	c.group(ConcernPackages, snapshot.SectionPackages, olds, news)
	for _, p := range uniquePackages(c.new.Packages) {
		if !matchedNew[p.Name] {
			sum.Added++
		}
	}
	return sum
}

// packageItems are packages by name (and architecture when a host has the same
// name for several, as multiarch dpkg and multilib rpm do).
func packageItems(pkgs []snapshot.Package) []item {
	count := map[string]int{}
	for _, p := range pkgs {
		count[p.Name]++
	}
	out := make([]item, 0, len(pkgs))
	for _, p := range pkgs {
		key := p.Name
		if count[p.Name] > 1 {
			key += "." + p.Arch
		}
		out = append(out, item{
			key:            key,
			label:          key,
			fields:         []field{{"version", p.FullVersion()}},
			refs:           []string{p.Evidence},
			versionManager: p.Manager,
		})
	}
	return merge(out)
}

// uniquePackages are the packages with one entry per name, sorted.
func uniquePackages(pkgs []snapshot.Package) []snapshot.Package {
	seen := make(map[string]bool, len(pkgs))
	out := make([]snapshot.Package, 0, len(pkgs))
	for _, p := range pkgs {
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
