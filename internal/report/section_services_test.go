package report

import (
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A pid or lock file's hint is said in the document's language, from its facts:
// the snapshot's own sentence is English.
func TestHintsInTheDocumentsLanguage(t *testing.T) {
	s := legacySnapshot(t)
	written := time.Date(2015, 3, 1, 12, 0, 0, 0, time.UTC)
	s.Hints = []snapshot.Hint{
		{Kind: "pid_file", Path: "/var/run/mysqld/mysqld.pid", PID: 2101, Written: &written, Service: "mysqld", Says: "the pid file says mysqld ran"},
		{Kind: "lock_file", Path: "/var/lock/subsys/httpd", Service: "httpd", Says: "the lock file says httpd was started"},
	}
	ja := string(render(t, s, "ja", "md"))
	for _, want := range []string{"mysqld が pid 2101 で動いていたと記録 (書き込み 2015-03-01 12:00 UTC)", "init スクリプトが httpd を起動し"} {
		if !strings.Contains(ja, want) {
			t.Errorf("Japanese report lacks %q", want)
		}
	}
	if strings.Contains(ja, "the pid file says") || strings.Contains(ja, "the lock file says") {
		t.Error("the snapshot's English hint is in the Japanese report")
	}
	if en := string(render(t, s, "en", "md")); !strings.Contains(en, "says mysqld ran as pid 2101 (written 2015-03-01 12:00 UTC)") {
		t.Error("English report lacks the pid file's hint")
	}
}
