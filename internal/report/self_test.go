package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// appServer was surveyed by opsadmin through sudo; a Passenger worker bound a port of
// its own, and logship's collector never answered.
func appServer() *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Source: snapshot.Source{Kind: "ssh", Target: "opsadmin@app01", User: "root", Login: "opsadmin", Through: "sudo", Sudo: true, Privileged: true},
		Host:   snapshot.Host{Hostname: "app01"},
		Services: []snapshot.Service{{Name: "apache2", Init: "systemd", Running: snapshot.Bool(true), Enabled: snapshot.Bool(true),
			Listens: []string{"tcp 0.0.0.0:80"}, Evidence: []string{"cmd:systemctl-show"}}},
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "0.0.0.0", Port: 80, PID: 1100, Process: "apache2", Service: "apache2", Evidence: "cmd:ss"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 53644, PID: 1310, Process: "Passenger RackA", Service: "apache2", Evidence: "cmd:ss",
				Ephemeral: "a worker's own port: loopback only, in the kernel's ephemeral range 32768–60999, held by Passenger RackApp: /var/www/redmine (pid 1310), a child of Passenger AppPreloader: /var/www/redmine (pid 1300); chosen anew at each start"},
		},
		Network: snapshot.Network{Unanswered: []snapshot.Connection{{Proto: "tcp", RemoteAddress: "10.0.9.20", RemotePort: 514, Process: "logship",
			Count: 2, Purpose: "syslog", State: "SYN-SENT", ConfigRefs: []string{"/etc/logship.conf:1"}, Evidence: "cmd:ss"}}},
		Coverage: map[snapshot.Section]snapshot.Coverage{},
	}
	for _, sec := range snapshot.Sections {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.Collected}
	}
	return s
}

// The document says who logged in and how, keeps a worker's own port under its
// service with why it is not carried, and lists a connection never answered as a
// broken dependency, with the state seen and a finding.
func TestHandoverTellsTheSurveyAndTheEphemeral(t *testing.T) {
	s := appServer()
	md := string(render(t, s, "en", "md"))
	for _, want := range []string{
		"ssh opsadmin@app01 (opsadmin, through sudo, as root)",
		"| tcp | `127.0.0.1` | 53644 | Passenger RackA | apache2 |  | a worker's own port, chosen anew at each start: not carried |",
		"**Workers' own ports**: tcp 127.0.0.1:53644 (a worker's own port, chosen anew at each start: not carried)",
		"Broken dependencies: connections this host tried to open that never got established",
		"| `10.0.9.20` |  | 514 | syslog | logship |  | SYN-SENT | 2 | `/etc/logship.conf:1` |",
		"`connection.unanswered:logship 10.0.9.20:514`",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	if strings.Contains(md, "**Listens on**: tcp 0.0.0.0:80, tcp 127.0.0.1:53644") {
		t.Error("a worker's own port is said to be what the service listens on")
	}
	ja := string(render(t, s, "ja", "md"))
	for _, want := range []string{"opsadmin (sudo 経由)", "ワーカーが起動のたびに選び直す自身用のポート", "壊れた依存"} {
		if !strings.Contains(ja, want) {
			t.Errorf("the Japanese document lacks %q", want)
		}
	}

	var sum bytes.Buffer
	Summary(&sum, s)
	if !strings.Contains(sum.String(), "source: ssh opsadmin@app01, opsadmin through sudo (as root)") || !strings.Contains(sum.String(), "0 outbound, 1 never answered") {
		t.Errorf("summary:\n%s", sum.String())
	}
}

// Logged in as root, nothing changes: the login is the user.
func TestHandoverRootLogin(t *testing.T) {
	s := appServer()
	s.Source = snapshot.Source{Kind: "ssh", Target: "root@app01", User: "root", Login: "root", Privileged: true}
	if md := string(render(t, s, "en", "md")); !strings.Contains(md, "ssh root@app01 (root, as root)") {
		t.Error("a root login is not told as one")
	}
}
