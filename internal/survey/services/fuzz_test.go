package services

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func seedAll(f *testing.F, dirs ...string) {
	for _, dir := range dirs {
		paths, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(string(b))
			}
		}
	}
}

func lines(s string) int { return strings.Count(s, "\n") + 1 }

func FuzzParseChkconfig(f *testing.F) {
	seedAll(f, "chkconfig")
	f.Fuzz(func(t *testing.T, s string) {
		rows, xs, bad := ParseChkconfig(s)
		if len(rows)+len(xs)+len(bad) > lines(s) {
			t.Fatalf("%d+%d+%d results from %d lines", len(rows), len(xs), len(bad), lines(s))
		}
		for _, r := range rows {
			if r.Name == "" || strings.ContainsAny(r.Name, " \t") {
				t.Fatalf("row name %q", r.Name)
			}
		}
	})
}

func FuzzParseListUnits(f *testing.F) {
	seedAll(f, "listunits")
	f.Fuzz(func(t *testing.T, s string) {
		rows, _ := ParseListUnits(s)
		for _, r := range rows {
			if !strings.HasSuffix(r.Unit, ".service") || r.Sub == "" {
				t.Fatalf("row %+v", r)
			}
		}
	})
}

func FuzzParseListUnitFiles(f *testing.F) {
	seedAll(f, "unitfiles")
	f.Fuzz(func(t *testing.T, s string) {
		rows, _ := ParseListUnitFiles(s)
		for _, r := range rows {
			if !strings.HasSuffix(r.Unit, ".service") || r.State == "" {
				t.Fatalf("row %+v", r)
			}
		}
	})
}

func FuzzParseShow(f *testing.F) {
	seedAll(f, "show")
	f.Fuzz(func(t *testing.T, s string) {
		blocks, _ := ParseShow(s)
		for id, kv := range blocks {
			if id == "" || kv == nil {
				t.Fatalf("block %q: %v", id, kv)
			}
		}
	})
}

func FuzzParseInitctl(f *testing.F) {
	seedAll(f, "initctl")
	f.Fuzz(func(t *testing.T, s string) {
		jobs, bad := ParseInitctl(s)
		if len(jobs)+len(bad) > lines(s) {
			t.Fatalf("%d jobs and %d bad from %d lines", len(jobs), len(bad), lines(s))
		}
		for _, j := range jobs {
			if j.Name == "" || j.PID < 0 || (j.Goal != "start" && j.Goal != "stop") {
				t.Fatalf("job %+v", j)
			}
		}
	})
}

func FuzzParseRCLink(f *testing.F) {
	f.Add("S20postfix", "../init.d/postfix", "N 3")
	f.Add("K01smartd", "", "unknown")
	f.Add("S99local", "../rc.local", "3 5")
	f.Fuzz(func(t *testing.T, name, target, runlevel string) {
		if l, ok := ParseRCLink(name, target); ok && (l.Service == "" || l.Order < 0 || l.Order > 99) {
			t.Fatalf("link %+v from %q → %q", l, name, target)
		}
		if lv, ok := ParseRunlevel(runlevel); ok && !(lv >= '0' && lv <= '6' || lv == 'S') {
			t.Fatalf("runlevel %q from %q", lv, runlevel)
		}
	})
}

// FuzzSurvey feeds one arbitrary text to every item the surveyor reads, on a live
// systemd host, a live SysV host and a disk read offline: the surveyor must not
// panic, must set coverage, and every service must cite evidence.
func FuzzSurvey(f *testing.F) {
	seedAll(f, "chkconfig", "listunits", "unitfiles", "show", "initctl", "listings/debian7", "listings/el7")
	f.Fuzz(func(t *testing.T, s string) {
		for _, comm := range []string{"systemd\n", "init\n", ""} {
			items := []*evidence.Item{
				cmd("systemctl-units", s, 0), cmd("systemctl-unit-files", s, 0), cmd("systemctl-show", s, 0),
				cmd("chkconfig", s, 0), cmd("initctl-list", s, 0), cmd("runlevel", s, 0),
				file("/etc/inittab", s), file("/etc/os-release", s),
				list("/etc/init.d", s), list("/etc/rc.d/init.d", s), list("/etc/rc2.d", s), list("/etc/rcS.d", s),
				list("/etc/rc.d/rc3.d", s), list("/etc/init", s), list("/etc/systemd/system", s),
				list("/etc/systemd/system/multi-user.target.wants", s), list("/usr/lib/systemd/system", s),
			}
			if comm != "systemd\n" {
				items = items[3:] // systemctl runs only under systemd
			}
			in := input(items...)
			if comm == "" {
				in.Snap.Source.Kind = "root"
			} else {
				in.Archive.Add(file("/proc/1/comm", comm))
			}
			New().Survey(in)
			if in.Snap.Coverage[snapshot.SectionServices].Status == "" {
				t.Fatal("no coverage")
			}
			for _, svc := range in.Snap.Services {
				if svc.Name == "" || len(svc.Evidence) == 0 {
					t.Fatalf("service %+v", svc)
				}
			}
		}
	})
}
