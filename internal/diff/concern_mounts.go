package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// ConcernMounts are the mounted filesystems, by mount point.
const ConcernMounts Concern = "mounts"

var mountsConcern = concern{id: ConcernMounts, section: snapshot.SectionStorage, read: eachSide(mountItems)}

func mountItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, m := range s.Storage.Mounts {
		fields := []field{{"fstype", m.FSType}}
		// A local device's name depends on the machine (sda1, vda1, a UUID); a
		// network mount's source is the dependency itself.
		if m.Network {
			fields = append(fields, field{"source", m.Device})
		}
		out = append(out, item{key: m.MountPoint, label: m.MountPoint, fields: fields, refs: refs(m.Evidence)})
	}
	return merge(out)
}
