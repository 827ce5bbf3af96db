package main

import (
	"encoding/json"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/observe"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
)

func newSurveyCommand() *cobra.Command {
	var (
		flags        cli.TargetFlags
		output       string
		format       string
		keepEvidence string
		observeFor   time.Duration
		every        time.Duration
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

After the probe, trowel asks the services it found as a client would, through the
same SSH connection (or directly for local): one GET / per web vhost and listener,
and one SMTP dialogue on :25 (and :587) that stops before DATA, so nothing is sent.
The answers (status, title, reply codes; never bodies or cookies) are kept in the
evidence. Asking leaves one access-log line per vhost and one mail-log line on the
target; --no-ask leaves the services alone.

With --observe, the processes and sockets are sampled again every --every over one
kept-open connection until the duration ends or you interrupt (Ctrl-C keeps what was
taken); the snapshot then says when each process, listener and connection was first
and last seen. Progress goes to standard error.

Exit codes: 0 surveyed; 2 usage error, or the evidence could not be collected (what
did arrive is still written).`,
		Example: `  trowel survey local
  trowel survey ssh://admin@legacy.example.com --sudo -o legacy.json
  trowel survey legacy -J bastion.example.com --keep-evidence legacy.evidence
  trowel survey /mnt/legacy-disk --format json
  trowel survey host.evidence -o host.json
  trowel survey legacy --observe 24h --every 5m -o legacy.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return cli.Errorf("Use --format text or --format json.", "unknown format %q", format)
			}
			tg, err := target.Parse(args[0])
			if err != nil {
				return err
			}
			var sampler observe.Sampler
			if observeFor > 0 {
				if every <= 0 || every > observeFor {
					return cli.Errorf("Give an interval shorter than the observation, such as --observe 24h --every 5m.", "invalid --every %s for --observe %s", every, observeFor)
				}
				s, err := flags.Sampler(tg, observeFor)
				if err != nil {
					return err
				}
				sampler = s
				defer sampler.Close()
			}
			res, err := flags.Collect(cmd.Context(), tg)
			if err != nil {
				return err
			}
			if keepEvidence != "" {
				if err := os.WriteFile(keepEvidence, cli.MaskedEvidence(res.Raw), 0o600); err != nil {
					return cli.Errorf("", "cannot keep the evidence: %v", err)
				}
			}
			snap := survey.Run(res.Archive, res.Source, res.Raw)
			if sampler != nil {
				// An interrupt ends the sampling only: what was taken is merged and
				// written like a finished window.
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
				observe.Run(ctx, snap, sampler, observe.Config{
					Every: every, For: observeFor, EveryArg: observe.Short(every),
					Progress: cmd.ErrOrStderr(), Source: res.Source,
				})
				stop()
			}
			doc, err := json.MarshalIndent(snap, "", "  ")
			if err != nil {
				return err
			}
			doc = cli.Masked(append(doc, '\n'), "the snapshot")
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
			if stopped := res.Stopped(); stopped != nil {
				return cli.Errorf("What arrived was kept; sections whose evidence did not arrive are marked as not collected.", "collection stopped early: %v", stopped)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the snapshot (JSON) to this file")
	cmd.Flags().StringVar(&format, "format", "text", "what to print: text (a short summary) or json (the snapshot)")
	cmd.Flags().StringVar(&keepEvidence, "keep-evidence", "", "also write the raw evidence archive to this file, to re-read later with trowel survey FILE")
	cmd.Flags().DurationVar(&observeFor, "observe", 0, "keep sampling processes and sockets for this long (24h), to catch what comes and goes")
	cmd.Flags().DurationVar(&every, "every", 5*time.Minute, "interval between samples with --observe")
	flags.Register(cmd.Flags())
	return cmd
}
