package packages

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/rpmdb"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func TestDpkgStatusUbuntu1804(t *testing.T) {
	b, err := os.ReadFile("testdata/ubuntu-18.04.status")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, bad := ParseDpkgStatus(string(b))
	if bad != 0 || len(pkgs) < 50 {
		t.Fatalf("%d packages, %d bad", len(pkgs), bad)
	}
	found := false
	for _, p := range pkgs {
		if p.Name == "libc6" {
			found = true
			if p.Version != "2.27" || !strings.HasPrefix(p.Release, "3ubuntu1") || p.Arch != "amd64" || p.Source != "glibc" {
				t.Errorf("libc6 = %+v", p)
			}
		}
	}
	if !found {
		t.Error("libc6 not found")
	}
}

// The oracle: rpm -qa output as the offline reader produces it, parsed back, equals
// what the real rpm printed for the same database.
func TestRPMQAAgainstRealRPM(t *testing.T) {
	for _, name := range []string{"centos5-plain", "centos6-plain", "centos7-httpd24", "fedora35", "cbl-mariner-2.0"} {
		dir := "../../../../shared/fixtures/rpmdb/" + name
		db := dir + "/Packages"
		if _, err := os.Stat(db); err != nil {
			db = dir + "/rpmdb.sqlite"
		}
		text, err := rpmdb.QueryAll(db)
		if err != nil {
			t.Skipf("%s: %v", name, err)
		}
		pkgs, bad := ParseRPMQA(string(text))
		if bad != 0 {
			t.Errorf("%s: %d bad lines", name, bad)
		}
		want := readTSV(t, dir+"/expected-rpm-qa.tsv")
		got := map[string]bool{}
		for _, p := range pkgs {
			e := "0" // the oracle writes an unset epoch as 0
			if p.Epoch != nil {
				e = strconv.Itoa(*p.Epoch)
			}
			arch := p.Arch
			if arch == "" {
				arch = "(none)"
			}
			got[strings.Join([]string{p.Name, e, p.Version, p.Release, arch}, "\t")] = true
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d packages, rpm says %d", name, len(got), len(want))
		}
		for w := range want {
			if !got[w] {
				t.Errorf("%s: missing %q", name, w)
				break
			}
		}
	}
}

func readTSV(t *testing.T, p string) map[string]bool {
	f, err := os.Open(p)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}

func TestCoverageWhenNothingIsReadable(t *testing.T) {
	a := &evidence.Archive{Complete: false, Header: map[string]string{}}
	a.Add(&evidence.Item{Kind: evidence.KindFile, Name: "/var/lib/dpkg/status", Status: evidence.StatusDenied})
	in := &kit.Input{Archive: a, Snap: &snapshot.Snapshot{}}
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionPackages]; c.Status != snapshot.Denied || len(in.Snap.Packages) != 0 {
		t.Errorf("coverage = %+v", c)
	}
}

func FuzzParseDpkgStatus(f *testing.F) {
	f.Add("Package: a\nStatus: install ok installed\nVersion: 1:2-3\n\n")
	f.Fuzz(func(t *testing.T, s string) { ParseDpkgStatus(s) })
}

func FuzzParseRPMQA(f *testing.F) {
	f.Add("bash\t(none)\t3.2\t33.el5\tx86_64\t1\tCentOS\tbash.src.rpm\n")
	f.Fuzz(func(t *testing.T, s string) { ParseRPMQA(s) })
}
