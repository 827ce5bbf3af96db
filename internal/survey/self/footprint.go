package self

import (
	"cmp"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/processes"
)

// Footprint is the survey's own processes on the host.
type Footprint struct {
	// Own are the PIDs of every process of the survey.
	Own map[int]bool
	// WayIn is the probe's shell and the processes that started it, nearest first:
	// the shells, sudo or su, the collector, the SSH session, up to (not including)
	// the first process that is the host's own (sshd's listener, init, a daemon).
	WayIn []processes.Proc
	// Sockets are the inodes of the sockets the way in held.
	Sockets []uint64
}

// Trace finds the survey's footprint from the self item and the process list: the
// probe's chain of ancestors (the item's, else walked through procs from its PID), cut
// where the way in ends; every process below the probe (ps, sed, the watchdog's
// sleeps); and the other children of a command line that started the probe, which are
// its pipeline partners (the `head -c` that feeds it in trowel's terminal path, a
// `gzip` after `sh probe.sh |`).
//
// The way in is told by what a process is, not by its PID: shells, sudo and its
// kin, launchers such as env or nice, trowel itself, and the per-login processes of
// an SSH server. Anything else on the chain is the host's own, and so is everything
// above it.
func Trace(it Item, procs []processes.Proc) Footprint {
	byPID := make(map[int]*processes.Proc, len(procs))
	for i := range procs {
		byPID[procs[i].PID] = &procs[i]
	}
	chain := it.Chain
	if len(chain) == 0 || chain[0].PID != it.PID {
		chain = walk(it.PID, byPID)
	}
	fp := Footprint{Own: map[int]bool{}}
	if len(chain) == 0 {
		if it.PID > 0 {
			fp.Own[it.PID] = true
		}
		return fp
	}
	fp.WayIn = []processes.Proc{chain[0]}
	for i := 1; i < len(chain); i++ {
		p := chain[i]
		var parent *processes.Proc
		if i+1 < len(chain) {
			parent = &chain[i+1]
		} else {
			parent = byPID[p.PPID]
		}
		if p.PID <= 1 || !wayIn(p, parent) {
			break
		}
		fp.WayIn = append(fp.WayIn, p)
	}
	for _, p := range fp.WayIn {
		fp.Own[p.PID] = true
		fp.Sockets = append(fp.Sockets, it.Sockets[p.PID]...)
	}
	below := []int{chain[0].PID}
	if len(fp.WayIn) > 1 && commandLine(fp.WayIn[1]) {
		below = append(below, fp.WayIn[1].PID)
	}
	for _, pid := range below {
		for d := range processes.Descendants(procs, pid) {
			fp.Own[d] = true
		}
	}
	slices.Sort(fp.Sockets)
	fp.Sockets = slices.Compact(fp.Sockets)
	return fp
}

// walk follows the process list's parents from pid up to init.
func walk(pid int, byPID map[int]*processes.Proc) []processes.Proc {
	var out []processes.Proc
	seen := map[int]bool{}
	for cur := pid; cur > 0 && !seen[cur]; {
		seen[cur] = true
		p := byPID[cur]
		if p == nil {
			break
		}
		out = append(out, *p)
		cur = p.PPID
	}
	return out
}

var (
	// shells start the probe: a login shell running sshd's command, `sh -c` in
	// trowel's sudo command, the operator's shell that ran `sh probe.sh`.
	shells = set("sh", "bash", "dash", "ash", "ksh", "ksh93", "mksh", "pdksh", "zsh", "csh", "tcsh", "posh", "yash", "busybox", "fish")
	// changers run the probe with another account's rights.
	changers = set("sudo", "su", "runuser", "doas", "pkexec", "sg", "ksu")
	// launchers run a command and nothing else.
	launchers = set("env", "nice", "ionice", "setsid", "nohup", "timeout", "stdbuf", "script", "chrt", "taskset")
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// names are what a process is called: its kernel name, and its argv[0]'s base name
// (the kernel keeps 15 characters; a login shell's argv[0] starts with "-").
func names(p processes.Proc) []string {
	out := []string{p.Comm}
	if f := strings.Fields(p.Command); len(f) > 0 {
		out = append(out, strings.TrimPrefix(path.Base(f[0]), "-"))
	}
	return out
}

func isOne(p processes.Proc, of map[string]bool) bool { return nameIn(p, of) != "" }

// nameIn is the name by which p is one of a set, or "".
func nameIn(p processes.Proc, of map[string]bool) string {
	for _, n := range names(p) {
		if of[n] {
			return n
		}
	}
	return ""
}

// wayIn reports whether an ancestor of the probe is part of how the survey got in.
func wayIn(p processes.Proc, parent *processes.Proc) bool {
	switch {
	case isOne(p, shells), isOne(p, changers), isOne(p, launchers):
		return true
	case strings.HasPrefix(p.Comm, "trowel"):
		return true // the collector itself: `trowel survey local`
	}
	parentComm := ""
	if parent != nil {
		parentComm = parent.Comm
	}
	return snapshot.LoginSession(p.Comm, p.Command, parentComm)
}

// commandLine reports whether a shell runs a command line given with -c (whose other
// children are the probe's pipeline partners), not a script or a terminal.
func commandLine(p processes.Proc) bool {
	if !isOne(p, shells) {
		return false
	}
	f := strings.Fields(p.Command)
	for _, a := range f[min(1, len(f)):] {
		if a == "--" || !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") {
			break
		}
		if strings.ContainsRune(a, 'c') {
			return true
		}
	}
	return false
}

// Login names the account behind the probe and the program that changed its rights:
// SUDO_USER and sudo when sudo's environment says so, else the nearest sudo, su,
// runuser or doas on the way in and the account of the process that ran it, named
// by users. Both are empty when nothing on the way in changed rights.
func (fp Footprint) Login(it Item, users map[int]string) (login, through string) {
	if it.SudoUser != "" {
		return it.SudoUser, "sudo"
	}
	way := fp.WayIn
	for i := 1; i < len(way); i++ {
		if through = nameIn(way[i], changers); through == "" {
			continue
		}
		// sudo with use_pty runs as two processes: the account is the one above both.
		j := i
		for j+1 < len(way) && isOne(way[j+1], changers) {
			j++
		}
		uid := way[j].UID // the real uid of the outermost one, the self item's
		if j+1 < len(way) {
			uid = way[j+1].UID
		}
		if uid >= 0 {
			login = cmp.Or(users[uid], "uid "+strconv.Itoa(uid))
		}
		return login, through
	}
	return "", ""
}
