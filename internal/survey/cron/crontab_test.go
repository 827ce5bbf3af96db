package cron

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLegacyRootSpool(t *testing.T) {
	es, err := ParseCrontab(fixture(t, "legacy-spool-root"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 6 {
		t.Fatalf("%d jobs: %+v", len(es), es)
	}
	if es[0].Schedule != "30 2 * * *" || es[0].Command != "/usr/local/sbin/backup-redmine.sh >/var/log/backup-redmine.log 2>&1" || es[0].Line != 3 {
		t.Errorf("first: %+v", es[0])
	}
	if !reflect.DeepEqual(es[0].Env, map[string]string{"MAILTO": "ops@example.co.jp"}) {
		t.Errorf("env %v", es[0].Env)
	}
	if es[2].Command != "tar czf /var/backups/etc-$(date +%a).tar.gz /etc 2>/dev/null" || es[2].Input != "" {
		t.Errorf(`\%% job: %q input %q`, es[2].Command, es[2].Input)
	}
	if es[4].Schedule != "@reboot" || es[4].Spec != nil {
		t.Errorf("reboot: %+v", es[4])
	}
	if es[5].Command != "/usr/sbin/sendmail ops@example.co.jp" || es[5].Input != "Subject: weekly ping from legacy\n\nlegacy is still alive\n" {
		t.Errorf("%% job: %q input %q", es[5].Command, es[5].Input)
	}
}

func TestLegacyDeployAndCronD(t *testing.T) {
	es, err := ParseCrontab(fixture(t, "legacy-spool-deploy"), false)
	if err != nil || len(es) != 2 {
		t.Fatalf("%v %+v", err, es)
	}
	if v, ok := es[0].Env["MAILTO"]; !ok || v != "" {
		t.Errorf(`MAILTO="" not read as empty: %q %v`, v, ok)
	}
	es, err = ParseCrontab(fixture(t, "legacy-cron.d-redmine"), true)
	if err != nil || len(es) != 2 {
		t.Fatalf("%v %+v", err, es)
	}
	if es[0].User != "www-data" || es[0].Command != "find /var/www/redmine/tmp -type f -mmin +60 -delete" || es[0].Env["SHELL"] != "/bin/sh" {
		t.Errorf("%+v", es[0])
	}
}

func TestInsightsSamples(t *testing.T) {
	es, err := ParseCrontab(fixture(t, "CRONTAB_DATA.txt"), false)
	// "* * * * * user_name /usr/local/bin/motd_update" is a valid spool job whose
	// command begins with user_name; CRON_TZ = Europe/France is an env line.
	if err != nil || len(es) != 4 {
		t.Fatalf("%v %d", err, len(es))
	}
	if es[2].Command != `/bin/mail -s "Foo has occurred" admin` || es[2].Input != "Foo has occurred, time to bail out" {
		t.Errorf("%q %q", es[2].Command, es[2].Input)
	}
	if _, err := ParseCrontab(fixture(t, "CRONTAB_BAD_DATA.txt"), false); err == nil {
		t.Error("bad data parsed cleanly")
	}
	if es, err := ParseCrontab(fixture(t, "CRONTAB_BAD_NICKNAME.txt"), false); err == nil || len(es) != 0 {
		t.Errorf("@huorly: %v %v", es, err)
	}
	es, err = ParseCrontab(fixture(t, "CRON_FILE_SAMPLE2.txt"), true)
	if err == nil || len(es) != 8 || es[7].Schedule != "@reboot" || es[7].User != "user1" {
		t.Errorf("sample2: %v %+v", err, es)
	}
	es, err = ParseCrontab(fixture(t, "CRON_FOREMAN_SAMPLE1.txt"), true)
	if err != nil || len(es) != 3 || es[0].Env["RAILS_ENV"] != "production" ||
		es[0].Command != `/usr/sbin/foreman-rake db:sessions:clear 2>&1 | gawk '{ print strftime("[%Y-%m-%d %H:%M:%S]"), $0 }' >>/var/log/foreman/cron.log` {
		t.Errorf("foreman: %v %+v", err, es)
	}
}

func TestEnvLine(t *testing.T) {
	for in, want := range map[string][2]string{
		`MAILTO=""`:                {"MAILTO", ""},
		`CRON_TZ = Europe/France`:  {"CRON_TZ", "Europe/France"},
		`PATH = "/bin:/usr/bin"  `: {"PATH", "/bin:/usr/bin"},
		`X='a b'`:                  {"X", "a b"},
		`FOO=bar baz  `:            {"FOO", "bar baz"},
	} {
		n, v, ok := ParseEnvLine(in)
		if !ok || n != want[0] || v != want[1] {
			t.Errorf("%q: %q %q %v", in, n, v, ok)
		}
	}
	for _, in := range []string{"*/5 * * * * a=b", "0 1 * * * FOO=1 cmd", "novalue"} {
		if _, _, ok := ParseEnvLine(in); ok {
			t.Errorf("%q read as env", in)
		}
	}
}

func TestRunParts(t *testing.T) {
	for _, c := range []struct {
		name   string
		debian bool
		want   bool
	}{{"logrotate", true, true}, {"backup.sh", true, false}, {"backup.sh", false, true}, {"x.rpmnew", false, false}, {"x~", false, false}, {".hidden", false, false}, {"0anacron", false, true}} {
		if got, _ := RunPartsRuns(c.name, c.debian); got != c.want {
			t.Errorf("%s debian=%v: %v", c.name, c.debian, got)
		}
	}
}

func TestAnacronAtqTimers(t *testing.T) {
	an, err := ParseAnacrontab("SHELL=/bin/sh\nRANDOM_DELAY=45\nSTART_HOURS_RANGE=3-22\n1\t5\tcron.daily\t\tnice run-parts /etc/cron.daily\n7 25 cron.weekly nice run-parts /etc/cron.weekly\n@monthly 45 cron.monthly nice run-parts /etc/cron.monthly\n")
	if err != nil || len(an) != 3 || an[0].Delay != 5 || an[0].JobID != "cron.daily" || an[0].Command != "nice run-parts /etc/cron.daily" || an[2].Period != "@monthly" || an[0].Env["START_HOURS_RANGE"] != "3-22" {
		t.Errorf("%v %+v", err, an)
	}
	at, err := ParseAtq("3\tSat Nov 21 12:00:00 2026 a root\n12\tMon Nov 23 09:00:00 2026 b deploy\n")
	if err != nil || len(at) != 2 || at[1].User != "deploy" || at[1].Queue != "b" || at[0].When != "Sat Nov 21 12:00:00 2026" {
		t.Errorf("%v %+v", err, at)
	}
	lt := "NEXT                        LEFT     LAST                        PASSED  UNIT                         ACTIVATES\n" +
		"Sun 2026-11-22 00:00:00 JST 13h left Sat 2026-11-21 00:00:00 JST 10h ago logrotate.timer              logrotate.service\n" +
		"n/a                         n/a      n/a                         n/a     foo.timer                    foo.service\n\n2 timers listed.\n"
	ts, err := ParseListTimers(lt)
	if err != nil || len(ts) != 2 || ts[0].Next != "Sun 2026-11-22 00:00:00 JST" || ts[0].Unit != "logrotate.timer" || ts[1].Next != "n/a" {
		t.Errorf("%v %+v", err, ts)
	}
	sched, unit := ParseTimerUnit("[Unit]\nDescription=x\n[Timer]\nOnCalendar=daily\nAccuracySec=1h\nOnBootSec=15min\nUnit=y.service\n")
	if unit != "y.service" || len(sched) != 2 || sched[0] != "OnCalendar=daily" {
		t.Errorf("%v %q", sched, unit)
	}
}
