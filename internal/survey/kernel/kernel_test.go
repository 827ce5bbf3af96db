package kernel

import (
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func TestParseConfKeyForms(t *testing.T) {
	got := ParseConf(strings.Join([]string{
		"# kernel.sysrq = 1",
		"; kernel.sysrq = 1",
		"kernel.domainname=example.com",
		"kernel/shmmax = 4294967296",
		"net/ipv4/conf/eth0.200/forwarding = 1",
		"net.ipv4.conf.eth0/200.rp_filter = 2",
		"-net.ipv4.conf.*.rp_filter = 1",
		"-net.ipv4.conf.lo.rp_filter",
		"net.ipv4.ip_local_port_range =  1024 \t 65000 ",
		"not an assignment",
	}, "\n"))
	want := []Assignment{
		{Key: "kernel.domainname", Value: "example.com", Line: 3},
		{Key: "kernel.shmmax", Value: "4294967296", Line: 4},
		{Key: "net.ipv4.conf.eth0/200.forwarding", Value: "1", Line: 5},
		{Key: "net.ipv4.conf.eth0/200.rp_filter", Value: "2", Line: 6},
		{Key: "net.ipv4.conf.*.rp_filter", Value: "1", Line: 7, Glob: true},
		{Key: "net.ipv4.conf.lo.rp_filter", Line: 8, Exclude: true},
		{Key: "net.ipv4.ip_local_port_range", Value: "1024 65000", Line: 9},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseConf:\n got %+v\nwant %+v", got, want)
	}
	if p := ProcPath("net.ipv4.conf.eth0/200.forwarding"); p != "net/ipv4/conf/eth0.200/forwarding" {
		t.Errorf("ProcPath = %q", p)
	}
	if !Matches("net.ipv4.conf.*.rp_filter", "net.ipv4.conf.eth0/200.rp_filter") || Matches("net.ipv4.conf.*.rp_filter", "net.ipv4.conf.all.log_martians") {
		t.Error("Matches does not match part by part")
	}
}

func TestArrangeSystemdOrder(t *testing.T) {
	files := []ConfFile{
		{Path: "/etc/sysctl.conf"},
		{Path: "/etc/sysctl.d/10-b.conf"},
		{Path: "/etc/sysctl.d/99-sysctl.conf"}, // a link to ../sysctl.conf
		{Path: "/usr/lib/sysctl.d/10-b.conf"},  // hidden by /etc's
		{Path: "/usr/lib/sysctl.d/05-a.conf"},
		{Path: "/usr/lib/sysctl.d/50-default.conf"}, // masked by /etc's link to /dev/null
		{Path: "/lib/sysctl.d/05-a.conf"},           // merged /usr: the same file again
		{Path: "/run/sysctl.d/20-c.conf"},
	}
	links := []Link{
		{Path: "/etc/sysctl.d/99-sysctl.conf", Target: "../sysctl.conf"},
		{Path: "/etc/sysctl.d/50-default.conf", Target: "/dev/null"},
	}
	var got []string
	for _, f := range Arrange(OrderSystem, probe.SysctlDirs, probe.SysctlConf, files, links) {
		got = append(got, f.Path)
	}
	want := []string{"/usr/lib/sysctl.d/05-a.conf", "/etc/sysctl.d/10-b.conf", "/run/sysctl.d/20-c.conf", "/etc/sysctl.conf"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
	got = nil
	for _, f := range Arrange(OrderInitscripts, probe.SysctlDirs, probe.SysctlConf, files, links) {
		got = append(got, f.Path)
	}
	want = []string{"/etc/sysctl.conf", "/etc/sysctl.d/10-b.conf", "/etc/sysctl.d/99-sysctl.conf"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("initscripts order:\n got %v\nwant %v", got, want)
	}
}

func TestResolveExplicitBeatsGlob(t *testing.T) {
	r := Resolve([]ConfFile{
		{Path: "/usr/lib/sysctl.d/50-default.conf", Text: "net.ipv4.conf.*.rp_filter = 2\nnet.core.somaxconn = 128\n"},
		{Path: "/etc/sysctl.d/60-app.conf", Text: "net.ipv4.conf.all.rp_filter = 1\n-net.ipv4.conf.lo.rp_filter\nnet.core.somaxconn = 1024\n"},
	})
	last := func(ss []Setting) string {
		if len(ss) == 0 {
			return "none"
		}
		s := ss[len(ss)-1]
		return s.Value + "@" + s.File
	}
	for key, want := range map[string]string{
		"net.ipv4.conf.all.rp_filter":  "1@/etc/sysctl.d/60-app.conf",
		"net.ipv4.conf.eth0.rp_filter": "2@/usr/lib/sysctl.d/50-default.conf",
		"net.ipv4.conf.lo.rp_filter":   "none",
		"net.core.somaxconn":           "1024@/etc/sysctl.d/60-app.conf",
	} {
		if got := last(r.ForKey(key)); got != want {
			t.Errorf("%s: %s, want %s", key, got, want)
		}
	}
	if n := len(r.ForKey("net.core.somaxconn")); n != 2 {
		t.Errorf("somaxconn has %d assignments, want the overridden one kept too", n)
	}
}

const liveOut = "/proc/sys/net/core/somaxconn:4096\n" +
	"/proc/sys/net/ipv4/ip_local_port_range:32768\t60999\n" +
	"/proc/sys/net/ipv4/tcp_fin_timeout:60\n" +
	"/proc/sys/net/ipv4/tcp_keepalive_time:600\n" +
	"/proc/sys/net/ipv4/conf/eth0.200/forwarding:1\n" +
	"/proc/sys/kernel/shmmax:4294967296\n" +
	"/proc/sys/kernel/core_modes:a\n" +
	"/proc/sys/kernel/core_modes:b\n" +
	"/proc/sys/vm/swappiness:60\n" +
	"/proc/sys/fs/protected_hardlinks:1\n" +
	"# done\n"

func legacyArchive(live *evidence.Item) *evidence.Archive {
	return kittest.Archive(
		kittest.File("/etc/sysctl.conf", "# procps\n#kernel.domainname = example.com\nnet.ipv4.tcp_fin_timeout = 30\n"),
		kittest.List("/etc/sysctl.d", "f\t60-redmine.conf\nf\tREADME.sysctl\n"),
		kittest.File("/etc/sysctl.d/60-redmine.conf", "# redmine\nnet.core.somaxconn = 1024\nnet.ipv4.tcp_keepalive_time = 600\nkernel.shmmax = 4294967296\n-kernel/trowel_gone = 1\nnet/ipv4/conf/*/forwarding = 1\nnet.ipv4.conf.*.trowel_none = 1\n"),
		kittest.List("/usr/lib/sysctl.d", "f\tprotect-links.conf\n"),
		kittest.File("/usr/lib/sysctl.d/protect-links.conf", "fs.protected_hardlinks = 1\n"),
		kittest.Failed(evidence.KindList, "/run/sysctl.d", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindList, "/usr/local/lib/sysctl.d", evidence.StatusAbsent, ""),
		kittest.List("/lib/sysctl.d", "f\tprotect-links.conf\n"),
		kittest.File("/lib/sysctl.d/protect-links.conf", "fs.protected_hardlinks = 1\n"),
		live,
	)
}

func filesKnown(configs ...snapshot.ConfigFile) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Source:   snapshot.Source{Kind: "ssh"},
		OS:       snapshot.OS{Family: "debian", InitSystem: "sysv"},
		Files:    snapshot.Files{Configs: configs},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionFiles: {Status: snapshot.Collected}},
	}
}

func TestSurveyConfiguredAndInForce(t *testing.T) {
	in := kittest.Input(legacyArchive(kittest.Cmd("sysctl-live", "sysctl-live", liveOut)),
		filesKnown(snapshot.ConfigFile{Path: "/etc/sysctl.d/60-redmine.conf", State: "unowned"},
			snapshot.ConfigFile{Path: "/etc/sysctl.conf", State: "modified", Package: "procps"}))
	New().Survey(in)
	k := in.Snap.Kernel
	if c := in.Snap.Coverage[snapshot.SectionSysctl]; c.Status != snapshot.Collected || !k.Live {
		t.Fatalf("coverage %+v live %v", c, k.Live)
	}
	by := map[string]snapshot.Sysctl{}
	for _, s := range k.Sysctls {
		by[s.Key] = s
	}
	somax := by["net.core.somaxconn"]
	if somax.Value != "4096" || somax.Configured == nil || somax.Configured.Value != "1024" ||
		somax.Configured.File != "/etc/sysctl.d/60-redmine.conf" || somax.Configured.Line != 2 ||
		somax.Configured.Origin != snapshot.OriginAdmin || somax.Applied() {
		t.Errorf("somaxconn = %+v %+v", somax, somax.Configured)
	}
	fin := by["net.ipv4.tcp_fin_timeout"]
	if fin.Value != "60" || fin.Configured == nil || fin.Configured.Value != "30" || fin.Configured.File != "/etc/sysctl.conf" ||
		fin.Configured.Line != 3 || fin.Configured.Origin != snapshot.OriginAdmin || !strings.Contains(fin.Configured.OriginWhy, "procps") {
		t.Errorf("fin_timeout = %+v %+v", fin, fin.Configured)
	}
	if s := by["kernel.shmmax"]; !s.Applied() {
		t.Errorf("shmmax not applied: %+v", s)
	}
	if s := by["net.ipv4.ip_local_port_range"]; s.Value != "32768 60999" || !s.Watched || s.Configured != nil {
		t.Errorf("port range = %+v", s)
	}
	if s := by["kernel.trowel_gone"]; s.State != snapshot.SysctlAbsent || s.Configured == nil {
		t.Errorf("a key the kernel lacks = %+v", s)
	}
	if s := by["net.ipv4.conf.eth0/200.forwarding"]; s.Value != "1" || s.Configured == nil || s.Configured.Pattern != "net.ipv4.conf.*.forwarding" || s.Configured.Line != 6 {
		t.Errorf("a glob expanded against /proc/sys = %+v %+v", s, s.Configured)
	}
	if s := by["net.ipv4.conf.*.trowel_none"]; s.State != snapshot.SysctlAbsent || s.Configured == nil {
		t.Errorf("a glob matching nothing = %+v", s)
	}
	if k.InForce["kernel.core_modes"] != "a" || len(k.InForce) != 9 {
		t.Errorf("in force: %v", k.InForce)
	}
	if s := by["fs.protected_hardlinks"]; s.Configured == nil || s.Configured.Origin != snapshot.OriginOS || s.Value != "1" {
		t.Errorf("packaged default = %+v %+v", s, s.Configured)
	}
	if len(somax.Evidence) != 2 || somax.Evidence[0] != "file:/etc/sysctl.d/60-redmine.conf" || somax.Evidence[1] != "cmd:sysctl-live" {
		t.Errorf("evidence = %v", somax.Evidence)
	}
}

func TestSurveyOfflineKeepsConfigurationOnly(t *testing.T) {
	live := &evidence.Item{Kind: evidence.KindCmd, Name: "sysctl-live", Status: evidence.StatusOffline}
	s := filesKnown(snapshot.ConfigFile{Path: "/etc/sysctl.d/60-redmine.conf", State: "unowned"})
	s.Source.Kind = "root"
	in := kittest.Input(legacyArchive(live), s)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionSysctl]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "offline") || in.Snap.Kernel.Live {
		t.Fatalf("coverage %+v", c)
	}
	for _, sc := range in.Snap.Kernel.Sysctls {
		if sc.State != snapshot.SysctlUnknown || sc.Value != "" {
			t.Errorf("%s has a value in force offline: %+v", sc.Key, sc)
		}
		if sc.Watched && sc.Configured == nil {
			t.Errorf("%s listed offline with nothing known of it", sc.Key)
		}
	}
	// /etc/sysctl.conf is a packaged file the files survey found unchanged.
	for _, sc := range in.Snap.Kernel.Sysctls {
		if sc.Key == "net.ipv4.tcp_fin_timeout" && sc.Configured.Origin != snapshot.OriginOS {
			t.Errorf("unchanged packaged sysctl.conf taken for an admin's: %+v", sc.Configured)
		}
	}
}

func TestSurveyLiveFailedAndFilesUnknown(t *testing.T) {
	live := &evidence.Item{Kind: evidence.KindCmd, Name: "sysctl-live", Command: "sh", Status: evidence.StatusTimeout}
	in := kittest.Input(legacyArchive(live), nil)
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionSysctl]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "values in force are unknown") {
		t.Errorf("coverage %+v", c)
	}
	for _, sc := range in.Snap.Kernel.Sysctls {
		if sc.Configured != nil && strings.HasPrefix(sc.Configured.File, "/etc/") && sc.Configured.Origin != snapshot.OriginUnknown {
			t.Errorf("%s: origin %q without a files survey", sc.Key, sc.Configured.Origin)
		}
	}
}

// RHEL 5/6: /etc/sysctl.conf comes from initscripts. In a copy an admin edited, the
// shipped lines are still the old OS's defaults; the added line is the admin's.
func TestInitscriptsDefaultsAreTheOS(t *testing.T) {
	fs := FileStates{Known: true, Changed: map[string]snapshot.ConfigFile{
		"/etc/sysctl.conf": {Path: "/etc/sysctl.conf", State: "modified", Package: "initscripts"},
	}}
	shipped := Setting{Assignment: Assignment{Key: "kernel.shmmax", Value: "68719476736"}, File: "/etc/sysctl.conf"}
	added := Setting{Assignment: Assignment{Key: "kernel.shmmax", Value: "8589934592"}, File: "/etc/sysctl.conf"}
	if o, _ := Origin(shipped, fs); o != snapshot.OriginOS {
		t.Errorf("shipped line: %s", o)
	}
	if o, _ := Origin(added, fs); o != snapshot.OriginAdmin {
		t.Errorf("edited line: %s", o)
	}
	a := kittest.Archive(kittest.File("/etc/sysctl.conf", "kernel.sysrq = 0\nkernel.sysrq = 1\n"), kittest.Cmd("sysctl-live", "sh", "/proc/sys/kernel/sysrq:1\n# done\n"))
	in := kittest.Input(a, &snapshot.Snapshot{OS: snapshot.OS{Family: "rhel", InitSystem: "sysv"}, Files: snapshot.Files{Configs: []snapshot.ConfigFile{{Path: "/etc/sysctl.conf", State: "modified", Package: "initscripts"}}},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionFiles: {Status: snapshot.Collected}}})
	New().Survey(in)
	k := in.Snap.Kernel
	if k.Order != OrderInitscripts || len(k.Sysctls) != 1 {
		t.Fatalf("kernel = %+v", k)
	}
	s := k.Sysctls[0]
	if s.Configured.Value != "1" || s.Configured.Origin != snapshot.OriginAdmin || len(s.Overridden) != 1 || s.Overridden[0].Origin != snapshot.OriginOS || !s.Applied() {
		t.Errorf("sysrq = %+v %+v %+v", s, s.Configured, s.Overridden)
	}
}

// A live read without its end marker, and a directory that could not be listed,
// leave what was read standing but the section partial.
func TestSurveyCutShortIsPartial(t *testing.T) {
	a := legacyArchive(kittest.Cmd("sysctl-live", "grep", "/proc/sys/net/core/somaxconn:4096\n"))
	a.Add(kittest.Failed(evidence.KindList, "/usr/local/lib/sysctl.d", evidence.StatusDenied, "Permission denied"))
	in := kittest.Input(a, filesKnown())
	New().Survey(in)
	c := in.Snap.Coverage[snapshot.SectionSysctl]
	if c.Status != snapshot.Partial || !strings.Contains(c.Reason, "cut short") || !strings.Contains(c.Reason, "/usr/local/lib/sysctl.d") {
		t.Errorf("coverage %+v", c)
	}
	if !in.Snap.Kernel.Live || in.Snap.Kernel.InForce["net.core.somaxconn"] != "4096" {
		t.Errorf("what was read is lost: %+v", in.Snap.Kernel)
	}
	for _, sc := range in.Snap.Kernel.Sysctls {
		if sc.Key == "kernel.shmmax" && sc.State != snapshot.SysctlUnknown {
			t.Errorf("a key past the cut is %q, not unknown", sc.State)
		}
	}
}

// The parameters that are keys never reach the snapshot, even from evidence made
// by a probe that did not yet replace them on the host.
func TestSecretParametersNotKept(t *testing.T) {
	lv := ParseLive("/proc/sys/net/ipv4/tcp_fastopen_key:a1b2c3d4-a1b2c3d4-a1b2c3d4-a1b2c3d4\n" +
		"/proc/sys/net/ipv6/conf/eth0/stable_secret:2001:db8::dead:beef\n/proc/sys/net/core/somaxconn:4096\n# done\n")
	for k, v := range lv.Values {
		if strings.Contains(v, "a1b2") || strings.Contains(v, "beef") {
			t.Errorf("%s = %q", k, v)
		}
	}
	if lv.Values["net.core.somaxconn"] != "4096" {
		t.Errorf("an ordinary value was lost: %v", lv.Values)
	}
}

// A file its package installed through ucf, of which whether it changed since is not
// known, is neither the administrator's nor as its package shipped it.
func TestUCFFileOfUnknownChangeIsUnknown(t *testing.T) {
	fs := FileStates{Known: true, Changed: map[string]snapshot.ConfigFile{
		"/etc/sysctl.d/99-app.conf": {Path: "/etc/sysctl.d/99-app.conf", State: "unknown", Package: "app"},
	}}
	s := Setting{Assignment: Assignment{Key: "vm.swappiness", Value: "10"}, File: "/etc/sysctl.d/99-app.conf"}
	if o, why := Origin(s, fs); o != snapshot.OriginUnknown || !strings.Contains(why, "since app installed it") {
		t.Errorf("origin %s: %s", o, why)
	}
}
