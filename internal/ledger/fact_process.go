package ledger

import (
	"path"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindProcess is a daemon no service accounts for: a program living on its own
// under PID 1 (started by an @reboot job, by hand, by a script).
const KindProcess Kind = "process"

var processKind = kind{name: KindProcess, read: (*reader).processes,
	tests: []spec.Kind{spec.KindProcess},
	claim: func(e spec.Expectation, subject string) []string {
		p, _ := e.Body.(spec.Process)
		if p.Service != "" {
			return []string{ID(KindService, p.Service)}
		}
		return []string{ID(KindProcess, subject)}
	}}

func (r *reader) processes() {
	own := map[int]bool{}
	if ss := r.s.Source.Session; ss != nil {
		for _, pid := range ss.PIDs {
			own[pid] = true
		}
	}
	for _, p := range r.s.Processes {
		if p.Service != "" || p.PPID != 1 || p.PID <= 1 || p.User == "" || p.Defunct() || own[p.PID] {
			continue
		}
		if snapshot.LoginSession(p.Comm, p.Command, "") {
			continue
		}
		prog := spec.Program(p.Command)
		if prog == "" || path.Base(prog) == "sleep" {
			continue
		}
		key := prog + ":" + p.User
		if _, dup := r.seen[ID(KindProcess, key)]; dup {
			continue // several workers of one program are one daemon
		}
		r.add(KindProcess, key, prog+" runs as "+p.User+" under no service", p.Command, p.Evidence)
	}
}
