package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/verify"
)

// Session is one command's use of the store. While it lasts it is Stored, so
// stored surveys (HOST, HOST@2, HOST@2026-11-01) are read wherever a snapshot is;
// and it records what the command surveys, verifies or writes, unless --no-store.
// It opens the store only when it needs it, and creates one only to record a
// survey: a command that reads files and writes a document leaves no store behind
// where there is none (it is audited where there is one).
type Session struct {
	flags *StoreFlags
	w     io.Writer // where it says which stored survey it read, and what it could not record
	op    store.Operator
	saved Resolver

	mu     sync.Mutex
	st     *store.Store
	none   bool     // looked for, and there is no store
	where  string   // the store looked for, for messages
	failed []string // what could not be recorded, for End
}

// Begin starts a command's session; End must follow. Messages go to w (standard
// error).
func (f *StoreFlags) Begin(w io.Writer) *Session {
	s := &Session{flags: f, w: w, op: store.CurrentOperator(os.Args), saved: Stored}
	Stored = s
	return s
}

// End closes the store. What could not be recorded becomes the command's error
// (exit 2) when it has none of its own, and is said on w otherwise.
func (s *Session) End(errp *error) {
	Stored = s.saved
	if s.st != nil {
		s.st.Close()
	}
	if len(s.failed) == 0 {
		return
	}
	msg := "not recorded in the store: " + strings.Join(s.failed, "; ")
	if *errp == nil {
		*errp = Errorf("What the command wrote is complete; it is only missing from the store (--store, "+store.Env+"), or give --no-store.", "%s", msg)
		return
	}
	fmt.Fprintf(s.w, "trowel: %s\n", msg)
}

// Recording says whether the session records (no --no-store).
func (s *Session) Recording() bool { return !s.flags.NoStore }

// Prepare opens the store a command will record in, creating it if needed, so
// that a store that cannot be opened stops the command before it surveys.
func (s *Session) Prepare(ctx context.Context) error {
	_, err := s.writable(ctx)
	return err
}

// Location names the store open for the session, or "".
func (s *Session) Location() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		return ""
	}
	return s.st.Location()
}

// writable gives the store to record in, creating it when needed; nil with
// --no-store.
func (s *Session) writable(ctx context.Context) (*store.Store, error) {
	if s.flags.NoStore {
		return nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != nil {
		return s.st, nil
	}
	st, _, err := s.flags.open(ctx, false)
	if err != nil {
		return nil, err
	}
	s.st, s.none = st, false
	return st, nil
}

// existing gives the store when there is one, else nil, without creating it.
func (s *Session) existing(ctx context.Context) (*store.Store, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != nil || s.none {
		return s.st, s.where, nil
	}
	st, where, err := s.flags.open(ctx, true)
	s.where = where
	if errors.Is(err, store.ErrNoStore) {
		s.none = true
		return nil, where, nil
	}
	if err != nil {
		return nil, where, err
	}
	s.st = st
	return st, where, nil
}

func (s *Session) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed = append(s.failed, fmt.Sprintf(format, args...))
}

// Resolve reads a stored survey (it is the commands' Resolver). A name is asked of
// the store only when nothing on disk has that name (a file or directory wins) and
// it is not local or a URL. HOST that no host of the store has is nil, to be read
// as any other argument (a host to survey); HOST@N and HOST@DAY name stored surveys
// only, and one the store does not have is an error, as is a name two hosts share.
// What was read is said on w.
func (s *Session) Resolve(ctx context.Context, arg string) (*snapshot.Snapshot, *store.SurveyInfo, error) {
	ref, ok := storeRef(arg)
	if !ok {
		return nil, nil, nil
	}
	pinned := ref.Seq > 0 || !ref.Day.IsZero()
	st, where, err := s.existing(ctx)
	if err != nil {
		return nil, nil, err
	}
	if st == nil {
		if pinned {
			return nil, nil, Errorf("Surveys are recorded in the store as they are made; --store or "+store.Env+" names another store.",
				"%s names a stored survey, and there is no store at %s", arg, where)
		}
		return nil, nil, nil
	}
	if !pinned {
		var nf *store.NotFoundError
		if _, err := st.FindHost(ctx, ref.Host); errors.As(err, &nf) {
			return nil, nil, nil
		}
	}
	snap, info, err := st.Resolve(ctx, arg)
	if err != nil {
		return nil, nil, StoreError(err)
	}
	if strings.EqualFold(arg, info.Ref()) {
		fmt.Fprintf(s.w, "trowel: read %s\n", info.Describe())
	} else {
		fmt.Fprintf(s.w, "trowel: %s is %s\n", arg, info.Describe())
	}
	return snap, &info, nil
}

// storeRef says whether arg may name a stored survey, and which.
func storeRef(arg string) (store.Ref, bool) {
	if arg == "" || arg == "local" || strings.Contains(arg, "://") || strings.ContainsAny(arg, `/\`) ||
		strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "~") {
		return store.Ref{}, false
	}
	if _, err := os.Lstat(arg); err == nil {
		return store.Ref{}, false
	}
	ref, err := store.ParseRef(arg)
	return ref, err == nil
}

// RecordSurvey records a survey made now: nil with --no-store. The caller says
// what a failure means (a fleet's host fails; a single command's End tells).
func (s *Session) RecordSurvey(ctx context.Context, inv store.Inventory, res *collect.Result, snap *snapshot.Snapshot, stopped error) (*store.SurveyInfo, error) {
	st, err := s.writable(ctx)
	if st == nil || err != nil {
		return nil, err
	}
	info, err := st.RecordSurvey(ctx, store.Survey{Snapshot: snap, Evidence: res.Raw, Inventory: inv, Operator: s.op, Outcome: surveyOutcome(stopped)})
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// surveyOutcome is how a survey ended, for the audit trail.
func surveyOutcome(stopped error) string {
	if stopped != nil {
		return "stopped early: " + firstLine(stopped.Error())
	}
	return "ok"
}

// Load is TargetFlags.LoadFrom, recording the survey it made now, if it made
// one (a failed one in the audit trail).
func (s *Session) Load(ctx context.Context, t *TargetFlags, arg string) (Loaded, error) {
	l, err := t.LoadFrom(ctx, arg)
	if err == nil {
		s.Surveyed(context.WithoutCancel(ctx), arg, &l)
	}
	s.RecordFailure(ctx, arg, err)
	return l, err
}

// RecordFailure records err in the audit trail when it is a survey of arg made
// now that failed (LoadFrom's), as trowel survey records its own.
func (s *Session) RecordFailure(ctx context.Context, arg string, err error) {
	var failed *surveyError
	if errors.As(err, &failed) {
		s.SurveyFailed(context.WithoutCancel(ctx), arg, store.Inventory{}, failed.error)
	}
}

// Surveyed records the survey a command made now of arg, if it made one, and
// sets l.Stored to it.
func (s *Session) Surveyed(ctx context.Context, arg string, l *Loaded) {
	if l.Collected == nil {
		return
	}
	info, err := s.RecordSurvey(ctx, store.Inventory{}, l.Collected, l.Snap, l.Stopped)
	if err != nil {
		s.fail("the survey of %s: %v", arg, err)
		return
	}
	if info != nil {
		l.Stored = info
		fmt.Fprintf(s.w, "trowel: recorded as %s in %s\n", info.Ref(), s.Location())
	}
}

// SurveyFailed records in the audit trail that a survey of target failed before
// it had anything to keep. The target is written as a recorded survey's source
// is (user@host:port, without ssh://).
func (s *Session) SurveyFailed(ctx context.Context, target string, inv store.Inventory, cause error) {
	target = strings.TrimPrefix(target, "ssh://")
	st, err := s.writable(ctx)
	if err == nil && st != nil {
		_, err = st.Audit(ctx, store.AuditEntry{Operator: s.op, Action: "survey", Target: target, Host: inv.Name, Outcome: "failed: " + firstLine(cause.Error())})
	}
	if err != nil {
		s.fail("the failed survey of %s: %v", target, err)
	}
}

// Wrote audits what a command wrote (action: report, spec, diff, codify) from the
// snapshots given, tied to the host of each (one entry per host), in the store
// where there is one.
func (s *Session) Wrote(ctx context.Context, action, target, outcome string, from ...Loaded) {
	if s.flags.NoStore {
		return
	}
	st, _, err := s.existing(ctx)
	if st == nil || err != nil {
		return
	}
	seen := map[string]bool{}
	var entries []store.AuditEntry
	for _, l := range from {
		host, seq := s.hostOf(ctx, st, l)
		if seen[host] {
			continue
		}
		seen[host] = true
		entries = append(entries, store.AuditEntry{Operator: s.op, Action: action, Target: target, Outcome: outcome, Host: host, Survey: seq})
	}
	for _, e := range entries {
		if _, err := st.Audit(ctx, e); err != nil {
			s.fail("the %s of %s: %v", action, target, err)
			return
		}
	}
}

// Verified records a verify's result in the store, tied to the survey it checked
// when the store has it.
func (s *Session) Verified(ctx context.Context, res verify.Result, target, against, outcome string, checked Loaded) {
	if s.flags.NoStore {
		return
	}
	st, _, err := s.existing(ctx)
	if st == nil || err != nil {
		return
	}
	host, seq := s.hostOf(ctx, st, checked)
	if _, err := st.RecordVerification(ctx, store.Verification{Result: res, Target: target, Against: against,
		Host: host, Survey: seq, Outcome: outcome, Operator: s.op}); err != nil {
		s.fail("the verify of %s: %v", target, err)
	}
}

// hostOf names the host and survey a snapshot is in the store: the stored survey
// it came from, else the one host its names match (no survey then).
func (s *Session) hostOf(ctx context.Context, st *store.Store, l Loaded) (string, int) {
	if l.Stored != nil {
		return l.Stored.Host, l.Stored.Seq
	}
	if l.Snap == nil {
		return "", 0
	}
	for _, name := range []string{l.Snap.Host.FQDN, l.Snap.Host.Hostname} {
		if name == "" {
			continue
		}
		if h, err := st.FindHost(ctx, name); err == nil {
			return h.Name, 0
		}
	}
	return "", 0
}

// Describe names where a snapshot came from, for provenance and the audit: the
// stored survey (HOST@N) it is, else the argument.
func (l Loaded) Describe(arg string) string {
	if l.Stored != nil {
		return l.Stored.Ref()
	}
	return arg
}

// WroteTo says where a command's output went, for the audit.
func WroteTo(path string) string {
	return "wrote " + cmp.Or(path, "standard output")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
