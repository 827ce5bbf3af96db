package spec

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

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
