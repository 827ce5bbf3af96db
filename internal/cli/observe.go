package cli

import (
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/observe"
)

// Sampler opens what an observation window samples through: this machine, or one
// SSH connection kept open for the whole window. A disk or an evidence file has no
// live state to watch.
func (t *TargetFlags) Sampler(target string, window time.Duration) (observe.Sampler, error) {
	switch collect.Kind(target) {
	case "local":
		return observe.Local{}, nil
	case "root", "bundle":
		return nil, Errorf("Observe a live host: local or an SSH destination.", "--observe needs a running host; %s is read offline", target)
	}
	// The connection lives for the whole window; each sample has its own limit.
	return &observe.SSH{Options: t.remoteOptions(target, window+t.Timeout)}, nil
}
