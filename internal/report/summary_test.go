package report

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func TestSummarySaysWhatCouldNotBeRead(t *testing.T) {
	s := &snapshot.Snapshot{
		Source:    snapshot.Source{Kind: "ssh", Target: "legacy", User: "alice"},
		OS:        snapshot.OS{PrettyName: "CentOS release 5.11 (Final)"},
		CronJobs:  []snapshot.CronJob{{Source: "/etc/crontab", Schedule: "@daily", Command: "x"}},
		Time:      snapshot.Clock{Zone: "Asia/Tokyo", StaleDaemons: []snapshot.StaleDaemon{{PID: 1}}},
		EndOfLife: []snapshot.EndOfLife{{Product: "centos", Cycle: "5", EOL: "2017-03-31", Status: "eol", Of: "os"}},
		Coverage: map[snapshot.Section]snapshot.Coverage{
			snapshot.SectionCron:    {Status: snapshot.Partial, Reason: "/var/spool/cron: permission denied"},
			snapshot.SectionSudo:    {Status: snapshot.Denied, Reason: "/etc/sudoers: permission denied"},
			snapshot.SectionTime:    {Status: snapshot.Collected},
			snapshot.SectionEOL:     {Status: snapshot.Collected},
			snapshot.SectionBackups: {Status: snapshot.Collected},
			snapshot.SectionNginx:   {Status: snapshot.NotApplicable},
		},
	}
	var b strings.Builder
	Summary(&b, s)
	out := b.String()
	for _, want := range []string{
		"unprivileged: root-only facts are missing",
		"cron               partial        1 jobs",
		"↳ /var/spool/cron: permission denied",
		"sudo               denied         -",
		"↳ /etc/sudoers: permission denied",
		"Asia/Tokyo, 1 daemons started before the zone changed",
		"centos 5 ended 2017-03-31",
		"backups            collected      no backup found",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "nginx") {
		t.Errorf("a section that does not apply is listed:\n%s", out)
	}
}
