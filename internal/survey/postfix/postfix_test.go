package postfix

import (
	"os"
	"reflect"
	"strings"
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

func TestParseAliases(t *testing.T) {
	al, err := ParseAliases(fixture(t, "aliases_el5.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Alias{}
	for _, a := range al {
		got[a.Name] = a
	}
	want := map[string]Alias{
		"support": {Name: "support", Targets: []string{"|/usr/local/bin/ticket-in --queue support", "archive"}, Line: 15},
		"archive": {Name: "archive", Targets: []string{"/var/spool/mail-archive/support.mbox"}, Line: 16},
		"ops":     {Name: "ops", Targets: []string{":include:/etc/mail/ops.list"}, Line: 17},
		"root":    {Name: "root", Targets: []string{"tanaka@example.co.jp", "suzuki@example.co.jp"}, Line: 19},
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s: got %+v, want %+v", k, got[k], w)
		}
	}
	if len(al) != 9 {
		t.Errorf("%d aliases", len(al))
	}
	_, err = ParseAliases("  orphan\nnocolon\nok: a\n")
	if err == nil || !strings.Contains(err.Error(), "2 lines") {
		t.Errorf("err %v", err)
	}
}

func TestParseMainCf(t *testing.T) {
	p, err := ParseMainCf("# c\nmynetworks = 127.0.0.0/8\n    10.0.0.0/8\nrelayhost = a\nrelayhost = [b]:25\nbad line\n")
	if err == nil {
		t.Error("bad line not reported")
	}
	want := []Param{{"mynetworks", "127.0.0.0/8 10.0.0.0/8", 2}, {"relayhost", "[b]:25", 5}}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("%+v", p)
	}
}

func TestRelayhost(t *testing.T) {
	for in, want := range map[string]string{"[mailrelay.example.co.jp]:25": "mailrelay.example.co.jp", "[10.231.0.40]:25": "10.231.0.40", "smtp.example.com": "smtp.example.com", "smtp.example.com:587": "smtp.example.com", "[ipv6:2001:db8::1]:25": "2001:db8::1"} {
		h, _ := Relayhost(in)
		if h != want {
			t.Errorf("%s: %q", in, h)
		}
	}
	if _, isName := Relayhost("[10.231.0.40]:25"); isName {
		t.Error("an address taken for a name")
	}
}

func TestMapFiles(t *testing.T) {
	got := MapFiles("hash:/etc/aliases, nis:mail.aliases ldap:/etc/postfix/ldap.cf regexp:/etc/postfix/re")
	if strings.Join(got, " ") != "/etc/aliases /etc/postfix/re" {
		t.Errorf("%v", got)
	}
}

func TestSurveyLegacy(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("postconf-n", "_data_run postconf -n", fixture(t, "postconf_n_legacy.txt")),
		kittest.Cmd("postconf-mail-version", "_data_run postconf -h mail_version", fixture(t, "mail_version_legacy.txt")),
		kittest.File(mainCf, fixture(t, "main_cf_legacy.txt")),
		kittest.File("/etc/postfix/master.cf", fixture(t, "master_cf_legacy.txt")),
		kittest.File("/etc/aliases", fixture(t, "aliases_legacy.txt")),
		kittest.File("/etc/hosts", fixture(t, "hosts_legacy.txt")),
	)
	in := kittest.Input(a, nil)
	in.Snap.Services = []snapshot.Service{{Name: "postfix.service"}}
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionPostfix]; c.Status != snapshot.Collected {
		t.Fatalf("%+v", c)
	}
	ms := in.Snap.Middleware.Mail[0]
	if ms.Version != "3.5.25" || ms.Relayhost != "[mailrelay.example.co.jp]:25" || ms.RelayhostHosts != "10.231.0.40 at /etc/hosts:9" || ms.Service != "postfix.service" {
		t.Errorf("%+v", ms)
	}
	if len(ms.Aliases) != 2 || ms.Aliases[1].Name != "root" || ms.Aliases[1].Targets[0] != "ops@example.co.jp" || ms.Aliases[1].Source != "/etc/aliases:3" {
		t.Errorf("%+v", ms.Aliases)
	}
	var mynet snapshot.Setting
	for _, s := range ms.Settings {
		if s.Key == "mynetworks" {
			mynet = s
		}
	}
	if mynet.Value != "127.0.0.0/8 [::1]/128 10.231.0.0/24" || !strings.HasPrefix(mynet.Source, mainCf+":") {
		t.Errorf("%+v", mynet)
	}
	if len(ms.Settings) != 23 {
		t.Errorf("%d settings", len(ms.Settings))
	}
}

func TestSurveyAbsent(t *testing.T) {
	pc := kittest.Cmd("postconf-n", "_data_run postconf -n", "")
	pc.RC = 127
	traces := kittest.Cmd("software-traces", "_traces ...", "")
	a := kittest.Archive(pc, traces, kittest.Failed(evidence.KindFile, mainCf, evidence.StatusAbsent, ""))
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, Coverage: map[snapshot.Section]snapshot.Coverage{
		snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
	in := kittest.Input(a, s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionPostfix]; c.Status != snapshot.NotApplicable || len(c.Evidence) != 3 {
		t.Fatalf("%+v", c)
	}
	// An init script alone: there, whatever the package database says.
	s.Services = []snapshot.Service{{Name: "postfix", Init: "sysv", Path: "/etc/init.d/postfix"}}
	in = kittest.Input(a, s)
	New().Survey(in)
	if ms := in.Snap.Middleware.Mail; len(ms) != 1 || ms[0].Presence[0] != "init script /etc/init.d/postfix" {
		t.Fatalf("%+v %+v", in.Snap.Coverage[snapshot.SectionPostfix], ms)
	}
	s.Services = nil
	// main.cf unreadable: not proven absent.
	a = kittest.Archive(pc, traces, kittest.Failed(evidence.KindFile, mainCf, evidence.StatusDenied, "Permission denied"))
	in = kittest.Input(a, s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionPostfix]; c.Status != snapshot.Denied {
		t.Fatalf("%+v", c)
	}
}
