package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/listing"
)

func newLogCommand() *cobra.Command {
	var (
		flags cli.ListingFlags
		limit int
	)
	cmd := &cobra.Command{
		Use:   "log [HOST]",
		Short: "Show the store's audit trail: who surveyed what, with which trowel, and how it ended",
		Long: `Show the audit trail, the newest entry first: when, the operator (user and the
machine they ran trowel on), trowel's version, what was done, the survey it
recorded, the target, how it ended, and the command line. The trail is
append-only: trowel has no command that changes it, and the store refuses to.

With HOST, only the entries about that host.

Exit codes: 0 listed; 2 no such host, no store there, or it could not be read.`,
		Example: `  trowel log
  trowel log legacy --limit 20
  trowel log --format json -o audit.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return cli.Errorf("Give --limit 0 for every entry, or how many of the newest to show.", "--limit %d is negative", limit)
			}
			filter := store.AuditFilter{Limit: limit}
			if len(args) == 1 {
				filter.Host = args[0]
			}
			return flags.List(cmd.Context(), cmd.OutOrStdout(), func(s *store.Store, w io.Writer, format string) error {
				entries, err := s.AuditLog(cmd.Context(), filter)
				if err != nil {
					return err
				}
				return listing.Audit(w, format, entries)
			})
		},
	}
	flags.Register(cmd.Flags())
	cmd.Flags().IntVar(&limit, "limit", 0, "show only the newest N entries (0: all)")
	return cmd
}
