package probe

import "testing"

func TestEveryPlanStepHasADomain(t *testing.T) {
	for _, st := range Plan {
		if st.Domain == "" {
			t.Errorf("step %+v has no domain", st)
		}
	}
}

func TestDomainOfItems(t *testing.T) {
	for _, c := range []struct{ kind, name, want string }{
		{"cmd", "rpm-qa", "foundation"},
		{"cmd", "files-dpkg-content", "files"},
		{"file", "/etc/crontab", "cron"},
		{"file", "/etc/httpd/conf.d/ssl.conf", "web"},
		{"file", "/etc/postgresql/15/main/postgresql.conf", "data"}, // the second pattern of a glob
		{"file", "/etc/sudoers.d/admins", "accounts"},
		{"file", "/home/alice/.ssh/authorized_keys", "accounts"},
		{"list", "/etc/rc3.d", "foundation"},
		{"list", "/etc/logrotate.d", "logs"},
		{"file", "/etc/not-in-the-plan", ""},
		{"cmd", "no-such-step", ""},
		{"meta", "source", ""},
	} {
		if got := DomainOf(c.kind, c.name); got != c.want {
			t.Errorf("DomainOf(%s, %s) = %q, want %q", c.kind, c.name, got, c.want)
		}
	}
}
