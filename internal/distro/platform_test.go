package distro

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestParsePlatform(t *testing.T) {
	tests := []struct {
		in   string
		want Platform
	}{
		{"debian-12", Platform{"debian", "12"}},
		{"debian-13", Platform{"debian", "13"}},
		{"ubuntu-24.04", Platform{"ubuntu", "24.04"}},
		{"almalinux-9", Platform{"almalinux", "9"}},
		{"rocky-9", Platform{"rocky", "9"}},
		{"amazonlinux-2023", Platform{"amzn", "2023"}},
		{"amzn-2023", Platform{"amzn", "2023"}},
		{"amzn-2", Platform{"amzn", "2"}},
		{"amzn-2018.03", Platform{"amzn", "1"}},
		{"centos-5", Platform{"centos", "5"}},
		{"CentOS-5.11", Platform{"centos", "5"}},
		{"centos7", Platform{"centos", "7"}},
		{"rhel-7", Platform{"rhel", "7"}},
		{"redhat-8.10", Platform{"rhel", "8"}},
		{"ol-8", Platform{"ol", "8"}},
		{"fedora-40", Platform{"fedora", "40"}},
		{"debian-bookworm", Platform{"debian", "12"}},
		{"ubuntu-noble", Platform{"ubuntu", "24.04"}},
		{" debian:11 ", Platform{"debian", "11"}},
	}
	for _, tt := range tests {
		got, err := ParsePlatform(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePlatform(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParsePlatformErrors(t *testing.T) {
	for _, in := range []string{"", "debian", "12", "windows-11", "debian-", "ubuntu-24", "ubuntu-2404",
		"debian-noble", "ubuntu-bookworm", "centos-stream", "rhel-9-beta", "debian 12 extra"} {
		_, err := ParsePlatform(in)
		if err == nil {
			t.Errorf("ParsePlatform(%q) accepted", in)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "debian-12") || !strings.Contains(msg, "amazonlinux-2023") || !strings.Contains(msg, "centos") {
			t.Errorf("ParsePlatform(%q) error does not list the accepted forms: %s", in, msg)
		}
	}
}

func TestPlatformStringRoundTrips(t *testing.T) {
	for _, p := range append(Targets(), Platform{"centos", "5"}, Platform{"amzn", "1"}, Platform{"amzn", "2"}) {
		back, err := ParsePlatform(p.String())
		if err != nil || back != p {
			t.Errorf("ParsePlatform(%q) = %v, %v; want %v", p.String(), back, err, p)
		}
	}
	if s := (Platform{"debian", "12"}).String(); s != "debian-12" {
		t.Errorf("String = %q", s)
	}
}

// TestPlatformOf feeds the os-release values (or, before os-release, the
// redhat-release version) that real releases carry.
func TestPlatformOf(t *testing.T) {
	tests := []struct {
		name string
		os   snapshot.OS
		want Platform
	}{
		{"CentOS 5.11 (redhat-release only)", snapshot.OS{ID: "centos", Family: "rhel", Version: "5.11", VersionID: "5.11"}, Platform{"centos", "5"}},
		{"CentOS 6.10 (redhat-release only)", snapshot.OS{ID: "centos", Version: "6.10", VersionID: "6.10"}, Platform{"centos", "6"}},
		{"CentOS 7", snapshot.OS{ID: "centos", Version: "7.9.2009", VersionID: "7"}, Platform{"centos", "7"}},
		{"RHEL 8", snapshot.OS{ID: "rhel", VersionID: "8.10"}, Platform{"rhel", "8"}},
		{"AlmaLinux 9", snapshot.OS{ID: "almalinux", VersionID: "9.4"}, Platform{"almalinux", "9"}},
		{"Rocky 9", snapshot.OS{ID: "rocky", VersionID: "9.3"}, Platform{"rocky", "9"}},
		{"Oracle Linux 8", snapshot.OS{ID: "ol", VersionID: "8.9"}, Platform{"ol", "8"}},
		{"Amazon Linux AMI 2018.03", snapshot.OS{ID: "amzn", VersionID: "2018.03"}, Platform{"amzn", "1"}},
		{"Amazon Linux AMI 2016.09", snapshot.OS{ID: "amzn", VersionID: "2016.09"}, Platform{"amzn", "1"}},
		{"Amazon Linux 2", snapshot.OS{ID: "amzn", VersionID: "2"}, Platform{"amzn", "2"}},
		{"Amazon Linux 2023", snapshot.OS{ID: "amzn", VersionID: "2023"}, Platform{"amzn", "2023"}},
		{"Debian 11", snapshot.OS{ID: "debian", Version: "11.11", VersionID: "11"}, Platform{"debian", "11"}},
		{"Debian 12", snapshot.OS{ID: "debian", VersionID: "12"}, Platform{"debian", "12"}},
		{"Debian testing before trixie's release", snapshot.OS{ID: "debian", Codename: "trixie"}, Platform{"debian", "13"}},
		{"Ubuntu 24.04", snapshot.OS{ID: "ubuntu", Version: "24.04.1 LTS (Noble Numbat)", VersionID: "24.04"}, Platform{"ubuntu", "24.04"}},
		{"Ubuntu 18.04", snapshot.OS{ID: "ubuntu", VersionID: "18.04"}, Platform{"ubuntu", "18.04"}},
		{"Fedora 40", snapshot.OS{ID: "fedora", VersionID: "40"}, Platform{"fedora", "40"}},
		{"upper-case ID", snapshot.OS{ID: "Debian", VersionID: "12"}, Platform{"debian", "12"}},
	}
	for _, tt := range tests {
		if got := PlatformOf(tt.os); got != tt.want {
			t.Errorf("%s: PlatformOf = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPlatformTraits(t *testing.T) {
	tests := []struct {
		p                     Platform
		family, init, manager string
	}{
		{Platform{"centos", "5"}, "rhel", "sysv", "rpm"},
		{Platform{"centos", "6"}, "rhel", "upstart", "rpm"},
		{Platform{"centos", "7"}, "rhel", "systemd", "rpm"},
		{Platform{"rhel", "5"}, "rhel", "sysv", "rpm"},
		{Platform{"amzn", "1"}, "rhel", "upstart", "rpm"},
		{Platform{"amzn", "2"}, "rhel", "systemd", "rpm"},
		{Platform{"amzn", "2023"}, "rhel", "systemd", "rpm"},
		{Platform{"almalinux", "9"}, "rhel", "systemd", "rpm"},
		{Platform{"rocky", "9"}, "rhel", "systemd", "rpm"},
		{Platform{"debian", "7"}, "debian", "sysv", "dpkg"},
		{Platform{"debian", "11"}, "debian", "systemd", "dpkg"},
		{Platform{"debian", "12"}, "debian", "systemd", "dpkg"},
		{Platform{"ubuntu", "14.04"}, "debian", "upstart", "dpkg"},
		{Platform{"ubuntu", "8.04"}, "debian", "upstart", "dpkg"},
		{Platform{"ubuntu", "16.04"}, "debian", "systemd", "dpkg"},
		{Platform{"ubuntu", "24.04"}, "debian", "systemd", "dpkg"},
		{Platform{"sles", "15"}, "", "systemd", ""},
	}
	for _, tt := range tests {
		if f := tt.p.Family(); f != tt.family {
			t.Errorf("%v.Family() = %q, want %q", tt.p, f, tt.family)
		}
		if i := tt.p.InitSystem(); i != tt.init {
			t.Errorf("%v.InitSystem() = %q, want %q", tt.p, i, tt.init)
		}
		if m := tt.p.PackageManager(); m != tt.manager {
			t.Errorf("%v.PackageManager() = %q, want %q", tt.p, m, tt.manager)
		}
	}
}

func TestTargets(t *testing.T) {
	var got []string
	for _, p := range Targets() {
		got = append(got, p.String())
		if p.Family() == "" || p.InitSystem() != "systemd" {
			t.Errorf("target %v: family %q init %q", p, p.Family(), p.InitSystem())
		}
	}
	want := "debian-12 debian-13 ubuntu-24.04 almalinux-9 rocky-9 amazonlinux-2023"
	if strings.Join(got, " ") != want {
		t.Errorf("Targets = %v, want %s", got, want)
	}
}
