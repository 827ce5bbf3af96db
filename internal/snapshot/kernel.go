package snapshot

import (
	"path"
	"strings"
)

// Kernel is what the running kernel was told to do.
type Kernel struct {
	Sysctls []Sysctl `json:"sysctls"`
	// Live is true when the values in force were read from /proc/sys. It is false
	// offline (a disk has no running kernel) or when the read failed: then every
	// Sysctl's Value is unknown, never "empty".
	Live bool `json:"live"`
	// Order names the boot rules the configuration files were ranked by: which file
	// wins when two set the same key.
	Order string `json:"order,omitempty"`
	// InForce is every parameter /proc/sys held (key -> value, whitespace
	// normalised), so a replacement can be asked for any key the old server's
	// files set, which its own files may not.
	InForce map[string]string `json:"in_force,omitempty"`
}

// Sysctl is one kernel parameter: set by the boot configuration, or on trowel's short
// list of parameters migrations trip over, or both.
type Sysctl struct {
	Key string `json:"key"` // dotted, as sysctl(8) prints it: net.core.somaxconn
	// Value is the value in force, whitespace normalised to single spaces; set only
	// when State is "read".
	Value string `json:"value,omitempty"`
	// State is how the value in force was found: read, absent (not readable in
	// /proc/sys: this kernel has no such parameter, or it is write-only), or unknown
	// (not read: offline, or the read failed).
	State string `json:"state"`
	// Configured is the assignment that wins at boot; nil when no file sets the key.
	Configured *SysctlSetting `json:"configured,omitempty"`
	// Overridden are earlier assignments of the same key that the winner replaces.
	Overridden []SysctlSetting `json:"overridden,omitempty"`
	// Watched is true when the key was read because migrations trip over it, not
	// because a configuration file sets it.
	Watched  bool     `json:"watched,omitempty"`
	Evidence []string `json:"evidence"`
}

// Sysctl value states.
const (
	SysctlRead    = "read"
	SysctlAbsent  = "absent"
	SysctlUnknown = "unknown"
)

// SysctlSetting is one assignment in a configuration file.
type SysctlSetting struct {
	Value string `json:"value"`
	File  string `json:"file"`
	Line  int    `json:"line"`
	// Pattern is the key as written when it is a glob (net.ipv4.conf.*.rp_filter).
	Pattern string `json:"pattern,omitempty"`
	// Origin says whose decision the line is: admin (a file an administrator made or
	// edited), os (shipped by the distribution's packages, unchanged), runtime
	// (written under /run at boot by a program), or unknown.
	Origin string `json:"origin"`
	// OriginWhy says how Origin was told, so a reader can check it.
	OriginWhy string `json:"origin_why,omitempty"`
	Evidence  string `json:"evidence"`
}

// Origins of a sysctl setting.
const (
	OriginAdmin   = "admin"
	OriginOS      = "os"
	OriginRuntime = "runtime"
	OriginUnknown = "unknown"
)

// Applied reports whether the value in force is the configured one: false also when
// either is unknown.
func (s Sysctl) Applied() bool {
	return s.Configured != nil && s.State == SysctlRead && s.Value == s.Configured.Value
}

// SetByAdmin reports whether the parameter is configured by somebody's decision: an
// administrator's line, or one trowel could not tell from the OS's own default (which
// is then taken for a decision rather than dropped). The OS's and runtime lines are
// the distribution's, made for its kernel.
func (s Sysctl) SetByAdmin() bool {
	return s.Configured != nil && (s.Configured.Origin == OriginAdmin || s.Configured.Origin == OriginUnknown)
}

// SysctlMatches reports whether a dotted key matches a dotted glob pattern
// (sysctl.d(5)), part by part as the shell matches paths below /proc/sys: "*" never
// crosses a dot. Keys are written with dots; a part may itself hold a "/" (an
// interface named eth0.100 is net/ipv4/conf/eth0.100, key net.ipv4.conf.eth0/100).
func SysctlMatches(pattern, key string) bool {
	ok, err := path.Match(sysctlPath(pattern), sysctlPath(key))
	return err == nil && ok
}

// SysctlSecret tells the parameters that are keys: TCP Fast Open's server key and
// IPv6's stable_secret. The probe never sends their values (nor a file's line
// setting them), and nothing is expected or carried of them.
func SysctlSecret(key string) bool {
	return key == "net.ipv4.tcp_fastopen_key" || strings.HasPrefix(key, "net.ipv6.conf.") && strings.HasSuffix(key, ".stable_secret")
}

// SysctlPath is a dotted key's file below /proc/sys.
func SysctlPath(key string) string { return sysctlPath(key) }

func sysctlPath(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return '/'
		case '/':
			return '.'
		}
		return r
	}, s)
}
