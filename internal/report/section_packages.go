package report

import (
	"fmt"
	"maps"
	"slices"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// packagesSection counts the installed packages and names the ones the services
// come from, which a replacement must install first.
var packagesSection = handoverSection{
	id: "packages", title: "sec.packages", intro: "intro.packages",
	reads: []snapshot.Section{snapshot.SectionPackages, snapshot.SectionServices},
	build: (*builder).packages,
}

func (b *builder) packages(sec *Section) {
	s := b.s
	per := map[string]int{}
	for _, p := range s.Packages {
		per[p.Manager]++
	}
	var counts []string
	for _, m := range slices.Sorted(maps.Keys(per)) {
		counts = append(counts, fmt.Sprintf("%s %d", m, per[m]))
	}
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("pkg.count", len(s.Packages), join(counts))})
	byName := make(map[string]snapshot.Package, len(s.Packages))
	for _, p := range s.Packages {
		byName[p.Name] = p
	}
	t := b.table(b.t("tbl.service_packages"), col(b.t("col.package")), col(b.t("col.version")), col(b.t("col.services")), col(b.t("col.origin")))
	users := map[string][]string{}
	for _, sv := range s.Services {
		if sv.Package != "" {
			users[sv.Package] = append(users[sv.Package], sv.Name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(users)) {
		p, ok := byName[name]
		version := ""
		if ok {
			version = p.FullVersion()
		}
		t.Rows = append(t.Rows, row(c(name), c(version), c(join(users[name])), c(p.Origin)))
	}
	t.Empty = b.empty(b.t("none.service_packages"), snapshot.SectionPackages, snapshot.SectionServices)
	sec.Blocks = append(sec.Blocks, t)
}
