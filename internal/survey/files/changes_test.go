package files

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func configsOf(t *testing.T, rootName, manager string) map[string]snapshot.ConfigFile {
	t.Helper()
	s := surveyed(offline(t, root(t, rootName, false)), manager)
	if cv := s.Coverage[snapshot.SectionFiles]; cv.Status != snapshot.Collected && cv.Status != snapshot.Partial {
		t.Fatalf("coverage %+v", cv)
	}
	by := map[string]snapshot.ConfigFile{}
	for _, c := range s.Files.Configs {
		by[c.Path] = c
	}
	return by
}

// settingsText is a file's changes one per line, as "section|key|change|was|now|
// commented|hidden".
func settingsText(c snapshot.ConfigFile) string {
	var b strings.Builder
	for _, s := range c.Settings {
		flag := ""
		if s.WasCommented {
			flag += " commented"
		}
		if s.Hidden {
			flag += " hidden"
		}
		b.WriteString(s.Section + "|" + s.Key + "|" + s.Change + "|" + s.Was + "|" + s.Now + "|" + flag + "\n")
	}
	return b.String()
}

func baselineText(c snapshot.ConfigFile) string {
	if c.Baseline == nil {
		return "<nil>"
	}
	b, _ := json.Marshal(c.Baseline)
	return string(b)
}

// The Debian 11 root: each changed file is compared with the copy of its packaged
// version the host keeps, and each writer is named only with its evidence.
func TestDebianChangesSettingBySetting(t *testing.T) {
	by := configsOf(t, "debian11", "dpkg")
	for _, tc := range []struct {
		path, state, pkg, baseline, settings string
	}{
		// ucf manages sshd_config for openssh-server; its cache holds what the
		// install script wrote, and the file's commented-out lines show the defaults.
		{"/etc/ssh/sshd_config", "modified", "openssh-server",
			`{"kind":"ucf-cache","path":"/var/lib/ucf/cache/:etc:ssh:sshd_config","exact":true,"compared":true,"format":"keyvalue"}`,
			"|Port|changed|22|2222| commented\n" +
				"|PermitRootLogin|changed|prohibit-password|yes| commented\n" +
				"|PasswordAuthentication|changed|yes|no| commented\n" +
				"|X11Forwarding|changed|yes|no|\n" +
				"Match User deploy|PasswordAuthentication|added||yes|\n" +
				"Match User deploy|AllowTcpForwarding|added||no|\n"},
		// The password changed: the host said so, the value never left it.
		{"/etc/phpmyadmin/config-db.php", "modified", "phpmyadmin",
			`{"kind":"ucf-cache","path":"/var/lib/ucf/cache/:etc:phpmyadmin:config-db.php","exact":true,"compared":true,"format":"keyvalue"}`,
			"|$dbpass|changed||| hidden\n|$dbserver|changed|'localhost'|'db.internal'|\n"},
		// A conffile with the packaged version an upgrade left beside it (its digest
		// is the one dpkg holds), compared line by line.
		{"/etc/rsyslog.conf", "modified", "rsyslog",
			`{"kind":"dpkg-dist","path":"/etc/rsyslog.conf.dpkg-dist","exact":true,"compared":true,"format":"lines"}`,
			"||removed|$FileCreateMode 0640||\n||added||$FileCreateMode 0644|\n||added||*.* @@logs.example.net:514|\n"},
		// A conffile with no copy: dpkg keeps only the digest.
		{"/etc/default/ssh", "modified", "openssh-server",
			`{"kind":"none","why":"not on the host: dpkg keeps only the digest of the packaged version"}`, ""},
		{"/etc/motd", "unowned", "",
			`{"kind":"template","path":"/usr/share/base-files/motd","exact":true,"compared":true,"format":"lines"}`,
			"||added||This host is managed by the operations team. Authorised use only.|\n"},
		{"/etc/cron.d/backup-db", "unowned", "", `{"kind":"none","why":"no package"}`, ""},
		{"/etc/rsyslog.conf.dpkg-dist", "unowned", "",
			`{"kind":"none","why":"a packaged version itself: the one of /etc/rsyslog.conf an upgrade left beside it"}`, ""},
	} {
		c, ok := by[tc.path]
		if !ok {
			t.Errorf("%s not reported", tc.path)
			continue
		}
		if c.State != tc.state || c.Package != tc.pkg {
			t.Errorf("%s: %s %q", tc.path, c.State, c.Package)
		}
		if got := baselineText(c); got != tc.baseline {
			t.Errorf("%s baseline:\n got %s\nwant %s", tc.path, got, tc.baseline)
		}
		if got := settingsText(c); got != tc.settings {
			t.Errorf("%s settings:\n%s\nwant:\n%s", tc.path, got, tc.settings)
		}
	}
	// main.cf against the template the install script starts from: the installer's
	// own settings show too, which the baseline's kind says; the SASL password map is
	// a name the secret filter hides.
	mc := by["/etc/postfix/main.cf"]
	if mc.Baseline == nil || mc.Baseline.Kind != "template" || mc.Baseline.Exact || mc.Baseline.Path != "/usr/share/postfix/main.cf.debian" {
		t.Errorf("main.cf baseline %s", baselineText(mc))
	}
	for _, want := range []string{"|relayhost|added||[smtp.example.net]:587|", "|myhostname|added||mail.example.org|", "|smtp_sasl_password_maps|added||| hidden"} {
		if !strings.Contains(settingsText(mc), want+"\n") {
			t.Errorf("main.cf lacks %q:\n%s", want, settingsText(mc))
		}
	}
	// Unchanged files their writers wrote are not reported: ucf's dovecot file, the
	// templates' verbatim copies, dynamicmaps.cf with its known digest.
	for _, p := range []string{"/etc/dovecot/conf.d/10-auth.conf", "/etc/profile", "/etc/postfix/main.cf.proto", "/etc/postfix/master.cf", "/etc/postfix/dynamicmaps.cf"} {
		if c, ok := by[p]; ok {
			t.Errorf("%s reported: %+v", p, c)
		}
	}
	// Writers, each with its evidence.
	for p, want := range map[string]string{
		"/etc/ssh/sshd_config":          `{"package":"openssh-server","script":"ucf","known":"ucf-registry"}`,
		"/etc/phpmyadmin/config-db.php": `{"package":"phpmyadmin","script":"ucf","known":"ucf-registry"}`,
		"/etc/aliases":                  `{"package":"postfix","script":"postinst","known":"script","line":"echo \"root:\t$RET\" \u003e\u003e /etc/aliases","debconf":true}`,
		"/etc/timezone":                 `{"package":"tzdata","script":"postinst","known":"script","line":"echo $AREA/$ZONE \u003e /etc/timezone","debconf":true}`,
		"/etc/motd":                     `{"package":"base-files","script":"postinst","known":"script","line":"install_from_default motd          /etc/motd"}`,
		// postfix's postinst reads /etc/hostname; it does not write it.
		"/etc/hostname":         `null`,
		"/etc/cron.d/backup-db": `null`,
	} {
		b, _ := json.Marshal(by[p].Writer)
		if string(b) != want {
			t.Errorf("%s writer %s, want %s", p, b, want)
		}
	}
	// The removed conffile is missing and has nothing to compare.
	if c := by["/etc/ssh/moduli"]; c.State != "missing" || c.Baseline != nil || len(c.Settings) > 0 {
		t.Errorf("moduli %+v", c)
	}
}

// The CentOS 7 root: an .rpmnew whose digest is the database's is the packaged
// version itself; one whose digest is not is an older packaged version; a changed
// %config file with neither says the packaged version is not on the host. No
// Debian writer is named on an RPM host.
func TestELChangesSettingBySetting(t *testing.T) {
	by := configsOf(t, "el7", "rpm")
	for _, tc := range []struct {
		path, state, baseline, settings string
	}{
		{"/etc/hosts", "modified", `{"kind":"rpmnew","path":"/etc/hosts.rpmnew","exact":true,"compared":true,"format":"keyvalue"}`,
			"|10.0.0.5|added||db.internal db|\n"},
		{"/opt/rh/httpd24/root/etc/httpd/conf/httpd.conf", "modified",
			`{"kind":"rpmnew","path":"/opt/rh/httpd24/root/etc/httpd/conf/httpd.conf.rpmnew","compared":true,"format":"apache"}`,
			"|Listen|removed|80||\n|Listen|added||8080|\n|Listen|added||8443|\n" +
				"|ServerName|changed|www.example.com:80|www.example.org:8080| commented\n" +
				`<Directory "/opt/rh/httpd24/root/var/www/html">|AllowOverride|changed|None|All|` + "\n" +
				"|LogLevel|changed|warn|info|\n" +
				"<VirtualHost *:8080>|ServerName|added||app.example.org|\n" +
				`<VirtualHost *:8080>|DocumentRoot|added||"/srv/app/public"|` + "\n"},
		{"/etc/exports", "modified", `{"kind":"none","why":"not on the host: rpm keeps only the digest of the packaged version"}`, ""},
		// The copy an upgrade moved aside, against the file now in force.
		{"/etc/host.conf.rpmsave", "unowned", `{"kind":"in-force","path":"/etc/host.conf","compared":true,"format":"lines"}`,
			"||added||order hosts,bind|\n||added||nospoof on|\n"},
		{"/etc/yum.repos.d/internal.repo", "unowned", `{"kind":"none","why":"no package"}`, ""},
	} {
		c, ok := by[tc.path]
		if !ok {
			t.Errorf("%s not reported", tc.path)
			continue
		}
		if c.State != tc.state {
			t.Errorf("%s: %s", tc.path, c.State)
		}
		if got := baselineText(c); got != tc.baseline {
			t.Errorf("%s baseline:\n got %s\nwant %s", tc.path, got, tc.baseline)
		}
		if got := settingsText(c); got != tc.settings {
			t.Errorf("%s settings:\n%s\nwant:\n%s", tc.path, got, tc.settings)
		}
	}
	if _, ok := by["/etc/host.conf"]; ok {
		t.Error("/etc/host.conf is setup's own and was reported")
	}
	for _, c := range by {
		if c.Writer != nil || c.Generated != "" {
			t.Errorf("%s: a writer on an RPM host without a scriptlet's evidence: %+v", c.Path, c.Writer)
		}
	}
}

// CentOS 5: iscsi-initiator-utils' %post writes the initiator name, and says so in
// the RPM database; nothing Debian's is said of it.
func TestELPostScriptletWriter(t *testing.T) {
	by := configsOf(t, "el5", "rpm")
	c := by["/etc/iscsi/initiatorname.iscsi"]
	b, _ := json.Marshal(c.Writer)
	if want := `{"package":"iscsi-initiator-utils","script":"%post","known":"script","line":"echo \"InitiatorName=` + "`/sbin/iscsi-iname`" + `\" \u003e /etc/iscsi/initiatorname.iscsi"}`; string(b) != want {
		t.Errorf("writer %s\nwant   %s", b, want)
	}
	if c.Generated != "iscsi-initiator-utils %post" || c.State != "unowned" || baselineText(c) != `{"kind":"none","why":"writer's output not on the host"}` {
		t.Errorf("%+v %s", c, baselineText(c))
	}
}

// Real status files: Ubuntu 18.04's (aquasecurity/trivy) and Debian 12's excerpt
// (google/osv-scalibr). A package removed with its configuration kept is not
// installed, though its conffiles are still listed.
func TestRealStatusFiles(t *testing.T) {
	cfs, err := ParseConffiles(fixture(t, "ubuntu-18.04-dpkg-status.txt"))
	if err != nil || len(cfs) != 75 {
		t.Fatalf("%d conffiles, %v", len(cfs), err)
	}
	byPath := map[string]Conffile{}
	for _, c := range cfs {
		byPath[c.Path] = c
	}
	if c := byPath["/etc/sysctl.conf"]; c.Package != "procps" || c.MD5 != "36547fde818f251846b0198564060927" {
		t.Errorf("%+v", c)
	}
	inst := ParseInstalled(fixture(t, "ubuntu-18.04-dpkg-status.txt"))
	if len(inst) != 90 || inst["git"] || !inst["procps"] {
		t.Errorf("%d installed, git %v, procps %v", len(inst), inst["git"], inst["procps"])
	}
	cfs, err = ParseConffiles(fixture(t, "debian-12-excerpt-dpkg-status.txt"))
	if err != nil || len(cfs) != 2 || cfs[0].Package != "adduser" || cfs[0].Path != "/etc/adduser.conf" {
		t.Errorf("%+v %v", cfs, err)
	}
}
