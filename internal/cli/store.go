package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/listing"
)

// StoreFlags are the flags of every command that reads or writes the store.
type StoreFlags struct {
	DSN string
}

// Register adds --store to a command's flag set.
func (f *StoreFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.DSN, "store", "", "the store: a SQLite file, or a postgres:// URL for a team's (default: $"+store.Env+", else $XDG_DATA_HOME/trowel/trowel.db)")
}

// OpenExisting opens the store for a command that only reads it: a SQLite store
// that is not there yet is the user's error, not a new empty file.
func (f *StoreFlags) OpenExisting(ctx context.Context, opts ...store.Option) (*store.Store, error) {
	return f.open(ctx, append(opts, store.MustExist())...)
}

// Open opens the store, creating it if needed.
func (f *StoreFlags) Open(ctx context.Context, opts ...store.Option) (*store.Store, error) {
	return f.open(ctx, opts...)
}

func (f *StoreFlags) open(ctx context.Context, opts ...store.Option) (*store.Store, error) {
	dsn, err := store.Choose(f.DSN)
	if err != nil {
		return nil, Errorf("", "%v", err)
	}
	s, err := store.Open(ctx, dsn, opts...)
	if errors.Is(err, store.ErrNoStore) {
		return nil, Errorf("Surveys are recorded there as they are made; --store or "+store.Env+" names another store.", "no store at %s", dsn)
	}
	if err != nil {
		return nil, Errorf("", "cannot open the store: %v", err)
	}
	return s, nil
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
