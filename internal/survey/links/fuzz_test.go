package links

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// FuzzLinks feeds arbitrary names and command lines through the matching and
// attribution, which must neither panic nor loop on a damaged process tree.
func FuzzLinks(f *testing.F) {
	f.Add("sh", "/bin/sh /usr/bin/mysqld_safe --x", "mysqld.service", 5, 1)
	f.Add("", "sshd: admin@notty", "ssh", 7, 7)
	f.Add("master", "/usr/libexec/postfix/master -w", "postgresql-9.6", 3, 4)
	f.Fuzz(func(t *testing.T, comm, command, service string, pid, ppid int) {
		procs := []snapshot.Process{{PID: pid, PPID: ppid, Comm: comm, Command: command}, {PID: ppid, PPID: pid, Comm: comm, Command: command}}
		svcs := []snapshot.Service{{Name: service, Init: "sysv"}}
		MatchRunning(svcs, procs, true)
		AttributeProcesses(svcs, procs)
		ls := []snapshot.Listener{{PID: pid}, {PID: ppid}}
		LinkListeners(ls, svcs, procs)
		_ = PackageFor(service, map[string]bool{service: true, comm: true, "mysql-server-5.5": true})
		_ = processNames(comm, command)
	})
}
