package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Note is what someone wrote about a host: a decision ("moves in wave 2 with
// the database"), a warning ("the batch at 02:30 must not run twice"), an answer
// to a finding. Notes are append-only, like the audit trail: a note is corrected
// by another note.
type Note struct {
	ID   int64     `json:"id"`
	At   time.Time `json:"at"`
	Host string    `json:"host"`
	Text string    `json:"text"`
	// Operator wrote it (from the audit trail).
	Operator Operator `json:"operator"`
}

// MaxNote is the longest note the store takes, in characters: a note is a few
// lines, not a document.
const MaxNote = 4000

// ErrEmptyNote and ErrLongNote refuse a note that says nothing or too much.
var (
	ErrEmptyNote = errors.New("the note is empty")
	ErrLongNote  = fmt.Errorf("the note is longer than %d characters", MaxNote)
)

// AddNote appends a note about the host named host (its name as Hosts gives it)
// with its audit entry ("note"), in one transaction. The text passes the scrub
// like every other text the store keeps: a password pasted into a note is not
// kept. A host the store does not have is a *NotFoundError.
func (s *Store) AddNote(ctx context.Context, host, text string, op Operator) (Note, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case text == "":
		return Note{}, ErrEmptyNote
	case utf8.RuneCountInString(text) > MaxNote:
		return Note{}, ErrLongNote
	case !utf8.ValidString(text):
		return Note{}, errors.New("the note is not valid UTF-8")
	}
	text = string(s.scrub([]byte(text)))
	entry := AuditEntry{Operator: op, Action: "note", Target: host, Outcome: "ok", Host: host}
	var n Note
	err := s.audit(ctx, &entry, func(tx *sql.Tx, hostID, _ *int64) error {
		if hostID == nil {
			return &NotFoundError{Ref: host, Msg: fmt.Sprintf("no host %q in the store %s", host, s.location)}
		}
		n = Note{At: entry.At, Text: text, Operator: entry.Operator}
		if err := tx.QueryRowContext(ctx, s.d.bind("SELECT name FROM hosts WHERE id = ?"), *hostID).Scan(&n.Host); err != nil {
			return s.fail(err)
		}
		return s.failIf(tx.QueryRowContext(ctx, s.d.bind("INSERT INTO notes (at, host_id, text, audit_id) VALUES (?, ?, ?, ?) RETURNING id"),
			dbTime(n.At), *hostID, n.Text, entry.ID).Scan(&n.ID))
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// Notes lists the notes about the host name stands for (see FindHost), the
// newest first; limit 0 lists all.
func (s *Store) Notes(ctx context.Context, name string, limit int) ([]Note, error) {
	h, err := s.FindHost(ctx, name)
	if err != nil {
		return nil, err
	}
	query := `SELECT n.id, n.at, n.text, a.operator_user, a.operator_host, a.trowel_version, a.command
		FROM notes n JOIN audit a ON a.id = n.audit_id WHERE n.host_id = ? ORDER BY n.at DESC, n.id DESC`
	args := []any{h.ID}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	var out []Note
	err = s.each(ctx, query, args, func(r *sql.Rows) error {
		n := Note{Host: h.Name}
		var at dbTime
		op := &n.Operator
		if err := r.Scan(&n.ID, &at, &n.Text, &op.User, &op.Host, &op.TrowelVersion, &op.Command); err != nil {
			return err
		}
		n.At = time.Time(at)
		out = append(out, n)
		return nil
	})
	return out, err
}
