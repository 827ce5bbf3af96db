package kernel

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Assignment is one line of a sysctl configuration file.
type Assignment struct {
	Key   string // dotted, as sysctl(8) prints it
	Value string // whitespace normalised
	Line  int
	// Glob is true when Key is a pattern that sets every parameter it matches.
	Glob bool
	// Exclude is a "-key" line without a value: the key is kept out of every glob.
	Exclude bool
}

// ParseConf reads a sysctl.conf or sysctl.d file as systemd-sysctl and procps do:
// "#" and ";" start comments, a leading "-" only says a failure to set the key is
// ignored, and either "/" or "." separates the key's parts (see DottedKey).
func ParseConf(text string) []Assignment {
	var out []Assignment
	for i, raw := range strings.Split(text, "\n") {
		l := strings.TrimSpace(raw)
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		k = strings.TrimSpace(k)
		dash := strings.HasPrefix(k, "-")
		k = strings.TrimSpace(strings.TrimPrefix(k, "-"))
		if k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		a := Assignment{Key: DottedKey(k), Line: i + 1, Glob: strings.ContainsAny(k, "*?[")}
		if !ok {
			if !dash {
				continue // systemd-sysctl ignores a line that assigns nothing
			}
			a.Exclude = true
		} else {
			a.Value = Normalize(v)
		}
		out = append(out, a)
	}
	return out
}

// DottedKey is the key in sysctl(8)'s dotted form. sysctl.d(5): when the first
// separator is a slash the key is a path below /proc/sys whose dots are literal
// (net/ipv4/conf/eth0.200/forwarding); when it is a dot, dots and slashes swap
// (net.ipv4.conf.eth0/200.forwarding names the same file).
func DottedKey(k string) string {
	if i := strings.IndexAny(k, "./"); i >= 0 && k[i] == '/' {
		return swap(strings.Trim(k, "/"))
	}
	return k
}

// ProcPath is the key's file below /proc/sys.
func ProcPath(dotted string) string { return snapshot.SysctlPath(dotted) }

// swap turns a path below /proc/sys into its dotted key (the mapping is its own
// inverse).
func swap(s string) string { return snapshot.SysctlPath(s) }

// Normalize makes values comparable: /proc/sys separates fields with tabs, files
// with spaces.
func Normalize(v string) string { return strings.Join(strings.Fields(v), " ") }

// Matches reports whether a dotted key matches a dotted glob pattern, part by part
// as the shell matches paths below /proc/sys.
func Matches(pattern, key string) bool { return snapshot.SysctlMatches(pattern, key) }

// Live is what the probe read from /proc/sys.
type Live struct {
	Values map[string]string // dotted key -> normalised value
	Done   bool              // the end marker arrived: the whole tree was read
}

// ParseLive reads the sysctl-live output: "/proc/sys/PATH:VALUE" per line of each
// parameter file (only a file's first line is its value; sysctl(8) prints a few
// multi-line ones the same way), then "# done".
func ParseLive(text string) Live {
	lv := Live{Values: map[string]string{}}
	for _, l := range strings.Split(text, "\n") {
		if l == "# done" {
			lv.Done = true
			continue
		}
		rest, under := strings.CutPrefix(l, "/proc/sys/")
		p, v, ok := strings.Cut(rest, ":")
		if !under || !ok || p == "" {
			continue
		}
		k := swap(p)
		if snapshot.SysctlSecret(k) {
			// The probe replaces it on the host; evidence from an older probe did not.
			v = probe.SecretSysctlValue
		}
		if _, dup := lv.Values[k]; !dup {
			lv.Values[k] = Normalize(v)
		}
	}
	return lv
}
