// Package fleet runs one job per host of an estate, many at once, so that no host
// can hold up or harm another: each job has its own time limits (the caller's),
// a job that panics fails alone, and an interrupt stops what has not started.
// It shows the jobs in flight on a terminal (Display) and tells, at the end, what
// failed and what to do (Summary). What a job does — collect, survey, record — is
// the caller's: fleet knows hosts and outcomes, not SSH.
package fleet

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// DefaultParallel is how many hosts are surveyed at once unless --parallel says:
// 8 per CPU, at most 32. A survey mostly waits on its host (the probe runs for
// seconds to minutes there), and parsing what comes back takes a CPU for a
// fraction of a second, so several per CPU keep the cores busy; the cap keeps the
// burst of SSH handshakes under what one bastion accepts at once (sshd's
// MaxStartups begins refusing at 10 unauthenticated connections, and connections
// through a jump host each make one), and the evidence held in memory small.
func DefaultParallel() int { return min(32, 8*runtime.NumCPU()) }

// Status is how a host's job ended.
type Status string

const (
	OK      Status = "ok"      // surveyed and recorded
	Partial Status = "partial" // stopped early; what arrived was kept
	Failed  Status = "failed"  // nothing to keep
)

// Job is one host's work.
type Job struct {
	// Name is how the host is shown: its inventory name, else the target.
	Name   string
	Target string
	// Run does the work. It reports its phase ("surveying", "recording") through
	// phase, for the display, and must return when ctx is done.
	Run func(ctx context.Context, phase func(string)) Outcome
}

// Outcome is what a job says of its host.
type Outcome struct {
	Status Status `json:"status"`
	// Ref names what was recorded (HOST@N), when something was.
	Ref string `json:"ref,omitempty"`
	// Written is the file the snapshot was written to, when it was.
	Written string `json:"written,omitempty"`
	// Problem says in one line what went wrong; Advice, what to do about it.
	Problem string `json:"problem,omitempty"`
	Advice  string `json:"advice,omitempty"`
	// Notes are what the operator should know even of a host that went well
	// (a host key added to known_hosts, legacy algorithms used).
	Notes []string `json:"notes,omitempty"`
}

// Result is a job and how it ended.
type Result struct {
	Name   string `json:"name"`
	Target string `json:"target"`
	Outcome
	Seconds float64 `json:"seconds"`
}

// Progress follows the jobs as they run. Its methods are called from many
// goroutines.
type Progress interface {
	Start(name string)
	Phase(name, phase string)
	Done(r Result)
	Close()
}

// Run runs the jobs, parallel at a time, and returns their results in the jobs'
// order. A job not started when ctx ends is failed as not surveyed.
func Run(ctx context.Context, jobs []Job, parallel int, p Progress) []Result {
	if parallel < 1 {
		parallel = 1
	}
	if p == nil {
		p = quiet{}
	}
	results := make([]Result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(parallel, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					results[i] = Result{Name: jobs[i].Name, Target: jobs[i].Target, Outcome: Outcome{Status: Failed,
						Problem: "not surveyed: interrupted (" + context.Cause(ctx).Error() + ")", Advice: "run the survey again for the hosts left"}}
				} else {
					results[i] = RunOne(ctx, jobs[i], p)
				}
				p.Done(results[i])
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// RunOne runs one job as Run runs each: followed by p (nil: quietly), timed, and
// failed alone if it panics. A worker taking jobs from a queue one by one runs
// them through it.
func RunOne(ctx context.Context, j Job, p Progress) (r Result) {
	if p == nil {
		p = quiet{}
	}
	start := time.Now()
	r = Result{Name: j.Name, Target: j.Target}
	p.Start(j.Name)
	defer func() {
		r.Seconds = time.Since(start).Seconds()
		if v := recover(); v != nil {
			r.Outcome = Outcome{Status: Failed, Problem: fmt.Sprintf("trowel failed on this host: %v", v),
				Advice: "a defect of trowel: report it, with the stack in the notes", Notes: []string{string(debug.Stack())}}
		}
	}()
	r.Outcome = j.Run(ctx, func(phase string) { p.Phase(j.Name, phase) })
	return r
}

type quiet struct{}

func (quiet) Start(string)         {}
func (quiet) Phase(string, string) {}
func (quiet) Done(Result)          {}
func (quiet) Close()               {}
