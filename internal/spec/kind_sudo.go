package spec

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindSudo expects a sudo rule to grant the same rights.
const KindSudo Kind = "sudo"

// Sudo is a sudo rule: who may run what as whom, and the Defaults bound to them.
type Sudo struct {
	Name     string   `yaml:"name,omitempty"` // the user, or %group
	RunAs    string   `yaml:"run_as,omitempty"`
	Commands []string `yaml:"commands,omitempty"`
	NoPasswd *bool    `yaml:"nopasswd,omitempty"`
	Defaults []string `yaml:"defaults,omitempty"`
}

func (Sudo) Kind() Kind { return KindSudo }

var sudoKind = def[Sudo]{
	sections: []snapshot.Section{snapshot.SectionSudo},
	derive:   (*deriver).sudo,
	goss:     Sudo.goss,
}

func (d *deriver) sudo() {
	if !d.usable("sudo rules", snapshot.SectionSudo) {
		return
	}
	for _, r := range d.s.Accounts.Sudo {
		b := Sudo{Name: r.Who, RunAs: r.RunAs, Commands: r.Commands, Defaults: userDefaults(r.Defaults)}
		if r.NoPasswd {
			b.NoPasswd = snapshot.Bool(true)
		}
		d.add(Expectation{ID: "sudo:" + r.Who, Body: b, From: From{Source: r.Source, Evidence: ev(r.Evidence)}})
	}
}

// userDefaults keeps the Defaults that bind particular users (Defaults:ops
// requiretty); the global ones are the sudo package's and change with it.
func userDefaults(ds []string) []string {
	var out []string
	for _, d := range ds {
		if strings.HasPrefix(d, "Defaults:") || strings.HasPrefix(d, "Defaults>") || strings.HasPrefix(d, "Defaults!") {
			out = append(out, d)
		}
	}
	return out
}

// NoPassword reports whether the rule lets its user in without a password.
func (s Sudo) NoPassword() bool { return s.NoPasswd != nil && *s.NoPasswd }

func (s Sudo) goss(g gossfile, _ Expectation) bool {
	who := strings.TrimPrefix(s.Name, "%")
	if strings.HasPrefix(s.Name, "%") {
		g.command("grep -rh '^%"+who+"' /etc/sudoers /etc/sudoers.d", strings.Join(s.Commands, ", "))
		return true
	}
	p := ""
	if s.NoPassword() {
		p = "NOPASSWD: "
	}
	g.command("sudo -l -U "+who, p+strings.Join(s.Commands, ", "))
	return true
}
