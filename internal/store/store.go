// Package store keeps every survey trowel makes: the snapshot, its findings and the
// raw evidence (compressed), a summary row per survey for listing hosts without
// decoding any snapshot, and an append-only audit trail of who did what.
//
// One schema, versioned by migrations applied on Open, serves two backends with the
// same queries: SQLite (pure Go, a file; the default, at the user's data directory)
// for one operator, PostgreSQL for a team. Hosts are known by their inventory name,
// else by the name their survey found; a reference HOST, HOST@N or HOST@YYYY-MM-DD
// picks one of a host's surveys (see Resolve).
//
// A store is safe for use by many goroutines: on SQLite, writes go through one
// connection in IMMEDIATE transactions (WAL mode, with a busy timeout for other
// processes) while reads use a pool; on PostgreSQL, concurrent writers are ordered
// by row locks.
//
// Secrets never reach the store: every byte of snapshot, findings, evidence and
// audit text passes through the scrub function given with WithScrub before it is
// written.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx"
	"modernc.org/sqlite"               // "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Env names the variable that gives the store when --store does not.
const Env = "TROWEL_STORE"

// Store is an open store.
type Store struct {
	d        *dialect
	w        *sql.DB // writes (on SQLite: one connection)
	r        *sql.DB // reads (on PostgreSQL: the same pool as w)
	location string  // for messages: the file, or the URL without its password
	scrub    func([]byte) []byte
	// evidenceScrub masks an evidence stream item by item (see WithEvidenceScrub).
	evidenceScrub func([]byte) []byte
	now           func() time.Time
}

type options struct {
	scrub         func([]byte) []byte
	evidenceScrub func([]byte) []byte
	now           func() time.Time
	mustExist     bool
}

// Option configures Open.
type Option func(*options)

// WithScrub sets the function every blob passes through before the store writes
// it: the snapshot's JSON, the findings' JSON, the evidence stream, and an audit
// entry's command line, target and outcome. It is where the operator-side secret
// scanner (internal/secrets) plugs in, so that a secret the probe missed on the
// host still never reaches the store. It must return the content with secrets
// replaced (it may return its argument unchanged) and be safe to call from many
// goroutines at once; a snapshot or findings whose JSON it breaks are refused, not
// stored. Without this option blobs are stored as given: the commands that write
// to a store set it.
func WithScrub(scrub func([]byte) []byte) Option {
	return func(o *options) { o.scrub = scrub }
}

// WithEvidenceScrub sets the function the evidence stream passes through instead of
// the one WithScrub gives: evidence is framed by lengths, so its scrub must mask
// item by item and rewrite the frames (survey.MaskEvidence does), where a scrub of
// the whole stream would shift them.
func WithEvidenceScrub(scrub func([]byte) []byte) Option {
	return func(o *options) { o.evidenceScrub = scrub }
}

// WithClock sets the clock for the times the store records itself (when a survey
// was recorded, when an audit entry was made); tests pin it.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// MustExist refuses to create a SQLite store that is not there yet (ErrNoStore),
// for commands that only read: listing an empty store should say there is none,
// not leave a new file behind.
func MustExist() Option {
	return func(o *options) { o.mustExist = true }
}

// ErrNoStore is returned by Open with MustExist when the SQLite file does not exist.
var ErrNoStore = errors.New("no store there")

// Open opens the store named by dsn, creating it (a SQLite file and its directory)
// when needed, and applies the schema's pending migrations. dsn is a file path (or
// sqlite:PATH, file:PATH) for SQLite, or a postgres:// or postgresql:// URL.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	o := options{scrub: func(b []byte) []byte { return b }, now: time.Now}
	for _, f := range opts {
		f(&o)
	}
	s := &Store{scrub: o.scrub, evidenceScrub: o.evidenceScrub, now: o.now}
	if s.evidenceScrub == nil {
		s.evidenceScrub = o.scrub
	}
	var err error
	switch scheme, _, isURL := strings.Cut(dsn, "://"); {
	case IsPostgres(dsn):
		err = s.openPostgres(dsn)
	case isURL && scheme != "sqlite" && scheme != "file":
		// Not a file named "mysql:", which SQLite would happily create.
		return nil, fmt.Errorf("%s: a store is a SQLite file or a postgres:// URL, not %s://", dsn, scheme)
	default:
		err = s.openSQLite(ctx, sqlitePath(dsn), o.mustExist)
	}
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, s.w, s.d, s.clock); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: %w", s.location, err)
	}
	return s, nil
}

// IsPostgres says whether dsn names a PostgreSQL store (postgres:// or
// postgresql://), without opening it.
func IsPostgres(dsn string) bool {
	scheme, _, _ := strings.Cut(dsn, "://")
	return scheme == "postgres" || scheme == "postgresql"
}

func sqlitePath(dsn string) string {
	for _, p := range []string{"sqlite://", "sqlite:", "file:"} {
		if rest, ok := strings.CutPrefix(dsn, p); ok {
			return rest
		}
	}
	return dsn
}

func (s *Store) openPostgres(dsn string) error {
	s.d = postgresDialect
	s.location = dsn
	if u, err := url.Parse(dsn); err == nil {
		s.location = u.Redacted()
	}
	db, err := sql.Open(s.d.driver, dsn)
	if err != nil {
		return fmt.Errorf("%s: %w", s.location, err)
	}
	// A team's server serves other clients too: many goroutines recording at
	// once share a few connections rather than taking one each.
	db.SetMaxOpenConns(maxConns)
	s.w, s.r = db, db
	return nil
}

// maxConns bounds a store's open connections (the readers', on SQLite).
const maxConns = 8

func (s *Store) openSQLite(ctx context.Context, path string, mustExist bool) error {
	s.d = sqliteDialect
	s.location = path
	if path == "" {
		return errors.New("no store given: name a file or a postgres:// URL")
	}
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("%s: a store's file name may not contain ? or #", path)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if mustExist {
			return fmt.Errorf("%s: %w", path, ErrNoStore)
		}
		// The store holds what the survey found on every host: only its owner
		// reads it. SQLite gives its -wal and -shm files the same mode.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("cannot create the store's directory: %w", err)
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("cannot create the store: %w", err)
		}
		if f != nil {
			f.Close()
		}
	}
	// The busy timeout makes another process's writer wait its turn instead of
	// failing. synchronous=NORMAL is safe in WAL mode (a power cut may lose the
	// last commits, never corrupt the file).
	params := "_pragma=foreign_keys(1)&_pragma=busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")&_pragma=synchronous(NORMAL)"
	w, err := sql.Open(s.d.driver, path+"?"+params+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// One writer connection serialises this process's writes; IMMEDIATE takes
	// the write lock when a transaction begins, not halfway through it, so two
	// processes never deadlock upgrading a read lock.
	w.SetMaxOpenConns(1)
	r, err := sql.Open(s.d.driver, path+"?"+params)
	if err != nil {
		w.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	r.SetMaxOpenConns(maxConns)
	s.w, s.r = w, r
	if err := enableWAL(ctx, w); err != nil {
		s.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// busyTimeout is how long a SQLite writer waits for another process's write.
const busyTimeout = 30 * time.Second

// enableWAL puts the database in WAL mode, where readers go on while one writer
// writes. The mode is kept in the file; switching needs the database to itself,
// and SQLite does not wait for that (its busy handler is not called there, to
// avoid deadlocks), so the switch is retried while another connection opening the
// same new store holds it.
func enableWAL(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode)
		switch {
		case err == nil && strings.EqualFold(mode, "wal"):
			return nil
		case err == nil:
			return fmt.Errorf("cannot use WAL journal mode (the file system may not support it): journal mode is %s", mode)
		case !isBusy(err) || time.Now().After(deadline):
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Close closes the store.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		if rerr := s.r.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Backend is "sqlite" or "postgres".
func (s *Store) Backend() string { return s.d.name }

// Location says where the store is, for messages: the file, or the URL with its
// password replaced.
func (s *Store) Location() string { return s.location }

func (s *Store) clock() dbTime { return dbTime(s.now()) }

// DefaultPath is where the store is when neither --store nor TROWEL_STORE says:
// $XDG_DATA_HOME/trowel/trowel.db, else ~/.local/share/trowel/trowel.db.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if !filepath.IsAbs(dir) { // the XDG spec: a relative value is invalid and ignored
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot tell where the store is (no home directory: %v): give --store or %s", err, Env)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "trowel", "trowel.db"), nil
}

// Choose names the store to open: flag (from --store) when set, else $TROWEL_STORE,
// else DefaultPath.
func Choose(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if env := os.Getenv(Env); env != "" {
		return env, nil
	}
	return DefaultPath()
}

// queryer is what both a *sql.DB and a *sql.Tx offer, so a lookup can run inside a
// write transaction or on the read pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
