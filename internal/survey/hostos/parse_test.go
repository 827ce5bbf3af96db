package hostos

import (
	"reflect"
	"testing"
)

func TestParseKV(t *testing.T) {
	kv, bad := ParseKV(`# comment
NAME="CentOS Linux"
ID=centos
ID_LIKE='rhel fedora'
QUOTED="say \"hi\" \$HOME \\ back"
MIXED="a"'b'c
export ZONE="Asia/Tokyo"   # set by the installer
EMPTY=
CRLF="x"` + "\r" + `
not an assignment
1BAD=x
OPEN="never closed
TRAILING=word junk
`)
	want := map[string]string{
		"NAME": "CentOS Linux", "ID": "centos", "ID_LIKE": "rhel fedora",
		"QUOTED": `say "hi" $HOME \ back`, "MIXED": "abc", "ZONE": "Asia/Tokyo", "EMPTY": "",
		"CRLF": "x", "OPEN": "never closed", "TRAILING": "word",
	}
	if !reflect.DeepEqual(kv, want) {
		t.Errorf("ParseKV values:\n got %q\nwant %q", kv, want)
	}
	wantBad := []string{"not an assignment", "1BAD=x", `OPEN="never closed`, "TRAILING=word junk"}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("ParseKV bad lines: got %q, want %q", bad, wantBad)
	}
}

func TestParseKVRealOSRelease(t *testing.T) {
	kv, bad := ParseKV(fixture(t, "os-release/rhel-7.2"))
	if len(bad) != 0 {
		t.Errorf("bad lines in a real os-release: %q", bad)
	}
	if kv["ID"] != "rhel" || kv["VERSION_ID"] != "7.2" || kv["REDHAT_BUGZILLA_PRODUCT_VERSION"] != "7.2" || kv["PRETTY_NAME"] != "Employee SKU" {
		t.Errorf("rhel-7.2 os-release parsed as %q", kv)
	}
}

func TestParseReleaseLine(t *testing.T) {
	tests := []struct {
		file string
		want Release
	}{
		{"redhat-release/CENTOS_7.txt", Release{ID: "centos", Name: "CentOS Linux", Version: "7.6.1810", VersionID: "7.6", Codename: "Core", Pretty: "CentOS Linux release 7.6.1810 (Core)"}},
		{"redhat-release/CENTOS_STREAM.txt", Release{ID: "centos", Name: "CentOS Stream", Version: "8", VersionID: "8", Pretty: "CentOS Stream release 8"}},
		{"redhat-release/FEDORA.txt", Release{ID: "fedora", Name: "Fedora", Version: "23", VersionID: "23", Codename: "Twenty Three", Pretty: "Fedora release 23 (Twenty Three)"}},
		{"redhat-release/REDHAT_RELEASE1.txt", Release{ID: "rhel", Name: "Red Hat Enterprise Linux Server", Version: "6.7", VersionID: "6.7", Codename: "Santiago", Pretty: "Red Hat Enterprise Linux Server release 6.7 (Santiago)"}},
		// No space before the parenthesis: seen on real RHEL 6.10 hosts.
		{"redhat-release/REDHAT_RELEASE10.txt", Release{ID: "rhel", Name: "Red Hat Enterprise Linux Server", Version: "6.10", VersionID: "6.10", Codename: "Santiago", Pretty: "Red Hat Enterprise Linux Server release 6.10(Santiago)"}},
		{"redhat-release/REDHAT_RELEASE3.txt", Release{ID: "rhel", Name: "Red Hat Enterprise Linux", Version: "7.5-0.14", VersionID: "7.5", Pretty: "Red Hat Enterprise Linux release 7.5-0.14"}},
		{"redhat-release/REDHAT_RELEASE_10_0_BETA.txt", Release{ID: "rhel", Name: "Red Hat Enterprise Linux", Version: "10.0", VersionID: "10.0", Codename: "Coughlan", Pretty: "Red Hat Enterprise Linux release 10.0 Beta (Coughlan)"}},
		{"redhat-release/RHVH_RHV40.txt", Release{ID: "rhel", Name: "Red Hat Enterprise Linux", Version: "7.3", VersionID: "7.3", Pretty: "Red Hat Enterprise Linux release 7.3"}},
		{"release/centos-5.11-redhat-release", Release{ID: "centos", Name: "CentOS", Version: "5.11", VersionID: "5.11", Codename: "Final", Pretty: "CentOS release 5.11 (Final)"}},
		{"release/rhel-5.11-redhat-release", Release{ID: "rhel", Name: "Red Hat Enterprise Linux Server", Version: "5.11", VersionID: "5.11", Codename: "Tikanga", Pretty: "Red Hat Enterprise Linux Server release 5.11 (Tikanga)"}},
		{"release/centos-7.9-centos-release", Release{ID: "centos", Name: "CentOS Linux", Version: "7.9.2009", VersionID: "7.9", Codename: "Core", Pretty: "CentOS Linux release 7.9.2009 (Core)"}},
		{"release/amzn-2018.03-system-release", Release{ID: "amzn", Name: "Amazon Linux AMI", Version: "2018.03", VersionID: "2018.03", Pretty: "Amazon Linux AMI release 2018.03"}},
	}
	for _, tt := range tests {
		got, ok := ParseReleaseLine(fixture(t, tt.file))
		if !ok || got != tt.want {
			t.Errorf("%s:\n got %+v (ok=%v)\nwant %+v", tt.file, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "\n\n", "release 5", "CentOS Linux 7", "Ubuntu 14.04.6 LTS"} {
		if r, ok := ParseReleaseLine(bad); ok {
			t.Errorf("ParseReleaseLine(%q) = %+v, want not ok", bad, r)
		}
	}
}

func TestParseSuSERelease(t *testing.T) {
	got, ok := ParseSuSERelease(fixture(t, "release/sles-11.4-SuSE-release"))
	want := SuSE{ID: "sles", Name: "SUSE Linux Enterprise Server", Version: "11.4", Pretty: "SUSE Linux Enterprise Server 11 (x86_64)"}
	if !ok || got != want {
		t.Errorf("got %+v (ok=%v), want %+v", got, ok, want)
	}
	got, ok = ParseSuSERelease("openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n")
	want = SuSE{ID: "opensuse", Name: "openSUSE 13.2", Version: "13.2", Codename: "Harlequin", Pretty: "openSUSE 13.2 (x86_64)"}
	if !ok || got != want {
		t.Errorf("got %+v (ok=%v), want %+v", got, ok, want)
	}
	if _, ok := ParseSuSERelease("Slackware 14.2\n"); ok {
		t.Error("a non-SUSE first line was accepted")
	}
}

func TestParseDebianVersion(t *testing.T) {
	for in, want := range map[string]string{"6.0.10\n": "6.0.10", "12.5": "12.5", "bookworm/sid\n": "", "": "", "7.x": ""} {
		got, ok := ParseDebianVersion(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseDebianVersion(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestParseUname(t *testing.T) {
	got, ok := ParseUname("Linux\nweb01\n2.6.18-398.el5\nx86_64\n#1 SMP Tue Sep 16 20:50:52 EDT 2014\n")
	want := Uname{Sysname: "Linux", Nodename: "web01", Release: "2.6.18-398.el5", Machine: "x86_64", Version: "#1 SMP Tue Sep 16 20:50:52 EDT 2014"}
	if !ok || got != want {
		t.Errorf("five lines: got %+v (ok=%v), want %+v", got, ok, want)
	}
	// A real "uname -a" line: only the first three fields are trusted.
	got, ok = ParseUname(fixture(t, "uname/UNAME_BLANK_LINE.txt"))
	want = Uname{Sysname: "Linux", Nodename: "qqhrycsq2", Release: "2.6.32-279.el6.x86_64"}
	if !ok || got != want {
		t.Errorf("uname -a: got %+v (ok=%v), want %+v", got, ok, want)
	}
	// A debug line before the output (real insights-core case) is not our format.
	if u, ok := ParseUname(fixture(t, "uname/UNAME_FOREMAN_DEBUG.txt")); ok {
		t.Errorf("foreman debug output accepted as %+v", u)
	}
	if u, ok := ParseUname("Linux\nmy host\n3.10\nx86_64\n"); ok {
		t.Errorf("a node name with a space accepted as %+v", u)
	}
}

func TestParseCPUInfo(t *testing.T) {
	got := ParseCPUInfo(fixture(t, "proc/cpuinfo-hetero.txt"))
	if got != (CPUInfo{CPUs: 2, Hypervisor: false}) {
		t.Errorf("hetero: got %+v, want 2 CPUs without the hypervisor flag", got)
	}
	got = ParseCPUInfo("processor\t: 0\nflags\t\t: fpu vme hypervisor lahf_lm\n\nprocessor\t: 1\nflags\t\t: fpu vme hypervisor lahf_lm\n")
	if got != (CPUInfo{CPUs: 2, Hypervisor: true}) {
		t.Errorf("guest: got %+v", got)
	}
	// s390x summarises instead of listing processors one by one.
	got = ParseCPUInfo("vendor_id       : IBM/S390\n# processors    : 4\nbogomips per cpu: 3241.00\nprocessor 0: version = FF,  identification = 0133E8,  machine = 2964\n")
	if got.CPUs != 4 {
		t.Errorf("s390x: got %d CPUs, want 4", got.CPUs)
	}
}

func TestParseMemTotal(t *testing.T) {
	n, ok := ParseMemTotal(fixture(t, "proc/meminfo-excerpt.txt"))
	if !ok || n != 8009912*1024 {
		t.Errorf("got %d (ok=%v), want %d", n, ok, 8009912*1024)
	}
	for _, bad := range []string{"", "MemFree: 1 kB\n", "MemTotal:\n", "MemTotal: lots kB\n", "MemTotal: -5 kB\n", "MemTotal: 99999999999999999 kB\n"} {
		if n, ok := ParseMemTotal(bad); ok {
			t.Errorf("ParseMemTotal(%q) = %d, want not ok", bad, n)
		}
	}
}

func TestZoneFromLink(t *testing.T) {
	for target, want := range map[string]string{
		"/usr/share/zoneinfo/Asia/Tokyo":             "Asia/Tokyo",
		"../usr/share/zoneinfo/UTC":                  "UTC",
		"/usr/share/zoneinfo/posix/America/New_York": "America/New_York",
		"/usr/share/zoneinfo/Etc/GMT+5":              "Etc/GMT+5",
		"/etc/alternatives/localtime":                "",
		"/usr/share/zoneinfo/":                       "",
		"/usr/share/zoneinfo/../../../etc/passwd":    "",
	} {
		got, ok := ZoneFromLink(target)
		if got != want || ok != (want != "") {
			t.Errorf("ZoneFromLink(%q) = %q, %v; want %q", target, got, ok, want)
		}
	}
}

func TestSmallParsers(t *testing.T) {
	if id, ok := ParseMachineID("4c4c4544004b3610804cb4c04f4e3732\n"); !ok || id != "4c4c4544004b3610804cb4c04f4e3732" {
		t.Errorf("machine-id: %q %v", id, ok)
	}
	for _, bad := range []string{"", "uninitialized\n", "4C4C4544004B3610804CB4C04F4E3732", "4c4c45"} {
		if _, ok := ParseMachineID(bad); ok {
			t.Errorf("machine-id %q accepted", bad)
		}
	}
	if h, ok := ParseHostnameFile("# set by cloud-init\n\nweb01.example.com\n"); !ok || h != "web01.example.com" {
		t.Errorf("hostname file: %q %v", h, ok)
	}
	if h, ok := ParseHostnameFile("not a name!\n"); ok {
		t.Errorf("hostname file accepted %q", h)
	}
	for in, want := range map[string]string{
		"web01.example.com\n":                 "web01.example.com",
		"web01.example.com.\n":                "web01.example.com",
		"web01\n":                             "",
		"localhost.localdomain":               "",
		"hostname: Name or service not known": "",
	} {
		got, ok := ParseFQDN(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseFQDN(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got := Argv0("/usr/lib/systemd/systemd\x00--switched-root\x00--system\x00"); got != "/usr/lib/systemd/systemd" {
		t.Errorf("Argv0 = %q", got)
	}
	if z, ok := ParseTimezoneFile("Europe/Paris\n"); !ok || z != "Europe/Paris" {
		t.Errorf("timezone file: %q %v", z, ok)
	}
	if z, ok := ParseTimezoneFile("no idea\n"); ok {
		t.Errorf("timezone file accepted %q", z)
	}
}

func TestVirt(t *testing.T) {
	dmi := []struct{ vendor, product, want string }{
		{"QEMU\n", "Standard PC (i440FX + PIIX, 1996)\n", "kvm"},
		{"Red Hat\n", "KVM\n", "kvm"},
		{"OpenStack Foundation\n", "OpenStack Nova\n", "kvm"},
		{"VMware, Inc.\n", "VMware Virtual Platform\n", "vmware"},
		{"Microsoft Corporation\n", "Virtual Machine\n", "microsoft"},
		{"Microsoft Corporation\n", "Surface Pro\n", ""},
		{"Amazon EC2\n", "t3.micro\n", "amazon"},
		{"Amazon EC2\n", "i3.metal\n", ""},
		{"Google\n", "Google Compute Engine\n", "google"},
		{"Xen\n", "HVM domU\n", "xen"},
		{"innotek GmbH\n", "VirtualBox\n", "oracle"},
		{"Dell Inc.\n", "PowerEdge R720\n", ""},
	}
	for _, tt := range dmi {
		if got := DMIVirt(tt.vendor, tt.product); got != tt.want {
			t.Errorf("DMIVirt(%q, %q) = %q, want %q", tt.vendor, tt.product, got, tt.want)
		}
	}
	cg := map[string]string{
		"12:pids:/docker/3f1e2a\n1:name=systemd:/docker/3f1e2a\n":                      "docker",
		"0::/system.slice/docker-3f1e2a.scope\n":                                       "docker",
		"1:name=systemd:/lxc/web01\n":                                                  "lxc",
		"0::/machine.slice/libpod-4b2c.scope\n":                                        "podman",
		"11:memory:/kubepods/besteffort/pod1234/5678\n":                                "container (kubernetes)",
		"1:name=systemd:/user.slice/user-1000.slice/session-3.scope\n0::/user.slice\n": "",
		"0::/\n": "",
	}
	for text, want := range cg {
		if got := CgroupVirt(text); got != want {
			t.Errorf("CgroupVirt(%q) = %q, want %q", text, got, want)
		}
	}
	decide := []struct {
		name string
		f    VirtFacts
		want string
	}{
		{"detect wins", VirtFacts{Detect: "kvm", DockerEnv: true}, "kvm"},
		{"container before VM", VirtFacts{DockerEnv: true, DMIRead: true, Vendor: "QEMU"}, "docker"},
		{"podman", VirtFacts{ContainerEnv: true}, "podman"},
		{"xen pv", VirtFacts{HypervisorType: "xen\n"}, "xen"},
		{"flag only", VirtFacts{CPUFlag: true, CPUInfoRead: true}, "vm (unknown)"},
		{"bare metal", VirtFacts{DMIRead: true, Vendor: "Dell Inc.", CPUInfoRead: true}, "none"},
		// CentOS 5 kernels show no hypervisor flag: without DMI, silence proves nothing.
		{"cpuinfo alone", VirtFacts{CPUInfoRead: true}, ""},
		{"dmi alone", VirtFacts{DMIRead: true, Vendor: "Dell Inc."}, ""},
		{"nothing", VirtFacts{}, ""},
	}
	for _, tt := range decide {
		if got := DecideVirt(tt.f); got != tt.want {
			t.Errorf("%s: DecideVirt = %q, want %q", tt.name, got, tt.want)
		}
	}
	if v, ok := ParseDetectVirt("none\n"); !ok || v != "none" {
		t.Errorf("detect-virt none: %q %v", v, ok)
	}
	if _, ok := ParseDetectVirt("Failed to check for virtualization: Permission denied\n"); ok {
		t.Error("an error message was taken for a virtualization")
	}
}

func TestInittabDefault(t *testing.T) {
	el6 := "# inittab is only used by upstart for the default runlevel.\n#\nid:3:initdefault:\n"
	if lv, ok := InittabDefault(el6); !ok || lv != '3' {
		t.Errorf("EL6 inittab: %q %v", lv, ok)
	}
	el7 := "# inittab is no longer used when using systemd.\n#\n# systemd uses 'targets' instead of runlevels.\n"
	if _, ok := InittabDefault(el7); ok {
		t.Error("EL7's comment-only inittab named a runlevel")
	}
	if _, ok := InittabDefault("#id:5:initdefault:\nid:x:initdefault:\n"); ok {
		t.Error("a commented or malformed initdefault was accepted")
	}
}
