package probe

import (
	"reflect"
	"testing"
)

func TestCertRefsNeverKeys(t *testing.T) {
	text := "SSLCertificateKeyFile /k\nssl_certificate_key /k2;\n    ssl_certificate /etc/nginx/c.pem;\nsmtpd_tls_key_file = /k3\nssl_key = </k4\nssl_cert = </etc/dovecot/c.pem\n<Connector certificateKeyFile=\"/k5\" certificateFile=\"/t.pem\"/>\n"
	var got []string
	for _, r := range CertRefs("f", text) {
		got = append(got, r.Path+"@"+r.Source)
	}
	want := []string{"/etc/nginx/c.pem@f:3", "/etc/dovecot/c.pem@f:6", "/t.pem@f:7"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

func FuzzCertRefs(f *testing.F) {
	f.Add("SSLCertificateFile \"/etc/pki/tls/certs/a.crt\"\r\n  ssl_certificate /b.pem;\n")
	f.Fuzz(func(t *testing.T, text string) {
		for _, r := range CertRefs("f", text) {
			if r.Path == "" {
				t.Fatalf("an empty path from %q", text)
			}
		}
	})
}

func TestSudoIncludeDirSkips(t *testing.T) {
	for name, skip := range map[string]bool{
		"deploy": false, "90-cloud-init-users": false, "README": false,
		"deploy~": true, "deploy.dpkg-old": true, "ops.rpmsave": true, "": true,
	} {
		if got := SudoIncludeDirSkips(name); got != skip {
			t.Errorf("SudoIncludeDirSkips(%q) = %v, want %v", name, got, skip)
		}
	}
}
