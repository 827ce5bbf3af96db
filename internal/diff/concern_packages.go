package diff

import (
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernPackages are the installed packages. On one platform (drift, or a
// rebuild on the same release) every package is an item and versions are compared
// as the package manager orders them. Across platforms OLD's names are translated
// to NEW's release: a package whose translation is installed is matched, one whose
// translation is not is missing, and one the mapping does not know is listed by
// name in the summary only, since thousands of base packages differ between two
// distributions by construction.
const ConcernPackages Concern = "packages"

var packagesConcern = concern{id: ConcernPackages, section: snapshot.SectionPackages, read: packageItemsOf}

func packageItemsOf(h *hosts) (olds, news []item) {
	if !h.cross {
		return packageItems(h.old.Packages), packageItems(h.new.Packages)
	}
	// Only the missing half of the comparison is itemised: across platforms,
	// what NEW has on top is counted, not listed.
	olds, _ = packagesAcross(h)
	return olds, nil
}

// packageSummary is the package comparison in numbers.
func packageSummary(h *hosts) PackageSummary {
	if h.cross {
		_, sum := packagesAcross(h)
		return sum
	}
	sum := PackageSummary{Old: len(h.old.Packages), New: len(h.new.Packages)}
	onNew := map[string]bool{}
	for _, k := range packageKeys(h.new.Packages) {
		onNew[k] = true
	}
	counted := map[string]bool{}
	for _, k := range packageKeys(h.old.Packages) {
		if onNew[k] && !counted[k] {
			counted[k] = true
			sum.Matched++
		}
	}
	sum.Added = len(onNew) - sum.Matched
	return sum
}

// packageItems are packages by name (and architecture when a host has the same
// name for several, as multiarch dpkg and multilib rpm do).
func packageItems(pkgs []snapshot.Package) []item {
	keys := packageKeys(pkgs)
	out := make([]item, 0, len(pkgs))
	for i, p := range pkgs {
		key := keys[i]
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

// packageKeys are the packages' identities, in their order.
func packageKeys(pkgs []snapshot.Package) []string {
	count := map[string]int{}
	for _, p := range pkgs {
		count[p.Name]++
	}
	keys := make([]string, len(pkgs))
	for i, p := range pkgs {
		keys[i] = p.Name
		if count[p.Name] > 1 {
			keys[i] += "." + p.Arch
		}
	}
	return keys
}

// packagesAcross translates OLD's packages to NEW's release: the items of those
// whose translation NEW lacks, and the whole in numbers.
func packagesAcross(h *hosts) ([]item, PackageSummary) {
	sum := PackageSummary{Old: len(h.old.Packages), New: len(h.new.Packages)}
	newByName := make(map[string]snapshot.Package, len(h.new.Packages))
	for _, p := range h.new.Packages {
		newByName[p.Name] = p
	}
	matchedNew := map[string]bool{}
	var olds []item
	for _, p := range uniquePackages(h.old.Packages) {
		if _, ok := newByName[p.Name]; ok {
			sum.Matched++
			matchedNew[p.Name] = true
			continue
		}
		names, mapped := distro.PackagesOn(p.Name, h.oldPlatform, h.newPlatform)
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
	for _, p := range uniquePackages(h.new.Packages) {
		if !matchedNew[p.Name] {
			sum.Added++
		}
	}
	return olds, sum
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
