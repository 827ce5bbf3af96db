package probe

import (
	"github.com/trowel-dev/trowel/internal/evidence"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func selfPlan() []Step {
	for _, st := range Plan {
		if st.Name == "self" {
			return []Step{st}
		}
	}
	return nil
}

// selfLines maps each key of the self item to its lines' values.
func selfLines(text string) map[string][]string {
	out := map[string][]string{}
	for _, l := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(l, "\t"); ok {
			out[k] = append(out[k], v)
		}
	}
	return out
}

// The probe says how it shows on the host under every shell: its own PID (the
// header's), itself and its ancestors up to init, and the SSH connection trowel's
// sudo command hands it.
func TestProbeFindsItselfUnderEveryShell(t *testing.T) {
	plan := selfPlan()
	if plan == nil {
		t.Fatal("the plan has no self step")
	}
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			a := runProbe(t, sh, Render(plan), "TROWEL_SSH_CONNECTION=192.0.2.7 50022 192.0.2.10 22", "SUDO_USER=")
			it, _ := a.Cmd("self")
			if !it.OK() || it.RC != 0 {
				t.Fatalf("self = %+v %q", it, it.Stderr)
			}
			got := selfLines(it.Text())
			if len(got["pid"]) != 1 || got["pid"][0] != a.Header["pid"] {
				t.Errorf("pid %v, header %q", got["pid"], a.Header["pid"])
			}
			if len(got["ssh"]) != 1 || got["ssh"][0] != "192.0.2.7 50022 192.0.2.10 22" {
				t.Errorf("ssh %v", got["ssh"])
			}
			if got["sudo_user"] != nil {
				t.Errorf("an empty SUDO_USER printed: %v", got["sudo_user"])
			}
			chain := got["proc"]
			if len(chain) < 3 {
				t.Fatalf("chain %q", chain)
			}
			first := strings.Split(chain[0], "\t")
			if first[0] != a.Header["pid"] || !strings.Contains(first[4], "probe.sh") {
				t.Errorf("the chain starts with %q", chain[0])
			}
			// The test binary started the shell: it is the shell's parent, and the
			// chain ends at init.
			second := strings.Split(chain[1], "\t")
			if second[0] != strconv.Itoa(os.Getpid()) || first[1] != second[0] {
				t.Errorf("the probe's parent is %q, want this test (%d)", chain[1], os.Getpid())
			}
			if last := strings.Split(chain[len(chain)-1], "\t"); last[0] != "1" || last[1] != "0" {
				t.Errorf("the chain ends with %q", chain[len(chain)-1])
			}
		})
	}
}

// Under sudo the probe names who ran it, and sudo on its way in.
func TestProbeFindsSudo(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to sudo to another user")
	}
	if _, err := exec.LookPath("sudo"); err != nil {
		t.Skip("sudo is not installed")
	}
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} { // nobody must read the script
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "probe.sh")
	mustWrite(t, file, Render(selfPlan()))
	for _, sh := range shells {
		t.Run(strings.Join(sh, " "), func(t *testing.T) {
			path, err := exec.LookPath(sh[0])
			if err != nil {
				t.Skipf("%s is not installed", sh[0])
			}
			args := append([]string{"-n", "-u", "nobody", path}, append(sh[1:], file)...)
			cmd := exec.Command("sudo", args...)
			cmd.Dir = "/"
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("sudo %v: %v", args, err)
			}
			a := decode(t, out)
			got := selfLines(mustCmd(t, a, "self"))
			if a.Header["user"] != "nobody" || len(got["sudo_user"]) != 1 || got["sudo_user"][0] != "root" || len(got["sudo_uid"]) != 1 || got["sudo_uid"][0] != "0" {
				t.Errorf("header %v, self %v", a.Header, got)
			}
			sudo := false
			for _, p := range got["proc"] {
				f := strings.Split(p, "\t")
				sudo = sudo || (f[3] == "sudo" && f[2] == "0")
			}
			if !sudo {
				t.Errorf("no sudo run by root on the way in: %q", got["proc"])
			}
		})
	}
}

func decode(t *testing.T, out []byte) *evidence.Archive {
	t.Helper()
	a, err := evidence.DecodeBytes(out)
	if err != nil || !a.Complete {
		t.Fatalf("decode: %v (complete %v)", err, a != nil && a.Complete)
	}
	return a
}

func mustCmd(t *testing.T, a *evidence.Archive, name string) string {
	t.Helper()
	it, _ := a.Cmd(name)
	if !it.OK() || it.RC != 0 {
		t.Fatalf("%s = %+v %q", name, it, it.Stderr)
	}
	return it.Text()
}
