package cli

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/fleet/sshfake"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/pgtest"
)

// slowHost starts one fake SSH host whose probe takes delay, and returns it with
// the flags that reach it.
func slowHost(t *testing.T, delay time.Duration) (*sshfake.Server, TargetFlags) {
	t.Helper()
	t.Setenv("SSH_AUTH_SOCK", "")
	recorded, err := os.ReadFile("../store/testdata/centos5.evidence.gz")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := sshfake.ProbeOutput(recorded)
	if err == nil {
		ev, err = sshfake.Renamed(ev, "slow1")
	}
	if err != nil {
		t.Fatal(err)
	}
	e, err := sshfake.NewEstate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	s, err := e.Add(sshfake.Config{Evidence: ev, Delay: delay, IP: "127.0.0.2"}, false)
	if err != nil {
		t.Fatal(err)
	}
	return s, TargetFlags{Identity: []string{e.KeyFile}, KnownHosts: e.KnownHosts, SSHConfig: "none", NoAsk: true, Timeout: time.Minute}
}

// A worker renews its lease while its survey takes longer than the lease, so no
// other worker takes the job meanwhile; interrupted, it gives the job back
// unrecorded with the attempt not counted, and the other worker records it.
func TestWorkerRenewsAndGivesBack(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, flags := slowHost(t, 5*time.Second)
	if _, err := flags.Enqueue(ctx, st, HostsFromTargets([]string{"ops@" + srv.Addr}), 1); err != nil {
		t.Fatal(err)
	}
	const lease = 3 * time.Second
	o := WorkerOptions{Parallel: 1, Lease: lease, Poll: 100 * time.Millisecond}
	first, interrupt := context.WithCancel(ctx)
	firstDone := make(chan WorkerTally)
	go func() {
		tally, _ := flags.Work(first, st, "first:1:a", o)
		firstDone <- tally
	}()
	// The first worker is surveying; the second finds nothing to take, for longer
	// than a lease.
	for len(srv.Execs()) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	o.UntilEmpty = true
	secondDone := make(chan WorkerTally)
	go func() {
		tally, _ := flags.Work(ctx, st, "second:2:b", o)
		secondDone <- tally
	}()
	time.Sleep(lease + time.Second)
	_, jobs, err := st.RequestJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if j := jobs[0]; j.State != store.JobLeased || j.Worker != "first:1:a" || j.Attempts != 1 {
		t.Fatalf("after a lease's time: %+v", j)
	}
	interrupt()
	if tally := <-firstDone; tally.Released != 1 || tally.Recorded != 0 {
		t.Errorf("the first worker: %+v", tally)
	}
	if tally := <-secondDone; tally.Recorded != 1 {
		t.Errorf("the second worker: %+v", tally)
	}
	_, jobs, _ = st.RequestJobs(ctx, 1)
	if j := jobs[0]; j.State != store.JobDone || j.Worker != "second:2:b" || j.Attempts != 1 || j.Survey != "slow1@1" {
		t.Errorf("the job: %+v", j)
	}
	log, _ := st.AuditLog(ctx, store.AuditFilter{})
	if len(log) != 2 || log[0].Outcome != "ok" || log[1].Action != "enqueue" {
		t.Errorf("audit: %+v", log)
	}
}

// A SQLite store has no queue, and a worker or an enqueue says so.
func TestQueueOnSQLite(t *testing.T) {
	f := StoreFlags{DSN: t.TempDir() + "/trowel.db"}
	_, err := f.OpenQueue(context.Background())
	var ue *Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "the job queue needs a team's PostgreSQL store") || !strings.Contains(ue.Hint, "postgres://") {
		t.Errorf("%v", err)
	}
	if _, err := os.Stat(f.DSN); err == nil {
		t.Error("refusing the queue left a SQLite store behind")
	}
}
