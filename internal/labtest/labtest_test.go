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
	for _, want := range []string{"legacy", "new", "bastion", "collector"} {
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
