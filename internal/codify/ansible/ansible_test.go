package ansible

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger/ledgertest"
	"github.com/trowel-dev/trowel/internal/redact"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden projects under testdata/golden")

// legacyLab is a survey of the lab's legacy host (lab/README.md lists what it
// plants), taken over SSH with trowel survey (internal/e2e, TROWEL_VERIFY_KEEP).
func legacyLab(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	return snapshotFile(t, "testdata/legacy-lab.json")
}

func build(t *testing.T, s *snapshot.Snapshot, target string) *Project {
	t.Helper()
	p, err := distro.ParsePlatform(target)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Snap: s, Target: p, Findings: analyze.Analyze(s, "en")}
	proj, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return proj
}

func TestRewriteApache22Access(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string // lines that must be in the output
		gone     []string // lines that must not
		kept     bool     // left for a person, with a TODO
	}{
		{"allow all", "<Directory /x>\n  Order allow,deny\n  Allow from all\n</Directory>", []string{"  Require all granted"}, []string{"Order allow,deny", "  Allow from all"}, false},
		{"deny all", "<Location /a>\nOrder deny,allow\nDeny from all\n</Location>", []string{"Require all denied"}, []string{"Deny from all"}, false},
		{"only some", "<Location /s>\n    Order deny,allow\n    Deny from all\n    Allow from 127.0.0.1 10.0.0.0/8 .example.com\n</Location>",
			[]string{"    Require ip 127.0.0.1 10.0.0.0/8", "    Require host .example.com"}, []string{"Allow from 127"}, false},
		{"satisfy", "<Directory /p>\nOrder allow,deny\nAllow from 10.1\nSatisfy any\nRequire valid-user\n</Directory>", []string{"TODO(trowel)", "Order allow,deny", "Satisfy any"}, nil, true},
		{"deny some", "<Directory /q>\nOrder allow,deny\nAllow from all\nDeny from 192.0.2.1\n</Directory>", []string{"TODO(trowel)", "Deny from 192.0.2.1"}, nil, true},
		{"env", "<Directory /e>\nOrder deny,allow\nDeny from all\nAllow from env=let_me_in\n</Directory>", []string{"TODO(trowel)"}, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, rws := RewriteApache22Access(c.in)
			if len(rws) != 1 {
				t.Fatalf("rewrites = %+v, want one block", rws)
			}
			if (rws[0].Now == nil) != c.kept {
				t.Errorf("kept = %v, want %v (%+v)", rws[0].Now == nil, c.kept, rws[0])
			}
			lines := strings.Split(out, "\n")
			for _, w := range c.want {
				if !containsLine(lines, w) && !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, g := range c.gone {
				if containsLine(lines, g) {
					t.Errorf("output still has %q:\n%s", g, out)
				}
			}
		})
	}
	if out, rws := RewriteApache22Access("<Directory /x>\nRequire all granted\n</Directory>"); rws != nil || !strings.Contains(out, "Require all granted") {
		t.Errorf("2.4 config changed: %q %+v", out, rws)
	}
}

func containsLine(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

func TestCronCommand(t *testing.T) {
	j := snapshot.CronJob{Command: "tar czf /b/etc-$(date +%a).tar.gz /etc", Input: ""}
	if got := cronCommand(j); got != `tar czf /b/etc-$(date +\%a).tar.gz /etc` {
		t.Errorf("escaped %%: %q", got)
	}
	j = snapshot.CronJob{Command: "/usr/sbin/sendmail ops@example.co.jp", Input: "Subject: ping\n\nalive 100%\n"}
	if got := cronCommand(j); got != `/usr/sbin/sendmail ops@example.co.jp%Subject: ping%%alive 100\%%` {
		t.Errorf("stdin: %q", got)
	}
	if got := cronCommand(snapshot.CronJob{Command: "echo ${#x} {{y}}"}); !strings.HasPrefix(got, "{% raw %}") {
		t.Errorf("Jinja in a command must be kept literal: %q", got)
	}
}

// A secret the probe missed (an old snapshot, a hand edit) is filtered again, and a
// redacted value becomes a vault variable whose value is a TODO.
func TestTemplatesNeverCarrySecrets(t *testing.T) {
	s := &snapshot.Snapshot{SchemaVersion: 1, Host: snapshot.Host{Hostname: "old"}, OS: snapshot.OS{ID: "debian", VersionID: "11"}}
	b := &builder{p: &Project{Target: distro.Platform{ID: "debian", Version: "12"}, Source: SourceInfo{Hostname: "old"}}, s: s}
	c := snapshot.ConfigFile{Path: "/etc/app/app.conf", Content: "user = app\npassword = <redacted>\ndb_password: hunter2\n{{ not jinja }}\n"}
	out := b.templateText(c, "app")
	if strings.Contains(out, "hunter2") || strings.Contains(out, redact.Marker) {
		t.Errorf("a secret or a placeholder survived:\n%s", out)
	}
	if !strings.Contains(out, "password = {{ vault_app_app_password }}") {
		t.Errorf("the redacted value is not a vault variable:\n%s", out)
	}
	if !strings.Contains(out, "{{ '{{' }} not jinja }}") {
		t.Errorf("Jinja in the file is not escaped:\n%s", out)
	}
	if len(b.p.Vault) != 2 {
		t.Fatalf("vault = %+v, want two variables", b.p.Vault)
	}
	for _, v := range b.p.Vault {
		if !strings.HasPrefix(v.Value.(string), "TODO") {
			t.Errorf("vault %s = %v, want a TODO", v.Name, v.Value)
		}
	}
}

// What the lab's legacy host runs becomes roles for debian-12: the planted
// services, translated names and paths for EL, and the data in the TODO list.
func TestLegacyLabProject(t *testing.T) {
	s := legacyLab(t)
	deb := Render(build(t, s, "debian-12"))
	for _, f := range []string{"roles/base/tasks/main.yml", "roles/accounts/tasks/main.yml", "roles/web/tasks/main.yml",
		"roles/database/tasks/main.yml", "roles/mail/tasks/main.yml", "roles/logging/tasks/main.yml", "roles/logship/tasks/main.yml",
		"roles/cron/tasks/main.yml", "roles/firewall/tasks/main.yml", "roles/logship/templates/logship.service.j2"} {
		if _, ok := deb[f]; !ok {
			t.Errorf("no %s", f)
		}
	}
	must := map[string][]string{
		"group_vars/all/main.yml": {"base_timezone: Asia/Tokyo", `mail_relayhost: "[mailrelay.example.co.jp]:25"`,
			"names: mailrelay.example.co.jp mailrelay loghost.example.co.jp loghost", "database_innodb_buffer_pool_size: 64M",
			"logship_destination_port: 24224", "special_time: reboot", `tar czf /var/backups/etc-$(date +\\%a).tar.gz`},
		"roles/web/templates/apache-redmine.conf.j2":         {"Require all granted", "Require ip 127.0.0.1 10.231.0.0/24"},
		"roles/accounts/tasks/main.yml":                      {`validate: "visudo -cf %s"`},
		"roles/logging/templates/rsyslog-60-forward.conf.j2": {"*.* @@{{ logging_syslog_host }}:{{ logging_syslog_port }}"},
		"roles/base/handlers/main.yml":                       {"listen: Time zone changed"},
		"MIGRATION_TODO.md": {"Database redmine", "/usr/local/sbin/logship", "`config.apache22-access`", "`eol.os`", "`backup.local-only`",
			"Second SSH daemon ssh-legacy"},
	}
	for f, ws := range must {
		for _, w := range ws {
			if !strings.Contains(deb[f], w) {
				t.Errorf("%s lacks %q", f, w)
			}
		}
	}
	if strings.Contains(deb["roles/web/templates/apache-redmine.conf.j2"], "Order allow,deny\n") {
		t.Error("a 2.2 Order line whose meaning is certain was kept")
	}
	el := Render(build(t, s, "almalinux-9"))
	for f, w := range map[string]string{
		"roles/web/defaults/main.yml":   "- httpd",
		"roles/cron/defaults/main.yml":  "- cronie",
		"roles/web/tasks/main.yml":      "dest: /etc/httpd/conf.d/redmine.conf",
		"roles/firewall/tasks/main.yml": "ansible.posix.firewalld",
		"group_vars/all/main.yml":       "name: CRON_TZ",
	} {
		if !strings.Contains(el[f], w) {
			t.Errorf("almalinux-9 %s lacks %q", f, w)
		}
	}
	if strings.Contains(el["roles/web/templates/apache-redmine.conf.j2"], "APACHE_LOG_DIR") {
		t.Error("a Debian-only variable reached the EL vhost")
	}
	for _, files := range []map[string]string{deb, el} {
		noSecrets(t, files)
	}
}

// noSecrets requires every generated file, the vault excepted, to pass the probe's
// own secret filter unchanged, and the vault to hold only TODOs.
func noSecrets(t *testing.T, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if name == "group_vars/all/vault.yml" {
			for _, l := range strings.Split(body, "\n") {
				if strings.HasPrefix(l, "vault_") && !strings.Contains(l, `: "TODO`) {
					t.Errorf("vault line without a TODO: %q", l)
				}
			}
			continue
		}
		// The filter reads config text; prose and task files (authorized_key:) are
		// checked for the lab's known secrets only.
		config := strings.Contains(name, "/templates/") || strings.Contains(name, "/files/") ||
			strings.HasSuffix(name, "defaults/main.yml") || name == "group_vars/all/main.yml"
		if got := string(redact.Text([]byte(body))); config && got != body {
			t.Errorf("%s has text the secret filter removes", name)
		}
		for _, bad := range []string{"PRIVATE KEY-----", "redmine-db-pw", "ops-lab-pw", "alice-lab-pw"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

// TestGolden keeps the generated project for the lab's legacy host under review:
// go test ./internal/codify/ansible -update rewrites it.
func TestGolden(t *testing.T) {
	s := legacyLab(t)
	for _, target := range []string{"debian-12", "almalinux-9"} {
		files := Render(build(t, s, target))
		dir := filepath.Join("testdata", "golden", "legacy-"+target)
		if *update {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			for name, body := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		seen := 0
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			rel = filepath.ToSlash(rel)
			want, _ := os.ReadFile(p)
			seen++
			if got, ok := files[rel]; !ok {
				t.Errorf("%s: %s is no longer generated", target, rel)
			} else if got != string(want) {
				t.Errorf("%s: %s differs from the golden file (go test -update to accept)", target, rel)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%v (go test -update writes the golden files)", err)
		}
		if seen != len(files) {
			t.Errorf("%s: %d files generated, %d golden (go test -update to accept)", target, len(files), seen)
		}
	}
}

// Every supported target's project passes ansible-playbook --syntax-check and
// ansible-lint's production profile: legacy's for every target; the CentOS 5
// root (the field reports' EL shape) for the EL targets, which cannot be booted
// here; webapp's (software outside packages, a gem-installed fluentd, a
// Passenger app) for a Debian, an Ubuntu and an EL target.
func TestProjectsPassAnsibleLint(t *testing.T) {
	playbook, errP := exec.LookPath("ansible-playbook")
	lint, errL := exec.LookPath("ansible-lint")
	if errP != nil || errL != nil {
		t.Skip("ansible-playbook or ansible-lint not installed (run lab/deps.sh as root, which make test does)")
	}
	snaps := ledgertest.Snapshots(t)
	webapp := snapshotFile(t, "testdata/webapp-lab.json")
	var all []string
	for _, target := range distro.Targets() {
		all = append(all, target.String())
	}
	home := t.TempDir()
	for _, c := range []struct {
		name    string
		snap    *snapshot.Snapshot
		targets []string
	}{
		{"legacy", legacyLab(t), all},
		{"centos5", snaps["centos5-redmine"], []string{"almalinux-9", "rocky-9"}},
		{"webapp", webapp, []string{"debian-12", "ubuntu-24.04", "almalinux-9"}},
	} {
		if c.snap == nil {
			t.Fatalf("no snapshot %s", c.name)
		}
		for _, target := range c.targets {
			t.Run(c.name+"/"+target, func(t *testing.T) {
				dir := t.TempDir()
				if err := Write(build(t, c.snap, target), dir); err != nil {
					t.Fatal(err)
				}
				env := append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"), "ANSIBLE_LOCAL_TEMP="+filepath.Join(home, "tmp"))
				cmd := exec.Command(playbook, "--syntax-check", "site.yml")
				cmd.Dir, cmd.Env = dir, env
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("syntax check: %v\n%s", err, out)
				}
				cmd = exec.Command(lint, "--offline", "--nocolor", "-p")
				cmd.Dir, cmd.Env = dir, env
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("ansible-lint: %v\n%s", err, out)
				}
			})
		}
	}
}

func snapshotFile(t *testing.T, path string) *snapshot.Snapshot {
	t.Helper()
	var s snapshot.Snapshot
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// Only a credential becomes a vault variable. A value an older trowel removed where
// nothing names a credential (PassengerPreStart http:<redacted>, ProxyPass / ajp:...)
// is no secret: its line is commented out and the TODO list says why, and a URL
// without user information, re-filtered now, stays as it is.
func TestOnlyCredentialsBecomeVaultVariables(t *testing.T) {
	s := &snapshot.Snapshot{SchemaVersion: 1, Host: snapshot.Host{Hostname: "old"}, OS: snapshot.OS{ID: "debian", VersionID: "11"}}
	b := &builder{p: &Project{Target: distro.Platform{ID: "debian", Version: "12"}, Source: SourceInfo{Hostname: "old"}}, s: s}
	c := snapshot.ConfigFile{Path: "/etc/apache2/sites-available/redmine.conf", Content: "" +
		"PassengerPreStart http://127.0.0.1/\n" +
		"ProxyPass /ajp ajp://backend:8009/\n" +
		"PassengerPreStart http:<redacted>\n" +
		"ProxyPass / ajp:<redacted>\n" +
		"SetEnv REDMINE_URL https://deploy:<redacted>@git.example.com/app.git\n" +
		"  ExecStart=/usr/bin/rdm-mailhandler.rb --url http://127.0.0.1/ --key <redacted>\n" +
		"  ExecStart=/usr/bin/rdm-mailhandler.rb --key NewK3y-1\n"}
	out := b.templateText(c, "web")
	for _, want := range []string{
		"\nPassengerPreStart http://127.0.0.1/\n", "\nProxyPass /ajp ajp://backend:8009/\n",
		"\n# PassengerPreStart http:<redacted>\n", "\n# ProxyPass / ajp:<redacted>\n",
		"https://deploy:{{ vault_web_redmine_deploy }}@git", "--key {{ vault_web_redmine_key }}\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "NewK3y-1") {
		t.Errorf("a secret the probe did not know went into the template:\n%s", out)
	}
	var names []string
	for _, v := range b.p.Vault {
		names = append(names, v.Name)
		if strings.Contains(v.Name, "http") || strings.Contains(v.Name, "ajp") {
			t.Errorf("a vault variable for a value that is no secret: %s", v.Name)
		}
	}
	if len(names) != 2 {
		t.Errorf("vault = %v, want the URL's password and the mail handler's key", names)
	}
	if len(b.p.Todo) != 1 || !strings.Contains(b.p.Todo[0].Detail, "redmine.conf:3, /etc/apache2/sites-available/redmine.conf:4") {
		t.Errorf("todo = %+v", b.p.Todo)
	}
}
