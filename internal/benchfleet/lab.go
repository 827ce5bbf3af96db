package main

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// runningLab is the trowel lab when it is up and this process can use it (its
// key is root's), else nil and why not. The lab belongs to its own scripts: this
// only reads lab.json and knocks on each sshd.
func runningLab() (*labtest.Lab, string) {
	dir := labtest.StateDir()
	lab, err := labtest.Load(dir)
	if err != nil {
		return nil, fmt.Sprintf("no lab (%v): start it as root with make lab-up to survey its hosts in the same run", err)
	}
	if f, err := os.Open(lab.KeyFile); err != nil {
		return nil, fmt.Sprintf("the lab's key cannot be read (%v)", err)
	} else {
		f.Close()
	}
	for _, name := range lab.HostNames() {
		h := lab.Hosts[name]
		c, err := net.DialTimeout("tcp", net.JoinHostPort(h.Addr, strconv.Itoa(h.Port)), 3*time.Second)
		if err != nil {
			return nil, fmt.Sprintf("lab host %s does not answer (%v): the lab in %s is down", name, err, dir)
		}
		c.Close()
	}
	return lab, ""
}

// labInventory is the lab's hosts as an INI group, each with the lab's key.
func labInventory(lab *labtest.Lab) string {
	var b strings.Builder
	b.WriteString("[lab]\n")
	for _, name := range lab.HostNames() {
		h := lab.Hosts[name]
		fmt.Fprintf(&b, "%s ansible_host=%s ansible_port=%d ansible_user=root ansible_ssh_private_key_file=%s\n", name, h.Addr, h.Port, lab.KeyFile)
	}
	return b.String()
}

// labSections are what every lab host's survey must have collected, in full or
// in part: they hold what the lab planted there.
var labSections = []snapshot.Section{snapshot.SectionHost, snapshot.SectionOS, snapshot.SectionPackages, snapshot.SectionServices,
	snapshot.SectionProcesses, snapshot.SectionListeners, snapshot.SectionAccounts, snapshot.SectionCron}

// checkLab checks each lab host's survey in the store, host by host: recorded
// once, under its own host name, over SSH as root, with labSections collected
// (a part of one, as a service whose state could not be told, is said). It
// returns a line per host and the problems found.
func checkLab(ctx context.Context, st *store.Store, lab *labtest.Lab) (lines, problems []string) {
	for _, name := range lab.HostNames() {
		snap, info, err := st.Resolve(ctx, name)
		if err != nil {
			problems = append(problems, fmt.Sprintf("lab host %s: %v", name, err))
			continue
		}
		var missing, partial []string
		for _, sec := range labSections {
			switch c := snap.Coverage[sec]; c.Status {
			case snapshot.Collected:
			case snapshot.Partial:
				partial = append(partial, string(sec))
			default:
				missing = append(missing, fmt.Sprintf("%s (%s)", sec, cmp.Or(string(c.Status), "absent")))
			}
		}
		switch {
		case info.Seq != 1:
			problems = append(problems, fmt.Sprintf("lab host %s was recorded %d times", name, info.Seq))
		case !strings.EqualFold(snap.Host.Hostname, name):
			problems = append(problems, fmt.Sprintf("lab host %s's survey found host name %q", name, snap.Host.Hostname))
		case snap.Source.Kind != "ssh" || !snap.Source.Privileged:
			problems = append(problems, fmt.Sprintf("lab host %s was not surveyed over SSH as root: %+v", name, snap.Source))
		case len(missing) > 0:
			problems = append(problems, fmt.Sprintf("lab host %s: not collected: %s", name, strings.Join(missing, ", ")))
		}
		line := fmt.Sprintf("%s: %s, host name %s, %s, %d/%d sections collected", name, info.Ref(), snap.Host.Hostname,
			info.OS, info.Coverage.Collected, info.Coverage.Sections()-info.Coverage.NotApplicable)
		if len(partial) > 0 {
			line += " (in part: " + strings.Join(partial, ", ") + ")"
		}
		lines = append(lines, line)
	}
	return lines, problems
}
