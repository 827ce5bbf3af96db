package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A configured server stopped and disabled is named as such in the purpose,
// with why it matters, and raised as a finding; read offline the same host only
// says what starts at boot, and settings that could not be merged are not known,
// not "none differ".
func TestAStoppedServerIsSaidStopped(t *testing.T) {
	live := stoppedDovecot(t)
	md := string(render(t, live, "en", "md"))
	for _, want := range []string{
		"dovecot 2.3.13 is installed and configured, but stopped, and does not start at boot: it does nothing now, yet its package, its configuration and any firewall opening for it remain",
		"apache 2.4.62 serves redmine.example.co.jp on :80, :443",
		"- **State**: stopped, does not start at boot",
		"| dovecot | no (dead) | no (disabled) |",
		"`service.stopped-configured:dovecot`",
		"dovecot is stopped and not started at boot, but the firewall still opens tcp/993",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	if strings.Contains(md, "It runs the mail server dovecot") {
		t.Error("a stopped Dovecot is said to run")
	}
	var f analyze.Finding
	for _, x := range analyze.Analyze(live, "en") {
		if x.ID() == "service.stopped-configured:dovecot" {
			f = x
		}
	}
	if f.Severity != analyze.Low {
		t.Errorf("a stopped server with its firewall opening left is low, got %q", f.Severity)
	}

	s := stoppedDovecot(t)
	s.Source.Kind = "root"
	s.Coverage[snapshot.SectionDovecot] = snapshot.Coverage{Status: snapshot.Partial, Reason: "offline: doveconf cannot run, so the merged settings are unknown"}
	s.Middleware.Mail[1].Settings = nil
	md = string(render(t, s, "en", "md"))
	for _, want := range []string{
		"It was read from its disk offline: what runs there cannot be known, only what is set to start at boot.",
		"apache 2.4.62 is configured to serve redmine.example.co.jp on :80, :443 (starts at boot)",
		"The mail server dovecot 2.3.13 is installed and configured (does not start at boot)",
		"The disk was read offline: whether each runs is not known.",
		"| Service | At boot |",
		"Nothing found in what could be read: this part of the survey is partial (offline: doveconf cannot run, so the merged settings are unknown)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("read offline, the document lacks %q", want)
		}
	}
	for _, not := range []string{" serves ", "It runs", "- **Running**", "stopped"} {
		if strings.Contains(md, not) {
			t.Errorf("read offline, the document says %q", not)
		}
	}
	if strings.Contains(md, L("en", "none.settings")) {
		t.Error("read offline, Dovecot's settings that could not be merged read as none differing")
	}
}

// The services table leads with what runs, starts at boot, listens or has jobs;
// the init system's own units fold into one line (a collapsed block in HTML);
// masked and disabled services stay listed, and so do a failed unit, a unit a
// timer starts and a unit file the administrator wrote, whatever their names.
func TestStockUnitsFold(t *testing.T) {
	s := withInitUnits(stoppedDovecot(t))
	d := Handover(s, nil, "en")
	var tb *Table
	for _, b := range d.Sections[3].Blocks {
		tb, _ = b.(*Table)
	}
	if tb == nil || tb.Folded == nil {
		t.Fatal("no fold in the services table")
	}
	var folded, listed []string
	for _, r := range tb.Folded.Rows {
		folded = append(folded, r[0].Text)
	}
	for _, r := range tb.Rows {
		listed = append(listed, r[0].Text)
	}
	if got := strings.Join(folded, " "); got != "initrd-switch-root systemd-halt systemd-tmpfiles-setup systemd-networkd" {
		t.Errorf("folded: %s", got)
	}
	all := " " + strings.Join(listed, " ") + " "
	for _, name := range []string{"dbus", "dovecot", "systemd-udev-settle", "systemd-timesyncd", "backup", "systemd-nightly"} {
		if !strings.Contains(all, " "+name+" ") {
			t.Errorf("%s is not listed: %s", name, listed)
		}
	}
	if listed[0] != "apache2" || listed[len(listed)-1] != "systemd-nightly" {
		t.Errorf("listed: %s", listed)
	}
	var md, html bytes.Buffer
	if err := Markdown(&md, d); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&html, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "*Folded (4): units of the init system itself, started on demand, in the initramfs or at shutdown (static, initrd, halt, reboot)*: initrd-switch-root, systemd-halt, systemd-tmpfiles-setup, systemd-networkd") {
		t.Error("Markdown does not fold the stock units into one line")
	}
	if !strings.Contains(html.String(), `<details class="fold">`+"\n<summary>Folded (4)") || !strings.Contains(html.String(), "<td>systemd-halt</td>") {
		t.Error("HTML does not keep the stock units in a collapsed block")
	}
}

// withInitUnits adds to a snapshot the init system's own units, which fold, and
// units named or set like them that must stay listed: one that failed, one
// masked, one a timer starts, one whose unit file the administrator wrote.
func withInitUnits(s *snapshot.Snapshot) *snapshot.Snapshot {
	for _, u := range []snapshot.Service{
		{Name: "initrd-switch-root", EnabledState: "static"},
		{Name: "systemd-halt", EnabledState: "static"},
		{Name: "systemd-tmpfiles-setup", EnabledState: "static", Running: snapshot.Bool(true), State: "exited"},
		{Name: "systemd-networkd", EnabledState: "disabled"},
		{Name: "dbus", EnabledState: "static", Running: snapshot.Bool(true), State: "running"},
		{Name: "systemd-udev-settle", EnabledState: "static", Running: snapshot.Bool(false), State: "failed"},
		{Name: "systemd-timesyncd", EnabledState: "masked"},
		{Name: "backup", EnabledState: "static", Path: "/etc/systemd/system/backup.service"},
		{Name: "systemd-nightly", EnabledState: "static"},
	} {
		u.Init = "systemd"
		u.Enabled = snapshot.Bool(false)
		if u.Path == "" {
			u.Path = "/usr/lib/systemd/system/" + u.Name + ".service"
		}
		if u.Running == nil {
			u.Running = snapshot.Bool(false)
			u.State = "dead"
		}
		u.Evidence = []string{"cmd:systemctl-show"}
		s.Services = append(s.Services, u)
	}
	s.CronJobs = append(s.CronJobs, snapshot.CronJob{Kind: "timer", Source: "/usr/lib/systemd/system/systemd-nightly.timer",
		User: "root", Schedule: "OnCalendar=daily", Command: "systemd-nightly.service", Evidence: "cmd:systemctl-list-timers"})
	return s
}
