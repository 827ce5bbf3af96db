package diff

import (
	"fmt"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// withPackages gives s n synthetic packages; every tenth is a version ahead on
// the second snapshot and every fiftieth is missing from it, so the benchmark
// compares versions and reports differences, not only matches.
func withPackages(s *snapshot.Snapshot, n int, second bool) {
	s.Packages = make([]snapshot.Package, 0, n)
	for i := 0; i < n; i++ {
		if second && i%50 == 0 {
			continue
		}
		rel := "1.el7"
		if second && i%10 == 0 {
			rel = "2.el7"
		}
		s.Packages = append(s.Packages, snapshot.Package{
			Name: fmt.Sprintf("pkg-%04d", i), Version: fmt.Sprintf("%d.%d.%d", i%7, i%13, i%29), Release: rel,
			Arch: "x86_64", Manager: "rpm", Evidence: "cmd:rpm",
		})
	}
}

// BenchmarkCompare2000Packages measures diff of two 2,000-package snapshots, as
// many as a full server has; it must stay well under 100 ms, since packages are
// by far the largest concern and grow with every host compared.
func BenchmarkCompare2000Packages(b *testing.B) {
	old := centos5()
	withPackages(old, 2000, false)
	b.Run("same platform", func(b *testing.B) {
		new := clone(b, old)
		withPackages(new, 2000, true)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			Compare(old, new)
		}
	})
	b.Run("centos-5 to debian-12", func(b *testing.B) {
		new := debian12(b)
		withPackages(new, 2000, true)
		for i := range new.Packages {
			new.Packages[i].Manager = "dpkg"
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			Compare(old, new)
		}
	})
}
