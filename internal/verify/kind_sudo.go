package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// sudo wants a rule for the same user or group granting the same commands as the
// same run-as, with the same password requirement and the user's own Defaults.
func (v evaluator) sudo(e spec.Expectation, want spec.Sudo) Check {
	var near []string
	for _, r := range v.t.Accounts.Sudo {
		if r.Who != want.Name {
			continue
		}
		near = append(near, r.Source)
		// "ALL" and "ALL:ALL" differ: sudo reads a missing group part as "the user's
		// own group", which ALL:ALL widens.
		if r.RunAs != want.RunAs || !slices.Equal(r.Commands, want.Commands) || want.NoPassword() != r.NoPasswd {
			continue
		}
		ok := true
		for _, d := range want.Defaults {
			if !slices.Contains(r.Defaults, d) {
				ok = false
			}
		}
		if ok {
			return pass("sudo rule for %s at %s", want.Name, r.Source)
		}
	}
	nopasswd := ""
	if want.NoPassword() {
		nopasswd = "NOPASSWD: "
	}
	desc := fmt.Sprintf("%s ALL=(%s) %s%s", want.Name, want.RunAs, nopasswd, strings.Join(want.Commands, ", "))
	if len(want.Defaults) > 0 {
		desc += " with " + strings.Join(want.Defaults, ", ")
	}
	if len(near) > 0 {
		return fail(near, "edit the rule with visudo", "sudo rights of %s differ on %s: expected %s %s", want.Name, v.target, desc, on(e))
	}
	return v.absent(fail(nil, "add it with visudo -f /etc/sudoers.d/...", "no sudo rule for %s on %s: expected %s %s", want.Name, v.target, desc, on(e)))
}
