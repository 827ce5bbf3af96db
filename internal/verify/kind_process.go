package verify

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/spec"
)

// process wants a process of the service (by function), or of the program, running
// as the user.
func (v evaluator) process(e spec.Expectation, p spec.Process) Check {
	what := p.Command
	if p.Service != "" {
		what = "a process of service " + p.Service
	}
	var found []string
	for _, q := range v.t.Processes {
		match := false
		if p.Service != "" {
			match = q.Service == p.Service || (q.Service != "" && distro.SameService(p.Service, q.Service))
		} else {
			match = spec.Program(q.Command) == p.Command
		}
		if !match {
			continue
		}
		if q.User == p.User {
			return pass("%s runs as %s (pid %d)", what, q.User, q.PID)
		}
		found = append(found, fmt.Sprintf("pid %d as %s: %s", q.PID, q.User, q.Command))
	}
	if len(found) > 0 {
		return fail(found, "run it as "+p.User+" (check the service's User/--user setting)",
			"%s runs on %s, but not as %s %s", what, v.target, p.User, on(e))
	}
	fix := "find what started it on the old host (a service, an @reboot job) and set that up"
	if e.Note != "" {
		fix = "it was " + e.Note + ": carry that job over"
	}
	return v.absent(fail(nil, fix,
		"%s is not running on %s: expected it running as %s %s", what, v.target, p.User, on(e)))
}
