package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Ref names a stored survey: HOST (its latest), HOST@N (its Nth, in the order
// recorded) or HOST@YYYY-MM-DD (the last collected on or before that day, in UTC,
// as history shows times).
type Ref struct {
	Host string
	Seq  int       // 0 when not given
	Day  time.Time // zero when not given; midnight UTC of the day
}

// ParseRef reads a reference. Host names never hold "@", so the last one
// separates the host from which of its surveys.
func ParseRef(s string) (Ref, error) {
	host, which, has := s, "", false
	if at := strings.LastIndex(s, "@"); at >= 0 {
		host, which, has = s[:at], s[at+1:], true
	}
	if host == "" {
		return Ref{}, fmt.Errorf("%q names no host: write HOST, HOST@N or HOST@YYYY-MM-DD", s)
	}
	r := Ref{Host: host}
	if !has {
		return r, nil
	}
	if n, err := strconv.Atoi(which); err == nil && n > 0 && !strings.HasPrefix(which, "+") {
		r.Seq = n
		return r, nil
	}
	if d, err := time.Parse("2006-01-02", which); err == nil {
		r.Day = d
		return r, nil
	}
	return Ref{}, fmt.Errorf("%q: after @ comes a survey's number (HOST@2) or a day (HOST@2026-11-01), not %q", s, which)
}

func (r Ref) String() string {
	switch {
	case r.Seq > 0:
		return fmt.Sprintf("%s@%d", r.Host, r.Seq)
	case !r.Day.IsZero():
		return r.Host + "@" + r.Day.Format("2006-01-02")
	}
	return r.Host
}

// NotFoundError says a reference names nothing in the store.
type NotFoundError struct {
	Ref string
	Msg string
}

func (e *NotFoundError) Error() string { return e.Msg }

// AmbiguousError says a name matches several hosts.
type AmbiguousError struct {
	Name       string
	Candidates []Host
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d hosts in the store:", e.Name, len(e.Candidates))
	for _, h := range e.Candidates {
		b.WriteString(" " + h.Name)
		var about []string
		if h.FQDN != "" && h.FQDN != strings.ToLower(h.Name) {
			about = append(about, "FQDN "+h.FQDN)
		}
		if h.Group != "" {
			about = append(about, "group "+h.Group)
		}
		if len(about) > 0 {
			b.WriteString(" (" + strings.Join(about, ", ") + ")")
		}
		b.WriteString(";")
	}
	b.WriteString(" give the name trowel hosts shows")
	return b.String()
}

// Resolve gives the stored snapshot a reference names (see Ref and FindHost), and
// which survey it is: SurveyInfo.Describe says so in words. It is how report, spec,
// verify --against, diff and codify read a stored snapshot.
func (s *Store) Resolve(ctx context.Context, ref string) (*snapshot.Snapshot, SurveyInfo, error) {
	info, err := s.Find(ctx, ref)
	if err != nil {
		return nil, SurveyInfo{}, err
	}
	snap, err := s.Snapshot(ctx, info)
	if err != nil {
		return nil, SurveyInfo{}, err
	}
	return snap, info, nil
}

// Find gives the survey a reference names, without reading its snapshot.
func (s *Store) Find(ctx context.Context, ref string) (SurveyInfo, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return SurveyInfo{}, err
	}
	h, err := s.FindHost(ctx, r.Host)
	if err != nil {
		return SurveyInfo{}, err
	}
	query := `SELECT ` + surveyColumns + ` FROM surveys s` + surveyJoins + ` WHERE s.host_id = ?`
	args := []any{h.ID}
	var missing string
	switch {
	case r.Seq > 0:
		query += ` AND s.seq = ?`
		args = append(args, r.Seq)
		missing = fmt.Sprintf("%s has %s; there is no %s@%d", h.Name, plural(h.Surveys, "survey"), h.Name, r.Seq)
	case !r.Day.IsZero():
		query += ` AND s.collected_at < ? ORDER BY s.collected_at DESC, s.seq DESC LIMIT 1`
		args = append(args, dbTime(r.Day.AddDate(0, 0, 1)))
		missing = fmt.Sprintf("%s has no survey on or before %s (trowel history %s lists them)", h.Name, r.Day.Format("2006-01-02"), h.Name)
	default:
		query += ` ORDER BY s.collected_at DESC, s.seq DESC LIMIT 1`
		missing = fmt.Sprintf("%s has no survey in the store", h.Name)
	}
	info, err := scanSurvey(s.r.QueryRowContext(ctx, s.d.bind(query), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return SurveyInfo{}, &NotFoundError{Ref: ref, Msg: missing}
	}
	if err != nil {
		return SurveyInfo{}, s.fail(err)
	}
	return info, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// Snapshot reads a stored survey's snapshot. A snapshot of another schema version
// than this trowel reads is refused, as a snapshot file would be.
func (s *Store) Snapshot(ctx context.Context, info SurveyInfo) (*snapshot.Snapshot, error) {
	doc, err := s.SnapshotJSON(ctx, info)
	if err != nil {
		return nil, err
	}
	var snap snapshot.Snapshot
	if err := json.Unmarshal(doc, &snap); err != nil {
		return nil, fmt.Errorf("%s: the stored snapshot is unreadable: %w", info.Ref(), err)
	}
	return &snap, nil
}

// SnapshotJSON reads a stored survey's snapshot as the JSON that was stored,
// for a reader that decodes only the parts it needs (trowel serve reads a
// thousand). It refuses another schema version as Snapshot does.
func (s *Store) SnapshotJSON(ctx context.Context, info SurveyInfo) ([]byte, error) {
	if info.SchemaVersion != snapshot.SchemaVersion {
		return nil, fmt.Errorf("%s is a snapshot of schema version %d; this trowel reads version %d", info.Ref(), info.SchemaVersion, snapshot.SchemaVersion)
	}
	return s.blob(ctx, info, BlobSnapshot)
}

// Findings reads the findings recorded with a survey, in English (analyze.Localize
// tells them in another language).
func (s *Store) Findings(ctx context.Context, info SurveyInfo) ([]analyze.Finding, error) {
	doc, err := s.FindingsJSON(ctx, info)
	if err != nil {
		return nil, err
	}
	var out []analyze.Finding
	if err := json.Unmarshal(doc, &out); err != nil {
		return nil, fmt.Errorf("%s: the stored findings are unreadable: %w", info.Ref(), err)
	}
	return out, nil
}

// FindingsJSON reads the findings recorded with a survey as the JSON that was
// stored, for a reader that decodes only the parts it needs.
func (s *Store) FindingsJSON(ctx context.Context, info SurveyInfo) ([]byte, error) {
	return s.blob(ctx, info, BlobFindings)
}

// Evidence reads a survey's raw evidence stream, or gives a *NotFoundError when
// the survey was recorded without one.
func (s *Store) Evidence(ctx context.Context, info SurveyInfo) ([]byte, error) {
	return s.blob(ctx, info, BlobEvidence)
}

// blob reads, decompresses and checks one blob of a survey.
func (s *Store) blob(ctx context.Context, info SurveyInfo, kind string) ([]byte, error) {
	var encoding, sum string
	var size int64
	var packed []byte
	err := s.r.QueryRowContext(ctx, s.d.bind("SELECT encoding, size, sha256, data FROM blobs WHERE survey_id = ? AND kind = ?"), info.ID, kind).
		Scan(&encoding, &size, &sum, &packed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &NotFoundError{Ref: info.Ref(), Msg: fmt.Sprintf("%s was recorded without its %s", info.Ref(), kind)}
	}
	if err != nil {
		return nil, s.fail(err)
	}
	return unpack(info.Ref(), kind, encoding, size, sum, packed)
}

// unpack decompresses a stored blob and checks it against its size and checksum;
// what names it in messages.
func unpack(what, kind, encoding string, size int64, sum string, packed []byte) ([]byte, error) {
	if encoding != "gzip" {
		return nil, fmt.Errorf("%s: the %s is stored as %q, which this trowel cannot read", what, kind, encoding)
	}
	if size > evidence.MaxStream {
		return nil, fmt.Errorf("%s: the %s is %d bytes, more than trowel reads (%d)", what, kind, size, evidence.MaxStream)
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, fmt.Errorf("%s: the stored %s is damaged: %w", what, kind, err)
	}
	data := make([]byte, 0, size)
	buf := bytes.NewBuffer(data)
	if _, err := io.Copy(buf, io.LimitReader(zr, size+1)); err != nil {
		return nil, fmt.Errorf("%s: the stored %s is damaged: %w", what, kind, err)
	}
	h := sha256.Sum256(buf.Bytes())
	if int64(buf.Len()) != size || hex.EncodeToString(h[:]) != sum {
		return nil, fmt.Errorf("%s: the stored %s does not match its checksum", what, kind)
	}
	return buf.Bytes(), nil
}
