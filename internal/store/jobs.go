package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The job queue (PostgreSQL only). trowel survey --enqueue records a request, one
// job per host; workers (trowel worker, as many processes on as many machines as
// wanted, with no coordinator but the database) take jobs with SELECT ... FOR
// UPDATE SKIP LOCKED, each under a lease they renew while they survey, and record
// the survey and end the job in one transaction fenced by the lease's owner and
// attempt. A worker that stops (killed, cut off) lets its lease run out; the next
// worker to look takes the job again, and the first one's survey, should it ever
// come, is refused: every host of a request is recorded once.

// ErrQueueNeedsPostgres is returned by the queue's writes on a SQLite store.
var ErrQueueNeedsPostgres = errors.New("the job queue needs a team's PostgreSQL store (--store postgres://...): a SQLite store is one machine's file, which workers elsewhere cannot reach; survey the hosts from here with trowel survey instead")

// ErrLeaseLost says a worker no longer holds a job: its lease ran out and another
// worker took the job, or the job ended. What the worker made of it must not be
// recorded.
var ErrLeaseLost = errors.New("the job's lease was lost (it ran out and the job was taken again): what this worker surveyed is not recorded")

// JobState is where a job stands.
type JobState string

const (
	JobQueued JobState = "queued" // waiting for a worker (again, after a failed or lost attempt)
	JobLeased JobState = "leased" // a worker is surveying the host
	JobDone   JobState = "done"   // surveyed and recorded (in full, or what arrived)
	JobFailed JobState = "failed" // given up after its attempts
)

// JobSpec is one host to survey.
type JobSpec struct {
	// Name is how the host is shown: its inventory name, else the target.
	Name      string
	Target    string
	Inventory Inventory
	// Options say how to reach the host, as JSON the enqueuer and the workers
	// agree on (internal/cli's): a key file's path, sudo, a jump host, time
	// limits; never a password or key material.
	Options string
}

// Request is a set of hosts to survey, each once.
type Request struct {
	Operator Operator
	Jobs     []JobSpec
	// MaxAttempts is how many times a job is tried before it is given up.
	MaxAttempts int
}

// RequestInfo is a recorded request and how far its jobs are.
type RequestInfo struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Operator Operator  `json:"operator"`
	Jobs     int       `json:"jobs"`
	Queued   int       `json:"queued"`
	Leased   int       `json:"leased"`
	Done     int       `json:"done"`
	Failed   int       `json:"failed"`
}

// Job is one host of a request. Times are the database server's.
type Job struct {
	ID            int64    `json:"id"`
	Request       int64    `json:"request"`
	Name          string   `json:"name"`
	Target        string   `json:"target"`
	InventoryName string   `json:"inventory_name,omitempty"`
	Group         string   `json:"group,omitempty"`
	Options       string   `json:"-"`
	State         JobState `json:"state"`
	// Attempts counts the leases taken; with Worker, the latest attempt's
	// worker, it fences what a worker writes.
	Attempts    int        `json:"attempts"`
	MaxAttempts int        `json:"max_attempts"`
	Worker      string     `json:"worker,omitempty"`
	LeaseUntil  *time.Time `json:"lease_until,omitempty"`
	NotBefore   *time.Time `json:"not_before,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	// Outcome says how the latest attempt ended.
	Outcome string `json:"outcome,omitempty"`
	// Survey names the survey recorded (HOST@N), once the job is done.
	Survey string `json:"survey,omitempty"`
}

// Inventory is what an inventory said of the job's host.
func (j Job) Inventory() Inventory { return Inventory{Name: j.InventoryName, Group: j.Group} }

// Worker is who takes jobs: an ID unique among the workers that will ever share
// the queue (cli makes it of the machine's name, the process and a random part),
// and the operator its audit entries name.
type Worker struct {
	ID       string
	Operator Operator
}

func (s *Store) queue() error {
	if s.d != postgresDialect {
		return ErrQueueNeedsPostgres
	}
	return nil
}

// Enqueue records a request and its jobs, with an audit entry ("enqueue"), in one
// transaction.
func (s *Store) Enqueue(ctx context.Context, r Request) (RequestInfo, error) {
	if err := s.queue(); err != nil {
		return RequestInfo{}, err
	}
	if len(r.Jobs) == 0 {
		return RequestInfo{}, errors.New("store: a request needs at least one host")
	}
	if r.MaxAttempts < 1 {
		return RequestInfo{}, fmt.Errorf("store: %d attempts: a job needs at least one", r.MaxAttempts)
	}
	seen := map[string]bool{}
	for _, j := range r.Jobs {
		if seen[strings.ToLower(j.Name)] {
			return RequestInfo{}, fmt.Errorf("store: %s is twice in the request", j.Name)
		}
		seen[strings.ToLower(j.Name)] = true
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return RequestInfo{}, s.fail(err)
	}
	defer tx.Rollback()
	info := RequestInfo{Jobs: len(r.Jobs), Queued: len(r.Jobs)}
	if err := tx.QueryRowContext(ctx, "INSERT INTO survey_requests (at, audit_id) VALUES (now(), NULL) RETURNING id, at").
		Scan(&info.ID, (*dbTime)(&info.At)); err != nil {
		return RequestInfo{}, s.fail(err)
	}
	entry := AuditEntry{Operator: r.Operator, Action: "enqueue", Target: fmt.Sprintf("request %d: %s", info.ID, hostCount(len(r.Jobs))), Outcome: "queued"}
	if _, _, err := s.auditIn(ctx, tx, &entry); err != nil {
		return RequestInfo{}, err
	}
	info.Operator = entry.Operator
	if _, err := tx.ExecContext(ctx, s.d.bind("UPDATE survey_requests SET audit_id = ? WHERE id = ?"), entry.ID, info.ID); err != nil {
		return RequestInfo{}, s.fail(err)
	}
	rows := make([][]any, len(r.Jobs))
	for i, j := range r.Jobs {
		rows[i] = []any{info.ID, j.Name, string(s.scrub([]byte(j.Target))), j.Inventory.Name, j.Inventory.Group, j.Options, r.MaxAttempts}
	}
	if err := s.insertRows(ctx, tx, "INSERT INTO jobs (request_id, name, target, inventory_name, grp, options, state, max_attempts, created_at, updated_at) VALUES ",
		"(?, ?, ?, ?, ?, ?, 'queued', ?, now(), now())", rows); err != nil {
		return RequestInfo{}, err
	}
	if err := tx.Commit(); err != nil {
		return RequestInfo{}, s.fail(err)
	}
	return info, nil
}

func hostCount(n int) string {
	if n == 1 {
		return "1 host"
	}
	return fmt.Sprintf("%d hosts", n)
}

// jobColumns are what scanJob reads, of jobs j left-joined with the survey sv
// recorded and its host h.
const jobColumns = `j.id, j.request_id, j.name, j.target, j.inventory_name, j.grp, j.options, j.state, j.attempts, j.max_attempts,
	j.lease_owner, j.lease_until, j.not_before, j.created_at, j.updated_at, j.finished_at, j.outcome, COALESCE(h.name, ''), COALESCE(sv.seq, 0)`

const jobJoins = ` LEFT JOIN surveys sv ON sv.id = j.survey_id LEFT JOIN hosts h ON h.id = sv.host_id`

func scanJob(row scanner) (Job, error) {
	var j Job
	var created, updated dbTime
	var until, notBefore, finished nullTime
	var host string
	var seq int
	if err := row.Scan(&j.ID, &j.Request, &j.Name, &j.Target, &j.InventoryName, &j.Group, &j.Options, &j.State, &j.Attempts, &j.MaxAttempts,
		&j.Worker, &until, &notBefore, &created, &updated, &finished, &j.Outcome, &host, &seq); err != nil {
		return Job{}, err
	}
	j.CreatedAt, j.UpdatedAt = time.Time(created), time.Time(updated)
	j.LeaseUntil, j.NotBefore, j.FinishedAt = until.ptr(), notBefore.ptr(), finished.ptr()
	if seq > 0 {
		j.Survey = fmt.Sprintf("%s@%d", host, seq)
	}
	return j, nil
}

// Claim leases up to n jobs to worker w for lease, the oldest first. In the same
// transaction it first ends the leases that ran out: each such job is taken
// again (its attempt audited as lost, naming the worker that held it), or given
// up when it had all its attempts. Jobs another worker is claiming at the same
// moment are skipped, not waited for.
func (s *Store) Claim(ctx context.Context, w Worker, n int, lease time.Duration) ([]Job, error) {
	if err := s.queue(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.fail(err)
	}
	defer tx.Rollback()
	if err := s.reap(ctx, tx, w); err != nil {
		return nil, err
	}
	var claimed []Job
	err = s.eachOn(ctx, tx, `UPDATE jobs j SET state = 'leased', lease_owner = ?, lease_until = now() + ?::double precision * interval '1 millisecond',
		attempts = j.attempts + 1, not_before = NULL, updated_at = now()
		WHERE j.id IN (SELECT id FROM jobs WHERE state = 'queued' AND (not_before IS NULL OR not_before <= now())
			ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
		RETURNING `+strings.ReplaceAll(jobColumns, "COALESCE(h.name, ''), COALESCE(sv.seq, 0)", "'', 0"),
		[]any{w.ID, float64(lease.Milliseconds()), n}, func(r *sql.Rows) error {
			j, err := scanJob(r)
			claimed = append(claimed, j)
			return err
		})
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, s.fail(err)
	}
	slices.SortFunc(claimed, func(a, b Job) int { return int(a.ID - b.ID) })
	return claimed, nil
}

// reapBatch bounds the run-out leases one claim ends.
const reapBatch = 100

// reap ends the leases that ran out (see Claim).
func (s *Store) reap(ctx context.Context, tx *sql.Tx, w Worker) error {
	type expired struct {
		id                      int64
		name, target, inventory string
		owner                   string
		attempts, max           int
	}
	var lost []expired
	err := s.eachOn(ctx, tx, `SELECT id, name, target, inventory_name, lease_owner, attempts, max_attempts FROM jobs
		WHERE state = 'leased' AND lease_until < now() ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`, []any{reapBatch}, func(r *sql.Rows) error {
		var e expired
		lost = append(lost, e)
		p := &lost[len(lost)-1]
		return r.Scan(&p.id, &p.name, &p.target, &p.inventory, &p.owner, &p.attempts, &p.max)
	})
	if err != nil {
		return err
	}
	for _, e := range lost {
		why := fmt.Sprintf("worker %s's lease ran out during attempt %d of %d (the worker stopped, or lost the store)", e.owner, e.attempts, e.max)
		outcome, state := "lost: "+why+"; to be tried again", JobQueued
		if e.attempts >= e.max {
			outcome, state = fmt.Sprintf("failed: given up after %d attempts: %s", e.attempts, why), JobFailed
		}
		entry := AuditEntry{Operator: w.Operator, Action: "survey", Target: auditTarget(e.target), Host: e.inventory, Outcome: outcome}
		if _, _, err := s.auditIn(ctx, tx, &entry); err != nil {
			return err
		}
		q := `UPDATE jobs SET state = ?, lease_until = NULL, outcome = ?, updated_at = now() WHERE id = ?`
		if state == JobFailed {
			q = `UPDATE jobs SET state = ?, lease_until = NULL, outcome = ?, updated_at = now(), finished_at = now(), audit_id = ? WHERE id = ?`
		}
		args := []any{state, entry.Outcome, e.id}
		if state == JobFailed {
			args = []any{state, entry.Outcome, entry.ID, e.id}
		}
		if _, err := tx.ExecContext(ctx, s.d.bind(q), args...); err != nil {
			return s.fail(err)
		}
	}
	return nil
}

// auditTarget is a job's target as the audit trail names a survey's (user@host:port,
// without ssh://), so that every attempt at one host reads alike.
func auditTarget(target string) string { return strings.TrimPrefix(target, "ssh://") }

// leaseGuard is the condition under which a worker may still write to its job:
// it holds the lease of this attempt.
const leaseGuard = ` WHERE id = ? AND state = 'leased' AND lease_owner = ? AND attempts = ?`

func guardArgs(j Job) []any { return []any{j.ID, j.Worker, j.Attempts} }

// Renew extends a held job's lease by lease from now, and sets j.LeaseUntil.
// ErrLeaseLost says the job is no longer this worker's.
func (s *Store) Renew(ctx context.Context, j *Job, lease time.Duration) error {
	if err := s.queue(); err != nil {
		return err
	}
	var until dbTime
	err := s.w.QueryRowContext(ctx, s.d.bind(`UPDATE jobs SET lease_until = now() + ?::double precision * interval '1 millisecond', updated_at = now()`+
		leaseGuard+` RETURNING lease_until`), append([]any{float64(lease.Milliseconds())}, guardArgs(*j)...)...).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrLeaseLost
	}
	if err != nil {
		return s.fail(err)
	}
	t := time.Time(until)
	j.LeaseUntil = &t
	return nil
}

// Complete records a held job's survey (as RecordSurvey does, with the job's
// host) and marks the job done, in one transaction that writes nothing unless
// the worker still holds the job's lease: ErrLeaseLost then.
func (s *Store) Complete(ctx context.Context, j Job, sv Survey) (SurveyInfo, error) {
	if err := s.queue(); err != nil {
		return SurveyInfo{}, err
	}
	sv.Inventory = j.Inventory()
	// The guard comes first: it takes the job's row lock, so that no worker
	// reaping the lease meanwhile can take the job while this one records it.
	guard := func(tx *sql.Tx, p *preparedSurvey) error {
		return s.guarded(ctx, tx, j, `UPDATE jobs SET state = 'done', lease_until = NULL, finished_at = now(), updated_at = now(), outcome = ?`,
			p.entry.Outcome)
	}
	link := func(tx *sql.Tx, p *preparedSurvey, auditID int64) error {
		_, err := tx.ExecContext(ctx, s.d.bind("UPDATE jobs SET survey_id = ?, audit_id = ? WHERE id = ?"), p.info.ID, auditID, j.ID)
		return s.failIf(err)
	}
	return s.record(ctx, sv, guard, link)
}

// Fail ends a held job's attempt that surveyed nothing, with an audit entry
// ("failed: PROBLEM (attempt i of n ...)"): the job is queued again, to be taken
// no sooner than retryAfter from now, or given up (final) when that was its last
// attempt. ErrLeaseLost: the job is no longer this worker's, and nothing is
// written.
func (s *Store) Fail(ctx context.Context, j Job, op Operator, problem string, retryAfter time.Duration) (final bool, err error) {
	if err := s.queue(); err != nil {
		return false, err
	}
	final = j.Attempts >= j.MaxAttempts
	outcome := fmt.Sprintf("failed: %s (attempt %d of %d; to be tried again)", problem, j.Attempts, j.MaxAttempts)
	if final {
		outcome = fmt.Sprintf("failed: %s (attempt %d of %d: given up)", problem, j.Attempts, j.MaxAttempts)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, s.fail(err)
	}
	defer tx.Rollback()
	entry := AuditEntry{Operator: op, Action: "survey", Target: auditTarget(j.Target), Host: j.InventoryName, Outcome: outcome}
	if _, _, err := s.auditIn(ctx, tx, &entry); err != nil {
		return false, err
	}
	if final {
		err = s.guarded(ctx, tx, j, `UPDATE jobs SET state = 'failed', lease_until = NULL, finished_at = now(), updated_at = now(), outcome = ?, audit_id = ?`,
			entry.Outcome, entry.ID)
	} else {
		err = s.guarded(ctx, tx, j, `UPDATE jobs SET state = 'queued', lease_until = NULL, updated_at = now(), outcome = ?,
			not_before = now() + ?::double precision * interval '1 millisecond'`, entry.Outcome, float64(retryAfter.Milliseconds()))
	}
	if err != nil {
		return false, err
	}
	return final, s.failIf(tx.Commit())
}

// Release gives a held job back untouched, as if it had not been taken (the
// attempt is not counted): its worker is stopping.
func (s *Store) Release(ctx context.Context, j Job) error {
	if err := s.queue(); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, s.d.bind(`UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_until = NULL, updated_at = now()`+leaseGuard),
		guardArgs(j)...)
	return s.failIf(err)
}

// guarded runs update (an UPDATE jobs SET ... without WHERE) on a job the worker
// holds, or returns ErrLeaseLost.
func (s *Store) guarded(ctx context.Context, tx *sql.Tx, j Job, update string, args ...any) error {
	res, err := tx.ExecContext(ctx, s.d.bind(update+leaseGuard), append(args, guardArgs(j)...)...)
	if err != nil {
		return s.fail(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.fail(err)
	} else if n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// Unfinished counts the jobs not yet ended (queued or leased), of every request.
func (s *Store) Unfinished(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'leased')").Scan(&n)
	return n, s.failIf(err)
}

// Requests lists the requests, the oldest first, with their jobs counted by state.
func (s *Store) Requests(ctx context.Context) ([]RequestInfo, error) {
	var out []RequestInfo
	err := s.each(ctx, `SELECT r.id, r.at, COALESCE(a.operator_user, ''), COALESCE(a.operator_host, ''), COALESCE(a.trowel_version, ''), COALESCE(a.command, ''),
		COUNT(j.id), COUNT(CASE WHEN j.state = 'queued' THEN 1 END), COUNT(CASE WHEN j.state = 'leased' THEN 1 END),
		COUNT(CASE WHEN j.state = 'done' THEN 1 END), COUNT(CASE WHEN j.state = 'failed' THEN 1 END)
		FROM survey_requests r LEFT JOIN audit a ON a.id = r.audit_id LEFT JOIN jobs j ON j.request_id = r.id
		GROUP BY r.id, r.at, a.operator_user, a.operator_host, a.trowel_version, a.command ORDER BY r.id`, nil, func(r *sql.Rows) error {
		var ri RequestInfo
		op := &ri.Operator
		if err := r.Scan(&ri.ID, (*dbTime)(&ri.At), &op.User, &op.Host, &op.TrowelVersion, &op.Command,
			&ri.Jobs, &ri.Queued, &ri.Leased, &ri.Done, &ri.Failed); err != nil {
			return err
		}
		out = append(out, ri)
		return nil
	})
	return out, err
}

// RequestJobs gives a request and its jobs, in the order they were queued.
func (s *Store) RequestJobs(ctx context.Context, id int64) (RequestInfo, []Job, error) {
	reqs, err := s.Requests(ctx)
	if err != nil {
		return RequestInfo{}, nil, err
	}
	i := slices.IndexFunc(reqs, func(r RequestInfo) bool { return r.ID == id })
	if i < 0 {
		return RequestInfo{}, nil, &NotFoundError{Ref: fmt.Sprint(id), Msg: fmt.Sprintf("no request %d in the store", id)}
	}
	var jobs []Job
	err = s.each(ctx, `SELECT `+jobColumns+` FROM jobs j`+jobJoins+` WHERE j.request_id = ? ORDER BY j.id`, []any{id}, func(r *sql.Rows) error {
		j, err := scanJob(r)
		jobs = append(jobs, j)
		return err
	})
	return reqs[i], jobs, err
}

// nullTime is a time the store may not have.
type nullTime struct {
	t     dbTime
	valid bool
}

func (n *nullTime) Scan(v any) error {
	if v == nil {
		n.valid = false
		return nil
	}
	n.valid = true
	return n.t.Scan(v)
}

func (n nullTime) ptr() *time.Time {
	if !n.valid {
		return nil
	}
	t := time.Time(n.t)
	return &t
}
