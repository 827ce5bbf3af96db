package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/fleet"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/target"
)

// OpenQueue opens the store for the job queue: a team's PostgreSQL, created
// and migrated as any store is; a SQLite store is refused with the reason.
func (f *StoreFlags) OpenQueue(ctx context.Context) (*store.Store, error) {
	dsn, err := store.Choose(f.DSN)
	if err != nil {
		return nil, Errorf("", "%v", err)
	}
	if !store.IsPostgres(dsn) {
		return nil, Errorf("Give --store postgres://... (or "+store.Env+"), the database every worker reaches; docs/store.md says how to set one up.",
			"%s: %v", dsn, store.ErrQueueNeedsPostgres)
	}
	st, _, err := f.open(ctx, false)
	return st, err
}

// reach is what a queued job says of how to reach its host: what the enqueuer's
// flags and inventory said, never a password or key material. A key file is a
// path, read on the worker's machine; the worker's own account supplies its
// keys, ssh-agent, ssh_config and known_hosts (CredentialFlags).
type reach struct {
	Identity       string `json:"identity,omitempty"`
	Sudo           bool   `json:"sudo,omitempty"`
	Jump           string `json:"jump,omitempty"`
	ConnectTimeout string `json:"connect_timeout,omitempty"`
	Timeout        string `json:"timeout,omitempty"`
	NoAsk          bool   `json:"no_ask,omitempty"`
}

// Enqueue records a request to survey hosts, each once, in the queue of st (see
// OpenQueue), for workers to take. A host the inventory does not say how to
// reach is refused before anything is queued.
func (t *TargetFlags) Enqueue(ctx context.Context, st *store.Store, hosts []EstateHost, attempts int) (store.RequestInfo, error) {
	var bad []string
	jobs := make([]store.JobSpec, 0, len(hosts))
	var notSSH []string
	for _, h := range hosts {
		if h.Err != nil {
			bad = append(bad, h.Name+": "+firstLine(h.Err.Error()))
			continue
		}
		// A worker surveys over SSH: local, a directory or a file would be the
		// worker's own.
		if tg, err := target.Parse(h.Target); err != nil || tg.Kind != target.SSH {
			notSSH = append(notSSH, h.Target)
			continue
		}
		r := reach{Identity: h.Identity, Sudo: t.Sudo || h.Sudo, Jump: t.Jump, NoAsk: t.NoAsk, Timeout: t.Timeout.String()}
		if t.ConnectTimeout > 0 {
			r.ConnectTimeout = t.ConnectTimeout.String()
		}
		opts, err := json.Marshal(r)
		if err != nil {
			return store.RequestInfo{}, err
		}
		jobs = append(jobs, store.JobSpec{Name: h.Name, Target: h.Target, Inventory: h.Inventory, Options: string(opts)})
	}
	if len(notSSH) > 0 {
		return store.RequestInfo{}, Errorf("Survey those here with trowel survey; --enqueue takes hosts reached over SSH.",
			"nothing queued: a worker would survey its own machine or files for %s", strings.Join(notSSH, ", "))
	}
	if len(bad) > 0 {
		return store.RequestInfo{}, Errorf("Fix the hosts' entries in the inventory, or leave them out with --limit.",
			"nothing queued: the inventory does not say how to reach %s", strings.Join(bad, "; "))
	}
	info, err := st.Enqueue(ctx, store.Request{Operator: store.CurrentOperator(os.Args), Jobs: jobs, MaxAttempts: attempts})
	if err != nil {
		return store.RequestInfo{}, Errorf("", "cannot queue the request: %v", err)
	}
	return info, nil
}

// WorkerOptions say how a worker takes jobs.
type WorkerOptions struct {
	// Parallel jobs at once, each under a lease of Lease, renewed every third of
	// it while the host is surveyed.
	Parallel int
	Lease    time.Duration
	// Once takes one round of jobs (up to Parallel) and ends when they have;
	// UntilEmpty ends when no job of any request is left to do (waiting for the
	// leases of workers that stopped to run out, and taking their jobs again).
	// Otherwise the worker looks for jobs every Poll until interrupted.
	Once, UntilEmpty bool
	Poll             time.Duration
	// RetryAfter is how long a job whose attempt failed waits before it is
	// taken again.
	RetryAfter time.Duration
	// Log gets a line as the worker starts and as each job ends.
	Log io.Writer
}

// WorkerTally counts what became of the jobs a worker took.
type WorkerTally struct {
	Recorded, Partial, Retry, GivenUp, Lost, Released int
}

func (w WorkerTally) String() string {
	return fmt.Sprintf("%d recorded (%d of them stopped early, what arrived kept), %d failed and queued again, %d given up, %d lost to another worker, %d given back",
		w.Recorded, w.Partial, w.Retry, w.GivenUp, w.Lost, w.Released)
}

// NewWorkerID names a worker uniquely among all that will ever share a queue:
// this machine, this process, and a random part (a pid is reused).
func NewWorkerID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Work takes jobs from the queue of st and surveys their hosts, Parallel at a
// time, through the same path as trowel survey's hosts, with t's credentials
// and each job's own way to reach its host. When ctx ends (an interrupt) it
// stops taking jobs and gives back those in flight, unrecorded and with their
// attempt not counted.
func (t *TargetFlags) Work(ctx context.Context, st *store.Store, id string, o WorkerOptions) (WorkerTally, error) {
	w := store.Worker{ID: id, Operator: store.CurrentOperator(os.Args)}
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	fmt.Fprintf(log, "trowel: worker %s takes jobs from %s, %d at a time, under leases of %s\n", id, st.Location(), o.Parallel, o.Lease)
	pw := &sharedPassword{read: noSudoPassword}
	names := &fileNames{used: map[string]bool{}}
	var (
		mu    sync.Mutex
		tally WorkerTally
	)
	ended := make(chan struct{}, o.Parallel)
	inFlight, claimedAny := 0, false
	for ctx.Err() == nil {
		claimed := 0
		if free := o.Parallel - inFlight; free > 0 && !(o.Once && claimedAny) {
			jobs, err := st.Claim(ctx, w, free, o.Lease)
			if err != nil && ctx.Err() == nil {
				fmt.Fprintf(log, "trowel: cannot take jobs: %v (trying again in %s)\n", err, o.Poll)
			}
			for _, j := range jobs {
				inFlight++
				go func() {
					defer func() { ended <- struct{}{} }()
					line, counted := t.runJob(ctx, st, w, j, o, pw, names)
					mu.Lock()
					counted(&tally)
					mu.Unlock()
					fmt.Fprintln(log, line)
				}()
			}
			claimed = len(jobs)
			claimedAny = claimedAny || claimed > 0
		}
		if inFlight == 0 {
			if o.Once {
				break
			}
			if o.UntilEmpty {
				n, err := st.Unfinished(ctx)
				if err == nil && n == 0 {
					break
				}
			}
		}
		// A round that filled every slot looks again as soon as a job ends;
		// otherwise the queue had nothing more, and is looked at again after
		// Poll.
		var poll <-chan time.Time
		if claimed == 0 || inFlight < o.Parallel {
			poll = time.After(o.Poll)
		}
		select {
		case <-ended:
			inFlight--
		case <-poll:
		case <-ctx.Done():
		}
	}
	for ; inFlight > 0; inFlight-- {
		<-ended
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Fprintf(log, "trowel: worker %s ends: %s\n", id, tally)
	return tally, nil
}

// runJob surveys a job's host under its lease, renewed while it lasts, and says
// in a line what became of it.
func (t *TargetFlags) runJob(ctx context.Context, st *store.Store, w store.Worker, j store.Job, o WorkerOptions, pw *sharedPassword, names *fileNames) (string, func(*WorkerTally)) {
	h, flags, err := t.jobHost(j)
	jctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopHeartbeat := heartbeat(st, j, o.Lease, cancel)
	defer stopHeartbeat()
	rec := &jobRecorder{st: st, job: j, op: w.Operator, retryAfter: o.RetryAfter, ctx: jctx, stopping: ctx}
	var r fleet.Result
	if err != nil {
		rec.failed(context.WithoutCancel(ctx), h, err)
		r = fleet.Result{Name: j.Name, Outcome: fleet.Outcome{Status: fleet.Failed, Problem: firstLine(err.Error())}}
	} else {
		r = fleet.RunOne(jctx, fleet.Job{Name: j.Name, Target: j.Target, Run: func(ctx context.Context, phase func(string)) fleet.Outcome {
			return flags.surveyOne(ctx, rec, h, EstateOptions{}, pw, names, phase)
		}}, nil)
	}
	where := fmt.Sprintf("job %d of request %d, attempt %d of %d, %.0fs", j.ID, j.Request, j.Attempts, j.MaxAttempts, r.Seconds)
	switch rec.ended {
	case endRecorded:
		if r.Status == fleet.Partial {
			return fmt.Sprintf("%s: stopped early, what arrived kept as %s: %s (%s)", j.Name, r.Ref, r.Problem, where),
				func(t *WorkerTally) { t.Recorded++; t.Partial++ }
		}
		return fmt.Sprintf("%s: recorded as %s (%s)", j.Name, r.Ref, where), func(t *WorkerTally) { t.Recorded++ }
	case endRetry:
		return fmt.Sprintf("%s: failed, to be tried again: %s (%s)", j.Name, r.Problem, where), func(t *WorkerTally) { t.Retry++ }
	case endGivenUp:
		return fmt.Sprintf("%s: failed, given up: %s (%s)", j.Name, r.Problem, where), func(t *WorkerTally) { t.GivenUp++ }
	case endReleased:
		return fmt.Sprintf("%s: given back unrecorded, the worker is stopping (%s)", j.Name, where), func(t *WorkerTally) { t.Released++ }
	case endLost:
		return fmt.Sprintf("%s: not recorded: %v (%s)", j.Name, store.ErrLeaseLost, where), func(t *WorkerTally) { t.Lost++ }
	}
	return fmt.Sprintf("%s: not recorded: %s (%s); the job's lease will run out and it will be taken again", j.Name, r.Problem, where),
		func(t *WorkerTally) {}
}

// jobHost is a job's host and the flags that reach it: the worker's
// credentials with the job's way to reach it.
func (t *TargetFlags) jobHost(j store.Job) (EstateHost, *TargetFlags, error) {
	h := EstateHost{Name: j.Name, Target: j.Target, Inventory: j.Inventory()}
	var r reach
	if err := json.Unmarshal([]byte(j.Options), &r); err != nil {
		return h, nil, fmt.Errorf("the job's options are unreadable (%v): queue the host again with this trowel", err)
	}
	flags := *t
	flags.Sudo, flags.Jump, flags.NoAsk, h.Identity = r.Sudo, r.Jump, r.NoAsk, r.Identity
	flags.Timeout = DefaultTimeout
	for _, d := range []struct {
		text string
		to   *time.Duration
	}{{r.ConnectTimeout, &flags.ConnectTimeout}, {r.Timeout, &flags.Timeout}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return h, nil, fmt.Errorf("the job's time limit %q is unreadable: queue the host again with this trowel", d.text)
		}
		*d.to = v
	}
	return h, &flags, nil
}

// heartbeat renews a job's lease every third of it until stopped. When the
// lease is lost, or cannot be renewed before it runs out, it cancels the job
// with store.ErrLeaseLost: another worker may take it from then on, so this one
// must not record it.
func heartbeat(st *store.Store, j store.Job, lease time.Duration, cancel context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(lease / 3)
		defer tick.Stop()
		renewed := time.Now()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			ctx, stop := context.WithTimeout(context.Background(), lease/3)
			err := st.Renew(ctx, &j, lease)
			stop()
			switch {
			case err == nil:
				renewed = time.Now()
			case errors.Is(err, store.ErrLeaseLost):
				cancel(store.ErrLeaseLost)
				return
			case time.Since(renewed) > lease-lease/3:
				cancel(fmt.Errorf("%w: the store could not be reached to renew it (%v)", store.ErrLeaseLost, err))
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

type jobEnd int

const (
	endNone jobEnd = iota
	endRecorded
	endRetry
	endGivenUp
	endReleased
	endLost
)

// jobRecorder records a host's survey as its job's end, under the job's lease.
type jobRecorder struct {
	st         *store.Store
	job        store.Job
	op         store.Operator
	retryAfter time.Duration
	ctx        context.Context // the job's: cancelled with store.ErrLeaseLost when the lease is lost
	stopping   context.Context // the worker's: ends when it is interrupted
	ended      jobEnd
}

func (r *jobRecorder) lost() bool { return errors.Is(context.Cause(r.ctx), store.ErrLeaseLost) }

func (r *jobRecorder) surveyed(ctx context.Context, h EstateHost, res *collect.Result, snap *snapshot.Snapshot, stopped error) (*store.SurveyInfo, error) {
	switch {
	case r.lost():
		r.ended = endLost
		return nil, store.ErrLeaseLost
	case stopped != nil && r.stopping.Err() != nil:
		// Cut short by the worker's own interrupt, not by the host: another
		// worker surveys it in full.
		r.release(ctx)
		return nil, errors.New("the worker is stopping: the job is given back")
	}
	info, err := r.st.Complete(ctx, r.job, store.Survey{Snapshot: snap, Evidence: res.Raw, Operator: r.op, Outcome: surveyOutcome(stopped)})
	switch {
	case errors.Is(err, store.ErrLeaseLost):
		r.ended = endLost
	case err == nil:
		r.ended = endRecorded
		return &info, nil
	}
	return nil, err
}

func (r *jobRecorder) failed(ctx context.Context, h EstateHost, cause error) {
	switch {
	case r.lost():
		r.ended = endLost
		return
	case r.stopping.Err() != nil:
		r.release(ctx)
		return
	}
	final, err := r.st.Fail(ctx, r.job, r.op, firstLine(cause.Error()), r.retryAfter)
	switch {
	case errors.Is(err, store.ErrLeaseLost):
		r.ended = endLost
	case err == nil && final:
		r.ended = endGivenUp
	case err == nil:
		r.ended = endRetry
	}
}

func (r *jobRecorder) release(ctx context.Context) {
	if err := r.st.Release(ctx, r.job); err == nil {
		r.ended = endReleased
	}
}

// noSudoPassword is a worker's answer when sudo on a host asks for a password:
// nobody is there to type it, and a queue never carries one.
func noSudoPassword() ([]byte, error) {
	return nil, errors.New("sudo asks for a password on this host, and a worker has nobody to ask: give the login user NOPASSWD sudo there, or survey the host with trowel survey --sudo")
}
