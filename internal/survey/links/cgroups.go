package links

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// ParseUnits reads proc-units ("PID/cgroup:0::/system.slice/fluentd.service", or
// cgroup v1's "PID/cgroup:1:name=systemd:/system.slice/fluentd.service") into the
// service unit each process runs in. A unit's own sub-groups (a delegated
// "/system.slice/foo.service/payload") are the unit's; a process in a session scope
// or a slice only is in no service.
func ParseUnits(text string) map[int]string {
	out := map[int]string{}
	for _, line := range strings.Split(text, "\n") {
		pidPart, rest, ok := strings.Cut(line, "/cgroup:")
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(pidPart)
		if err != nil || pid <= 0 {
			continue
		}
		i := strings.Index(rest, ":/")
		if i < 0 {
			continue
		}
		segs := strings.Split(rest[i+1:], "/")
		for j := len(segs) - 1; j >= 0; j-- {
			if strings.HasSuffix(segs[j], ".service") && len(segs[j]) > len(".service") {
				out[pid] = segs[j]
				break
			}
		}
	}
	return out
}

// attributeByUnit sets the service of each process whose cgroup names a unit the
// services list holds: systemd's own answer, before any guess from ancestry.
func attributeByUnit(in *kit.Input, services []snapshot.Service, procs []snapshot.Process) {
	it := in.Cmd("proc-units")
	if !kit.Usable(it) {
		return
	}
	units := ParseUnits(kit.CompleteLines(it))
	if len(units) == 0 {
		return
	}
	known := map[string]string{}
	for _, sv := range services {
		known[strings.TrimSuffix(sv.Name, ".service")] = sv.Name
	}
	for i := range procs {
		p := &procs[i]
		if p.Service != "" {
			continue
		}
		if name, ok := known[strings.TrimSuffix(units[p.PID], ".service")]; ok && units[p.PID] != "" {
			p.Service = name
		}
	}
}
