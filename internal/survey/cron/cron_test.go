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

// A timer's job runs as its service's User=, root only when the service names none.
func TestTimerRunsAsItsServicesUser(t *testing.T) {
	lt := "NEXT                        LEFT     LAST                        PASSED  UNIT                         ACTIVATES\n" +
		"Sun 2026-11-22 00:00:00 JST 13h left Sat 2026-11-21 00:00:00 JST 10h ago redmine-sync.timer           redmine-sync.service\n" +
		"Sun 2026-11-22 00:00:00 JST 13h left Sat 2026-11-21 00:00:00 JST 10h ago logrotate.timer              logrotate.service\n\n2 timers listed.\n"
	a := kittest.Archive(
		kittest.Cmd("systemctl-list-timers", "systemctl list-timers --all --no-pager", lt),
		kittest.File("/etc/systemd/system/redmine-sync.timer", "[Timer]\nOnCalendar=*:0/30\n"),
		// systemd prints a unit's properties in its own order: User= may come first.
		kittest.Cmd("timer-services", "", "User=redmine\nId=redmine-sync.service\n\nId=logrotate.service\nUser=\n"),
	)
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, OS: snapshot.OS{Family: "debian"}, Time: snapshot.Clock{Zone: "Asia/Tokyo"}}
	in := kittest.Input(a, s)
	New().Survey(in)
	users := map[string]string{}
	for _, j := range in.Snap.CronJobs {
		if j.Kind == "timer" {
			users[j.Command] = j.User
		}
	}
	if users["redmine-sync.service"] != "redmine" || users["logrotate.service"] != "root" {
		t.Errorf("timer users %v", users)
	}
	// Without the services' answer the user is not claimed silently.
	in = kittest.Input(kittest.Archive(kittest.Cmd("systemctl-list-timers", "", lt)), &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, OS: snapshot.OS{Family: "debian"}})
	New().Survey(in)
	for _, j := range in.Snap.CronJobs {
		if j.Kind == "timer" && !strings.Contains(j.Note, "unless its service sets User=") {
			t.Errorf("%s: user %q said without reading its service: %+v", j.Source, j.User, j)
		}
	}
}
