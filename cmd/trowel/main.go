// Command trowel surveys a server nobody understands any more, documents it, and helps
// move it to a current OS without losing anything.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/version"
)

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "trowel",
		Short: "Survey a legacy server agentlessly and document what it really does",
		Long: `trowel surveys a server over SSH with one read-only POSIX-sh probe (nothing is
installed on it), from this machine, from a mounted disk, or from a bundle made by
running the probe by hand; and turns the evidence into a versioned snapshot.

Exit codes: 0 success; 1 the command found failures or findings (where it has them);
2 usage error, or the evidence could not be collected or read.`,
		Version:       version.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newSurveyCommand(), newReportCommand(), newSpecCommand(), newVerifyCommand(), newDiffCommand(), newMapCommand(), newCodifyCommand(),
		newProbeCommand(), newSchemaCommand(), newVersionCommand(),
		newHostsCommand(), newHistoryCommand(), newLogCommand(), newWorkerCommand(), newJobsCommand(),
		newServeCommand(),
	)
	return root
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := newRootCommand().ExecuteContext(ctx)
	os.Exit(cli.Report(os.Stderr, err))
}
