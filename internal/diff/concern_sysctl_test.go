package diff

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestSysctlConcern(t *testing.T) {
	mk := func(live bool, inForce map[string]string, sysctls ...snapshot.Sysctl) *snapshot.Snapshot {
		cov := snapshot.Collected
		if !live {
			cov = snapshot.Partial
		}
		return &snapshot.Snapshot{Kernel: snapshot.Kernel{Live: live, InForce: inForce, Sysctls: sysctls},
			Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionSysctl: {Status: cov, Reason: "offline"}}}
	}
	admin := func(key, v string) snapshot.Sysctl {
		return snapshot.Sysctl{Key: key, Configured: &snapshot.SysctlSetting{Value: v, File: "/etc/sysctl.d/60-redmine.conf", Line: 2, Origin: snapshot.OriginAdmin}}
	}
	osDefault := snapshot.Sysctl{Key: "fs.protected_fifos", Configured: &snapshot.SysctlSetting{Value: "1", Origin: snapshot.OriginOS}}
	old := mk(true, map[string]string{"net.core.somaxconn": "1024", "kernel.shmmax": "4294967296", "fs.protected_fifos": "1", "kernel.random.entropy_avail": "256"},
		admin("net.core.somaxconn", "1024"), admin("kernel.shmmax", "4294967296"), osDefault)
	new := mk(true, map[string]string{"net.core.somaxconn": "4096", "kernel.shmmax": "4294967296", "fs.protected_fifos": "0", "kernel.random.entropy_avail": "3000"})
	c := &comparer{hosts: hosts{old: old, new: new}}
	c.compare(sysctlConcern)
	if len(c.diffs) != 1 || c.diffs[0].Item != "net.core.somaxconn" || c.diffs[0].Kind != Changed || c.diffs[0].Field != "value" {
		t.Fatalf("diffs = %+v", c.diffs)
	}
	// An offline NEW knows no value in force: a gap, not a difference.
	c = &comparer{hosts: hosts{old: old, new: mk(false, nil)}}
	c.compare(sysctlConcern)
	if len(c.diffs) != 0 || len(c.gaps) != 1 {
		t.Errorf("offline NEW: diffs %+v gaps %+v", c.diffs, c.gaps)
	}
}
