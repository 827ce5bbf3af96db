package timekeeping

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzParsers(f *testing.F) {
	names, _ := filepath.Glob("testdata/*")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("508\tcron\tTZ=:Asia/Tokyo\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := string(b)
		_ = ParseNTPServers(s)
		_, _ = ParseChronyTracking(s)
		_, _ = ParseNtpq(s)
		_, _ = ParseTimedatectl(s)
		_, _ = ParseMtime(s)
		_, _ = ParseCrondTZ(s)
		_ = ZoneOfTZ(s)
		if len(b) < 4096 {
			if z, err := IdentifyTZif(b, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil && len(z.SameNames) > len(z.Candidates) {
				t.Fatalf("%+v", z)
			}
		}
	})
}
