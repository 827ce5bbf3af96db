package certs

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSurveyLegacyHost(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("web-certs", "_web_certs ...", fixture(t, "legacy-web-certs.txt")),
		kittest.File("/etc/apache2/sites-enabled/redmine.conf", fixture(t, "redmine.conf")),
		kittest.File("/etc/postfix/main.cf", "smtpd_tls_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\nsmtpd_tls_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\n"),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionCertificates]; c.Status != snapshot.Collected || c.Reason != "" {
		t.Errorf("coverage %+v", c)
	}
	got := in.Snap.Middleware.Certificates
	if len(got) != 2 {
		t.Fatalf("certificates: %+v", got)
	}
	r := got[0]
	want := snapshot.Certificate{
		Path:       "/etc/ssl/certs/redmine.example.co.jp.crt",
		Subject:    "CN=redmine.example.co.jp,O=Example Co.,C=JP",
		Issuer:     "CN=redmine.example.co.jp,O=Example Co.,C=JP",
		SANs:       []string{"redmine.example.co.jp", "redmine"},
		NotBefore:  time.Date(2026, 11, 21, 1, 38, 1, 0, time.UTC),
		NotAfter:   time.Date(2026, 12, 11, 1, 38, 1, 0, time.UTC),
		SelfSigned: true,
		UsedBy:     []string{"/etc/apache2/sites-enabled/redmine.conf:33"},
		Evidence:   []string{"cmd:web-certs"},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("redmine cert\n got %+v\nwant %+v", r, want)
	}
	s := got[1]
	if s.Path != "/etc/ssl/certs/ssl-cert-snakeoil.pem" || s.Subject != "CN=vm" || !s.SelfSigned ||
		!reflect.DeepEqual(s.UsedBy, []string{"/etc/postfix/main.cf:1"}) || !reflect.DeepEqual(s.SANs, []string{"vm"}) {
		t.Errorf("snakeoil %+v", s)
	}
}

func TestSurveyUnreadable(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("web-certs", "_web_certs ...", "==> /etc/pki/tls/certs/a.crt <== denied\n==> /etc/x.pem <== ok\n-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"),
		kittest.File("/etc/httpd/conf.d/ssl.conf", "SSLCertificateFile conf/ssl.crt/server.crt\nSSLCertificateKeyFile /etc/pki/tls/private/a.key\n"),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionCertificates]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "/etc/pki/tls/certs/a.crt is named by the configuration but was not read: denied") ||
		!strings.Contains(c.Reason, "not read: conf/ssl.crt/server.crt is relative") || !strings.Contains(c.Reason, "/etc/x.pem") {
		t.Errorf("coverage %+v", c)
	}
	if len(in.Snap.Middleware.Certificates) != 0 {
		t.Errorf("certs %+v", in.Snap.Middleware.Certificates)
	}
	in = kittest.Input(kittest.Archive(kittest.Failed(evidence.KindCmd, "web-certs", evidence.StatusTimeout, "")), nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionCertificates]; c.Status != snapshot.TimedOut {
		t.Errorf("timeout coverage %+v", c)
	}
}
