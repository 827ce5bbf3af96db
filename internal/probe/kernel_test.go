package probe

import (
	"os"
	"strings"
	"testing"
)

// The live sysctl reader runs against this machine's own /proc/sys under every
// shell: every parameter comes out, multi-field values with their tabs, a
// write-only one is left out without failing the step, and the end marker is there.
func TestSysctlLiveReadsProcSys(t *testing.T) {
	wantRange, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Skip("no /proc/sys/net here: ", err)
	}
	wantOsrelease, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	plan := []Step{{Kind: Cmd, Name: "sysctl-live", Shell: SysctlLive, Needs: "grep", Limit: medium, Timeout: 20}}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(plan))
			it, _ := a.Cmd("sysctl-live")
			out := it.Text()
			if it.RC != 0 || it.Truncated {
				t.Fatalf("rc %d truncated %v, stderr %q", it.RC, it.Truncated, it.Stderr)
			}
			for _, want := range []string{
				"/proc/sys/kernel/ostype:Linux\n",
				"/proc/sys/kernel/osrelease:" + string(wantOsrelease),
				"/proc/sys/net/ipv4/ip_local_port_range:" + string(wantRange),
				"/proc/sys/net/core/somaxconn:",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if !strings.HasSuffix(out, "\n# done\n") {
				t.Errorf("no end marker: ...%q", out[max(0, len(out)-80):])
			}
			if k, err := os.ReadFile("/proc/sys/net/ipv4/tcp_fastopen_key"); err == nil && !strings.Contains(out, "/proc/sys/net/ipv4/tcp_fastopen_key:"+SecretSysctlValue+"\n") ||
				len(k) > 0 && strings.Contains(out, strings.TrimSpace(string(k))) {
				t.Errorf("TCP Fast Open's key was sent, or not marked")
			}
			if strings.Contains(out, "/proc/sys/vm/drop_caches:") {
				t.Errorf("a write-only parameter was printed")
			}
		})
	}
}

// The plan reads every sysctl directory with a listing (links and masks show there)
// and the live values with one command that needs a running system.
func TestKernelStepsInPlan(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range Plan {
		switch st.Kind {
		case List, Glob, File:
			seen[st.Path] = true
		case Cmd:
			if st.Name == "sysctl-live" {
				seen["cmd"] = true
				if st.Offline != "" || strings.Contains(st.Shell, "\n") {
					t.Errorf("sysctl-live: offline %q, multi-line %v", st.Offline, strings.Contains(st.Shell, "\n"))
				}
			}
		}
	}
	for _, d := range SysctlDirs {
		if !seen[d] || !seen[d+"/*.conf"] {
			t.Errorf("%s is not listed and read", d)
		}
	}
	if !seen[SysctlConf] || !seen["cmd"] {
		t.Errorf("sysctl.conf read %v, live command %v", seen[SysctlConf], seen["cmd"])
	}
}
