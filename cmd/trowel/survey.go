package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/survey"
)

func newSurveyCommand() *cobra.Command {
	var (
		target       cli.TargetFlags
		output       string
		format       string
		keepEvidence string
	)
	cmd := &cobra.Command{
		Use:   "survey TARGET",
		Short: "Survey a host and write its snapshot",
		Long: `Survey a host and write its snapshot. TARGET is one of:
  local                          this machine, through the same probe run by /bin/sh
  [ssh://][user@]host[:port]     a host over SSH (or a Host alias of ~/.ssh/config)
  DIRECTORY                      the root of a mounted disk or image, read offline
  FILE                           evidence made by the probe by hand, or kept with --keep-evidence

Nothing is installed on the target and nothing is written there. Every section of
the snapshot says whether it was collected, partial, unavailable, denied or timed out.

Exit codes: 0 surveyed; 2 usage error, or the evidence could not be collected (what
did arrive is still written).`,
		Example: `  trowel survey local
  trowel survey ssh://admin@legacy.example.com --sudo -o legacy.json
  trowel survey legacy -J bastion.example.com --keep-evidence legacy.evidence
  trowel survey /mnt/legacy-disk --format json
  trowel survey host.evidence -o host.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return cli.Errorf("Use --format text or --format json.", "unknown format %q", format)
			}
			res, err := target.Collect(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if keepEvidence != "" {
				if err := os.WriteFile(keepEvidence, res.Raw, 0o600); err != nil {
					return cli.Errorf("", "cannot keep the evidence: %v", err)
				}
			}
			snap := survey.Run(res.Archive, res.Source, res.Raw)
			doc, err := json.MarshalIndent(snap, "", "  ")
			if err != nil {
				return err
			}
			doc = append(doc, '\n')
			switch {
			case output != "":
				if err := os.WriteFile(output, doc, 0o644); err != nil {
					return cli.Errorf("", "cannot write the snapshot: %v", err)
				}
				if format == "text" {
					report.Summary(cmd.ErrOrStderr(), snap)
				}
			case format == "json":
				if _, err := cmd.OutOrStdout().Write(doc); err != nil {
					return err
				}
			default:
				report.Summary(cmd.OutOrStdout(), snap)
			}
			if res.Err != nil {
				return &cli.Error{Msg: fmt.Sprintf("collection stopped early: %v", res.Err), Hint: "What arrived was kept; sections whose evidence did not arrive are marked as not collected.", Code: cli.ExitError}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the snapshot (JSON) to this file")
	cmd.Flags().StringVar(&format, "format", "text", "what to print: text (a short summary) or json (the snapshot)")
	cmd.Flags().StringVar(&keepEvidence, "keep-evidence", "", "also write the raw evidence archive to this file, to re-read later with trowel survey FILE")
	target.Register(cmd.Flags())
	return cmd
}
