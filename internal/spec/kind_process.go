package spec

import (
	"cmp"
	"fmt"
	"path"
	"strings"

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
		var e Expectation
		switch {
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

func (p Process) goss(g gossfile, _ Expectation) bool {
	// goss's process resource is keyed by the comm name; a script run by an
	// interpreter has the interpreter's, so the command line is checked instead.
	g.command(fmt.Sprintf("ps -eo user=,args= | awk '$1 == %q'", p.User), cmp.Or(p.Command, p.Name))
	return true
}
