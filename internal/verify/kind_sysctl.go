package verify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// sysctl checks a kernel parameter's value in force on the target. Values compare
// field by field, whatever blanks separate them (/proc/sys writes tabs, files
// spaces). A target whose values in force were not read (offline, or the read
// failed) tells nothing: skipped, never failed.
func (v evaluator) sysctl(e spec.Expectation, want spec.Sysctl) Check {
	k := v.t.Kernel
	if !k.Live {
		why := "not read"
		if c, ok := v.t.Coverage[snapshot.SectionSysctl]; ok && c.Reason != "" {
			why = c.Reason
		}
		return Check{Status: Skipped, Message: fmt.Sprintf("the kernel parameters in force on %s were not read (%s): cannot tell whether %s is %s", v.target, why, want.Key, want.Value)}
	}
	value := strings.Join(strings.Fields(want.Value), " ")
	names := []string{want.Key}
	if strings.ContainsAny(want.Key, "*?[") {
		names = matching(want.Key, k.InForce)
	}
	var found, wrong []string
	for _, key := range names {
		got, ok := k.InForce[key]
		if !ok {
			continue
		}
		f := key + " = " + got + v.sysctlSource(key)
		found = append(found, f)
		if strings.Join(strings.Fields(got), " ") != value {
			wrong = append(wrong, f)
		}
	}
	fix := fmt.Sprintf("sysctl -w %s='%s' now, and write \"%s = %s\" to a file in /etc/sysctl.d (e.g. /etc/sysctl.d/60-migrated.conf) so it holds after a reboot", want.Key, value, want.Key, value)
	switch {
	case len(found) == 0:
		return v.absent(fail(nil, "check the parameter's name on this kernel; if it was renamed, set the new name to "+value,
			"%s has no kernel parameter %s (expected %s) %s", v.target, want.Key, value, on(e)))
	case len(wrong) > 0:
		return fail(found, fix, "%s is %s on %s, expected %s %s", want.Key, strings.Join(valuesOf(wrong), ", "), v.target, value, on(e))
	}
	return pass("%s = %s%s", want.Key, value, v.sysctlSource(names[0]))
}

// sysctlSource says where the target's own boot configuration sets a key, if it does.
func (v evaluator) sysctlSource(key string) string {
	for _, s := range v.t.Kernel.Sysctls {
		if s.Key == key && s.Configured != nil {
			return fmt.Sprintf(" (set at boot by %s:%d to %s)", s.Configured.File, s.Configured.Line, s.Configured.Value)
		}
	}
	return ""
}

func matching(pattern string, inForce map[string]string) []string {
	var out []string
	for k := range inForce {
		if snapshot.SysctlMatches(pattern, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func valuesOf(found []string) []string {
	out := make([]string, len(found))
	for i, f := range found {
		_, v, _ := strings.Cut(f, " = ")
		if j := strings.Index(v, " (set at boot"); j >= 0 {
			v = v[:j]
		}
		out[i] = v
	}
	return out
}
