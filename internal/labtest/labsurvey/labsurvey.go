// Package labsurvey surveys the lab's hosts for tests, the way trowel does: as
// root over SSH with the lab's key. It stands apart from labtest, which
// internal/remote's own tests import, because it imports remote and collect.
package labsurvey

import (
	"context"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/remote"
)

// RootOptions reach host as root with the lab's key and known hosts, and no
// ssh_config of this machine's.
func RootOptions(lab *labtest.Lab, host string) remote.Options {
	return remote.Options{
		Target: lab.Hosts[host].URL("root"), ConfigFile: "none", KnownHostsFile: lab.KnownHosts,
		IdentityFiles: []string{lab.KeyFile}, ConnectTimeout: 15 * time.Second, Timeout: 3 * time.Minute,
	}
}

// Survey runs the probe on host (collect.SSH) while no lab operation runs
// (lab.Quietly): a test of another package may be rebooting that host.
func Survey(ctx context.Context, lab *labtest.Lab, host string) (*collect.Result, error) {
	var res *collect.Result
	err := lab.Quietly(func() (err error) {
		res, err = collect.SSH(ctx, RootOptions(lab, host))
		return err
	})
	return res, err
}
