package packages

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func readFixture(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func find(t *testing.T, pkgs []snapshot.Package, name string) snapshot.Package {
	t.Helper()
	for _, p := range pkgs {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no package %s", name)
	return snapshot.Package{}
}

// ident is a package's identity as a string, so a mismatch shows every field.
func ident(p snapshot.Package) string {
	e := "-"
	if p.Epoch != nil {
		e = itoa(*p.Epoch)
	}
	return strings.Join([]string{p.Name, e, p.Version, p.Release, p.Arch, p.Source, p.Origin}, "|")
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseDpkgStatusUbuntu1804(t *testing.T) {
	r := parseDpkgStatus(readFixture(t, "testdata/ubuntu-18.04/var/lib/dpkg/status"))
	if len(r.pkgs) != 90 || r.bad != 0 || r.badLines != 0 {
		t.Fatalf("%d packages, %d bad stanzas, %d bad lines; want 90, 0, 0", len(r.pkgs), r.bad, r.badLines)
	}
	// git was removed and left its configuration behind.
	if len(r.notes) != 1 || !strings.HasPrefix(r.notes[0], "1 removed package left configuration files") {
		t.Errorf("notes = %q", r.notes)
	}
	ubuntu := "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"
	for name, want := range map[string]string{
		"libc6":    "libc6|-|2.27|3ubuntu1|amd64|glibc|" + ubuntu,
		"zlib1g":   "zlib1g|1|1.2.11.dfsg|0ubuntu2|amd64|zlib|" + ubuntu,
		"libpcre3": "libpcre3|2|8.39|9|amd64|pcre3|" + ubuntu,
		// Source with its own version: "Source: xz-utils (5.1.1alpha+20120614-2)".
		"liblzma5": "liblzma5|-|5.1.1alpha+20120614|2+b3|amd64|xz-utils|Jonathan Nieder <jrnieder@gmail.com>",
		// A hyphen in the upstream version: only the last one starts the revision.
		"libgcc1": "libgcc1|1|8-20180414|1ubuntu2|amd64|gcc-8|Ubuntu Core developers <ubuntu-devel-discuss@lists.ubuntu.com>",
		"bash":    "bash|-|4.4.18|2ubuntu1|amd64|bash|" + ubuntu,
	} {
		if got := ident(find(t, r.pkgs, name)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	for _, p := range r.pkgs {
		if p.Name == "git" {
			t.Error("git, removed, is listed")
		}
	}
}

func TestParseDpkgStatusDebian12(t *testing.T) {
	r := parseDpkgStatus(readFixture(t, "testdata/debian-12-excerpt/var/lib/dpkg/status"))
	if len(r.pkgs) != 7 || r.bad != 0 || len(r.notes) != 0 {
		t.Fatalf("%d packages, %d bad, notes %q", len(r.pkgs), r.bad, r.notes)
	}
	for name, want := range map[string]string{
		// A native package has no revision.
		"adduser":          "adduser|-|3.131||all|adduser|Debian Adduser Developers <adduser@packages.debian.org>",
		"util-linux-extra": "util-linux-extra|-|2.38.1|5+b1|amd64|util-linux|util-linux packagers <util-linux@packages.debian.org>",
		"attr":             "attr|1|2.5.1|4|amd64|attr|Guillem Jover <guillem@debian.org>",
	} {
		if got := ident(find(t, r.pkgs, name)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestParseDpkgStatusStates(t *testing.T) {
	text := strings.Join([]string{
		"Package: held\r\nStatus: hold ok installed\r\nVersion: 1.0-1\r\nArchitecture: amd64\r\n",
		"Package: triggered\nStatus: install ok triggers-pending\nVersion: 2.0\n",
		"Package: half\nStatus: install reinstreq half-installed\nVersion: 3.0\n",
		"Package: gone\nStatus: deinstall ok config-files\nVersion: 4.0\nConffiles:\n /etc/gone.conf 0123\n",
		"Package: never\nStatus: purge ok not-installed\n",
		"Package: odd\nStatus: install ok exploded\nVersion: 5.0\n",
		"Package: noversion\nStatus: install ok installed\n",
		"Status: install ok installed\nVersion: 6.0\n",
		// A blank line lost between two stanzas, and a line that is no field.
		"Package: first\nStatus: install ok installed\nVersion: 7.0\nthis is not a field\nPackage: second\nStatus: install ok installed\nVersion: 8.0\nOrigin: Vendor\nMaintainer: Someone\nDescription: two\n lines\n",
		"   \t\n",
		"Package: last\nStatus: install ok installed\nVersion: 1:9.0-1",
	}, "\n")
	r := parseDpkgStatus(text)
	var names []string
	for _, p := range r.pkgs {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "held triggered first second last" {
		t.Errorf("packages: %s", got)
	}
	// odd, noversion and the stanza without a name.
	if r.bad != 3 || r.badLines != 2 {
		t.Errorf("%d bad stanzas, %d bad lines; want 3 and 2", r.bad, r.badLines)
	}
	if got := strings.Join(r.notes, "; "); !strings.Contains(got, "1 removed package left") || !strings.Contains(got, "1 package is only partly installed") {
		t.Errorf("notes: %s", got)
	}
	if p := find(t, r.pkgs, "second"); p.Origin != "Vendor" {
		t.Errorf("Origin field should win over Maintainer: %+v", p)
	}
	if p := find(t, r.pkgs, "held"); ident(p) != "held|-|1.0|1|amd64|held|" {
		t.Errorf("held: %s", ident(p))
	}
	if p := find(t, r.pkgs, "last"); ident(p) != "last|1|9.0|1||last|" {
		t.Errorf("last: %s", ident(p))
	}
}

func TestSplitDebianVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1:2.3-4":          "1|2.3|4",
		"2.3":              "-|2.3|",
		"1:2.3":            "1|2.3|",
		"2.3-4-5":          "-|2.3-4|5",
		"x:2.3-4":          "-|x:2.3|4", // not an epoch: left in the version
		"0:1.0-1":          "0|1.0|1",
		"1:2:3-4":          "1|2:3|4",
		"-1":               "-|-1|",
		"99999999999:1.0":  "-|99999999999:1.0|",
		"1.2.11.dfsg-0ub2": "-|1.2.11.dfsg|0ub2",
	} {
		e, v, r := splitDebianVersion(in)
		es := "-"
		if e != nil {
			es = itoa(*e)
		}
		if got := es + "|" + v + "|" + r; got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

func TestParseDpkgListMtimes(t *testing.T) {
	m, bad := parseDpkgListMtimes("1700000000 bash.list\n1600000000 libc6:amd64.list\n\ngarbage\n-5 neg.list\n1 notalist\n1523000000 base-files.list\r\n")
	if bad != 3 || len(m) != 3 {
		t.Fatalf("%d bad, %v", bad, m)
	}
	pkgs := []snapshot.Package{{Name: "bash", Arch: "amd64"}, {Name: "libc6", Arch: "amd64"}, {Name: "libc6", Arch: "i386"}, {Name: "base-files", Arch: "amd64"}}
	if n := applyDpkgTimes(pkgs, m); n != 3 {
		t.Errorf("%d packages got a time, want 3", n)
	}
	if pkgs[1].InstallTime == nil || pkgs[1].InstallTime.Unix() != 1600000000 {
		t.Errorf("libc6:amd64 time %v", pkgs[1].InstallTime)
	}
	if pkgs[2].InstallTime != nil {
		t.Errorf("libc6:i386 has no list, got %v", pkgs[2].InstallTime)
	}
	if pkgs[3].InstallTime == nil || pkgs[3].InstallTime.Unix() != 1523000000 {
		t.Errorf("base-files time %v", pkgs[3].InstallTime)
	}
}

func TestParseRPMQA(t *testing.T) {
	text := "bash\t(none)\t3.2\t33.el5_11.4\tx86_64\t1459411552\tCentOS\tbash-3.2-33.el5_11.4.src.rpm\n" +
		"gpg-pubkey\t(none)\tf4a80eb5\t53a7ff4b\t(none)\t1554273471\t(none)\t(none)\n" +
		"bind-libs\t32\t9.8.2\t0.68.rc1.el6_10.1\tx86_64\t1538857101\tCentOS\tbind-9.8.2-0.68.rc1.el6_10.1.src.rpm\r\n" +
		"odd\t(none)\t1\t1\tnoarch\t(none)\tA\tvendor\twith tabs\todd-1-1.src.rpm\n" +
		"error: rpmdb: BDB0113 Thread/process 20263/140251984590912 failed\n" +
		"short\t(none)\t1\n" +
		"badepoch\tx\t1\t1\tnoarch\t1\tV\ts.src.rpm\n" +
		"badtime\t(none)\t1\t1\tnoarch\tyesterday\tV\ts.src.rpm\n" +
		"\tnoname\t1\t1\tnoarch\t1\tV\ts.src.rpm\n" +
		"\n"
	r := parseRPMQA(text)
	if len(r.pkgs) != 4 || r.bad != 5 {
		t.Fatalf("%d packages, %d bad; want 4 and 5", len(r.pkgs), r.bad)
	}
	if got := ident(r.pkgs[0]); got != "bash|-|3.2|33.el5_11.4|x86_64|bash-3.2-33.el5_11.4.src.rpm|CentOS" {
		t.Errorf("bash: %s", got)
	}
	if r.pkgs[0].InstallTime == nil || !r.pkgs[0].InstallTime.Equal(time.Unix(1459411552, 0)) {
		t.Errorf("bash install time %v", r.pkgs[0].InstallTime)
	}
	if got := ident(r.pkgs[1]); got != "gpg-pubkey|-|f4a80eb5|53a7ff4b|||" {
		t.Errorf("gpg-pubkey: %s", got)
	}
	if got := ident(r.pkgs[2]); got != "bind-libs|32|9.8.2|0.68.rc1.el6_10.1|x86_64|bind-9.8.2-0.68.rc1.el6_10.1.src.rpm|CentOS" {
		t.Errorf("bind-libs: %s", got)
	}
	if got := ident(r.pkgs[3]); got != "odd|-|1|1|noarch|odd-1-1.src.rpm|A\tvendor\twith tabs" || r.pkgs[3].InstallTime != nil {
		t.Errorf("odd: %s", got)
	}
}

func TestParseAPKInstalled(t *testing.T) {
	r := parseAPKInstalled(readFixture(t, "testdata/alpine-trivy/lib/apk/db/installed"))
	// 16 stanzas, one of which trivy wrote without a version.
	if len(r.pkgs) != 15 || r.bad != 1 || r.badLines != 0 {
		t.Fatalf("%d packages, %d bad, %d bad lines", len(r.pkgs), r.bad, r.badLines)
	}
	for name, want := range map[string]string{
		"musl":       "musl|-|1.1.14|r10|x86_64|musl|Timo Teräs <timo.teras@iki.fi>",
		"libc-utils": "libc-utils|-|0.7|r0|x86_64|libc-dev|Natanael Copa <ncopa@alpinelinux.org>",
		"test":       "test|-|2.9.11_pre20061021|r2|x86_64|test-parent|Carlo Landmeter <clandmeter@gmail.com>",
	} {
		if got := ident(find(t, r.pkgs, name)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	if p := find(t, r.pkgs, "musl"); p.InstallTime != nil {
		t.Error("a build time is not an install time")
	}
}

func TestSplitAPKVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.1.14-r10": "1.1.14|r10",
		"1.0":        "1.0|",
		"1.0-r":      "1.0-r|",
		"1.0-rc1":    "1.0-rc1|",
		"-r1":        "-r1|",
		"2.0-r1-r2":  "2.0-r1|r2",
	} {
		v, r := splitAPKVersion(in)
		if got := v + "|" + r; got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}
