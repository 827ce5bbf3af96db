package main

import (
	"cmp"
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/estate"
)

// mapHosts gives the hosts trowel map draws from its arguments. Until the store
// holds the estate they are the snapshot files named on the command line; then
// the latest snapshot of every stored host comes from there.
func newMapCommand() *cobra.Command {
	var format, lang, output string
	var stored cli.StoreFlags
	cmd := &cobra.Command{
		Use:   "map [[GROUP=]SNAPSHOT|HOST...]",
		Short: "Map an estate: who talks to whom, the systems outside, and the waves to move it in",
		Long: `Map the hosts of an estate from their snapshots: what each is for, every connection
between them and to systems outside the estate (each with its evidence: the config
line that names the other end, or the connection observed, with when it was seen),
the waves in which they can move (what a host depends on moves first; hosts that
depend on each other, share data or run one application move together), with a
rollback line for each, and the cron jobs and services two hosts both have.

Names are matched to hosts through what the snapshots say: addresses, host names,
FQDNs, and the /etc/hosts of the host that uses the name. trowel never asks DNS, so a
name only DNS knows stays outside the estate.

Without arguments, the map is of every host in the store, each by its latest survey
and in its inventory group. Otherwise each argument is a snapshot file written by
trowel survey -o (or an evidence file) or a stored host (HOST, HOST@2,
HOST@2026-11-01). GROUP, when given, is the host's environment (development,
staging, production ...; a stored host's inventory group otherwise): groups move in
the order they are first given, and duplicated work is looked for within a group.

Formats: md (Markdown, the default), html (one self-contained page with the drawing),
svg (the drawing alone), json (the map itself; see docs/map.md for its schema).

Exit codes: 0 written; 2 usage error, or a snapshot could not be read.`,
		Example: `  trowel map --format html -o estate.html
  trowel map web1.json web2.json db1.json
  trowel map production=web1.json production=db1.json staging=web-stg.json --format html -o estate.html
  trowel map *.json --format svg -o estate.svg
  trowel map *.json --format json --lang ja`,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if !slices.Contains(estate.Formats, format) {
				return cli.Errorf("Use --format md, html, svg or json.", "unknown format %q", format)
			}
			if lang != "en" && lang != "ja" {
				return cli.Errorf("Use --lang en or --lang ja.", "unknown language %q", lang)
			}
			sess := stored.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			hosts, err := mapHosts(cmd.Context(), sess, args)
			if err != nil {
				return err
			}
			m := estate.Build(hosts)
			return cli.WriteOutput(output, cmd.OutOrStdout(), func(w io.Writer) error {
				if err := estate.Write(w, m, format, lang, time.Now()); err != nil {
					return cli.Errorf("", "cannot write the map: %v", err)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, html, svg or json")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the md, html and svg map: en or ja")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	stored.Register(cmd.Flags())
	return cmd
}

// snapshotFiles reads each [GROUP=]FILE argument. Only files are taken: a map of
// an estate is made from surveys already done, not by surveying every host now.
// mapHosts are the hosts to map: every stored host's latest survey without
// arguments, else each argument's snapshot file or stored survey.
func mapHosts(ctx context.Context, sess *cli.Session, args []string) ([]estate.Named, error) {
	if len(args) == 0 {
		hosts, err := sess.Estate(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]estate.Named, 0, len(hosts))
		for _, h := range hosts {
			out = append(out, estate.Named{Name: h.Name, Group: h.Group, Snapshot: h.Snap})
		}
		return out, nil
	}
	var loader cli.TargetFlags
	out := make([]estate.Named, 0, len(args))
	for _, arg := range args {
		group, name := "", arg
		if g, f, ok := strings.Cut(arg, "="); ok && !isFile(arg) {
			group, name = g, f
		}
		if isFile(name) {
			s, err := loader.Load(ctx, name)
			if err != nil {
				return nil, err
			}
			out = append(out, estate.Named{Group: group, Snapshot: s})
			continue
		}
		snap, info, err := sess.Resolve(ctx, name)
		if err != nil {
			return nil, err
		}
		if snap == nil {
			return nil, cli.Errorf("Give snapshot files written by trowel survey -o FILE or hosts of the store (trowel hosts lists them), each as NAME or GROUP=NAME.",
				"%s: no such file, and no host of that name in the store", name)
		}
		out = append(out, estate.Named{Name: info.Host, Group: cmp.Or(group, sess.StoredGroup(ctx, info.Host)), Snapshot: snap})
	}
	return out, nil
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
