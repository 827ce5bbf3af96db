// Package ledgertest gives the tests of the ledger and of what fills it every
// snapshot the repository keeps: each testdata JSON snapshot of the current schema
// version, and the CentOS 5 Redmine root of internal/survey surveyed offline.
package ledgertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
)

// Root is the repository's root, found from the test's working directory.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
}

// CentOSRoot is the CentOS 5 Redmine disk of internal/survey's tests, the
// EL-shaped source of the field reports.
const CentOSRoot = "internal/survey/testdata/centos5-redmine"

// Snapshots are every snapshot the repository keeps, by name: each JSON file
// under a testdata directory whose schema_version is this trowel's (a file of
// another version fails the test: it must be refreshed, not skipped), and
// "centos5-redmine", the CentOS root surveyed offline.
func Snapshots(t testing.TB) map[string]*snapshot.Snapshot {
	t.Helper()
	root := Root(t)
	out := map[string]*snapshot.Snapshot{}
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") || !strings.Contains(filepath.ToSlash(p), "/testdata/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var head struct {
			SchemaVersion *int `json:"schema_version"`
			CollectedAt   any  `json:"collected_at"`
		}
		if json.Unmarshal(b, &head) != nil || head.SchemaVersion == nil || head.CollectedAt == nil {
			return nil // not a snapshot
		}
		rel, _ := filepath.Rel(root, p)
		if *head.SchemaVersion != snapshot.SchemaVersion {
			t.Errorf("%s is a snapshot of schema version %d, this trowel writes %d: survey it again", rel, *head.SchemaVersion, snapshot.SchemaVersion)
			return nil
		}
		var s snapshot.Snapshot
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&s); err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		out[filepath.ToSlash(rel)] = &s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out["centos5-redmine"] = CentOS(t)
	if len(out) < 3 {
		t.Fatalf("found only %d snapshots under %s", len(out), root)
	}
	return out
}

// CentOS surveys the CentOS 5 Redmine root offline.
func CentOS(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	res, err := collect.Root(context.Background(), filepath.Join(Root(t), filepath.FromSlash(CentOSRoot)))
	if err != nil {
		t.Fatal(err)
	}
	return survey.Run(res.Archive, res.Source, res.Raw)
}

// Names are the snapshots' names in order.
func Names(m map[string]*snapshot.Snapshot) []string {
	var out []string
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
