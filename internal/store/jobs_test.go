package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/store/pgtest"
)

func openPostgres(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// enqueue queues hosts web01..webNN, each tried at most attempts times.
func enqueue(t *testing.T, s *Store, hosts, attempts int) RequestInfo {
	t.Helper()
	var jobs []JobSpec
	for i := range hosts {
		name := fmt.Sprintf("web%02d", i+1)
		jobs = append(jobs, JobSpec{Name: name, Target: "ops@" + name + ".example:22", Inventory: Inventory{Name: name, Group: "web"}, Options: `{"sudo":true}`})
	}
	r, err := s.Enqueue(context.Background(), Request{Operator: operator, Jobs: jobs, MaxAttempts: attempts})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func worker(id string) Worker {
	op := operator
	op.Command = "trowel worker --store postgres://db/trowel"
	op.Host = id
	return Worker{ID: id, Operator: op}
}

func claim(t *testing.T, s *Store, w Worker, n int, lease time.Duration) []Job {
	t.Helper()
	jobs, err := s.Claim(context.Background(), w, n, lease)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// surveyOf is the snapshot a worker would make of a job's host.
func surveyOf(j Job) Survey {
	return Survey{Snapshot: host(j.Name, j.Name+".example", recordedAt), Operator: worker(j.Worker).Operator}
}

func requestJobs(t *testing.T, s *Store, id int64) (RequestInfo, map[string]Job) {
	t.Helper()
	r, jobs, err := s.RequestJobs(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Job{}
	for _, j := range jobs {
		byName[j.Name] = j
	}
	return r, byName
}

// A SQLite store has the table but no queue: enqueueing says why.
func TestQueueNeedsPostgres(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "trowel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Enqueue(ctx, Request{Operator: operator, Jobs: []JobSpec{{Name: "web1", Target: "web1"}}, MaxAttempts: 1})
	if !errors.Is(err, ErrQueueNeedsPostgres) || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("enqueue on SQLite: %v", err)
	}
	if _, err := s.Claim(ctx, worker("w1"), 1, time.Minute); !errors.Is(err, ErrQueueNeedsPostgres) {
		t.Errorf("claim on SQLite: %v", err)
	}
	if rs, err := s.Requests(ctx); err != nil || len(rs) != 0 {
		t.Errorf("requests on SQLite: %v, %v", rs, err)
	}
}

// Workers claiming at once from one queue never get the same job, and between
// them get every job; each then records its host once, and the request is done.
func TestQueueEveryJobOnce(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	const hosts, workers = 40, 5
	r := enqueue(t, s, hosts, 3)
	if r.ID == 0 || r.Jobs != hosts || r.Queued != hosts {
		t.Fatalf("request: %+v", r)
	}
	var mu sync.Mutex
	taken := map[int64]string{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := worker(fmt.Sprintf("worker-%d", w))
			for {
				jobs, err := s.Claim(ctx, me, 3, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(jobs) == 0 {
					return
				}
				for _, j := range jobs {
					mu.Lock()
					if other, dup := taken[j.ID]; dup {
						t.Errorf("job %d taken by %s and %s", j.ID, other, me.ID)
					}
					taken[j.ID] = me.ID
					mu.Unlock()
					if j.State != JobLeased || j.Worker != me.ID || j.Attempts != 1 || j.LeaseUntil == nil || j.Options != `{"sudo":true}` {
						t.Errorf("claimed: %+v", j)
					}
					if _, err := s.Complete(ctx, j, surveyOf(j)); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(taken) != hosts {
		t.Errorf("%d jobs taken, want %d", len(taken), hosts)
	}
	got, jobs := requestJobs(t, s, r.ID)
	if got.Done != hosts || got.Queued+got.Leased+got.Failed != 0 || got.Operator.User != "ops" {
		t.Errorf("request: %+v", got)
	}
	for name, j := range jobs {
		if j.State != JobDone || j.Survey != name+"@1" || j.FinishedAt == nil || j.Outcome != "ok" || j.Group != "web" {
			t.Errorf("%s: %+v", name, j)
		}
	}
	hs, _ := s.Hosts(ctx)
	if len(hs) != hosts {
		t.Errorf("%d hosts recorded", len(hs))
	}
	for _, h := range hs {
		if h.Surveys != 1 || h.Group != "web" {
			t.Errorf("%s: %d surveys, group %q", h.Name, h.Surveys, h.Group)
		}
	}
	if n, err := s.Unfinished(ctx); err != nil || n != 0 {
		t.Errorf("unfinished: %d, %v", n, err)
	}
}

// A worker whose lease runs out loses its job to the next worker that claims:
// the loss is audited naming it, its renewal and its survey are refused (nothing
// of it is recorded), and the one survey recorded is the second worker's.
func TestQueueLeaseTakenOver(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	r := enqueue(t, s, 1, 3)
	a, b := worker("host-a:101:aaaa"), worker("host-b:202:bbbb")
	held := claim(t, s, a, 5, 300*time.Millisecond)
	if len(held) != 1 {
		t.Fatalf("a claimed %d jobs", len(held))
	}
	if got := claim(t, s, b, 5, time.Minute); len(got) != 0 {
		t.Fatalf("b took a job a still holds: %+v", got)
	}
	ja := held[0]
	if err := s.Renew(ctx, &ja, 300*time.Millisecond); err != nil {
		t.Fatalf("a renewing in time: %v", err)
	}
	time.Sleep(600 * time.Millisecond)
	taken := claim(t, s, b, 5, time.Minute)
	if len(taken) != 1 || taken[0].ID != ja.ID || taken[0].Attempts != 2 || taken[0].Worker != b.ID {
		t.Fatalf("b's claim after a's lease ran out: %+v", taken)
	}
	if err := s.Renew(ctx, &ja, time.Minute); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("a renewing a lost lease: %v", err)
	}
	if _, err := s.Complete(ctx, ja, surveyOf(ja)); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("a recording a lost job: %v", err)
	}
	if _, err := s.Fail(ctx, ja, a.Operator, "boom", 0); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("a failing a lost job: %v", err)
	}
	if err := s.Release(ctx, ja); err != nil {
		t.Errorf("a releasing a lost job (nothing to do): %v", err)
	}
	if hs, _ := s.Hosts(ctx); len(hs) != 0 {
		t.Fatalf("a lost job was recorded: %+v", hs)
	}
	info, err := s.Complete(ctx, taken[0], surveyOf(taken[0]))
	if err != nil || info.Ref() != "web01@1" {
		t.Fatalf("b recording: %v, %v", info, err)
	}
	_, jobs := requestJobs(t, s, r.ID)
	if j := jobs["web01"]; j.State != JobDone || j.Attempts != 2 || j.Worker != b.ID || j.Survey != "web01@1" {
		t.Errorf("the job: %+v", j)
	}
	log := checkTrail(t, s,
		"enqueue by jump1: queued",
		"survey by host-b:202:bbbb: lost: worker host-a:101:aaaa's lease ran out during attempt 1 of 3 (the worker stopped, or lost the store); to be tried again",
		"survey by host-b:202:bbbb: ok")
	if log[0].Host != "web01" || log[0].Survey != 1 || log[2].Target != "request 1: 1 host" {
		t.Errorf("audit: %s", mustJSON(t, log))
	}
}

// checkTrail checks the audit trail, the oldest entry first, as "ACTION by
// MACHINE: OUTCOME" (the test workers' IDs are their machines), and returns it.
func checkTrail(t *testing.T, s *Store, want ...string) []AuditEntry {
	t.Helper()
	log, err := s.AuditLog(context.Background(), AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, e := range slices.Backward(log) {
		trail = append(trail, e.Action+" by "+e.Operator.Host+": "+e.Outcome)
	}
	if !slices.Equal(trail, want) {
		t.Errorf("audit trail:\n%s\nwant:\n%s", strings.Join(trail, "\n"), strings.Join(want, "\n"))
	}
	return log
}

// A failed attempt is audited and queued again after the delay asked; the last
// attempt's failure gives the job up. A lease that runs out on the last attempt
// gives it up too.
func TestQueueAttempts(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	r := enqueue(t, s, 2, 2)
	w := worker("host-a:1:a")
	jobs := claim(t, s, w, 1, time.Minute)
	if final, err := s.Fail(ctx, jobs[0], w.Operator, "could not log in as ops@web01.example:22", time.Hour); err != nil || final {
		t.Fatalf("first failure: final %v, %v", final, err)
	}
	// web01 waits an hour: the next claim takes web02.
	next := claim(t, s, w, 2, 200*time.Millisecond)
	if len(next) != 1 || next[0].Name != "web02" {
		t.Fatalf("claimed %+v", next)
	}
	_, byName := requestJobs(t, s, r.ID)
	if j := byName["web01"]; j.State != JobQueued || j.NotBefore == nil || time.Until(*j.NotBefore) < 50*time.Minute ||
		!strings.Contains(j.Outcome, "(attempt 1 of 2; to be tried again)") {
		t.Errorf("web01 after a failure: %+v", j)
	}
	if _, err := s.w.ExecContext(ctx, "UPDATE jobs SET not_before = now() WHERE name = 'web01'"); err != nil {
		t.Fatal(err)
	}
	again := claim(t, s, w, 1, time.Minute)
	if len(again) != 1 || again[0].Name != "web01" || again[0].Attempts != 2 {
		t.Fatalf("claimed again: %+v", again)
	}
	if final, err := s.Fail(ctx, again[0], w.Operator, "could not log in as ops@web01.example:22", 0); err != nil || !final {
		t.Fatalf("last failure: final %v, %v", final, err)
	}
	// web02's lease runs out on its first attempt; taken again, it runs out on
	// its last, and the claim that finds it gives it up.
	time.Sleep(400 * time.Millisecond)
	retaken := claim(t, s, w, 1, 200*time.Millisecond)
	if len(retaken) != 1 || retaken[0].Name != "web02" || retaken[0].Attempts != 2 {
		t.Fatalf("retaken: %+v", retaken)
	}
	time.Sleep(400 * time.Millisecond)
	if got := claim(t, s, w, 1, time.Minute); len(got) != 0 {
		t.Errorf("a job with no attempt left was claimed: %+v", got)
	}
	got, byName := requestJobs(t, s, r.ID)
	if got.Failed != 2 || got.Queued+got.Leased+got.Done != 0 {
		t.Errorf("request: %+v", got)
	}
	if j := byName["web01"]; j.State != JobFailed || j.Attempts != 2 || j.FinishedAt == nil ||
		j.Outcome != "failed: could not log in as ops@web01.example:22 (attempt 2 of 2: given up)" {
		t.Errorf("web01: %+v", j)
	}
	if j := byName["web02"]; j.State != JobFailed || !strings.HasPrefix(j.Outcome, "failed: given up after 2 attempts: worker host-a:1:a's lease ran out during attempt 2 of 2") {
		t.Errorf("web02: %+v", j)
	}
	if n, _ := s.Unfinished(ctx); n != 0 {
		t.Errorf("%d unfinished", n)
	}
	checkTrail(t, s,
		"enqueue by jump1: queued",
		"survey by host-a:1:a: failed: could not log in as ops@web01.example:22 (attempt 1 of 2; to be tried again)",
		"survey by host-a:1:a: failed: could not log in as ops@web01.example:22 (attempt 2 of 2: given up)",
		"survey by host-a:1:a: lost: worker host-a:1:a's lease ran out during attempt 1 of 2 (the worker stopped, or lost the store); to be tried again",
		"survey by host-a:1:a: failed: given up after 2 attempts: worker host-a:1:a's lease ran out during attempt 2 of 2 (the worker stopped, or lost the store)")
}

// A stopping worker gives its job back without using up an attempt.
func TestQueueRelease(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t)
	r := enqueue(t, s, 1, 1)
	w := worker("host-a:1:a")
	jobs := claim(t, s, w, 1, time.Minute)
	if err := s.Release(ctx, jobs[0]); err != nil {
		t.Fatal(err)
	}
	_, byName := requestJobs(t, s, r.ID)
	if j := byName["web01"]; j.State != JobQueued || j.Attempts != 0 {
		t.Errorf("released: %+v", j)
	}
	again := claim(t, s, worker("host-b:2:b"), 1, time.Minute)
	if len(again) != 1 || again[0].Attempts != 1 {
		t.Errorf("claimed after release: %+v", again)
	}
}

// A request names its hosts once each.
func TestEnqueueRefusesTwice(t *testing.T) {
	s := openPostgres(t)
	_, err := s.Enqueue(context.Background(), Request{Operator: operator, MaxAttempts: 1,
		Jobs: []JobSpec{{Name: "web1", Target: "web1"}, {Name: "WEB1", Target: "web1.example"}}})
	if err == nil || !strings.Contains(err.Error(), "WEB1 is twice in the request") {
		t.Errorf("%v", err)
	}
	if _, _, err := s.RequestJobs(context.Background(), 1); !isNotFound(err) {
		t.Errorf("request 1: %v", err)
	}
}
