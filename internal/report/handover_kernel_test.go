package report

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// labKernel is what the kernel survey found on the lab's legacy host: three lines
// of /etc/sysctl.d/60-redmine.conf applied at boot, a line added to
// /etc/sysctl.conf and never applied, the OS's own protect-links.conf, and a
// watched parameter no file sets.
func labKernel() snapshot.Kernel {
	admin := func(v, file string, line int) *snapshot.SysctlSetting {
		return &snapshot.SysctlSetting{Value: v, File: file, Line: line, Origin: snapshot.OriginAdmin,
			OriginWhy: file + " is owned by no package", Evidence: "file:" + file}
	}
	ev := []string{"file:/etc/sysctl.d/60-redmine.conf", "cmd:sysctl-live"}
	return snapshot.Kernel{Live: true, Order: "systemd-sysctl", InForce: map[string]string{"net.core.somaxconn": "1024", "vm.swappiness": "60"},
		Sysctls: []snapshot.Sysctl{
			{Key: "fs.protected_fifos", State: snapshot.SysctlRead, Value: "0", Evidence: ev, Configured: &snapshot.SysctlSetting{
				Value: "1", File: "/usr/lib/sysctl.d/protect-links.conf", Line: 7, Origin: snapshot.OriginOS}},
			{Key: "net.core.somaxconn", State: snapshot.SysctlRead, Value: "1024", Watched: true, Evidence: ev,
				Configured: admin("1024", "/etc/sysctl.d/60-redmine.conf", 2),
				Overridden: []snapshot.SysctlSetting{{Value: "128", File: "/etc/sysctl.d/10-old.conf", Line: 1, Origin: snapshot.OriginAdmin}}},
			{Key: "net.ipv4.tcp_fin_timeout", State: snapshot.SysctlRead, Value: "60", Watched: true, Evidence: ev,
				Configured: admin("30", "/etc/sysctl.conf", 71)},
			{Key: "net.bridge.bridge-nf-call-iptables", State: snapshot.SysctlAbsent, Evidence: ev,
				Configured: admin("1", "/etc/sysctl.d/99-k8s.conf", 3)},
			{Key: "vm.swappiness", State: snapshot.SysctlRead, Value: "60", Watched: true, Evidence: ev},
		}}
}

func TestHandoverKernelParameters(t *testing.T) {
	s := legacySnapshot(t)
	s.Kernel = labKernel()
	s.Coverage[snapshot.SectionSysctl] = snapshot.Coverage{Status: snapshot.Collected}
	md := string(render(t, s, "en", "md"))
	for _, want := range []string{
		"## Kernel parameters",
		"| `net.ipv4.tcp_fin_timeout` | `60` | `30 (/etc/sysctl.conf:71)` | administrator (/etc/sysctl.conf is owned by no package) | Not applied: the next reboot sets 30. |",
		"| `net.core.somaxconn` | `1024` | `1024 (/etc/sysctl.d/60-redmine.conf:2)` | administrator (/etc/sysctl.d/60-redmine.conf is owned by no package) | Replaces 128 (/etc/sysctl.d/10-old.conf:1). |",
		"| `fs.protected_fifos` | `0` | `1 (/usr/lib/sysctl.d/protect-links.conf:7)` | OS default | Not applied: the next reboot sets 1. |",
		"| `net.bridge.bridge-nf-call-iptables` | `no such parameter` |",
		"All 2 values in force are kept in the snapshot",
		"`sysctl.not-applied:net.ipv4.tcp_fin_timeout`", // the finding, with the section
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the kernel section lacks %q", want)
		}
	}
	if strings.Contains(md, "`vm.swappiness`") {
		t.Error("a value in force no file sets is listed")
	}
	ja := string(render(t, s, "ja", "md"))
	if !strings.Contains(ja, "## カーネルパラメーター") || !strings.Contains(ja, "未反映: 次回の再起動で 30 になります。") {
		t.Error("the Japanese kernel section is not told in Japanese")
	}
}

// A kernel section not read must not read as "no parameter set".
func TestHandoverKernelAbsenceIsNotEvidence(t *testing.T) {
	for _, c := range []struct {
		name     string
		coverage *snapshot.Coverage
		want     string
	}{
		{"denied", &snapshot.Coverage{Status: snapshot.Denied, Reason: "/etc/sysctl.d: permission denied"},
			"Not known: this part of the survey is denied (/etc/sysctl.d: permission denied). Its absence here does not mean there is none."},
		{"older snapshot", nil, L("en", "empty.not_surveyed")},
		{"collected, nothing set", &snapshot.Coverage{Status: snapshot.Collected}, L("en", "none.sysctl")},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := legacySnapshot(t)
			s.Kernel = snapshot.Kernel{}
			delete(s.Coverage, snapshot.SectionSysctl)
			if c.coverage != nil {
				s.Coverage[snapshot.SectionSysctl] = *c.coverage
			}
			d := Handover(s, nil, "en")
			var kernel *Section
			for _, sec := range d.All() {
				if sec.ID == "kernel" {
					kernel = sec
				}
			}
			if kernel == nil {
				t.Fatal("no kernel section")
			}
			tb := kernel.Blocks[len(kernel.Blocks)-1].(*Table)
			if tb.Empty != c.want {
				t.Errorf("empty text %q, want %q", tb.Empty, c.want)
			}
		})
	}
}
