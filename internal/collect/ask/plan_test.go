package ask

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func legacyLike() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Host: snapshot.Host{Hostname: "legacy", FQDN: "legacy.trowel.test"},
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "0.0.0.0", Port: 80, Process: "apache2"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 443, Process: "apache2"},
			{Proto: "tcp", Address: "10.0.0.5", Port: 8080, Process: "nginx"},
			{Proto: "tcp6", Address: "::", Port: 8443, Process: "nginx"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 25, Process: "master"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 22, Process: "sshd"},
		},
		Middleware: snapshot.Middleware{
			WebServers: []snapshot.WebServer{{Kind: "apache", VHosts: []snapshot.VHost{
				{ServerName: "redmine.example.co.jp", Aliases: []string{"redmine"}, Listen: "*:80", Source: "/etc/apache2/sites-enabled/redmine.conf:2"},
				{ServerName: "redmine.example.co.jp", Listen: "*:443", TLS: true, Source: "/etc/apache2/sites-enabled/redmine.conf:28"},
				{ServerName: "*.wild.example", Aliases: []string{"_"}, Listen: "*:80", Source: "x:1"},
			}}},
			Mail: []snapshot.MailServer{{Kind: "postfix", Settings: []snapshot.Setting{{Key: "mydomain", Value: "example.co.jp"}, {Key: "myhostname", Value: "legacy.trowel.test"}}}},
		},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionListeners: {Status: snapshot.Collected}},
	}
}

func TestPlanAsksEveryVhostEveryOtherWebListenerAndTheMTA(t *testing.T) {
	p := PlanFor(legacyLike(), nil)
	var got []string
	for _, r := range p.Requests {
		got = append(got, r.Name())
	}
	want := []string{
		"answer/http/127.0.0.1:80/redmine.example.co.jp/",
		"answer/https/127.0.0.1:443/redmine.example.co.jp/",
		"answer/http/10.0.0.5:8080/legacy.trowel.test/",
		"answer/https/[::1]:8443/legacy.trowel.test/",
		"answer/smtp/127.0.0.1:25/postmaster@legacy.trowel.test",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.Blind != "" || len(p.LeftOut) != 0 {
		t.Errorf("%+v", p)
	}
	if !strings.Contains(p.Requests[0].Why, "redmine.conf:2") {
		t.Errorf("a request must say what made trowel ask: %q", p.Requests[0].Why)
	}
}

func TestPlanAsksWhatTheSpecWantsEvenWhereNothingListens(t *testing.T) {
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "new"}}
	p := PlanFor(s, []answer.Request{{Proto: "http", Port: 80, Host: "redmine.example.co.jp", Why: "spec"}, {Proto: "smtp", Port: 25, Domain: "legacy.trowel.test"}})
	if len(p.Requests) != 2 || p.Requests[0].Address != "127.0.0.1:80" || p.Requests[0].Path != "/" || p.Requests[1].Address != "127.0.0.1:25" {
		t.Fatalf("%+v", p.Requests)
	}
	if p.Blind == "" {
		t.Error("a plan made without the listeners must say it may miss services")
	}
}

func TestPlanIsBounded(t *testing.T) {
	s := legacyLike()
	var vh []snapshot.VHost
	for i := 0; i < 50; i++ {
		vh = append(vh, snapshot.VHost{ServerName: "site" + strings.Repeat("x", i) + ".example", Listen: "*:80"})
	}
	s.Middleware.WebServers[0].VHosts = vh
	p := PlanFor(s, nil)
	if len(p.Requests) != answer.MaxRequests || len(p.LeftOut) == 0 {
		t.Errorf("%d asked, %d left out", len(p.Requests), len(p.LeftOut))
	}
}

func TestSplitListen(t *testing.T) {
	for in, want := range map[string]struct {
		host string
		port int
	}{
		"*:80": {"", 80}, "10.0.0.5:443": {"10.0.0.5", 443}, "[::]:80": {"", 80}, "8080": {"", 8080},
		"_default_:443": {"", 443}, "[2001:db8::1]:443": {"2001:db8::1", 443}, "localhost:81": {"", 81}, "": {"", 0},
		"localhost": {"", 80}, "[::1]": {"::1", 80}, "127.0.0.1:99999": {"", 80}, "*:http": {"", 80},
	} {
		h, p := splitListen(in, false)
		if h != want.host || p != want.port {
			t.Errorf("%q: %q %d", in, h, p)
		}
	}
}
