package cli

import (
	"time"

	"github.com/trowel-dev/trowel/internal/observe"
	"github.com/trowel-dev/trowel/internal/target"
)

// Sampler opens what an observation window samples through: this machine, or one
// SSH connection kept open for the whole window. A disk or a file has no live state
// to watch.
func (t *TargetFlags) Sampler(tg target.Target, window time.Duration) (observe.Sampler, error) {
	switch tg.Kind {
	case target.Local:
		return observe.Local{}, nil
	case target.SSH:
		// The connection lives for the whole window; each sample has its own limit.
		return &observe.SSH{Options: t.remoteOptions(tg.Arg, window+t.Timeout)}, nil
	}
	return nil, Errorf("Observe a live host: local or an SSH destination.", "--observe needs a running host; %s is %s, read offline", tg.Arg, tg.Kind.Describe())
}
