package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNotes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		clock := recordedAt
		s := open(WithClock(func() time.Time { clock = clock.Add(time.Minute); return clock }),
			WithScrub(func(b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "hunter2", "<redacted>")) }))
		record(t, s, Survey{Snapshot: legacy(t)})
		web := Operator{User: "aiko", Host: "192.0.2.7", TrowelVersion: "0.1.0-test", Command: "trowel serve: POST /hosts/legacy.trowel.test/notes"}

		first, err := s.AddNote(ctx, "legacy.trowel.test", "  Moves in wave 2, with its database.\r\n", web)
		if err != nil {
			t.Fatal(err)
		}
		if first.Text != "Moves in wave 2, with its database." || first.Host != "legacy.trowel.test" || first.Operator != web {
			t.Errorf("note: %+v", first)
		}
		if _, err := s.AddNote(ctx, "LEGACY.trowel.test", "The admin password was hunter2.", web); err != nil {
			t.Fatal(err)
		}
		notes, err := s.Notes(ctx, "legacy", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 2 || notes[0].Text != "The admin password was <redacted>." || notes[1].ID != first.ID ||
			!notes[0].At.After(notes[1].At) || notes[0].Operator != web || notes[0].Host != "legacy.trowel.test" {
			t.Errorf("notes, newest first: %s", mustJSON(t, notes))
		}
		if one, _ := s.Notes(ctx, "legacy", 1); len(one) != 1 || one[0].ID == first.ID {
			t.Errorf("the newest note: %s", mustJSON(t, one))
		}

		// Each note is in the audit trail, tied to the host.
		log, err := s.AuditLog(ctx, AuditFilter{Host: "legacy"})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 3 || log[0].Action != "note" || log[0].Host != "legacy.trowel.test" || log[0].Operator != web {
			t.Errorf("audit trail: %s", mustJSON(t, log))
		}

		for _, c := range []struct {
			host, text string
			want       func(error) bool
		}{
			{"legacy.trowel.test", " \n ", func(err error) bool { return errors.Is(err, ErrEmptyNote) }},
			{"legacy.trowel.test", strings.Repeat("あ", MaxNote+1), func(err error) bool { return errors.Is(err, ErrLongNote) }},
			{"legacy.trowel.test", "bad \xff", func(err error) bool { return err != nil }},
			{"nowhere", "a note", isNotFound},
		} {
			if _, err := s.AddNote(ctx, c.host, c.text, web); !c.want(err) {
				t.Errorf("AddNote(%q, %.20q): %v", c.host, c.text, err)
			}
		}
		if after, _ := s.Notes(ctx, "legacy", 0); len(after) != 2 {
			t.Errorf("a refused note was kept: %s", mustJSON(t, after))
		}

		for _, stmt := range []string{"UPDATE notes SET text = 'x'", "DELETE FROM notes"} {
			if _, err := s.w.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", stmt, err)
			}
		}
	})
}

func TestMarkMovesWithSurveys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		mark := func() string {
			t.Helper()
			m, err := s.Mark(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		empty := mark()
		record(t, s, Survey{Snapshot: legacy(t)})
		one := mark()
		if _, err := s.AddNote(ctx, "legacy.trowel.test", "a note", operator); err != nil {
			t.Fatal(err)
		}
		if mark() != one {
			t.Error("a note moved the mark: only surveys do")
		}
		record(t, s, Survey{Snapshot: drifted(t), Inventory: Inventory{Name: "redmine-old", Group: "web"}})
		if two := mark(); empty == one || one == two || two == empty {
			t.Errorf("marks %q, %q, %q: each survey must move it", empty, one, two)
		}
	})
}
