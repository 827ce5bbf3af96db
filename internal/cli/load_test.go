package cli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestLoadSnapshotFile(t *testing.T) {
	dir := t.TempDir()
	s := &snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion, CollectedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Source: snapshot.Source{Kind: "ssh", Target: "old"}, Host: snapshot.Host{Hostname: "old"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionCron: {Status: snapshot.Denied, Reason: "not root"}}}
	s.Normalize()
	doc, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "old.json")
	if err := os.WriteFile(good, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	var tf TargetFlags
	got, err := tf.Load(context.Background(), good)
	if err != nil {
		t.Fatalf("load %s: %v", good, err)
	}
	if got.Host.Hostname != "old" || got.Coverage[snapshot.SectionCron].Status != snapshot.Denied {
		t.Errorf("loaded %+v", got)
	}

	for name, tc := range map[string]struct{ doc, want string }{
		"not-snapshot.json": {`{"hello": 1}`, "not a trowel snapshot"},
		"future.json":       {`{"schema_version": 99}`, "schema version 99"},
		"broken.json":       {`{"schema_version": 1,`, "not a valid snapshot"},
		"edited.json":       {`{"schema_version": 1, "packages": "many"}`, "does not match the snapshot schema"},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(tc.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := tf.Load(context.Background(), p)
		var ue *Error
		if !errors.As(err, &ue) || ue.Code != ExitError || !strings.Contains(ue.Msg, tc.want) {
			t.Errorf("%s: %v, want a user error saying %q", name, err, tc.want)
		}
	}
}

// A missing file is said to be missing, not taken for a host name.
func TestLoadMissingFile(t *testing.T) {
	var tf TargetFlags
	for _, arg := range []string{"/nonexistent/legacy.json", "legacy.json", "host.evidence", "./snap"} {
		_, err := tf.Load(context.Background(), arg)
		if err == nil || !strings.Contains(err.Error(), "no such file or directory") {
			t.Errorf("Load(%q) = %v, want 'no such file or directory'", arg, err)
		}
	}
}

func TestWriteOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.md")
	if err := WriteOutput(path, nil, func(w io.Writer) error { _, err := io.WriteString(w, "# doc\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "# doc\n" {
		t.Errorf("file holds %q", got)
	}
	var stdout strings.Builder
	if err := WriteOutput("", &stdout, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil || stdout.String() != "x" {
		t.Errorf("stdout: %q, %v", stdout.String(), err)
	}
	err := WriteOutput(filepath.Join(t.TempDir(), "no", "such", "dir", "out.md"), nil, func(io.Writer) error { return nil })
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != ExitError {
		t.Errorf("an uncreatable file: %v, want a user error with exit code 2", err)
	}
}
