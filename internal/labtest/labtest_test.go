package labtest_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/labtest"
)

// eventually retries f until it returns "" or the deadline passes, then
// fails the test with f's last complaint.
func eventually(t *testing.T, d time.Duration, f func() string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		msg := f()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, msg)
		}
		time.Sleep(time.Second)
	}
}

func TestRequireSkipsWithoutLab(t *testing.T) {
	t.Setenv("TROWEL_LAB_STATE", t.TempDir())
	t.Setenv("TROWEL_LAB_REQUIRED", "")
	var skipped bool
	t.Run("inner", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		labtest.Require(t)
		t.Error("Require returned without a lab")
	})
	if !skipped {
		t.Fatal("Require did not skip when no lab is up")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	js := `{"version":1,"state_dir":"` + dir + `","key_file":"k","known_hosts":"kh","ssh_config":"sc",
	 "hosts":{"legacy":{"name":"legacy","addr":"10.231.0.10","port":22,"legacy_port":2222,"root":"/r",
	 "users":{"ops":{"name":"ops","password":"pw","sudo":"password"}},"ports":[22,80]}}}`
	if err := os.WriteFile(filepath.Join(dir, "lab.json"), []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := labtest.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := l.Hosts["legacy"]
	if l.KeyFile != "k" || h.LegacyPort != 2222 || h.Users["ops"].Sudo != labtest.SudoPassword || h.Root != "/r" {
		t.Fatalf("bad parse: %+v", l)
	}
	if got := h.URL(""); got != "ssh://root@10.231.0.10:22" {
		t.Fatalf("URL = %q", got)
	}
}

// TestLabHostsAnswerSSH: every host accepts the lab key for every account
// listed in lab.json and is the host it claims to be.
func TestLabHostsAnswerSSH(t *testing.T) {
	lab := labtest.Require(t)
	for _, want := range []string{"legacy", "new", "bastion", "collector", "replica", "webapp"} {
		if _, ok := lab.Hosts[want]; !ok {
			t.Errorf("lab.json lacks host %s", want)
		}
	}
	for _, name := range lab.HostNames() {
		h := lab.Hosts[name]
		for _, u := range h.Users {
			out, err := lab.SSH(t, name, u.Name, "hostname; id -un")
			if err != nil {
				t.Errorf("%s@%s: %v", u.Name, name, err)
				continue
			}
			if got, want := strings.Fields(out), []string{name, u.Name}; strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s@%s: got %q, want %q", u.Name, name, got, want)
			}
		}
	}
}

// TestLegacyListening: the legacy host's services listen, seen both from the
// host itself (ss) and over the lab network (TCP connect from here).
func TestLegacyListening(t *testing.T) {
	lab := labtest.Require(t)
	h := lab.Hosts["legacy"]
	out, err := lab.SSH(t, "legacy", "root", "ss -Hltn")
	if err != nil {
		t.Fatal(err)
	}
	for _, port := range []int{22, 2222, 80, 3306, 25} {
		p := ":" + strconv.Itoa(port)
		found := false
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) >= 4 && strings.HasSuffix(f[3], p) {
				found = true
			}
		}
		if !found {
			t.Errorf("legacy: nothing listens on %s; ss says:\n%s", p, out)
			continue
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort(h.Addr, strconv.Itoa(port)), 3*time.Second)
		if err != nil {
			t.Errorf("legacy%s not reachable from the lab machine: %v", p, err)
			continue
		}
		c.Close()
	}
}

// TestLegacyOutboundEstablished: rsyslog (514) and logship (24224) keep
// connections to the collector open.
func TestLegacyOutboundEstablished(t *testing.T) {
	lab := labtest.Require(t)
	collector := lab.Hosts["collector"].Addr
	eventually(t, 45*time.Second, func() string {
		out, err := lab.SSH(t, "legacy", "root", "ss -Htn state established")
		if err != nil {
			return err.Error()
		}
		for _, port := range []string{"514", "24224"} {
			if !strings.Contains(out, collector+":"+port) {
				return "no ESTABLISHED connection from legacy to " + collector + ":" + port + "; ss says:\n" + out
			}
		}
		return ""
	})
}

// TestCollectorReceives: what legacy sends really arrives: syslog lines, the
// log shipper's records and the mail cron sends at boot via the relayhost.
func TestCollectorReceives(t *testing.T) {
	lab := labtest.Require(t)
	eventually(t, 60*time.Second, func() string {
		out, err := lab.SSH(t, "collector", "root",
			"grep -c legacy /var/log/lab-sink/syslog.log; grep -c bytes /var/log/lab-sink/forward.log; grep -c 'legacy booted' /var/log/lab-sink/mail.log")
		f := strings.Fields(out)
		if err != nil || len(f) != 3 {
			return "collector sink logs incomplete: " + out + " " + errString(err)
		}
		for i, what := range []string{"syslog lines", "forwarded records", "relayed boot mail"} {
			if f[i] == "0" {
				return "collector received no " + what
			}
		}
		return ""
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestLegacyOldSSHAlgorithms: port 2222 only speaks CentOS-5-era algorithms:
// a default modern client is refused, one falling back to ssh-rsa/group14-sha1
// (ssh_config alias legacy-old) gets in.
func TestLegacyOldSSHAlgorithms(t *testing.T) {
	lab := labtest.Require(t)
	if out, err := lab.SSH(t, "legacy-old", "root", "echo ok"); err != nil || strings.TrimSpace(out) != "ok" {
		t.Errorf("legacy-old (port 2222 with legacy algorithms): %q %v", out, err)
	}
	_, err := lab.SSHArgs(t, "legacy", "root", "true", "-p", "2222")
	if err == nil {
		t.Errorf("port 2222 accepted a client using only modern algorithms")
	} else if !strings.Contains(err.Error(), "no matching") {
		t.Errorf("port 2222 refused a modern client, but not for lack of algorithms: %v", err)
	}
}

func TestProxyJump(t *testing.T) {
	lab := labtest.Require(t)
	out, err := lab.SSH(t, "legacy-via-bastion", "root", "hostname")
	if err != nil || strings.TrimSpace(out) != "legacy" {
		t.Fatalf("legacy via bastion: %q %v", out, err)
	}
}

// TestLegacySudo: deploy NOPASSWD, alice none, ops needs a password AND a tty
// (Defaults:ops requiretty).
func TestLegacySudo(t *testing.T) {
	lab := labtest.Require(t)
	users := lab.Hosts["legacy"].Users
	if users["deploy"].Sudo != labtest.SudoNoPasswd || users["ops"].Sudo != labtest.SudoPassword || users["alice"].Sudo != labtest.SudoNone {
		t.Fatalf("lab.json users: %+v", users)
	}
	if out, err := lab.SSH(t, "legacy", "deploy", "sudo -n id -u"); err != nil || strings.TrimSpace(out) != "0" {
		t.Errorf("deploy: sudo -n: %q %v", out, err)
	}
	if _, err := lab.SSH(t, "legacy", "alice", "sudo -n true"); err == nil {
		t.Errorf("alice: sudo -n worked, want refused")
	}
	pw := users["ops"].Password
	if _, err := lab.SSH(t, "legacy", "ops", "echo '"+pw+"' | sudo -S -p '' true"); err == nil || !strings.Contains(err.Error(), "tty") {
		t.Errorf("ops without a tty: want requiretty refusal, got %v", err)
	}
	// with a tty sudo may print its first-time lecture: look at the last line
	out, err := lab.SSHArgs(t, "legacy", "ops", "echo '"+pw+"' | sudo -S -p '' id -u", "-tt")
	if f := strings.Fields(out); err != nil || len(f) == 0 || f[len(f)-1] != "0" {
		t.Errorf("ops with a tty and password: %q %v", out, err)
	}
}

// TestLegacyPlanted: a few planted facts are really there.
func TestLegacyPlanted(t *testing.T) {
	lab := labtest.Require(t)
	checks := map[string]string{
		"mysql -N -e 'select count(*) from redmine.issues'": "5",
		"cat /etc/timezone":                                   "Asia/Tokyo",
		"postconf -h relayhost":                               "[mailrelay.example.co.jp]:25",
		"crontab -l -u deploy | grep -c '^@reboot'":           "1",
		"python3 -c 'import sys; print(sys.version_info[0])'": "3",
		"kill -0 $(cat /run/sshd-legacy.pid) && echo running": "running",
	}
	for cmd, want := range checks {
		out, err := lab.SSH(t, "legacy", "root", cmd)
		if err != nil || strings.TrimSpace(out) != want {
			t.Errorf("legacy: %s: got %q (%v), want %q", cmd, strings.TrimSpace(out), err, want)
		}
	}
	if h := lab.Hosts["legacy"]; h.Root != "" {
		if _, err := os.Stat(filepath.Join(h.Root, "etc/apache2/sites-available/redmine.conf")); err != nil {
			t.Errorf("merged root for offline surveys: %v", err)
		}
	}
}

// TestHostsBootTheirInit: each host runs the init lab.json says, and is up
// under it. A systemd host has booted (running, or degraded with its failed
// units named), every unit it lists is active and starts at boot, and every
// unit it keeps installed but off is inactive and disabled. A SysV host runs
// /lab-init as PID 1, with an init script for each service it starts.
func TestHostsBootTheirInit(t *testing.T) {
	lab := labtest.Require(t)
	for _, name := range lab.HostNames() {
		h := lab.Hosts[name]
		t.Run(name, func(t *testing.T) {
			pid1, err := lab.SSH(t, name, "root", "tr '\\0' ' ' </proc/1/cmdline")
			if err != nil {
				t.Fatal(err)
			}
			switch h.Init {
			case labtest.InitSystemd:
				if !strings.Contains(pid1, "systemd") {
					t.Fatalf("PID 1 is %q, not systemd", pid1)
				}
				state, err := lab.SystemState(t, name)
				if err != nil {
					t.Fatal(err)
				}
				switch state {
				case "running":
				case "degraded":
					failed, _ := lab.SSH(t, name, "root", "systemctl --failed --no-legend --plain")
					t.Logf("%s is degraded; failed units:\n%s", name, failed)
				default:
					t.Errorf("systemctl is-system-running: %q, want running (or degraded)", state)
				}
				for _, u := range h.Services {
					out, _ := lab.SSH(t, name, "root", "systemctl is-active "+u+"; systemctl is-enabled "+u+" 2>/dev/null | tail -n 1")
					if f := strings.Fields(out); len(f) != 2 || f[0] != "active" || (f[1] != "enabled" && f[1] != "static") {
						t.Errorf("unit %s: is-active, is-enabled say %q; want active and enabled", u, f)
					}
				}
				for _, u := range h.Inactive {
					out, _ := lab.SSH(t, name, "root", "systemctl is-active "+u+"; systemctl is-enabled "+u+" 2>/dev/null | tail -n 1")
					if f := strings.Fields(out); len(f) != 2 || f[0] != "inactive" || f[1] != "disabled" {
						t.Errorf("unit %s: is-active, is-enabled say %q; want inactive and disabled", u, f)
					}
				}
			case labtest.InitSysV:
				if !strings.Contains(pid1, "/lab-init") {
					t.Fatalf("PID 1 is %q, not /lab-init", pid1)
				}
				for _, s := range h.Services {
					if _, err := lab.SSH(t, name, "root", "test -x /etc/init.d/"+s); err != nil {
						t.Errorf("service %s has no init script: %v", s, err)
					}
				}
			default:
				t.Errorf("lab.json: init %q", h.Init)
			}
		})
	}
}

// TestWebappPlanted: what lab/roles/webapp/setup.sh planted is there and
// works, so that a survey of webapp has the truth to find.
func TestWebappPlanted(t *testing.T) {
	lab := labtest.Require(t)
	h, ok := lab.Hosts["webapp"]
	if !ok {
		t.Fatal("lab.json lacks host webapp")
	}
	p := h.Planted
	app := p["app_root"]
	checks := []struct{ what, cmd, want string }{
		{"the document root is a symlink to the release", "readlink /var/www/redmine", app},
		{"Passenger runs the app from it", "grep -c '^ *PassengerAppRoot /var/www/redmine$' /etc/apache2/sites-enabled/redmine.conf", "1"},
		{"the app answers from the database", "curl -s -H 'Host: redmine.example.co.jp' http://127.0.0.1/ | grep -o '<title>Redmine</title>\\|20000 issues' | sort | paste -sd' '", "20000 issues <title>Redmine</title>"},
		{"the app's process", "ps -eo user=,args= | grep -c '^redmine *Passenger RubyApp: /var/www/redmine'", "1"},
		{"fluentd is a gem, no package's", "gem list -i fluentd && test -d " + p["fluentd_gem"] + " && ! dpkg -S /usr/local/bin/fluentd >/dev/null 2>&1 && echo gem", "true\ngem"},
		{"fluentd runs as fluentd", "ps -o user=,args= -C fluentd | grep -c '^fluentd .*/usr/local/bin/fluentd -c /etc/fluent/fluent.conf'", "1"},
		{"fluentd forwards to the collector", "ss -Htn state established dst 10.231.0.40:24224 | wc -l", "1"},
		{"fluentd records its position", "cut -f1 " + p["fluentd_pos_file"], "/var/log/apache2/redmine_access.log"},
		{"no package holds MariaDB", "dpkg -l 'mariadb-server*' 2>/dev/null | grep -c '^ii'; dpkg -S " + strings.Fields(p["db_basedir"])[2] + "/bin/mariadbd >/dev/null 2>&1 || echo unowned", "0\nunowned"},
		{"MariaDB runs from /usr/local/mysql, listening on loopback", "ps -o args= -C mariadbd | cut -d' ' -f1; ss -Hltn 'sport = :3306' | awk '{print $4}'", "/usr/local/mysql/bin/mariadbd\n127.0.0.1:3306"},
		{"MariaDB holds the rows", "/usr/local/mysql/bin/mysql -S /tmp/mysql.sock -uroot -p" + p["secret_backup_mysqldump_password"] + " -N -e 'select count(*) from redmine.issues'", "20000"},
		{"its init script and config", "test -x /etc/init.d/mysql && grep -c '^datadir *= /usr/local/mysql/data' /etc/my.cnf", "1"},
		{"Lua is built from source under /usr/local", "/usr/local/bin/lua -v | cut -d' ' -f1,2; dpkg -S /usr/local/bin/lua >/dev/null 2>&1 || echo unowned; test -f /usr/local/src/lua-5.4.2/Makefile && echo source", "Lua 5.4.2\nunowned\nsource"},
		{"Dovecot is configured", "doveconf -h protocols", "imap"},
		{"chronyd only watches the clock", "ps -o args= -C chronyd | sort -u", "/usr/sbin/chronyd -x -F 1"},
		{"Postfix relays to the collector", "postconf -h relayhost", p["relayhost"]},
		{"the zone", "cat /etc/timezone", p["timezone"]},
		{"a crontab with CRON_TZ", "crontab -l -u redmine | grep -c '^CRON_TZ=America/New_York'", "1"},
		{"the timer's unit has its token", "systemctl show -p Environment redmine-sync.service | grep -c 'API_TOKEN=" + p["secret_unit_api_token"] + "'", "1"},
	}
	for _, c := range checks {
		out, err := lab.SSH(t, "webapp", "root", c.cmd)
		if got := strings.TrimSpace(out); err != nil || got != c.want {
			t.Errorf("%s: %s: got %q (%v), want %q", c.what, c.cmd, got, err, c.want)
		}
	}
	// Every secret sits where lab/README.md says.
	where := map[string]string{
		"secret_aliases_mailhandler_key":   "/etc/aliases",
		"secret_cron_api_key":              "/etc/cron.d/redmine-reports",
		"secret_unit_api_token":            "/etc/systemd/system/redmine-sync.service",
		"secret_backup_mysqldump_password": "/usr/local/sbin/backup-db.sh",
		"secret_url_token":                 "/var/spool/cron/crontabs/root",
		"secret_database_yml_password":     app + "/config/database.yml",
		"secret_smtp_password":             app + "/config/configuration.yml",
	}
	for key, v := range p {
		if !strings.HasPrefix(key, "secret_") {
			continue
		}
		file, ok := where[key]
		if !ok {
			t.Errorf("planted %s: the test does not know where it is", key)
			continue
		}
		if _, err := lab.SSH(t, "webapp", "root", "grep -qF -- '"+v+"' "+file); err != nil {
			t.Errorf("planted %s is not in %s: %v", key, file, err)
		}
	}
	if len(where) != countPrefix(p, "secret_") {
		t.Errorf("lab.json plants %d secrets on webapp, the test knows %d", countPrefix(p, "secret_"), len(where))
	}
	// The database is some hundred MB, sparse or not.
	out, err := lab.SSH(t, "webapp", "root", "du -sb --apparent-size /usr/local/mysql/data/; du -sB1 /usr/local/mysql/data/")
	if f := strings.Fields(out); err != nil || len(f) != 4 {
		t.Errorf("sizing the datadir: %q %v", out, err)
	} else {
		apparent, _ := strconv.ParseInt(f[0], 10, 64)
		allocated, _ := strconv.ParseInt(f[2], 10, 64)
		t.Logf("datadir: apparent %d bytes, allocated %d bytes", apparent, allocated)
		if apparent < 200<<20 {
			t.Errorf("the datadir holds only %d bytes", apparent)
		}
	}
}

func countPrefix(m map[string]string, prefix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// TestCollectorReceivesFromWebapp: webapp's fluentd reaches the collector.
func TestCollectorReceivesFromWebapp(t *testing.T) {
	lab := labtest.Require(t)
	if _, ok := lab.Hosts["webapp"]; !ok {
		t.Fatal("lab.json lacks host webapp")
	}
	eventually(t, 60*time.Second, func() string {
		out, err := lab.SSH(t, "collector", "root", "grep -c '10.231.0.11:.* bytes' /var/log/lab-sink/forward.log")
		if err != nil || strings.TrimSpace(out) == "0" {
			return "the collector received no forward records from webapp: " + out + " " + errString(err)
		}
		return ""
	})
}
