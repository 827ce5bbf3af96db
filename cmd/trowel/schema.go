package main

import (
	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func newSchemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "schema",
		Short:   "Print the JSON Schema of trowel's snapshots",
		Long:    "Print the JSON Schema (draft 2020-12) of the snapshot, generated from trowel's own types, for tools that consume snapshots.",
		Example: "  trowel schema > trowel-snapshot.schema.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if _, err := out.Write(snapshot.Schema()); err != nil {
				return err
			}
			_, err := out.Write([]byte("\n"))
			return err
		},
	}
}
