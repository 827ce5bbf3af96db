package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// No more than parallel jobs run at once, every job runs, results keep the jobs'
// order, and a job that panics fails alone.
func TestRunBoundsAndIsolates(t *testing.T) {
	var running, most atomic.Int32
	var jobs []Job
	for i := range 20 {
		jobs = append(jobs, Job{Name: fmt.Sprintf("h%02d", i), Target: fmt.Sprintf("ssh://h%02d", i),
			Run: func(ctx context.Context, phase func(string)) Outcome {
				n := running.Add(1)
				defer running.Add(-1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				phase("surveying")
				time.Sleep(10 * time.Millisecond)
				if i == 7 {
					panic("boom")
				}
				return Outcome{Status: OK, Ref: fmt.Sprintf("h%02d@1", i)}
			}})
	}
	rs := Run(context.Background(), jobs, 4, nil)
	if most.Load() > 4 || most.Load() < 2 {
		t.Errorf("at most %d at once, want 2..4", most.Load())
	}
	for i, r := range rs {
		switch {
		case r.Name != jobs[i].Name:
			t.Errorf("result %d is %s", i, r.Name)
		case i == 7 && (r.Status != Failed || !strings.Contains(r.Problem, "boom") || !strings.Contains(r.Notes[0], "goroutine")):
			t.Errorf("the panicking job: %+v", r)
		case i != 7 && (r.Status != OK || r.Ref != jobs[i].Name+"@1"):
			t.Errorf("job %d: %+v", i, r)
		}
	}
}

// An interrupt fails what has not started; what is in flight sees its context end.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	started := make(chan struct{}, 10)
	var jobs []Job
	for i := range 5 {
		jobs = append(jobs, Job{Name: fmt.Sprint(i), Run: func(ctx context.Context, _ func(string)) Outcome {
			started <- struct{}{}
			<-ctx.Done()
			return Outcome{Status: Partial, Problem: "stopped: " + context.Cause(ctx).Error()}
		}})
	}
	go func() {
		<-started
		<-started
		cancel(errors.New("interrupt"))
	}()
	rs := Run(ctx, jobs, 2, nil)
	c := Count(rs)
	if c.Partial != 2 || c.Failed != 3 || !strings.Contains(rs[4].Problem, "not surveyed: interrupted (interrupt)") {
		t.Errorf("%+v: %+v", c, rs)
	}
}

// syncBuffer is a bytes.Buffer the display's redraw loop and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestDisplay(t *testing.T) {
	var out syncBuffer
	d := NewDisplay(&out, 3, time.Hour, func() int { return 72 })
	clock := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d.now = func() time.Time { return clock }
	d.Start("web1")
	d.Start("db1")
	d.Phase("web1", "surveying")
	clock = clock.Add(12 * time.Second)
	d.Done(Result{Name: "db1", Target: "ssh://db1", Outcome: Outcome{Status: Failed, Problem: "no SSH answer from db1:22 within 15s, and this line is far too long for the terminal"}})
	got := out.String()
	for _, want := range []string{
		"✗ db1: no SSH answer from db1:22 within 15s, and this line is far too …\n", // cut to the width, kept above
		"surveying 3 hosts: 1 done (1 failed), 1 in flight, 1 waiting\n",
		"  web1  surveying 12s\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("display lacks %q:\n%q", want, got)
		}
	}
	before := len(out.String())
	d.Pause()
	d.Done(Result{Name: "web1", Outcome: Outcome{Status: OK}})
	if s := out.String()[before:]; s != "\r\x1b[2A\x1b[J" {
		t.Errorf("while paused, only the live area is taken away: %q", s)
	}
	d.Resume()
	d.Close()
	if s := out.String(); !strings.HasSuffix(s, "surveying 3 hosts: 2 done (1 failed), 0 in flight, 1 waiting\n\r\x1b[1A\x1b[J") {
		t.Errorf("closing leaves the screen clear: %q", s[len(s)-80:])
	}
}

func TestSummary(t *testing.T) {
	rs := []Result{
		{Name: "web1", Outcome: Outcome{Status: OK, Ref: "web1@2", Notes: []string{"added the host key of web1 to known_hosts"}}},
		{Name: "db-primary", Target: "ssh://10.0.0.6", Outcome: Outcome{Status: Failed, Problem: "host key for 10.0.0.6 is not known",
			Advice: "check the fingerprint, then re-run with --accept-new-host-key\nmore"}},
		{Name: "mail", Outcome: Outcome{Status: Partial, Ref: "mail@4", Problem: "the connection closed after 5000 bytes", Advice: "re-run when stable"}},
	}
	var b strings.Builder
	Summary(&b, rs, 93*time.Second, "recorded in /tmp/t.db")
	want := `3 hosts in 1m33s: 1 surveyed, 1 stopped early (what arrived is kept), 1 failed; recorded in /tmp/t.db

HOST        WHAT HAPPENED / WHAT TO DO
db-primary  failed: host key for 10.0.0.6 is not known
            → check the fingerprint, then re-run with --accept-new-host-key
mail        partial: the connection closed after 5000 bytes [kept as mail@4]
            → re-run when stable

notes:
  web1: added the host key of web1 to known_hosts
`
	if b.String() != want {
		t.Errorf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}
