package ledger

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindSysctl is a kernel parameter a file sets.
const KindSysctl Kind = "sysctl"

// KindMount is a filesystem mounted, or written in /etc/fstab to be.
const KindMount Kind = "mount"

// KindHosts is a line of /etc/hosts naming another system: hosts_entry:ADDRESS.
const KindHosts Kind = "hosts_entry"

// KindConfig is a configuration file changed from its package's, or no
// package's.
const KindConfig Kind = "config"

var (
	sysctlKind = kind{name: KindSysctl, read: (*reader).sysctls, tests: []spec.Kind{spec.KindSysctl}, claim: one(KindSysctl)}
	mountKind  = kind{name: KindMount, read: (*reader).mounts, tests: []spec.Kind{spec.KindMount}, claim: one(KindMount)}
	hostsKind  = kind{name: KindHosts, read: (*reader).hosts}
	configKind = kind{name: KindConfig, read: (*reader).configs}
)

func (r *reader) sysctls() {
	for _, sc := range r.s.Kernel.Sysctls {
		c := sc.Configured
		if c == nil {
			continue
		}
		r.add(KindSysctl, sc.Key, fmt.Sprintf("%s = %s (%s)", sc.Key, c.Value, c.Origin), fmt.Sprintf("%s:%d", c.File, c.Line), sc.Evidence...)
	}
}

func (r *reader) mounts() {
	seen := map[string]bool{}
	for _, m := range r.s.Storage.Mounts {
		seen[m.MountPoint] = true
		r.add(KindMount, m.MountPoint, fmt.Sprintf("%s (%s) mounted on %s", m.Device, m.FSType, m.MountPoint), "", m.Evidence...)
	}
	for _, f := range r.s.Storage.Fstab {
		if f.Commented || seen[f.MountPoint] {
			continue
		}
		seen[f.MountPoint] = true
		r.add(KindMount, f.MountPoint, fmt.Sprintf("%s (%s) on %s in /etc/fstab", f.Device, f.FSType, f.MountPoint), fmt.Sprintf("/etc/fstab:%d", f.Line), f.Evidence)
	}
}

// OwnAddress says whether an /etc/hosts address is the host's own (or loopback).
func OwnAddress(s *snapshot.Snapshot, addr string) bool {
	if snapshot.AddressReach(addr) == snapshot.ReachLoopback || len(addr) > 3 && (addr[:4] == "fe00" || addr[:3] == "ff0") {
		return true
	}
	for _, ifc := range s.Network.Interfaces {
		for _, a := range ifc.Addresses {
			if ip, _, _ := cutSlash(a); ip == addr {
				return true
			}
		}
	}
	return false
}

func cutSlash(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '/' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func (r *reader) hosts() {
	for _, h := range r.s.Network.Hosts {
		if OwnAddress(r.s, h.Address) {
			continue
		}
		r.add(KindHosts, h.Address, h.Address+" is "+joinComma(h.Names), fmt.Sprintf("/etc/hosts:%d", h.Line), h.Evidence)
	}
}

func (r *reader) configs() {
	for _, c := range r.s.Files.Configs {
		what := c.State
		if c.Package != "" {
			what += " (package " + c.Package + ")"
		}
		r.add(KindConfig, c.Path, c.Path+" "+what, c.Path, c.Evidence...)
	}
}
