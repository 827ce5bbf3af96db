package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchStore is a new SQLite store in the benchmark's directory.
func benchStore(b *testing.B) (*Store, string) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "trowel.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, path
}

// benchSurvey is the lab's legacy snapshot (280 KB of JSON) with the CentOS 5
// root's evidence (75 KB).
func benchSurvey(b *testing.B) Survey {
	_, ev := centos5(b)
	return Survey{Snapshot: legacy(b), Evidence: ev, Operator: operator}
}

// recordAs records sv as the ith host, under a name of its own.
func recordAs(b *testing.B, s *Store, sv Survey, i int) {
	sv.Snapshot.Host.Hostname = fmt.Sprintf("host%04d", i)
	sv.Snapshot.Host.FQDN = sv.Snapshot.Host.Hostname + ".example.com"
	if _, err := s.RecordSurvey(context.Background(), sv); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRecordSurvey records one survey of a new host: scrub, analyze,
// compress, write. stored-B/survey is the store's growth per survey.
func BenchmarkRecordSurvey(b *testing.B) {
	s, path := benchStore(b)
	sv := benchSurvey(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		recordAs(b, s, sv, n)
		n++
	}
	b.StopTimer()
	if _, err := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/float64(n), "stored-B/survey")
	}
}

// BenchmarkHosts lists a store of 1,000 hosts, as trowel hosts does.
func BenchmarkHosts(b *testing.B) {
	s, _ := benchStore(b)
	const hosts = 1000
	sv := benchSurvey(b)
	for i := range hosts {
		recordAs(b, s, sv, i)
	}
	b.ReportAllocs()
	for b.Loop() {
		hs, err := s.Hosts(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(hs) != hosts || hs[0].Latest == nil {
			b.Fatalf("%d hosts listed", len(hs))
		}
	}
}
