package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// group wants the group with its members, and its gid unless allowed to differ.
func (v evaluator) group(e spec.Expectation, want spec.Group) Check {
	for _, g := range v.t.Accounts.Groups {
		if g.Name != want.Name {
			continue
		}
		var missing []string
		for _, m := range want.Members {
			if !slices.Contains(g.Members, m) {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			return fail(g.Members, "gpasswd -a USER "+want.Name, "group %s on %s lacks members %s %s", want.Name, v.target, strings.Join(missing, ", "), on(e))
		}
		if want.GID != nil && g.GID != *want.GID && !e.Allows(spec.AllowUID) {
			return fail([]string{fmt.Sprintf("gid %d", g.GID)}, "groupmod -g", "group %s has gid %d on %s, expected %d %s", want.Name, g.GID, v.target, *want.GID, on(e))
		}
		return pass("group %s exists", want.Name)
	}
	return v.absent(fail(nil, "groupadd "+want.Name, "group %s does not exist on %s %s", want.Name, v.target, on(e)))
}
