package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/verify"
)

func verifyResult(target string, pass, fail, skip int, message string) verify.Result {
	r := verify.Result{Target: target, Source: "legacy", Pass: pass, Fail: fail, Skip: skip}
	for range fail {
		r.Checks = append(r.Checks, verify.Check{ID: "port:80", Status: verify.Fail, Message: message})
	}
	return r
}

// A verify run is kept with its checks, tied to the survey it checked, listed
// newest first, and told in the audit trail; what the store does not know of the
// target leaves it untied, not refused.
func TestRecordVerification(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned(), WithScrub(func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(marker), []byte("<redacted>")) }))
		info := record(t, s, Survey{Snapshot: legacy(t)})

		first, err := s.RecordVerification(ctx, Verification{
			Result: verifyResult("legacy", 40, 2, 1, "expected a listener; mysql says password="+marker),
			Target: "ssh://root@legacy", Against: "legacy.spec.yaml", Host: info.Host, Survey: info.Seq, Operator: operator,
		})
		if err != nil {
			t.Fatal(err)
		}
		if first.Outcome != "40 passed, 2 failed, 1 skipped" || first.Host != info.Host || first.Survey != 1 {
			t.Errorf("recorded: %+v", first)
		}
		second, err := s.RecordVerification(ctx, Verification{
			Result: verifyResult("legacy", 43, 0, 0, ""), Target: "legacy@1", Against: "legacy.json", Host: info.Host,
			Outcome: "passed", Operator: operator,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordVerification(ctx, Verification{Result: verifyResult("new", 1, 0, 0, ""), Target: "new.json",
			Against: "legacy@1", Host: "not-in-the-store", Survey: 4, Operator: operator}); err != nil {
			t.Errorf("a host the store does not know: %v", err)
		}

		runs, err := s.Verifications(ctx, "legacy", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 2 || runs[0].ID != second.ID || runs[1].ID != first.ID || runs[0].Survey != 0 || runs[1].Survey != 1 ||
			runs[0].Operator.User != "ops" || runs[1].Against != "legacy.spec.yaml" {
			t.Errorf("runs: %s", mustJSON(t, runs))
		}
		if latest, _ := s.Verifications(ctx, "legacy", 1); len(latest) != 1 || latest[0].ID != second.ID {
			t.Errorf("the latest: %s", mustJSON(t, latest))
		}
		res, err := s.VerificationResult(ctx, runs[1])
		if err != nil {
			t.Fatal(err)
		}
		if res.Fail != 2 || len(res.Checks) != 2 || !strings.Contains(res.Checks[0].Message, "password=<redacted>") {
			t.Errorf("checks read back: %+v", res)
		}

		log, _ := s.AuditLog(ctx, AuditFilter{Host: "legacy"})
		if len(log) != 3 || log[0].Action != "verify" || log[0].Outcome != "passed" || log[1].Survey != 1 || log[1].Target != "ssh://root@legacy" {
			t.Errorf("audit: %s", mustJSON(t, log))
		}
		for _, table := range []string{"verifications", "audit"} {
			if dump := dumpTable(t, s, table); strings.Contains(dump, marker) {
				t.Errorf("%s holds the secret", table)
			}
		}
		for _, stmt := range []string{"UPDATE verifications SET failed = 0", "DELETE FROM verifications"} {
			if _, err := s.w.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", stmt, err)
			}
		}
	})
}

// An export is audited against the survey it was made from.
func TestAuditTiesASurvey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(...Option) *Store) {
		ctx := context.Background()
		s := open(pinned())
		info := record(t, s, Survey{Snapshot: legacy(t)})
		e, err := s.Audit(ctx, AuditEntry{Operator: operator, Action: "report", Target: "legacy", Host: info.Host, Survey: 1, Outcome: "wrote legacy.html"})
		if err != nil || e.Survey != 1 || e.Host != info.Host {
			t.Fatalf("%+v %v", e, err)
		}
		if e, _ := s.Audit(ctx, AuditEntry{Operator: operator, Action: "report", Target: "legacy@9", Host: info.Host, Survey: 9}); e.Survey != 0 || e.Host != info.Host {
			t.Errorf("a survey the host does not have: %+v", e)
		}
		log, _ := s.AuditLog(ctx, AuditFilter{Host: "legacy", Limit: 2})
		if len(log) != 2 || log[1].Survey != 1 || log[1].Action != "report" || log[0].Survey != 0 {
			t.Errorf("audit: %s", mustJSON(t, log))
		}
	})
}

// Step 2, the job queue, released after 3, is applied to a store that already
// has 3; a trowel without it meets such a store and refuses it, naming the step.
func TestMigrationReleasedLater(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.dsn(t)
			saved := migrations
			defer func() { migrations = saved }()
			var before []migration // the steps a trowel released before the queue had
			for _, m := range saved {
				if m.version != 2 {
					before = append(before, m)
				}
			}
			migrations = before
			s, err := Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()

			migrations = saved
			s, err = Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM jobs").Scan(&n); err != nil {
				t.Errorf("step 2 was not applied: %v", err)
			}
			applied, _ := appliedVersions(ctx, s.r)
			if len(applied) != len(saved) || !applied[2] {
				t.Errorf("applied %v", applied)
			}
			s.Close()

			migrations = before
			_, err = Open(ctx, dsn)
			var newer *NewerSchemaError
			if !errors.As(err, &newer) || !slices.Equal(newer.Unknown, []int{2}) ||
				!strings.Contains(err.Error(), "has step 2, which this trowel does not know") {
				t.Errorf("a store with an unknown step: %v", err)
			}
		})
	}
}
