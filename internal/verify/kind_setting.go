package verify

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// setting wants the service configured with the value (key and value normalised as
// spec does; a host name in it may differ when allowed).
func (v evaluator) setting(e spec.Expectation, want spec.Setting) Check {
	ss, present := v.settings(want.Service)
	if !present {
		return v.absent(fail(nil, "install and configure "+want.Service, "%s is not on %s, so %s = %s is not set %s", want.Service, v.target, want.Key, want.Value, on(e)))
	}
	var found []string
	for _, s := range ss {
		if spec.SettingKey(s.Key) != spec.SettingKey(want.Key) {
			continue
		}
		val := spec.NormalizeValue(s.Value)
		if val == want.Value || (e.Allows(spec.AllowHostname) && v.sameButHost(val, want.Value)) {
			return pass("%s %s = %s (%s)", want.Service, s.Key, s.Value, s.Source)
		}
		found = append(found, fmt.Sprintf("%s = %s (%s)", s.Key, s.Value, s.Source))
	}
	if len(found) > 0 {
		return fail(found, "set "+want.Key+" = "+want.Value, "%s on %s has %s, expected %s = %s %s", want.Service, v.target, strings.Join(found, "; "), want.Key, want.Value, on(e))
	}
	return fail(nil, "set "+want.Key+" = "+want.Value+" in "+want.Service+"'s configuration",
		"%s on %s does not set %s: expected %s = %s %s", want.Service, v.target, want.Key, want.Key, want.Value, on(e))
}

// settings are the target's settings of a service, and whether the service is there.
func (v evaluator) settings(service string) ([]snapshot.Setting, bool) {
	mw := v.t.Middleware
	var out []snapshot.Setting
	found := false
	switch service {
	case "sshd":
		for _, s := range v.t.Accounts.SSHD {
			out = append(out, snapshot.Setting{Key: s.Key, Value: s.Value, Source: s.Source})
		}
		return out, true
	case "postfix", "dovecot":
		for _, m := range mw.Mail {
			if m.Kind == service {
				out, found = append(out, m.Settings...), true
			}
		}
	default:
		for _, d := range mw.Databases {
			if d.Kind == service || (service == "mysql" || service == "mariadb") && (d.Kind == "mysql" || d.Kind == "mariadb") {
				out, found = append(out, d.Settings...), true
			}
		}
	}
	return out, found
}

func (v evaluator) sameButHost(a, b string) bool {
	h := v.t.Host.Hostname
	return h != "" && strings.ReplaceAll(a, h, "") == strings.ReplaceAll(b, v.src.Host, "")
}
