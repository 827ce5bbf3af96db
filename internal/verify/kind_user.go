package verify

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// user wants the account with its uid (unless allowed to differ), shell, home and
// groups.
func (v evaluator) user(e spec.Expectation, want spec.User) Check {
	for _, u := range v.t.Accounts.Users {
		if u.Name != want.Name {
			continue
		}
		var probs []string
		if want.UID != nil && u.UID != *want.UID && !e.Allows(spec.AllowUID) {
			probs = append(probs, fmt.Sprintf("uid %d, expected %d", u.UID, *want.UID))
		}
		if want.Shell != "" && path.Base(u.Shell) != path.Base(want.Shell) {
			probs = append(probs, fmt.Sprintf("shell %s, expected %s", u.Shell, want.Shell))
		}
		if want.Home != "" && u.Home != want.Home {
			probs = append(probs, fmt.Sprintf("home %s, expected %s", u.Home, want.Home))
		}
		for _, g := range want.Groups {
			if !slices.Contains(u.Groups, g) && u.Group != g {
				probs = append(probs, "not in group "+g)
			}
		}
		if len(probs) > 0 {
			return fail(probs, "usermod "+want.Name, "user %s on %s differs: %s %s", want.Name, v.target, strings.Join(probs, "; "), on(e))
		}
		return pass("user %s exists (uid %d)", u.Name, u.UID)
	}
	return v.absent(fail(nil, "create it (useradd) with its groups, home and keys", "user %s does not exist on %s %s", want.Name, v.target, on(e)))
}
