package ansible

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The cutover checks: what each vhost and the MTA answered on the source, and the
// zone cron fires in, said only when the source's crond had missed a zone change.
func TestCutoverChecks(t *testing.T) {
	titles := func(p *Project) string {
		var out []string
		for _, it := range p.Todo {
			if it.Section == "Check" {
				out = append(out, it.Title)
			}
		}
		return strings.Join(out, "\n")
	}
	s := legacyLab(t)
	got := titles(build(t, s, "debian-12"))
	for _, want := range []string{
		`redmine.example.co.jp:80/ answers 200 "Redmine"`,
		`redmine.example.co.jp:443/ answers 200 "Redmine"`,
		"The MTA on :25 accepts mail for postmaster@legacy.trowel.test (250)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no check %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "Cron jobs fire in") {
		t.Errorf("legacy's crond was restarted after the zone change, yet:\n%s", got)
	}
	s.Time.StaleDaemons = append(s.Time.StaleDaemons, snapshot.StaleDaemon{PID: 515, Command: "/usr/sbin/cron -f"})
	s.Answers = append(s.Answers, snapshot.Answer{Proto: "http", Host: "down.example", Port: 80, Error: "connection refused"})
	got = titles(build(t, s, "debian-12"))
	if !strings.Contains(got, "Cron jobs fire in Asia/Tokyo") {
		t.Errorf("a stale crond on the source is not said:\n%s", got)
	}
	if strings.Contains(got, "down.example") {
		t.Errorf("a vhost that did not answer on the source either is no check:\n%s", got)
	}
}
