package analyze

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

var surveyed = time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)

// base is a healthy host: every section collected, nothing to report.
func base() *snapshot.Snapshot {
	s := &snapshot.Snapshot{CollectedAt: surveyed, OS: snapshot.OS{InitSystem: "sysv"}, Coverage: map[snapshot.Section]snapshot.Coverage{}}
	for _, sec := range snapshot.Sections {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.Collected}
	}
	s.Backups = snapshot.Backups{Found: true, Items: []snapshot.BackupTrace{{Kind: "job", Tool: "rsync", Where: "backup01:/srv", OffHost: true}}}
	return s
}

func keys(fs []Finding) map[string]Finding {
	out := map[string]Finding{}
	for _, f := range fs {
		out[f.ID()] = f
	}
	return out
}

func TestHealthyHostHasNoFindings(t *testing.T) {
	if fs := Analyze(base(), "en"); len(fs) != 0 {
		t.Errorf("findings on a healthy host: %+v", fs)
	}
}

func TestRules(t *testing.T) {
	past := surveyed.Add(-2 * time.Hour)
	changed := surveyed.Add(-time.Hour)
	for _, c := range []struct {
		name   string
		change func(s *snapshot.Snapshot)
		want   string // finding ID; "" means none at all
		sev    Severity
		inhib  bool
	}{
		{"os past eol", func(s *snapshot.Snapshot) {
			s.EndOfLife = []snapshot.EndOfLife{{Product: "centos", Cycle: "5", Version: "5.11", EOL: "2017-03-31", Status: "eol", Of: "os"}}
		}, "eol.os:centos 5", High, false},
		{"os supported", func(s *snapshot.Snapshot) {
			s.EndOfLife = []snapshot.EndOfLife{{Product: "debian", Cycle: "12", EOL: "2028-06-10", Status: "supported", Of: "os"}}
		}, "", "", false},
		{"middleware past eol", func(s *snapshot.Snapshot) {
			s.EndOfLife = []snapshot.EndOfLife{{Product: "mysql", Cycle: "5.0", Status: "eol", Of: "mysql"}}
		}, "eol.middleware:mysql 5.0", High, false},
		{"no backup, all read", func(s *snapshot.Snapshot) { s.Backups = snapshot.Backups{} }, "backup.none", High, true},
		{"no backup, cron unreadable: no verdict, a gap", func(s *snapshot.Snapshot) {
			s.Backups = snapshot.Backups{}
			s.Coverage[snapshot.SectionBackups] = snapshot.Coverage{Status: snapshot.Partial, Reason: "root's crontab: permission denied"}
		}, "coverage.gap:backups", Info, false},
		{"local-only backups", func(s *snapshot.Snapshot) {
			s.Backups.Items = []snapshot.BackupTrace{{Kind: "job", Tool: "mysqldump", Where: "/var/backups/redmine", Job: "/var/spool/cron/crontabs/root:3"}}
		}, "backup.local-only", Medium, false},
		{"stale crond", func(s *snapshot.Snapshot) {
			s.Time = snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed, StaleDaemons: []snapshot.StaleDaemon{{PID: 516, Command: "/usr/sbin/cron", Service: "cron", Started: past}}}
		}, "time.stale-zone:cron", High, true},
		{"stale crond by its unit and command only", func(s *snapshot.Snapshot) {
			s.Time = snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed, StaleDaemons: []snapshot.StaleDaemon{{PID: 516, Command: "/usr/sbin/crond -n", Service: "crond.service", Started: past}}}
		}, "time.stale-zone:crond.service", High, true},
		// anacron counts days, not the hours of the clock, and is no cron daemon
		// to distro (a stale one is an ordinary stale daemon).
		{"stale anacron", func(s *snapshot.Snapshot) {
			s.Time = snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed, StaleDaemons: []snapshot.StaleDaemon{{PID: 600, Command: "/usr/sbin/anacron -s", Started: past}}}
		}, "time.stale-zone:anacron", Medium, false},
		{"stale other daemon", func(s *snapshot.Snapshot) {
			s.Time = snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed, StaleDaemons: []snapshot.StaleDaemon{{PID: 47, Command: "/usr/sbin/rsyslogd -n", Started: past}}}
		}, "time.stale-zone:rsyslogd", Medium, false},
		{"running, not enabled", func(s *snapshot.Snapshot) {
			s.Services = []snapshot.Service{{Name: "logship", Running: snapshot.Bool(true), Enabled: snapshot.Bool(false)}}
		}, "service.running-not-enabled:logship", Medium, false},
		{"static units are not 'not enabled'", func(s *snapshot.Snapshot) {
			s.Services = []snapshot.Service{{Name: "dbus", Running: snapshot.Bool(true), Enabled: snapshot.Bool(false), EnabledState: "static"}}
		}, "", "", false},
		{"enabled, not running", func(s *snapshot.Snapshot) {
			s.Services = []snapshot.Service{{Name: "ntpd", Running: snapshot.Bool(false), Enabled: snapshot.Bool(true)}}
		}, "service.enabled-not-running:ntpd", Low, false},
		{"unknown running state says nothing", func(s *snapshot.Snapshot) {
			s.Services = []snapshot.Service{{Name: "ntpd", Enabled: snapshot.Bool(true)}}
		}, "", "", false},
		{"mysql on all interfaces, local clients only", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "0.0.0.0", Port: 3306}}
			s.Network.Clients = []snapshot.Client{{Proto: "tcp", LocalPort: 3306, RemoteAddress: "127.0.0.1", Count: 4}}
		}, "listener.local-service-exposed:3306", Medium, false},
		{"mysql on all interfaces with a remote client", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "0.0.0.0", Port: 3306}}
			s.Network.Clients = []snapshot.Client{{Proto: "tcp", LocalPort: 3306, RemoteAddress: "10.0.0.5", Count: 1}}
		}, "", "", false},
		{"mysql on every IPv6 address, an IPv4-mapped loopback client", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp6", Address: "[::]", Port: 3306}}
			s.Network.Clients = []snapshot.Client{{Proto: "tcp6", LocalPort: 3306, RemoteAddress: "::ffff:127.0.0.1", Count: 2}}
		}, "listener.local-service-exposed:3306", Medium, false},
		{"mysql on all interfaces, an IPv4-mapped remote client", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp6", Address: "*", Port: 3306}}
			s.Network.Clients = []snapshot.Client{{Proto: "tcp6", LocalPort: 3306, RemoteAddress: "::ffff:10.0.0.9", Count: 1}}
		}, "", "", false},
		{"mysql on one of the host's addresses", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "10.0.0.5", Port: 3306}}
		}, "", "", false},
		{"mysql on IPv6 loopback", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp6", Address: "::1", Port: 3306}}
		}, "", "", false},
		{"mysql on loopback", func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "127.0.0.1", Port: 3306}}
		}, "", "", false},
		{"apache 2.2 access", func(s *snapshot.Snapshot) {
			s.Middleware.WebServers = []snapshot.WebServer{{Kind: "apache", Legacy: []snapshot.Directive{
				{Name: "Order", Source: "/etc/httpd/conf.d/redmine.conf:12"}, {Name: "Allow", Source: "/etc/httpd/conf.d/redmine.conf:13"},
				{Name: "NameVirtualHost", Source: "/etc/httpd/conf/httpd.conf:990"},
			}}}
		}, "config.apache22-access:/etc/httpd/conf.d/redmine.conf", High, true},
		{"other legacy directives are not access control", func(s *snapshot.Snapshot) {
			s.Middleware.WebServers = []snapshot.WebServer{{Kind: "apache", Legacy: []snapshot.Directive{{Name: "NameVirtualHost", Source: "/etc/httpd/conf/httpd.conf:990"}}}}
		}, "", "", false},
		{"empty password", func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "guest", Password: "empty"}}
		}, "account.empty-password:guest", High, true},
		{"locked password", func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "guest", Password: "locked"}}
		}, "", "", false},
		{"nopasswd sudo", func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "deploy", Kind: "human", Sudo: []snapshot.SudoRule{{NoPasswd: true, Commands: []string{"ALL"}, Source: "/etc/sudoers.d/deploy:2"}}}}
		}, "sudo.nopasswd:deploy", Medium, false},
		{"password sudo", func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "ops", Kind: "human", Sudo: []snapshot.SudoRule{{Commands: []string{"ALL"}, Source: "/etc/sudoers.d/ops:4"}}}}
		}, "", "", false},
		{"orphan key", func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "root", Kind: "system", Keys: []snapshot.AuthorizedKey{{Type: "ssh-rsa", Fingerprint: "SHA256:abc", Comment: "contractor@old-jenkins", Source: "/root/.ssh/authorized_keys:1"}}}}
		}, "keys.orphan:root SHA256:abc", Medium, false},
		{"a person's own key", func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{
				{Name: "root", Keys: []snapshot.AuthorizedKey{{Fingerprint: "SHA256:a", Comment: "alice@laptop"}}},
				{Name: "alice", Kind: "human", Keys: []snapshot.AuthorizedKey{{Fingerprint: "SHA256:b", Comment: "alice@laptop"}}},
			}
		}, "", "", false},
		{"certificate expiring", func(s *snapshot.Snapshot) {
			s.Middleware.Certificates = []snapshot.Certificate{{Path: "/etc/ssl/certs/a.crt", Subject: "CN=a", NotAfter: surveyed.Add(20 * 24 * time.Hour)}}
		}, "tls.expiring:/etc/ssl/certs/a.crt", Medium, false},
		{"certificate expired", func(s *snapshot.Snapshot) {
			s.Middleware.Certificates = []snapshot.Certificate{{Path: "/etc/ssl/certs/a.crt", Subject: "CN=a", NotAfter: surveyed.Add(-time.Hour)}}
		}, "tls.expiring:/etc/ssl/certs/a.crt", High, true},
		{"certificate valid for long", func(s *snapshot.Snapshot) {
			s.Middleware.Certificates = []snapshot.Certificate{{Path: "/etc/ssl/certs/a.crt", NotAfter: surveyed.Add(90 * 24 * time.Hour)}}
		}, "", "", false},
		{"compilers", func(s *snapshot.Snapshot) {
			s.Packages = []snapshot.Package{{Name: "gcc-12"}, {Name: "make"}, {Name: "gcc-12-base"}, {Name: "libgcc-s1"}}
		}, "packages.build-tools", Low, false},
		{"only compiler runtimes", func(s *snapshot.Snapshot) {
			s.Packages = []snapshot.Package{{Name: "gcc-12-base"}, {Name: "libgcc-s1"}, {Name: "libstdc++6"}}
		}, "", "", false},
		{"shipper without its connection", func(s *snapshot.Snapshot) {
			s.Logs.Shippers = []snapshot.LogShipper{{Name: "td-agent", Running: snapshot.Bool(true), Destinations: []snapshot.Endpoint{{Host: "10.0.0.9", Port: 24224, Source: "/etc/td-agent/td-agent.conf:12"}}}}
		}, "shipper.unreachable:td-agent 10.0.0.9:24224", Medium, false},
		{"shipper connected by name", func(s *snapshot.Snapshot) {
			s.Logs.Shippers = []snapshot.LogShipper{{Name: "rsyslog", Running: snapshot.Bool(true), Destinations: []snapshot.Endpoint{{Host: "loghost", Port: 514, Proto: "tcp"}}}}
			s.Network.Connections = []snapshot.Connection{{Proto: "tcp", RemoteAddress: "10.0.0.40", RemotePort: 514, RemoteNames: []string{"loghost"}}}
		}, "", "", false},
		{"unanswered connection", func(s *snapshot.Snapshot) {
			s.Network.Unanswered = []snapshot.Connection{{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: 514, Process: "logship", Count: 2,
				Purpose: "syslog", State: "SYN-SENT", ConfigRefs: []string{"/etc/logship.conf:1"}, Evidence: "cmd:ss"}}
		}, "connection.unanswered:logship 10.0.9.20:514", Medium, false},
		{"unanswered, process unseen", func(s *snapshot.Snapshot) {
			s.Network.Unanswered = []snapshot.Connection{{Proto: "tcp", RemoteAddress: "2001:db8::9", RemotePort: 5432, Count: 1, State: "SYN-SENT"}}
		}, "connection.unanswered:[2001:db8::9]:5432", Medium, false},
		{"udp shipper: nothing to see", func(s *snapshot.Snapshot) {
			s.Logs.Shippers = []snapshot.LogShipper{{Name: "rsyslog", Running: snapshot.Bool(true), Destinations: []snapshot.Endpoint{{Host: "loghost", Port: 514, Proto: "udp"}}}}
		}, "", "", false},
		{"disk full", func(s *snapshot.Snapshot) {
			pct := 97
			s.Storage.Mounts = []snapshot.Mount{{MountPoint: "/var", UsedPct: &pct}}
		}, "disk.full:/var", High, false},
		{"disk fine", func(s *snapshot.Snapshot) {
			pct := 60
			s.Storage.Mounts = []snapshot.Mount{{MountPoint: "/var", UsedPct: &pct}}
		}, "", "", false},
		{"denied section", func(s *snapshot.Snapshot) {
			s.Coverage[snapshot.SectionSudo] = snapshot.Coverage{Status: snapshot.Denied, Reason: "/etc/sudoers: permission denied"}
		}, "coverage.gap:sudo", Low, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := base()
			c.change(s)
			got := keys(Analyze(s, "en"))
			if c.want == "" {
				if len(got) != 0 {
					t.Errorf("want no finding, got %v", got)
				}
				return
			}
			f, ok := got[c.want]
			if !ok {
				t.Fatalf("want %s, got %v", c.want, got)
			}
			if f.Severity != c.sev || f.Inhibitor != c.inhib {
				t.Errorf("%s: severity %s inhibitor %v, want %s %v", c.want, f.Severity, f.Inhibitor, c.sev, c.inhib)
			}
			if f.Title == "" || f.Summary == "" || f.Remediation.Hint == "" || len(f.Facts) == 0 {
				t.Errorf("%s is missing its texts or facts: %+v", c.want, f)
			}
		})
	}
}

// Connections that were not surveyed raise nothing of their own: the coverage gap
// speaks for them.
func TestUnansweredNeedsTheConnections(t *testing.T) {
	s := base()
	s.Network.Unanswered = []snapshot.Connection{{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: 514, Count: 1, State: "SYN-SENT"}}
	s.Coverage[snapshot.SectionConns] = snapshot.Coverage{Status: snapshot.Denied}
	for id := range keys(Analyze(s, "en")) {
		if strings.HasPrefix(id, "connection.unanswered") {
			t.Errorf("%s raised from connections that were not surveyed", id)
		}
	}
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Every rule is told in both languages, with every placeholder filled, and the
// Japanese is Japanese.
func TestCatalogsAreComplete(t *testing.T) {
	rules := map[string]bool{}
	names := map[string]bool{}
	for _, r := range Rules() {
		rules[r.Key], names[r.Key] = true, true
	}
	// A variant ("eol.os/undated") is told in both languages too, and belongs to
	// a rule.
	for _, c := range []map[string]Message{messagesEN, messagesJA} {
		for name := range c {
			if key, _, ok := strings.Cut(name, "/"); ok && rules[key] {
				names[name] = true
			}
		}
	}
	for name := range names {
		en, okEN := messagesEN[name]
		ja, okJA := messagesJA[name]
		if !okEN || !okJA {
			t.Errorf("%s: english %v, japanese %v", name, okEN, okJA)
			continue
		}
		for _, m := range []Message{en, ja} {
			for _, text := range []string{m.Title, m.Summary, m.Hint} {
				if text == "" {
					t.Errorf("%s: an empty text", name)
				}
			}
		}
		if !hasJapanese(ja.Title) || !hasJapanese(ja.Summary) || !hasJapanese(ja.Hint) {
			t.Errorf("%s: Japanese texts left in English: %+v", name, ja)
		}
		// Both languages use the same placeholders.
		if a, b := placeholders(en), placeholders(ja); a != b {
			t.Errorf("%s: placeholders differ: en %s, ja %s", name, a, b)
		}
	}
	if len(messagesEN) != len(names) || len(messagesJA) != len(names) {
		t.Errorf("catalogs hold %d and %d messages for %d rules and variants", len(messagesEN), len(messagesJA), len(names))
	}
}

func TestEveryPlaceholderIsFilled(t *testing.T) {
	// One host cannot have no backup and local-only backups at once: a second,
	// bare host raises backup.none.
	bare := base()
	bare.Backups = snapshot.Backups{}
	// Nor have two operating systems: a third host's ended without a date.
	undated := base()
	undated.EndOfLife = []snapshot.EndOfLife{{Product: "centos", Version: "4.9", Status: "eol", Of: "os", DataDate: "2026-08-13"}}
	for _, lang := range []string{"en", "ja"} {
		fs := append(Analyze(richHost(), lang), Analyze(bare, lang)...)
		fs = append(fs, Analyze(undated, lang)...)
		seen := map[string]bool{}
		for _, f := range fs {
			seen[f.Key] = true
			if v := f.Args["variant"]; v != "" {
				seen[f.Key+"/"+v] = true
			}
			for _, text := range []string{f.Title, f.Summary, f.Remediation.Hint} {
				if p := placeholder.FindString(text); p != "" {
					t.Errorf("%s (%s): %s left unfilled in %q", f.ID(), lang, p, text)
				}
			}
		}
		for _, r := range Rules() {
			if !seen[r.Key] {
				t.Errorf("%s: rule %s raised nothing on the rich host; the test does not reach it", lang, r.Key)
			}
		}
		for name := range catalog(lang) {
			if !seen[name] {
				t.Errorf("%s: message %s was not told on the rich host; the test does not reach it", lang, name)
			}
		}
	}
}

// An end of life the data gives no date for is told without one, and named by the
// version when the data has no cycle for it.
func TestUndatedEndOfLife(t *testing.T) {
	s := base()
	s.EndOfLife = []snapshot.EndOfLife{{Product: "python", Version: "2.4.3", Status: "eol", Of: "packages", DataDate: "2026-08-13"}}
	for _, lang := range []string{"en", "ja"} {
		fs := Analyze(s, lang)
		if len(fs) != 1 || fs[0].ID() != "eol.middleware:python 2.4.3" || fs[0].Facts[0] != "end_of_life[python 2.4.3]" {
			t.Fatalf("%s: %+v", lang, fs)
		}
		for _, text := range []string{fs[0].Title, fs[0].Summary} {
			if strings.Contains(text, "()") || strings.Contains(text, "（）") || strings.Contains(text, "since .") || strings.Contains(text, "  ") {
				t.Errorf("%s: an empty date or cycle told: %q", lang, text)
			}
			if !strings.Contains(text, "python 2.4.3") {
				t.Errorf("%s: the version is not named: %q", lang, text)
			}
		}
	}
}

func TestMostSevereFirst(t *testing.T) {
	fs := Analyze(richHost(), "en")
	for i := 1; i < len(fs); i++ {
		a, b := fs[i-1], fs[i]
		if !a.Inhibitor && b.Inhibitor || a.Inhibitor == b.Inhibitor && a.Severity.rank() < b.Severity.rank() {
			t.Fatalf("%s (%s, inhibitor %v) before %s (%s, inhibitor %v)", a.ID(), a.Severity, a.Inhibitor, b.ID(), b.Severity, b.Inhibitor)
		}
	}
}

// richHost raises every rule at least once.
func richHost() *snapshot.Snapshot {
	s := base()
	changed := surveyed.Add(-time.Hour)
	pct := 91
	s.EndOfLife = []snapshot.EndOfLife{
		{Product: "centos", Cycle: "5", Version: "5.11", EOL: "2017-03-31", Status: "eol", Of: "os", DataDate: "2026-11-01"},
		{Product: "mysql", Cycle: "5.0", Version: "5.0.95", EOL: "2012-01-09", Status: "eol", Of: "mysql", DataDate: "2026-11-01"},
		// Older than the data's oldest cycle: ended, no date of its own.
		{Product: "python", Version: "2.4.3", Status: "eol", Of: "packages", DataDate: "2026-08-13"},
	}
	s.Backups = snapshot.Backups{Found: true, Items: []snapshot.BackupTrace{{Kind: "job", Tool: "mysqldump", Where: "/var/backups"}}}
	s.Time = snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed, StaleDaemons: []snapshot.StaleDaemon{{PID: 5, Command: "crond", Started: surveyed.Add(-2 * time.Hour)}}}
	s.Services = []snapshot.Service{
		{Name: "logship", Running: snapshot.Bool(true), Enabled: snapshot.Bool(false)},
		{Name: "ntpd", Running: snapshot.Bool(false), Enabled: snapshot.Bool(true)},
	}
	s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "0.0.0.0", Port: 3306}}
	s.Middleware.WebServers = []snapshot.WebServer{{Kind: "apache", Legacy: []snapshot.Directive{{Name: "Order", Source: "/etc/httpd/conf.d/a.conf:3"}}}}
	s.Middleware.Certificates = []snapshot.Certificate{{Path: "/etc/pki/tls/certs/a.crt", Subject: "CN=a", NotAfter: surveyed.Add(24 * time.Hour)}}
	s.Accounts.Users = []snapshot.User{
		{Name: "guest", Password: "empty"},
		{Name: "deploy", Kind: "human", Sudo: []snapshot.SudoRule{{NoPasswd: true, Commands: []string{"ALL"}, Source: "/etc/sudoers:99"}}},
		{Name: "root", Keys: []snapshot.AuthorizedKey{{Fingerprint: "SHA256:x", Comment: "contractor@old-jenkins", Source: "/root/.ssh/authorized_keys:1"}}},
	}
	s.Packages = []snapshot.Package{{Name: "gcc"}}
	s.Logs.Shippers = []snapshot.LogShipper{{Name: "td-agent", Running: snapshot.Bool(true), Destinations: []snapshot.Endpoint{{Host: "10.0.0.9", Port: 24224}}}}
	s.Storage.Mounts = []snapshot.Mount{{MountPoint: "/", UsedPct: &pct}}
	s.Network.Unanswered = []snapshot.Connection{{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: 514, Process: "logship", Count: 1, State: "SYN-SENT"}}
	s.Kernel = snapshot.Kernel{Live: true, Sysctls: []snapshot.Sysctl{
		sysctl("net.ipv4.tcp_fin_timeout", snapshot.SysctlRead, "60", snapshot.OriginAdmin, "30", "/etc/sysctl.conf", 71),
		sysctl("net.bridge.bridge-nf-call-iptables", snapshot.SysctlAbsent, "", snapshot.OriginAdmin, "1", "/etc/sysctl.d/99-k8s.conf", 3),
	}}
	s.Coverage[snapshot.SectionFirewall] = snapshot.Coverage{Status: snapshot.Denied, Reason: "iptables-save: permission denied"}
	s.Coverage[snapshot.SectionAnswers] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "not asked: --no-ask"}
	return s
}

func placeholders(m Message) string {
	var all []string
	for _, text := range []string{m.Title, m.Summary, m.Hint} {
		all = append(all, placeholder.FindAllString(text, -1)...)
	}
	set := map[string]bool{}
	for _, p := range all {
		set[p] = true
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func hasJapanese(s string) bool {
	for _, r := range s {
		if r >= 0x3040 && r <= 0x30ff || r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// A part only a running host can show gets a finding that says so, not "survey
// again as root": more rights would not help a disk image or a --no-ask survey.
func TestLiveOnlyGaps(t *testing.T) {
	s := base()
	s.Source.Kind = "root"
	s.Coverage[snapshot.SectionProcesses] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "offline"}
	s.Coverage[snapshot.SectionSudo] = snapshot.Coverage{Status: snapshot.Denied, Reason: "/etc/sudoers: permission denied"}
	keys := map[string]string{}
	for _, f := range Analyze(s, "en") {
		keys[f.Subject] = f.Key + " | " + f.Remediation.Hint
	}
	if k := keys["processes"]; !strings.HasPrefix(k, "coverage.live-only") || !strings.Contains(k, "running host") {
		t.Errorf("processes read offline: %s", k)
	}
	if k := keys["sudo"]; !strings.HasPrefix(k, "coverage.gap") {
		t.Errorf("sudo denied still wants rights: %s", k)
	}
}
