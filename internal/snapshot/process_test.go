package snapshot

import "testing"

func TestProcessKernelThread(t *testing.T) {
	for cmd, want := range map[string]bool{
		"[kworker/0:1]": true, "[kthreadd]": true,
		"[sudo] <defunct>": false, "/usr/sbin/sshd -D": false, "": false,
	} {
		if got := (Process{Command: cmd}).KernelThread(); got != want {
			t.Errorf("%q: KernelThread() = %v, want %v", cmd, got, want)
		}
	}
}

func TestCommandName(t *testing.T) {
	for cmd, want := range map[string]string{
		"/usr/sbin/crond -n": "crond", "nginx": "nginx", "  ": "", "": "",
	} {
		if got := CommandName(cmd); got != want {
			t.Errorf("CommandName(%q) = %q, want %q", cmd, got, want)
		}
	}
}
