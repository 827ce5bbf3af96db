package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/store"
)

func TestListingFlags(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	t.Setenv(store.Env, "")

	// A command that only reads leaves no store behind where there is none.
	f := ListingFlags{Format: "table"}
	err := f.List(ctx, io.Discard, func(*store.Store, io.Writer, string) error { return nil })
	var ue *Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "no store at "+filepath.Join(dir, "trowel", "trowel.db")) {
		t.Errorf("missing store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "trowel")); !errors.Is(err, os.ErrNotExist) {
		t.Error("listing created the store's directory")
	}

	// TROWEL_STORE names the store; a reference that names nothing is the
	// user's error, and writes no file.
	path := filepath.Join(dir, "team.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	t.Setenv(store.Env, path)
	out := filepath.Join(dir, "out.txt")
	f.Output = out
	err = f.List(ctx, io.Discard, func(s *store.Store, w io.Writer, _ string) error {
		_, _, err := s.History(ctx, "nosuch")
		return err
	})
	if !errors.As(err, &ue) || !strings.Contains(ue.Hint, "trowel hosts") {
		t.Errorf("unknown host: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed listing left its output file")
	}
	var b bytes.Buffer
	f.Output = ""
	f.Format = "json"
	if err := f.List(ctx, &b, func(s *store.Store, w io.Writer, format string) error {
		_, err := io.WriteString(w, format+" from "+s.Location())
		return err
	}); err != nil || b.String() != "json from "+path {
		t.Errorf("listing: %q, %v", b.String(), err)
	}
	f.Format = "yaml"
	if err := f.List(ctx, &b, nil); !errors.As(err, &ue) {
		t.Errorf("bad format: %v", err)
	}
}
