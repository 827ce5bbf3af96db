package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/trowel-dev/trowel/internal/verify"
)

// Verification is one run of trowel verify to record.
type Verification struct {
	Result verify.Result
	// Target is what was checked, as the operator named it; Against, the spec or
	// snapshot it was checked against, as named (HOST@N for a stored one).
	Target  string
	Against string
	// Host and Survey tie the run to what the store knows: the host checked and
	// the survey of it that was checked (HOST@Survey), or the host alone (Survey
	// 0). A host the store does not know leaves the run tied to none.
	Host   string
	Survey int
	// Outcome says how it ended ("12 passed, 0 failed, 3 skipped" when empty).
	Outcome  string
	Operator Operator
}

// VerificationInfo is a recorded verify without its checks.
type VerificationInfo struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Host    string    `json:"host,omitempty"`
	Survey  int       `json:"survey,omitempty"`
	Target  string    `json:"target"`
	Against string    `json:"against"`
	Passed  int       `json:"passed"`
	Failed  int       `json:"failed"`
	Skipped int       `json:"skipped"`
	Outcome string    `json:"outcome"`
	// Operator ran it (from the audit trail).
	Operator Operator `json:"operator"`
}

// RecordVerification stores a verify's result with its audit entry ("verify"),
// in one transaction. The result's JSON passes the scrub (a check's message may
// quote a setting), and the counts stored are the scrubbed result's.
func (s *Store) RecordVerification(ctx context.Context, v Verification) (VerificationInfo, error) {
	var res verify.Result
	doc, err := s.scrubJSON(v.Result, &res)
	if err != nil {
		return VerificationInfo{}, fmt.Errorf("store: the verify result: %w", err)
	}
	b := blob{kind: "checks", data: doc}
	if err := b.compress(); err != nil {
		return VerificationInfo{}, err
	}
	outcome := cmp.Or(v.Outcome, fmt.Sprintf("%d passed, %d failed, %d skipped", res.Pass, res.Fail, res.Skip))
	entry := AuditEntry{Operator: v.Operator, Action: "verify", Target: v.Target, Outcome: outcome, Host: v.Host, Survey: v.Survey}
	info := VerificationInfo{Against: string(s.scrub([]byte(v.Against))), Passed: res.Pass, Failed: res.Fail, Skipped: res.Skip}
	err = s.audit(ctx, &entry, func(tx *sql.Tx, hostID, surveyID *int64) error {
		info.At, info.Host, info.Survey, info.Target, info.Outcome, info.Operator = entry.At, entry.Host, entry.Survey, entry.Target, entry.Outcome, entry.Operator
		err := tx.QueryRowContext(ctx, s.d.bind(`INSERT INTO verifications (at, host_id, survey_id, target, against, passed, failed, skipped, outcome,
			encoding, size, sha256, checks, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			dbTime(info.At), hostID, surveyID, info.Target, info.Against, info.Passed, info.Failed, info.Skipped, info.Outcome,
			"gzip", len(b.data), b.sum, b.packed, entry.ID).Scan(&info.ID)
		return s.failIf(err)
	})
	if err != nil {
		return VerificationInfo{}, err
	}
	return info, nil
}

// Verifications lists the verify runs against the host name stands for (see
// FindHost), the newest first; limit 0 lists all.
func (s *Store) Verifications(ctx context.Context, name string, limit int) ([]VerificationInfo, error) {
	h, err := s.FindHost(ctx, name)
	if err != nil {
		return nil, err
	}
	query := `SELECT v.id, v.at, h.name, COALESCE(sv.seq, 0), v.target, v.against, v.passed, v.failed, v.skipped, v.outcome,
		a.operator_user, a.operator_host, a.trowel_version, a.command
		FROM verifications v JOIN hosts h ON h.id = v.host_id JOIN audit a ON a.id = v.audit_id
		LEFT JOIN surveys sv ON sv.id = v.survey_id
		WHERE v.host_id = ? ORDER BY v.at DESC, v.id DESC`
	args := []any{h.ID}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	var out []VerificationInfo
	err = s.each(ctx, query, args, func(r *sql.Rows) error {
		var v VerificationInfo
		var at dbTime
		op := &v.Operator
		if err := r.Scan(&v.ID, &at, &v.Host, &v.Survey, &v.Target, &v.Against, &v.Passed, &v.Failed, &v.Skipped, &v.Outcome,
			&op.User, &op.Host, &op.TrowelVersion, &op.Command); err != nil {
			return err
		}
		v.At = time.Time(at)
		out = append(out, v)
		return nil
	})
	return out, err
}

// VerificationResult reads a recorded verify's checks.
func (s *Store) VerificationResult(ctx context.Context, v VerificationInfo) (verify.Result, error) {
	var encoding, sum string
	var size int64
	var packed []byte
	what := fmt.Sprintf("verification %d", v.ID)
	err := s.r.QueryRowContext(ctx, s.d.bind("SELECT encoding, size, sha256, checks FROM verifications WHERE id = ?"), v.ID).
		Scan(&encoding, &size, &sum, &packed)
	if errors.Is(err, sql.ErrNoRows) {
		return verify.Result{}, &NotFoundError{Ref: what, Msg: "no " + what + " in the store"}
	}
	if err != nil {
		return verify.Result{}, s.fail(err)
	}
	doc, err := unpack(what, "checks", encoding, size, sum, packed)
	if err != nil {
		return verify.Result{}, err
	}
	var res verify.Result
	if err := json.Unmarshal(doc, &res); err != nil {
		return verify.Result{}, fmt.Errorf("%s: the stored checks are unreadable: %w", what, err)
	}
	return res, nil
}
