package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapfile"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/verify"
)

func newVerifyCommand() *cobra.Command {
	var (
		target   cli.TargetFlags
		stored   cli.StoreFlags
		against  string
		format   string
		watch    time.Duration
		deadline time.Duration
		ledgerAt string
	)
	cmd := &cobra.Command{
		Use:   "verify TARGET --against SNAPSHOT|SPEC|HOST",
		Short: "Check a host against what the old host did",
		Long: `Check a host against a spec (trowel spec) or directly against the old host's
snapshot (the spec is then derived on the fly). TARGET is surveyed once, the same
way as trowel survey does it (one SSH session for a remote host); TARGET may also
be a snapshot file written by trowel survey -o, or a host in the store. The survey
is recorded in the store (with --watch, the last round's), and so is the result:
every check, tied to the survey it checked (trowel log shows who verified what).

--against takes a spec, a snapshot file, or a host in the store: HOST (its latest
survey), HOST@2 (its second), HOST@2026-11-01 (its last on or before that day).

--ledger takes the ledger.json trowel codify wrote beside MIGRATION_TODO.md: each
failure is then reported as "expected: still to do (ledger item X)" when the
ledger says what it checks is still to do or to move, or as unexpected, and only
unexpected failures fail the run, so the cutover checklist shows what is left.

Every expectation passes, fails, or is skipped when the part of TARGET it needs
could not be surveyed (skipped is unknown, never a pass). A failure says what was
expected, what was found, where it came from on the old host and what to do.

With --watch, TARGET is surveyed again every interval until every expectation
passes or --deadline runs out, with a compact display on standard error: for a
cutover, to watch a host come right.

The spec's live answers (http, smtp) are checked by asking the target's services
through the SSH connection: one GET per vhost, one SMTP dialogue that stops before
DATA. That leaves one access-log line per vhost and one mail-log line on the
target; --no-ask leaves the services alone, and those checks are then skipped.

Exit codes: 0 every expectation passed (with --ledger: no failure is unexpected);
1 one or more failed (with --ledger: one or more failed unexpectedly); 2 the check
could not run (the target could not be surveyed, the spec, snapshot or ledger could
not be read).`,
		Example: `  trowel verify new.example.com --against legacy.spec.yaml
  trowel verify ssh://root@new --against legacy.json --format junit > verify.xml
  trowel verify new --against legacy.spec.yaml --watch 30s --deadline 30m
  trowel verify ssh://new.example.com --against legacy@3
  trowel verify new --against legacy.spec.yaml --ledger legacy-debian-12/ledger.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if !slices.Contains(verify.Formats, format) {
				return cli.Errorf("Use --format "+strings.Join(verify.Formats, ", ")+".", "unknown format %q", format)
			}
			if against == "" {
				return cli.Errorf("Give the old host's snapshot or a spec derived from it: --against legacy.json", "no --against")
			}
			if watch < 0 || (watch > 0 && deadline <= 0) {
				return cli.Errorf("Give a positive interval and a deadline, such as --watch 30s --deadline 30m.", "invalid --watch %s / --deadline %s", watch, deadline)
			}
			ctx := cmd.Context()
			sess := stored.Begin(cmd.ErrOrStderr())
			defer sess.End(&err)
			sp, againstName, err := loadSpec(ctx, against)
			if err != nil {
				return err
			}
			var book *ledger.Ledger
			if ledgerAt != "" {
				if book, err = loadLedger(ledgerAt); err != nil {
					return err
				}
			}
			// Ask the target what the old host was asked, so a vhost or an MTA it lacks
			// is asked all the same and fails, instead of going unchecked.
			target.AlsoAsk = verify.Questions(sp)
			var checked cli.Loaded // the round whose result stands (see watchLoop)
			check := func(ctx context.Context) (verify.Result, error) {
				l, err := target.LoadFrom(ctx, args[0])
				if err != nil {
					return verify.Result{}, err
				}
				if l.Stopped == nil || checked.Snap == nil || checked.Stopped != nil {
					checked = l
				}
				res := verify.Evaluate(sp, l.Snap)
				if book != nil {
					res.Explain(func(id string) (verify.Expected, bool) {
						e, ok := book.Expected(id)
						return verify.Expected{Item: e.ID, Disposition: string(e.Disposition), Why: e.Decide + e.How}, ok
					})
				}
				return res, l.Stopped
			}
			var res verify.Result
			var collectErr error
			if watch > 0 {
				res, collectErr = watchLoop(ctx, check, watch, deadline, cmd.ErrOrStderr())
			} else {
				res, collectErr = check(ctx)
			}
			if res.Target == "" && collectErr != nil {
				sess.RecordFailure(ctx, args[0], collectErr)
				return collectErr
			}
			record := context.WithoutCancel(ctx)
			sess.Surveyed(record, args[0], &checked)
			if err := cli.WriteOutput("", cmd.OutOrStdout(), func(w io.Writer) error { return verify.Write(w, res, format) }); err != nil {
				return err
			}
			outcome := fmt.Sprintf("%d passed, %d failed, %d skipped against %s", res.Pass, res.Fail, res.Skip, againstName)
			if collectErr != nil {
				outcome += "; the survey stopped early"
			}
			sess.Verified(record, res, args[0], againstName, outcome, checked)
			switch {
			case !res.OK() && res.Ledger:
				return &cli.Error{Msg: fmt.Sprintf("%d of %d expectations failed unexpectedly on %s (%d more are still to do by the ledger)", res.Unexpected, len(res.Checks), res.Target, res.Fail-res.Unexpected), Code: cli.ExitFindings}
			case !res.OK():
				return &cli.Error{Msg: fmt.Sprintf("%d of %d expectations failed on %s", res.Fail, len(res.Checks), res.Target), Code: cli.ExitFindings}
			case collectErr != nil:
				return &cli.Error{Msg: fmt.Sprintf("the survey of %s stopped early: %v", res.Target, collectErr), Hint: "What could not be surveyed is reported as skipped; nothing failed in what arrived.", Code: cli.ExitError}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&against, "against", "", "the old host's snapshot (JSON, from trowel survey) or a spec (YAML, from trowel spec)")
	cmd.Flags().StringVar(&format, "format", "human", "output: "+strings.Join(verify.Formats, ", "))
	cmd.Flags().DurationVar(&watch, "watch", 0, "check again at this interval until everything passes or --deadline")
	cmd.Flags().DurationVar(&deadline, "deadline", 30*time.Minute, "with --watch, give up after this long")
	cmd.Flags().StringVar(&ledgerAt, "ledger", "", "the ledger.json trowel codify wrote: failures it says are still to do are expected, and only the others fail")
	target.Register(cmd.Flags())
	stored.RegisterRecording(cmd.Flags())
	return cmd
}

// loadSpec reads a spec, or derives one from a snapshot (a stored one, or a file:
// the content tells a spec from a snapshot), and names it as the audit does.
func loadSpec(ctx context.Context, arg string) (*spec.Spec, string, error) {
	if snap, info, err := cli.FromStore(ctx, arg); snap != nil || err != nil {
		if err != nil {
			return nil, "", err
		}
		return spec.Derive(snap, info.Ref()), info.Ref(), nil
	}
	doc, err := snapfile.ReadBytes(arg, "Give the old host's snapshot (trowel survey -o, or its name in the store) or a spec (trowel spec -o).")
	if err != nil {
		return nil, "", err
	}
	if spec.IsSpec(doc) {
		sp, err := spec.Parse(doc)
		if err != nil {
			return nil, "", cli.Errorf("Fix the spec, or derive it again with trowel spec.", "%s: %v", arg, err)
		}
		return sp, arg, nil
	}
	snap, err := snapfile.Decode(arg, doc)
	if err != nil {
		return nil, "", err
	}
	return spec.Derive(snap, arg), arg, nil
}

// loadLedger reads a ledger.json written by trowel codify.
func loadLedger(path string) (*ledger.Ledger, error) {
	doc, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Errorf("Give the ledger.json trowel codify wrote beside MIGRATION_TODO.md.", "cannot read the ledger: %v", err)
	}
	if err := ledger.Validate(doc); err != nil {
		return nil, cli.Errorf("Write it again with trowel codify; trowel schema ledger prints its schema.", "%s is not a migration ledger: %v", path, err)
	}
	l, err := ledger.Parse(doc)
	if err != nil {
		return nil, cli.Errorf("Write it again with this trowel's codify.", "%s: %v", path, err)
	}
	return l, nil
}

// watchLoop checks until everything passes or the deadline, showing each round
// compactly. A round whose survey fails is shown and retried: during a cutover the
// host may be rebooting.
func watchLoop(ctx context.Context, check func(context.Context) (verify.Result, error), every, deadline time.Duration, w io.Writer) (verify.Result, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	var last verify.Result
	var lastErr error
	lastRound := 0
	for round := 1; ; round++ {
		res, err := check(ctx)
		elapsed := time.Since(start).Truncate(time.Second).String()
		switch {
		case res.Target != "" && err != nil && last.Target != "" && lastErr == nil:
			// A survey that stopped early (the deadline fell inside it, or the
			// connection dropped) reads what it missed as skipped: it would turn a
			// complete round's failures into "all met", so that round stands.
			fmt.Fprintf(w, "[%s, round %d] the survey stopped early (%v): round %d's result stands\n", elapsed, round, err, lastRound)
		case res.Target != "":
			last, lastErr, lastRound = res, err, round
			verify.Compact(w, res, round, elapsed)
			if res.OK() && err == nil {
				fmt.Fprintf(w, "all %d expectations pass after %s\n", len(res.Checks), elapsed)
				return res, nil
			}
		default:
			fmt.Fprintf(w, "[%s, round %d] cannot survey: %v\n", elapsed, round, err)
			if last.Target == "" {
				lastErr = err
			}
		}
		select {
		case <-ctx.Done():
			fmt.Fprintf(w, "deadline reached after %s\n", elapsed)
			return last, lastErr
		case <-time.After(every):
		}
	}
}
