package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapfile"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/verify"
)

// storeWith makes a store holding the lab's legacy host (legacy.trowel.test) twice
// and two hosts that share the short name "web", and points TROWEL_STORE at it.
func storeWith(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "trowel.db")
	t.Setenv(store.Env, db)
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := snapfile.Read("../spec/testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.RecordSurvey(ctx, store.Survey{Snapshot: snap}); err != nil {
			t.Fatal(err)
		}
	}
	for _, fqdn := range []string{"web.a.example", "web.b.example"} {
		web := *snap
		web.Host.Hostname, web.Host.FQDN = "web", fqdn
		if _, err := s.RecordSurvey(ctx, store.Survey{Snapshot: &web}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// What a name is read as, with a store.
func TestSessionResolves(t *testing.T) {
	ctx := context.Background()
	storeWith(t)
	dir := t.TempDir()
	writeSnapshot(t, dir, "legacy") // a file named as a stored host
	t.Chdir(dir)
	var f StoreFlags
	var said strings.Builder
	s := f.Begin(&said)
	defer s.End(new(error))

	for _, c := range []struct {
		arg, ref string // ref "" when the store must not answer
		err      string
	}{
		{"legacy.trowel.test", "legacy.trowel.test@2", ""},
		{"legacy.trowel.test@1", "legacy.trowel.test@1", ""},
		{"LEGACY.trowel.test@2026-12-31", "legacy.trowel.test@2", ""},
		{"legacy", "", ""}, // the file wins
		{"local", "", ""},
		{"ssh://legacy.trowel.test", "", ""},
		{"admin@legacy.trowel.test", "", ""}, // user@host is an SSH destination
		{"nosuch", "", ""},                   // a host to survey
		{"nosuch@2", "", `no host "nosuch" in the store`},
		{"legacy.trowel.test@9", "", "has 2 surveys; there is no legacy.trowel.test@9"},
		{"web", "", `"web" matches 2 hosts in the store: web.a.example; web.b.example`},
	} {
		snap, info, err := s.Resolve(ctx, c.arg)
		switch {
		case c.err != "":
			var ue *Error
			if !errors.As(err, &ue) || ue.ExitCode() != ExitError || !strings.Contains(ue.Msg, c.err) || ue.Hint == "" {
				t.Errorf("%s: %v, want a user error saying %q", c.arg, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.arg, err)
		case c.ref == "" && snap != nil:
			t.Errorf("%s was read from the store as %s", c.arg, info.Ref())
		case c.ref != "" && (snap == nil || info.Ref() != c.ref):
			t.Errorf("%s: %v, want %s", c.arg, info, c.ref)
		}
	}
	if !strings.Contains(said.String(), "trowel: read legacy.trowel.test@1, surveyed ") {
		t.Errorf("what was read is not said:\n%s", said.String())
	}
}

// Without a store, only a stored survey's own name is an error; nothing is created.
func TestSessionWithoutAStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "none", "trowel.db")
	t.Setenv(store.Env, db)
	var f StoreFlags
	s := f.Begin(io.Discard)
	if snap, _, err := s.Resolve(ctx, "legacy"); snap != nil || err != nil {
		t.Errorf("legacy: %v %v", snap, err)
	}
	if _, _, err := s.Resolve(ctx, "legacy@2"); err == nil || !strings.Contains(err.Error(), "legacy@2 names a stored survey, and there is no store at "+db) {
		t.Errorf("legacy@2: %v", err)
	}
	// A document written from a file is audited only where a store is.
	snap, _ := snapfile.Read("../spec/testdata/legacy.json")
	s.Wrote(ctx, "report", "legacy.json", WroteTo("x.md"), Loaded{Snap: snap})
	s.Verified(ctx, verify.Result{Pass: 1}, "legacy.json", "spec.yaml", "1 passed", Loaded{Snap: snap})
	var err error
	s.End(&err)
	if err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Error("reading and writing files created a store")
	}
}

// With a store, what a command writes and verifies is recorded, tied to the
// host; with --no-store, nothing is.
func TestSessionRecords(t *testing.T) {
	ctx := context.Background()
	db := storeWith(t)
	snap, _ := snapfile.Read("../spec/testdata/legacy.json")
	for _, noStore := range []bool{true, false} {
		f := StoreFlags{NoStore: noStore}
		s := f.Begin(io.Discard)
		l, err := ReadSnapshot(ctx, "legacy.trowel.test@1")
		if err != nil {
			t.Fatal(err)
		}
		s.Wrote(ctx, "spec", "legacy.trowel.test@1", WroteTo(""), l)
		s.Wrote(ctx, "report", "legacy.json", WroteTo("legacy.md"), Loaded{Snap: snap}) // a file of a host the store knows
		s.Verified(ctx, verify.Result{Pass: 3, Fail: 1, Checks: []verify.Check{{ID: "port:80", Status: verify.Fail}}},
			"new.json", "legacy.trowel.test@1", "3 passed, 1 failed", l)
		var err2 error
		s.End(&err2)
		if err2 != nil {
			t.Fatal(err2)
		}
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, _ := st.AuditLog(ctx, store.AuditFilter{Host: "legacy.trowel.test"})
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+" "+e.Target+" "+e.Outcome)
		if e.Action == "spec" && e.Survey != 1 || e.Action == "report" && e.Survey != 0 {
			t.Errorf("entry tied to the wrong survey: %+v", e)
		}
	}
	want := []string{"verify new.json 3 passed, 1 failed", "report legacy.json wrote legacy.md", "spec legacy.trowel.test@1 wrote standard output",
		"survey root@10.231.0.10:22 ok", "survey root@10.231.0.10:22 ok"}
	if strings.Join(actions, "\n") != strings.Join(want, "\n") {
		t.Errorf("the audit trail (with --no-store adding nothing):\n%s\nwant\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}
	runs, _ := st.Verifications(ctx, "legacy.trowel.test", 0)
	if len(runs) != 1 || runs[0].Survey != 1 || runs[0].Against != "legacy.trowel.test@1" || runs[0].Failed != 1 {
		t.Errorf("verifications: %+v", runs)
	}
}

// A store that cannot be written is the command's error (exit 2) when it has
// none of its own.
func TestSessionEndSaysWhatWasNotRecorded(t *testing.T) {
	var said strings.Builder
	s := (&StoreFlags{}).Begin(&said)
	s.fail("the survey of x: disk full")
	var err error
	s.End(&err)
	var ue *Error
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, "not recorded in the store: the survey of x: disk full") {
		t.Errorf("%v", err)
	}
	s = (&StoreFlags{}).Begin(&said)
	s.fail("the verify of y: gone")
	err = &Error{Msg: "2 failed", Code: ExitFindings}
	s.End(&err)
	if err.(*Error).Code != ExitFindings || !strings.Contains(said.String(), "trowel: not recorded in the store: the verify of y: gone") {
		t.Errorf("%v / %s", err, said.String())
	}
	if Stored != nil {
		t.Error("End left the session as Stored")
	}
}

// Explain gives each failure the survey of many hosts meets one line of what to
// do, in the terms of its flags and the inventory's variables.
func TestExplain(t *testing.T) {
	for msg, want := range map[string]string{
		"host key for db2 is not known (ED25519 key SHA256:x)":     "--accept-new-host-key",
		"WARNING: THE HOST KEY FOR db2 HAS CHANGED.":               "do not accept it blindly",
		"could not log in as ops@db2:22: the server accepted none": "ansible_user",
		"no SSH answer from db2:22 within 15s":                     "--connect-timeout",
		"the run on db2 did not finish within the time limit (4s)": "--timeout",
		"db2 closed the connection during the SSH handshake":       "--parallel",
		"cannot connect to 10.0.0.9:22: connection refused":        "ansible_host, ansible_port",
		"the connection to db2 closed after 5 bytes of evidence":   "what arrived is recorded",
	} {
		problem, advice := Explain(&Error{Msg: msg + "\nmore detail", Hint: "the remote hint"})
		if problem != msg || !strings.Contains(advice, want) {
			t.Errorf("%s: %q, %q; want advice with %q", msg, problem, advice, want)
		}
	}
	if _, advice := Explain(&Error{Msg: "sudo on db2 rejected the password", Hint: "Check the password and re-run\nx"}); advice != "Check the password and re-run" {
		t.Errorf("default advice: %q", advice)
	}
}
