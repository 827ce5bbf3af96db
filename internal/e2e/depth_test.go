package e2e

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestLegacyHostInDepth is issue 3's "done when", asserted on the lab's legacy host
// surveyed over SSH as root: every cron job with its real firing zone, every
// account with sudo or keys, the configs the lab edited, the log shipper and its
// destination, the outbound mail relay, the middleware the lab runs, the end-of-life
// verdict; every fact cites evidence, and no section is left without a surveyor.
// What the lab plants is in lab/roles/redmine.sh.
func TestLegacyHostInDepth(t *testing.T) {
	lab := labtest.Require(t)
	legacy := lab.Hosts["legacy"]
	s := surveySSH(t, sshOptions(lab, legacy.URL("root")))

	t.Run("every section has a surveyor and a verdict", func(t *testing.T) {
		for _, sec := range snapshot.Sections {
			c, ok := s.Coverage[sec]
			if !ok || strings.Contains(c.Reason, "no surveyor") {
				t.Errorf("section %s: no surveyor spoke for it (%+v)", sec, c)
			}
		}
		// What the legacy host runs is collected, not merely attempted.
		for _, sec := range []snapshot.Section{
			snapshot.SectionTime, snapshot.SectionCron, snapshot.SectionAccounts, snapshot.SectionSudo,
			snapshot.SectionKeys, snapshot.SectionFiles, snapshot.SectionNetwork, snapshot.SectionConns,
			snapshot.SectionStorage, snapshot.SectionShippers, snapshot.SectionApache, snapshot.SectionMySQL,
			snapshot.SectionPostfix, snapshot.SectionCertificates, snapshot.SectionBackups, snapshot.SectionEOL,
		} {
			if c := s.Coverage[sec]; c.Status != snapshot.Collected && c.Status != snapshot.Partial {
				t.Errorf("section %s: %s (%s)", sec, c.Status, c.Reason)
			}
		}
		// And what it does not run is proven absent, not left unknown.
		for _, sec := range []snapshot.Section{snapshot.SectionNginx, snapshot.SectionPostgreSQL, snapshot.SectionDovecot, snapshot.SectionDocker, snapshot.SectionRedis, snapshot.SectionMemcached} {
			if c := s.Coverage[sec]; c.Status != snapshot.NotApplicable {
				t.Errorf("section %s: %s (%s), want not_applicable", sec, c.Status, c.Reason)
			}
		}
	})

	t.Run("time: the zone changed under running daemons, crond restarted", func(t *testing.T) {
		if s.Time.Zone != "Asia/Tokyo" {
			t.Errorf("zone = %q, want Asia/Tokyo", s.Time.Zone)
		}
		if s.Time.LocaltimeChanged == nil {
			t.Fatal("the last change of /etc/localtime is unknown")
		}
		var stale []string
		for _, d := range s.Time.StaleDaemons {
			stale = append(stale, d.Command)
		}
		// The lab restarts cron after the switch and nothing else
		// (lab/roles/redmine.sh): the others still run in UTC, crond does not.
		if !containsWith(stale, "rsyslogd") || !containsWith(stale, "apache2") {
			t.Errorf("daemons started before the zone change are not reported; stale daemons: %q", stale)
		}
		if containsWith(stale, "cron") {
			t.Errorf("crond was restarted after the zone change, yet reported stale: %q", stale)
		}
	})

	t.Run("cron: every planted job with its real firing zone", func(t *testing.T) {
		want := map[string]string{ // source:line -> a piece of the command
			"/etc/cron.d/redmine:5":             "find /var/www/redmine/tmp",
			"/etc/cron.d/redmine:6":             "rotate-attachments.sh",
			"/var/spool/cron/crontabs/root:3":   "backup-redmine.sh",
			"/var/spool/cron/crontabs/root:4":   "find /var/backups/redmine",
			"/var/spool/cron/crontabs/root:5":   "tar czf /var/backups/etc-",
			"/var/spool/cron/crontabs/root:6":   "check-redmine.sh",
			"/var/spool/cron/crontabs/root:7":   "legacy booted at",
			"/var/spool/cron/crontabs/root:8":   "/usr/sbin/sendmail ops@example.co.jp",
			"/var/spool/cron/crontabs/deploy:2": "worker.sh",
			"/var/spool/cron/crontabs/deploy:3": "sync-uploads.sh",
		}
		got := map[string]snapshot.CronJob{}
		for _, j := range s.CronJobs {
			got[fmt.Sprintf("%s:%d", j.Source, j.Line)] = j
			if j.Evidence == "" {
				t.Errorf("job %s:%d cites no evidence", j.Source, j.Line)
			}
		}
		for ref, cmd := range want {
			j, ok := got[ref]
			if !ok {
				t.Errorf("job %s (%s) not found", ref, cmd)
				continue
			}
			if !strings.Contains(j.Command, cmd) {
				t.Errorf("job %s command = %q, want it to contain %q", ref, j.Command, cmd)
			}
			// crond was restarted after the zone change: the jobs fire in Asia/Tokyo.
			// (The replica's stale crond: TestReplicaCronFiresInTheOldZone.)
			if j.Zone != "Asia/Tokyo" {
				t.Errorf("job %s: zone %q (note %q), want Asia/Tokyo", ref, j.Zone, j.ZoneNote)
			}
		}
		if j := got["/var/spool/cron/crontabs/root:3"]; j.User != "root" || j.MailTo != "ops@example.co.jp" || len(j.NextRuns) == 0 {
			t.Errorf("root's backup job: user %q, mail to %q, next runs %v", j.User, j.MailTo, j.NextRuns)
		}
		if j := got["/etc/cron.d/redmine:6"]; j.User != "www-data" || j.MailTo != "redmine-admin@example.co.jp" {
			t.Errorf("cron.d job: user %q, mail to %q", j.User, j.MailTo)
		}
		if j := got["/var/spool/cron/crontabs/root:8"]; !strings.Contains(j.Input, "weekly ping from legacy") || strings.Contains(j.Command, "%") {
			t.Errorf("%% handling: command %q, input %q", j.Command, j.Input)
		}
		if j := got["/var/spool/cron/crontabs/root:5"]; !strings.Contains(j.Command, "%a") {
			t.Errorf(`an escaped \%% must stay a %% in the command: %q`, j.Command)
		}
		if j := got["/var/spool/cron/crontabs/deploy:2"]; j.Schedule != "@reboot" || len(j.NextRuns) != 0 {
			t.Errorf("@reboot job: schedule %q, next runs %v", j.Schedule, j.NextRuns)
		}
	})

	t.Run("accounts: sudo and keys", func(t *testing.T) {
		users := map[string]snapshot.User{}
		for _, u := range s.Accounts.Users {
			users[u.Name] = u
			if len(u.Evidence) == 0 {
				t.Errorf("user %s cites no evidence", u.Name)
			}
		}
		if !hasRule(users["deploy"].Sudo, true) {
			t.Errorf("deploy: NOPASSWD sudo not found: %+v", users["deploy"].Sudo)
		}
		ops := users["ops"].Sudo
		if !hasRule(ops, false) || !strings.Contains(strings.Join(ops[0].Defaults, " "), "requiretty") {
			t.Errorf("ops: password sudo with requiretty not found: %+v", ops)
		}
		if len(users["alice"].Sudo) != 0 {
			t.Errorf("alice has no sudo rights, got %+v", users["alice"].Sudo)
		}
		for _, name := range []string{"deploy", "ops", "alice"} {
			if users[name].Kind != "human" {
				t.Errorf("%s kind = %q, want human", name, users[name].Kind)
			}
		}
		if users["www-data"].Kind == "human" || users["mysql"].Kind == "human" {
			t.Errorf("service accounts taken for people: www-data %q, mysql %q", users["www-data"].Kind, users["mysql"].Kind)
		}
		var orphan *snapshot.AuthorizedKey
		for i, k := range users["root"].Keys {
			if k.Fingerprint == legacy.Planted["orphan_root_key_fingerprint"] {
				orphan = &users["root"].Keys[i]
			}
		}
		if orphan == nil || orphan.Comment != "contractor@old-jenkins" || orphan.Type != "ssh-rsa" {
			t.Errorf("the orphan key %s is not among root's keys: %+v", legacy.Planted["orphan_root_key_fingerprint"], users["root"].Keys)
		}
	})

	t.Run("files: the configs the lab edited", func(t *testing.T) {
		got := map[string]snapshot.ConfigFile{}
		for _, f := range s.Files.Configs {
			got[f.Path] = f
		}
		// Debian's maintainer scripts write sshd_config, main.cf and aliases, so no
		// package lists them: main.cf comes out unowned, with the script that made
		// it; sshd_config, which ucf manages for openssh-server, modified from what
		// ucf installed.
		for path, state := range map[string]string{
			"/etc/ssh/sshd_config":                      "modified",
			"/etc/postfix/main.cf":                      "unowned",
			"/etc/apache2/conf-available/security.conf": "modified",
			"/etc/mysql/mariadb.conf.d/50-server.cnf":   "modified",
			"/etc/rsyslog.conf":                         "modified",
			"/etc/apache2/sites-available/redmine.conf": "unowned",
			"/etc/logship.conf":                         "unowned",
			"/etc/rsyslog.d/60-forward.conf":            "unowned",
			"/etc/cron.d/redmine":                       "unowned",
			"/etc/sudoers.d/deploy":                     "unowned",
			"/etc/ssh/sshd_config_legacy":               "unowned",
		} {
			f, ok := got[path]
			if !ok {
				t.Errorf("%s (%s) not reported", path, state)
				continue
			}
			if f.State != state {
				t.Errorf("%s: state %q, want %q", path, f.State, state)
			}
		}
		if f := got["/etc/ssh/sshd_config"]; f.Package != "openssh-server" || f.Writer == nil || f.Writer.Script != "ucf" {
			t.Errorf("sshd_config: ucf and its package are not named: %q %+v", f.Package, f.Writer)
		}
		// The lab's edit, against ucf's copy of what openssh-server's script wrote.
		if f := got["/etc/ssh/sshd_config"]; f.Baseline == nil || f.Baseline.Kind != "ucf-cache" || !f.Baseline.Exact ||
			!slices.Contains(f.Settings, snapshot.SettingChange{Key: "PermitRootLogin", Change: "changed", Was: "prohibit-password", Now: "yes", WasCommented: true, Line: settingLine(f, "PermitRootLogin")}) {
			t.Errorf("sshd_config: baseline %+v, settings %+v", f.Baseline, f.Settings)
		}
		if f := got["/etc/ssl/private/redmine.example.co.jp.key"]; f.Content != "" {
			t.Error("a private key's content was collected")
		}
		if f := got["/etc/ssh/sshd_config"]; !strings.Contains(f.Content, "PermitRootLogin yes") {
			t.Errorf("sshd_config content not kept for templating (note %q)", f.ContentNote)
		}
		// Nothing the lab did not touch: every modified file is one it edited.
		edited := map[string]bool{
			"/etc/ssh/sshd_config": true, "/etc/apache2/conf-available/security.conf": true,
			"/etc/mysql/mariadb.conf.d/50-server.cnf": true, "/etc/rsyslog.conf": true,
			"/etc/fstab": true, "/etc/aliases": true, "/etc/motd": true, "/etc/hosts": true,
			"/etc/sysctl.conf": true,
		}
		for _, f := range s.Files.Configs {
			if f.State == "modified" && !edited[f.Path] {
				t.Errorf("%s reported modified, but the lab did not edit it", f.Path)
			}
			if f.State == "unowned" && !labWrote(f.Path) {
				t.Errorf("%s reported as owned by no package, but the lab did not write it", f.Path)
			}
		}
	})

	t.Run("network: outbound dependencies by name", func(t *testing.T) {
		conns := map[int]snapshot.Connection{}
		for _, c := range s.Network.Connections {
			if c.RemoteAddress == "10.231.0.40" {
				conns[c.RemotePort] = c
			}
		}
		if c := conns[24224]; !strings.Contains(c.Process, "logship") && c.Service != "logship" {
			t.Errorf("no connection from logship to the collector's 24224: %+v", c)
		}
		if c := conns[514]; !strings.Contains(c.Process, "rsyslog") {
			t.Errorf("no connection from rsyslogd to the collector's 514: %+v", c)
		}
		if c := conns[24224]; !containsWith(c.RemoteNames, "loghost") {
			t.Errorf("the collector's /etc/hosts names are not on its connection: %+v", c.RemoteNames)
		}
		var relayLine bool
		for _, h := range s.Network.Hosts {
			relayLine = relayLine || (h.Address == "10.231.0.40" && containsWith(h.Names, "mailrelay.example.co.jp"))
		}
		if !relayLine {
			t.Error("the /etc/hosts line naming the mail relay is missing")
		}
	})

	t.Run("logs: the shippers and where they send", func(t *testing.T) {
		dest := map[string][]string{}
		for _, sh := range s.Logs.Shippers {
			for _, d := range sh.Destinations {
				dest[sh.Name] = append(dest[sh.Name], fmt.Sprintf("%s:%d", d.Host, d.Port))
			}
		}
		if !containsWith(dest["logship"], "10.231.0.40:24224") {
			t.Errorf("logship's destination not found; shippers: %v", dest)
		}
		if !containsWith(dest["rsyslog"], "10.231.0.40:514") {
			t.Errorf("rsyslog's forwarding not found; shippers: %v", dest)
		}
	})

	t.Run("middleware the lab runs", func(t *testing.T) {
		mw := s.Middleware
		var vhosts, legacyDirectives []string
		for _, w := range mw.WebServers {
			for _, v := range w.VHosts {
				vhosts = append(vhosts, v.ServerName+" "+v.Listen+" "+v.DocumentRoot)
			}
			for _, d := range w.Legacy {
				legacyDirectives = append(legacyDirectives, d.Name+"@"+d.Source)
			}
		}
		if !containsWith(vhosts, "redmine.example.co.jp *:80 /var/www/redmine/public") || !containsWith(vhosts, "redmine.example.co.jp *:443") {
			t.Errorf("vhosts: %q", vhosts)
		}
		for _, d := range []string{"Order@", "Allow@", "Deny@"} {
			if !containsWith(legacyDirectives, d) || !containsWith(legacyDirectives, "redmine.conf:") {
				t.Errorf("Apache 2.2 directive %s with its file:line not found: %q", strings.TrimSuffix(d, "@"), legacyDirectives)
			}
		}
		var db *snapshot.Database
		for i := range mw.Databases {
			db = &mw.Databases[i]
		}
		if db == nil || db.Kind != "mariadb" || db.Bind != "0.0.0.0" || db.Port != 3306 || !hasSchema(db.Databases, "redmine") {
			t.Errorf("MariaDB: %+v", db)
		}
		var relay string
		for _, m := range mw.Mail {
			if m.Kind == "postfix" {
				relay = m.Relayhost
			}
		}
		if relay != legacy.Planted["relayhost"] {
			t.Errorf("postfix relayhost = %q, want %q", relay, legacy.Planted["relayhost"])
		}
		var apps []string
		for _, a := range mw.Apps {
			apps = append(apps, a.Name+" @ "+a.Path)
		}
		if !containsWith(apps, "Redmine 4.2.11") {
			t.Errorf("the Redmine app is not named: %q", apps)
		}
		var cert *snapshot.Certificate
		for i, c := range mw.Certificates {
			if strings.Contains(c.Subject, "redmine.example.co.jp") {
				cert = &mw.Certificates[i]
			}
		}
		if cert == nil || !containsWith(cert.SANs, "redmine") || cert.NotAfter.IsZero() || len(cert.UsedBy) == 0 {
			t.Errorf("the vhost's certificate: %+v", cert)
		}
	})

	t.Run("backups: found, and only on this host", func(t *testing.T) {
		if !s.Backups.Found {
			t.Fatalf("no backup found; the root crontab runs mysqldump: %+v", s.Backups)
		}
		var tools []string
		for _, b := range s.Backups.Items {
			tools = append(tools, b.Tool)
			if b.OffHost {
				t.Errorf("%s marked off-host: the lab copies nothing off the host", b.Tool)
			}
		}
		if !containsWith(tools, "mysqldump") {
			t.Errorf("backup tools found: %q", tools)
		}
	})

	t.Run("end of life", func(t *testing.T) {
		var verdict *snapshot.EndOfLife
		for i, e := range s.EndOfLife {
			if e.Of == "os" {
				verdict = &s.EndOfLife[i]
			}
		}
		if verdict == nil || verdict.Product != "debian" || verdict.Cycle != "11" || verdict.EOL == "" || verdict.DataDate == "" {
			t.Fatalf("no end-of-life verdict for Debian 11: %+v", s.EndOfLife)
		}
	})

	t.Run("the service view ties it together", func(t *testing.T) {
		views := map[string]snapshot.Service{}
		for _, sv := range s.Services {
			views[sv.Name] = sv
		}
		a := views["apache2"]
		if !containsWith(a.Listens, ":80") || !containsWith(a.Configs, "redmine.conf") || !containsWith(a.Logs, "access.log") {
			t.Errorf("apache2's view: %+v", a)
		}
		if l := views["logship"]; !containsWith(l.Connects, "10.231.0.40:24224") || !containsWith(l.Configs, "/etc/logship.conf") {
			t.Errorf("logship's view: %+v", l)
		}
	})
}

// TestLegacyHostUnprivileged: what an ordinary account cannot read is reported as
// such, never as "there is none".
func TestLegacyHostUnprivileged(t *testing.T) {
	lab := labtest.Require(t)
	s := surveySSH(t, sshOptions(lab, lab.Hosts["legacy"].URL("alice")))
	for _, sec := range []snapshot.Section{snapshot.SectionCron, snapshot.SectionSudo} {
		if c := s.Coverage[sec]; c.Status == snapshot.Collected || c.Reason == "" {
			t.Errorf("as alice, %s is %s (%q): the root-only parts cannot have been read", sec, c.Status, c.Reason)
		}
	}
	if !s.Backups.Found && s.Coverage[snapshot.SectionBackups].Status == snapshot.Collected {
		t.Error(`as alice, "no backup found" cannot be concluded: root's crontab was not readable`)
	}
	// The jobs alice could read are still there.
	var sources []string
	for _, j := range s.CronJobs {
		sources = append(sources, j.Source)
	}
	sort.Strings(sources)
	if !containsWith(sources, "/etc/cron.d/redmine") {
		t.Errorf("readable jobs lost: %q", sources)
	}
}

// labWrote lists what lab/roles/redmine.sh, lab/roles/common.sh, lab/up.sh
// and the image build (debootstrap's sources.list, the build's resolv.conf) write
// under /etc outside any package.
func labWrote(p string) bool {
	for _, prefix := range []string{
		"/etc/ssh/sshd_config", "/etc/postfix/main.cf", "/etc/aliases", "/etc/motd", "/etc/mailname",
		"/etc/apache2/sites-available/redmine.conf", "/etc/logship.conf", "/etc/rsyslog.d/60-forward.conf",
		"/etc/cron.d/redmine", "/etc/init.d/ssh-legacy", "/etc/init.d/logship", "/etc/sudoers.d/", "/etc/ssh/sshd_config_legacy",
		"/etc/timezone", "/etc/fstab", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/apt/sources.list",
		"/etc/ssl/certs/redmine.example.co.jp.crt", "/etc/ssl/private/redmine.example.co.jp.key",
		"/etc/sysctl.d/60-redmine.conf",
	} {
		if p == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

func containsWith(list []string, part string) bool {
	for _, s := range list {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

func hasRule(rules []snapshot.SudoRule, nopasswd bool) bool {
	for _, r := range rules {
		if r.NoPasswd == nopasswd && containsWith(r.Commands, "ALL") {
			return true
		}
	}
	return false
}

func hasSchema(dbs []snapshot.DatabaseSchema, name string) bool {
	for _, d := range dbs {
		if d.Name == name {
			return true
		}
	}
	return false
}

// TestReplicaCronFiresInTheOldZone is the field's "cron fires 9 hours late" on a
// real host: the replica's crond started under UTC and was not restarted when the
// zone became Asia/Tokyo, so it is reported stale and no job of crond claims to
// fire in Asia/Tokyo; each says why. The systemd timers do fire in Asia/Tokyo:
// systemd, PID 1 of replica, follows a change of /etc/localtime and reschedules
// its calendar timers.
func TestReplicaCronFiresInTheOldZone(t *testing.T) {
	lab := labtest.Require(t)
	if _, ok := lab.Hosts["replica"]; !ok {
		t.Skip("the lab has no replica host (lab/lib.sh LAB_HOSTS)")
	}
	s := surveySSH(t, sshOptions(lab, lab.Hosts["replica"].URL("root")))
	var stale []string
	for _, d := range s.Time.StaleDaemons {
		stale = append(stale, d.Command)
	}
	if !containsWith(stale, "cron") {
		t.Errorf("crond is not reported as started before the zone change; stale daemons: %q", stale)
	}
	if len(s.CronJobs) == 0 {
		t.Fatal("no cron jobs on replica")
	}
	timers := 0
	for _, j := range s.CronJobs {
		if j.Kind == "timer" {
			timers++
			if j.Zone != "Asia/Tokyo" {
				t.Errorf("timer %s: zone %q, note %q; want Asia/Tokyo, the zone systemd follows", j.Source, j.Zone, j.ZoneNote)
			}
			continue
		}
		if j.Zone == "Asia/Tokyo" || j.ZoneNote == "" {
			t.Errorf("job %s:%d: zone %q, note %q; want the stale crond explained", j.Source, j.Line, j.Zone, j.ZoneNote)
		}
	}
	if timers == 0 {
		t.Errorf("no systemd timer among replica's jobs")
	}
}

// settingLine is the line of a file's changed setting, for comparing the rest.
func settingLine(f snapshot.ConfigFile, key string) int {
	for _, s := range f.Settings {
		if s.Key == key {
			return s.Line
		}
	}
	return 0
}
