package diff

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernProcesses are the long-running programs. A process is compared when it
// is a service's or a daemon (its parent is init): a command run by cron or by
// someone's shell at survey time comes and goes, and is noise. Workers collapse
// into one item per program.
const ConcernProcesses Concern = "processes"

var processesConcern = concern{id: ConcernProcesses, section: snapshot.SectionProcesses, read: eachSide(processItems)}

func processItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, p := range s.Processes {
		if p.PID <= 1 || (p.Service == "" && p.PPID != 1) || notAProgram(p) {
			continue
		}
		// A service's processes are one item: which programs it forks (postfix's
		// smtp, cleanup) comes and goes, and its main program is named
		// differently across releases (mysqld, mariadbd).
		key, label := "program "+processName(p.Command, p.Comm), processName(p.Command, p.Comm)
		if p.Service != "" {
			key, label = serviceKey(p.Service), "service "+p.Service
		}
		out = append(out, item{key: key, label: label, fields: []field{{"users", setValue([]string{p.User})}}, refs: []string{p.Evidence}})
	}
	return merge(out)
}

// notAProgram are the processes no program runs as: kernel threads (kthreadd's
// children, bracketed) and zombies.
func notAProgram(p snapshot.Process) bool {
	return p.PPID == 2 || p.KernelThread() || p.Defunct()
}

// interpreters run a script named by their first operand: the script is the
// program ("python3 /usr/local/sbin/logship" is logship).
var interpreters = map[string]bool{
	"sh": true, "bash": true, "dash": true, "ksh": true, "perl": true, "ruby": true,
	"python": true, "python2": true, "python3": true, "php": true, "node": true,
}

// processName is the program a command line runs, without its directory (which
// differs between distributions) or arguments.
func processName(command, comm string) string {
	f := strings.Fields(command)
	if len(f) == 0 {
		return comm
	}
	// Daemons that rewrite their argv ("sshd: /usr/sbin/sshd [listener]") name
	// themselves before the colon.
	if strings.HasSuffix(f[0], ":") {
		return strings.TrimSuffix(f[0], ":")
	}
	name := path.Base(f[0])
	if interpreters[strings.TrimRight(name, "0123456789.")] || interpreters[name] {
		for _, a := range f[1:] {
			if !strings.HasPrefix(a, "-") {
				return path.Base(a)
			}
		}
	}
	return name
}
