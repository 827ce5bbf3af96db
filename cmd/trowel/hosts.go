package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/listing"
)

func newHostsCommand() *cobra.Command {
	var flags cli.ListingFlags
	cmd := &cobra.Command{
		Use:   "hosts",
		Short: "List the hosts in the store, each with its latest survey",
		Long: `List every host the store knows: its name (the inventory's, else the one its
survey found), operating system, end of life, latest survey, how much of it was
collected, its findings by severity, and its group.

The store is a SQLite file ($XDG_DATA_HOME/trowel/trowel.db unless --store or
TROWEL_STORE names another) or a team's PostgreSQL (--store postgres://...).

Exit codes: 0 listed; 2 no store there, or it could not be read.`,
		Example: `  trowel hosts
  trowel hosts --format json -o hosts.json
  trowel hosts --store postgres://trowel@db.example.com/trowel`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return flags.List(cmd.Context(), cmd.OutOrStdout(), func(s *store.Store, w io.Writer, format string) error {
				hosts, err := s.Hosts(cmd.Context())
				if err != nil {
					return err
				}
				return listing.Hosts(w, format, hosts)
			})
		},
	}
	flags.Register(cmd.Flags())
	return cmd
}
