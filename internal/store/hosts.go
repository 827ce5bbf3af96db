package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Host is a host the store knows, with its latest survey.
type Host struct {
	ID   int64  `json:"-"`
	Name string `json:"name"`
	// InventoryName is set when an inventory named the host (then it is Name).
	InventoryName string `json:"inventory_name,omitempty"`
	Group         string `json:"group,omitempty"`
	// Hostname, FQDN are the latest survey's, folded to lower case.
	Hostname string `json:"hostname,omitempty"`
	FQDN     string `json:"fqdn,omitempty"`
	Surveys  int    `json:"surveys"`
	// Latest is the survey collected last; nil while the host has none.
	Latest *SurveyInfo `json:"last_survey,omitempty"`
}

// SurveyInfo is one recorded survey without its blobs: where it came from, its
// summary, who recorded it.
type SurveyInfo struct {
	ID   int64  `json:"-"`
	Host string `json:"host"`
	// Seq numbers the host's surveys in the order they were recorded: HOST@Seq.
	Seq           int       `json:"seq"`
	CollectedAt   time.Time `json:"collected_at"`
	RecordedAt    time.Time `json:"recorded_at"`
	SchemaVersion int       `json:"schema_version"`
	TrowelVersion string    `json:"trowel_version"`
	SourceKind    string    `json:"source_kind"`
	SourceTarget  string    `json:"source_target"`
	Privileged    bool      `json:"privileged"`
	// Hostname and FQDN are what this survey found.
	Hostname string `json:"hostname,omitempty"`
	FQDN     string `json:"fqdn,omitempty"`
	Summary
	// Operator recorded the survey (from the audit trail).
	Operator *Operator `json:"operator,omitempty"`
}

// Ref is the reference that names this survey wherever a snapshot is taken.
func (i SurveyInfo) Ref() string { return fmt.Sprintf("%s@%d", i.Host, i.Seq) }

// Describe says which stored survey this is, for a command to tell its reader
// what it read.
func (i SurveyInfo) Describe() string {
	return fmt.Sprintf("%s, surveyed %s (%s %s)", i.Ref(), i.CollectedAt.Format("2006-01-02 15:04 UTC"), i.SourceKind, i.SourceTarget)
}

// surveyColumns are the columns scanSurvey reads, of surveys s joined with hosts h
// and the survey's audit entry a.
const surveyColumns = `s.id, h.name, s.seq, s.collected_at, s.recorded_at, s.schema_version, s.trowel_version,
	s.source_kind, s.source_target, s.privileged, s.hostname, s.fqdn, s.os, s.os_id, s.os_version, s.eol_status, s.eol_date,
	s.cov_collected, s.cov_partial, s.cov_unavailable, s.cov_denied, s.cov_timed_out, s.cov_not_applicable, s.cov_not_surveyed,
	s.findings_high, s.findings_medium, s.findings_low, s.findings_info, s.inhibitors,
	a.operator_user, a.operator_host, a.trowel_version, a.command`

// surveyJoins follow FROM surveys s.
const surveyJoins = ` JOIN hosts h ON h.id = s.host_id
	LEFT JOIN audit a ON a.survey_id = s.id AND a.action = 'survey'`

type scanner interface{ Scan(dest ...any) error }

func scanSurvey(row scanner) (SurveyInfo, error) {
	var (
		i                   SurveyInfo
		collected, recorded dbTime
		opUser, opHost      sql.NullString
		opVersion, opCmd    sql.NullString
		c                   = &i.Coverage
		f                   = &i.Findings
	)
	dest := []any{&i.ID, &i.Host, &i.Seq, &collected, &recorded, &i.SchemaVersion, &i.TrowelVersion,
		&i.SourceKind, &i.SourceTarget, &i.Privileged, &i.Hostname, &i.FQDN, &i.OS, &i.OSID, &i.OSVersion,
		&i.EndOfLife.Status, &i.EndOfLife.Date,
		&c.Collected, &c.Partial, &c.Unavailable, &c.Denied, &c.TimedOut, &c.NotApplicable, &c.NotSurveyed,
		&f.High, &f.Medium, &f.Low, &f.Info, &f.Inhibitors,
		&opUser, &opHost, &opVersion, &opCmd}
	if err := row.Scan(dest...); err != nil {
		return SurveyInfo{}, err
	}
	i.CollectedAt, i.RecordedAt = time.Time(collected), time.Time(recorded)
	if opUser.Valid {
		i.Operator = &Operator{User: opUser.String, Host: opHost.String, TrowelVersion: opVersion.String, Command: opCmd.String}
	}
	return i, nil
}

const hostColumns = `h.id, h.name, h.inventory_name, h.grp, h.hostname, h.fqdn, h.surveys`

func hostDest(h *Host) []any {
	return []any{&h.ID, &h.Name, &h.InventoryName, &h.Group, &h.Hostname, &h.FQDN, &h.Surveys}
}

// Hosts lists every host with its latest survey's summary, by name. It reads
// summary rows only: no snapshot is decoded.
func (s *Store) Hosts(ctx context.Context) ([]Host, error) {
	var out []Host
	index := map[int64]int{} // survey ID -> host
	err := s.each(ctx, `SELECT `+hostColumns+`, (`+latestOf("h.id")+`) FROM hosts h ORDER BY h.name_key`, nil, func(r *sql.Rows) error {
		var h Host
		var latest sql.NullInt64
		if err := r.Scan(append(hostDest(&h), &latest)...); err != nil {
			return err
		}
		if latest.Valid {
			index[latest.Int64] = len(out)
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, `SELECT `+surveyColumns+` FROM surveys s`+surveyJoins+` WHERE s.id = (`+latestOf("s.host_id")+`)`, nil, func(r *sql.Rows) error {
		i, err := scanSurvey(r)
		if err != nil {
			return err
		}
		if at, ok := index[i.ID]; ok {
			out[at].Latest = &i
		}
		return nil
	})
	return out, err
}

// latestOf selects the ID of the host's latest survey: the one collected last (a
// snapshot recorded late does not hide a newer one); of two collected at the same
// time, the one recorded last.
func latestOf(hostID string) string {
	return `SELECT l.id FROM surveys l WHERE l.host_id = ` + hostID + ` ORDER BY l.collected_at DESC, l.seq DESC LIMIT 1`
}

// each runs a read query and calls row for every row.
func (s *Store) each(ctx context.Context, query string, args []any, row func(*sql.Rows) error) error {
	return s.eachOn(ctx, s.r, query, args, row)
}

// eachOn runs a query on q (the read pool, or a transaction) and calls row for
// every row.
func (s *Store) eachOn(ctx context.Context, q queryer, query string, args []any, row func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, s.d.bind(query), args...)
	if err != nil {
		return s.fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return s.fail(err)
		}
	}
	return s.failIf(rows.Err())
}

// History gives the host that name matches (see FindHost) and its surveys, the
// first recorded first.
func (s *Store) History(ctx context.Context, name string) (Host, []SurveyInfo, error) {
	h, err := s.FindHost(ctx, name)
	if err != nil {
		return Host{}, nil, err
	}
	var out []SurveyInfo
	err = s.each(ctx, `SELECT `+surveyColumns+` FROM surveys s`+surveyJoins+` WHERE s.host_id = ? ORDER BY s.seq`, []any{h.ID}, func(r *sql.Rows) error {
		i, err := scanSurvey(r)
		out = append(out, i)
		return err
	})
	return h, out, err
}

// FindHost finds the host name stands for: the host of that name (its inventory
// name, else the name its survey found), else the one host whose latest survey's
// host name, FQDN or short host name it is. Names compare without regard to case,
// as DNS compares them. No host is a *NotFoundError, several an *AmbiguousError.
func (s *Store) FindHost(ctx context.Context, name string) (Host, error) {
	key := strings.ToLower(name)
	var exact *Host
	var matches []Host
	err := s.each(ctx, `SELECT `+hostColumns+`, h.name_key FROM hosts h
		WHERE h.name_key = ? OR h.hostname = ? OR h.fqdn = ? OR h.short_name = ? ORDER BY h.name_key`, []any{key, key, key, key}, func(r *sql.Rows) error {
		var h Host
		var nameKey string
		if err := r.Scan(append(hostDest(&h), &nameKey)...); err != nil {
			return err
		}
		if nameKey == key { // a host's own name wins over another's short name
			exact = &h
		}
		matches = append(matches, h)
		return nil
	})
	switch {
	case err != nil:
		return Host{}, err
	case exact != nil:
		return *exact, nil
	case len(matches) == 0:
		return Host{}, &NotFoundError{Ref: name, Msg: fmt.Sprintf("no host %q in the store %s", name, s.location)}
	case len(matches) == 1:
		return matches[0], nil
	}
	return Host{}, &AmbiguousError{Name: name, Candidates: matches}
}
