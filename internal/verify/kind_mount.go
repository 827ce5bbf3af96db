package verify

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/spec"
)

// mount wants the filesystem mounted (or, when it was only declared, declared) at
// the mount point, of the same type, from the same device unless allowed another.
func (v evaluator) mount(e spec.Expectation, m spec.Mount) Check {
	ok := func(dev, fstype string) bool {
		if m.FSType != "" && fstype != m.FSType {
			return false
		}
		return e.Allows(spec.AllowDevice) || dev == m.Device
	}
	for _, have := range v.t.Storage.Mounts {
		if have.MountPoint == m.MountPoint && ok(have.Device, have.FSType) {
			return pass("%s mounted from %s (%s)", have.MountPoint, have.Device, have.FSType)
		}
	}
	for _, f := range v.t.Storage.Fstab {
		if !f.Commented && f.MountPoint == m.MountPoint && ok(f.Device, f.FSType) {
			if m.Declared || m.MountPoint == "/" {
				return pass("%s declared in /etc/fstab:%d", f.MountPoint, f.Line)
			}
			return fail([]string{fmt.Sprintf("/etc/fstab:%d %s %s", f.Line, f.Device, f.FSType)}, "mount "+m.MountPoint,
				"%s is in /etc/fstab on %s but not mounted %s", m.MountPoint, v.target, on(e))
		}
	}
	if m.MountPoint == "/" {
		return pass("the root filesystem is the new host's own")
	}
	dev := m.Device
	if e.Allows(spec.AllowDevice) {
		dev = "a " + m.FSType + " filesystem"
	}
	return v.absent(fail(nil, "add it to /etc/fstab and mount it", "%s is not mounted or declared on %s: expected %s %s", m.MountPoint, v.target, dev, on(e)))
}
