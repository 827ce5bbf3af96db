package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

func yes() *bool { return snapshot.Bool(true) }
func no() *bool  { return snapshot.Bool(false) }

// host is a target snapshot with every section collected.
func host(edit func(*snapshot.Snapshot)) *snapshot.Snapshot {
	s := &snapshot.Snapshot{SchemaVersion: 1, Host: snapshot.Host{Hostname: "new"},
		OS:       snapshot.OS{ID: "debian", VersionID: "12", PackageManager: "dpkg"},
		Coverage: map[snapshot.Section]snapshot.Coverage{}}
	for _, sec := range snapshot.Sections {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.Collected}
	}
	if edit != nil {
		edit(s)
	}
	return s
}

func one(e spec.Expectation, t *snapshot.Snapshot) Check {
	e.From = spec.From{Host: "legacy", Source: "src:1"}
	r := Evaluate(&spec.Spec{TrowelSpec: 1, Source: spec.Source{Host: "legacy"}, Expectations: []spec.Expectation{e}}, t)
	return r.Checks[0]
}

type kindCase struct {
	name   string
	want   spec.Expectation
	pass   func(*snapshot.Snapshot) // makes the target meet it
	fail   func(*snapshot.Snapshot) // makes the target miss it (nil: the bare host)
	inFail string                   // a piece of the failure message
}

var kindCases = []kindCase{
	{name: "service across init systems",
		want: spec.Expectation{ID: "service:httpd", Body: spec.Service{Name: "httpd", Running: yes(), Enabled: yes()}},
		pass: func(s *snapshot.Snapshot) {
			s.Services = []snapshot.Service{{Name: "apache2", Init: "systemd", Running: yes(), Enabled: yes()}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Services = []snapshot.Service{{Name: "apache2", Init: "systemd", Running: yes(), Enabled: no()}}
		},
		inFail: "not running or not started at boot"},
	{name: "port on all addresses",
		want: spec.Expectation{ID: "port:tcp/80", Body: spec.Port{Proto: "tcp", Port: 80, Address: "*", Service: "apache2"}},
		pass: func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp6", Address: "::", Port: 80, Process: "apache2"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "127.0.0.1", Port: 80, Process: "apache2"}}
		},
		inFail: "only on another address"},
	{name: "port on the old host's own address",
		want: spec.Expectation{ID: "port:tcp/3306@10.0.0.5", Body: spec.Port{Proto: "tcp", Port: 3306, Address: "10.0.0.5"}, Allow: []string{spec.AllowAddress}},
		pass: func(s *snapshot.Snapshot) {
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "10.0.0.9", Port: 3306}}
		},
		inFail: "nothing listens on tcp/3306"},
	{name: "process as its user",
		want: spec.Expectation{ID: "process:/home/deploy/bin/worker.sh:deploy", Body: spec.Process{Command: "/home/deploy/bin/worker.sh", User: "deploy"}},
		pass: func(s *snapshot.Snapshot) {
			s.Processes = []snapshot.Process{{PID: 9, User: "deploy", Command: "/bin/sh /home/deploy/bin/worker.sh"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Processes = []snapshot.Process{{PID: 9, User: "root", Command: "/bin/sh /home/deploy/bin/worker.sh"}}
		},
		inFail: "but not as deploy"},
	{name: "cron job",
		want: spec.Expectation{ID: "cron:/etc/cron.d/redmine:5", Body: spec.Cron{User: "www-data", Schedule: "*/10 * * * *", Command: "find /tmp -delete"}},
		pass: func(s *snapshot.Snapshot) {
			s.CronJobs = []snapshot.CronJob{{Kind: "spool", Source: "/var/spool/cron/crontabs/www-data", Line: 1, User: "www-data", Schedule: "*/10 * * * *", Command: "find  /tmp   -delete"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.CronJobs = []snapshot.CronJob{{Kind: "cron.d", Source: "/etc/cron.d/redmine", Line: 5, User: "root", Schedule: "*/10 * * * *", Command: "find /tmp -delete"}}
		},
		inFail: "another user or schedule"},
	{name: "cron zone",
		want: spec.Expectation{ID: "cron_zone", Body: spec.CronZone{Zone: "Asia/Tokyo"}},
		pass: func(s *snapshot.Snapshot) { s.Time.Zone = "Asia/Tokyo" },
		fail: func(s *snapshot.Snapshot) {
			changed := time.Date(2026, 1, 1, 0, 0, 5, 0, time.UTC)
			s.Time = snapshot.Clock{Zone: "Asia/Tokyo", LocaltimeChanged: &changed,
				StaleDaemons: []snapshot.StaleDaemon{{PID: 7, Command: "/usr/sbin/cron", Started: changed.Add(-3 * time.Second)}}}
		},
		inFail: "while /etc/localtime says Asia/Tokyo"},
	{name: "timezone",
		want:   spec.Expectation{ID: "timezone", Body: spec.Timezone{Zone: "Asia/Tokyo"}},
		pass:   func(s *snapshot.Snapshot) { s.Time.Zone = "Asia/Tokyo" },
		fail:   func(s *snapshot.Snapshot) { s.Time.Zone = "Etc/UTC" },
		inFail: "is Etc/UTC, expected Asia/Tokyo"},
	{name: "user with another uid allowed",
		want: spec.Expectation{ID: "user:deploy", Body: spec.User{Name: "deploy", UID: snapshot.Int(1001), Shell: "/bin/bash", Groups: []string{"www-data"}}, Allow: []string{spec.AllowUID}},
		pass: func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "deploy", UID: 2001, Shell: "/bin/bash", Groups: []string{"www-data"}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "deploy", UID: 1001, Shell: "/bin/sh"}}
		},
		inFail: "shell /bin/sh, expected /bin/bash; not in group www-data"},
	{name: "group members",
		want: spec.Expectation{ID: "group:ops", Body: spec.Group{Name: "ops", Members: []string{"alice"}}},
		pass: func(s *snapshot.Snapshot) {
			s.Accounts.Groups = []snapshot.Group{{Name: "ops", GID: 5, Members: []string{"alice", "bob"}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Accounts.Groups = []snapshot.Group{{Name: "ops", GID: 5}}
		},
		inFail: "lacks members alice"},
	{name: "sudo rule with requiretty",
		want: spec.Expectation{ID: "sudo:ops", Body: spec.Sudo{Name: "ops", RunAs: "ALL:ALL", Commands: []string{"ALL"}, Defaults: []string{"Defaults:ops requiretty"}}},
		pass: func(s *snapshot.Snapshot) {
			s.Accounts.Sudo = []snapshot.SudoRule{{Who: "ops", RunAs: "ALL:ALL", Commands: []string{"ALL"}, Defaults: []string{"Defaults env_reset", "Defaults:ops requiretty"}, Source: "/etc/sudoers.d/ops:4"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Accounts.Sudo = []snapshot.SudoRule{{Who: "ops", RunAs: "ALL:ALL", Commands: []string{"ALL"}, NoPasswd: true, Source: "/etc/sudoers.d/ops:1"}}
		},
		inFail: "sudo rights of ops differ"},
	{name: "authorized key",
		want: spec.Expectation{ID: "key:root:SHA256:abc", Body: spec.Key{User: "root", Fingerprint: "SHA256:abc", Comment: "contractor@old-jenkins"}},
		pass: func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "root", Keys: []snapshot.AuthorizedKey{{Fingerprint: "SHA256:abc"}}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Accounts.Users = []snapshot.User{{Name: "root", Keys: []snapshot.AuthorizedKey{{Fingerprint: "SHA256:xyz"}}}}
		},
		inFail: "contractor@old-jenkins) of root is missing"},
	{name: "mount of a network filesystem",
		want: spec.Expectation{ID: "mount:/srv/data", Body: spec.Mount{MountPoint: "/srv/data", FSType: "nfs", Device: "filer:/data"}},
		pass: func(s *snapshot.Snapshot) {
			s.Storage.Mounts = []snapshot.Mount{{Device: "filer:/data", MountPoint: "/srv/data", FSType: "nfs"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Storage.Fstab = []snapshot.FstabEntry{{Device: "filer:/data", MountPoint: "/srv/data", FSType: "nfs", Line: 4}}
		},
		inFail: "in /etc/fstab on new but not mounted"},
	{name: "firewall opening",
		want: spec.Expectation{ID: "firewall:tcp/443", Body: spec.Firewall{Proto: "tcp", Port: 443}},
		pass: func(s *snapshot.Snapshot) {
			s.Network.Firewall = snapshot.Firewall{Tool: "nftables", Rules: []snapshot.FirewallRule{{Rule: "tcp dport 443 accept"}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Network.Firewall = snapshot.Firewall{Tool: "nftables", Rules: []snapshot.FirewallRule{{Rule: "tcp dport 22 accept"}}}
		},
		inFail: "does not open tcp/443"},
	{name: "log shipper and its destination",
		want: spec.Expectation{ID: "log_shipper:logship", Body: spec.LogShipper{Name: "logship", Command: "/usr/local/sbin/logship", User: "root", Destinations: []string{"10.231.0.40:24224"}}},
		pass: func(s *snapshot.Snapshot) {
			s.Logs.Shippers = []snapshot.LogShipper{{Name: "logship", Running: yes(), Destinations: []snapshot.Endpoint{{Host: "10.231.0.40", Port: 24224}}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Logs.Shippers = []snapshot.LogShipper{{Name: "logship", Running: yes(), Destinations: []snapshot.Endpoint{{Host: "10.9.9.9", Port: 24224}}}}
		},
		inFail: "does not send to 10.231.0.40:24224"},
	{name: "setting, renamed key",
		want: spec.Expectation{ID: "setting:sshd:kbdinteractiveauthentication", Body: spec.Setting{Service: "sshd", Key: "kbdinteractiveauthentication", Value: "no"}},
		pass: func(s *snapshot.Snapshot) {
			s.Accounts.SSHD = []snapshot.SSHDSetting{{Key: "ChallengeResponseAuthentication", Value: "no"}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Accounts.SSHD = []snapshot.SSHDSetting{{Key: "KbdInteractiveAuthentication", Value: "yes", Source: "/etc/ssh/sshd_config:62"}}
		},
		inFail: "expected kbdinteractiveauthentication = no"},
	{name: "setting, Postfix's name in its own case",
		want: spec.Expectation{ID: "setting:postfix:smtp_tls_CApath", Body: spec.Setting{Service: "postfix", Key: "smtp_tls_CApath", Value: "/etc/ssl/certs"}},
		pass: func(s *snapshot.Snapshot) {
			s.Middleware.Mail = []snapshot.MailServer{{Kind: "postfix", Settings: []snapshot.Setting{{Key: "smtp_tls_CApath", Value: "/etc/ssl/certs"}}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Middleware.Mail = []snapshot.MailServer{{Kind: "postfix", Settings: []snapshot.Setting{{Key: "smtp_tls_CApath", Value: "/etc/pki/tls/certs"}}}}
		},
		inFail: "expected smtp_tls_CApath = /etc/ssl/certs"},
	{name: "capability: web server serving a vhost",
		want: spec.Expectation{ID: "capability:web:redmine:80", Body: spec.Capability{Role: "web server", Name: "redmine", Port: 80, Version: "2.2.3", Manager: "rpm"}},
		pass: func(s *snapshot.Snapshot) {
			s.Middleware.WebServers = []snapshot.WebServer{{Kind: "apache", Version: "2.4.62", VHosts: []snapshot.VHost{{ServerName: "redmine", Listen: "*:80"}}}}
			s.Listeners = []snapshot.Listener{{Proto: "tcp", Address: "0.0.0.0", Port: 80}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Middleware.WebServers = []snapshot.WebServer{{Kind: "apache", Version: "2.4.62", VHosts: []snapshot.VHost{{ServerName: "redmine", Listen: "*:80"}}}}
		},
		inFail: "nothing listens on :80"},
	{name: "capability: database version compared as dpkg does",
		want: spec.Expectation{ID: "capability:database:mariadb", Body: spec.Capability{Role: "database", Name: "mariadb", Version: "10.5.23-MariaDB-0+deb11u1", Manager: "dpkg", Serves: []string{"database redmine"}}},
		pass: func(s *snapshot.Snapshot) {
			s.Middleware.Databases = []snapshot.Database{{Kind: "mariadb", Version: "10.11.6-MariaDB-0+deb12u1", Databases: []snapshot.DatabaseSchema{{Name: "redmine"}}}}
		},
		fail: func(s *snapshot.Snapshot) {
			s.Middleware.Databases = []snapshot.Database{{Kind: "mysql", Version: "10.3.39-MariaDB", Databases: []snapshot.DatabaseSchema{{Name: "redmine"}}}}
		},
		inFail: "older than 10.5.23"},
}

// TestEveryKind gives each expectation kind a passing and a failing target, and
// checks that a target whose section was not collected is skipped, not failed.
func TestEveryKind(t *testing.T) {
	covered := map[spec.Kind]bool{}
	for _, c := range kindCases {
		covered[c.want.Kind()] = true
		t.Run(c.name, func(t *testing.T) {
			if got := one(c.want, host(c.pass)); got.Status != Pass {
				t.Errorf("meeting target: %s: %s", got.Status, got.Message)
			}
			got := one(c.want, host(c.fail))
			if got.Status != Fail {
				t.Fatalf("missing target: %s: %s", got.Status, got.Message)
			}
			if !strings.Contains(got.Message, c.inFail) {
				t.Errorf("message %q lacks %q", got.Message, c.inFail)
			}
			if !strings.Contains(got.Message, "src:1 on legacy") || got.Fix == "" {
				t.Errorf("a failure must say where the expectation came from and what to do: %+v", got)
			}
			blind := host(c.fail)
			for sec := range blind.Coverage {
				blind.Coverage[sec] = snapshot.Coverage{Status: snapshot.Denied, Reason: "not root"}
			}
			if got := one(c.want, blind); got.Status != Skipped || !strings.Contains(got.Message, "not root") {
				t.Errorf("uncollected target: %s: %s", got.Status, got.Message)
			}
		})
	}
	for _, k := range spec.Kinds {
		if !covered[k] {
			t.Errorf("kind %s has no case", k)
		}
	}
}

func TestPartialSectionMakesAbsenceUnknown(t *testing.T) {
	e := spec.Expectation{ID: "service:logship", Body: spec.Service{Name: "logship", Running: yes()}}
	s := host(nil)
	s.Coverage[snapshot.SectionServices] = snapshot.Coverage{Status: snapshot.Partial, Reason: "PID 1 is not an init system"}
	if got := one(e, s); got.Status != Skipped || !strings.Contains(got.Message, "unknown rather than missing") {
		t.Errorf("%s: %s", got.Status, got.Message)
	}
	s.Services = []snapshot.Service{{Name: "logship", Running: yes()}}
	if got := one(e, s); got.Status != Pass {
		t.Errorf("found in a partial section: %s: %s", got.Status, got.Message)
	}
}

func sampleResult() Result {
	var checks []spec.Expectation
	for _, c := range kindCases {
		checks = append(checks, c.want)
	}
	return Evaluate(&spec.Spec{TrowelSpec: 1, Source: spec.Source{Host: "legacy"}, Expectations: checks}, host(kindCases[0].pass))
}

func TestJUnitValidatesAgainstSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (lab/deps.sh installs it)")
	}
	r := sampleResult()
	r.Checks[1].Status, r.Checks[1].Message = Skipped, "the listeners section of new was denied"
	var b bytes.Buffer
	if err := JUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "verify.xml")
	os.WriteFile(f, b.Bytes(), 0o644)
	out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, b.String())
	}
	for _, want := range []string{`<testsuite name="service"`, `<failure message=`, `<skipped message=`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("junit lacks %s", want)
		}
	}
}

func TestTAP(t *testing.T) {
	r := sampleResult()
	var b bytes.Buffer
	TAP(&b, r)
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "TAP version 13" || lines[1] != fmt.Sprintf("1..%d", len(r.Checks)) {
		t.Errorf("header: %q", lines[:2])
	}
	if !strings.HasPrefix(lines[2], "ok 1 - service:httpd") {
		t.Errorf("first test line: %q", lines[2])
	}
	if n := strings.Count(b.String(), "\nnot ok "); n != r.Fail {
		t.Errorf("%d not ok lines, %d failures", n, r.Fail)
	}
	if !strings.Contains(b.String(), "  ---\n  message: ") {
		t.Error("no YAML diagnostics for failures")
	}
}

func TestHumanAndJSON(t *testing.T) {
	r := sampleResult()
	var h bytes.Buffer
	Human(&h, r)
	if !strings.Contains(h.String(), "FAILED") || !strings.Contains(h.String(), "fix:") {
		t.Errorf("human output:\n%s", h.String())
	}
	var j bytes.Buffer
	Write(&j, r, "json")
	var back Result
	if err := json.Unmarshal(j.Bytes(), &back); err != nil || back.Fail != r.Fail || len(back.Checks) != len(r.Checks) {
		t.Errorf("json: %v %+v", err, back)
	}
	if Write(&j, r, "xml") == nil {
		t.Error("an unknown format is accepted")
	}
}

// BenchmarkEvaluate300 is the evaluation half of verify's cost: 300 expectations
// against one snapshot (the survey's single SSH session is lab/bench.sh's part).
func BenchmarkEvaluate300(b *testing.B) {
	var es []spec.Expectation
	t := host(nil)
	for i := 0; len(es) < 300; i++ {
		for _, c := range kindCases {
			e := c.want
			e.ID = fmt.Sprintf("%s#%d", e.ID, i)
			es = append(es, e)
			c.pass(t)
		}
	}
	sp := &spec.Spec{TrowelSpec: 1, Expectations: es[:300]}
	b.ResetTimer()
	for b.Loop() {
		Evaluate(sp, t)
	}
}

// A job with the same command but another user or schedule is named with its own
// user and schedule, so the failure shows what differs.
func TestCronNearShowsSchedule(t *testing.T) {
	e := spec.Expectation{ID: "cron:/etc/cron.d/redmine:5", Body: spec.Cron{User: "www-data", Schedule: "*/10 * * * *", Command: "find /tmp -delete"}}
	got := one(e, host(func(s *snapshot.Snapshot) {
		s.CronJobs = []snapshot.CronJob{{Kind: "cron.d", Source: "/etc/cron.d/redmine", Line: 5, User: "www-data", Schedule: "0 * * * *", Command: "find /tmp -delete"}}
	}))
	if got.Status != Fail || len(got.Found) != 1 || got.Found[0] != `/etc/cron.d/redmine:5: find /tmp -delete as www-data at "0 * * * *"` {
		t.Errorf("%s: %q", got.Status, got.Found)
	}
}

// Addresses read the way spec writes them (snapshot's one vocabulary): an IPv6
// destination is bracketed on both sides, and an IPv4-mapped loopback is loopback.
func TestAddressesReadAsSpecWritesThem(t *testing.T) {
	ship := spec.Expectation{ID: "log_shipper:fluent-bit", Body: spec.LogShipper{Name: "fluent-bit", Destinations: []string{"[2001:db8::40]:24224"}}}
	got := one(ship, host(func(s *snapshot.Snapshot) {
		s.Logs.Shippers = []snapshot.LogShipper{{Name: "fluent-bit", Running: yes(), Destinations: []snapshot.Endpoint{{Host: "2001:db8::40", Port: 24224}}}}
	}))
	if got.Status != Pass {
		t.Errorf("IPv6 destination: %s: %s", got.Status, got.Message)
	}
	local := spec.Expectation{ID: "port:tcp/6379@loopback", Body: spec.Port{Proto: "tcp", Port: 6379, Address: "127.0.0.1"}}
	got = one(local, host(func(s *snapshot.Snapshot) {
		s.Listeners = []snapshot.Listener{{Proto: "tcp6", Address: "::ffff:127.0.0.1", Port: 6379, Process: "redis-server"}}
	}))
	if got.Status != Pass || !strings.Contains(got.Message, "[::ffff:127.0.0.1]:6379") {
		t.Errorf("IPv4-mapped loopback: %s: %s", got.Status, got.Message)
	}
}
