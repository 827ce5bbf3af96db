package report

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// bigSnapshot is the legacy host grown to the size of a busy legacy server: 2,000
// packages and 300 processes, each tied to a service so the service view and the
// tables work as hard as they would there.
func bigSnapshot(b *testing.B) *snapshot.Snapshot {
	s := legacySnapshot(b)
	base := s.Packages
	for i := len(s.Packages); i < 2000; i++ {
		p := base[i%len(base)]
		p.Name = fmt.Sprintf("%s-extra%d", p.Name, i)
		s.Packages = append(s.Packages, p)
	}
	procs := s.Processes
	for i := len(s.Processes); i < 300; i++ {
		p := procs[i%len(procs)]
		p.PID = 10000 + i
		p.Command = fmt.Sprintf("%s --worker=%d", p.Command, i)
		s.Processes = append(s.Processes, p)
	}
	return s
}

// BenchmarkHandover measures what trowel report does after loading: findings,
// the document, and both renderings. At this size it must stay under 200 ms and
// 100 MB, so that a busy host's report is as quick to make as a small one's.
func BenchmarkHandover(b *testing.B) {
	s := bigSnapshot(b)
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		for _, lang := range []string{"en", "ja"} {
			d := Handover(s, analyze.Analyze(s, lang), lang)
			if err := Markdown(io.Discard, d); err != nil {
				b.Fatal(err)
			}
			if err := HTML(io.Discard, d); err != nil {
				b.Fatal(err)
			}
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	b.ReportMetric(float64(peak)/(1<<20), "MiB-heap-peak")
}
