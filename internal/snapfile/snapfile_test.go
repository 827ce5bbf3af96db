package snapfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/usererr"
)

func goodSnapshot(t *testing.T) []byte {
	t.Helper()
	s := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, CollectedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Source: snapshot.Source{Kind: "ssh", Target: "old"}, Host: snapshot.Host{Hostname: "old"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionCron: {Status: snapshot.Denied, Reason: "not root"}}}
	s.Normalize()
	doc, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestRead(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(p, goodSnapshot(t), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	if got.Host.Hostname != "old" || got.Coverage[snapshot.SectionCron].Status != snapshot.Denied {
		t.Errorf("read %+v", got)
	}
}

// Every rule a snapshot file must meet, and what the user is told when it does not.
func TestDecodeRules(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want, hint string }{
		"not-snapshot.json": {`{"hello": 1}`, "not a trowel snapshot (no schema_version)", "trowel survey -o"},
		"future.json":       {`{"schema_version": 99}`, "schema version 99, newer than this trowel's version 1", "newer trowel"},
		"older.json":        {`{"schema_version": 0}`, "schema version 0; this trowel reads version 1", "Survey the host again"},
		"text-version.json": {`{"schema_version": "1"}`, "not a valid snapshot", "trowel survey -o"},
		"broken.json":       {`{"schema_version": 1,`, "not a valid snapshot", "trowel survey -o"},
		"edited.json":       {`{"schema_version": 1, "packages": "many"}`, "does not match the snapshot schema", "edited or cut short"},
	} {
		_, err := Decode(name, []byte(tc.doc))
		var ue *usererr.Error
		if !errors.As(err, &ue) || ue.ExitCode() != usererr.ExitError || !strings.HasPrefix(ue.Msg, name) ||
			!strings.Contains(ue.Msg, tc.want) || !strings.Contains(ue.Hint, tc.hint) {
			t.Errorf("%s: %v (hint %q), want a user error saying %q, hint %q", name, err, hintOf(err), tc.want, tc.hint)
		}
	}
}

func TestReadMissingAndTooLarge(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "missing.json"))
	var ue *usererr.Error
	if !errors.As(err, &ue) || !strings.HasSuffix(ue.Msg, "missing.json: no such file or directory") || ue.Hint == "" {
		t.Errorf("missing: %v", err)
	}
	doc := goodSnapshot(t)
	if _, err := readBounded(strings.NewReader(string(doc)), "big.json", int64(len(doc)-1)); err == nil ||
		err.Error() != "big.json is larger than "+strconv.Itoa(len(doc)-1)+" bytes" {
		t.Errorf("over the bound: %v", err)
	}
	if got, err := readBounded(strings.NewReader(string(doc)), "fits.json", int64(len(doc))); err != nil || len(got) != len(doc) {
		t.Errorf("at the bound: %d bytes, %v", len(got), err)
	}
}

func hintOf(err error) string {
	var ue *usererr.Error
	if errors.As(err, &ue) {
		return ue.Hint
	}
	return ""
}
