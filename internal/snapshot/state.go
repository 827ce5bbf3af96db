package snapshot

import (
	"slices"
	"strconv"
	"strings"
)

// Mode is how the facts were gathered, which decides what may be said of them at
// all: only a probe that ran on the running host saw processes and sockets.
type Mode string

const (
	// ModeLive is a probe run by trowel on the running host (ssh, local).
	ModeLive Mode = "live"
	// ModeBundle is the probe run by hand on the running host and brought back:
	// live facts, of the moment it ran.
	ModeBundle Mode = "bundle"
	// ModeOffline is a disk read offline: nothing ran, so nothing is known of
	// what runs, only of what is set to start at boot.
	ModeOffline Mode = "offline"
)

// Mode says how the snapshot's facts were gathered.
func (s Source) Mode() Mode {
	switch s.Kind {
	case "root":
		return ModeOffline
	case "bundle":
		return ModeBundle
	}
	return ModeLive
}

// RunState is whether a service runs, as far as the facts tell.
type RunState string

const (
	// Running: a process of the service runs.
	Running RunState = "running"
	// Exited: a one-shot the init system counts as active although no process
	// of it runs (systemd's "active (exited)"): it did its work at start-up and
	// that work stays in effect.
	Exited RunState = "exited"
	// Stopped: the init system or a complete process list says it does not run.
	Stopped RunState = "stopped"
	// RunUnknown: nothing tells, and offline nothing can.
	RunUnknown RunState = "unknown"
)

// BootState is whether a service starts at boot, as far as the facts tell.
type BootState string

const (
	// Enabled: the init system starts it at boot.
	Enabled BootState = "enabled"
	// Disabled: nothing in the boot configuration starts it by itself.
	Disabled BootState = "disabled"
	// Static: it has no boot setting of its own; another unit, a socket or a
	// timer starts it when needed.
	Static BootState = "static"
	// Masked: the init system refuses to start it at all.
	Masked BootState = "masked"
	// BootUnknown: the boot configuration could not be read.
	BootUnknown BootState = "unknown"
)

// ServiceState is what may truthfully be said of a service: whether it runs and
// whether it starts at boot, each known or not, with the init system's own words
// and the facts it rests on. Every sentence about a service's state is made from
// it, so none claims more than the snapshot holds.
type ServiceState struct {
	Run  RunState  `json:"run"`
	Boot BootState `json:"boot"`
	// RunWord and BootWord are the init system's words ("dead", "failed",
	// "masked", "2345"), for a reader who wants them.
	RunWord  string `json:"run_word,omitempty"`
	BootWord string `json:"boot_word,omitempty"`
	// Mode is how the facts were gathered: offline, Run is always unknown.
	Mode     Mode     `json:"mode"`
	Evidence []string `json:"evidence,omitempty"`
}

// StateOf tells what is known of a service's state. Offline, whatever a field
// says, nothing is known of what runs: no process was seen.
func (s *Snapshot) StateOf(sv Service) ServiceState {
	st := ServiceState{Mode: s.Source.Mode(), RunWord: sv.State, BootWord: sv.EnabledState, Evidence: slices.Clone(sv.Evidence)}
	switch {
	case st.Mode == ModeOffline || sv.Running == nil:
		st.Run = RunUnknown
	case !*sv.Running:
		st.Run = Stopped
	case sv.State == "exited":
		st.Run = Exited
	default:
		st.Run = Running
		if sv.MainPID > 0 {
			st.Evidence = append(st.Evidence, "processes["+strconv.Itoa(sv.MainPID)+"]")
		}
	}
	switch {
	case sv.Enabled == nil:
		st.Boot = BootUnknown
	case *sv.Enabled:
		st.Boot = Enabled
	case strings.HasPrefix(sv.EnabledState, "masked"):
		st.Boot = Masked
	case sv.EnabledState == "static" || sv.EnabledState == "indirect":
		st.Boot = Static
	default:
		st.Boot = Disabled
	}
	return st
}

// Runs reports whether a process of the service is known to run.
func (st ServiceState) Runs() bool { return st.Run == Running }

// Idle reports whether a service is known to have done nothing on the host: it
// did not run and nothing starts it at boot (disabled or masked). Its
// configuration is not what the host did, so a migration need not carry it nor a
// new host have it. A static unit may be started by another, so it is not idle.
func (st ServiceState) Idle() bool {
	return st.Run == Stopped && (st.Boot == Disabled || st.Boot == Masked)
}

// ServiceIdle reports whether the service of this name is known to be Idle; one
// the snapshot does not have is not.
func (s *Snapshot) ServiceIdle(name string) bool {
	sv, ok := s.ServiceNamed(name)
	return ok && s.StateOf(sv).Idle()
}

// ServiceNamed finds a service by the name the init system gives it, with or
// without systemd's ".service".
func (s *Snapshot) ServiceNamed(name string) (Service, bool) {
	if name == "" {
		return Service{}, false
	}
	for _, sv := range s.Services {
		if sv.Name == name || strings.TrimSuffix(sv.Name, ".service") == strings.TrimSuffix(name, ".service") {
			return sv, true
		}
	}
	return Service{}, false
}
