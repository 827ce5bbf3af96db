package verify

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

func init() {
	kindCases = append(kindCases, kindCase{name: "sysctl value in force",
		want: spec.Expectation{ID: "sysctl:net.core.somaxconn", Body: spec.Sysctl{Key: "net.core.somaxconn", Value: "1024"}},
		pass: func(s *snapshot.Snapshot) {
			s.Kernel = snapshot.Kernel{Live: true, InForce: map[string]string{"net.core.somaxconn": "1024"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Kernel = snapshot.Kernel{Live: true, InForce: map[string]string{"net.core.somaxconn": "4096"},
				Sysctls: []snapshot.Sysctl{{Key: "net.core.somaxconn", Value: "4096", State: snapshot.SysctlRead,
					Configured: &snapshot.SysctlSetting{Value: "4096", File: "/usr/lib/sysctl.d/50-default.conf", Line: 3}}}}
		},
		inFail: "net.core.somaxconn is 4096 on new, expected 1024"})
}

func TestSysctlDetails(t *testing.T) {
	e := spec.Expectation{ID: "sysctl:net.ipv4.ip_local_port_range", Body: spec.Sysctl{Key: "net.ipv4.ip_local_port_range", Value: "10000 65000"}}
	live := func(kv map[string]string) *snapshot.Snapshot {
		return host(func(s *snapshot.Snapshot) { s.Kernel = snapshot.Kernel{Live: true, InForce: kv} })
	}
	// /proc/sys separates the fields with a tab.
	if got := one(e, live(map[string]string{"net.ipv4.ip_local_port_range": "10000\t65000"})); got.Status != Pass {
		t.Errorf("whitespace: %s: %s", got.Status, got.Message)
	}
	got := one(e, live(map[string]string{"net.ipv4.ip_local_port_range": "32768 60999"}))
	if got.Status != Fail || !strings.Contains(got.Fix, "sysctl -w net.ipv4.ip_local_port_range='10000 65000'") || !strings.Contains(got.Fix, "/etc/sysctl.d") {
		t.Errorf("fix: %+v", got)
	}
	if got := one(e, live(map[string]string{})); got.Status != Fail || !strings.Contains(got.Message, "has no kernel parameter") {
		t.Errorf("a kernel without the parameter: %s: %s", got.Status, got.Message)
	}
	// Offline target: collected configuration, nothing in force.
	off := host(func(s *snapshot.Snapshot) {
		s.Coverage[snapshot.SectionSysctl] = snapshot.Coverage{Status: snapshot.Partial, Reason: "offline: a disk has no running kernel"}
	})
	if got := one(e, off); got.Status != Skipped || !strings.Contains(got.Message, "offline") {
		t.Errorf("offline target: %s: %s", got.Status, got.Message)
	}
	// A partial live read (cut short) that lacks the key: unknown, not missing.
	cut := live(map[string]string{})
	cut.Coverage[snapshot.SectionSysctl] = snapshot.Coverage{Status: snapshot.Partial, Reason: "cut short"}
	if got := one(e, cut); got.Status != Skipped {
		t.Errorf("cut short: %s: %s", got.Status, got.Message)
	}
	// A glob from an offline source: every matching parameter must hold.
	g := spec.Expectation{ID: "sysctl:net.ipv4.conf.*.rp_filter", Body: spec.Sysctl{Key: "net.ipv4.conf.*.rp_filter", Value: "1"}}
	both := map[string]string{"net.ipv4.conf.all.rp_filter": "1", "net.ipv4.conf.eth0.rp_filter": "2", "net.ipv4.conf.all.forwarding": "2"}
	if got := one(g, live(both)); got.Status != Fail || !strings.Contains(got.Message, "is 2 on new") {
		t.Errorf("glob: %s: %s", got.Status, got.Message)
	}
	both["net.ipv4.conf.eth0.rp_filter"] = "1"
	if got := one(g, live(both)); got.Status != Pass {
		t.Errorf("glob: %s: %s", got.Status, got.Message)
	}
}
