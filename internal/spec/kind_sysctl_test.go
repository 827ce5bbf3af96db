package spec

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func sysctlSnapshot(live bool) *snapshot.Snapshot {
	set := func(v, file string, line int, origin string) *snapshot.SysctlSetting {
		return &snapshot.SysctlSetting{Value: v, File: file, Line: line, Origin: origin, OriginWhy: "test", Evidence: "file:" + file}
	}
	st := func(read string) (string, string) {
		if !live {
			return "", snapshot.SysctlUnknown
		}
		return read, snapshot.SysctlRead
	}
	mk := func(key, read string, c *snapshot.SysctlSetting) snapshot.Sysctl {
		v, state := st(read)
		return snapshot.Sysctl{Key: key, Value: v, State: state, Configured: c, Evidence: []string{c.Evidence, "cmd:sysctl-live"}}
	}
	return &snapshot.Snapshot{
		Host: snapshot.Host{Hostname: "legacy"},
		Kernel: snapshot.Kernel{Live: live, Sysctls: []snapshot.Sysctl{
			mk("net.core.somaxconn", "1024", set("1024", "/etc/sysctl.d/60-redmine.conf", 2, snapshot.OriginAdmin)),
			mk("net.ipv4.tcp_fin_timeout", "60", set("30", "/etc/sysctl.conf", 3, snapshot.OriginAdmin)),
			mk("net.ipv4.ip_local_port_range", "10000 65000", set("10000 65000", "/etc/sysctl.d/60-redmine.conf", 5, snapshot.OriginUnknown)),
			mk("fs.protected_hardlinks", "1", set("1", "/usr/lib/sysctl.d/protect-links.conf", 1, snapshot.OriginOS)),
			{Key: "kernel.gone", State: snapshot.SysctlAbsent, Configured: set("1", "/etc/sysctl.d/60-redmine.conf", 6, snapshot.OriginAdmin)},
			{Key: "vm.swappiness", Value: "60", State: snapshot.SysctlRead, Watched: true},
		}},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionSysctl: {Status: snapshot.Collected}},
	}
}

func TestDeriveSysctls(t *testing.T) {
	sp := &Spec{}
	d := deriver{s: sysctlSnapshot(true), host: "legacy", spec: sp}
	d.sysctls()
	ids := byID(sp)
	if len(sp.Expectations) != 3 {
		t.Errorf("expectations: %+v", sp.Expectations)
	}
	if e := ids["sysctl:net.core.somaxconn"]; bodyOf[Sysctl](t, e).Value != "1024" || e.Note != "" || e.From.Source != "/etc/sysctl.d/60-redmine.conf:2" ||
		len(e.From.Evidence) != 2 || e.From.Host != "legacy" {
		t.Errorf("somaxconn: %+v", e)
	}
	// Edited and never applied: the old server ran with 60, so 60 is expected.
	if e := ids["sysctl:net.ipv4.tcp_fin_timeout"]; bodyOf[Sysctl](t, e).Value != "60" || !strings.Contains(e.Note, "/etc/sysctl.conf:3 sets 30") {
		t.Errorf("fin_timeout: %+v", e)
	}
	if e := ids["sysctl:net.ipv4.ip_local_port_range"]; !strings.Contains(e.Note, "unknown") {
		t.Errorf("a setting of unknown origin is expected with a note: %+v", e)
	}
	for _, not := range []string{"sysctl:fs.protected_hardlinks", "sysctl:kernel.gone", "sysctl:vm.swappiness"} {
		if _, ok := ids[not]; ok {
			t.Errorf("unexpected %s", not)
		}
	}

	_, g := gossOf(t, sp)
	kp := g["kernel-param"]
	if kp["net.core.somaxconn"]["value"] != "1024" {
		t.Errorf("goss kernel-param: %v", kp)
	}
	if m, _ := kp["net.ipv4.ip_local_port_range"]["value"].(map[string]any); m["match-regexp"] != `^\s*10000\s+65000\s*$` {
		t.Errorf("a value of several fields: %v", kp["net.ipv4.ip_local_port_range"])
	}
}

func TestDeriveSysctlsOfflineAndUncollected(t *testing.T) {
	sp := &Spec{}
	d := deriver{s: sysctlSnapshot(false), host: "legacy", spec: sp}
	d.sysctls()
	e := byID(sp)["sysctl:net.ipv4.tcp_fin_timeout"]
	if bodyOf[Sysctl](t, e).Value != "30" || !strings.Contains(e.Note, "was not read") {
		t.Errorf("offline: the configured value with a note, got %+v", e)
	}

	s := sysctlSnapshot(true)
	s.Coverage[snapshot.SectionSysctl] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "no /proc"}
	sp = &Spec{}
	d = deriver{s: s, host: "legacy", spec: sp}
	d.sysctls()
	if len(sp.Expectations) != 0 || len(sp.Gaps) != 1 || !strings.Contains(sp.Gaps[0], "no /proc") {
		t.Errorf("uncollected: %+v gaps %q", sp.Expectations, sp.Gaps)
	}
}

// A parameter that is a key: nothing is expected of it, and the spec says why.
func TestDeriveSysctlSecretKey(t *testing.T) {
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "legacy"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionSysctl: {Status: snapshot.Collected}}}
	s.Kernel.Sysctls = []snapshot.Sysctl{{Key: "net.ipv4.tcp_fastopen_key", Value: "[secret, not read]", State: snapshot.SysctlRead,
		Configured: &snapshot.SysctlSetting{File: "/etc/sysctl.d/90-tfo.conf", Line: 1, Value: "<redacted>", Origin: snapshot.OriginAdmin}}}
	sp := Derive(s, "")
	for _, e := range sp.Expectations {
		if e.Kind() == KindSysctl {
			t.Errorf("expected of a secret: %+v", e)
		}
	}
	if !strings.Contains(strings.Join(sp.Gaps, "\n"), "net.ipv4.tcp_fastopen_key (/etc/sysctl.d/90-tfo.conf:1) is a key") {
		t.Errorf("gaps: %q", sp.Gaps)
	}
}
