package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/fleet"
)

func newWorkerCommand() *cobra.Command {
	var (
		target cli.TargetFlags
		st     cli.StoreFlags
		o      cli.WorkerOptions
	)
	cmd := &cobra.Command{
		Use:   "worker --store postgres://...",
		Short: "Survey the hosts queued in a team's PostgreSQL store, alongside any other workers",
		Long: `Take the jobs trowel survey --enqueue queued in a PostgreSQL store, survey each
host as trowel survey does, and record it there. Run as many workers as wanted, on
as many machines: they share the queue through the database alone (SELECT ... FOR
UPDATE SKIP LOCKED), and every host of a request is recorded once.

Each job is held under a lease (--lease) that the worker renews while it surveys
the host. A worker that stops (killed, its machine gone, cut off from the store)
lets its leases run out; the next worker to look takes those jobs again, and
whatever the first one had surveyed is never recorded. A host that fails is
queued again after --retry-after, and given up after the request's --attempts; the
audit trail (trowel log) has every attempt. An interrupt (Ctrl-C, SIGTERM) stops
taking jobs and gives back those in flight, unrecorded and not counted as
attempts.

The worker logs in as its own user, with that user's keys, ssh-agent,
~/.ssh/config and known_hosts (or --identity, --ssh-config, --known-hosts,
--accept-new-host-key): the queue carries how to reach each host (target, an
inventory's key file path, sudo, a jump host, time limits), never a password or
key. sudo must not ask for a password there: a worker has nobody to ask.

Without --once or --until-empty the worker keeps looking for jobs until it is
interrupted. Standard error gets a line per job as it ends.

Exit codes: 0 the worker ended as asked (how each host ended is in trowel jobs);
2 usage error, or the store could not be used.`,
		Example: `  trowel worker --store postgres://trowel_ops@db.example.com/trowel
  trowel worker --parallel 16 --lease 2m --until-empty
  trowel worker --once --identity ~/.ssh/estate_ed25519`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.Once && o.UntilEmpty:
				return cli.Errorf("", "give --once or --until-empty, not both")
			case o.Parallel < 1:
				return cli.Errorf("", "--parallel %d: a worker takes at least one job at a time", o.Parallel)
			case o.Lease < 3*time.Second:
				return cli.Errorf("The lease is renewed every third of it; give a few seconds at least (the default is 5m).", "--lease %s is too short", o.Lease)
			case o.Poll <= 0 || o.RetryAfter < 0:
				return cli.Errorf("", "--poll must be positive and --retry-after not negative")
			}
			ctx := cmd.Context()
			s, err := st.OpenQueue(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			o.Log = cmd.ErrOrStderr()
			_, err = target.Work(ctx, s, cli.NewWorkerID(), o)
			return err
		},
	}
	fs := cmd.Flags()
	fs.IntVar(&o.Parallel, "parallel", fleet.DefaultParallel(), "how many hosts to survey at once")
	fs.DurationVar(&o.Lease, "lease", 5*time.Minute, "how long a job stays this worker's without a renewal (renewed every third of it while the host is surveyed)")
	fs.BoolVar(&o.Once, "once", false, "take one round of jobs (up to --parallel), survey them, and end")
	fs.BoolVar(&o.UntilEmpty, "until-empty", false, "end when no job of any request is left to do (waiting for stopped workers' leases to run out, and taking their jobs)")
	fs.DurationVar(&o.Poll, "poll", 5*time.Second, "how often to look for jobs when there are none")
	fs.DurationVar(&o.RetryAfter, "retry-after", time.Minute, "how long a host that failed waits before it is tried again")
	target.RegisterCredentials(fs)
	st.Register(fs)
	return cmd
}
