package snapshot

import "testing"

// The one decision before a fact is called absent: the whole section read, or
// the source it would come from.
func TestSourceRead(t *testing.T) {
	partial := Coverage{Status: Partial, Reason: "timers: offline", Sources: []SourceCoverage{
		{Name: CronCrontabs, Status: Collected},
		{Name: CronPeriodic, Status: Partial, Reason: "/etc/cron.daily/x: permission denied"},
		{Name: CronTimers, Status: Unavailable, Reason: "offline"},
		{Name: CronAtq, Status: NotApplicable, Reason: "at is not installed"},
	}}
	for _, c := range []struct {
		cov    Coverage
		source string
		read   bool
		why    string
	}{
		{Coverage{Status: Collected}, CronTimers, true, ""},
		{Coverage{Status: NotApplicable}, "", true, ""},
		{Coverage{Status: Denied, Reason: "not root"}, CronCrontabs, false, "denied: not root"},
		{partial, CronCrontabs, true, ""},
		{partial, CronAtq, true, ""},
		{partial, CronPeriodic, false, "partial: /etc/cron.daily/x: permission denied"},
		{partial, CronTimers, false, "unavailable: offline"},
		{partial, "", false, "partial: timers: offline"},
		{partial, "somewhere else", false, "partial: timers: offline"},
		{Coverage{}, CronCrontabs, false, ""},
	} {
		read, why := c.cov.SourceRead(c.source)
		if read != c.read || why != c.why {
			t.Errorf("%s of %s: %v %q, want %v %q", c.source, c.cov.Status, read, why, c.read, c.why)
		}
	}
	var unread []string
	for _, s := range partial.Unread() {
		unread = append(unread, s.Name)
	}
	if len(unread) != 2 || unread[0] != CronPeriodic || unread[1] != CronTimers {
		t.Errorf("unread %v", unread)
	}
	if u := (Coverage{Status: Denied, Reason: "not root"}).Unread(); len(u) != 1 || u[0].Name != "" || u[0].Status != Denied {
		t.Errorf("a section of no sources, not read: %+v", u)
	}
}

// Every job names the source its place belongs to.
func TestCronSourceOf(t *testing.T) {
	for file, want := range map[string]string{
		"/etc/crontab": CronCrontabs, "/etc/crontab:12": CronCrontabs, "/etc/cron.d/redmine:3": CronCrontabs,
		"/var/spool/cron/deploy:1": CronCrontabs, "/var/spool/cron/crontabs/root:2": CronCrontabs,
		"/etc/cron.daily/logrotate": CronPeriodic, "/etc/cron.hourly/0anacron": CronPeriodic,
		"/etc/anacrontab": CronAnacrontab, "/etc/anacrontab:7": CronAnacrontab,
		"/lib/systemd/system/fstrim.timer": CronTimers, "apt-daily.timer": CronTimers,
		"atq job 12": CronAtq,
	} {
		if got := CronSourceOf(file); got != want {
			t.Errorf("%s: %s, want %s", file, got, want)
		}
	}
}

// Decided is what makes an absence an absence; Read, what makes a fact showable.
func TestStatusDecidedAndRead(t *testing.T) {
	for _, c := range []struct {
		st            Status
		decided, read bool
	}{
		{Collected, true, true},
		{NotApplicable, true, false},
		{Partial, false, true},
		{Unavailable, false, false},
		{Denied, false, false},
		{TimedOut, false, false},
		{Cut, false, false},
		{"", false, false},
	} {
		if got := c.st.Decided(); got != c.decided {
			t.Errorf("%q.Decided() = %v, want %v", c.st, got, c.decided)
		}
		if got := c.st.Read(); got != c.read {
			t.Errorf("%q.Read() = %v, want %v", c.st, got, c.read)
		}
	}
}
