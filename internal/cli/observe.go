package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/observe"
	"github.com/trowel-dev/trowel/internal/remote"
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
	return &observe.SSH{Options: remote.Options{
		Target:           target,
		ConfigFile:       t.SSHConfig,
		KnownHostsFile:   t.KnownHosts,
		AcceptNewHostKey: t.AcceptNewHostKey,
		IdentityFiles:    t.Identity,
		Jump:             t.Jump,
		Sudo:             t.Sudo,
		SudoPassword:     readSudoPassword,
		ConnectTimeout:   t.ConnectTimeout,
		// The connection lives for the whole window; each sample has its own limit.
		Timeout: window + t.Timeout,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "trowel: "+format+"\n", args...)
		},
	}}, nil
}
