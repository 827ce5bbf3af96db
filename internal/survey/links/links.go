// Package links ties facts other surveyors found into one picture: which service a
// process belongs to, which service and package a listening socket belongs to, and,
// on hosts without systemd, whether a service runs at all. It runs last, owns no
// section and reads no evidence of its own: every link it makes rests on facts that
// already cite theirs.
//
// What it will not do is turn missing evidence into a negative: a service is marked
// not running only when the process list is complete (its coverage is "collected")
// and the service is a daemon this package knows the processes of. A one-shot SysV
// script (network, iptables) runs no process, so not finding one proves nothing.
package links

import (
	"sort"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor links services, processes, listeners and packages.
type Surveyor struct{}

// New returns the links surveyor. It must run after the services, processes,
// listeners and packages surveyors.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "links" }

// Survey fills Service.Running/MainPID (where left unknown), Process.Service,
// Service.Package, Listener.Service and Listener.Package.
func (Surveyor) Survey(in *kit.Input) {
	s := in.Snap
	cov := s.Coverage[snapshot.SectionProcesses].Status
	if !in.Offline() && len(s.Processes) > 0 && cov.Read() {
		MatchRunning(s.Services, s.Processes, cov == snapshot.Collected)
	}
	attributeByUnit(in, s.Services, s.Processes)
	AttributeProcesses(s.Services, s.Processes)

	installed := map[string]bool{}
	for _, p := range s.Packages {
		installed[p.Name] = true
	}
	pkgOf := map[string]string{}
	for i := range s.Services {
		sv := &s.Services[i]
		if sv.Package == "" {
			sv.Package = PackageFor(sv.Name, installed)
		}
		if _, ok := pkgOf[sv.Name]; !ok {
			pkgOf[sv.Name] = sv.Package
		}
	}
	LinkListeners(s.Listeners, s.Services, s.Processes)
	for i := range s.Listeners {
		l := &s.Listeners[i]
		if l.Package == "" && l.Service != "" {
			l.Package = pkgOf[l.Service]
		}
	}
	ServiceView(s)
}

// MatchRunning decides, for services whose Running the init system left unknown
// (SysV and most upstart jobs say nothing of it), whether they run, from the process
// list: a service runs when a process answers to one of its daemon names (see
// distro.ServiceDaemons), its MainPID being the topmost such process. complete says the list holds
// every process; only then is a known daemon without a process marked not running.
func MatchRunning(services []snapshot.Service, procs []snapshot.Process, complete bool) {
	byPID := map[int]*snapshot.Process{}
	for i := range procs {
		byPID[procs[i].PID] = &procs[i]
	}
	for i := range services {
		sv := &services[i]
		if sv.Running != nil || sv.Init == "xinetd" {
			continue // known already; or started on demand, where "running" means nothing
		}
		key := tableKey(sv.Name)
		ds, known := distro.ServiceDaemons(key)
		hit := map[int]bool{}
		for i := range procs {
			p := &procs[i]
			// A session outlives a stopped sshd; it does not make it run. A zombie
			// runs nothing. A service the table does not know is matched by its
			// own name, which a command run by hand in a login shares (the sudo,
			// screen or rsync an administrator runs, next to their packages'
			// boot scripts): only a process outside every login counts for it.
			if isSession(p, byPID) || p.Defunct() || (!known && inSession(p, byPID)) {
				continue
			}
			if matches(ds, key, p.Comm, p.Command) {
				hit[p.PID] = true
			}
		}
		if len(hit) == 0 {
			if known && complete {
				sv.Running = snapshot.Bool(false)
			}
			continue
		}
		sv.Running = snapshot.Bool(true)
		if sv.MainPID == 0 {
			sv.MainPID = topmost(hit, byPID)
		}
	}
}

// topmost is the lowest PID among the matching processes whose parent does not match
// too (mysqld_safe rather than the mysqld it starts, nginx's master rather than its
// workers).
func topmost(hit map[int]bool, byPID map[int]*snapshot.Process) int {
	var tops []int
	for pid := range hit {
		if p := byPID[pid]; p != nil && hit[p.PPID] && p.PPID != pid {
			continue
		}
		tops = append(tops, pid)
	}
	if len(tops) == 0 { // a parent cycle in damaged input
		for pid := range hit {
			tops = append(tops, pid)
		}
	}
	sort.Ints(tops)
	return tops[0]
}

// AttributeProcesses sets Process.Service: a service's MainPID is its process, and a
// process belongs to the service of its nearest ancestor that is one, as systemd's
// cgroups would have it. A login session is its own: the walk up stops at an SSH
// session process ("sshd: admin@pts/0", "sshd-session"), so what an administrator
// started by hand is not counted as sshd's. A process already attributed is left.
func AttributeProcesses(services []snapshot.Service, procs []snapshot.Process) {
	direct := mainPIDs(services)
	byPID := map[int]*snapshot.Process{}
	for i := range procs {
		byPID[procs[i].PID] = &procs[i]
	}
	for i := range procs {
		p := &procs[i]
		if p.Service == "" {
			p.Service = serviceOf(p.PID, direct, byPID)
		}
	}
}

func mainPIDs(services []snapshot.Service) map[int]string {
	direct := map[int]string{}
	for _, sv := range services {
		if sv.MainPID > 0 && (sv.Running == nil || *sv.Running) {
			if _, ok := direct[sv.MainPID]; !ok {
				direct[sv.MainPID] = sv.Name
			}
		}
	}
	return direct
}

// serviceOf walks from pid up the process tree to the first service's main process.
func serviceOf(pid int, direct map[int]string, byPID map[int]*snapshot.Process) string {
	seen := map[int]bool{}
	for cur := pid; cur > 1 && !seen[cur]; {
		seen[cur] = true
		if name, ok := direct[cur]; ok {
			return name
		}
		p := byPID[cur]
		if p == nil || isSession(p, byPID) {
			return ""
		}
		cur = p.PPID
	}
	return ""
}

// isSession tells the per-login processes of an SSH server from the server itself
// (see snapshot.LoginSession).
func isSession(p *snapshot.Process, byPID map[int]*snapshot.Process) bool {
	parent := ""
	if q := byPID[p.PPID]; q != nil {
		parent = q.Comm
	}
	return snapshot.LoginSession(p.Comm, p.Command, parent)
}

// inSession reports whether a process runs below a login: started by hand, not by
// the init system.
func inSession(p *snapshot.Process, byPID map[int]*snapshot.Process) bool {
	seen := map[int]bool{}
	for cur := byPID[p.PPID]; cur != nil && cur.PID > 1 && !seen[cur.PID]; cur = byPID[cur.PPID] {
		seen[cur.PID] = true
		if isSession(cur, byPID) {
			return true
		}
	}
	return false
}

// LinkListeners sets Listener.Service from the listener's process: the process's
// service, found through its ancestors, or the service whose MainPID it is when the
// process list lacks it.
func LinkListeners(ls []snapshot.Listener, services []snapshot.Service, procs []snapshot.Process) {
	direct := mainPIDs(services)
	byPID := map[int]*snapshot.Process{}
	for i := range procs {
		byPID[procs[i].PID] = &procs[i]
	}
	for i := range ls {
		l := &ls[i]
		if l.Service != "" || l.PID <= 0 {
			continue
		}
		if p := byPID[l.PID]; p != nil && p.Service != "" {
			l.Service = p.Service
			continue
		}
		l.Service = serviceOf(l.PID, direct, byPID)
	}
}
