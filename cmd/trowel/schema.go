package main

import (
	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func newSchemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "schema [snapshot|ledger]",
		Short: "Print the JSON Schema of trowel's snapshots, or of codify's migration ledger",
		Long: `Print the JSON Schema (draft 2020-12) of the snapshot, or with "ledger" of the
ledger.json trowel codify writes, each generated from trowel's own types, for tools
that consume them.`,
		Example: `  trowel schema > trowel-snapshot.schema.json
  trowel schema ledger > trowel-ledger.schema.json`,
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: []string{"snapshot", "ledger"},
		RunE: func(cmd *cobra.Command, args []string) error {
			doc := snapshot.Schema()
			if len(args) == 1 {
				switch args[0] {
				case "snapshot":
				case "ledger":
					doc = ledger.Schema()
				default:
					return cli.Errorf("Use trowel schema, trowel schema snapshot or trowel schema ledger.", "no schema %q", args[0])
				}
			}
			out := cmd.OutOrStdout()
			if _, err := out.Write(doc); err != nil {
				return err
			}
			_, err := out.Write([]byte("\n"))
			return err
		},
	}
}
