// Package storetest keeps tests away from the store of the person running them:
// every trowel command records what it surveys, verifies and writes in the store
// TROWEL_STORE names, else in $XDG_DATA_HOME/trowel/trowel.db.
package storetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/store"
)

// Main runs a package's tests with TROWEL_STORE and XDG_DATA_HOME pointing into a
// temporary directory (for the trowel processes the tests start too), and removes
// it afterwards, then runs after (pgtest.StopShared, say). Use it as the body of
// TestMain; a test that wants a store of its own sets TROWEL_STORE with
// t.Setenv.
func Main(m *testing.M, after ...func()) {
	dir, err := os.MkdirTemp("", "trowel-store-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		os.Exit(2)
	}
	os.Setenv(store.Env, filepath.Join(dir, "trowel.db"))
	os.Setenv("XDG_DATA_HOME", dir)
	code := m.Run()
	for _, f := range after {
		f()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// Open opens the store a test's commands recorded in, to look at what they
// recorded; it is closed when the test ends.
func Open(t testing.TB, path string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), path, store.MustExist())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
