package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/spec"
)

func newSpecCommand() *cobra.Command {
	var (
		output, format string
		stored         cli.StoreFlags
	)
	cmd := &cobra.Command{
		Use:   "spec SNAPSHOT",
		Short: "Derive from a snapshot what a replacement host must do",
		Long: `Derive from a snapshot (written by trowel survey) the expectations a replacement
must meet: services running and started at boot, ports listening, processes and
their users, cron jobs and the zone they fire in, the time zone, users, groups,
sudo rights, authorized keys, mounts, firewall openings, log shippers and where
they send, non-default settings, and what the packages did by function (a web
server serving a vhost, an MTA relaying to a host, a database holding schemas).

The spec is YAML meant to be read and edited: each expectation says where it came
from, and may carry "allow" rules for expected differences. Check a host against
it with trowel verify HOST --against SPEC.

With --format goss the same expectations are written as a goss gossfile.

SNAPSHOT is a file written by trowel survey -o, or a host in the store: HOST, HOST@2,
HOST@2026-11-01 (see trowel history); the spec names it as the survey it is.

Exit codes: 0 written; 2 the snapshot could not be read or the spec written.`,
		Example: `  trowel spec legacy.json -o legacy.spec.yaml
  trowel spec legacy.json --format goss -o goss.yaml
  trowel spec legacy -o legacy.spec.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if format != "trowel" && format != "goss" {
				return cli.Errorf("Use --format trowel or --format goss.", "unknown format %q", format)
			}
			sess := stored.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			l, err := cli.ReadSnapshot(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer func() {
				if err == nil {
					sess.Wrote(cmd.Context(), "spec", args[0], cli.WroteTo(output)+" ("+format+")", l)
				}
			}()
			sp := spec.Derive(l.Snap, l.Describe(args[0]))
			var doc []byte
			if format == "goss" {
				doc, err = spec.Goss(sp)
			} else {
				doc, err = spec.Marshal(sp)
			}
			if err != nil {
				return cli.Errorf("", "cannot write the spec: %v", err)
			}
			doc = cli.Masked(doc, "the spec")
			if output == "" {
				_, err := cmd.OutOrStdout().Write(doc)
				return err
			}
			if err := os.WriteFile(output, doc, 0o644); err != nil {
				return cli.Errorf("", "cannot write the spec: %v", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the spec to this file (default: standard output)")
	cmd.Flags().StringVar(&format, "format", "trowel", "trowel (editable YAML spec) or goss (gossfile)")
	stored.RegisterRecording(cmd.Flags())
	return cmd
}
