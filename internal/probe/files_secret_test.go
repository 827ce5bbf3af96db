package probe

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The probe's _files_secret and the offline reader's SecretPath (with PrivateKeyPEM)
// must agree: a name one of them withholds and the other reads would send a secret
// from one source of evidence and not the other. Each class of secret file is held
// here by a name of it, and each look-alike by one that must be read.
func TestSecretPathSameAsProbe(t *testing.T) {
	dir := t.TempDir()
	withKey := filepath.Join(dir, "server.pem")
	mustWrite(t, withKey, []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n"))
	certOnly := filepath.Join(dir, "chain.pem")
	mustWrite(t, certOnly, []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	keyCopy := filepath.Join(dir, "server.pem.dpkg-dist")
	mustWrite(t, keyCopy, []byte("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"))
	secret := []string{
		// private keys and key stores
		"/etc/ssh/ssh_host_rsa_key", "/etc/ssl/private/x.pem", "/etc/pki/tls/private/localhost.key",
		"/etc/bind/rndc.key", "/etc/openvpn/ta.key", "/etc/keys/app.jks", "/etc/app/store.p12", "/etc/app/store.pfx",
		"/etc/app/app.keystore", "/etc/krb5.keytab", "/etc/app/deploy.ppk", "/root/.ssh/id_rsa", "/home/a/.ssh/id_ed25519",
		"/etc/app/secring.gpg", "/etc/ceph/ceph.client.admin.keyring", withKey, keyCopy,
		// symmetric keys: NTP's and chrony's, by their name
		"/etc/chrony/chrony.keys", "/etc/ntp.keys", "/etc/ntp/keys", "/etc/bind/named.conf.keys",
		"/var/lib/ucf/cache/:etc:chrony:chrony.keys",
		// hashes and bare credentials
		"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/security/opasswd", "/etc/postfix/sasl_passwd",
		"/etc/httpd/conf/.htpasswd", "/etc/apache2/.htdigest", "/etc/ppp/chap-secrets", "/etc/ipsec.secrets",
		"/etc/ldap.secret", "/etc/app/api-secret.txt", "/etc/samba/credentials", "/root/.git-credentials",
		"/root/.pgpass", "/etc/app/.pgpass", "/root/.my.cnf", "/etc/mysql/debian.cnf", "/root/.netrc",
		"/etc/NetworkManager/system-connections/office.nmconnection",
		// copies left beside them
		"/etc/chrony/chrony.keys.dpkg-dist", "/etc/chrony/chrony.keys.ucf-old", "/etc/ntp.keys.rpmsave",
		"/etc/ntp.keys.rpmnew", "/etc/app/server.key.bak", "/etc/app/server.key~", "/etc/app/.netrc.orig",
	}
	read := []string{
		"/etc/ssh/ssh_host_rsa_key.pub", "/etc/ssh/sshd_config", "/etc/postfix/main.cf", "/etc/apache2/apache2.conf",
		"/etc/hosts", "/etc/ssl/certs/redmine.example.co.jp.crt", "/etc/mysql/my.cnf", "/etc/chrony/chrony.conf",
		"/etc/ntp.conf", "/etc/fstab", "/etc/auto.master", "/etc/exports", "/etc/keyboard", "/etc/default/keyboard",
		"/etc/apt/trusted.gpg.d/debian.asc", "/etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-5", "/etc/app/keys.conf", certOnly,
	}
	paths := append(append([]string(nil), secret...), read...)
	script := string(Render(nil))
	script = script[:strings.Index(script, "\n_main() {")]
	var b strings.Builder
	b.WriteString(script)
	for _, p := range paths {
		b.WriteString("\nif _files_secret '" + p + "'; then echo y; else echo n; fi")
	}
	// On standard input, as over SSH: the kernel caps one argument at 128 KiB.
	cmd := exec.Command("dash", "-s")
	cmd.Stdin = strings.NewReader(b.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out))
	if len(got) != len(paths) {
		t.Fatalf("%d answers for %d paths: %q", len(got), len(paths), out)
	}
	offline := func(p string) bool {
		content, _ := os.ReadFile(p)
		return SecretPath(p) || PrivateKeyPEM(p, content)
	}
	for i, p := range paths {
		if probe := got[i] == "y"; probe != offline(p) {
			t.Errorf("%s: probe withholds %v, offline reader withholds %v", p, probe, offline(p))
		}
	}
	for _, p := range secret {
		if !offline(p) {
			t.Errorf("%s would be read", p)
		}
	}
	for _, p := range read {
		if offline(p) {
			t.Errorf("%s would be withheld", p)
		}
	}
}
