package ansible

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The lab's legacy host: 60-redmine.conf's three parameters applied at boot are
// carried to the file of that name; tcp_fin_timeout, 30 in /etc/sysctl.conf but 60
// in force, is carried as 60 and left to a decision; the OS's protect-links.conf
// is not carried.
func TestSysctlFromTheLab(t *testing.T) {
	files := Render(build(t, legacyLab(t), "debian-12"))
	vars := files["group_vars/all/main.yml"]
	for _, want := range []string{
		"  # /etc/sysctl.d/60-redmine.conf:4, set by an administrator (/etc/sysctl.d/60-redmine.conf is owned",
		"  - name: kernel.shmmax\n    value: \"4294967296\"\n    file: /etc/sysctl.d/60-redmine.conf\n",
		"  - name: net.core.somaxconn\n    value: \"1024\"\n    file: /etc/sysctl.d/60-redmine.conf\n",
		"  - name: net.ipv4.tcp_keepalive_time\n    value: \"600\"\n    file: /etc/sysctl.d/60-redmine.conf\n",
		"base_sysctl_in_force:\n  # /etc/sysctl.conf:71, set by an administrator (/etc/sysctl.conf was changed from the version procps",
		"  - name: net.ipv4.tcp_fin_timeout\n    value: \"60\"\n    file: /etc/sysctl.d/99-trowel.conf\n",
	} {
		if !strings.Contains(vars, want) {
			t.Errorf("group_vars lack %q", want)
		}
	}
	if strings.Contains(vars, "fs.protected") {
		t.Error("the source OS's own defaults were carried")
	}
	tasks := files["roles/base/tasks/main.yml"]
	for _, want := range []string{"ansible.posix.sysctl:", "sysctl_file: \"{{ item.file }}\"", "reload: true", "loop: \"{{ base_sysctl }}\"", "loop: \"{{ base_sysctl_in_force }}\""} {
		if !strings.Contains(tasks, want) {
			t.Errorf("the base tasks lack %q", want)
		}
	}
	todo := files["MIGRATION_TODO.md"]
	if !strings.Contains(todo, "**Kernel parameter net.ipv4.tcp_fin_timeout: 60 in force, /etc/sysctl.conf:71 sets 30** (`sysctl.not-applied`)") {
		t.Errorf("MIGRATION_TODO.md does not ask for the decision:\n%s", todo)
	}
	if n := strings.Count(todo, "`sysctl.not-applied`"); n != 1 {
		t.Errorf("the unapplied parameter is listed %d times", n)
	}
}

func sysctlSnapshot(status snapshot.Status, sysctls ...snapshot.Sysctl) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "www01"}, Coverage: map[snapshot.Section]snapshot.Coverage{}}
	if status != "" {
		s.Coverage[snapshot.SectionSysctl] = snapshot.Coverage{Status: status, Reason: "a reason"}
		s.Kernel = snapshot.Kernel{Sysctls: sysctls}
	}
	return s
}

func admin(key, state, inForce, configured, file string, line int) snapshot.Sysctl {
	return snapshot.Sysctl{Key: key, State: state, Value: inForce, Evidence: []string{"file:" + file},
		Configured: &snapshot.SysctlSetting{Value: configured, File: file, Line: line, Origin: snapshot.OriginAdmin}}
}

func TestSysctlTranslation(t *testing.T) {
	for _, c := range []struct {
		name      string
		snap      *snapshot.Snapshot
		vars      []string // in group_vars/all/main.yml
		todo      []string // in MIGRATION_TODO.md
		noSysctls bool     // no sysctl task at all
	}{
		{"offline: the configured value, said so",
			sysctlSnapshot(snapshot.Partial, admin("vm.swappiness", snapshot.SysctlUnknown, "", "10", "/etc/sysctl.conf", 3)),
			[]string{"the value in force was not read, so this is the", "  - name: vm.swappiness\n    value: \"10\"\n    file: /etc/sysctl.d/99-trowel.conf"},
			nil, false},
		{"a drop-in of /usr/local keeps its name under /etc",
			sysctlSnapshot(snapshot.Collected, admin("vm.max_map_count", snapshot.SysctlRead, "262144", "262144", "/usr/local/lib/sysctl.d/50-es.conf", 1)),
			[]string{"file: /etc/sysctl.d/50-es.conf"}, nil, false},
		{"a parameter the old kernel lacked is not carried",
			sysctlSnapshot(snapshot.Collected, admin("net.bridge.bridge-nf-call-iptables", snapshot.SysctlAbsent, "", "1", "/etc/sysctl.d/99-k8s.conf", 3)),
			nil, []string{"**Kernel parameter net.bridge.bridge-nf-call-iptables**", "has no such parameter"}, true},
		{"an interface's parameter is left to the operator",
			sysctlSnapshot(snapshot.Collected, admin("net.ipv4.conf.eth0.rp_filter", snapshot.SysctlRead, "2", "2", "/etc/sysctl.d/10-net.conf", 1)),
			nil, []string{"for the interface eth0"}, true},
		{"a pattern is left to the operator, once",
			func() *snapshot.Snapshot {
				a := admin("net.ipv4.conf.all.rp_filter", snapshot.SysctlRead, "1", "1", "/etc/sysctl.d/10-net.conf", 1)
				b := admin("net.ipv4.conf.default.rp_filter", snapshot.SysctlRead, "1", "1", "/etc/sysctl.d/10-net.conf", 1)
				a.Configured.Pattern, b.Configured.Pattern = "net.ipv4.conf.*.rp_filter", "net.ipv4.conf.*.rp_filter"
				return sysctlSnapshot(snapshot.Collected, a, b)
			}(),
			nil, []string{"**Kernel parameter pattern net.ipv4.conf.*.rp_filter**"}, true},
		{"the OS's and boot-time lines are not carried",
			func() *snapshot.Snapshot {
				os := admin("kernel.sysrq", snapshot.SysctlRead, "0", "0", "/etc/sysctl.conf", 16)
				os.Configured.Origin = snapshot.OriginOS
				run := admin("net.ipv4.ip_forward", snapshot.SysctlRead, "1", "1", "/run/sysctl.d/vpn.conf", 1)
				run.Configured.Origin = snapshot.OriginRuntime
				return sysctlSnapshot(snapshot.Collected, os, run)
			}(),
			nil, nil, true},
		{"not surveyed: nothing carried, and said so",
			sysctlSnapshot(""), nil, []string{"### Decide", "**Kernel parameters (sysctl)**"}, true},
		{"denied: nothing carried",
			sysctlSnapshot(snapshot.Denied, admin("vm.swappiness", snapshot.SysctlRead, "10", "10", "/etc/sysctl.conf", 3)),
			nil, []string{"**sysctl: denied**"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := Render(build(t, c.snap, "debian-12"))
			for _, w := range c.vars {
				if !strings.Contains(files["group_vars/all/main.yml"], w) {
					t.Errorf("group_vars lack %q:\n%s", w, files["group_vars/all/main.yml"])
				}
			}
			for _, w := range c.todo {
				if !strings.Contains(files["MIGRATION_TODO.md"], w) {
					t.Errorf("MIGRATION_TODO.md lacks %q:\n%s", w, files["MIGRATION_TODO.md"])
				}
			}
			if got := strings.Contains(files["roles/base/tasks/main.yml"], "ansible.posix.sysctl"); got == c.noSysctls {
				t.Errorf("sysctl task written: %v", got)
			}
		})
	}
}
