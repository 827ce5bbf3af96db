package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/target"
)

// writeSnapshot copies a snapshot the survey of the lab's legacy host wrote into dir,
// under name.
func writeSnapshot(t *testing.T, dir, name string) string {
	t.Helper()
	doc, err := os.ReadFile("../spec/testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A snapshot file is read as it is, whatever its name; a file that breaks a rule of
// the snapshot reader is said to be broken.
func TestLoadSnapshotFile(t *testing.T) {
	dir := t.TempDir()
	var tf TargetFlags
	for _, name := range []string{"old.json", "old.snapshot"} {
		got, stopped, err := tf.LoadPartial(context.Background(), writeSnapshot(t, dir, name))
		if err != nil || stopped != nil || got.Host.Hostname != "legacy" || got.Coverage[snapshot.SectionCron].Status != snapshot.Collected {
			t.Errorf("%s: %+v, %v, %v", name, got, stopped, err)
		}
	}
	p := filepath.Join(dir, "future.json")
	os.WriteFile(p, []byte(`{"schema_version": 99}`), 0o644)
	_, err := tf.Load(context.Background(), p)
	var ue *Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "schema version 99") {
		t.Errorf("%v, want the reader's user error", err)
	}
}

// A missing file is said to be missing, not taken for a host name.
func TestLoadMissingFile(t *testing.T) {
	t.Chdir(t.TempDir())
	var tf TargetFlags
	for _, arg := range []string{"/nonexistent/legacy.json", "legacy.json", "host.evidence", "./snap"} {
		_, err := tf.Load(context.Background(), arg)
		var ue *Error
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "no such file or directory") {
			t.Errorf("Load(%q) = %v, want 'no such file or directory'", arg, err)
		}
	}
}

// An evidence file cut short is surveyed, and says why it is incomplete.
func TestLoadCutEvidence(t *testing.T) {
	p := filepath.Join(t.TempDir(), "host.evidence")
	os.WriteFile(p, []byte("TROWEL-EVIDENCE/1 boundary=b\nprobe=0.1\n"), 0o644)
	var tf TargetFlags
	s, stopped, err := tf.LoadPartial(context.Background(), p)
	if err != nil || s == nil || stopped == nil || !strings.Contains(stopped.Error(), "end marker") {
		t.Errorf("%v, %v, %v", s != nil, stopped, err)
	}
}

func TestReadSnapshotTakesOnlySnapshots(t *testing.T) {
	dir := t.TempDir()
	if l, err := ReadSnapshot(context.Background(), writeSnapshot(t, dir, "old.json")); err != nil || l.Snap.Host.Hostname != "legacy" {
		t.Errorf("%v", err)
	}
	ev := filepath.Join(dir, "host.evidence")
	os.WriteFile(ev, []byte("TROWEL-EVIDENCE/1 boundary=b\n"), 0o644)
	for arg, want := range map[string]string{
		ev:      "is an evidence file, not a snapshot file",
		dir:     "is a directory (the root of a mounted disk), not a snapshot file",
		"local": "is this machine, not a snapshot file",
	} {
		_, err := ReadSnapshot(context.Background(), arg)
		var ue *Error
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, want) || !strings.Contains(ue.Hint, "trowel survey "+arg) {
			t.Errorf("%s: %v", arg, err)
		}
	}
}

type fakeStore map[string]*snapshot.Snapshot

func (f fakeStore) Resolve(_ context.Context, name string) (*snapshot.Snapshot, *store.SurveyInfo, error) {
	if s, ok := f[name]; ok {
		return s, &store.SurveyInfo{Host: "legacy", Seq: 2}, nil
	}
	return nil, nil, nil
}

// A store, when there is one, is asked before the name is read as a file or a host.
func TestStoredIsAskedFirst(t *testing.T) {
	dir := t.TempDir()
	file := writeSnapshot(t, dir, "legacy@2")
	t.Chdir(dir)
	stored := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "from-the-store"}}
	Stored = fakeStore{"legacy@2": stored}
	defer func() { Stored = nil }()
	var tf TargetFlags
	if l, err := tf.LoadFrom(context.Background(), "legacy@2"); err != nil || l.Snap != stored || l.Stored.Ref() != "legacy@2" || l.Describe("x") != "legacy@2" {
		t.Errorf("load: %+v, %v", l, err)
	}
	if l, err := ReadSnapshot(context.Background(), "legacy@2"); err != nil || l.Snap != stored {
		t.Errorf("read: %v, %v", l, err)
	}
	// A name the store does not hold is read as before.
	Stored = fakeStore{}
	if l, err := ReadSnapshot(context.Background(), file); err != nil || l.Snap.Host.Hostname != "legacy" || l.Stored != nil {
		t.Errorf("fallback: %v, %v", l, err)
	}
}

func TestCollectRefusesASnapshot(t *testing.T) {
	var tf TargetFlags
	_, err := tf.Collect(context.Background(), target.Target{Kind: target.Snapshot, Arg: "old.json"})
	var ue *Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "holds JSON, as a snapshot does, not evidence") {
		t.Errorf("%v", err)
	}
	if _, err := tf.Sampler(target.Target{Kind: target.Root, Arg: "/mnt/old"}, time.Hour); !errors.As(err, &ue) {
		t.Errorf("observing a disk: %v", err)
	}
}

// One path from an error to the exit code: the code an error carries, wrapped or not.
func TestReportExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		out  string
	}{
		{nil, ExitOK, ""},
		{&Error{Msg: "2 of 9 expectations failed", Code: ExitFindings}, ExitFindings, "trowel: 2 of 9 expectations failed\n"},
		{fmt.Errorf("diff: %w", &Error{Msg: "3 missing", Code: ExitFindings}), ExitFindings, "trowel: 3 missing\n"},
		{Errorf("Use --format md.", "unknown format %q", "x"), ExitError, "trowel: unknown format \"x\"\n  Use --format md.\n"},
		{&Error{Msg: "no code given"}, ExitError, "trowel: no code given\n"},
		{fmt.Errorf("dial: %w", &remote.UserError{Msg: "host key changed", Hint: "Check it.", Detail: "a\nb"}), ExitError,
			"trowel: host key changed\n  | a\n  | b\n  Check it.\n"},
		{errors.New("boom"), ExitError, "trowel: boom\n"},
	} {
		var out strings.Builder
		if code := Report(&out, tc.err); code != tc.code || out.String() != tc.out {
			t.Errorf("Report(%v) = %d %q, want %d %q", tc.err, code, out.String(), tc.code, tc.out)
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
