package spec

import (
	"fmt"
	"regexp"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindMount expects a filesystem to be mounted or declared in fstab.
const KindMount Kind = "mount"

// Mount is a filesystem mounted, or declared in /etc/fstab and not mounted (noauto).
type Mount struct {
	MountPoint string `yaml:"mount_point,omitempty"`
	FSType     string `yaml:"fstype,omitempty"`
	Device     string `yaml:"device,omitempty"`
	Declared   bool   `yaml:"declared_only,omitempty"` // in fstab, not mounted (noauto)
}

func (Mount) Kind() Kind { return KindMount }

var mountKind = def[Mount]{
	sections: []snapshot.Section{snapshot.SectionStorage},
	derive:   (*deriver).mounts,
	goss:     Mount.goss,
}

func (d *deriver) mounts() {
	if !d.usable("mounts", snapshot.SectionStorage) {
		return
	}
	seen := map[string]bool{}
	for _, f := range d.s.Storage.Fstab {
		if f.Commented || f.FSType == "swap" || f.MountPoint == "none" {
			continue
		}
		seen[f.MountPoint] = true
		b := Mount{MountPoint: f.MountPoint, FSType: f.FSType, Device: f.Device}
		e := Expectation{ID: "mount:" + f.MountPoint, From: From{Source: fmt.Sprintf("/etc/fstab:%d", f.Line), Evidence: ev(f.Evidence)}}
		if !f.Network {
			// A local disk is a new disk on the new host.
			e.Allow = []string{AllowDevice}
		}
		if f.Mounted == nil || !*f.Mounted {
			b.Declared = true
		}
		if f.MountPoint == "/" {
			// The root filesystem is wherever the new host boots from.
			b.FSType = ""
		}
		e.Body = b
		d.add(e)
	}
	for _, m := range d.s.Storage.Mounts {
		if seen[m.MountPoint] || m.MountPoint == "/" {
			continue
		}
		seen[m.MountPoint] = true
		e := Expectation{ID: "mount:" + m.MountPoint, Body: Mount{MountPoint: m.MountPoint, FSType: m.FSType, Device: m.Device},
			From: From{Source: "mounted", Evidence: m.Evidence}}
		if !m.Network {
			e.Allow = []string{AllowDevice}
		}
		d.add(e)
	}
}

// goss finds a mount declared and not mounted (noauto) by its line in /etc/fstab,
// one not commented out; a mounted one by goss's mount resource.
func (m Mount) goss(g *gossfile, e Expectation) string {
	if m.Declared {
		g.put("file", "/etc/fstab", e, map[string]any{"exists": true,
			"contents": []string{gossLine(`^\s*[^#\s]\S*\s+` + regexp.QuoteMeta(m.MountPoint) + `\s`)}})
		return ""
	}
	a := map[string]any{"exists": true}
	if m.FSType != "" {
		a["filesystem"] = m.FSType
	}
	if !e.Allows(AllowDevice) && m.Device != "" {
		a["source"] = m.Device
	}
	g.put("mount", m.MountPoint, e, a)
	return ""
}
