package analyze

import (
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// sysctl is one kernel parameter as the kernel survey records it.
func sysctl(key, state, inForce, origin, configured, file string, line int) snapshot.Sysctl {
	sc := snapshot.Sysctl{Key: key, State: state, Value: inForce, Evidence: []string{"cmd:sysctl-live"}}
	if file != "" {
		sc.Configured = &snapshot.SysctlSetting{Value: configured, File: file, Line: line, Origin: origin, Evidence: "file:" + file}
		sc.Evidence = append([]string{"file:" + file}, sc.Evidence...)
	}
	return sc
}

func TestSysctlRules(t *testing.T) {
	notApplied := sysctl("net.ipv4.tcp_fin_timeout", snapshot.SysctlRead, "60", snapshot.OriginAdmin, "30", "/etc/sysctl.conf", 71)
	for _, c := range []struct {
		name     string
		sysctls  []snapshot.Sysctl
		coverage snapshot.Status
		want     []string // finding IDs, sorted
	}{
		{"edited and never applied", []snapshot.Sysctl{notApplied}, snapshot.Collected,
			[]string{"sysctl.not-applied:net.ipv4.tcp_fin_timeout"}},
		{"applied", []snapshot.Sysctl{
			sysctl("net.core.somaxconn", snapshot.SysctlRead, "1024", snapshot.OriginAdmin, "1024", "/etc/sysctl.d/60-redmine.conf", 2),
		}, snapshot.Collected, nil},
		{"origin unknown counts as somebody's decision", []snapshot.Sysctl{
			sysctl("vm.swappiness", snapshot.SysctlRead, "60", snapshot.OriginUnknown, "10", "/etc/sysctl.d/90-tune.conf", 1),
		}, snapshot.Collected, []string{"sysctl.not-applied:vm.swappiness"}},
		{"the OS's own default, not applied in a container, is nobody's decision", []snapshot.Sysctl{
			sysctl("fs.protected_fifos", snapshot.SysctlRead, "0", snapshot.OriginOS, "1", "/usr/lib/sysctl.d/protect-links.conf", 7),
		}, snapshot.Collected, nil},
		{"a value written at boot under /run", []snapshot.Sysctl{
			sysctl("net.ipv4.ip_forward", snapshot.SysctlRead, "0", snapshot.OriginRuntime, "1", "/run/sysctl.d/10-vpn.conf", 1),
		}, snapshot.Collected, nil},
		{"watched and set by no file", []snapshot.Sysctl{
			sysctl("net.core.somaxconn", snapshot.SysctlRead, "4096", "", "", "", 0),
		}, snapshot.Collected, nil},
		{"value in force not read (offline)", []snapshot.Sysctl{
			sysctl("net.ipv4.tcp_fin_timeout", snapshot.SysctlUnknown, "", snapshot.OriginAdmin, "30", "/etc/sysctl.conf", 71),
		}, snapshot.Partial, []string{"coverage.incomplete"}},
		{"a directory unread: the winner is not sure, no verdict", []snapshot.Sysctl{notApplied}, snapshot.Partial,
			[]string{"coverage.incomplete"}},
		{"not surveyed at all", []snapshot.Sysctl{notApplied}, snapshot.Unavailable,
			[]string{"coverage.gap:sysctl"}},
		{"a parameter this kernel lacks", []snapshot.Sysctl{
			sysctl("net.bridge.bridge-nf-call-iptables", snapshot.SysctlAbsent, "", snapshot.OriginAdmin, "1", "/etc/sysctl.d/99-k8s.conf", 3),
		}, snapshot.Collected, []string{"sysctl.unknown-key:net.bridge.bridge-nf-call-iptables"}},
		{"the OS's line for a parameter this kernel lacks", []snapshot.Sysctl{
			sysctl("net.bridge.bridge-nf-call-iptables", snapshot.SysctlAbsent, "", snapshot.OriginOS, "0", "/etc/sysctl.conf", 30),
		}, snapshot.Collected, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := base()
			s.Kernel = snapshot.Kernel{Live: true, Sysctls: c.sysctls}
			s.Coverage[snapshot.SectionSysctl] = snapshot.Coverage{Status: c.coverage, Reason: "a reason"}
			var got []string
			for _, f := range Analyze(s, "en") {
				got = append(got, f.ID())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %v, want %v", got, c.want)
			}
		})
	}
}

func TestSysctlNotAppliedTellsBothValuesAndWhere(t *testing.T) {
	s := base()
	s.Kernel = snapshot.Kernel{Live: true, Sysctls: []snapshot.Sysctl{
		sysctl("net.ipv4.tcp_fin_timeout", snapshot.SysctlRead, "60", snapshot.OriginAdmin, "30", "/etc/sysctl.conf", 71),
	}}
	fs := Analyze(s, "en")
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	f := fs[0]
	if f.Severity != Medium || f.Inhibitor {
		t.Errorf("severity %s inhibitor %v", f.Severity, f.Inhibitor)
	}
	if want := "net.ipv4.tcp_fin_timeout is 60 in force but /etc/sysctl.conf:71 sets 30"; f.Title != want {
		t.Errorf("title %q, want %q", f.Title, want)
	}
	if !strings.Contains(f.Summary, "the next reboot changes it") || !strings.Contains(f.Remediation.Hint, "sysctl -p /etc/sysctl.conf") {
		t.Errorf("summary %q, hint %q", f.Summary, f.Remediation.Hint)
	}
	if f.Remediation.Command != "sysctl -p /etc/sysctl.conf" {
		t.Errorf("command %q", f.Remediation.Command)
	}
	for _, fact := range []string{"kernel.sysctls[net.ipv4.tcp_fin_timeout]", "/etc/sysctl.conf:71", "file:/etc/sysctl.conf", "cmd:sysctl-live"} {
		if !slices.Contains(f.Facts, fact) {
			t.Errorf("facts %v lack %s", f.Facts, fact)
		}
	}
	ja := Localize(f, "ja")
	if !strings.Contains(ja.Title, "/etc/sysctl.conf:71") || !hasJapanese(ja.Summary) {
		t.Errorf("japanese %q / %q", ja.Title, ja.Summary)
	}
}
