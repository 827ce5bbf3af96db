package packages

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// checkParsed holds for any input: every package has a name and a version, and no
// more packages come out than lines went in.
func checkParsed(t *testing.T, text string, r parsed) {
	t.Helper()
	if len(r.pkgs) > strings.Count(text, "\n")+1 {
		t.Fatalf("%d packages from %d lines", len(r.pkgs), strings.Count(text, "\n")+1)
	}
	for _, p := range r.pkgs {
		if p.Name == "" || p.Version == "" {
			t.Fatalf("package without name or version: %+v", p)
		}
		if p.Epoch != nil && *p.Epoch < 0 {
			t.Fatalf("negative epoch: %+v", p)
		}
	}
	if r.bad < 0 || r.badLines < 0 {
		t.Fatalf("negative counts %d %d", r.bad, r.badLines)
	}
}

func FuzzParseRPMQA(f *testing.F) {
	centos := queryAll(f, "centos7-httpd24", "var/lib/rpm/Packages")
	f.Add(centos[:4000])
	f.Add(queryAll(f, "sle15-bci", "usr/lib/sysimage/rpm/Packages.db"))
	f.Add("gpg-pubkey\t(none)\tf4a80eb5\t53a7ff4b\t(none)\t1554273471\t(none)\t(none)\n")
	f.Add("odd\t(none)\t1\t1\tnoarch\t(none)\tA\tvendor\twith tabs\todd-1-1.src.rpm\r\nerror: x\n")
	f.Fuzz(func(t *testing.T, text string) { checkParsed(t, text, parseRPMQA(text)) })
}

func FuzzParseDpkgStatus(f *testing.F) {
	f.Add(readFixture(f, "testdata/debian-12-excerpt/var/lib/dpkg/status"))
	f.Add(readFixture(f, "testdata/ubuntu-18.04/var/lib/dpkg/status")[:6000])
	f.Add("Package: a\nStatus: hold ok installed\nVersion: 1:2-3\nthis is not a field\nPackage: b\nStatus: install ok triggers-pending\nVersion: x:1\n\n")
	f.Fuzz(func(t *testing.T, text string) { checkParsed(t, text, parseDpkgStatus(text)) })
}

func FuzzParseDpkgListMtimes(f *testing.F) {
	f.Add("1700000000 bash.list\n1600000000 libc6:amd64.list\n")
	f.Add("-1 x.list\n\n1 .list\n99999999999999999999 y.list\n")
	f.Fuzz(func(t *testing.T, text string) {
		m, bad := parseDpkgListMtimes(text)
		if len(m)+bad > strings.Count(text, "\n")+1 {
			t.Fatalf("%d times and %d bad from %d lines", len(m), bad, strings.Count(text, "\n")+1)
		}
		for name, tm := range m {
			if name == "" || tm.Unix() <= 0 {
				t.Fatalf("%q: %v", name, tm)
			}
		}
	})
}

func FuzzParseAPKInstalled(f *testing.F) {
	f.Add(readFixture(f, "testdata/alpine-trivy/lib/apk/db/installed"))
	f.Add("P:a\nV:1-r1\nP:b\nV:2\nx\n\nP:c\n")
	f.Fuzz(func(t *testing.T, text string) { checkParsed(t, text, parseAPKInstalled(text)) })
}

// FuzzSurvey gives the surveyor the three databases with arbitrary content and
// fates: it must always set coverage, and never call a section collected while a
// database it needed could not be read.
func FuzzSurvey(f *testing.F) {
	dpkg := readFixture(f, "testdata/debian-12-excerpt/var/lib/dpkg/status")
	f.Add("bash\t(none)\t1\t1\tx86_64\t1\tV\tb.src.rpm\n", uint8(0), 0, false, dpkg, uint8(0), false, "", uint8(1), true)
	f.Add("bash\t(none)\t1\t1\tx86_64\t1\tV\tb.src.rpm\nha", uint8(3), 0, true, "", uint8(1), false, "P:x\nV:1\n", uint8(0), false)
	statuses := []evidence.Status{evidence.StatusOK, evidence.StatusAbsent, evidence.StatusDenied, evidence.StatusTimeout, evidence.StatusCut, evidence.StatusSkipped, evidence.StatusNotFile, evidence.StatusOffline}
	f.Fuzz(func(t *testing.T, rpm string, rpmSt uint8, rc int, rpmTrunc bool, dpkg string, dpkgSt uint8, dpkgTrunc bool, apk string, apkSt uint8, complete bool) {
		a := &evidence.Archive{Complete: complete}
		r := rpmItem(rpm, statuses[int(rpmSt)%len(statuses)], rc)
		r.Truncated = rpmTrunc
		d := fileItem(itemDpkgStatus, dpkg, statuses[int(dpkgSt)%len(statuses)])
		d.Truncated = dpkgTrunc
		a.Add(r)
		a.Add(d)
		a.Add(fileItem(itemAPK, apk, statuses[int(apkSt)%len(statuses)]))
		in := &kit.Input{Archive: a, Snap: &snapshot.Snapshot{}}
		New().Survey(in)
		c, ok := in.Snap.Coverage[snapshot.SectionPackages]
		if !ok || c.Status == "" || c.Status == snapshot.NotApplicable {
			t.Fatalf("coverage %+v", c)
		}
		if ruledByCutRPM := rpmTrunc && in.Snap.OS.PackageManager == "rpm"; ruledByCutRPM && c.Status == snapshot.Collected {
			t.Fatalf("truncated rpm output called collected: %+v", c)
		}
		if len(in.Snap.Packages) == 0 && c.Status == snapshot.Collected {
			t.Fatalf("no packages, yet collected: %+v", c)
		}
		for _, p := range in.Snap.Packages {
			if p.Manager == "" || p.Evidence == "" {
				t.Fatalf("package without manager or evidence: %+v", p)
			}
		}
	})
}
