package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func legacy(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	doc, err := os.ReadFile("testdata/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(doc, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was made (go test ./internal/spec -update to accept):\n%s", file, got)
	}
}

// bodyOf is an expectation's body as the kind the test expects.
func bodyOf[B Body](t *testing.T, e Expectation) B {
	t.Helper()
	b, ok := e.Body.(B)
	if !ok {
		t.Errorf("%s: the body is a %T, not a %T", e.ID, e.Body, b)
	}
	return b
}

func byID(sp *Spec) map[string]Expectation {
	m := map[string]Expectation{}
	for _, e := range sp.Expectations {
		m[e.ID] = e
	}
	return m
}

func TestDeriveLegacy(t *testing.T) {
	sp := Derive(legacy(t), "testdata/legacy.json")
	doc, err := Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/legacy.spec.yaml", doc)
	ids := byID(sp)

	for _, want := range []string{
		"timezone", "service:apache2", "service:logship", "port:tcp/80", "port:tcp/2222",
		"process:/home/deploy/bin/worker.sh:deploy", "process:mariadb:mysql",
		"cron:/etc/cron.d/redmine:5", "cron:/var/spool/cron/crontabs/deploy:3", "cron_zone",
		"user:deploy", "sudo:ops", "mount:/mnt/backup", "log_shipper:logship", "log_shipper:rsyslog",
		"setting:postfix:relayhost", "setting:mariadb:max_connections", "setting:sshd:permitrootlogin",
		"capability:web:redmine.example.co.jp:80", "capability:mta", "capability:database:mariadb",
	} {
		if _, ok := ids[want]; !ok {
			t.Errorf("no expectation %s", want)
		}
	}
	for _, not := range []string{
		// a package's unchanged cron file, and a service that was not running
		"cron:/etc/cron.d/e2scrub_all:1", "cron:/etc/crontab:18", "service:rsync",
		// a compiled-in default spelled out in Debian's file, and a job's child
		"setting:mariadb:datadir", "process:sleep:deploy",
		// the commented-out NFS mount
		"mount:/var/www/redmine/files/archive",
	} {
		if _, ok := ids[not]; ok {
			t.Errorf("unexpected expectation %s", not)
		}
	}
	if e, b := ids["log_shipper:logship"], bodyOf[LogShipper](t, ids["log_shipper:logship"]); b.Command != "/usr/local/sbin/logship" || b.User != "root" ||
		!slices.Equal(b.Destinations, []string{"10.231.0.40:24224"}) || e.From.Source != "/etc/logship.conf:5" {
		t.Errorf("logship: %+v", e)
	}
	// Legacy's crond was restarted after the zone change (lab/roles/redmine.sh).
	if e := ids["cron_zone"]; bodyOf[CronZone](t, e).Zone != "Asia/Tokyo" || e.Note != "" {
		t.Errorf("cron_zone: %+v", e)
	}
	// Had it not been, the spec would still expect the zone in the configuration,
	// and say that the old host itself missed it.
	stale := legacy(t)
	stale.Time.StaleDaemons = append(stale.Time.StaleDaemons, snapshot.StaleDaemon{PID: 515, Command: "/usr/sbin/cron -f"})
	for _, e := range Derive(stale, "x").Expectations {
		if e.ID == "cron_zone" && (bodyOf[CronZone](t, e).Zone != "Asia/Tokyo" || !strings.Contains(e.Note, "crond (pid 515) was started before the zone changed")) {
			t.Errorf("cron_zone with a stale crond: %+v", e)
		}
	}
	if e := ids["user:deploy"]; !e.Allows(AllowUID) || bodyOf[User](t, e).Shell != "/bin/bash" {
		t.Errorf("user:deploy should allow another uid: %+v", e)
	}
	if e, b := ids["mount:/mnt/backup"], bodyOf[Mount](t, ids["mount:/mnt/backup"]); !b.Declared || e.Allows(AllowDevice) || b.Device != "10.231.0.40:/export/backup" {
		t.Errorf("the noauto NFS mount: %+v", e)
	}
	if e := ids["process:/home/deploy/bin/worker.sh:deploy"]; !strings.Contains(e.Note, "@reboot job of deploy") {
		t.Errorf("worker's note: %q", e.Note)
	}
}

func TestSpecRoundTrip(t *testing.T) {
	sp := Derive(legacy(t), "legacy.json")
	doc, err := Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	if !IsSpec(doc) || IsSpec([]byte(`{"schema_version": 1}`)) {
		t.Fatal("IsSpec does not tell a spec from a snapshot")
	}
	back, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Marshal(back)
	if !bytes.Equal(doc, again) {
		t.Error("a spec read and written again changes")
	}
}

func TestParseRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"typo in a field": "trowel_spec: 1\nsource: {host: a}\nexpectations:\n- id: x\n  kind: user\n  nmae: deploy\n  from: {host: a}\n",
		"unknown kind":    "trowel_spec: 1\nexpectations:\n- id: x\n  kind: nonsense\n  from: {host: a}\n",
		"duplicate id":    "trowel_spec: 1\nexpectations:\n- {id: x, kind: user, from: {host: a}}\n- {id: x, kind: user, from: {host: a}}\n",
		"no version":      "expectations: []\n",
		"newer format":    "trowel_spec: 99\n",
		"no id":           "trowel_spec: 1\nexpectations:\n- {kind: user, from: {host: a}}\n",
		"not yaml at all": "trowel_spec: [\n",
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDeriveSkipsUncollectedSections(t *testing.T) {
	s := legacy(t)
	s.Coverage[snapshot.SectionCron] = snapshot.Coverage{Status: snapshot.Denied, Reason: "crontabs not readable"}
	sp := Derive(s, "x")
	for _, e := range sp.Expectations {
		if e.Kind() == KindCron || e.Kind() == KindCronZone {
			t.Errorf("derived %s from a denied section", e.ID)
		}
	}
	if len(sp.Gaps) != 1 || !strings.HasPrefix(sp.Gaps[0], "cron:") || !strings.Contains(sp.Gaps[0], "crontabs not readable") {
		t.Errorf("gaps = %q", sp.Gaps)
	}
}

func TestHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"/bin/sh /home/deploy/bin/worker.sh":                                         "/home/deploy/bin/worker.sh",
		"/usr/bin/python3 /usr/local/sbin/logship /etc/logship.conf":                 "/usr/local/sbin/logship",
		"sshd: /usr/sbin/sshd -f /etc/ssh/sshd_config_legacy [listener] 0 of 10-100": "/usr/sbin/sshd -f /etc/ssh/sshd_config_legacy",
		"/usr/sbin/mariadbd --basedir=/usr":                                          "/usr/sbin/mariadbd",
		"python3 -u /opt/x.py":                                                       "/opt/x.py",
	} {
		if got := Program(in); got != want {
			t.Errorf("Program(%q) = %q, want %q", in, got, want)
		}
	}
	for rule, want := range map[string]int{
		"-A INPUT -p tcp -m tcp --dport 80 -j ACCEPT": 80,
		"tcp dport 443 accept":                        443,
		"-A INPUT -p tcp -m tcp --dport 23 -j DROP":   0,
		"-A INPUT -m state --state RELATED -j ACCEPT": 0,
	} {
		if got, _ := FirewallOpening(rule); got != want {
			t.Errorf("FirewallOpening(%q) = %d, want %d", rule, got, want)
		}
	}
	if SettingKey("ChallengeResponseAuthentication") != "kbdinteractiveauthentication" || SettingKey("max-connections") != "max_connections" {
		t.Error("SettingKey does not normalise")
	}
}

// gossOf exports a spec to goss, and reads the gossfile back.
func gossOf(t *testing.T, sp *Spec) ([]byte, map[string]map[string]map[string]any) {
	t.Helper()
	doc, err := Goss(sp)
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]map[string]map[string]any
	if err := yaml.Unmarshal(doc, &g); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, doc)
	}
	return doc, g
}

// TestGossExport holds the export to goss's documented gossfile: known resource
// types only, each with attributes goss defines for that type, commands with an
// exit-status, every resource naming the expectations it checks and where they came
// from, and the golden file.
func TestGossExport(t *testing.T) {
	sp := Derive(legacy(t), "testdata/legacy.json")
	doc, g := gossOf(t, sp)
	golden(t, "testdata/legacy.goss.yaml", doc)
	ids := byID(sp)
	for typ, resources := range g {
		allowed, ok := GossKeys[typ]
		if !ok {
			t.Errorf("resource type %q is not goss's", typ)
			continue
		}
		for name, attrs := range resources {
			for k := range attrs {
				if !slices.Contains(allowed, k) {
					t.Errorf("%s %q: attribute %q is not goss's", typ, name, k)
				}
			}
			if typ == "command" {
				if _, ok := attrs["exit-status"]; !ok {
					t.Errorf("command %q has no exit-status", name)
				}
			}
			meta, _ := attrs["meta"].(map[string]any)
			checks, _ := meta["expectations"].([]any)
			if len(checks) == 0 || attrs["title"] == "" {
				t.Errorf("%s %q names no expectation: %v", typ, name, attrs)
			}
			for _, id := range checks {
				if _, ok := ids[id.(string)]; !ok {
					t.Errorf("%s %q names %v, which the spec does not have", typ, name, id)
				}
			}
		}
	}
	for _, want := range []string{"user", "command", "file", "http", "kernel-param"} {
		if len(g[want]) == 0 {
			t.Errorf("no %s resources", want)
		}
	}
	// Legacy's PID 1 is no init system: its services are asked as its init scripts
	// would be, not through goss's service resource (which would ask systemctl).
	if g["command"]["port:tcp/80"]["exec"] == nil || g["command"]["service:apache2 (running)"]["exec"] == nil || len(g["service"]) > 0 {
		t.Errorf("port tcp/80 / service apache2: %v %v", g["command"]["port:tcp/80"], g["command"]["service:apache2 (running)"])
	}
	if !strings.Contains(string(doc), "\n#     capability:mta\n") || !strings.Contains(string(doc), "#   goss has no SMTP resource") {
		t.Error("what goss cannot check is not listed in the header with the reason")
	}
}

// An edited spec may share fields through YAML's anchors and merge keys; a merged
// field is read as if written in place, and held to its kind as strictly.
func TestParseMergeKeys(t *testing.T) {
	doc := "trowel_spec: 1\nexpectations:\n- &deploy {id: 'user:deploy', kind: user, name: deploy, shell: /bin/bash, from: {host: a}}\n- <<: *deploy\n  id: 'user:ops'\n  name: ops\n"
	sp, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Expectations) != 2 || sp.Expectations[1].ID != "user:ops" || !reflect.DeepEqual(bodyOf[User](t, sp.Expectations[1]), User{Name: "ops", Shell: "/bin/bash"}) {
		t.Errorf("%+v", sp.Expectations)
	}
	bad := "trowel_spec: 1\nexpectations:\n- &k {id: 'key:x', kind: key, user: root, fingerprint: f, from: {host: a}}\n- <<: *k\n  id: 'user:x'\n  kind: user\n  name: x\n"
	if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "expectation user:x") || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("a merged field of another kind: %v", err)
	}
}

// An option of the server's command line (mysqld_safe's --plugin-dir) is how the
// old host starts it, not a setting the new one must have: no expectation, where
// the same option from an option file is one.
func TestCommandLineOptionsAreNoSettings(t *testing.T) {
	s := legacy(t)
	for i := range s.Middleware.Databases {
		db := &s.Middleware.Databases[i]
		db.Settings = append(db.Settings,
			snapshot.Setting{Key: "plugin-dir", Value: "/usr/lib/mysql/plugin", Source: "/proc/215/cmdline", CommandLine: true},
			snapshot.Setting{Key: "max_allowed_packet", Value: "64M", Source: "/etc/mysql/conf.d/site.cnf:2"})
	}
	ids := byID(Derive(s, "legacy.json"))
	for id := range ids {
		if strings.Contains(id, "plugin_dir") || strings.Contains(id, "plugin-dir") {
			t.Errorf("a command-line option became %s", id)
		}
	}
	found := false
	for id := range ids {
		found = found || strings.HasSuffix(id, ":max_allowed_packet")
	}
	if !found {
		t.Error("an option file's setting gave no expectation")
	}
}
