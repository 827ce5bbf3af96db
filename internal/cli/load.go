package cli

import (
	"context"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/snapfile"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
)

// Resolver finds the snapshot a name stands for before the name is read as a file or
// a host: a store's hosts (HOST, HOST@2, HOST@2026-11-01). It gives a nil snapshot
// for a name it does not hold, which is then read as any other argument, and says
// which stored survey it gave.
type Resolver interface {
	Resolve(ctx context.Context, name string) (*snapshot.Snapshot, *store.SurveyInfo, error)
}

// Stored, when set, is asked first for every argument a command reads as a
// snapshot. A command sets it for its run with StoreFlags.Begin.
var Stored Resolver

// Loaded is a snapshot and where it came from.
type Loaded struct {
	Snap *snapshot.Snapshot
	// Stopped says why a survey made now stopped early; nil when it finished, and
	// for a snapshot read from a file or the store.
	Stopped error
	// Collected is the evidence of a survey made now (nil otherwise), which a
	// session records.
	Collected *collect.Result
	// Stored names the stored survey the snapshot is: given by the store, or
	// recorded in it now.
	Stored *store.SurveyInfo
}

// Load gives the snapshot a command documents, compares or checks: arg is a stored
// survey (see Stored), a snapshot file (read under snapfile's rules), or any target
// trowel survey takes, surveyed now. A survey cut short still gives a snapshot: its
// coverage says which sections did not arrive, and Source.Notes says why.
func (t *TargetFlags) Load(ctx context.Context, arg string) (*snapshot.Snapshot, error) {
	l, err := t.LoadFrom(ctx, arg)
	return l.Snap, err
}

// LoadPartial is Load that also says why the survey stopped early (nil when arg is a
// snapshot, or the survey finished), for a command whose exit code must tell.
func (t *TargetFlags) LoadPartial(ctx context.Context, arg string) (snap *snapshot.Snapshot, stopped, err error) {
	l, err := t.LoadFrom(ctx, arg)
	return l.Snap, l.Stopped, err
}

// LoadFrom is Load that says where the snapshot came from.
func (t *TargetFlags) LoadFrom(ctx context.Context, arg string) (Loaded, error) {
	if s, info, err := FromStore(ctx, arg); s != nil || err != nil {
		return Loaded{Snap: s, Stored: info}, err
	}
	tg, err := target.Parse(arg)
	if err != nil {
		return Loaded{}, err
	}
	if tg.Kind == target.Snapshot {
		s, err := snapfile.Read(tg.Arg)
		return Loaded{Snap: s}, err
	}
	res, err := t.Collect(ctx, tg)
	if err != nil {
		return Loaded{}, &surveyError{err}
	}
	return Loaded{Snap: survey.Run(res.Archive, res.Source, res.Raw), Stopped: res.Stopped(), Collected: res}, nil
}

// surveyError is a survey made now that failed, for a session to audit; it is
// reported as the error it wraps.
type surveyError struct{ error }

func (e *surveyError) Unwrap() error { return e.error }

// ReadSnapshot reads the snapshot arg names, for a command that surveys nothing.
func ReadSnapshot(ctx context.Context, arg string) (Loaded, error) {
	if s, info, err := FromStore(ctx, arg); s != nil || err != nil {
		return Loaded{Snap: s, Stored: info}, err
	}
	tg, err := target.Parse(arg)
	if err != nil {
		return Loaded{}, err
	}
	if tg.Kind != target.Snapshot {
		return Loaded{}, Errorf("Survey it first (trowel survey "+arg+"), then give its name or the snapshot.",
			"%s is %s, not a snapshot file or a host in the store", arg, tg.Kind.Describe())
	}
	s, err := snapfile.Read(tg.Arg)
	return Loaded{Snap: s}, err
}

// FromStore asks Stored for arg: a nil snapshot when there is no store to ask or
// it does not hold arg.
func FromStore(ctx context.Context, arg string) (*snapshot.Snapshot, *store.SurveyInfo, error) {
	if Stored == nil {
		return nil, nil, nil
	}
	return Stored.Resolve(ctx, arg)
}
