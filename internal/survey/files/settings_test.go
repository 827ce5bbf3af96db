package files

import (
	"strings"
	"testing"
)

// Which lines of an install script write a file: the lines of Debian 11's and
// CentOS's own scripts (from the lab's postinsts and the RPM databases' %post).
func TestWritesTo(t *testing.T) {
	for _, tc := range []struct {
		line, path string
		want       bool
	}{
		{`echo "root:	$RET" >> /etc/aliases`, "/etc/aliases", true},
		{`cat > /etc/hosts.allow <<EOF`, "/etc/hosts.allow", true},
		{`cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf`, "/etc/postfix/main.cf", true},
		{`  install_from_default motd          /etc/motd`, "/etc/motd", true},
		{`ucf --three-way --debconf-ok --sum-file /usr/share/openssh/sshd_config.md5sum "$new_config" /etc/ssh/sshd_config`, "/etc/ssh/sshd_config", true},
		{`	cp "$DPKG_ROOT/usr/share/base-passwd/passwd.master" "$DPKG_ROOT/etc/passwd"`, "/etc/passwd", true},
		{`[ -n "$LANG" ] && echo LANG=$LANG > /etc/locale.conf 2>&1 || :`, "/etc/locale.conf", true},
		{`	touch /etc/environment`, "/etc/environment", true},
		{`sed -i '/^HOSTNAME=/d' /etc/sysconfig/network >/dev/null 2>&1 || :`, "/etc/sysconfig/network", true},
		{`echo "InitiatorName=` + "`/sbin/iscsi-iname`" + `" > /etc/iscsi/initiatorname.iscsi`, "/etc/iscsi/initiatorname.iscsi", true},
		// Reading, testing and removing are not writing.
		{`	if [ -z $myhostname ] && [ -r /etc/hostname ]; then`, "/etc/hostname", false},
		{`	    myhostname=$(cat /etc/hostname)`, "/etc/hostname", false},
		{`mydom=$(sed -n 's/^search//p' /etc/resolv.conf | tail -1)`, "/etc/resolv.conf", false},
		{`	rm -f /etc/pam.d/common-auth.pam-old \`, "/etc/pam.d/common-auth", false},
		{`if grep -q ^mailbox_command /etc/postfix/main.cf; then`, "/etc/postfix/main.cf", false},
		// A longer path is another file.
		{`cp /usr/share/postfix/master.cf.dist /etc/postfix/master.cf.proto`, "/etc/postfix/master.cf", false},
	} {
		if got := WritesTo(tc.line, tc.path); got != tc.want {
			t.Errorf("WritesTo(%q, %s) = %v", tc.line, tc.path, got)
		}
	}
}

func changes(t *testing.T, path, base, cur string, facts lineFacts) string {
	t.Helper()
	format, opts := formatOf(path, cur)
	got, _ := compareSettings(readSettings(format, opts, base), readSettings(format, opts, cur), facts)
	var b strings.Builder
	b.WriteString(format + "\n")
	for _, c := range got {
		b.WriteString(c.Section + "|" + c.Key + "|" + c.Change + "|" + c.Was + "|" + c.Now)
		if c.Hidden {
			b.WriteString("|hidden")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Each format reads settings by name in their context: ini sections, nginx blocks,
// Dovecot's braces, Postfix's continued lines.
func TestSettingsByFormat(t *testing.T) {
	for _, tc := range []struct{ path, base, cur, want string }{
		{"/etc/mysql/my.cnf",
			"[mysqld]\nbind-address = 127.0.0.1\n# comment\nskip-external-locking\n[client]\nport = 3306\n",
			"[mysqld]\nbind-address = 0.0.0.0\nmax_connections = 500\n[client]\nport = 3306\n",
			"ini\n[mysqld]|bind-address|changed|127.0.0.1|0.0.0.0\n[mysqld]|max_connections|added||500\n[mysqld]|skip-external-locking|removed||\n"},
		{"/etc/nginx/sites-available/default",
			"server {\n\tlisten 80 default_server;\n\troot /var/www/html;\n\tlocation / {\n\t\ttry_files $uri $uri/ =404;\n\t}\n}\n",
			"server {\n\tlisten 80 default_server; # main\n\troot /srv/www;\n\tlocation / {\n\t\ttry_files $uri $uri/ =404;\n\t}\n\tlocation /api { proxy_pass http://127.0.0.1:8080; }\n}\n",
			"nginx\nserver|root|changed|/var/www/html|/srv/www\nserver > location /api|proxy_pass|added||http://127.0.0.1:8080\n"},
		{"/etc/dovecot/conf.d/10-master.conf",
			"service imap-login {\n  inet_listener imap {\n    #port = 143\n  }\n}\n",
			"service imap-login {\n  inet_listener imap {\n    port = 0\n  }\n}\n",
			"braces\nservice imap-login > inet_listener imap|port|changed|143|0\n"},
		{"/etc/postfix/main.cf",
			"smtpd_recipient_restrictions = permit_mynetworks,\n    reject_unauth_destination\n",
			"smtpd_recipient_restrictions = permit_mynetworks,\n    permit_sasl_authenticated,\n    reject_unauth_destination\n",
			"keyvalue\n|smtpd_recipient_restrictions|changed|permit_mynetworks, reject_unauth_destination|permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n"},
		// A comment's or a blank's change is no setting's.
		{"/etc/default/ssh", "# Options\nSSHD_OPTS=\n", "# Options to pass to sshd\n\nSSHD_OPTS=\n", "keyvalue\n"},
		// A script is compared line by line.
		{"/etc/init.d/app", "#!/bin/sh\nexec /opt/app/run\n", "#!/bin/sh\nexec /opt/app/run --verbose\n",
			"lines\n||removed|exec /opt/app/run|\n||added||exec /opt/app/run --verbose\n"},
	} {
		if got := changes(t, tc.path, tc.base, tc.cur, lineFacts{}); got != tc.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.path, got, tc.want)
		}
	}
}

// A hidden value is judged by the host's word on its line alone, and when the host
// said nothing, the change says that it is unknown rather than that nothing changed.
func TestHiddenValues(t *testing.T) {
	base := "user = app\npassword = <redacted>\ntoken = <redacted>\n"
	cur := "user = app\npassword = <redacted>\ntoken = <redacted>\napi_key = <redacted>\n"
	said := lineFacts{absent: map[int]bool{2: true, 4: true}, last: 4}
	if got, want := changes(t, "/etc/app.conf", base, cur, said), "keyvalue\n|password|changed|||hidden\n|api_key|added|||hidden\n"; got != want {
		t.Errorf("host said:\n%s\nwant:\n%s", got, want)
	}
	if got, want := changes(t, "/etc/app.conf", base, cur, lineFacts{}), "keyvalue\n|password|unknown|||hidden\n|token|unknown|||hidden\n|api_key|unknown|||hidden\n"; got != want {
		t.Errorf("host said nothing:\n%s\nwant:\n%s", got, want)
	}
	// A list the host cut short says nothing past its last number.
	cut := lineFacts{absent: map[int]bool{1: true}, cut: true, last: 1}
	if got := changes(t, "/etc/app.conf", base, cur, cut); !strings.Contains(got, "|api_key|unknown|||hidden") || strings.Contains(got, "|password|") && !strings.Contains(got, "|password|unknown") {
		t.Errorf("cut list:\n%s", got)
	}
	// A setting removed whose value was hidden is removed, its value unsaid.
	if got := changes(t, "/etc/app.conf", "password = <redacted>\n", "user = app\n", said); got != "keyvalue\n|user|added||app\n|password|removed|||hidden\n" {
		t.Errorf("removed:\n%s", got)
	}
}

// A file rewritten from top to bottom lists its first maxSettings changes and counts
// the rest.
func TestSettingsCapped(t *testing.T) {
	var base, cur strings.Builder
	for i := range maxSettings + 20 {
		base.WriteString("k" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + " = 1\n")
		cur.WriteString("n" + strings.Repeat("y", i%5) + string(rune('a'+i%26)) + "_" + strings.Repeat("z", i/26) + " = 2\n")
	}
	format, opts := formatOf("/etc/app.conf", cur.String())
	got, omitted := compareSettings(readSettings(format, opts, base.String()), readSettings(format, opts, cur.String()), lineFacts{})
	if len(got) != maxSettings || omitted == 0 {
		t.Errorf("%d listed, %d omitted", len(got), omitted)
	}
}
