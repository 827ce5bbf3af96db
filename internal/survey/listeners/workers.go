package listeners

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// PortRange is the kernel's ip_local_port_range: where it picks a port for a socket
// bound to port 0.
type PortRange struct {
	Low, High int
	// Read says the host's own range was read; otherwise Low and High are Linux's
	// default.
	Read bool
}

// DefaultPortRange is Linux's default ip_local_port_range since 2.6.
var DefaultPortRange = PortRange{Low: 32768, High: 60999}

// ParsePortRange reads /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999").
func ParsePortRange(text string) (PortRange, bool) {
	f := strings.Fields(text)
	if len(f) != 2 {
		return PortRange{}, false
	}
	lo, err1 := strconv.Atoi(f[0])
	hi, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || lo <= 0 || hi > 65535 || lo > hi {
		return PortRange{}, false
	}
	return PortRange{Low: lo, High: hi, Read: true}, true
}

// Has reports whether a port is in the range.
func (r PortRange) Has(port int) bool { return port >= r.Low && port <= r.High }

func (r PortRange) String() string {
	s := fmt.Sprintf("%d–%d", r.Low, r.High)
	if !r.Read {
		s += ", Linux's default (the host's own range was not read)"
	}
	return s
}

// WorkerPort says why a listener is a port a server's worker bound for its own use,
// or "" when it is not: it listens on loopback only, on a port in the kernel's
// ephemeral range (so the kernel picked it, anew at each start), and the process
// holding it runs below an application server or web server that spawns such
// workers (Passenger's core and its Ruby apps, Unicorn, Puma, PHP-FPM, Gunicorn,
// uWSGI, Apache, nginx). A port such a server was configured with (php-fpm's
// `listen = 127.0.0.1:9000`) is bound by the server itself, outside the range, and is
// not one. byPID is the process list.
func WorkerPort(l snapshot.Listener, r PortRange, byPID map[int]*snapshot.Process) string {
	if l.PID <= 0 || l.Reach() != snapshot.ReachLoopback || !r.Has(l.Port) {
		return ""
	}
	owner := byPID[l.PID]
	if owner == nil {
		return ""
	}
	seen := map[int]bool{owner.PID: true}
	for p, depth := byPID[owner.PPID], 0; p != nil && depth < 4 && !seen[p.PID]; p, depth = byPID[p.PPID], depth+1 {
		seen[p.PID] = true
		if s := spawner(p); s != "" {
			return fmt.Sprintf("a worker's own port: loopback only, in the kernel's ephemeral range %s, held by %s (pid %d), a child of %s (pid %d); chosen anew at each start",
				r, short(owner.Command), owner.PID, s, p.PID)
		}
	}
	// Passenger's application processes bind a port of their own, and outlive
	// the preloader that spawned them (reparented to PID 1 once it exits idle).
	if c := strings.TrimSpace(owner.Command); strings.HasPrefix(c, "Passenger") || strings.HasPrefix(owner.Comm, "Passenger") {
		return fmt.Sprintf("a worker's own port: loopback only, in the kernel's ephemeral range %s, held by %s (pid %d), a process of Passenger's; chosen anew at each start",
			r, short(owner.Command), owner.PID)
	}
	return ""
}

// spawner names the server a process is, when it is one whose children bind ports of
// their own, or "".
func spawner(p *snapshot.Process) string {
	c := strings.TrimSpace(p.Command)
	switch {
	case strings.HasPrefix(c, "Passenger") || strings.HasPrefix(p.Comm, "Passenger"):
		return short(c) // Passenger core, PassengerAgent watchdog, Passenger AppPreloader ...
	case strings.HasPrefix(c, "unicorn master"), strings.HasPrefix(c, "unicorn_rails master"):
		return "Unicorn's master"
	case strings.HasPrefix(c, "puma ") || strings.HasPrefix(c, "puma:"):
		return "Puma"
	case strings.HasPrefix(c, "php-fpm: master"):
		return "PHP-FPM's master"
	case strings.HasPrefix(c, "gunicorn: master"):
		return "Gunicorn's master"
	case p.Comm == "uwsgi":
		return "uWSGI"
	}
	switch p.Comm {
	case "httpd", "apache2", "httpd.worker", "httpd.event":
		return "Apache"
	case "nginx":
		return "nginx"
	}
	return ""
}

// short is a command line cut to a readable length.
func short(c string) string {
	if r := []rune(c); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return c
}
