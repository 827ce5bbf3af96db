package diff

import (
	"fmt"
	"sort"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernSysctl are the kernel parameters an administrator set on either host.
const ConcernSysctl Concern = "sysctl"

var sysctlConcern = concern{id: ConcernSysctl, section: snapshot.SectionSysctl, read: sysctlItems}

// sysctlItems compare the kernel parameters an administrator set on either host,
// by the value in force on each (the configured one where nothing was read). Only
// those: the hundreds of others differ between any two kernels (entropy, inode
// counts, memory-sized limits) and would bury the few that were decisions.
func sysctlItems(h *hosts) (olds, news []item) {
	keys := map[string]bool{}
	for _, s := range []*snapshot.Snapshot{h.old, h.new} {
		for _, sc := range s.Kernel.Sysctls {
			if sc.SetByAdmin() {
				keys[sc.Key] = true
			}
		}
	}
	read := func(s *snapshot.Snapshot) []item {
		conf := map[string]snapshot.Sysctl{}
		for _, sc := range s.Kernel.Sysctls {
			conf[sc.Key] = sc
		}
		var out []item
		for key := range keys {
			sc, configured := conf[key]
			value, known := s.Kernel.InForce[key]
			var refs []string
			switch {
			case known:
				refs = []string{"cmd:sysctl-live"}
			case !s.Kernel.Live && configured && sc.Configured != nil:
				value, known = sc.Configured.Value, true
			}
			if !known {
				continue
			}
			if configured && sc.Configured != nil {
				refs = append(refs, fmt.Sprintf("%s:%d", sc.Configured.File, sc.Configured.Line))
			}
			out = append(out, item{key: key, label: key, fields: []field{{"value", value}}, refs: refs})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
		return out
	}
	return read(h.old), read(h.new)
}
