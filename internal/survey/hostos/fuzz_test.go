package hostos

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// seedAll adds every fixture under testdata/dir to a fuzz corpus.
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

func FuzzParseKV(f *testing.F) {
	seedAll(f, "os-release", "release")
	f.Add("A=\"unterminated\nB='x'\\\nC=a\\ b")
	f.Fuzz(func(t *testing.T, s string) {
		kv, bad := ParseKV(s)
		for k := range kv {
			if !isIdent(k) {
				t.Fatalf("key %q is not an identifier", k)
			}
		}
		// A line can be both kept and reported (an unterminated quote), never more.
		if lines := strings.Count(s, "\n") + 1; len(kv) > lines || len(bad) > lines {
			t.Fatalf("%d values and %d bad lines from %d lines", len(kv), len(bad), strings.Count(s, "\n")+1)
		}
	})
}

func FuzzParseReleaseLine(f *testing.F) {
	seedAll(f, "redhat-release", "release")
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParseReleaseLine(s)
		if !ok {
			return
		}
		if r.Version == "" || r.Version[0] < '0' || r.Version[0] > '9' || r.ID == "" {
			t.Fatalf("accepted %q as %+v", s, r)
		}
		if !strings.HasPrefix(r.Version, r.VersionID) {
			t.Fatalf("version %q does not start with its major.minor %q", r.Version, r.VersionID)
		}
	})
}

func FuzzParseSuSERelease(f *testing.F) {
	seedAll(f, "release")
	f.Fuzz(func(t *testing.T, s string) {
		if r, ok := ParseSuSERelease(s); ok && r.ID == "" {
			t.Fatalf("accepted %q without an ID", s)
		}
	})
}

func FuzzParseUname(f *testing.F) {
	seedAll(f, "uname")
	f.Add(el5Uname)
	f.Fuzz(func(t *testing.T, s string) {
		u, ok := ParseUname(s)
		if ok && (u.Release == "" || strings.ContainsAny(u.Nodename+u.Release, " \t\n")) {
			t.Fatalf("accepted %q as %+v", s, u)
		}
	})
}

func FuzzParseCPUInfo(f *testing.F) {
	seedAll(f, "proc")
	f.Fuzz(func(t *testing.T, s string) {
		ci := ParseCPUInfo(s)
		if ci.CPUs < 0 || !strings.Contains(s, "# processors") && ci.CPUs > strings.Count(s, "processor") {
			t.Fatalf("%d CPUs from %q", ci.CPUs, s)
		}
	})
}

func FuzzParseMemTotal(f *testing.F) {
	seedAll(f, "proc")
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok := ParseMemTotal(s); ok && n <= 0 {
			t.Fatalf("memory %d from %q", n, s)
		}
	})
}

func FuzzParseListing(f *testing.F) {
	f.Add("f\thostname\nl\tlocaltime\t../usr/share/zoneinfo/UTC\nd\tinit.d\n")
	f.Add("l\tlocaltime\t/usr/share/zoneinfo/posix/Asia/Tokyo\nx\n\t\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		entries, _ := kit.ParseListing(s)
		for _, e := range entries {
			if e.Name == "" || strings.IndexByte("fdlo", e.Type) < 0 {
				t.Fatalf("bad entry %+v", e)
			}
			if e.Type == 'l' {
				if z, ok := ZoneFromLink(e.Target); ok && (z == "" || strings.Contains(z, "..")) {
					t.Fatalf("zone %q from %q", z, e.Target)
				}
			}
		}
	})
}

func FuzzVirt(f *testing.F) {
	f.Add("12:pids:/docker/3f1e2a\n", "QEMU", "KVM")
	f.Add("0::/\n", "Amazon EC2", "i3.metal")
	f.Fuzz(func(t *testing.T, cgroup, vendor, product string) {
		v := DecideVirt(VirtFacts{Cgroup: CgroupVirt(cgroup), Vendor: vendor, Product: product, DMIRead: true, CPUInfoRead: true})
		if v == "" {
			t.Fatal("DMI and cpuinfo both read, yet no answer")
		}
	})
}

// FuzzSurvey feeds one arbitrary text to every item the surveyor reads: whatever the
// host sends, the surveyor must not panic and must set both sections' coverage.
func FuzzSurvey(f *testing.F) {
	seedAll(f, "os-release", "release", "redhat-release", "uname", "proc")
	f.Fuzz(func(t *testing.T, s string) {
		in := input(
			file("/etc/os-release", s), file("/etc/redhat-release", s), file("/etc/debian_version", s),
			file("/etc/lsb-release", s), file("/etc/SuSE-release", s), file("/etc/hostname", s),
			file("/etc/sysconfig/network", s), file("/etc/sysconfig/clock", s), file("/etc/timezone", s),
			list("/etc", s), list("/etc/init", s), list("/etc/systemd/system", s), file("/etc/inittab", s),
			file("/proc/1/comm", s), file("/proc/1/cmdline", s), file("/proc/cpuinfo", s), file("/proc/meminfo", s),
			file("/proc/self/cgroup", s), file("/sys/class/dmi/id/sys_vendor", s), cmd("uname", s, 0),
			cmd("hostname-f", s, 0), cmd("systemd-detect-virt", s, 1), cmd("initctl-list", s, 0),
		)
		New().Survey(in)
		for _, sec := range []snapshot.Section{snapshot.SectionHost, snapshot.SectionOS} {
			if in.Snap.Coverage[sec].Status == "" {
				t.Fatalf("no coverage for %s", sec)
			}
		}
		if h := in.Snap.Host.Hostname; h != "" && !utf8.ValidString(h) {
			t.Fatalf("host name %q is not text", h)
		}
	})
}
