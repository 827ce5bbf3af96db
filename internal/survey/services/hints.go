package services

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// readHints turns the pid and lock files the probe found (run-hints) into hints,
// each tied to the service its name tells. They are never taken for a running
// service: a process that died leaves its pid file, and a disk keeps both after
// shutdown. An archive without the item (an older probe) has no hints.
func readHints(in *kit.Input) {
	it := in.Cmd("run-hints")
	if !kit.Usable(it) {
		return
	}
	id := in.Cite(it)
	for _, line := range strings.Split(kit.CompleteLines(it), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 || (f[0] != "pid" && f[0] != "lock") || !strings.HasPrefix(f[2], "/") {
			continue
		}
		h := snapshot.Hint{Kind: f[0] + "_file", Path: f[2], Evidence: id}
		if sec, err := strconv.ParseInt(f[1], 10, 64); err == nil {
			t := time.Unix(sec, 0).UTC()
			h.Written = &t
		}
		h.PID, _ = strconv.Atoi(f[3])
		name := strings.TrimSuffix(path.Base(h.Path), ".pid")
		h.Service = serviceOf(in.Snap.Services, name, path.Base(path.Dir(h.Path)))
		h.Says = hintWords(h, name, in.Offline())
		in.Snap.Hints = append(in.Snap.Hints, h)
	}
}

// serviceOf is the service a pid or lock file is named after (mysqld.pid,
// /var/run/mysqld/, /var/lock/subsys/mysqld), or "".
func serviceOf(svcs []snapshot.Service, names ...string) string {
	for _, n := range names {
		for _, s := range svcs {
			if strings.TrimSuffix(s.Name, ".service") == n {
				return s.Name
			}
		}
	}
	for _, n := range names {
		for _, s := range svcs {
			if n != "run" && n != "subsys" && distro.SameService(s.Name, n) {
				return s.Name
			}
		}
	}
	return ""
}

func hintWords(h snapshot.Hint, name string, offline bool) string {
	who := name
	if h.Service != "" {
		who = h.Service
	}
	when := ""
	if h.Written != nil {
		when = " (written " + h.Written.Format("2006-01-02 15:04 MST") + ")"
	}
	now := "it proves nothing about now: a process that died leaves its pid file behind"
	if offline {
		now = "it proves nothing about now: the disk keeps it after shutdown"
	}
	switch {
	case h.Kind == "lock_file":
		return fmt.Sprintf("the lock file %s says the init script started %s and had not stopped it%s; a hint only, %s", h.Path, who, when, strings.Replace(now, "pid file", "lock file", 1))
	case h.PID > 0:
		return fmt.Sprintf("the pid file %s says %s ran as pid %d%s; a hint only, %s", h.Path, who, h.PID, when, now)
	}
	return fmt.Sprintf("the pid file %s of %s holds no pid%s; a hint only, %s", h.Path, who, when, now)
}
