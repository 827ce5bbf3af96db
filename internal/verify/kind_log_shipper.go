package verify

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// shipper wants a shipper of the same name, or any that sends to the same
// destinations, running and sending to every one of them.
func (v evaluator) shipper(e spec.Expectation, want spec.LogShipper) Check {
	desc := want.Name
	if want.Command != "" {
		desc = fmt.Sprintf("a process running %s", want.Command)
		if want.User != "" {
			desc += " as " + want.User
		}
	}
	if len(want.Destinations) > 0 {
		desc += ", sending to " + strings.Join(want.Destinations, ", ")
	}
	var found []string
	for _, sh := range v.t.Logs.Shippers {
		dst := map[string]bool{}
		for _, d := range sh.Destinations {
			dst[d.HostPort()] = true
		}
		sends := len(want.Destinations) > 0
		for _, d := range want.Destinations {
			sends = sends && dst[d]
		}
		if sh.Name != want.Name && !sends {
			continue
		}
		found = append(found, fmt.Sprintf("%s running=%s destinations=%v", sh.Name, tri(sh.Running), keys(dst)))
		if sh.Running == nil || !*sh.Running {
			continue
		}
		var missing []string
		for _, d := range want.Destinations {
			if !dst[d] {
				missing = append(missing, d)
			}
		}
		if len(missing) > 0 {
			return fail(found, "point its configuration at "+strings.Join(missing, ", "),
				"%s runs on %s but does not send to %s %s", sh.Name, v.target, strings.Join(missing, ", "), on(e))
		}
		return pass("%s runs and sends to %s", sh.Name, strings.Join(want.Destinations, ", "))
	}
	if len(found) > 0 {
		return fail(found, "start it and enable it at boot", "%s is installed but not running on %s: expected %s %s", want.Name, v.target, desc, on(e))
	}
	return v.absent(fail(nil, "install "+want.Name+" with its configuration and init script, then start it",
		"%s is not running on %s: expected %s %s", want.Name, v.target, desc, on(e)))
}

func tri(b *bool) string {
	if b == nil {
		return "unknown"
	}
	return fmt.Sprint(*b)
}
