package verify

import (
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

const followLog = "/var/log/apache2/access.log"

var followWant = spec.Expectation{ID: "log_follow:logship:" + followLog, Body: spec.LogFollow{Name: "logship", Log: followLog}}

// position makes a shipper on the target that had read offset bytes of a log of
// size bytes, recording it at rec; the log was last written at mod.
func position(name string, running bool, offset, size int64, rec, mod time.Time) func(*snapshot.Snapshot) {
	return func(s *snapshot.Snapshot) {
		s.Logs.Shippers = append(s.Logs.Shippers, snapshot.LogShipper{Name: name, Running: snapshot.Bool(running),
			Inputs: []string{followLog},
			Positions: []snapshot.LogPosition{{Log: followLog, Offset: offset, Inode: 7, File: "/var/lib/" + name + "/access.pos",
				Recorded: &rec, LogBytes: &size, LogInode: 7, LogModified: &mod}}})
	}
}

func init() {
	now := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	kindCases = append(kindCases, kindCase{name: "a shipper keeps up with a log",
		want: followWant,
		// Another shipper than the source's will do: a migration may change it.
		pass:   position("fluent-bit", true, 4096, 4096, now, now),
		fail:   func(s *snapshot.Snapshot) {},
		inFail: "nothing on new ships /var/log/apache2/access.log"})
}

func TestLogFollowStuckAndUnknown(t *testing.T) {
	now := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	stuck := one(followWant, host(position("logship", true, 100, 4096, now.Add(-26*time.Hour), now)))
	if stuck.Status != Fail || !strings.Contains(stuck.Message, "stuck") || !strings.Contains(stuck.Message, "3996 bytes behind") ||
		!strings.Contains(stuck.Message, "2026-11-20T01:00:00Z") || len(stuck.Found) == 0 {
		t.Errorf("a running shipper whose position stopped a day ago: %+v", stuck)
	}
	catching := one(followWant, host(position("logship", true, 100, 4096, now, now.Add(-time.Second))))
	if catching.Status != Pass {
		t.Errorf("behind, but moved after the log's last write, is keeping up: %+v", catching)
	}
	stopped := one(followWant, host(position("logship", false, 4096, 4096, now, now)))
	if stopped.Status != Fail || !strings.Contains(stopped.Message, "nothing running on new ships") {
		t.Errorf("a stopped shipper: %+v", stopped)
	}
	blind := one(followWant, host(func(s *snapshot.Snapshot) {
		s.Logs.Shippers = []snapshot.LogShipper{{Name: "in-house", Running: snapshot.Bool(true), Inputs: []string{followLog}}}
	}))
	if blind.Status != Skipped || !strings.Contains(blind.Message, "cannot be told") {
		t.Errorf("a shipper that keeps no position: %+v", blind)
	}
}
