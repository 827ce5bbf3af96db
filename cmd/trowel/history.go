package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/listing"
)

func newHistoryCommand() *cobra.Command {
	var flags cli.ListingFlags
	cmd := &cobra.Command{
		Use:   "history HOST",
		Short: "List a host's surveys in the store",
		Long: `List every survey of HOST in the store, the first recorded first: its reference
(HOST@N, usable wherever a snapshot is), when it was made, from where, what it
found of the OS and its end of life, how much was collected, its findings by
severity, and who recorded it.

HOST is the host's name as trowel hosts shows it, its host name, its short host
name or its FQDN; a name two hosts share is refused with both named.

Exit codes: 0 listed; 2 no such host, no store there, or it could not be read.`,
		Example: `  trowel history legacy
  trowel history legacy.example.com --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return flags.List(cmd.Context(), cmd.OutOrStdout(), func(s *store.Store, w io.Writer, format string) error {
				host, surveys, err := s.History(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return listing.History(w, format, host, surveys)
			})
		},
	}
	flags.Register(cmd.Flags())
	return cmd
}
