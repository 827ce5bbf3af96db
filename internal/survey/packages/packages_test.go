package packages

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/rpmdb"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const rpmCommand = "rpm -qa --qf '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{INSTALLTIME}\\t%{VENDOR}\\t%{SOURCERPM}\\n'"

func rpmItem(data string, st evidence.Status, rc int) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: itemRPMQA, Command: rpmCommand, Status: st, RC: rc, Data: []byte(data)}
}

func fileItem(path, data string, st evidence.Status) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindFile, Name: path, Status: st, Data: []byte(data)}
}

func survey(complete bool, items ...*evidence.Item) *kit.Input {
	a := &evidence.Archive{Complete: complete, Header: map[string]string{}}
	for _, it := range items {
		a.Add(it)
	}
	in := &kit.Input{Archive: a, Snap: &snapshot.Snapshot{}}
	New().Survey(in)
	return in
}

func coverage(in *kit.Input) snapshot.Coverage { return in.Snap.Coverage[snapshot.SectionPackages] }

// rpmDatabases are the real RPM databases of internal/rpmdb, with rpm's own listing
// where one was made.
var rpmDatabases = []struct{ name, db string }{
	{"centos5-plain", "var/lib/rpm/Packages"},
	{"centos6-plain", "var/lib/rpm/Packages"},
	{"centos7-httpd24", "var/lib/rpm/Packages"},
	{"fedora35", "var/lib/rpm/rpmdb.sqlite"},
	{"cbl-mariner-2.0", "var/lib/rpm/rpmdb.sqlite"},
	{"sle15-bci", "usr/lib/sysimage/rpm/Packages.db"},
}

const rpmTestdata = "../../rpmdb/testdata"

func queryAll(t testing.TB, name, db string) string {
	t.Helper()
	out, err := rpmdb.QueryAll(filepath.Join(rpmTestdata, name, db))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The independent oracle: each database read offline by internal/rpmdb, surveyed,
// and compared with what the real rpm -qa printed for it (name, epoch, version,
// release, arch; the oracle prints an unset epoch as 0 and a missing arch as (none)).
func TestRPMDatabasesMatchRealRPM(t *testing.T) {
	for _, db := range rpmDatabases {
		t.Run(db.name, func(t *testing.T) {
			in := survey(true, rpmItem(queryAll(t, db.name, db.db), evidence.StatusOK, 0))
			if c := coverage(in); c.Status != snapshot.Collected || c.Reason != "" || !slices.Equal(c.Evidence, []string{"cmd:rpm-qa"}) {
				t.Errorf("coverage %+v", c)
			}
			if in.Snap.OS.PackageManager != "rpm" {
				t.Errorf("package manager %q", in.Snap.OS.PackageManager)
			}
			var got []string
			for _, p := range in.Snap.Packages {
				if p.Manager != "rpm" || p.Evidence != "cmd:rpm-qa" || p.Name == "" || p.Version == "" {
					t.Fatalf("package %+v", p)
				}
				epoch, arch := "0", p.Arch
				if p.Epoch != nil {
					epoch = strconv.Itoa(*p.Epoch)
				}
				if arch == "" {
					arch = "(none)"
				}
				got = append(got, strings.Join([]string{p.Name, epoch, p.Version, p.Release, arch}, "\t"))
			}
			slices.Sort(got)
			oracle, err := os.ReadFile(filepath.Join(rpmTestdata, db.name, "expected-rpm-qa.tsv"))
			if os.IsNotExist(err) {
				// No rpm at hand read NDB when the oracles were made.
				if len(got) < 20 {
					t.Errorf("%d packages", len(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Split(strings.TrimSuffix(string(oracle), "\n"), "\n")
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%d packages, rpm listed %d", len(got), len(want))
				for _, l := range want {
					if _, ok := slices.BinarySearch(got, l); !ok {
						t.Errorf("missing %s", l)
					}
				}
				for _, l := range got {
					if _, ok := slices.BinarySearch(want, l); !ok {
						t.Errorf("extra %s", l)
					}
				}
			}
		})
	}
}

func TestDpkgHost(t *testing.T) {
	status := readFixture(t, "testdata/ubuntu-18.04/var/lib/dpkg/status")
	times := "1523000000 bash.list\n1523000100 libc6:amd64.list\n"
	in := survey(true,
		rpmItem("", evidence.StatusAbsent, 127),
		fileItem(itemDpkgStatus, status, evidence.StatusOK),
		&evidence.Item{Kind: evidence.KindCmd, Name: itemDpkgTimes, Status: evidence.StatusOK, Data: []byte(times)},
		fileItem(itemAPK, "", evidence.StatusAbsent),
	)
	c := coverage(in)
	// rpm absent on Debian is normal; the leftover of git is said, not counted.
	if c.Status != snapshot.Collected || !strings.HasPrefix(c.Reason, "1 removed package left configuration files") {
		t.Errorf("coverage %+v", c)
	}
	if !slices.Equal(c.Evidence, []string{"file:/var/lib/dpkg/status", "cmd:dpkg-list-mtimes"}) {
		t.Errorf("coverage evidence %q", c.Evidence)
	}
	if len(in.Snap.Packages) != 90 || in.Snap.OS.PackageManager != "dpkg" {
		t.Fatalf("%d packages, manager %q", len(in.Snap.Packages), in.Snap.OS.PackageManager)
	}
	bash := find(t, in.Snap.Packages, "bash")
	if bash.Manager != "dpkg" || bash.Evidence != "file:/var/lib/dpkg/status" || bash.InstallTime == nil || bash.InstallTime.Unix() != 1523000000 {
		t.Errorf("bash %+v", bash)
	}
	if libc := find(t, in.Snap.Packages, "libc6"); libc.InstallTime == nil || libc.InstallTime.Unix() != 1523000100 {
		t.Errorf("libc6, Multi-Arch: same, install time %v", libc.InstallTime)
	}
	if _, ok := in.Snap.Evidence["cmd:dpkg-list-mtimes"]; !ok {
		t.Error("the install times' evidence is not cited")
	}
	if !slices.IsSortedFunc(in.Snap.Packages, func(a, b snapshot.Package) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("packages are not sorted by name")
	}
}

func TestAPKHost(t *testing.T) {
	in := survey(true, fileItem(itemAPK, readFixture(t, "testdata/alpine-trivy/lib/apk/db/installed"), evidence.StatusOK))
	c := coverage(in)
	if c.Status != snapshot.Partial || c.Reason != "1 stanza of /lib/apk/db/installed could not be read" {
		t.Errorf("coverage %+v", c)
	}
	if len(in.Snap.Packages) != 15 || in.Snap.OS.PackageManager != "apk" {
		t.Errorf("%d packages, manager %q", len(in.Snap.Packages), in.Snap.OS.PackageManager)
	}
}

// rpm installed on Debian for a vendor's tool: dpkg rules, rpm's packages are kept.
func TestBothManagers(t *testing.T) {
	rpmText := "vendor-agent\t(none)\t7.1\t2\tx86_64\t1600000000\tVendor Inc.\tvendor-agent-7.1-2.src.rpm\n"
	in := &kit.Input{Archive: &evidence.Archive{Complete: true}, Snap: &snapshot.Snapshot{OS: snapshot.OS{PackageManager: "already"}}}
	in.Archive.Add(rpmItem(rpmText, evidence.StatusOK, 0))
	in.Archive.Add(fileItem(itemDpkgStatus, readFixture(t, "testdata/debian-12-excerpt/var/lib/dpkg/status"), evidence.StatusOK))
	in.Archive.Add(fileItem(itemAptStates, "Package: libacl1\nArchitecture: amd64\nAuto-Installed: 1\n", evidence.StatusOK))
	New().Survey(in)
	if in.Snap.OS.PackageManager != "already" {
		t.Errorf("a package manager set before was overwritten: %q", in.Snap.OS.PackageManager)
	}
	if len(in.Snap.Packages) != 8 {
		t.Fatalf("%d packages", len(in.Snap.Packages))
	}
	if p := find(t, in.Snap.Packages, "vendor-agent"); p.Manager != "rpm" || p.Evidence != "cmd:rpm-qa" || p.Origin != "Vendor Inc." {
		t.Errorf("vendor-agent %+v", p)
	}
	if p := find(t, in.Snap.Packages, "acl"); p.Manager != "dpkg" {
		t.Errorf("acl %+v", p)
	}
	c := coverage(in)
	if c.Status != snapshot.Collected || c.Reason != "dpkg manages this host (7 packages); rpm also lists 1 package" {
		t.Errorf("coverage %+v", c)
	}
	if !slices.Equal(c.Evidence, []string{"file:/var/lib/dpkg/status", "cmd:rpm-qa", "file:/var/lib/apt/extended_states"}) {
		t.Errorf("coverage evidence %q", c.Evidence)
	}
	// apt's marks are dpkg's: rpm's packages keep no intent.
	if p := find(t, in.Snap.Packages, "vendor-agent"); p.Intent != "" {
		t.Errorf("vendor-agent intent %q", p.Intent)
	}
	if p := find(t, in.Snap.Packages, "acl"); p.Intent != "manual" {
		t.Errorf("acl intent %q", p.Intent)
	}
}

func TestCoverage(t *testing.T) {
	centos := queryAll(t, "centos5-plain", "var/lib/rpm/Packages")
	lines := strings.SplitAfter(centos, "\n")
	dpkg := readFixture(t, "testdata/debian-12-excerpt/var/lib/dpkg/status")
	for _, c := range []struct {
		name     string
		complete bool
		items    []*evidence.Item
		status   snapshot.Status
		reason   string // a part of the reason
		pkgs     int
	}{
		{"nothing in a complete archive", true, nil,
			snapshot.Unavailable, "no package database was found", 0},
		{"nothing installed", true, []*evidence.Item{rpmItem("", evidence.StatusAbsent, 127), fileItem(itemDpkgStatus, "", evidence.StatusAbsent), fileItem(itemAPK, "", evidence.StatusAbsent)},
			snapshot.Unavailable, `command "rpm" is not installed; /var/lib/dpkg/status does not exist; /lib/apk/db/installed does not exist`, 0},
		{"stream ended before the packages", false, nil,
			snapshot.Cut, "the collection ended before rpm-qa was reached; the collection ended before /var/lib/dpkg/status was reached", 0},
		{"dpkg status denied", true, []*evidence.Item{rpmItem("", evidence.StatusAbsent, 127), fileItem(itemDpkgStatus, "", evidence.StatusDenied)},
			snapshot.Denied, "permission denied reading /var/lib/dpkg/status", 0},
		{"rpm refused", true, []*evidence.Item{{Kind: evidence.KindCmd, Name: itemRPMQA, Command: rpmCommand, Status: evidence.StatusOK, RC: 1, Stderr: []byte("error: cannot open Packages index using db5 - Permission denied (13)")}},
			snapshot.Denied, "exited with status 1: error: cannot open Packages index", 0},
		{"rpm timed out with nothing", true, []*evidence.Item{rpmItem("", evidence.StatusTimeout, 0)},
			snapshot.TimedOut, "did not finish in time", 0},
		{"complete rpm", true, []*evidence.Item{rpmItem(centos, evidence.StatusOK, 0)},
			snapshot.Collected, "", 110},
		{"rpm timed out half-way", true, []*evidence.Item{rpmItem(strings.Join(lines[:40], "")+lines[40][:17], evidence.StatusTimeout, 0)},
			snapshot.Partial, "did not finish in time and was stopped; what it printed before is listed", 40},
		{"rpm failed half-way", true, []*evidence.Item{{Kind: evidence.KindCmd, Name: itemRPMQA, Command: rpmCommand, Status: evidence.StatusOK, RC: 1, Data: []byte(strings.Join(lines[:60], "")), Stderr: []byte("error: rpmdbNextIterator: skipping h#     753 Header V3 DSA signature: BAD, key ID db42a6")}},
			snapshot.Partial, "exited with status 1: error: rpmdbNextIterator: skipping h#", 60},
		{"rpm output truncated", true, []*evidence.Item{func() *evidence.Item {
			it := rpmItem(centos[:5000], evidence.StatusOK, 0)
			it.Truncated = true
			return it
		}()}, snapshot.Partial, "was cut short; only the first part was read", strings.Count(centos[:5000], "\n")},
		{"stream cut inside rpm", false, []*evidence.Item{rpmItem(centos[:3000], evidence.StatusCut, 0)},
			snapshot.Partial, "was cut short", strings.Count(centos[:3000], "\n")},
		{"garbage lines", true, []*evidence.Item{rpmItem("warning: something\n"+centos+"not a package\n", evidence.StatusOK, 0)},
			snapshot.Partial, "2 lines of rpm -qa could not be read", 110},
		{"only garbage", true, []*evidence.Item{rpmItem("garbage\nmore garbage\n", evidence.StatusOK, 0)},
			snapshot.Unavailable, "rpm -qa lists no packages: 2 lines could not be read", 0},
		{"empty rpm database, nothing else", true, []*evidence.Item{rpmItem("", evidence.StatusOK, 0), fileItem(itemDpkgStatus, "", evidence.StatusAbsent)},
			snapshot.Unavailable, "rpm -qa lists no packages; no other package database was found", 0},
		{"dpkg rules, rpm present but failing", true, []*evidence.Item{{Kind: evidence.KindCmd, Name: itemRPMQA, Command: rpmCommand, Status: evidence.StatusOK, RC: 1, Stderr: []byte("error: cannot open Packages database in /var/lib/rpm")}, fileItem(itemDpkgStatus, dpkg, evidence.StatusOK)},
			snapshot.Partial, "exited with status 1: error: cannot open Packages database in /var/lib/rpm; packages it manages, if any, are not listed", 7},
		{"dpkg rules, apk never asked", true, []*evidence.Item{fileItem(itemDpkgStatus, dpkg, evidence.StatusOK)},
			snapshot.Collected, "", 7},
		{"dpkg rules, stream ended before apk", false, []*evidence.Item{rpmItem("", evidence.StatusAbsent, 127), fileItem(itemDpkgStatus, dpkg, evidence.StatusOK)},
			snapshot.Partial, "the collection ended before /lib/apk/db/installed was reached", 7},
		{"dpkg status truncated", true, []*evidence.Item{func() *evidence.Item {
			it := fileItem(itemDpkgStatus, dpkg[:2000], evidence.StatusOK)
			it.Truncated = true
			return it
		}()}, snapshot.Partial, "/var/lib/dpkg/status was cut short", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := survey(c.complete, c.items...)
			cov := coverage(in)
			if cov.Status != c.status || !strings.Contains(cov.Reason, c.reason) {
				t.Errorf("coverage %s %q; want %s with %q", cov.Status, cov.Reason, c.status, c.reason)
			}
			if cov.Status != snapshot.Collected && len(cov.Evidence) == 0 {
				t.Error("coverage cites no evidence")
			}
			if len(in.Snap.Packages) != c.pkgs {
				t.Errorf("%d packages, want %d", len(in.Snap.Packages), c.pkgs)
			}
			if in.Snap.Packages == nil {
				t.Error("packages is nil, not empty")
			}
			for _, id := range cov.Evidence {
				if _, ok := in.Snap.Evidence[id]; !ok {
					t.Errorf("coverage cites %s, absent from the evidence index", id)
				}
			}
		})
	}
}

// Golden snapshots of what the surveyor makes of each real database.
func TestGolden(t *testing.T) {
	cases := map[string][]*evidence.Item{
		"ubuntu-18.04": {
			rpmItem("", evidence.StatusAbsent, 127),
			fileItem(itemDpkgStatus, readFixture(t, "testdata/ubuntu-18.04/var/lib/dpkg/status"), evidence.StatusOK),
			fileItem(itemAptStates, readFixture(t, "testdata/ubuntu-18.04/var/lib/apt/extended_states"), evidence.StatusOK),
			fileItem(itemAPK, "", evidence.StatusAbsent),
		},
		"alpine-trivy": {fileItem(itemAPK, readFixture(t, "testdata/alpine-trivy/lib/apk/db/installed"), evidence.StatusOK)},
		"centos7-httpd24": {
			rpmItem(queryAll(t, "centos7-httpd24", "var/lib/rpm/Packages"), evidence.StatusOK, 0),
			fileItem(itemDpkgStatus, "", evidence.StatusAbsent),
		},
	}
	for name, items := range cases {
		t.Run(name, func(t *testing.T) {
			in := survey(true, items...)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			err := enc.Encode(struct {
				PackageManager string                                 `json:"package_manager"`
				Coverage       map[snapshot.Section]snapshot.Coverage `json:"coverage"`
				Packages       []snapshot.Package                     `json:"packages"`
			}{in.Snap.OS.PackageManager, in.Snap.Coverage, in.Snap.Packages})
			if err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; run go test -update and review the diff", name)
			}
		})
	}
}
