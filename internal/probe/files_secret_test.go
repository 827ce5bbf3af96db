package probe

import (
	"os/exec"
	"strings"
	"testing"
)

// The probe's _files_secret and the offline reader's SecretPath must agree: a name
// one of them withholds and the other reads would send a secret from one source of
// evidence and not the other.
func TestSecretPathSameAsProbe(t *testing.T) {
	paths := []string{
		"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_rsa_key.pub", "/etc/ssl/private/x.pem",
		"/etc/pki/tls/private/localhost.key", "/etc/shadow", "/etc/shadow-", "/etc/gshadow",
		"/etc/security/opasswd", "/etc/postfix/sasl_passwd", "/etc/httpd/conf/.htpasswd",
		"/etc/ppp/chap-secrets", "/etc/ipsec.secrets", "/etc/ldap.secret", "/etc/samba/credentials",
		"/etc/keys/app.jks", "/etc/krb5.keytab",
		"/etc/ssh/sshd_config", "/etc/postfix/main.cf", "/etc/apache2/apache2.conf", "/etc/hosts",
		"/etc/ssl/certs/redmine.example.co.jp.crt", "/etc/mysql/my.cnf",
	}
	script := string(Render(nil))
	script = script[:strings.Index(script, "\n_main() {")]
	var b strings.Builder
	b.WriteString(script)
	for _, p := range paths {
		b.WriteString("\nif _files_secret '" + p + "'; then echo y; else echo n; fi")
	}
	out, err := exec.Command("dash", "-c", b.String()).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out))
	if len(got) != len(paths) {
		t.Fatalf("%d answers for %d paths: %q", len(got), len(paths), out)
	}
	for i, p := range paths {
		if probe, offline := got[i] == "y", SecretPath(p); probe != offline {
			t.Errorf("%s: probe withholds %v, offline reader withholds %v", p, probe, offline)
		}
	}
	for _, p := range []string{"/etc/postfix/sasl_passwd", "/etc/httpd/conf/.htpasswd", "/etc/ppp/chap-secrets", "/etc/ssl/private/x.pem", "/etc/shadow-"} {
		if !SecretPath(p) {
			t.Errorf("%s would be read", p)
		}
	}
	for _, p := range []string{"/etc/ssh/sshd_config", "/etc/postfix/main.cf", "/etc/hosts"} {
		if SecretPath(p) {
			t.Errorf("%s would be withheld", p)
		}
	}
}
