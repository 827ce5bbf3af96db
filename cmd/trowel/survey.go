package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/evidence/profile"
	"github.com/trowel-dev/trowel/internal/fleet"
	"github.com/trowel-dev/trowel/internal/inventory"
	"github.com/trowel-dev/trowel/internal/observe"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
)

type surveyFlags struct {
	target       cli.TargetFlags
	store        cli.StoreFlags
	output       string
	format       string
	keepEvidence string
	observeFor   time.Duration
	every        time.Duration
	inventory    string
	limit        string
	targets      string
	parallel     int
	profile      bool
	enqueue      bool
	attempts     int
}

func newSurveyCommand() *cobra.Command {
	var f surveyFlags
	cmd := &cobra.Command{
		Use:   "survey TARGET... | -i INVENTORY [--limit PATTERN] | --targets FILE",
		Short: "Survey hosts and record their snapshots",
		Long: `Survey a host, or many at once, and record each snapshot in the store. TARGET is one of:
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

Every survey is recorded in the store (the snapshot, its evidence compressed, its
findings, and who ran it, when and how it ended): a SQLite file,
$XDG_DATA_HOME/trowel/trowel.db unless --store or TROWEL_STORE names another, or a
team's PostgreSQL (--store postgres://...). --no-store records nothing: for a survey
that must leave no copy behind. trowel hosts, history and log read it back; HOST,
HOST@2 and HOST@2026-11-01 name stored snapshots in report, spec, verify, diff and
codify.

Many hosts: several TARGETs, an Ansible inventory (-i, INI or YAML, with its groups,
ansible_host, ansible_user, ansible_port, ansible_ssh_private_key_file and
ansible_become, and --limit as ansible takes it), or a file of targets, one per line
(--targets). They are surveyed --parallel at a time, each with the time limits of
its own (--connect-timeout, --timeout); a host that hangs, refuses the key or drops
the connection harms none of the others. On a terminal, standard error shows the
hosts in flight; at the end, the summary names each host that failed and what to do
(-o DIR also writes each snapshot as DIR/NAME.json, --keep-evidence DIR its
evidence).

A team's estate: --enqueue surveys nothing here; it queues the hosts, as one
request, in a PostgreSQL store (--store postgres://...) and prints the request's
number. trowel worker processes, on as many machines as wanted, take the hosts
from there, each surveyed and recorded once; trowel jobs shows how far they are.
The request keeps --sudo, -J, the time limits and --no-ask; each worker logs in
with its own account's keys, ssh-agent, ssh_config and known_hosts.

With --observe (one target), the processes and sockets are sampled again every
--every over one kept-open connection until the duration ends or you interrupt
(Ctrl-C keeps what was taken); the snapshot then says when each process, listener
and connection was first and last seen. Progress goes to standard error.

Exit codes: 0 surveyed (every host, when there are many); 2 usage error, or the
evidence of a host could not be collected in full (what did arrive is still written
and recorded).`,
		Example: `  trowel survey local
  trowel survey ssh://admin@legacy.example.com --sudo -o legacy.json
  trowel survey legacy -J bastion.example.com --keep-evidence legacy.evidence
  trowel survey /mnt/legacy-disk --format json
  trowel survey host.evidence -o host.json
  trowel survey legacy --observe 24h --every 5m -o legacy.json
  trowel survey -i inventory.ini --limit 'legacy:!legacy-db3' --sudo
  trowel survey web1 web2 db1 --parallel 4 -o snapshots/
  trowel survey --targets estate.txt --store postgres://trowel_ops@db.example.com/trowel
  trowel survey -i inventory.ini --sudo --enqueue --store postgres://trowel_ops@db.example.com/trowel`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if f.format != "text" && f.format != "json" {
				return cli.Errorf("Use --format text or --format json.", "unknown format %q", f.format)
			}
			if f.inventory != "" {
				if err := inventory.CheckFile(f.inventory); err != nil {
					return cli.Errorf("", "%v", err)
				}
			}
			many := f.inventory != "" || f.targets != ""
			switch {
			case many && len(args) > 0:
				return cli.Errorf("To survey some hosts of an inventory, select them with --limit.", "give targets, or -i/--targets, not both")
			case f.inventory != "" && f.targets != "":
				return cli.Errorf("", "give -i INVENTORY or --targets FILE, not both")
			case f.limit != "" && f.inventory == "":
				return cli.Errorf("--limit selects hosts of an inventory given with -i.", "--limit without -i")
			case !many && len(args) == 0:
				return cli.Errorf(target.Hint+" Or many: an inventory with -i, a file of targets with --targets.", "no target given")
			case f.parallel < 0:
				return cli.Errorf("", "--parallel %d is negative", f.parallel)
			}
			if f.enqueue {
				return f.enqueueHosts(cmd, args)
			}
			sess := f.store.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			if !many && len(args) == 1 {
				return f.surveyOne(cmd, sess, args[0])
			}
			return f.surveyMany(cmd, sess, args)
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&f.output, "output", "o", "", "write the snapshot (JSON) to this file; with many hosts, to DIR/NAME.json in this directory")
	fs.StringVar(&f.format, "format", "text", "what to print: text (a short summary) or json (the snapshot; with many hosts, each host's outcome)")
	fs.StringVar(&f.keepEvidence, "keep-evidence", "", "also write the raw evidence archive to this file (with many hosts, DIR/NAME.evidence), to re-read later with trowel survey FILE")
	fs.DurationVar(&f.observeFor, "observe", 0, "keep sampling processes and sockets for this long (24h), to catch what comes and goes")
	fs.DurationVar(&f.every, "every", 5*time.Minute, "interval between samples with --observe")
	fs.StringVarP(&f.inventory, "inventory", "i", "", "survey the hosts of this Ansible inventory (INI or YAML; -i as ansible takes it: the SSH key is --identity here)")
	fs.StringVar(&f.limit, "limit", "", "with -i, survey only the hosts this pattern selects, as ansible's --limit does (web, web:!web3, 'db*', ~regex)")
	fs.StringVar(&f.targets, "targets", "", "survey the targets listed in this file, one per line (# starts a comment)")
	fs.BoolVar(&f.profile, "profile", false, "print to standard error where the probe's time went on the target: the ten costliest items and the cost of each domain (one target)")
	fs.IntVar(&f.parallel, "parallel", fleet.DefaultParallel(), "how many hosts to survey at once")
	fs.BoolVar(&f.enqueue, "enqueue", false, "survey nothing here: queue the hosts in a team's PostgreSQL store (--store postgres://...) for trowel worker processes to survey, each host once, and print the request's number")
	fs.IntVar(&f.attempts, "attempts", 3, "with --enqueue, how many times each host is tried before it is given up")
	f.target.RegisterWithoutShorthand(fs)
	f.store.RegisterRecording(fs)
	return cmd
}

// surveyOne is a survey of one target: its snapshot is printed or written, and
// recorded.
func (f *surveyFlags) surveyOne(cmd *cobra.Command, sess *cli.Session, arg string) error {
	ctx := cmd.Context()
	tg, err := target.Parse(arg)
	if err != nil {
		return err
	}
	var sampler observe.Sampler
	if f.observeFor > 0 {
		if f.every <= 0 || f.every > f.observeFor {
			return cli.Errorf("Give an interval shorter than the observation, such as --observe 24h --every 5m.", "invalid --every %s for --observe %s", f.every, f.observeFor)
		}
		s, err := f.target.Sampler(tg, f.observeFor)
		if err != nil {
			return err
		}
		sampler = s
		defer sampler.Close()
	}
	if err := sess.Prepare(ctx); err != nil {
		return err
	}
	res, err := f.target.Collect(ctx, tg)
	if err != nil {
		sess.SurveyFailed(context.WithoutCancel(ctx), arg, store.Inventory{}, err)
		return err
	}
	if f.keepEvidence != "" {
		if err := os.WriteFile(f.keepEvidence, cli.MaskedEvidence(res.Raw), 0o600); err != nil {
			return cli.Errorf("", "cannot keep the evidence: %v", err)
		}
	}
	if f.profile {
		if err := profile.Of(res.Archive).Write(cmd.ErrOrStderr(), 10); err != nil {
			return err
		}
	}
	snap := survey.Run(res.Archive, res.Source, res.Raw)
	if sampler != nil {
		// An interrupt ends the sampling only: what was taken is merged and
		// written like a finished window.
		octx, stop := signal.NotifyContext(ctx, os.Interrupt)
		observe.Run(octx, snap, sampler, observe.Config{
			Every: f.every, For: f.observeFor, EveryArg: observe.Short(f.every),
			Progress: cmd.ErrOrStderr(), Source: res.Source,
		})
		stop()
	}
	loaded := cli.Loaded{Snap: snap, Stopped: res.Stopped(), Collected: res}
	sess.Surveyed(context.WithoutCancel(ctx), arg, &loaded)
	doc, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return err
	}
	// Masked as the store masked it (without the newline), so the scan is remembered.
	doc = append(cli.Masked(doc, "the snapshot"), '\n')
	switch {
	case f.output != "":
		if err := os.WriteFile(f.output, doc, 0o644); err != nil {
			return cli.Errorf("", "cannot write the snapshot: %v", err)
		}
		if f.format == "text" {
			report.Summary(cmd.ErrOrStderr(), snap)
		}
	case f.format == "json":
		if _, err := cmd.OutOrStdout().Write(doc); err != nil {
			return err
		}
	default:
		report.Summary(cmd.OutOrStdout(), snap)
	}
	if loaded.Stopped != nil {
		return cli.Errorf("What arrived was kept; sections whose evidence did not arrive are marked as not collected.", "collection stopped early: %v", loaded.Stopped)
	}
	return nil
}

// surveyMany surveys the hosts of the arguments, an inventory or a file of
// targets, at once.
func (f *surveyFlags) surveyMany(cmd *cobra.Command, sess *cli.Session, args []string) error {
	ctx := cmd.Context()
	if f.observeFor > 0 {
		return cli.Errorf("Observe one host at a time: trowel survey HOST --observe 24h.", "--observe takes one target")
	}
	if f.profile {
		return cli.Errorf("Profile one host at a time: trowel survey HOST --profile, or a kept archive: trowel survey DIR/NAME.evidence --profile.", "--profile takes one target")
	}
	hosts, notes, err := f.estate(args)
	if err != nil {
		return err
	}
	for _, dir := range []string{f.output, f.keepEvidence} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return cli.Errorf("With many hosts, -o and --keep-evidence name directories.", "cannot use %s as a directory: %v", dir, err)
		}
	}
	if err := sess.Prepare(ctx); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	for _, n := range notes {
		fmt.Fprintf(stderr, "trowel: %s\n", n)
	}
	opts := cli.EstateOptions{Parallel: max(f.parallel, 1), OutDir: f.output, KeepDir: f.keepEvidence}
	if fd, ok := terminal(stderr); ok {
		width := func() int {
			w, _, err := term.GetSize(fd)
			if err != nil {
				return 80
			}
			return w
		}
		d := fleet.NewDisplay(stderr, len(hosts), time.Second, width)
		opts.Progress, opts.Pause, opts.Resume = d, d.Pause, d.Resume
	}
	start := time.Now()
	results := f.target.SurveyEstate(ctx, sess, hosts, opts)
	if opts.Progress != nil {
		opts.Progress.Close()
	}
	out := cmd.OutOrStdout()
	if f.format == "json" {
		err = fleet.JSON(out, results)
	} else {
		where := "not recorded (--no-store)"
		if sess.Recording() {
			where = "recorded in " + sess.Location() + " (trowel hosts lists them)"
		}
		err = fleet.Summary(out, results, time.Since(start), where)
	}
	if err != nil {
		return err
	}
	if c := fleet.Count(results); c.Partial+c.Failed > 0 {
		return &cli.Error{Code: cli.ExitError, Msg: fmt.Sprintf("%d of %d hosts were not surveyed in full", c.Partial+c.Failed, len(results)),
			Hint: "Each is named above with what to do; the others are surveyed and recorded."}
	}
	return nil
}

// enqueueHosts queues the hosts for workers, as one request, and prints its
// number on standard output.
func (f *surveyFlags) enqueueHosts(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	fs := cmd.Flags()
	for _, name := range cli.CredentialFlags {
		if fs.Changed(name) {
			return cli.Errorf("Each worker reaches the hosts with its own account's keys, ssh-agent, ssh_config and known_hosts: give --"+name+" to trowel worker.",
				"--%s is not queued with --enqueue", name)
		}
	}
	for _, name := range []string{"output", "keep-evidence", "observe", "parallel", "no-store"} {
		if fs.Changed(name) {
			return cli.Errorf("With --enqueue the workers survey the hosts and record them in the store; trowel worker --parallel sets how many each takes at once.",
				"--%s does not go with --enqueue", name)
		}
	}
	if f.attempts < 1 {
		return cli.Errorf("", "--attempts %d: each host needs at least one", f.attempts)
	}
	hosts, notes, err := f.estate(args)
	if err != nil {
		return err
	}
	st, err := f.store.OpenQueue(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, n := range notes {
		fmt.Fprintf(cmd.ErrOrStderr(), "trowel: %s\n", n)
	}
	info, err := f.target.Enqueue(ctx, st, hosts, f.attempts)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "trowel: request %d: %d hosts queued in %s; trowel worker --store ... surveys them, trowel jobs %d shows how far they are\n",
		info.ID, info.Jobs, st.Location(), info.ID)
	if f.format == "json" {
		return json.NewEncoder(cmd.OutOrStdout()).Encode(struct {
			Request int64 `json:"request"`
			Jobs    int   `json:"jobs"`
		}{info.ID, info.Jobs})
	}
	_, err = fmt.Fprintln(cmd.OutOrStdout(), info.ID)
	return err
}

// estate lists the hosts to survey, and what the inventory's reading noted.
func (f *surveyFlags) estate(args []string) ([]cli.EstateHost, []string, error) {
	switch {
	case f.inventory != "":
		inv, err := inventory.Load(f.inventory)
		if err != nil {
			return nil, nil, cli.Errorf("Give an Ansible inventory (INI or YAML), as ansible -i takes it.", "cannot read the inventory: %v", err)
		}
		hosts, err := cli.HostsFromInventory(inv, f.limit)
		return hosts, inv.Notes, err
	case f.targets != "":
		data, err := os.ReadFile(f.targets)
		if err != nil {
			return nil, nil, cli.Errorf("", "cannot read the targets: %v", err)
		}
		list, err := inventory.ParseTargets(f.targets, data)
		if err != nil {
			return nil, nil, cli.Errorf("Give one target per line (# starts a comment).", "%v", err)
		}
		return cli.HostsFromTargets(list), nil, nil
	}
	return cli.HostsFromTargets(args), nil, nil
}

// terminal says whether w is a terminal, and its descriptor: progress is drawn
// only there.
func terminal(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}
