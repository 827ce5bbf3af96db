package main

import (
	"errors"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/listing"
)

func newJobsCommand() *cobra.Command {
	var flags cli.ListingFlags
	cmd := &cobra.Command{
		Use:   "jobs [REQUEST]",
		Short: "Show the requests queued for workers, or one request's hosts and how far each is",
		Long: `Without REQUEST, list the requests trowel survey --enqueue queued: when, by whom,
and their hosts counted as done, failed, in flight (leased by a worker) and
waiting. With REQUEST, list its hosts: state (with when a lease runs out, or when a
host that failed is tried again), attempts, the worker of the latest attempt, the
survey recorded (HOST@N) and how the latest attempt ended. Times are UTC, the
database's.

Exit codes: 0 listed; 2 no such request, no store there, or it could not be read.`,
		Example: `  trowel jobs
  trowel jobs 7
  trowel jobs 7 --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var id int64
			if len(args) == 1 {
				n, err := strconv.ParseInt(args[0], 10, 64)
				if err != nil || n < 1 {
					return cli.Errorf("trowel jobs lists the requests with their numbers.", "%q is not a request's number", args[0])
				}
				id = n
			}
			return flags.List(cmd.Context(), cmd.OutOrStdout(), func(s *store.Store, w io.Writer, format string) error {
				if id == 0 {
					reqs, err := s.Requests(cmd.Context())
					if err != nil {
						return err
					}
					return listing.Requests(w, format, reqs)
				}
				r, jobs, err := s.RequestJobs(cmd.Context(), id)
				var nf *store.NotFoundError
				if errors.As(err, &nf) {
					return cli.Errorf("trowel jobs lists the requests with their numbers.", "%v", err)
				}
				if err != nil {
					return err
				}
				return listing.Jobs(w, format, r, jobs)
			})
		},
	}
	flags.Register(cmd.Flags())
	return cmd
}
