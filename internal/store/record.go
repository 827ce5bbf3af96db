package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/version"
	"github.com/trowel-dev/trowel/internal/workers"
)

// Survey is one survey to record.
type Survey struct {
	Snapshot *snapshot.Snapshot
	// Evidence is the raw evidence stream the snapshot was parsed from (plain or
	// gzip-compressed); nil when there is none, as for a snapshot file recorded
	// after the fact.
	Evidence []byte
	// Inventory is what an inventory said of the host; zero for a host surveyed
	// by hand.
	Inventory Inventory
	Operator  Operator
	// Outcome is how the survey ended, for the audit trail ("ok" when empty):
	// a survey cut short is still recorded, and says so here.
	Outcome string
}

// Inventory is a host's entry in an inventory.
type Inventory struct {
	// Name is the inventory's name for the host; when set, the host is known by it.
	Name  string
	Group string
}

// Operator is who ran a command against the store, with what.
type Operator struct {
	User          string `json:"user"`
	Host          string `json:"host"`
	TrowelVersion string `json:"trowel_version"`
	Command       string `json:"command"`
}

// CurrentOperator is this process's operator: the account, this machine's name,
// this trowel's version, and args (os.Args) as a shell would read them back.
func CurrentOperator(args []string) Operator {
	op := Operator{TrowelVersion: version.Version, Command: shellJoin(args)}
	if u, err := user.Current(); err == nil {
		op.User = u.Username
	} else {
		op.User = fmt.Sprintf("uid %d", os.Getuid())
	}
	op.Host, _ = os.Hostname()
	return op
}

func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%") == "" {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

// Blob kinds: what a survey stores besides its row.
const (
	BlobSnapshot = "snapshot"
	BlobFindings = "findings"
	BlobEvidence = "evidence"
)

// RecordSurvey stores a survey: its host (found or added, see identify), the
// snapshot, its findings (analyze's, in English; Localize tells them in another
// language), the evidence, the summary row and the audit entry, all in one
// transaction. Everything written passes through the scrub function first, and
// what is stored (the summary and findings too) derives from the scrubbed
// snapshot.
func (s *Store) RecordSurvey(ctx context.Context, sv Survey) (SurveyInfo, error) {
	return s.record(ctx, sv, nil, nil)
}

// record prepares a survey, then writes it in one transaction between before
// and after (each nil when there is nothing more to write): before may refuse
// the survey, and after is given the survey's audit entry.
func (s *Store) record(ctx context.Context, sv Survey, before func(*sql.Tx, *preparedSurvey) error, after func(*sql.Tx, *preparedSurvey, int64) error) (SurveyInfo, error) {
	p, err := s.prepare(sv)
	if err != nil {
		return SurveyInfo{}, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return SurveyInfo{}, s.fail(err)
	}
	defer tx.Rollback()
	if before != nil {
		if err := before(tx, p); err != nil {
			return SurveyInfo{}, err
		}
	}
	auditID, err := s.write(ctx, tx, p)
	if err != nil {
		return SurveyInfo{}, err
	}
	if after != nil {
		if err := after(tx, p, auditID); err != nil {
			return SurveyInfo{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return SurveyInfo{}, s.fail(err)
	}
	return p.info, nil
}

// preparedSurvey is a survey ready to be written: scrubbed, analyzed and
// compressed, which takes a CPU for a while, outside any transaction.
type preparedSurvey struct {
	snap      snapshot.Snapshot // the scrubbed snapshot
	findings  []analyze.Finding
	blobs     []blob
	entry     AuditEntry
	info      SurveyInfo // ID, Host and Seq are set by write
	inventory Inventory
}

func (s *Store) prepare(sv Survey) (*preparedSurvey, error) {
	if sv.Snapshot == nil {
		return nil, errors.New("store: no snapshot to record")
	}
	p := &preparedSurvey{inventory: sv.Inventory}
	// The evidence owes nothing to the snapshot: its scrub and compression (the
	// largest blob) run beside the snapshot's scrub and analysis, on another core
	// where there is one, the survey's last wait before it is recorded.
	var docs, ev []blob
	var docsErr, evErr error
	workers.Each(2, func(i int) {
		if i == 0 {
			docs, docsErr = s.prepareDocuments(sv.Snapshot, p)
		} else if sv.Evidence != nil {
			ev, evErr = s.prepareEvidence(sv.Evidence)
		}
	})
	if err := cmp.Or(docsErr, evErr); err != nil {
		return nil, err
	}
	p.blobs = append(docs, ev...)
	snap := &p.snap
	p.entry = AuditEntry{Operator: sv.Operator, Action: "survey", Target: snap.Source.Target, Outcome: cmp.Or(sv.Outcome, "ok")}
	s.scrubAudit(&p.entry)
	op := p.entry.Operator
	p.info = SurveyInfo{
		CollectedAt:   snap.CollectedAt.UTC(),
		SchemaVersion: snap.SchemaVersion,
		TrowelVersion: snap.TrowelVersion,
		SourceKind:    snap.Source.Kind,
		SourceTarget:  snap.Source.Target,
		Privileged:    snap.Source.Privileged,
		Hostname:      snap.Host.Hostname,
		FQDN:          snap.Host.FQDN,
		Summary:       summarize(snap, p.findings),
		Operator:      &op,
	}
	return p, nil
}

// prepareDocuments scrubs the snapshot into p.snap, analyzes the scrubbed one into
// p.findings, and returns both as compressed blobs.
func (s *Store) prepareDocuments(snap *snapshot.Snapshot, p *preparedSurvey) ([]blob, error) {
	snapJSON, err := s.scrubJSON(snap, &p.snap)
	if err != nil {
		return nil, fmt.Errorf("store: the snapshot: %w", err)
	}
	findJSON, err := s.scrubJSON(nonNil(analyze.Analyze(&p.snap, "en")), &p.findings)
	if err != nil {
		return nil, fmt.Errorf("store: the findings: %w", err)
	}
	blobs := []blob{{kind: BlobSnapshot, data: snapJSON}, {kind: BlobFindings, data: findJSON}}
	for i := range blobs {
		if err := blobs[i].compress(); err != nil {
			return nil, err
		}
	}
	return blobs, nil
}

// prepareEvidence returns the evidence, scrubbed, as a compressed blob.
func (s *Store) prepareEvidence(stream []byte) ([]blob, error) {
	// Plain text, so that the scrub can read it.
	raw, err := evidence.ReadAll(bytes.NewReader(stream))
	if err != nil {
		return nil, fmt.Errorf("store: the evidence: %w", err)
	}
	b := blob{kind: BlobEvidence, data: s.evidenceScrub(raw)}
	if err := b.compress(); err != nil {
		return nil, err
	}
	return []blob{b}, nil
}

// write writes a prepared survey in tx (of s.w): the host, the survey row, its
// blobs and findings, and its audit entry, whose ID it returns. p.info gets the
// survey's ID, host and number.
func (s *Store) write(ctx context.Context, tx *sql.Tx, p *preparedSurvey) (auditID int64, err error) {
	snap, info := &p.snap, &p.info
	info.RecordedAt = s.now().UTC()
	hostID, err := s.identify(ctx, tx, snap, p.inventory)
	if err != nil {
		return 0, err
	}
	// Counting on the host's row takes its lock, so two surveys of one host
	// recorded at once get different numbers in either backend.
	if err := tx.QueryRowContext(ctx, s.d.bind("UPDATE hosts SET surveys = surveys + 1 WHERE id = ? RETURNING surveys, name"), hostID).
		Scan(&info.Seq, &info.Host); err != nil {
		return 0, s.fail(err)
	}
	// The names a HOST matches are the latest survey's.
	host, fqdn := strings.ToLower(snap.Host.Hostname), strings.ToLower(snap.Host.FQDN)
	if _, err := tx.ExecContext(ctx, s.d.bind(`UPDATE hosts SET hostname = ?, fqdn = ?, short_name = ?
		WHERE id = ? AND NOT EXISTS (SELECT 1 FROM surveys WHERE host_id = ? AND collected_at > ?)`),
		host, fqdn, shortName(cmp.Or(host, fqdn)), hostID, hostID, dbTime(info.CollectedAt)); err != nil {
		return 0, s.fail(err)
	}
	sum := info.Summary
	if err := tx.QueryRowContext(ctx, s.d.bind(`INSERT INTO surveys (host_id, seq, collected_at, recorded_at, schema_version, trowel_version,
		source_kind, source_target, privileged, hostname, fqdn, os, os_id, os_version, eol_status, eol_date,
		cov_collected, cov_partial, cov_unavailable, cov_denied, cov_timed_out, cov_not_applicable, cov_not_surveyed,
		findings_high, findings_medium, findings_low, findings_info, inhibitors)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		hostID, info.Seq, dbTime(info.CollectedAt), dbTime(info.RecordedAt), info.SchemaVersion, info.TrowelVersion,
		info.SourceKind, info.SourceTarget, info.Privileged, info.Hostname, info.FQDN, sum.OS, sum.OSID, sum.OSVersion,
		sum.EndOfLife.Status, sum.EndOfLife.Date,
		sum.Coverage.Collected, sum.Coverage.Partial, sum.Coverage.Unavailable, sum.Coverage.Denied, sum.Coverage.TimedOut,
		sum.Coverage.NotApplicable, sum.Coverage.NotSurveyed,
		sum.Findings.High, sum.Findings.Medium, sum.Findings.Low, sum.Findings.Info, sum.Findings.Inhibitors,
	).Scan(&info.ID); err != nil {
		return 0, s.fail(err)
	}
	for _, b := range p.blobs {
		if _, err := tx.ExecContext(ctx, s.d.bind("INSERT INTO blobs (survey_id, kind, encoding, size, sha256, data) VALUES (?, ?, ?, ?, ?, ?)"),
			info.ID, b.kind, "gzip", len(b.data), b.sum, b.packed); err != nil {
			return 0, s.fail(err)
		}
	}
	rows := make([][]any, len(p.findings))
	for i, f := range p.findings {
		rows[i] = []any{info.ID, i, f.Key, f.Subject, string(f.Severity), f.Inhibitor, f.Title}
	}
	if err := s.insertRows(ctx, tx, "INSERT INTO findings (survey_id, ord, fkey, subject, severity, inhibitor, title) VALUES ",
		"(?, ?, ?, ?, ?, ?, ?)", rows); err != nil {
		return 0, err
	}
	p.entry.At = info.RecordedAt
	return s.insertAudit(ctx, tx, p.entry, &hostID, &info.ID)
}

// scrubJSON encodes v, passes it through the scrub, and decodes the result into
// clean: the scrubbed bytes (compacted) are what is stored, and clean is what
// everything else stored is made from. The scrub is given the JSON indented, a
// value to a line: the secret scanner reads line by line, and on a compact
// document (one line of hundreds of kilobytes) its rules cost many times more
// (at a thousand hosts, most of a survey's CPU). Indenting adds blanks between
// tokens only, never inside a string, so what is masked is the same. It is
// indented as trowel survey writes a snapshot, so that the scan of the one is
// remembered for the other (secrets.Mask).
func (s *Store) scrubJSON(v, clean any) ([]byte, error) {
	doc, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	doc = s.scrub(doc)
	if err := json.Unmarshal(doc, clean); err != nil {
		return nil, fmt.Errorf("the secret scrub left it unreadable (%v): not stored", err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, doc); err != nil {
		return nil, err
	}
	return compact.Bytes(), nil
}

func nonNil(f []analyze.Finding) []analyze.Finding {
	if f == nil {
		return []analyze.Finding{}
	}
	return f
}

// identify finds the host a survey is of, or adds it. A host is known by its
// inventory name when the inventory gives one, else by the name the survey found
// (FQDN, else host name). Failing a match by name, a host whose FQDN is the
// survey's is the same machine: a host surveyed by hand and later through an
// inventory keeps its history, and takes the inventory's name.
func (s *Store) identify(ctx context.Context, tx *sql.Tx, snap *snapshot.Snapshot, inv Inventory) (int64, error) {
	name := cmp.Or(inv.Name, snap.Host.FQDN, snap.Host.Hostname)
	if name == "" {
		return 0, errors.New("store: the survey found no host name (the host section was not collected): record it with an inventory name")
	}
	id, found, err := s.hostIDByName(ctx, tx, name)
	if err != nil {
		return 0, err
	}
	if !found && snap.Host.FQDN != "" {
		id, found, err = s.adopt(ctx, tx, strings.ToLower(snap.Host.FQDN), inv.Name)
		if err != nil {
			return 0, err
		}
	}
	if !found {
		if _, err := tx.ExecContext(ctx, s.d.bind("INSERT INTO hosts (name, name_key, created_at) VALUES (?, ?, ?) ON CONFLICT (name_key) DO NOTHING"),
			name, strings.ToLower(name), s.clock()); err != nil {
			return 0, s.fail(err)
		}
		if id, _, err = s.hostIDByName(ctx, tx, name); err != nil {
			return 0, err
		}
	}
	if inv.Name != "" {
		if _, err := tx.ExecContext(ctx, s.d.bind("UPDATE hosts SET inventory_name = ? WHERE id = ?"), inv.Name, id); err != nil {
			return 0, s.fail(err)
		}
	}
	if inv.Group != "" {
		if _, err := tx.ExecContext(ctx, s.d.bind("UPDATE hosts SET grp = ? WHERE id = ?"), inv.Group, id); err != nil {
			return 0, s.fail(err)
		}
	}
	return id, nil
}

func (s *Store) hostIDByName(ctx context.Context, q queryer, name string) (int64, bool, error) {
	var id int64
	err := q.QueryRowContext(ctx, s.d.bind("SELECT id FROM hosts WHERE name_key = ?"), strings.ToLower(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, s.fail(err)
	}
	return id, true, nil
}

// adopt finds the one host whose latest survey had this FQDN. Surveyed by hand,
// it is that host; named by an inventory, it is that host too unless another
// inventory name already claims it, and it is known by the inventory's name from
// now on.
func (s *Store) adopt(ctx context.Context, tx *sql.Tx, fqdn, invName string) (int64, bool, error) {
	rows, err := tx.QueryContext(ctx, s.d.bind("SELECT id, inventory_name FROM hosts WHERE fqdn = ?"), fqdn)
	if err != nil {
		return 0, false, s.fail(err)
	}
	type candidate struct {
		id  int64
		inv string
	}
	var cs []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.inv); err != nil {
			rows.Close()
			return 0, false, s.fail(err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, s.fail(err)
	}
	if len(cs) != 1 {
		return 0, false, nil
	}
	c := cs[0]
	if invName == "" {
		return c.id, true, nil
	}
	if c.inv != "" {
		return 0, false, nil
	}
	if _, err := tx.ExecContext(ctx, s.d.bind("UPDATE hosts SET name = ?, name_key = ? WHERE id = ?"), invName, strings.ToLower(invName), c.id); err != nil {
		return 0, false, s.fail(err)
	}
	return c.id, true, nil
}

func shortName(name string) string {
	short, _, _ := strings.Cut(name, ".")
	return short
}

// blob is one compressed blob on its way to the store.
type blob struct {
	kind   string
	data   []byte // as stored, uncompressed
	sum    string // sha256 of data
	packed []byte
}

// compress packs the blob as gzip, which any reader (the store's, gunzip) opens:
// klauspost's writer takes half the time of the standard library's on a host's
// evidence, the survey's last wait before it is recorded, for some 3% more bytes.
func (b *blob) compress() error {
	h := sha256.Sum256(b.data)
	b.sum = hex.EncodeToString(h[:])
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b.data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	b.packed = buf.Bytes()
	return nil
}

// insertRows runs insert (INSERT INTO ... VALUES ) with row (its placeholders)
// once for each of rows, many rows a statement: a survey's dozens of findings, or
// a thousand jobs, in a round trip or a few.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, insert, row string, rows [][]any) error {
	const perStatement = 200
	for chunk := range slices.Chunk(rows, perStatement) {
		var q strings.Builder
		q.WriteString(insert)
		var args []any
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(row)
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, s.d.bind(q.String()), args...); err != nil {
			return s.fail(err)
		}
	}
	return nil
}

// fail says which store an error of the database came from.
func (s *Store) fail(err error) error {
	return fmt.Errorf("store %s: %w", s.location, err)
}
