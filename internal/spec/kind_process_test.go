package spec

import (
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// What comes and goes on a busy host (a build, a login session, a browser's crash
// handler that detached a second before the survey, a zombie) is not expected, nor
// is what a program that had just started listens on; daemons are, whether a service
// runs them, they started with the host, or they had run a while detached, and so is
// what a daemon's child listens on.
func TestDeriveLeavesPassingProcessesOut(t *testing.T) {
	surveyed := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	at := func(before time.Duration) *time.Time { t := surveyed.Add(-before); return &t }
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "busy"}, CollectedAt: surveyed, OS: snapshot.OS{InitSystem: "systemd"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Collected}, snapshot.SectionListeners: {Status: snapshot.Collected}},
		Processes: []snapshot.Process{
			{PID: 1, User: "root", Command: "/sbin/init", Started: at(30 * 24 * time.Hour)},
			{PID: 500, PPID: 1, User: "deploy", Command: "/bin/sh /home/deploy/bin/worker.sh", Started: at(30*24*time.Hour - time.Minute)},
			{PID: 600, PPID: 1, User: "app", Command: "/usr/bin/java -jar /opt/app/app.jar", Started: at(3 * time.Hour)},
			{PID: 610, PPID: 1, User: "app", Command: "/opt/app/bin/helper", Started: nil},
			{PID: 700, PPID: 1, User: "root", Command: "/usr/lib/chromium/chrome_crashpad_handler --monitor-self", Started: at(2 * time.Second)},
			{PID: 800, PPID: 900, User: "root", Command: "go test ./...", Started: at(time.Minute)},
			{PID: 620, PPID: 610, User: "app", Command: "/usr/bin/java -jar /opt/app/server.jar", Started: at(2 * time.Hour)},
			{PID: 801, PPID: 800, User: "root", Command: "/tmp/go-build1/b001/e2e.test -test.run X", Started: at(time.Second)},
			{PID: 810, PPID: 1, User: "root", Command: "[bash] <defunct>", Started: at(time.Second)},
			{PID: 900, PPID: 1, User: "www-data", Service: "apache2", Command: "/usr/sbin/apache2 -k start", Started: at(time.Second)},
		},
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "127.0.0.1", Port: 8080, PID: 801, Process: "e2e.test"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 8443, PID: 600, Process: "java"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 9000, PID: 620, Process: "java"},
		},
	}
	var got []string
	for _, e := range Derive(s, "x").Expectations {
		got = append(got, e.ID)
	}
	want := []string{
		"port:tcp/8443", "port:tcp/9000",
		"process:/home/deploy/bin/worker.sh:deploy", "process:/opt/app/app.jar:app", "process:/opt/app/bin/helper:app",
		"process:apache2:www-data",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("expected:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Where no init system runs, a service is only known by its processes: one that
	// had just started is as passing as any other program.
	s.OS.InitSystem = ""
	for _, e := range Derive(s, "x").Expectations {
		if e.ID == "process:apache2:www-data" {
			t.Errorf("without an init system, a service's process a second old is expected: %+v", e)
		}
	}
}

// A zombie (a sudo whose parent never collected it, left by an earlier session), a
// login session and what runs in it (an editor, the gzip the survey's own login piped
// the probe into) run nothing a replacement must run; a daemon does.
func TestDeriveProcessesLeavesZombiesAndLogins(t *testing.T) {
	s := &snapshot.Snapshot{
		Source:   snapshot.Source{Session: &snapshot.Session{PIDs: []int{8000, 8001, 8002}}},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Collected}},
		Processes: []snapshot.Process{
			{PID: 18246, PPID: 1, User: "root", Command: "[sudo] <defunct>", Comm: "sudo"},
			{PID: 7000, PPID: 500, User: "root", Command: "sshd: admin [priv]", Comm: "sshd"},
			{PID: 7001, PPID: 7000, User: "admin", Command: "sshd: admin@pts/0", Comm: "sshd"},
			{PID: 7002, PPID: 7001, User: "admin", Command: "-bash", Comm: "bash"},
			{PID: 7003, PPID: 7002, User: "admin", Command: "vim /etc/hosts", Comm: "vim"},
			{PID: 8003, PPID: 8002, User: "ops", Command: "gzip", Comm: "gzip"},
			{PID: 507, PPID: 1, User: "root", Command: "/usr/bin/python3 /usr/local/sbin/logship", Comm: "python3"},
		}}
	var got []string
	for _, e := range Derive(s, "x").Expectations {
		got = append(got, e.ID)
	}
	if len(got) != 1 || got[0] != "process:/usr/local/sbin/logship:root" {
		t.Errorf("expectations %v", got)
	}
}
