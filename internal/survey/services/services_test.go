package services

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func file(path, text string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindFile, Name: path, Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte(text)}
}

func cmd(name, text string, rc int) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindCmd, Name: name, Command: name, Limit: 1 << 20, Status: evidence.StatusOK, RC: rc, Data: []byte(text)}
}

func status(kind evidence.Kind, name string, st evidence.Status, stderr string) *evidence.Item {
	return &evidence.Item{Kind: kind, Name: name, Command: name, Limit: 1 << 20, Status: st, Stderr: []byte(stderr)}
}

func list(path, text string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindList, Name: path, Limit: 1 << 20, Status: evidence.StatusOK, Data: []byte(text)}
}

// skipped is what the probe records for a systemctl step whose When did not hold.
func skipped(name string) *evidence.Item {
	return status(evidence.KindCmd, name, evidence.StatusSkipped, "not run: the condition [ -d /run/systemd/system ] does not hold")
}

func input(items ...*evidence.Item) *kit.Input {
	a := &evidence.Archive{Complete: true, Header: map[string]string{}}
	for _, it := range items {
		a.Add(it)
	}
	return &kit.Input{Archive: a, Snap: &snapshot.Snapshot{
		Source:   snapshot.Source{Kind: "ssh"},
		Services: []snapshot.Service{},
		Coverage: map[snapshot.Section]snapshot.Coverage{},
		Evidence: map[string]snapshot.EvidenceRef{},
	}}
}

func survey(in *kit.Input) (map[string]snapshot.Service, snapshot.Coverage) {
	New().Survey(in)
	m := map[string]snapshot.Service{}
	for _, s := range in.Snap.Services {
		k := s.Name
		if s.Init == "xinetd" {
			k = "xinetd:" + s.Name
		}
		m[k] = s
	}
	return m, in.Snap.Coverage[snapshot.SectionServices]
}

// tri prints a tri-state for comparisons: "true", "false" or "nil".
func tri(b *bool) string {
	if b == nil {
		return "nil"
	}
	return fmt.Sprint(*b)
}

// expect is one service's expected init, enablement, state word and running.
type expect struct {
	init, enabled, enabledState, running, state string
}

func check(t *testing.T, svcs map[string]snapshot.Service, want map[string]expect) {
	t.Helper()
	for name, w := range want {
		s, ok := svcs[name]
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		got := expect{s.Init, tri(s.Enabled), s.EnabledState, tri(s.Running), s.State}
		if got != w {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, w)
		}
		if len(s.Evidence) == 0 {
			t.Errorf("%s cites no evidence", name)
		}
	}
}

func checkCited(t *testing.T, in *kit.Input) {
	t.Helper()
	ids := append([]string{}, in.Snap.Coverage[snapshot.SectionServices].Evidence...)
	for _, s := range in.Snap.Services {
		ids = append(ids, s.Evidence...)
	}
	for _, id := range ids {
		if _, ok := in.Snap.Evidence[id]; !ok {
			t.Errorf("%s is cited but not in the evidence index", id)
		}
	}
	for i := 1; i < len(in.Snap.Services); i++ {
		a, b := in.Snap.Services[i-1], in.Snap.Services[i]
		if a.Name > b.Name || a.Name == b.Name && a.Init >= b.Init {
			t.Errorf("services not sorted: %s/%s before %s/%s", a.Name, a.Init, b.Name, b.Init)
		}
	}
}

// CentOS 5: sysvinit, chkconfig with xinetd services, default runlevel 5.
func TestSysVWithChkconfig(t *testing.T) {
	in := input(
		file("/etc/redhat-release", "CentOS release 5.11 (Final)\n"),
		file("/proc/1/comm", "init\n"),
		file("/etc/inittab", "id:5:initdefault:\n"),
		status(evidence.KindCmd, "initctl-list", evidence.StatusAbsent, ""),
		skipped("systemctl-units"), skipped("systemctl-unit-files"), skipped("systemctl-show"),
		cmd("chkconfig", fixture(t, "chkconfig/SERVICES.txt"), 0),
		list("/etc/rc.d/init.d", "f\tauditd\nf\tcrond\nf\tfunctions\nf\tiptables\nf\tkdump\nf\trestorecond\nf\txinetd\nf\tlocalapp\n"),
	)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"auditd":               {"sysv", "true", "2345", "nil", ""},
		"kdump":                {"sysv", "true", "345", "nil", ""},
		"restorecond":          {"sysv", "false", "", "nil", ""},
		"xinetd":               {"sysv", "true", "2345", "nil", ""},
		"xinetd:telnet":        {"xinetd", "true", "on", "nil", ""},
		"xinetd:rexec":         {"xinetd", "false", "off", "nil", ""},
		"localapp":             {"sysv", "nil", "", "nil", ""}, // no chkconfig header, no links read
		"xinetd:tcpmux-server": {"xinetd", "false", "off", "nil", ""},
	})
	if _, ok := svcs["functions"]; ok {
		t.Error("the functions library was listed as a service")
	}
	if s := svcs["xinetd:telnet"]; s.Path != "/etc/xinetd.d/telnet" {
		t.Errorf("telnet path %q", s.Path)
	}
	if s := svcs["kdump"]; s.Path != "/etc/init.d/kdump" {
		t.Errorf("kdump path %q", s.Path)
	}
	if len(in.Snap.Services) != 12 {
		t.Errorf("got %d services, want 12 (6 chkconfig scripts, 5 xinetd, localapp)", len(in.Snap.Services))
	}
	if cov.Status != snapshot.Collected {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

// Debian 7: sysvinit without chkconfig and without inittab: links decide, runlevel 2.
func TestSysVFromLinks(t *testing.T) {
	items := []*evidence.Item{
		file("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 7 (wheezy)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"7\"\nVERSION=\"7 (wheezy)\"\nID=debian\n"),
		file("/proc/1/comm", "init\n"),
		status(evidence.KindCmd, "chkconfig", evidence.StatusAbsent, ""),
		list("/etc/init.d", fixture(t, "listings/debian7/init.d")),
	}
	for _, lv := range []string{"0", "1", "2", "3", "4", "5", "6", "S"} {
		items = append(items, list("/etc/rc"+lv+".d", fixture(t, "listings/debian7/rc"+lv+".d")))
	}
	in := input(items...)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"ssh":        {"sysv", "true", "2345", "nil", ""},
		"postfix":    {"sysv", "true", "2345", "nil", ""},
		"apache2":    {"sysv", "false", "", "nil", ""},
		"udev":       {"sysv", "true", "S", "nil", ""},
		"networking": {"sysv", "true", "S", "nil", ""},
		"killprocs":  {"sysv", "false", "1", "nil", ""},
		"sendsigs":   {"sysv", "false", "", "nil", ""}, // start links only in 0 and 6: shutdown actions
		"rc.local":   {"sysv", "true", "2345", "nil", ""},
	})
	for _, gone := range []string{"README", "skeleton", "rc", "rcS", "halt", "reboot", "single", ".depend.boot", ".legacy-bootordering", "nginx.dpkg-old"} {
		if _, ok := svcs[gone]; ok {
			t.Errorf("%s listed as a service", gone)
		}
	}
	if cov.Status != snapshot.Collected {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)

	// The same host with an inittab saying 3 and runlevel 3 differing from 2: 3 wins.
	in = input(append(items[:len(items):len(items)], file("/etc/inittab", "id:3:initdefault:\n"),
		list("/etc/rc3.d", "l\tS02ssh\t../init.d/ssh\n"))...)
	svcs, _ = survey(in)
	check(t, svcs, map[string]expect{
		"postfix": {"sysv", "false", "245", "nil", ""},
		"ssh":     {"sysv", "true", "2345", "nil", ""},
	})
}

// An unknown default runlevel still gives an answer when runlevels 2-5 agree.
func TestSysVUnknownDefault(t *testing.T) {
	in := input(
		file("/proc/1/comm", "init\n"),
		list("/etc/init.d", "f\tall\nf\tnone\nf\tsome\n"),
		list("/etc/rc2.d", "l\tS10all\t../init.d/all\n"),
		list("/etc/rc3.d", "l\tS10all\t../init.d/all\nl\tS10some\t../init.d/some\n"),
		list("/etc/rc4.d", "l\tS10all\t../init.d/all\n"),
		list("/etc/rc5.d", "l\tS10all\t../init.d/all\n"),
	)
	svcs, _ := survey(in)
	check(t, svcs, map[string]expect{
		"all":  {"sysv", "true", "2345", "nil", ""},
		"none": {"sysv", "false", "", "nil", ""},
		"some": {"sysv", "nil", "3", "nil", ""},
	})
}

// CentOS 6: upstart is PID 1 with its own jobs; the services are SysV, from chkconfig.
func TestUpstartEL6(t *testing.T) {
	in := input(
		file("/etc/redhat-release", "CentOS release 6.10 (Final)\n"),
		file("/proc/1/comm", "init\n"),
		file("/etc/inittab", "id:3:initdefault:\n"),
		cmd("runlevel", "N 3\n", 0),
		cmd("initctl-list", fixture(t, "initctl/el6.txt"), 0),
		list("/etc/init", fixture(t, "listings/el6/etc-init")),
		skipped("systemctl-units"), skipped("systemctl-unit-files"), skipped("systemctl-show"),
		cmd("chkconfig", fixture(t, "chkconfig/SERVICES.txt"), 0),
	)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"tty (/dev/tty1)": {"upstart", "nil", "", "true", "start/running"},
		"rc":              {"upstart", "nil", "", "false", "stop/waiting"},
		"kdump":           {"sysv", "true", "345", "nil", ""},
		"xinetd:rsh":      {"xinetd", "true", "on", "nil", ""},
	})
	if s := svcs["tty (/dev/tty1)"]; s.MainPID != 1736 || s.Path != "/etc/init/tty.conf" {
		t.Errorf("tty1: pid %d path %q", s.MainPID, s.Path)
	}
	if cov.Status != snapshot.Collected || !contains(cov.Evidence, "cmd:initctl-list") || !contains(cov.Evidence, "cmd:chkconfig") {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

// Ubuntu 12.04: upstart jobs, with /etc/init.d links to upstart-job that are the
// same jobs, and a real SysV script (apache2) beside them.
func TestUpstartUbuntu(t *testing.T) {
	in := input(
		file("/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=12.04\nDISTRIB_CODENAME=precise\n"),
		file("/proc/1/comm", "init\n"),
		cmd("initctl-list", fixture(t, "initctl/ubuntu-12.04.txt"), 0),
		list("/etc/init.d", "f\tREADME\nf\tapache2\nl\tcron\t/lib/init/upstart-job\nl\tssh\t/lib/init/upstart-job\nf\tskeleton\n"),
		list("/etc/rc2.d", "f\tREADME\nl\tS91apache2\t../init.d/apache2\n"),
	)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"ssh":                    {"upstart", "nil", "", "true", "start/running"},
		"network-interface (lo)": {"upstart", "nil", "", "true", "start/running"},
		"apache2":                {"sysv", "true", "2", "nil", ""},
		"mountall":               {"upstart", "nil", "", "false", "stop/waiting"},
	})
	for _, s := range in.Snap.Services {
		if s.Name == "ssh" && s.Init == "sysv" || s.Name == "cron" && s.Init == "sysv" {
			t.Errorf("upstart-job shim listed as a SysV service: %+v", s)
		}
	}
	if svcs["ssh"].MainPID != 738 {
		t.Errorf("ssh pid %d", svcs["ssh"].MainPID)
	}
	if cov.Status != snapshot.Collected {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

const el7Units = `auditd.service                loaded    active   running OpenSSH server daemon
crond.service                 loaded    active   running Command Scheduler
getty@tty1.service            loaded    active   running Getty on tty1
kdump.service                 loaded    active   exited  Crash recovery kernel arming
network.service               loaded    active   exited  LSB: Bring up/down networking
ntpd.service                  not-found inactive dead    ntpd.service
postfix.service               loaded    failed   failed  Postfix Mail Transport Agent
rhel-dmesg.service            loaded    inactive dead    Dump dmesg to /var/log/dmesg
sshd.service                  loaded    active   running OpenSSH server daemon
`

const el7UnitFiles = `auditd.service                                enabled
autovt@.service                               enabled
crond.service                                 enabled
getty@.service                                enabled
kdump.service                                 enabled
postfix.service                               enabled
rhel-dmesg.service                            enabled
systemd-journald.service                      static
tmp.mount                                     disabled
rdisc.service                                 disabled
sshd.service                                  enabled
sshd@.service                                 static
`

const el7Show = `Id=crond.service
Description=Command Scheduler
MainPID=1015
ActiveState=active
SubState=running
FragmentPath=/usr/lib/systemd/system/crond.service
UnitFileState=enabled

Id=network.service
Description=LSB: Bring up/down networking
MainPID=0
ActiveState=active
SubState=exited
FragmentPath=/run/systemd/generator.late/network.service
UnitFileState=generated

Id=sshd.service
Description=OpenSSH server daemon
MainPID=1210
ActiveState=active
SubState=running
FragmentPath=/usr/lib/systemd/system/sshd.service
UnitFileState=enabled

Id=getty@tty1.service
Description=Getty on tty1
MainPID=812
ActiveState=active
SubState=running
FragmentPath=/usr/lib/systemd/system/getty@.service
UnitFileState=enabled
`

// CentOS 7 live: systemd is PID 1, systemctl answered; SysV leftovers come from
// chkconfig and the rc links.
func TestSystemdLive(t *testing.T) {
	in := input(
		file("/etc/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\n"),
		file("/proc/1/comm", "systemd\n"),
		cmd("systemctl-units", el7Units, 0),
		cmd("systemctl-unit-files", el7UnitFiles, 0),
		cmd("systemctl-show", el7Show, 0),
		cmd("chkconfig", fixture(t, "chkconfig/RHEL_73_SERVICES.txt"), 0),
		list("/etc/rc.d/init.d", fixture(t, "listings/el7/rc.d-init.d")),
		list("/etc/rc.d/rc3.d", fixture(t, "listings/el7/rc.d-rc3.d")),
	)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"sshd":             {"systemd", "true", "enabled", "true", "running"},
		"kdump":            {"systemd", "true", "enabled", "true", "exited"},
		"postfix":          {"systemd", "true", "enabled", "false", "failed"},
		"rhel-dmesg":       {"systemd", "true", "enabled", "false", "dead"},
		"rdisc":            {"systemd", "false", "disabled", "false", "dead"}, // not loaded: not running
		"systemd-journald": {"systemd", "false", "static", "false", "dead"},
		"getty@tty1":       {"systemd", "true", "enabled", "true", "running"},
		"network":          {"systemd", "true", "generated", "true", "exited"}, // S10network in rc3.d
		"netconsole":       {"sysv", "false", "", "nil", ""},                   // SysV script systemd never loaded
		"xinetd:rsync":     {"xinetd", "true", "on", "nil", ""},
	})
	for _, gone := range []string{"getty@", "autovt@", "sshd@", "ntpd", "tmp"} {
		if _, ok := svcs[gone]; ok {
			t.Errorf("%s listed", gone)
		}
	}
	if s := svcs["sshd"]; s.MainPID != 1210 || s.Path != "/usr/lib/systemd/system/sshd.service" || s.Description != "OpenSSH server daemon" {
		t.Errorf("sshd = %+v", s)
	}
	if s := svcs["network"]; s.Init != "systemd" || !contains(s.Evidence, "cmd:chkconfig") {
		t.Errorf("network = %+v", s)
	}
	if cov.Status != snapshot.Collected {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

func TestSystemdLiveRealFixtures(t *testing.T) {
	in := input(
		file("/proc/1/comm", "systemd\n"),
		cmd("systemctl-units", fixture(t, "listunits/LISTUNITS_CONTENT.txt"), 0),
		cmd("systemctl-unit-files", fixture(t, "unitfiles/UNIT_INVALID_VS_VALID.txt"), 0),
		cmd("systemctl-show", fixture(t, "show/SYSTEMCTL_SHOW_ALL_EXAMPLES.txt"), 0),
	)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"svca":                 {"systemd", "true", "enabled", "false", "dead"},
		"svcb":                 {"systemd", "false", "masked", "false", "dead"},
		"svcc":                 {"systemd", "nil", "somenonsense", "false", "dead"},
		"docker-storage-setup": {"systemd", "nil", "", "false", "failed"},
		"tuned":                {"systemd", "true", "enabled", "true", "running"},
		"epmd@0.0.0.0":         {"systemd", "nil", "", "true", "running"},
		"iptables":             {"systemd", "nil", "", "true", "exited"},
	})
	// The wrapped line in the real show output makes the section partial, not empty.
	if cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, `"basic.target dbus.service"`) {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

func el7Offline(t *testing.T, extra ...*evidence.Item) *kit.Input {
	items := []*evidence.Item{
		file("/etc/os-release", "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\n"),
		status(evidence.KindFile, "/proc/1/comm", evidence.StatusAbsent, ""),
		status(evidence.KindCmd, "systemctl-units", evidence.StatusOffline, ""),
		status(evidence.KindCmd, "systemctl-unit-files", evidence.StatusOffline, ""),
		status(evidence.KindCmd, "systemctl-show", evidence.StatusOffline, ""),
		status(evidence.KindCmd, "chkconfig", evidence.StatusOffline, ""),
		list("/etc/systemd/system", fixture(t, "listings/el7/etc-systemd-system")),
		list("/usr/lib/systemd/system", fixture(t, "listings/el7/usr-lib-systemd-system")),
		list("/etc/systemd/system/multi-user.target.wants", fixture(t, "listings/el7/multi-user.target.wants")),
		list("/etc/systemd/system/getty.target.wants", fixture(t, "listings/el7/getty.target.wants")),
		list("/etc/rc.d/init.d", fixture(t, "listings/el7/rc.d-init.d")),
		list("/etc/rc.d/rc3.d", fixture(t, "listings/el7/rc.d-rc3.d")),
	}
	in := input(append(items, extra...)...)
	in.Snap.Source.Kind = "root"
	return in
}

// A CentOS 7 disk read offline: unit files and links only.
func TestSystemdOffline(t *testing.T) {
	in := el7Offline(t)
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"sshd":           {"systemd", "true", "enabled", "nil", ""},
		"crond":          {"systemd", "true", "enabled", "nil", ""},
		"myapp":          {"systemd", "true", "enabled", "nil", ""},
		"firewalld":      {"systemd", "true", "enabled", "nil", ""}, // enabled through its alias
		"postfix":        {"systemd", "false", "masked", "nil", ""},
		"kdump":          {"systemd", "false", "", "nil", ""},
		"systemd-logind": {"systemd", "false", "", "nil", ""},
		"getty@tty1":     {"systemd", "true", "enabled", "nil", ""},
		"network":        {"sysv", "true", "3", "nil", ""},
		"netconsole":     {"sysv", "false", "", "nil", ""},
	})
	if s := svcs["myapp"]; s.Path != "/etc/systemd/system/myapp.service" {
		t.Errorf("myapp path %q", s.Path)
	}
	if s := svcs["getty@tty1"]; s.Path != "/usr/lib/systemd/system/getty@.service" {
		t.Errorf("getty@tty1 path %q", s.Path)
	}
	for _, gone := range []string{"getty@", "autovt@", "sshd@", "dbus-org.fedoraproject.FirewallD1", "dbus-org.freedesktop.login1", "functions", "README"} {
		if _, ok := svcs[gone]; ok {
			t.Errorf("%s listed", gone)
		}
	}
	if cov.Status != snapshot.Partial || cov.Reason != offlineReason {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

// A CentOS 6 disk read offline: upstart's job files, SysV links; nothing runs.
func TestUpstartOffline(t *testing.T) {
	in := input(
		file("/etc/redhat-release", "CentOS release 6.10 (Final)\n"),
		file("/etc/inittab", "id:3:initdefault:\n"),
		status(evidence.KindCmd, "initctl-list", evidence.StatusOffline, ""),
		status(evidence.KindCmd, "chkconfig", evidence.StatusOffline, ""),
		list("/etc/init", fixture(t, "listings/el6/etc-init")),
		list("/etc/rc.d/init.d", "f\tcrond\nf\tfunctions\nf\thttpd\n"),
		list("/etc/rc.d/rc3.d", "l\tK15httpd\t../init.d/httpd\nl\tS90crond\t../init.d/crond\n"),
		list("/etc/rc3.d", "l\tS99bogus\t../init.d/bogus\n"), // the same directory through EL's link: the first listing counts
	)
	in.Snap.Source.Kind = "root"
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{
		"tty":   {"upstart", "nil", "", "nil", ""},
		"crond": {"sysv", "true", "3", "nil", ""},
		"httpd": {"sysv", "false", "", "nil", ""},
	})
	if _, ok := svcs["bogus"]; ok {
		t.Error("the second listing of runlevel 3 was read")
	}
	if cov.Status != snapshot.Partial || cov.Reason != offlineReason {
		t.Errorf("coverage = %+v", cov)
	}
	checkCited(t, in)
}

// systemd is PID 1 but systemctl timed out: fall back to the links, and say why.
func TestSystemdTimedOut(t *testing.T) {
	in := el7Offline(t,
		file("/proc/1/comm", "systemd\n"),
		status(evidence.KindCmd, "systemctl-units", evidence.StatusTimeout, ""),
		status(evidence.KindCmd, "systemctl-unit-files", evidence.StatusTimeout, ""),
		status(evidence.KindCmd, "systemctl-show", evidence.StatusTimeout, ""),
	)
	in.Snap.Source.Kind = "ssh"
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{"sshd": {"systemd", "true", "enabled", "nil", ""}})
	if cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, "did not finish in time") || !strings.Contains(cov.Reason, "only boot-time enablement") {
		t.Errorf("coverage = %+v", cov)
	}
}

// A container whose PID 1 is an application: no init runs; the image's configuration is reported as such.
func TestContainer(t *testing.T) {
	in := el7Offline(t, file("/proc/1/comm", "java\n"), skipped("systemctl-units"), skipped("systemctl-unit-files"), skipped("systemctl-show"))
	in.Snap.Source.Kind = "ssh"
	svcs, cov := survey(in)
	if _, ok := svcs["sshd"]; !ok {
		t.Error("the image's units were not reported")
	}
	if cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, `PID 1 is "java"`) {
		t.Errorf("coverage = %+v", cov)
	}
}

func TestCoverageFailures(t *testing.T) {
	// Nothing about services at all, in a complete archive: unavailable, with reasons.
	in := input(
		file("/proc/1/comm", "init\n"),
		status(evidence.KindCmd, "chkconfig", evidence.StatusAbsent, ""),
		status(evidence.KindList, "/etc/init.d", evidence.StatusAbsent, ""),
		status(evidence.KindList, "/etc/rc.d/init.d", evidence.StatusAbsent, ""),
	)
	svcs, cov := survey(in)
	if len(svcs) != 0 || cov.Status != snapshot.Unavailable || !strings.Contains(cov.Reason, `command "chkconfig" is not installed`) || !strings.Contains(cov.Reason, "/etc/init.d does not exist") {
		t.Errorf("nothing: %d services, coverage %+v", len(svcs), cov)
	}
	if in.Snap.Services == nil {
		t.Error("services must be an empty list, not null")
	}

	// The session was cut before anything arrived.
	in = input()
	in.Archive.Complete = false
	_, cov = survey(in)
	if cov.Status != snapshot.TimedOut || !strings.Contains(cov.Reason, "cut off") {
		t.Errorf("cut: coverage %+v", cov)
	}

	// Denied: the scripts directory is unreadable and chkconfig is missing.
	in = input(
		file("/proc/1/comm", "init\n"),
		status(evidence.KindCmd, "chkconfig", evidence.StatusAbsent, ""),
		status(evidence.KindList, "/etc/init.d", evidence.StatusDenied, ""),
		status(evidence.KindList, "/etc/rc.d/init.d", evidence.StatusAbsent, ""),
	)
	_, cov = survey(in)
	if cov.Status != snapshot.Denied || !strings.Contains(cov.Reason, "permission denied reading /etc/init.d") {
		t.Errorf("denied: coverage %+v", cov)
	}

	// chkconfig cut short: what arrived is kept, the section is partial.
	chk := cmd("chkconfig", fixture(t, "chkconfig/SERVICES.txt")[:120], 0)
	chk.Truncated = true
	in = input(file("/proc/1/comm", "init\n"), file("/etc/inittab", "id:3:initdefault:\n"), chk)
	svcs, cov = survey(in)
	if _, ok := svcs["auditd"]; !ok || cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, "cut short") {
		t.Errorf("truncated: %d services, coverage %+v", len(svcs), cov)
	}

	// systemctl failing outright (rc 1, "Failed to list units") while systemd runs.
	in = input(file("/proc/1/comm", "systemd\n"),
		cmd("systemctl-units", fixture(t, "listunits/LISTUNITS_NG.txt"), 1),
		cmd("systemctl-unit-files", fixture(t, "unitfiles/UNITFILES_NG.txt"), 1),
		cmd("systemctl-show", "", 1),
		status(evidence.KindList, "/etc/systemd/system", evidence.StatusDenied, ""),
	)
	_, cov = survey(in)
	if cov.Status != snapshot.Denied && cov.Status != snapshot.Unavailable || !strings.Contains(cov.Reason, "exited with status 1") {
		t.Errorf("systemctl failed: coverage %+v", cov)
	}
}

// OpenRC: the scripts are known, their runlevels are not collected.
func TestOpenRC(t *testing.T) {
	in := input(file("/etc/alpine-release", "3.18.4\n"), file("/proc/1/comm", "init\n"),
		list("/etc/init.d", "f\tsshd\nf\tcrond\nf\tfunctions.sh\n"))
	svcs, cov := survey(in)
	check(t, svcs, map[string]expect{"sshd": {"openrc", "nil", "", "nil", ""}})
	if _, ok := svcs["functions.sh"]; ok {
		t.Error("functions.sh listed")
	}
	if cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, "/etc/runlevels") {
		t.Errorf("coverage %+v", cov)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A pid or lock file is a hint tied to its service, told as a hint: never that the
// service runs.
func TestRunHints(t *testing.T) {
	a := kittest.Archive(
		kittest.List("/etc/init.d", "f\tmysqld\nf\thttpd\n"),
		kittest.List("/etc/rc3.d", "l\tS64mysqld\t../init.d/mysqld\n"),
		kittest.Cmd("run-hints", "_run_hints", "pid\t1425211200\t/var/run/mysqld/mysqld.pid\t2345\nlock\t1425211200\t/var/lock/subsys/mysqld\t\npid\t1425211200\t/var/run/odd.pid\t\n"),
	)
	in := kittest.Input(a, &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"}})
	New().Survey(in)
	hs := in.Snap.Hints
	if len(hs) != 3 || hs[0].Service != "mysqld" || hs[0].PID != 2345 || hs[1].Kind != "lock_file" || hs[1].Service != "mysqld" || hs[2].Service != "" {
		t.Fatalf("%+v", hs)
	}
	if want := "the pid file /var/run/mysqld/mysqld.pid says mysqld ran as pid 2345 (written 2015-03-01 12:00 UTC); a hint only, it proves nothing about now"; !strings.HasPrefix(hs[0].Says, want) {
		t.Errorf("%q", hs[0].Says)
	}
	for _, s := range in.Snap.Services {
		if s.Running != nil {
			t.Errorf("%s: running %v from a hint", s.Name, *s.Running)
		}
	}
}
