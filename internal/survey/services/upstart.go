package services

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Upstart's Enabled stays nil: a job starts at boot when the event in its "start on"
// stanza fires, and an administrator disables it with a "manual" line in a
// .override file. Both live in /etc/init/*.conf and *.override, whose contents are
// not collected, so whether a job starts at boot cannot be told.

// jobName names one instance the way initctl prints it: "tty (/dev/tty1)".
func jobName(j Job) string {
	if j.Instance != "" {
		return j.Name + " (" + j.Instance + ")"
	}
	return j.Name
}

// upstartRunning: "start/running" runs; "stop/waiting" does not; the states in
// between (pre-start, post-stop, killed ...) are transitions whose outcome is unknown.
func upstartRunning(j Job) *bool {
	switch j.State {
	case "running":
		return boolp(j.Goal == "start" || j.PID > 0)
	case "waiting":
		return boolp(false)
	}
	return nil
}

// readUpstart reads initctl's job list where it ran, else the job files of /etc/init
// (a disk read offline, or initctl refused a non-root user).
func readUpstart(in *kit.Input, b *builder) (found bool, tried []*evidence.Item, problems []string) {
	ictl := in.Cmd("initctl-list")
	tried = append(tried, ictl)
	if kit.Usable(ictl) {
		found = true
		if st, why := kit.StatusOf(ictl); st != snapshot.Collected {
			problems = append(problems, why)
		}
		jobs, bad := ParseInitctl(ictl.Text())
		if len(bad) > 0 {
			problems = append(problems, describeBad(ictl, bad))
		}
		for _, j := range jobs {
			s := b.get(jobName(j), "upstart", ictl)
			s.Path = "/etc/init/" + j.Name + ".conf"
			s.State = j.Goal + "/" + j.State
			s.Running = upstartRunning(j)
			s.MainPID = j.PID
		}
		return found, tried, problems
	}
	dir := in.List("/etc/init")
	tried = append(tried, dir)
	if !kit.Usable(dir) {
		return false, tried, problems
	}
	found = true
	if st, why := kit.StatusOf(dir); st != snapshot.Collected {
		problems = append(problems, why)
	}
	entries, bad := kit.ParseListing(dir.Text())
	if len(bad) > 0 {
		problems = append(problems, describeBad(dir, bad))
	}
	for _, e := range entries {
		if e.Type == 'd' || !strings.HasSuffix(e.Name, ".conf") || strings.HasPrefix(e.Name, ".") {
			continue
		}
		name := strings.TrimSuffix(e.Name, ".conf")
		s := b.get(name, "upstart", dir)
		s.Path = "/etc/init/" + e.Name
	}
	return found, tried, problems
}
