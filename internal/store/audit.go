package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// AuditEntry is one line of the audit trail: who did what to the store, and how
// it ended. The trail is append-only: this API has no way to change or remove an
// entry, and the database itself refuses UPDATE and DELETE on it (a trigger in
// either backend; in PostgreSQL TRUNCATE too).
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Operator Operator  `json:"operator"`
	// Action is what was done: "survey", "verify", or what was written from a
	// snapshot ("report", "spec", "diff", "codify").
	Action string `json:"action"`
	// Target is what the operator named: the survey's target, a reference.
	Target  string `json:"target"`
	Outcome string `json:"outcome"`
	// Host and Survey name the host and its survey (HOST@Survey) the entry is
	// about, when there are ones.
	Host   string `json:"host,omitempty"`
	Survey int    `json:"survey,omitempty"`
}

// Audit appends an entry that records no survey: a survey that failed before it
// had a snapshot (RecordSurvey makes the entries of the surveys it records), a
// document or project written from a snapshot. At is the store's clock. Host,
// when it is the name of a host the store knows, ties the entry to that host, and
// Survey (with Host) to that survey of it; a name or number the store does not
// know is dropped from the entry rather than refused, as what was done was done.
// The command line, target and outcome pass the scrub (an error message may quote
// what it failed on).
func (s *Store) Audit(ctx context.Context, e AuditEntry) (AuditEntry, error) {
	err := s.audit(ctx, &e, nil)
	if err != nil {
		return AuditEntry{}, err
	}
	return e, nil
}

// audit appends an entry, with what then writes in the same transaction (nil:
// nothing more): e is stamped with the store's clock, its free text scrubbed, its
// host and survey looked up (and cleared where the store has none), and its ID
// set.
func (s *Store) audit(ctx context.Context, e *AuditEntry, then func(tx *sql.Tx, hostID, surveyID *int64) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.fail(err)
	}
	defer tx.Rollback()
	hostID, surveyID, err := s.auditIn(ctx, tx, e)
	if err != nil {
		return err
	}
	if then != nil {
		if err := then(tx, hostID, surveyID); err != nil {
			return err
		}
	}
	return s.failIf(tx.Commit())
}

// auditIn appends an entry within tx, as audit does, and returns the host and
// survey it is tied to.
func (s *Store) auditIn(ctx context.Context, tx *sql.Tx, e *AuditEntry) (hostID, surveyID *int64, err error) {
	e.At = s.now().UTC()
	s.scrubAudit(e)
	hostID, surveyID, err = s.locate(ctx, tx, &e.Host, &e.Survey)
	if err != nil {
		return nil, nil, err
	}
	if e.ID, err = s.insertAudit(ctx, tx, *e, hostID, surveyID); err != nil {
		return nil, nil, err
	}
	return hostID, surveyID, nil
}

// locate finds the host named *host and its survey number *seq, clearing what the
// store does not know.
func (s *Store) locate(ctx context.Context, tx *sql.Tx, host *string, seq *int) (hostID, surveyID *int64, err error) {
	if *host == "" {
		*seq = 0
		return nil, nil, nil
	}
	id, found, err := s.hostIDByName(ctx, tx, *host)
	if err != nil {
		return nil, nil, err
	}
	if !found {
		*host, *seq = "", 0
		return nil, nil, nil
	}
	hostID = &id
	if *seq > 0 {
		var sid int64
		err := tx.QueryRowContext(ctx, s.d.bind("SELECT id FROM surveys WHERE host_id = ? AND seq = ?"), id, *seq).Scan(&sid)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			*seq = 0
		case err != nil:
			return nil, nil, s.fail(err)
		default:
			surveyID = &sid
		}
	}
	return hostID, surveyID, nil
}

// scrubAudit passes an entry's free text through the scrub.
func (s *Store) scrubAudit(e *AuditEntry) {
	for _, p := range []*string{&e.Operator.Command, &e.Target, &e.Outcome} {
		*p = string(s.scrub([]byte(*p)))
	}
}

func (s *Store) insertAudit(ctx context.Context, tx *sql.Tx, e AuditEntry, hostID, surveyID *int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, s.d.bind(`INSERT INTO audit (at, operator_user, operator_host, trowel_version, command, action, target, outcome, host_id, survey_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		dbTime(e.At), e.Operator.User, e.Operator.Host, e.Operator.TrowelVersion, e.Operator.Command, e.Action, e.Target, e.Outcome, hostID, surveyID).Scan(&id)
	return id, s.failIf(err)
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	// Host, when set, keeps the entries about the host it names (see FindHost).
	Host string
	// Limit keeps the newest Limit entries; 0 keeps all.
	Limit int
}

// AuditLog lists audit entries, the newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	query := `SELECT a.id, a.at, a.operator_user, a.operator_host, a.trowel_version, a.command, a.action, a.target, a.outcome,
		COALESCE(h.name, ''), COALESCE(sv.seq, 0)
		FROM audit a LEFT JOIN hosts h ON h.id = a.host_id LEFT JOIN surveys sv ON sv.id = a.survey_id`
	var args []any
	if f.Host != "" {
		h, err := s.FindHost(ctx, f.Host)
		if err != nil {
			return nil, err
		}
		query += ` WHERE a.host_id = ?`
		args = append(args, h.ID)
	}
	query += ` ORDER BY a.id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []AuditEntry
	err := s.each(ctx, query, args, func(r *sql.Rows) error {
		var e AuditEntry
		var at dbTime
		if err := r.Scan(&e.ID, &at, &e.Operator.User, &e.Operator.Host, &e.Operator.TrowelVersion, &e.Operator.Command,
			&e.Action, &e.Target, &e.Outcome, &e.Host, &e.Survey); err != nil {
			return err
		}
		e.At = time.Time(at)
		out = append(out, e)
		return nil
	})
	return out, err
}

func (s *Store) failIf(err error) error {
	if err == nil {
		return nil
	}
	return s.fail(err)
}
