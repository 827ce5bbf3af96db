package dovecot

import (
	"os"
	"path/filepath"
	"testing"

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

func settings(c Config) map[string]string {
	m := map[string]string{}
	for _, s := range c.Settings {
		m[s.Key] = s.Value
	}
	return m
}

func TestParseConfig23(t *testing.T) {
	c, err := ParseConfig(fixture(t, "doveconf_n_23.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := settings(c)
	if c.Version != "2.3.19.1" || m["protocols"] != `" imap pop3"` || m["ssl_cert"] != "</etc/ssl/certs/mail.pem" ||
		m["passdb/driver"] != "pam" || m["namespace inbox/mailbox Drafts/special_use"] != `\Drafts` || m["auth_mechanisms"] != "plain login" || m["listen"] != "*" {
		t.Errorf("%s %v", c.Version, m)
	}
}

func TestParseConfig10(t *testing.T) {
	c, err := ParseConfig(fixture(t, "dovecot_n_10.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := settings(c)
	if c.Version != "1.0.7" || m["protocols"] != "imap imaps pop3 pop3s" || m["auth default/mechanisms"] != "plain" ||
		m["auth default/passdb/driver"] != "pam" || m["mail_location"] != "mbox:~/mail:INBOX=/var/mail/%u" {
		t.Errorf("%s %v", c.Version, m)
	}
	if _, err := ParseConfig("a {\n}\n}\nb {\n"); err == nil {
		t.Error("unbalanced braces not reported")
	}
}

func TestSurvey(t *testing.T) {
	in := kittest.Input(kittest.Archive(kittest.Cmd("doveconf-n", "_data_run doveconf -n", fixture(t, "doveconf_n_23.txt")),
		kittest.File("/etc/dovecot/dovecot.conf", "!include conf.d/*.conf\n")), nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionDovecot]; c.Status != snapshot.Collected {
		t.Fatalf("%+v", c)
	}
	ms := in.Snap.Middleware.Mail[0]
	if ms.Kind != "dovecot" || ms.Version != "2.3.19.1" || len(ms.Settings) != 12 || ms.Configs[0] != "/etc/dovecot/dovecot.conf" {
		t.Errorf("%+v", ms)
	}
	// Proven absent.
	dc := kittest.Cmd("doveconf-n", "_data_run doveconf -n", "")
	dc.RC = 127
	d1 := kittest.Cmd("dovecot-n", "_data_run dovecot -n", "")
	d1.RC = 127
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
	in = kittest.Input(kittest.Archive(dc, d1, kittest.Failed(evidence.KindFile, "/etc/dovecot/dovecot.conf", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/etc/dovecot.conf", evidence.StatusAbsent, "")), s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionDovecot]; c.Status != snapshot.NotApplicable || len(c.Evidence) != 4 {
		t.Fatalf("%+v", c)
	}
}

func FuzzParseConfig(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.txt")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, _ := ParseConfig(in)
		for _, s := range c.Settings {
			if s.Key == "" {
				t.Fatal("empty key")
			}
		}
	})
}
