package verify

import (
	"fmt"
	"slices"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// logFollow checks that some shipper on the target reads the log and that the
// position it records keeps up with what is written to it. Any shipper will do: a
// migration may well replace td-agent with fluent-bit.
func (v evaluator) logFollow(e spec.Expectation, want spec.LogFollow) Check {
	var found []string
	var stuck *Check
	var positionless []string
	for _, sh := range v.t.Logs.Shippers {
		var mine []snapshot.LogPosition
		for _, p := range sh.Positions {
			if p.Log == want.Log {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 && !slices.Contains(sh.Inputs, want.Log) {
			continue
		}
		if sh.Running == nil || !*sh.Running {
			found = append(found, fmt.Sprintf("%s reads %s but is not running", sh.Name, want.Log))
			continue
		}
		if len(mine) == 0 {
			found = append(found, fmt.Sprintf("%s reads %s (no position file trowel can read)", sh.Name, want.Log))
			positionless = append(positionless, sh.Name)
			continue
		}
		for _, p := range mine {
			found = append(found, describePosition(sh.Name, p))
			switch ok, known := p.Following(); {
			case ok:
				return Check{Status: Pass, Found: found, Message: fmt.Sprintf("%s keeps up with %s on %s (read %d of %d bytes)", sh.Name, want.Log, v.target, p.Offset, *p.LogBytes)}
			case known && stuck == nil:
				c := fail(nil, fmt.Sprintf("find out why %s stopped reading %s (its own log, its connection to the collector), then restart it", sh.Name, want.Log),
					"%s on %s is stuck on %s: %d bytes behind, its position last moved at %s but the log was written at %s %s",
					sh.Name, v.target, want.Log, p.Behind(), p.Recorded.Format(time.RFC3339), p.LogModified.Format(time.RFC3339), on(e))
				stuck = &c
			}
		}
	}
	if stuck != nil {
		stuck.Found = found
		return *stuck
	}
	if len(positionless) > 0 {
		return Check{Status: Skipped, Found: found, Message: fmt.Sprintf("%s reads %s on %s, but whether it keeps up cannot be told: it keeps no position trowel can read", positionless[0], want.Log, v.target)}
	}
	if len(found) > 0 {
		return fail(found, "start it and enable it at boot", "nothing running on %s ships %s: expected %s to keep up with it %s", v.target, want.Log, want.Name, on(e))
	}
	return v.absent(fail(nil, fmt.Sprintf("install a shipper that reads %s and sends it where %s did", want.Log, want.Name),
		"nothing on %s ships %s: expected %s to keep up with it %s", v.target, want.Log, want.Name, on(e)))
}

func describePosition(name string, p snapshot.LogPosition) string {
	s := fmt.Sprintf("%s: %s at byte %d", name, p.File, p.Offset)
	if p.LogBytes != nil {
		s += fmt.Sprintf(" of %d", *p.LogBytes)
	}
	if p.Recorded != nil {
		s += ", recorded " + p.Recorded.Format(time.RFC3339)
	}
	if p.LogModified != nil {
		s += ", log written " + p.LogModified.Format(time.RFC3339)
	}
	return s
}
