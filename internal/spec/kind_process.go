package spec

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindProcess expects a program to run as a user.
const KindProcess Kind = "process"

// Process is a program running as a user: a service's (Service set) or one no
// service accounts for (Command set, the program as Program reads it).
type Process struct {
	Name    string `yaml:"name,omitempty"` // the program's base name
	User    string `yaml:"user,omitempty"`
	Command string `yaml:"command,omitempty"`
	Service string `yaml:"service,omitempty"`
}

func (Process) Kind() Kind { return KindProcess }

var processKind = def[Process]{
	sections: []snapshot.Section{snapshot.SectionProcesses},
	derive:   (*deriver).processes,
	goss:     Process.goss,
}

// Program is what identifies a process across hosts: the script an interpreter
// runs, or the executable and its config for an sshd listener, without pids,
// counters or the session details sshd writes into its title.
func Program(command string) string {
	c := strings.TrimSpace(command)
	if rest, ok := strings.CutPrefix(c, "sshd: "); ok {
		if i := strings.Index(rest, " ["); i >= 0 {
			rest = rest[:i]
		}
		return rest
	}
	f := strings.Fields(c)
	if len(f) == 0 {
		return ""
	}
	switch strings.TrimRight(path.Base(f[0]), "0123456789.") {
	case "sh", "bash", "dash", "python", "perl", "ruby", "php", "node", "java":
		for _, a := range f[1:] {
			if strings.HasPrefix(a, "/") {
				return a
			}
			if !strings.HasPrefix(a, "-") {
				break
			}
		}
	}
	return f[0]
}

func (d *deriver) processes() {
	if !d.usable("processes", snapshot.SectionProcesses) {
		return
	}
	seen := map[string]bool{}
	login := d.inLogin()
	for _, p := range d.s.Processes {
		if p.PID == 1 || p.User == "" {
			continue
		}
		prog := Program(p.Command)
		base := path.Base(prog)
		// Children of a job (sleep) and what runs in a login come and go; a
		// zombie runs nothing.
		if prog == "" || base == "sleep" || p.Defunct() || login[p.PID] {
			continue
		}
		if d.passing(p) {
			continue
		}
		var e Expectation
		switch {
		case p.Service != "" && nobody[p.User]:
			// The account of no one: a service's helper drops to it to hold no
			// privilege, and which helpers do changes between versions (Passenger
			// 5's ust-router, gone in 6). The service's own accounts are expected.
			continue
		case p.Service != "" && p.User != "root":
			// The service expectation covers that it runs; this says as whom.
			e = Expectation{ID: "process:" + p.Service + ":" + p.User, Body: Process{Name: base, Service: p.Service, User: p.User}}
		case p.Service == "":
			e = Expectation{ID: "process:" + prog + ":" + p.User, Body: Process{Name: base, Command: prog, User: p.User},
				Note: d.startedBy(prog)}
		default:
			continue
		}
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		e.From = From{Source: fmt.Sprintf("pid %d: %s", p.PID, p.Command), Evidence: ev(p.Evidence)}
		d.add(e)
	}
}

// nobody are the accounts that stand for no one.
var nobody = map[string]bool{"nobody": true, "nfsnobody": true}

// passing reports whether a process is a passing thing, not a daemon: a zombie, or
// a program no service accounts for that is still a child of whatever started it (a
// login session, a cron job, a build) rather than living on its own under PID 1, as
// a daemon does, and a program started with nohup ... & once its shell has gone; or
// one that had just started (fleeting): a browser's crash handler or a build's
// server detaches as well, and is gone a minute later. What was passing on the old
// host promises nothing, and would be gone by the time anybody checked the new one.
func (d *deriver) passing(p snapshot.Process) bool {
	switch {
	case p.Defunct():
		return true
	case p.Service == "" && p.PID != 1 && p.PPID != 1:
		return true
	}
	return d.fleeting(p)
}

// fleeting reports whether what a process does (run, listen) may be gone a minute
// after the survey: it had just started, and is neither PID 1 nor of a service an
// init system runs (where none runs, a service is only known by its processes, as
// another engineer's sshd on a shared machine is).
func (d *deriver) fleeting(p snapshot.Process) bool {
	if p.PID == 1 || (p.Service != "" && d.s.OS.InitSystem != "") {
		return false
	}
	return d.justStarted(p)
}

// justStarted reports whether a process had started shortly before the survey, and
// not with the host (an @reboot job's program starts a few seconds after PID 1).
// When it started is unknown, it had not.
func (d *deriver) justStarted(p snapshot.Process) bool {
	if p.Started == nil || d.s.CollectedAt.IsZero() {
		return false
	}
	if boot, ok := d.process(1); ok && boot.Started != nil && p.Started.Sub(*boot.Started) <= withTheHost {
		return false
	}
	return d.s.CollectedAt.Sub(*p.Started) < settled
}

// A process started with the host when it started within withTheHost of PID 1; one
// that had run for settled when surveyed is no passing thing either.
const (
	withTheHost = 2 * time.Minute
	settled     = 10 * time.Minute
)

// process finds the process of a pid.
func (d *deriver) process(pid int) (snapshot.Process, bool) {
	if pid == 0 {
		return snapshot.Process{}, false
	}
	i := slices.IndexFunc(d.s.Processes, func(p snapshot.Process) bool { return p.PID == pid })
	if i < 0 {
		return snapshot.Process{}, false
	}
	return d.s.Processes[i], true
}

// inLogin are the processes of a login and what runs in it: an SSH or console
// session's own processes and everything below them, and what runs below the
// survey's own processes (a command the login it came by piped the probe into, a job
// left running in that shell).
func (d *deriver) inLogin() map[int]bool {
	byPID := map[int]snapshot.Process{}
	for _, p := range d.s.Processes {
		byPID[p.PID] = p
	}
	own := map[int]bool{}
	if ss := d.s.Source.Session; ss != nil {
		for _, pid := range ss.PIDs {
			own[pid] = true
		}
	}
	out := map[int]bool{}
	for _, p := range d.s.Processes {
		seen := map[int]bool{}
		for cur, ok := p, true; ok && cur.PID > 1 && !seen[cur.PID]; cur, ok = byPID[cur.PPID] {
			seen[cur.PID] = true
			parent := byPID[cur.PPID]
			if own[cur.PPID] || snapshot.LoginSession(cur.Comm, cur.Command, parent.Comm) {
				out[p.PID] = true
				break
			}
		}
	}
	return out
}

// startedBy names the @reboot job that starts a program, when one does: what to
// carry over when the process is missing.
func (d *deriver) startedBy(program string) string {
	for _, j := range d.s.CronJobs {
		if j.Schedule == "@reboot" && strings.Contains(j.Command, program) {
			return fmt.Sprintf("started at boot by the @reboot job of %s at %s:%d", j.User, j.Source, j.Line)
		}
	}
	return ""
}

// goss lists the user's processes (ps -u, since ps -o user= cuts a long name to
// its uid). A program no service accounts for must be among them, by its command
// line: goss's process resource is keyed by the comm name, and a script run by an
// interpreter has the interpreter's. A service's account must run something: which
// of its processes runs at a given moment is the service's business (Postfix's
// pickup and smtpd come and go by design).
func (p Process) goss(g *gossfile, e Expectation) string {
	exec := "ps -u " + shellWord(p.User) + " -o args="
	if p.Service != "" {
		g.command(e, "", exec)
		return ""
	}
	g.command(e, "", exec, gossLine(gossWord(cmp.Or(p.Command, p.Name))))
	return ""
}
