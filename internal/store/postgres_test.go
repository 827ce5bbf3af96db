package store

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/store/pgtest"
)

// operatorGrants are docs/store.md's grants for a team's operators: they record
// and read surveys, and can change nothing already recorded.
var operatorGrants = []string{
	"CREATE ROLE trowel_ops LOGIN",
	"GRANT SELECT ON schema_migrations TO trowel_ops",
	"GRANT SELECT, INSERT, UPDATE ON hosts TO trowel_ops",
	"GRANT SELECT, INSERT ON surveys, blobs, findings, audit, verifications TO trowel_ops",
	"GRANT SELECT, INSERT ON notes TO trowel_ops",
	"GRANT SELECT, INSERT, UPDATE ON survey_requests, jobs TO trowel_ops",
}

// Roles belong to the whole cluster, which the package's tests share.
var roleCount atomic.Int64

// TestPostgresOperatorRole: the owner migrates the store; operators with the
// documented grants record and read, and cannot rewrite history or the trail.
func TestPostgresOperatorRole(t *testing.T) {
	ctx := context.Background()
	ownerDSN := pgtest.DSN(t)
	owner, err := Open(ctx, ownerDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	role := fmt.Sprintf("trowel_ops_%d", roleCount.Add(1))
	for _, g := range operatorGrants {
		if _, err := owner.w.ExecContext(ctx, strings.ReplaceAll(g, "trowel_ops", role)); err != nil {
			t.Fatalf("%s: %v", g, err)
		}
	}

	opsDSN := strings.Replace(ownerDSN, "://trowel@", "://"+role+"@", 1)
	ops, err := Open(ctx, opsDSN)
	if err != nil {
		t.Fatalf("an operator opening a migrated store: %v", err)
	}
	defer ops.Close()
	record(t, ops, Survey{Snapshot: legacy(t)})
	record(t, ops, Survey{Snapshot: drifted(t), Inventory: Inventory{Name: "redmine-old", Group: "web"}})
	if _, _, err := ops.Resolve(ctx, "redmine-old@1"); err != nil {
		t.Error(err)
	}
	if _, err := ops.RecordVerification(ctx, Verification{Result: verifyResult("legacy", 1, 0, 0, ""), Target: "legacy", Against: "redmine-old@1",
		Host: "legacy.trowel.test", Survey: 1, Operator: operator}); err != nil {
		t.Errorf("an operator recording a verification: %v", err)
	}
	if _, err := ops.Audit(ctx, AuditEntry{Operator: operator, Action: "report", Target: "redmine-old", Host: "redmine-old", Survey: 1}); err != nil {
		t.Errorf("an operator auditing an export: %v", err)
	}
	if _, err := ops.AddNote(ctx, "redmine-old", "Moves with its database.", operator); err != nil {
		t.Errorf("an operator adding a note: %v", err)
	}
	// Operators queue requests, and work through them.
	if _, err := ops.Enqueue(ctx, Request{Operator: operator, MaxAttempts: 1, Jobs: []JobSpec{{Name: "web1", Target: "web1"}}}); err != nil {
		t.Errorf("an operator enqueueing: %v", err)
	}
	if jobs, err := ops.Claim(ctx, Worker{ID: "w", Operator: operator}, 1, time.Minute); err != nil || len(jobs) != 1 {
		t.Errorf("an operator's worker claiming: %v, %v", jobs, err)
	} else if _, err := ops.Complete(ctx, jobs[0], Survey{Snapshot: host("web1", "", recordedAt), Operator: operator}); err != nil {
		t.Errorf("an operator's worker recording: %v", err)
	}
	if log, err := ops.AuditLog(ctx, AuditFilter{}); err != nil || len(log) != 7 {
		t.Errorf("audit log: %v, %v", log, err)
	}
	for _, stmt := range []string{
		"UPDATE audit SET outcome = 'ok'", "DELETE FROM audit", "TRUNCATE audit CASCADE",
		"UPDATE verifications SET failed = 0", "DELETE FROM verifications",
		"UPDATE surveys SET os = 'x'", "DELETE FROM blobs", "DELETE FROM hosts", "UPDATE notes SET text = 'x'",
		"DELETE FROM jobs", "DELETE FROM survey_requests",
		"CREATE TABLE sneaky (x int)",
	} {
		if _, err := ops.w.ExecContext(ctx, stmt); err == nil {
			t.Errorf("an operator could %s", stmt)
		}
	}
}
