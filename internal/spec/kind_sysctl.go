package spec

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindSysctl expects a kernel parameter to have the same value.
const KindSysctl Kind = "sysctl"

// Sysctl is a kernel parameter and the value the old server ran with; the key may
// be a glob (net.ipv4.conf.*.rp_filter), which every matching parameter must meet.
type Sysctl struct {
	Key   string `yaml:"key,omitempty"`
	Value string `yaml:"value,omitempty"`
}

func (Sysctl) Kind() Kind { return KindSysctl }

var sysctlKind = def[Sysctl]{
	sections: []snapshot.Section{snapshot.SectionSysctl},
	derive:   (*deriver).sysctls,
	goss:     Sysctl.goss,
}

// sysctls expects every kernel parameter an administrator set (or that trowel could
// not tell was the OS's own default) to have the value the old server ran with.
// Parameters the old OS set by itself are left to the new OS's defaults, and no
// parameter is expected only because its value looked unusual: a kernel's default
// depends on its version and the machine's memory, so "not the default" cannot be
// told reliably.
func (d *deriver) sysctls() {
	if !d.usable("sysctl values", snapshot.SectionSysctl) {
		return
	}
	for _, s := range d.s.Kernel.Sysctls {
		if !s.SetByAdmin() {
			continue
		}
		c := s.Configured
		where := fmt.Sprintf("%s:%d", c.File, c.Line)
		if snapshot.SysctlSecret(s.Key) {
			d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("sysctl values: %s (%s) is a key: its value never left %s, so nothing is expected of it", s.Key, where, d.host))
			continue
		}
		e := Expectation{ID: "sysctl:" + s.Key, From: From{Source: where, Evidence: ev(s.Evidence...)}}
		b := Sysctl{Key: s.Key}
		switch s.State {
		case snapshot.SysctlRead:
			b.Value = s.Value
			if s.Value != c.Value {
				e.Note = fmt.Sprintf("in force on %s: %s, though %s sets %s (edited and never applied, or changed by hand since boot); the value the old server ran with is expected", d.host, s.Value, where, c.Value)
			}
		case snapshot.SysctlUnknown:
			b.Value = c.Value
			e.Note = "the value in force on " + d.host + " was not read (see the sysctl coverage): this is the configured value"
		default:
			// The old kernel had no such parameter, or it cannot be read back: the
			// line did nothing there that a replacement could repeat.
			continue
		}
		if c.Origin == snapshot.OriginUnknown {
			e.Note = join(e.Note, "whether an administrator set it is unknown ("+c.OriginWhy+")")
		}
		e.Body = b
		d.add(e)
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// goss writes goss's kernel-param resource. goss compares the value as /proc/sys
// holds it, fields separated by tabs, so a value of several fields is matched by a
// pattern that takes any blanks between them. A glob key has no goss resource: it
// is left to trowel verify.
func (s Sysctl) goss(g *gossfile, e Expectation) string {
	if strings.ContainsAny(s.Key, "*?[") {
		return "goss's kernel-param names one parameter, not a glob of them"
	}
	var value any = s.Value
	if f := strings.Fields(s.Value); len(f) > 1 {
		for i := range f {
			f[i] = regexp.QuoteMeta(f[i])
		}
		value = map[string]any{"match-regexp": `^\s*` + strings.Join(f, `\s+`) + `\s*$`}
	}
	g.put("kernel-param", s.Key, e, map[string]any{"value": value})
	return ""
}
