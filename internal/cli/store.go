package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/trowel-dev/trowel/internal/secrets"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/listing"
	"github.com/trowel-dev/trowel/internal/survey"
)

// StoreFlags are the flags of every command that reads or writes the store.
type StoreFlags struct {
	DSN string
	// NoStore records nothing: no survey, no verify result, no audit entry.
	NoStore bool
}

// Register adds --store to a command's flag set.
func (f *StoreFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.DSN, "store", "", "the store: a SQLite file, or a postgres:// URL for a team's (default: $"+store.Env+", else $XDG_DATA_HOME/trowel/trowel.db)")
}

// RegisterRecording adds --store and --no-store, for a command that records what it
// surveys, verifies or writes.
func (f *StoreFlags) RegisterRecording(fs *pflag.FlagSet) {
	f.Register(fs)
	fs.BoolVar(&f.NoStore, "no-store", false, "record nothing in the store (no snapshot, no audit entry): for a survey that must leave no copy; stored surveys are still read")
}

// OpenExisting opens the store for a command that only reads it: a SQLite store
// that is not there yet is the user's error, not a new empty file.
func (f *StoreFlags) OpenExisting(ctx context.Context) (*store.Store, error) {
	return f.userOpen(ctx, true)
}

func (f *StoreFlags) userOpen(ctx context.Context, mustExist bool) (*store.Store, error) {
	s, where, err := f.open(ctx, mustExist)
	if errors.Is(err, store.ErrNoStore) {
		return nil, Errorf("Surveys are recorded there as they are made; --store or "+store.Env+" names another store.", "no store at %s", where)
	}
	return s, err
}

// open is the one place commands open the store: the one --store or TROWEL_STORE
// names, else the default. With mustExist, a SQLite store that is not there is
// store.ErrNoStore. where names the store for messages.
func (f *StoreFlags) open(ctx context.Context, mustExist bool) (s *store.Store, where string, err error) {
	dsn, err := store.Choose(f.DSN)
	if err != nil {
		return nil, "", Errorf("", "%v", err)
	}
	var opts []store.Option
	if mustExist {
		opts = append(opts, store.MustExist())
	}
	// Every snapshot, finding, evidence stream, verify result and audit text a
	// command stores passes the operator-side secret scan first: a secret the
	// probe's filters missed on the host never reaches the store.
	opts = append(opts, store.WithScrub(scrubSecrets), store.WithEvidenceScrub(scrubEvidence))
	s, err = store.Open(ctx, dsn, opts...)
	switch {
	case errors.Is(err, store.ErrNoStore):
		return nil, dsn, err
	case err != nil:
		return nil, dsn, Errorf("", "cannot open the store: %v", err)
	}
	return s, s.Location(), nil
}

// StoreError turns what the store says of a reference into the user's error,
// with what to do next.
func StoreError(err error) error {
	var nf *store.NotFoundError
	var amb *store.AmbiguousError
	switch {
	case errors.As(err, &amb):
		return Errorf("trowel hosts lists every host by the name to give.", "%v", err)
	case errors.As(err, &nf):
		return Errorf("trowel hosts lists the hosts in the store, trowel history HOST a host's surveys.", "%v", err)
	}
	return err
}

// ListingFlags are the flags of a command that lists what the store holds.
type ListingFlags struct {
	StoreFlags
	Format string
	Output string
}

// Register adds --store, --format and -o.
func (f *ListingFlags) Register(fs *pflag.FlagSet) {
	f.StoreFlags.Register(fs)
	fs.StringVar(&f.Format, "format", "table", strings.Join(listing.Formats, " or "))
	fs.StringVarP(&f.Output, "output", "o", "", "write to this file instead of standard output")
}

// List checks the format, opens the existing store, and has write list from it to
// the output.
func (f *ListingFlags) List(ctx context.Context, stdout io.Writer, write func(s *store.Store, w io.Writer, format string) error) error {
	if err := listing.CheckFormat(f.Format); err != nil {
		return Errorf("", "%v", err)
	}
	s, err := f.OpenExisting(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	// Listed whole before the output is opened: a host that is not there must
	// not leave an empty file behind.
	var buf bytes.Buffer
	if err := write(s, &buf, f.Format); err != nil {
		return StoreError(err)
	}
	return WriteOutput(f.Output, stdout, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// scrubSecrets masks what looks like a secret in a blob the store writes. What was
// masked is counted in the snapshot's notes when the survey saw it; here it is masked
// silently, since the same scan already ran before the survey's notes were written.
func scrubSecrets(b []byte) []byte {
	out, _ := secrets.Clean(b)
	return out
}

// scrubEvidence masks an evidence stream item by item, keeping its framing.
func scrubEvidence(raw []byte) []byte {
	out, _ := survey.MaskEvidence(raw)
	return out
}
