package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/fleet/sshfake"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/pgtest"
)

// trowelProcess starts this test binary as trowel with args, its standard output
// and error going to a file of the test's; the returned function reads them.
func trowelProcess(t *testing.T, ctx context.Context, args ...string) (*exec.Cmd, func() string) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "trowel-*.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsTrowel+"=1")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, func() string {
		b, _ := os.ReadFile(out.Name())
		return string(b)
	}
}

// requestNumber is the number trowel survey --enqueue printed on a line of its own.
func requestNumber(t *testing.T, out string) int64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^(\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no request number in:\n%s", out)
	}
	var n int64
	fmt.Sscan(m[1], &n)
	return n
}

// Hosts queued in PostgreSQL, surveyed by three workers: one a real trowel
// process killed with SIGKILL while its surveys are in flight, one another
// process and one in this one, both until the queue is empty. The killed
// worker's jobs are taken again once its leases run out, and every host of the
// request is recorded exactly once, none by the killed worker; a host that
// refuses the key is given up after its attempts; the audit trail names the lost
// leases and their worker.
func TestWorkersShareAQueue(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	answering := []string{"web1", "web2", "web3", "web4", "web5", "web6"}
	behaviours := map[string]sshfake.Behaviour{"badkey": sshfake.RefuseKey}
	for _, name := range answering {
		behaviours[name] = sshfake.Answer
	}
	// Each probe takes two seconds: long enough to kill a worker mid-survey.
	e := startEstate(t, behaviours, nil, "", 2*time.Second)
	localTargets := filepath.Join(t.TempDir(), "targets")
	os.WriteFile(localTargets, []byte("local\nweb1.example\n"), 0o644)

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--store", filepath.Join(t.TempDir(), "trowel.db")}, "the job queue needs a team's PostgreSQL store"},
		{[]string{"--store", dsn, "--identity", "key"}, "--identity is not queued with --enqueue"},
		{[]string{"--store", dsn, "-o", "dir"}, "--output does not go with --enqueue"},
		{[]string{"--store", dsn, "--targets", localTargets}, "a worker would survey its own machine or files for local"},
	} {
		args := append([]string{"survey", "--enqueue"}, c.args...)
		if !slices.Contains(args, "--targets") {
			args = append(args, "-i", e.inventory)
		}
		if code, out := run(t, args...); code != cli.ExitError || !strings.Contains(out, c.want) {
			t.Errorf("%q: exit %d, want 2 saying %q\n%s", args, code, c.want, out)
		}
	}
	code, out := run(t, "survey", "-i", e.inventory, "--enqueue", "--store", dsn, "--attempts", "2", "--no-ask", "--timeout", "60s")
	if code != cli.ExitOK || !strings.Contains(out, "trowel: request 1: 7 hosts queued in") {
		t.Fatalf("enqueue: exit %d\n%s", code, out)
	}
	request := requestNumber(t, out)

	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	worker := func(parallel string, extra ...string) []string {
		return append(append([]string{"worker", "--store", dsn, "--parallel", parallel, "--lease", "3s", "--poll", "200ms", "--retry-after", "0s"},
			e.credentials...), extra...)
	}

	// The first worker takes three jobs; it is killed once it is surveying two
	// hosts.
	killed, killedOut := trowelProcess(t, ctx, worker("3")...)
	owner := fmt.Sprintf(":%d:", killed.Process.Pid)
	var held []store.Job
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			killed.Process.Kill()
			t.Fatalf("the first worker never had two surveys in flight:\n%s", killedOut())
		}
		_, jobs, err := st.RequestJobs(ctx, request)
		if err != nil {
			t.Fatal(err)
		}
		held = held[:0]
		for _, j := range jobs {
			if j.State == store.JobLeased && strings.Contains(j.Worker, owner) && len(e.servers[j.Name].Execs()) > 0 {
				held = append(held, j)
			}
		}
		if len(held) >= 2 {
			break
		}
	}
	if err := killed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	killedID := held[0].Worker
	// What it held when it died (a host that refused the key, perhaps, whose
	// failure it had not yet written): its lease runs out a lease after the last
	// renewal, a second at most before its death.
	_, jobs, err := st.RequestJobs(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	var atDeath []string
	for _, j := range jobs {
		if j.State == store.JobLeased && j.Worker == killedID {
			atDeath = append(atDeath, j.Name)
		}
	}

	// Two more workers, one a process and one in this one, until nothing is left.
	other, otherOut := trowelProcess(t, ctx, worker("2", "--until-empty")...)
	inCode, inOut := run(t, worker("2", "--until-empty")...)
	if err := other.Wait(); err != nil {
		t.Errorf("the other worker: %v\n%s", err, otherOut())
	}
	if inCode != cli.ExitOK {
		t.Errorf("the worker in this process: exit %d\n%s", inCode, inOut)
	}
	logs := "killed:\n" + killedOut() + "\nother:\n" + otherOut() + "\nin process:\n" + inOut

	r, jobs, err := st.RequestJobs(ctx, request)
	if err != nil {
		t.Fatal(err)
	}
	if r.Jobs != 7 || r.Done != 6 || r.Failed != 1 || r.Queued+r.Leased != 0 {
		t.Errorf("request: %+v\n%s", r, logs)
	}
	byName := map[string]store.Job{}
	for _, j := range jobs {
		byName[j.Name] = j
	}
	for _, name := range answering {
		j := byName[name]
		if j.State != store.JobDone || j.Survey != name+"@1" || j.Outcome != "ok" || strings.Contains(j.Worker, owner) {
			t.Errorf("%s: %+v", name, j)
		}
	}
	for _, h := range held {
		j := byName[h.Name]
		if j.Attempts != 2 || j.Worker == killedID {
			t.Errorf("%s, lost by the killed worker: %+v", h.Name, j)
		}
		// Surveyed twice, recorded once.
		if n := len(e.servers[h.Name].Execs()); n != 2 {
			t.Errorf("%s was surveyed %d times, want 2 (the killed worker's, then another's)", h.Name, n)
		}
	}
	if j := byName["badkey"]; j.State != store.JobFailed || j.Attempts != 2 ||
		!strings.HasPrefix(j.Outcome, "failed: could not log in as ops@") || !strings.HasSuffix(j.Outcome, "(attempt 2 of 2: given up)") {
		t.Errorf("badkey: %+v", j)
	}

	// Every host once in the store, none recorded by the killed worker.
	hosts, err := st.Hosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != len(answering) {
		t.Errorf("%d hosts in the store, want %d", len(hosts), len(answering))
	}
	for _, h := range hosts {
		if h.Surveys != 1 || h.Group != "app" {
			t.Errorf("%s: %d surveys, group %q", h.Name, h.Surveys, h.Group)
		}
	}
	log, err := st.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var lost []string
	var failed, ok, enqueued int
	for _, entry := range log {
		switch {
		case entry.Action == "enqueue":
			enqueued++
		case strings.HasPrefix(entry.Outcome, "lost: worker "+killedID+"'s lease ran out during attempt 1 of 2"):
			for name, target := range e.targets {
				if target == entry.Target {
					lost = append(lost, name)
				}
			}
		case entry.Action == "survey" && entry.Outcome == "ok":
			ok++
			if strings.Contains(entry.Operator.Command, "--parallel 3") {
				t.Errorf("the killed worker recorded %s", entry.Host)
			}
		case strings.HasPrefix(entry.Outcome, "failed: could not log in"):
			failed++
		default:
			t.Errorf("audit entry: %+v", entry)
		}
	}
	// badkey's two attempts: both failed, or the first lost with the killed
	// worker.
	badkeyLost := 0
	if slices.Contains(atDeath, "badkey") {
		badkeyLost = 1
	}
	slices.Sort(lost)
	slices.Sort(atDeath)
	if enqueued != 1 || !slices.Equal(lost, atDeath) || ok != len(answering) || failed != 2-badkeyLost {
		t.Errorf("audit: %d enqueued, lost %v, %d ok, %d failed; want 1, lost %v, %d ok, %d failed\n%s",
			enqueued, lost, ok, failed, atDeath, len(answering), 2-badkeyLost, mustJSON(t, log))
	}
	if t.Failed() {
		t.Log(logs)
	}

	// trowel jobs shows the request, and its hosts.
	if code, out := run(t, "jobs", "--store", dsn); code != cli.ExitOK || !regexp.MustCompile(`(?m)^1\s.*\s7\s+6\s+1\s+0\s+0$`).MatchString(out) {
		t.Errorf("jobs: exit %d\n%s", code, out)
	}
	code, out = run(t, "jobs", "1", "--store", dsn, "--format", "json")
	var listed struct {
		Request store.RequestInfo `json:"request"`
		Jobs    []store.Job       `json:"jobs"`
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &listed) != nil || len(listed.Jobs) != 7 || listed.Request.Done != 6 {
		t.Errorf("jobs 1 --format json: exit %d\n%s", code, out)
	}
	if code, out := run(t, "jobs", "9", "--store", dsn); code != cli.ExitError || !strings.Contains(out, "no request 9 in the store") {
		t.Errorf("jobs 9: exit %d\n%s", code, out)
	}
}
