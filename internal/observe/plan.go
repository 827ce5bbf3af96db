// Package observe watches a live host over a period (trowel survey --observe): it
// repeats the cheap live parts of the probe (processes and sockets) at an interval
// and merges what every sample saw into one snapshot, so work that comes and goes
// (a cron job at 02:30, a nightly connection to a backup server) is not missed by
// a single look.
package observe

import (
	"github.com/trowel-dev/trowel/internal/probe"
)

// liveSteps are the plan steps a sample repeats: the process list and the sockets,
// with their fallbacks, exactly as the full probe takes them; the sample's own
// footprint, so that it is left out as the survey's is; and the port range workers'
// ports are judged by.
var liveSteps = map[string]bool{
	"self": true, "ps": true, "proc-ps": true, "ss": true, "netstat": true,
	"/proc/net/tcp": true, "/proc/net/tcp6": true, "/proc/net/udp": true, "/proc/net/udp6": true,
	probe.PortRangeFile: true,
}

// Plan is the sample's plan, selected from probe.Plan by name so it never drifts
// from what the full survey collects.
func Plan() []probe.Step {
	var out []probe.Step
	for _, st := range probe.Plan {
		name := st.Name
		if st.Kind != probe.Cmd {
			name = st.Path
		}
		if liveSteps[name] {
			out = append(out, st)
		}
	}
	return out
}

// Script is the sample probe.
func Script() []byte { return probe.Render(Plan()) }
