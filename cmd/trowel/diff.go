package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/diff"
	"github.com/trowel-dev/trowel/internal/report"
)

func newDiffCommand() *cobra.Command {
	var (
		target cli.TargetFlags
		stored cli.StoreFlags
		format string
		lang   string
		output string
	)
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two hosts, or one host over time, concern by concern",
		Long: `Compare OLD with NEW and report, grouped by concern: what NEW lacks (first, most
damaging first: log shippers, cron jobs, services, listeners, users ...), what
changed, and what NEW has that OLD did not (listeners open to the network and
services started at boot first). Services and packages are matched across
distributions (SysV httpd is systemd apache2); package versions are compared as
rpm or dpkg orders them. Pids, start times, sizes and ephemeral ports are ignored.
Give the same host twice (a snapshot from last month and the host now) to see
what drifted.

OLD and NEW are each a snapshot written by trowel survey -o, a host in the store
(HOST, its latest survey; HOST@2, its second; HOST@2026-11-01, its last on or before
that day), or any target trowel survey takes (an evidence file, a directory, local,
an SSH destination), which is surveyed first and recorded; the target flags apply
to both. trowel diff HOST@1 HOST shows what drifted on a host since its first
survey.

A section one side did not collect (denied, timed out ...) is reported as not
compared: nothing in it is called missing or new.

Exit codes: 0 no difference; 1 differences found; 2 usage error, or a side could
not be read or collected.`,
		Example: `  trowel diff legacy.json new.json
  trowel diff legacy.json ssh://admin@new.example.com --sudo --format html -o parity.html
  trowel diff last-month.json legacy.example.com --lang ja
  trowel diff legacy@1 legacy
  trowel diff legacy@2026-10-01 ssh://legacy.example.com
  trowel diff legacy.json new.json --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			switch format {
			case "md", "html", "json":
			default:
				return cli.Errorf("Use --format md, html or json.", "unknown format %q", format)
			}
			if lang != "en" && lang != "ja" {
				return cli.Errorf("Use --lang en or --lang ja.", "unknown language %q", lang)
			}
			sess := stored.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			old, err := sess.Load(cmd.Context(), &target, args[0])
			if err != nil {
				return err
			}
			new, err := sess.Load(cmd.Context(), &target, args[1])
			if err != nil {
				return err
			}
			res := diff.Compare(old.Snap, new.Snap)
			err = cli.WriteOutput(output, cmd.OutOrStdout(), func(w io.Writer) error { return writeDiff(w, res, format, lang) })
			if err != nil {
				return err
			}
			sess.Wrote(cmd.Context(), "diff", args[0]+" "+args[1], cli.WroteTo(output)+fmt.Sprintf(" (%d missing, %d changed, %d new)",
				res.Counts.Missing, res.Counts.Changed, res.Counts.New), new, old)
			if output != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "trowel: report in %s (%d sections not compared)\n", output, res.Counts.NotCompared)
			}
			if res.HasDifferences() {
				return &cli.Error{Code: cli.ExitFindings, Msg: fmt.Sprintf("%d missing on NEW, %d changed, %d new on NEW",
					res.Counts.Missing, res.Counts.Changed, res.Counts.New)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "report format: md (Markdown), html (one self-contained page) or json (the comparison itself)")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the md and html report: en or ja")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the report to this file instead of standard output")
	target.Register(cmd.Flags())
	stored.RegisterRecording(cmd.Flags())
	return cmd
}

func writeDiff(w io.Writer, res diff.Result, format, lang string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "html":
		return report.HTML(w, diff.Document(res, lang, time.Now()))
	}
	return report.Markdown(w, diff.Document(res, lang, time.Now()))
}
