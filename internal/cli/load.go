package cli

import (
	"context"

	"github.com/trowel-dev/trowel/internal/snapfile"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
)

// Resolver finds the snapshot a name stands for before the name is read as a file or
// a host: a store's hosts (HOST, HOST@2, HOST@2026-11-01). ok is false for a name it
// does not hold, which is then read as any other argument.
type Resolver interface {
	Resolve(ctx context.Context, name string) (snap *snapshot.Snapshot, ok bool, err error)
}

// Stored, when set, is asked first for every argument a command reads as a snapshot.
var Stored Resolver

// Load gives the snapshot a command documents, compares or checks: arg is a snapshot
// file (read under snapfile's rules), or any target trowel survey takes, surveyed
// now. A survey cut short still gives a snapshot: its coverage says which sections
// did not arrive, and Source.Notes says why.
func (t *TargetFlags) Load(ctx context.Context, arg string) (*snapshot.Snapshot, error) {
	s, _, err := t.LoadPartial(ctx, arg)
	return s, err
}

// LoadPartial is Load that also says why the survey stopped early (nil when arg is a
// snapshot, or the survey finished), for a command whose exit code must tell.
func (t *TargetFlags) LoadPartial(ctx context.Context, arg string) (snap *snapshot.Snapshot, stopped, err error) {
	if s, ok, err := resolve(ctx, arg); ok || err != nil {
		return s, nil, err
	}
	tg, err := target.Parse(arg)
	if err != nil {
		return nil, nil, err
	}
	if tg.Kind == target.Snapshot {
		s, err := snapfile.Read(tg.Arg)
		return s, nil, err
	}
	res, err := t.Collect(ctx, tg)
	if err != nil {
		return nil, nil, err
	}
	return survey.Run(res.Archive, res.Source, res.Raw), res.Stopped(), nil
}

// ReadSnapshot reads the snapshot arg names, for a command that surveys nothing.
func ReadSnapshot(ctx context.Context, arg string) (*snapshot.Snapshot, error) {
	if s, ok, err := resolve(ctx, arg); ok || err != nil {
		return s, err
	}
	tg, err := target.Parse(arg)
	if err != nil {
		return nil, err
	}
	if tg.Kind != target.Snapshot {
		return nil, Errorf("Survey it first (trowel survey "+arg+" -o snapshot.json), then give the snapshot.",
			"%s is %s, not a snapshot file", arg, tg.Kind.Describe())
	}
	return snapfile.Read(tg.Arg)
}

func resolve(ctx context.Context, arg string) (*snapshot.Snapshot, bool, error) {
	if Stored == nil {
		return nil, false, nil
	}
	return Stored.Resolve(ctx, arg)
}
