package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/codify/ansible"
	"github.com/trowel-dev/trowel/internal/distro"
)

func newCodifyCommand() *cobra.Command {
	var (
		target  string
		output  string
		address string
		source  cli.TargetFlags
		stored  cli.StoreFlags
	)
	cmd := &cobra.Command{
		Use:   "codify SNAPSHOT --target PLATFORM",
		Short: "Write an Ansible project that rebuilds the surveyed host on another OS",
		Long: `Write an Ansible project that rebuilds the surveyed host on the OS it moves to:
inventory, site.yml, group_vars with the host's own values (each saying where it came
from), and one role per concern (base, accounts, web, database, mail, logging, cron,
firewall, and one per local daemon). Package and service names are mapped to the
target; Apache 2.2 access control is rewritten for 2.4 where its meaning is certain.

Nothing secret is written: the snapshot holds none, and every redacted value becomes a
vault variable whose value is a TODO. MIGRATION_TODO.md lists what Ansible does not do
(the data to move, with sizes and transfer estimates) and what was not translated,
each with the finding that explains it.

Targets: ` + targetList() + `

SNAPSHOT is a file written by trowel survey -o, or a host in the store (HOST, HOST@2,
HOST@2026-11-01); any target trowel survey takes (local, an SSH destination, a
mounted root, an evidence file) is surveyed first and recorded.

Exit codes: 0 written; 2 usage error, or the snapshot could not be read.`,
		Example: `  trowel codify legacy.json --target debian-12 -o legacy-ansible
  trowel codify legacy.json --target almalinux-9 --address 192.0.2.20 -o legacy-el9
  trowel codify legacy --target debian-12`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if target == "" {
				return cli.Errorf("Give the OS the server moves to, one of: "+targetList()+".", "--target is required")
			}
			plat, err := distro.ParsePlatform(target)
			if err != nil {
				return cli.Errorf("Targets: "+targetList()+".", "%v", err)
			}
			if !isTarget(plat) {
				return cli.Errorf("Targets: "+targetList()+".", "codify does not write for %s", plat)
			}
			sess := stored.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			l, err := sess.Load(cmd.Context(), &source, args[0])
			if err != nil {
				return err
			}
			in := ansible.Input{Snap: l.Snap, Target: plat, Findings: analyze.Analyze(l.Snap, "en")}
			p, err := ansible.Build(in)
			if err != nil {
				return cli.Errorf("", "cannot build the project: %v", err)
			}
			p.Address = address
			if output == "" {
				output = p.Host + "-" + plat.String()
			}
			if err := ansible.Write(p, output); err != nil {
				return cli.Errorf("Choose another directory with -o.", "cannot write the project: %v", err)
			}
			sess.Wrote(cmd.Context(), "codify", args[0], cli.WroteTo(output)+" (Ansible for "+plat.String()+")", l)
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d roles, %d items in MIGRATION_TODO.md, %d vault TODOs\n",
				output, len(p.Roles), len(p.Todo), len(p.Vault))
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "target", "", "the OS the server moves to: "+targetList())
	cmd.Flags().StringVarP(&output, "output", "o", "", "directory to write the project to (default HOST-TARGET)")
	cmd.Flags().StringVar(&address, "address", "", "the new server's address for the inventory (default: a TODO)")
	source.Register(cmd.Flags())
	stored.RegisterRecording(cmd.Flags())
	return cmd
}

func targetList() string {
	var ts []string
	for _, t := range distro.Targets() {
		ts = append(ts, t.String())
	}
	return strings.Join(ts, ", ")
}

func isTarget(p distro.Platform) bool {
	for _, t := range distro.Targets() {
		if t == p {
			return true
		}
	}
	return false
}
