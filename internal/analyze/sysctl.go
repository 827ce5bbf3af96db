package analyze

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// decidedSysctls are the configured kernel parameters that are somebody's decision
// (an administrator's, or a line trowel could not tell from the OS's own default),
// and only when the sysctl section is the whole truth: with a configuration
// directory unread, the line taken for the winner may not be the one the host
// applies at boot, and then the coverage-gap rule speaks instead.
func decidedSysctls(s *snapshot.Snapshot) []snapshot.Sysctl {
	if !collected(s, snapshot.SectionSysctl) {
		return nil
	}
	var out []snapshot.Sysctl
	for _, sc := range s.Kernel.Sysctls {
		if sc.SetByAdmin() {
			out = append(out, sc)
		}
	}
	return out
}

// sysctlNotApplied: the value in force is not the one the boot configuration sets.
// Either a file was edited and never applied, or somebody set the value by hand
// afterwards; the next reboot silently changes the server's behaviour either way,
// and a rebuild copied from the files would not run as the old server did.
func sysctlNotApplied(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, sc := range decidedSysctls(s) {
		if sc.State != snapshot.SysctlRead || sc.Applied() {
			continue
		}
		c := sc.Configured
		where := fmt.Sprintf("%s:%d", c.File, c.Line)
		out = append(out, Finding{
			Subject: sc.Key,
			Facts:   append([]string{"kernel.sysctls[" + sc.Key + "]", where}, sc.Evidence...),
			Args: map[string]string{
				"key": sc.Key, "value": sc.Value, "configured": c.Value, "where": where, "file": c.File,
			},
			Remediation: Remediation{Command: "sysctl -p " + c.File},
		})
	}
	return out
}

// sysctlUnknownKey: a file sets a parameter this kernel does not have (a module not
// loaded, a parameter renamed or removed). The line did nothing here; a newer
// kernel that has the parameter would suddenly apply it.
func sysctlUnknownKey(s *snapshot.Snapshot) []Finding {
	var out []Finding
	for _, sc := range decidedSysctls(s) {
		if sc.State != snapshot.SysctlAbsent {
			continue
		}
		c := sc.Configured
		where := fmt.Sprintf("%s:%d", c.File, c.Line)
		out = append(out, Finding{
			Subject: sc.Key,
			Facts:   append([]string{"kernel.sysctls[" + sc.Key + "]", where}, sc.Evidence...),
			Args:    map[string]string{"key": sc.Key, "configured": c.Value, "where": where},
		})
	}
	return out
}
