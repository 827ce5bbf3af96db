package hostos

import (
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

const el5Uname = "Linux\nlegacy01\n2.6.18-398.el5\nx86_64\n#1 SMP Tue Sep 16 20:50:52 EDT 2014\n"

// A CentOS 5 host: no os-release, no /etc/hostname, the name in sysconfig, a
// hypervisor shown by DMI only (the 2.6.18 kernel has no hypervisor CPU flag).
func TestSurveyCentOS5(t *testing.T) {
	in := input(
		fileStatus("/etc/os-release", evidence.StatusAbsent),
		fileStatus("/usr/lib/os-release", evidence.StatusAbsent),
		file("/etc/redhat-release", fixture(t, "release/centos-5.11-redhat-release")),
		fileStatus("/etc/hostname", evidence.StatusAbsent),
		file("/etc/sysconfig/network", "NETWORKING=yes\nNETWORKING_IPV6=no\nHOSTNAME=legacy01.corp.example\n"),
		file("/etc/sysconfig/clock", "ZONE=\"America/New_York\"\nUTC=true\nARC=false\n"),
		list("/etc", "f\tlocaltime\nd\tinit.d\n"),
		file("/etc/inittab", "id:3:initdefault:\n"),
		file("/proc/1/comm", "init\n"),
		file("/proc/1/cmdline", "init [3]\x00"),
		file("/proc/cpuinfo", fixture(t, "proc/cpuinfo-hetero.txt")),
		file("/proc/meminfo", fixture(t, "proc/meminfo-excerpt.txt")),
		file("/sys/class/dmi/id/sys_vendor", "VMware, Inc.\n"),
		file("/sys/class/dmi/id/product_name", "VMware Virtual Platform\n"),
		cmd("uname", el5Uname, 0),
		cmd("hostname-f", "legacy01.corp.example\n", 0),
		cmdStatus("systemd-detect-virt", evidence.StatusAbsent),
		cmdStatus("initctl-list", evidence.StatusAbsent),
	)
	New().Survey(in)

	h := in.Snap.Host
	if h.Hostname != "legacy01.corp.example" || h.FQDN != "legacy01.corp.example" || h.CPUs != 2 ||
		h.MemoryBytes != 8009912*1024 || h.Virtualization != "vmware" || h.MachineID != "" {
		t.Errorf("host = %+v", h)
	}
	o := in.Snap.OS
	want := snapshot.OS{ID: "centos", Family: "rhel", Name: "CentOS", Version: "5.11", VersionID: "5.11",
		Codename: "Final", PrettyName: "CentOS release 5.11 (Final)", Kernel: "2.6.18-398.el5", Arch: "x86_64",
		InitSystem: "sysv", PackageManager: "rpm", Timezone: "America/New_York"}
	o.Evidence = nil
	if !reflect.DeepEqual(o, want) {
		t.Errorf("os:\n got %+v\nwant %+v", o, want)
	}
	if c := in.Snap.Coverage[snapshot.SectionHost]; c.Status != snapshot.Collected {
		t.Errorf("host coverage = %+v", c)
	}
	if c := in.Snap.Coverage[snapshot.SectionOS]; c.Status != snapshot.Collected || !contains(c.Evidence, "file:/etc/redhat-release") {
		t.Errorf("os coverage = %+v", c)
	}
	if !contains(in.Snap.OS.Evidence, "file:/etc/sysconfig/clock") || !contains(in.Snap.Host.Evidence, "file:/etc/sysconfig/network") {
		t.Errorf("facts do not cite their files: host %v os %v", in.Snap.Host.Evidence, in.Snap.OS.Evidence)
	}
	checkCited(t, in)
}

// CentOS 7: os-release rounds the version to "7", centos-release has the full one;
// systemd is PID 1 and keeps the zone as the localtime link.
func TestSurveyCentOS7(t *testing.T) {
	in := input(
		file("/etc/os-release", fixture(t, "os-release/centos-7")),
		file("/etc/centos-release", fixture(t, "release/centos-7.9-centos-release")),
		file("/etc/redhat-release", fixture(t, "release/centos-7.9-centos-release")),
		file("/etc/hostname", "web02\n"),
		file("/etc/machine-id", "4c4c4544004b3610804cb4c04f4e3732\n"),
		list("/etc", "d\tsystemd\nl\tlocaltime\t../usr/share/zoneinfo/Asia/Tokyo\n"),
		file("/proc/1/comm", "systemd\n"),
		file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu hypervisor\n"),
		file("/proc/meminfo", "MemTotal:        1014976 kB\n"),
		cmd("systemd-detect-virt", "kvm\n", 0),
		cmd("uname", "Linux\nweb02\n3.10.0-1160.el7.x86_64\nx86_64\n#1 SMP Mon Oct 19 16:18:59 UTC 2020\n", 0),
		cmd("hostname-f", "web02\n", 0),
	)
	in.Snap.OS.PackageManager = "rpm-from-packages-surveyor"
	New().Survey(in)
	o := in.Snap.OS
	if o.ID != "centos" || o.Version != "7.9.2009" || o.VersionID != "7" || o.Codename != "Core" ||
		o.PrettyName != "CentOS Linux 7 (Core)" || o.InitSystem != "systemd" || o.Timezone != "Asia/Tokyo" ||
		o.Kernel != "3.10.0-1160.el7.x86_64" {
		t.Errorf("os = %+v", o)
	}
	if o.PackageManager != "rpm-from-packages-surveyor" {
		t.Errorf("package manager overwritten: %q", o.PackageManager)
	}
	h := in.Snap.Host
	if h.Hostname != "web02" || h.FQDN != "" || h.MachineID != "4c4c4544004b3610804cb4c04f4e3732" || h.Virtualization != "kvm" || h.CPUs != 1 {
		t.Errorf("host = %+v", h)
	}
	if !contains(o.Evidence, "file:/etc/centos-release") || !contains(o.Evidence, "list:/etc") || !contains(h.Evidence, "cmd:systemd-detect-virt") {
		t.Errorf("citations: os %v host %v", o.Evidence, h.Evidence)
	}
	checkCited(t, in)
}

func TestSurveyDebianUbuntuAmazon(t *testing.T) {
	tests := []struct {
		name  string
		items []*evidence.Item
		want  snapshot.OS
	}{
		{"debian 12 with point release", []*evidence.Item{
			file("/etc/os-release", fixture(t, "os-release/debian-12")),
			file("/etc/debian_version", "12.5\n"),
			file("/etc/timezone", "Europe/Paris\n"),
		}, snapshot.OS{ID: "debian", Family: "debian", Name: "Debian GNU/Linux", Version: "12.5", VersionID: "12", Codename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)", PackageManager: "dpkg", Timezone: "Europe/Paris"}},
		{"debian 13 real os-release", []*evidence.Item{
			file("/etc/os-release", fixture(t, "os-release/debian-13")),
		}, snapshot.OS{ID: "debian", Family: "debian", Name: "Debian GNU/Linux", Version: "13", VersionID: "13", Codename: "trixie", PrettyName: "Debian GNU/Linux 13 (trixie)", PackageManager: "dpkg"}},
		{"debian 6 without os-release", []*evidence.Item{
			fileStatus("/etc/os-release", evidence.StatusAbsent),
			file("/etc/debian_version", fixture(t, "release/debian-6-debian_version")),
		}, snapshot.OS{ID: "debian", Family: "debian", Name: "Debian GNU/Linux", Version: "6.0.10", VersionID: "6.0", Codename: "squeeze", PrettyName: "Debian GNU/Linux 6.0.10", PackageManager: "dpkg"}},
		{"ubuntu 12.04 from lsb-release", []*evidence.Item{
			file("/etc/debian_version", "wheezy/sid\n"),
			file("/etc/lsb-release", fixture(t, "release/ubuntu-12.04-lsb-release")),
		}, snapshot.OS{ID: "ubuntu", Family: "debian", Name: "Ubuntu", Version: "12.04.5", VersionID: "12.04", Codename: "precise", PrettyName: "Ubuntu 12.04.5 LTS", PackageManager: "dpkg"}},
		{"ubuntu 18.04", []*evidence.Item{
			file("/etc/os-release", fixture(t, "os-release/ubuntu-18.04")),
			file("/etc/debian_version", "buster/sid\n"),
		}, snapshot.OS{ID: "ubuntu", Family: "debian", Name: "Ubuntu", Version: "18.04.6", VersionID: "18.04", Codename: "bionic", PrettyName: "Ubuntu 18.04.6 LTS", PackageManager: "dpkg"}},
		{"amazon linux 1", []*evidence.Item{
			file("/etc/os-release", fixture(t, "os-release/amzn-2018.03")),
			file("/etc/system-release", fixture(t, "release/amzn-2018.03-system-release")),
		}, snapshot.OS{ID: "amzn", Family: "rhel", Name: "Amazon Linux AMI", Version: "2018.03", VersionID: "2018.03", PrettyName: "Amazon Linux AMI 2018.03", PackageManager: "rpm"}},
		{"fedora: parentheses hold the variant", []*evidence.Item{
			file("/etc/os-release", fixture(t, "os-release/fedora-24")),
		}, snapshot.OS{ID: "fedora", Family: "rhel", Name: "Fedora", Version: "24", VersionID: "24", PrettyName: "Fedora 24 (Server Edition)", PackageManager: "rpm"}},
		{"rhel 7.2", []*evidence.Item{
			file("/etc/os-release", fixture(t, "os-release/rhel-7.2")),
			file("/etc/redhat-release", fixture(t, "redhat-release/REDHAT_RELEASE2.txt")),
		}, snapshot.OS{ID: "rhel", Family: "rhel", Name: "Red Hat Enterprise Linux Server", Version: "7.2", VersionID: "7.2", Codename: "Maipo", PrettyName: "Employee SKU", PackageManager: "rpm"}},
		{"sles 11", []*evidence.Item{
			file("/etc/SuSE-release", fixture(t, "release/sles-11.4-SuSE-release")),
		}, snapshot.OS{ID: "sles", Family: "suse", Name: "SUSE Linux Enterprise Server", Version: "11.4", VersionID: "11.4", PrettyName: "SUSE Linux Enterprise Server 11 (x86_64)", PackageManager: "rpm"}},
		{"alpine without os-release", []*evidence.Item{
			file("/etc/alpine-release", fixture(t, "release/alpine-alpine-release")),
		}, snapshot.OS{ID: "alpine", Family: "alpine", Name: "Alpine Linux", Version: "3.18.4", VersionID: "3.18", PrettyName: "Alpine Linux v3.18", PackageManager: "apk"}},
	}
	for _, tt := range tests {
		in := input(tt.items...)
		New().Survey(in)
		got := in.Snap.OS
		got.Evidence = nil
		got.InitSystem = "" // decided elsewhere; these archives carry no PID 1
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
		if c := in.Snap.Coverage[snapshot.SectionOS]; c.Status != snapshot.Collected {
			t.Errorf("%s: os coverage = %+v", tt.name, c)
		}
		checkCited(t, in)
	}
}

func TestInitSystem(t *testing.T) {
	el6 := file("/etc/redhat-release", "CentOS release 6.10 (Final)\n")
	el7 := file("/etc/os-release", fixture(t, "os-release/centos-7"))
	u16 := file("/etc/os-release", "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"16.04\"\nVERSION=\"16.04.7 LTS (Xenial Xerus)\"\n")
	confs := list("/etc/init", "f\ttty.conf\nf\tcontrol-alt-delete.conf\n")
	sd := list("/etc/systemd/system", "d\tmulti-user.target.wants\n")
	tests := []struct {
		name    string
		offline bool
		items   []*evidence.Item
		want    string
	}{
		{"live systemd by comm", false, []*evidence.Item{file("/proc/1/comm", "systemd\n")}, "systemd"},
		{"live systemd by argv0", false, []*evidence.Item{file("/proc/1/comm", "init\n"), file("/proc/1/cmdline", "/lib/systemd/systemd\x00--system\x00")}, "systemd"},
		{"live upstart answers initctl", false, []*evidence.Item{el6, file("/proc/1/comm", "init\n"), cmd("initctl-list", "rc stop/waiting\ntty (/dev/tty1) start/running, process 1234\n", 0)}, "upstart"},
		{"live upstart by job files", false, []*evidence.Item{el6, file("/proc/1/comm", "init\n"), cmd("initctl-list", "", 1), confs}, "upstart"},
		{"live sysvinit", false, []*evidence.Item{file("/proc/1/comm", "init\n"), cmdStatus("initctl-list", evidence.StatusAbsent)}, "sysv"},
		{"container application", false, []*evidence.Item{file("/proc/1/comm", "java\n"), el7, sd}, ""},
		{"pid 1 hidden, systemctl ran", false, []*evidence.Item{fileStatus("/proc/1/comm", evidence.StatusDenied), cmd("systemctl-units", "sshd.service loaded active running OpenSSH\n", 0)}, "systemd"},
		{"offline EL7", true, []*evidence.Item{el7, sd, file("/etc/inittab", "# inittab is no longer used when using systemd.\n")}, "systemd"},
		{"offline EL6 with a stray systemd dir", true, []*evidence.Item{el6, sd, confs, file("/etc/inittab", "id:3:initdefault:\n")}, "upstart"},
		{"offline ubuntu 16.04 keeps /etc/init", true, []*evidence.Item{u16, sd, confs}, "systemd"},
		{"offline debian 9 with sysvinit-core", true, []*evidence.Item{file("/etc/os-release", "ID=debian\nVERSION_ID=\"9\"\n"), file("/etc/inittab", "id:2:initdefault:\n")}, "sysv"},
		{"offline CentOS 5", true, []*evidence.Item{file("/etc/redhat-release", "CentOS release 5.11 (Final)\n")}, "sysv"},
		{"offline unknown release, systemd layout", true, []*evidence.Item{sd, file("/etc/inittab", "# comment only\n")}, "systemd"},
		{"offline unknown release, nothing", true, nil, ""},
		{"offline alpine", true, []*evidence.Item{file("/etc/alpine-release", "3.18.4\n")}, "openrc"},
	}
	for _, tt := range tests {
		in := input(tt.items...)
		if tt.offline {
			offline(in)
		}
		got, used := InitSystem(in, Identify(in))
		if got != tt.want {
			t.Errorf("%s: InitSystem = %q, want %q", tt.name, got, tt.want)
		}
		if got != "" && len(used) == 0 {
			t.Errorf("%s: %q decided from no evidence", tt.name, got)
		}
	}
}

func TestHostnameFallbacks(t *testing.T) {
	in := input(cmd("uname", el5Uname, 0))
	New().Survey(in)
	if in.Snap.Host.Hostname != "legacy01" || !contains(in.Snap.Host.Evidence, "cmd:uname") {
		t.Errorf("uname fallback: %+v", in.Snap.Host)
	}
	in = input(file("/etc/HOSTNAME", "suse01.example.com\n"), cmd("uname", el5Uname, 0))
	New().Survey(in)
	if in.Snap.Host.Hostname != "suse01.example.com" {
		t.Errorf("/etc/HOSTNAME: %+v", in.Snap.Host)
	}
}

func TestVirtualizationFromItems(t *testing.T) {
	base := []*evidence.Item{file("/etc/hostname", "h\n"), file("/proc/meminfo", "MemTotal: 1024 kB\n")}
	tests := []struct {
		name  string
		items []*evidence.Item
		want  string
	}{
		// systemd-detect-virt exits 1 when it prints "none".
		{"detect none", []*evidence.Item{cmd("systemd-detect-virt", "none\n", 1)}, "none"},
		{"detect failed", []*evidence.Item{cmd("systemd-detect-virt", "", 1), file("/.dockerenv", "")}, "docker"},
		{"podman", []*evidence.Item{file("/run/.containerenv", "engine=\"podman-4.4.1\"\n")}, "podman"},
		{"xen pv", []*evidence.Item{file("/sys/hypervisor/type", "xen\n")}, "xen"},
		{"bare metal", []*evidence.Item{file("/sys/class/dmi/id/sys_vendor", "HP\n"), file("/sys/class/dmi/id/product_name", "ProLiant DL380 G7\n"), file("/proc/cpuinfo", fixture(t, "proc/cpuinfo-hetero.txt"))}, "none"},
		{"dmi denied", []*evidence.Item{fileStatus("/sys/class/dmi/id/sys_vendor", evidence.StatusDenied), file("/proc/cpuinfo", fixture(t, "proc/cpuinfo-hetero.txt"))}, ""},
		{"flag only", []*evidence.Item{file("/proc/cpuinfo", "processor : 0\nflags : fpu hypervisor\n")}, "vm (unknown)"},
	}
	for _, tt := range tests {
		in := input(append(append([]*evidence.Item{}, base...), tt.items...)...)
		New().Survey(in)
		if got := in.Snap.Host.Virtualization; got != tt.want {
			t.Errorf("%s: virtualization = %q, want %q", tt.name, got, tt.want)
		}
		checkCited(t, in)
	}
}

func TestTimezoneSources(t *testing.T) {
	tests := []struct {
		items []*evidence.Item
		want  string
	}{
		{[]*evidence.Item{file("/etc/timezone", "Europe/Berlin\n"), list("/etc", "l\tlocaltime\t/usr/share/zoneinfo/UTC\n")}, "Europe/Berlin"},
		{[]*evidence.Item{file("/etc/sysconfig/clock", "TIMEZONE=\"Europe/Rome\"\nHWCLOCK=\"-u\"\n")}, "Europe/Rome"},
		{[]*evidence.Item{list("/etc", "f\thosts\nl\tlocaltime\t/usr/share/zoneinfo/America/Sao_Paulo\n")}, "America/Sao_Paulo"},
		{[]*evidence.Item{list("/etc", "f\tlocaltime\n")}, ""},
	}
	for i, tt := range tests {
		in := input(tt.items...)
		New().Survey(in)
		if got := in.Snap.OS.Timezone; got != tt.want {
			t.Errorf("case %d: timezone = %q, want %q", i, got, tt.want)
		}
	}
}

func TestCoverage(t *testing.T) {
	// A disk read offline: the name and the release are there, the running machine is not.
	in := offline(input(
		file("/etc/os-release", fixture(t, "os-release/centos-7")),
		file("/etc/hostname", "db01\n"),
		fileStatus("/proc/cpuinfo", evidence.StatusAbsent),
		fileStatus("/proc/meminfo", evidence.StatusAbsent),
		cmdStatus("uname", evidence.StatusOffline),
		list("/etc/systemd/system", "d\tmulti-user.target.wants\n"),
	))
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionHost]; c.Status != snapshot.Partial || !strings.HasPrefix(c.Reason, "offline:") {
		t.Errorf("offline host coverage = %+v", c)
	}
	if c := in.Snap.Coverage[snapshot.SectionOS]; c.Status != snapshot.Collected {
		t.Errorf("offline os coverage = %+v", c)
	}
	if in.Snap.OS.InitSystem != "systemd" || in.Snap.Host.Virtualization != "" {
		t.Errorf("offline: init %q virt %q", in.Snap.OS.InitSystem, in.Snap.Host.Virtualization)
	}

	// The session died before anything arrived: everything was cut, nothing is "none".
	in = input()
	in.Archive.Complete = false
	New().Survey(in)
	for _, sec := range []snapshot.Section{snapshot.SectionHost, snapshot.SectionOS} {
		c := in.Snap.Coverage[sec]
		if c.Status != snapshot.Cut || !strings.Contains(c.Reason, "the collection ended before") {
			t.Errorf("cut archive, %s coverage = %+v", sec, c)
		}
	}
	if in.Snap.Host.Virtualization != "" {
		t.Errorf("cut archive claims virtualization %q", in.Snap.Host.Virtualization)
	}

	// os-release unreadable, no other release file: denied, not "unknown OS".
	in = input(fileStatus("/etc/os-release", evidence.StatusDenied), fileStatus("/usr/lib/os-release", evidence.StatusAbsent))
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionOS]; c.Status != snapshot.Denied || !strings.Contains(c.Reason, "permission denied reading /etc/os-release") {
		t.Errorf("denied os coverage = %+v", c)
	}

	// Only the kernel is known.
	in = input(cmd("uname", el5Uname, 0))
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionOS]; c.Status != snapshot.Partial || in.Snap.OS.Kernel != "2.6.18-398.el5" {
		t.Errorf("kernel-only os coverage = %+v, os %+v", c, in.Snap.OS)
	}

	// A release file with junk in it: keep what parsed, say so.
	in = input(file("/etc/os-release", "ID=centos\nVERSION_ID=\"7\"\n<<<garbage>>>\n"))
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionOS]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "garbage") || in.Snap.OS.ID != "centos" {
		t.Errorf("junk os-release coverage = %+v", c)
	}

	// Host name found but /proc/meminfo cut: partial, and the reason says why.
	in = input(file("/etc/hostname", "h\n"), file("/proc/cpuinfo", "processor : 0\n"))
	in.Archive.Complete = false
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionHost]; c.Status != snapshot.Partial || !strings.Contains(c.Reason, "/proc/meminfo") {
		t.Errorf("host coverage with meminfo cut = %+v", c)
	}
	checkCited(t, in)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
