package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// migration is one step of the schema. Steps are applied in order, each with its
// row in schema_migrations, and never edited once released: a change to the
// schema is a new step at the end. {{ID}}, {{BLOB}} and {{TIME}} are
// the dialect's types; appendOnly names tables to make append-only.
type migration struct {
	version    int
	name       string
	statements []string
	appendOnly []string
}

// SchemaVersion is the version of the store's schema this trowel writes: the last
// migration's. A store whose schema is newer is refused (see Open).
var SchemaVersion = migrations[len(migrations)-1].version

// migrations is the schema's history, in the order steps are applied. Version 2
// was released after 3 (it had been reserved for the job queue): migrate applies
// it to stores that already have 3.
var migrations = []migration{{
	version: 1,
	name:    "hosts, surveys with their summaries, blobs, findings, audit trail",
	statements: []string{
		// A host is known by name: its inventory name when an inventory gave one,
		// else the name its survey found (FQDN, else host name). name_key is the
		// name folded to lower case, as DNS compares names. hostname, fqdn and
		// short_name are the latest survey's, folded too, for matching HOST.
		`CREATE TABLE hosts (
			id             {{ID}},
			name           TEXT NOT NULL,
			name_key       TEXT NOT NULL UNIQUE,
			inventory_name TEXT NOT NULL DEFAULT '',
			grp            TEXT NOT NULL DEFAULT '',
			hostname       TEXT NOT NULL DEFAULT '',
			fqdn           TEXT NOT NULL DEFAULT '',
			short_name     TEXT NOT NULL DEFAULT '',
			surveys        INTEGER NOT NULL DEFAULT 0,
			created_at     {{TIME}} NOT NULL
		)`,
		`CREATE INDEX hosts_hostname ON hosts (hostname)`,
		`CREATE INDEX hosts_fqdn ON hosts (fqdn)`,
		`CREATE INDEX hosts_short_name ON hosts (short_name)`,
		// One row per survey, with the summary that listing hosts needs, so no
		// listing ever decodes a snapshot. seq numbers a host's surveys in the
		// order they were recorded (HOST@2) and is never reused.
		`CREATE TABLE surveys (
			id              {{ID}},
			host_id         BIGINT NOT NULL REFERENCES hosts (id),
			seq             INTEGER NOT NULL,
			collected_at    {{TIME}} NOT NULL,
			recorded_at     {{TIME}} NOT NULL,
			schema_version  INTEGER NOT NULL,
			trowel_version  TEXT NOT NULL,
			source_kind     TEXT NOT NULL,
			source_target   TEXT NOT NULL,
			privileged      BOOLEAN NOT NULL,
			hostname        TEXT NOT NULL,
			fqdn            TEXT NOT NULL,
			os              TEXT NOT NULL,
			os_id           TEXT NOT NULL,
			os_version      TEXT NOT NULL,
			eol_status      TEXT NOT NULL,
			eol_date        TEXT NOT NULL,
			cov_collected   INTEGER NOT NULL,
			cov_partial     INTEGER NOT NULL,
			cov_unavailable INTEGER NOT NULL,
			cov_denied      INTEGER NOT NULL,
			cov_timed_out   INTEGER NOT NULL,
			cov_not_applicable INTEGER NOT NULL,
			cov_not_surveyed   INTEGER NOT NULL,
			findings_high   INTEGER NOT NULL,
			findings_medium INTEGER NOT NULL,
			findings_low    INTEGER NOT NULL,
			findings_info   INTEGER NOT NULL,
			inhibitors      INTEGER NOT NULL,
			UNIQUE (host_id, seq)
		)`,
		`CREATE INDEX surveys_host_collected ON surveys (host_id, collected_at)`,
		// What a survey produced, compressed: the snapshot, its findings, the raw
		// evidence. Apart from surveys so that scanning summaries never pages
		// through megabytes of evidence.
		`CREATE TABLE blobs (
			survey_id BIGINT NOT NULL REFERENCES surveys (id),
			kind      TEXT NOT NULL,
			encoding  TEXT NOT NULL,
			size      BIGINT NOT NULL,
			sha256    TEXT NOT NULL,
			data      {{BLOB}} NOT NULL,
			PRIMARY KEY (survey_id, kind)
		)`,
		// The findings again, one row each, so a fleet can be asked "which hosts
		// have eol.os" without decoding anything.
		`CREATE TABLE findings (
			survey_id BIGINT NOT NULL REFERENCES surveys (id),
			ord       INTEGER NOT NULL,
			fkey      TEXT NOT NULL,
			subject   TEXT NOT NULL,
			severity  TEXT NOT NULL,
			inhibitor BOOLEAN NOT NULL,
			title     TEXT NOT NULL,
			PRIMARY KEY (survey_id, ord)
		)`,
		`CREATE INDEX findings_key ON findings (fkey)`,
		// Who did what to the store, and how it ended. Append-only.
		`CREATE TABLE audit (
			id             {{ID}},
			at             {{TIME}} NOT NULL,
			operator_user  TEXT NOT NULL,
			operator_host  TEXT NOT NULL,
			trowel_version TEXT NOT NULL,
			command        TEXT NOT NULL,
			action         TEXT NOT NULL,
			target         TEXT NOT NULL,
			outcome        TEXT NOT NULL,
			host_id        BIGINT REFERENCES hosts (id),
			survey_id      BIGINT REFERENCES surveys (id)
		)`,
		`CREATE INDEX audit_host ON audit (host_id)`,
		`CREATE INDEX audit_survey ON audit (survey_id)`,
	},
	appendOnly: []string{"audit"},
}, {
	version: 2,
	name:    "the job queue: requests to survey hosts, one job per host, leased by workers",
	statements: []string{
		// One row per trowel survey --enqueue; who asked, when and with what
		// command line is its audit entry ("enqueue").
		`CREATE TABLE survey_requests (
			id       {{ID}},
			at       {{TIME}} NOT NULL,
			audit_id BIGINT REFERENCES audit (id)
		)`,
		// One row per host of a request. options says how to reach the host (a
		// key file's path, sudo, a jump host, time limits), never a password or
		// key material: the worker's own account supplies those. A worker leases
		// a job (lease_owner until lease_until, renewed while it surveys); the
		// survey is recorded and the job marked done in one transaction guarded
		// by lease_owner and attempts, so a worker whose lease was taken over
		// records nothing. Times are the database server's, which every worker
		// shares.
		`CREATE TABLE jobs (
			id             {{ID}},
			request_id     BIGINT NOT NULL REFERENCES survey_requests (id),
			name           TEXT NOT NULL,
			target         TEXT NOT NULL,
			inventory_name TEXT NOT NULL DEFAULT '',
			grp            TEXT NOT NULL DEFAULT '',
			options        TEXT NOT NULL,
			state          TEXT NOT NULL CHECK (state IN ('queued', 'leased', 'done', 'failed')),
			attempts       INTEGER NOT NULL DEFAULT 0,
			max_attempts   INTEGER NOT NULL,
			lease_owner    TEXT NOT NULL DEFAULT '',
			lease_until    {{TIME}},
			not_before     {{TIME}},
			created_at     {{TIME}} NOT NULL,
			updated_at     {{TIME}} NOT NULL,
			finished_at    {{TIME}},
			outcome        TEXT NOT NULL DEFAULT '',
			survey_id      BIGINT REFERENCES surveys (id),
			audit_id       BIGINT REFERENCES audit (id),
			UNIQUE (request_id, name)
		)`,
		// What workers look for: the jobs not yet ended.
		`CREATE INDEX jobs_open ON jobs (id) WHERE state IN ('queued', 'leased')`,
	},
}, {
	version: 3,
	name:    "verifications: each verify's result, tied to the host and survey it checked",
	statements: []string{
		// One row per trowel verify: what was checked (the target as named, and
		// the host and survey when the store has them) against what (a spec or
		// snapshot file, or HOST@N), the verdicts counted, how it ended, and the
		// checks themselves (the verify result's JSON, gzip-compressed, with its
		// size and SHA-256 as blobs have). Append-only, like the audit trail.
		`CREATE TABLE verifications (
			id        {{ID}},
			at        {{TIME}} NOT NULL,
			host_id   BIGINT REFERENCES hosts (id),
			survey_id BIGINT REFERENCES surveys (id),
			target    TEXT NOT NULL,
			against   TEXT NOT NULL,
			passed    INTEGER NOT NULL,
			failed    INTEGER NOT NULL,
			skipped   INTEGER NOT NULL,
			outcome   TEXT NOT NULL,
			encoding  TEXT NOT NULL,
			size      BIGINT NOT NULL,
			sha256    TEXT NOT NULL,
			checks    {{BLOB}} NOT NULL,
			audit_id  BIGINT NOT NULL REFERENCES audit (id)
		)`,
		`CREATE INDEX verifications_host ON verifications (host_id, at)`,
	},
	appendOnly: []string{"verifications"},
}, {
	version: 4,
	name:    "notes: what people wrote about a host, each with its audit entry",
	statements: []string{
		// A note is said about a host, not a survey: it stays true (or is
		// answered by a later note) across surveys. Who wrote it is its audit
		// entry's operator. Append-only, like the audit trail: a note is
		// corrected by another note, never edited away.
		`CREATE TABLE notes (
			id       {{ID}},
			at       {{TIME}} NOT NULL,
			host_id  BIGINT NOT NULL REFERENCES hosts (id),
			text     TEXT NOT NULL,
			audit_id BIGINT NOT NULL REFERENCES audit (id)
		)`,
		`CREATE INDEX notes_host ON notes (host_id, at)`,
	},
	appendOnly: []string{"notes"},
}}

// migrate brings the schema up to date, in one transaction: the steps pending
// are applied whole or not at all, and two trowels opening a new store at once
// wait for each other instead of both applying them. A step is pending when the
// store lacks it, wherever it stands in the list: a number reserved for a step
// released later (2, the job queue) is applied to a store that already has the
// steps after it.
func migrate(ctx context.Context, db *sql.DB, d *dialect, now func() dbTime) error {
	// A store already up to date needs no lock and no DDL: a team's operators
	// may use a PostgreSQL role that can neither (see docs/store.md).
	if applied, err := appliedVersions(ctx, db); err == nil {
		if err := checkKnown(applied); err != nil {
			return err
		}
		if len(pending(applied)) == 0 {
			return nil
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.lockMigrations != "" {
		if _, err := tx.ExecContext(ctx, d.lockMigrations); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, d.schema(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at {{TIME}} NOT NULL
	)`)); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	applied, err := appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	if err := checkKnown(applied); err != nil {
		return err
	}
	for _, m := range pending(applied) {
		stmts := m.statements
		for _, t := range m.appendOnly {
			stmts = append(stmts[:len(stmts):len(stmts)], d.appendOnly(t)...)
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, d.schema(s)); err != nil {
				return fmt.Errorf("schema migration %d (%s): %w", m.version, m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.bind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.version, m.name, now()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// appliedVersions lists the steps a store has had.
func appliedVersions(ctx context.Context, q queryer) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// checkKnown refuses a store that has a step this trowel does not know: a newer
// trowel migrated it.
func checkKnown(applied map[int]bool) error {
	known := map[int]bool{}
	for _, m := range migrations {
		known[m.version] = true
	}
	newest := 0
	var unknown []int
	for v := range applied {
		newest = max(newest, v)
		if !known[v] {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return &NewerSchemaError{Store: newest, Known: SchemaVersion, Unknown: unknown}
	}
	return nil
}

// pending are the steps a store lacks, in the list's order.
func pending(applied map[int]bool) []migration {
	var out []migration
	for _, m := range migrations {
		if !applied[m.version] {
			out = append(out, m)
		}
	}
	return out
}

// NewerSchemaError says the store was written by a newer trowel: its schema
// goes past this trowel's, or has a step this trowel lacks (one released later
// with a lower number, as 2 was after 3).
type NewerSchemaError struct {
	Store, Known int
	Unknown      []int
}

func (e *NewerSchemaError) Error() string {
	if e.Store > e.Known {
		return fmt.Sprintf("the store's schema is version %d, newer than this trowel knows (%d): use a newer trowel", e.Store, e.Known)
	}
	steps := make([]string, len(e.Unknown))
	for i, v := range e.Unknown {
		steps[i] = strconv.Itoa(v)
	}
	return fmt.Sprintf("the store's schema has step %s, which this trowel does not know (a newer trowel applied it): use a newer trowel", strings.Join(steps, ", "))
}
