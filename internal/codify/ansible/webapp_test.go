package ansible

import (
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// webapp's survey (the lab's second source shape) codified for debian-12: what
// its round trip on the lab showed, held here without the lab.
func TestWebappProject(t *testing.T) {
	p := build(t, snapshotFile(t, "testdata/webapp-lab.json"), "debian-12")
	entry := func(id string) ledger.Entry {
		t.Helper()
		e, ok := p.Ledger.Entry(id)
		if !ok {
			t.Fatalf("no ledger entry %s", id)
		}
		return e
	}
	var todo strings.Builder
	for _, it := range p.Todo {
		todo.WriteString(it.Title + "\n" + it.Detail + "\n")
	}
	for _, c := range []struct{ what, id string }{
		{"the site's timer is the timers role's", "timer:/etc/systemd/system/redmine-sync.timer"},
		{"postfix's instance comes with the mail role's postfix", "service:postfix@-"},
	} {
		if e := entry(c.id); e.Disposition != ledger.Carried {
			t.Errorf("%s: %s is %s (%s)", c.what, c.id, e.Disposition, e.Decide)
		}
	}
	if strings.Contains(todo.String(), "not carried by the cron role; move it by hand") && strings.Contains(todo.String(), "redmine-sync.timer") {
		t.Errorf("the checklist tells a person to move a timer the timers role carries")
	}
	// Dovecot was installed, stopped and disabled: its settings are left, and
	// nothing installs it (which would start it).
	if e := entry("setting:dovecot:listen"); e.Disposition != ledger.Left || e.Reason != ledger.Inactive {
		t.Errorf("an idle dovecot's setting: %+v", e)
	}
	for _, v := range p.Vars {
		if v.Name == "packages_install" && strings.Contains(strings.ToLower(Document("", M{{K: v.Name, V: v.Value}})), "dovecot") {
			t.Errorf("packages_install installs dovecot, which did not run on the source")
		}
	}
	// A mount under /run is the runtime's, not a filesystem to provide.
	if strings.Contains(todo.String(), "A filesystem mounted at /run/") {
		t.Errorf("the checklist asks for a filesystem under /run")
	}
	// No packet filter at all is known, not "not surveyed".
	if strings.Contains(todo.String(), "firewall is unknown") {
		t.Errorf("the checklist calls a host with no packet filter's firewall unknown")
	}
}

// A source package with an idle service and a running one is in use: systemd's
// networkd disabled and stopped beside a running journald leaves none of
// systemd's packages out.
func TestIdleSourceNeedsEveryServiceIdle(t *testing.T) {
	no, yes := snapshot.Bool(false), snapshot.Bool(true)
	s := &snapshot.Snapshot{OS: snapshot.OS{InitSystem: "systemd"}, Source: snapshot.Source{Kind: "ssh"},
		Packages: []snapshot.Package{
			{Name: "systemd", Source: "systemd"}, {Name: "systemd-sysv", Source: "systemd"},
			{Name: "dovecot-core", Source: "dovecot"}, {Name: "dovecot-imapd", Source: "dovecot"},
		},
		Services: []snapshot.Service{
			{Name: "systemd-networkd", Package: "systemd", Running: no, Enabled: no, EnabledState: "disabled"},
			{Name: "systemd-journald", Package: "systemd", Running: yes, Enabled: no, EnabledState: "static"},
			{Name: "dovecot", Package: "dovecot-core", Running: no, Enabled: no, EnabledState: "disabled"},
		}}
	b := &builder{s: s}
	for pkg, want := range map[string]string{"systemd-sysv": "", "dovecot-imapd": "dovecot"} {
		i := slices.IndexFunc(s.Packages, func(p snapshot.Package) bool { return p.Name == pkg })
		if got := b.idleSource(s.Packages[i]); got != want {
			t.Errorf("%s: idle source %q, want %q", pkg, got, want)
		}
	}
}
