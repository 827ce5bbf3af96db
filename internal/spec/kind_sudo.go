package spec

import (
	"regexp"
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

// goss asks sudo what a user may run (sudo -l -U, which reads includes and aliases
// as sudo does) and finds the rule's line there: "(ALL : ALL) NOPASSWD: ALL", with
// the Defaults bound to the user among the matching Defaults entries. sudo -l -U takes
// no group or User_Alias, so their rules are found in the sudoers files as written.
func (s Sudo) goss(g *gossfile, e Expectation) string {
	runAs := `(\([^)]*\)\s+)?`
	if s.RunAs != "" {
		parts := strings.Split(s.RunAs, ":")
		for i := range parts {
			parts[i] = gossWords(parts[i])
		}
		runAs = `\(\s*` + strings.Join(parts, `\s*:\s*`) + `\s*\)\s+`
	}
	tags := `((` + sudoTags + `):\s*)*`
	if s.NoPassword() {
		tags = `(\w+:\s*)*NOPASSWD:\s*(\w+:\s*)*`
	}
	cmds := make([]string, len(s.Commands))
	for i, c := range s.Commands {
		cmds[i] = gossWords(c)
	}
	rule := runAs + tags + strings.Join(cmds, `\s*,\s*`) + `\s*$`
	if strings.HasPrefix(s.Name, "%") || sudoAlias.MatchString(s.Name) {
		g.command(e, "", "cat /etc/sudoers /etc/sudoers.d/* 2>/dev/null; true",
			gossLine(`^\s*`+regexp.QuoteMeta(s.Name)+`\s+\S+\s*=\s*`+rule))
		return ""
	}
	patterns := []string{gossLine(`^\s*` + rule)}
	for _, d := range s.Defaults {
		who, opts, ok := strings.Cut(d, " ")
		if !ok || !strings.HasPrefix(who, "Defaults:") {
			continue // sudo -l -U lists the user's own Defaults, not a command's or a runas user's
		}
		for _, o := range strings.Split(opts, ",") {
			if o = strings.TrimSpace(o); sudoOption.MatchString(o) {
				patterns = append(patterns, gossLine(`(^|[\s,])`+regexp.QuoteMeta(o)+`(,|\s*$)`))
			}
		}
	}
	// Without a terminal sudo folds its listing at $COLUMNS, else 80 columns.
	g.command(e, "", "COLUMNS=10000 sudo -l -U "+shellWord(s.Name), patterns...)
	return ""
}

// sudoAlias is a User_Alias's name as sudoers allows it, which no user is.
var sudoAlias = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// sudoTags are the tags sudo -l prints before a rule's commands, but NOPASSWD: a
// rule that asked for a password must not now be let through without one.
const sudoTags = "PASSWD|SETENV|NOSETENV|EXEC|NOEXEC|LOG_INPUT|NOLOG_INPUT|LOG_OUTPUT|NOLOG_OUTPUT|MAIL|NOMAIL|FOLLOW|NOFOLLOW|INTERCEPT|NOINTERCEPT"

// sudoOption is a Defaults option sudo -l prints as written: a flag, a negated one,
// or a plain value (sudo escapes some characters of others, quotes go).
var sudoOption = regexp.MustCompile(`^!?\w+(=[\w.@/+-]+)?$`)
