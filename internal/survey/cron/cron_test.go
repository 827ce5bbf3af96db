package cron

import (
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

// The lab's legacy host: Debian cron started before /etc/localtime moved to Tokyo.
func TestSurveyStaleCrond(t *testing.T) {
	changed := time.Date(2026, 11, 21, 1, 30, 0, 0, time.UTC)
	started := changed.Add(-time.Hour)
	a := kittest.Archive(
		kittest.File("/etc/crontab", fixture(t, "legacy-crontab")),
		kittest.List("/etc/cron.d", "f\tredmine\nf\tbackup.sh\n"),
		kittest.File("/etc/cron.d/redmine", fixture(t, "legacy-cron.d-redmine")),
		kittest.File("/etc/cron.d/backup.sh", "0 1 * * * root /bin/true\n"),
		kittest.List("/etc/cron.daily", "f\tapache2\nf\tdpkg\n"),
		kittest.List("/var/spool/cron", "d\tcrontabs\n"),
		kittest.List("/var/spool/cron/crontabs", "f\troot\nf\tdeploy\n"),
		kittest.File("/var/spool/cron/crontabs/root", fixture(t, "legacy-spool-root")),
		kittest.File("/var/spool/cron/crontabs/deploy", fixture(t, "legacy-spool-deploy")),
		kittest.Failed(evidence.KindFile, "/etc/anacrontab", evidence.StatusAbsent, ""),
		kittest.List("/etc/cron.hourly", ""), kittest.List("/etc/cron.weekly", ""), kittest.List("/etc/cron.monthly", ""),
		kittest.Cmd("cron-exec", "_cronexec", "x\t/etc/cron.daily/apache2\n-\t/etc/cron.daily/dpkg\np\t/usr/local/sbin/backup-redmine.sh\n"),
	)
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, CollectedAt: time.Date(2026, 11, 21, 1, 36, 0, 0, time.UTC),
		OS: snapshot.OS{Family: "debian"},
		Time: snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed,
			StaleDaemons: []snapshot.StaleDaemon{{PID: 508, Command: "/usr/sbin/cron", Started: started}}}}
	in := kittest.Input(a, s)
	New().Survey(in)
	var backup, daily, skipped *snapshot.CronJob
	for i := range in.Snap.CronJobs {
		j := &in.Snap.CronJobs[i]
		switch {
		case j.Source == "/var/spool/cron/crontabs/root" && j.Line == 3:
			backup = j
		case j.Source == "/etc/cron.daily/dpkg":
			daily = j
		case j.Source == "/etc/cron.d/backup.sh":
			skipped = j
		}
	}
	if backup == nil || daily == nil || skipped == nil {
		t.Fatalf("jobs %+v", in.Snap.CronJobs)
	}
	if backup.Zone != "" || !strings.Contains(backup.ZoneNote, "restart crond") || backup.User != "root" || backup.MailTo != "ops@example.co.jp" {
		t.Errorf("backup %+v", backup)
	}
	if len(backup.NextRuns) != 5 || !backup.NextRuns[0].Equal(time.Date(2026, 11, 21, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("next runs %v", backup.NextRuns)
	}
	if len(backup.Scripts) != 1 || backup.Scripts[0] != "/usr/local/sbin/backup-redmine.sh" {
		t.Errorf("scripts %v", backup.Scripts)
	}
	if !daily.Disabled || !skipped.Disabled || !strings.Contains(skipped.Note, "Debian") {
		t.Errorf("daily %+v skipped %+v", daily, skipped)
	}
	if c := in.Snap.Coverage[snapshot.SectionCron]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
}

// Not root: the spool is denied, so the section is never "no jobs".
func TestSurveySpoolDenied(t *testing.T) {
	a := kittest.Archive(
		kittest.File("/etc/crontab", "17 * * * * root run-parts /etc/cron.hourly\n"),
		kittest.List("/var/spool/cron", "d\tcrontabs\n"),
		kittest.Failed(evidence.KindList, "/var/spool/cron/crontabs", evidence.StatusDenied, ""),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionCron]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "root only") || len(in.Snap.CronJobs) != 1 {
		t.Errorf("%+v %+v", c, in.Snap.CronJobs)
	}
}
