package main

import (
	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/probe"
)

func newProbeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "probe",
		Short: "Print the probe script, to run by hand where trowel cannot connect",
		Long: `Print the POSIX-sh probe trowel runs on a target. It reads only, writes nothing
but its standard output, needs nothing beyond a minimal CentOS 5, and removes
secrets (password hashes, private keys, credential values) before they leave the host.`,
		Example: `  trowel probe > probe.sh
  # copy probe.sh to the host, then there:
  sh probe.sh > host.evidence          # as root for complete facts
  # bring host.evidence back, then:
  trowel survey host.evidence`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(probe.Script())
			return err
		},
	}
}
