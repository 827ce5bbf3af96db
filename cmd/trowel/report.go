package main

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/report"
)

func newReportCommand() *cobra.Command {
	var (
		target cli.TargetFlags
		stored cli.StoreFlags
		format string
		lang   string
		output string
	)
	cmd := &cobra.Command{
		Use:   "report TARGET|SNAPSHOT",
		Short: "Write the handover document of a host, with its findings",
		Long: `Write the handover document of a host: what it is for, its services (what runs, as
whom, on which ports, with which configs and logs, from which package, how it starts),
listening ports, outbound dependencies, scheduled jobs with the zone they really fire
in, accounts and access, changed and unowned files, storage, logs and shipping,
backups, the findings (what must be dealt with before or during a migration, each
with why and what to do), and what could not be surveyed.

TARGET is anything trowel survey takes (local, an SSH destination, a mounted root, an
evidence file), surveyed now and recorded in the store; SNAPSHOT is a file written by
trowel survey -o, or a host in the store: HOST (its latest survey), HOST@2 (its
second), HOST@2026-11-01 (its last on or before that day). A file of that name
wins over a host of the store; ssh://HOST surveys a stored host anew.

Formats: md (Markdown, the default), html (one self-contained file: no network
needed to open it), json (the findings and the document's structure).

Exit codes: 0 written; 2 usage error, or the host could not be surveyed.`,
		Example: `  trowel report local
  trowel report legacy.json --format html -o legacy.html
  trowel report legacy@2 --lang ja -o legacy-then.md
  trowel report ssh://admin@legacy.example.com --sudo --lang ja -o legacy.md`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			render, ok := renderers[format]
			if !ok {
				return cli.Errorf("Use --format md, html or json.", "unknown format %q", format)
			}
			if lang != "en" && lang != "ja" {
				return cli.Errorf("Use --lang en or --lang ja.", "unknown language %q", lang)
			}
			sess := stored.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			l, err := sess.Load(cmd.Context(), &target, args[0])
			if err != nil {
				return err
			}
			findings := analyze.Analyze(l.Snap, lang)
			doc := report.Handover(l.Snap, findings, lang)

			err = cli.WriteOutput(output, cmd.OutOrStdout(), func(w io.Writer) error {
				if err := render(w, doc, findings); err != nil {
					return cli.Errorf("", "cannot write the report: %v", err)
				}
				return nil
			})
			if err == nil {
				sess.Wrote(cmd.Context(), "report", args[0], cli.WroteTo(output)+" ("+format+", "+lang+")", l)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, html or json")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the document: en or ja")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	target.Register(cmd.Flags())
	stored.RegisterRecording(cmd.Flags())
	return cmd
}

var renderers = map[string]func(io.Writer, *report.Document, []analyze.Finding) error{
	"md":   func(w io.Writer, d *report.Document, _ []analyze.Finding) error { return report.Markdown(w, d) },
	"html": func(w io.Writer, d *report.Document, _ []analyze.Finding) error { return report.HTML(w, d) },
	// JSON carries the findings as analyze made them (the schema verify and codify
	// share) beside the document, for tools that file tickets from them.
	"json": func(w io.Writer, d *report.Document, f []analyze.Finding) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if f == nil {
			f = []analyze.Finding{}
		}
		return enc.Encode(struct {
			Findings []analyze.Finding `json:"findings"`
			Document *report.Document  `json:"document"`
		}{f, d})
	},
}
