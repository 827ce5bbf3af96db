package links

import (
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func TestParseUnits(t *testing.T) {
	got := ParseUnits("" +
		"412/cgroup:0::/system.slice/fluentd.service\n" +
		"413/cgroup:1:name=systemd:/system.slice/td-agent.service\n" +
		"414/cgroup:0::/system.slice/docker.service/payload\n" +
		"415/cgroup:0::/user.slice/user-1000.slice/session-3.scope\n" +
		"416/cgroup:0::/system.slice\n" +
		"417/cgroup:0::/system.slice/system-getty.slice/getty@tty1.service\n" +
		"garbage\nx/cgroup:0::/system.slice/a.service\n-1/cgroup:0::/a.service\n418/cgroup:0::/.service\n")
	want := map[int]string{412: "fluentd.service", 413: "td-agent.service", 414: "docker.service", 417: "getty@tty1.service"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// A daemon whose unit names no main PID (a forking gem-installed fluentd without a
// PIDFile=) and whose parent is PID 1 is the unit's, as its cgroup says; what ran
// from an SSH session stays no service's.
func TestProcessesOfAUnitWithoutMainPID(t *testing.T) {
	tru := snapshot.Bool(true)
	snap := &snapshot.Snapshot{
		Source: snapshot.Source{Kind: "ssh"},
		OS:     snapshot.OS{InitSystem: "systemd"},
		Services: []snapshot.Service{
			{Name: "fluentd.service", Init: "systemd", Running: tru},
			{Name: "sshd.service", Init: "systemd", Running: tru, MainPID: 801},
		},
		Processes: []snapshot.Process{
			pr(1, 0, "systemd", "/sbin/init"),
			pr(801, 1, "sshd", "sshd: /usr/sbin/sshd -D"),
			pr(2300, 1, "ruby", "/usr/bin/ruby /usr/local/bin/fluentd -c /etc/fluent/fluent.conf"),
			pr(2301, 2300, "ruby", "/usr/bin/ruby -Eascii-8bit:ascii-8bit /usr/local/bin/fluentd --under-supervisor"),
			pr(2500, 1, "sleep", "sleep 1000"),
		},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionProcesses: {Status: snapshot.Collected}},
	}
	in := kittest.Input(kittest.Archive(kittest.Cmd("proc-units", "", "2300/cgroup:0::/system.slice/fluentd.service\n2301/cgroup:0::/system.slice/fluentd.service\n2500/cgroup:0::/user.slice/user-0.slice/session-4.scope\n")), snap)
	New().Survey(in)
	got := map[int]string{}
	for _, p := range snap.Processes {
		got[p.PID] = p.Service
	}
	want := map[int]string{1: "", 801: "sshd.service", 2300: "fluentd.service", 2301: "fluentd.service", 2500: ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}
