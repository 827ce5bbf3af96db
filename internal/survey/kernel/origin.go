package kernel

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// FileStates is what the files survey knows of /etc: the configs changed from their
// package's version or owned by no package. Known is false when that survey did not
// look (or not in full), so an unlisted file is not taken for an unchanged one.
type FileStates struct {
	Known   bool
	Why     string // why not known
	Changed map[string]snapshot.ConfigFile
}

// FileStatesOf reads the files section of a snapshot.
func FileStatesOf(s *snapshot.Snapshot) FileStates {
	fs := FileStates{Changed: map[string]snapshot.ConfigFile{}}
	for _, c := range s.Files.Configs {
		fs.Changed[c.Path] = c
	}
	c, ok := s.Coverage[snapshot.SectionFiles]
	switch {
	case !ok:
		fs.Why = "the files survey had not run"
	case c.Status == snapshot.Collected:
		fs.Known = true
	default:
		fs.Why = fmt.Sprintf("the files section was %s", c.Status)
		if c.Reason != "" {
			fs.Why += " (" + c.Reason + ")"
		}
	}
	return fs
}

// initscriptsDefaults are the assignments RHEL and CentOS 5 and 6 ship in
// /etc/sysctl.conf (package initscripts): the old OS's defaults, not anyone's
// decision, even in a copy an administrator edited elsewhere. shmmax and shmall vary
// with the architecture; those of x86_64 and i386 are listed.
var initscriptsDefaults = map[string][]string{
	"net.ipv4.ip_forward":                       {"0"},
	"net.ipv4.conf.default.rp_filter":           {"1"},
	"net.ipv4.conf.default.accept_source_route": {"0"},
	"kernel.sysrq":                              {"0"},
	"kernel.core_uses_pid":                      {"1"},
	"net.ipv4.tcp_syncookies":                   {"1"},
	"net.bridge.bridge-nf-call-ip6tables":       {"0"},
	"net.bridge.bridge-nf-call-iptables":        {"0"},
	"net.bridge.bridge-nf-call-arptables":       {"0"},
	"kernel.msgmnb":                             {"65536"},
	"kernel.msgmax":                             {"65536"},
	"kernel.shmmax":                             {"68719476736", "4294967295"},
	"kernel.shmall":                             {"4294967296", "268435456"},
}

// Origin says whose decision an assignment is, and how that was told.
func Origin(s Setting, fs FileStates) (string, string) {
	switch {
	case strings.HasPrefix(s.File, "/usr/lib/") || strings.HasPrefix(s.File, "/lib/"):
		return snapshot.OriginOS, "shipped under " + dirOf(s.File) + ", where packages put their defaults"
	case strings.HasPrefix(s.File, "/run/"):
		return snapshot.OriginRuntime, "written under /run at boot by a program, not kept on disk"
	case strings.HasPrefix(s.File, "/usr/local/"):
		return snapshot.OriginAdmin, "under /usr/local, which no distribution package writes"
	}
	c, listed := fs.Changed[s.File]
	switch {
	case listed && c.State == "unknown":
		return snapshot.OriginUnknown, "whether " + s.File + " was edited since " + c.Package + " installed it is unknown"
	case listed && c.State == "unowned":
		return snapshot.OriginAdmin, s.File + " is owned by no package"
	case listed && c.State == "modified" && c.Package == "initscripts" && shippedByInitscripts(s.Key, s.Value):
		return snapshot.OriginOS, "the line is as initscripts ships it, in a copy edited elsewhere"
	case listed && c.State == "modified":
		pkg := c.Package
		if pkg == "" {
			pkg = "its package"
		}
		return snapshot.OriginAdmin, s.File + " was changed from the version " + pkg + " shipped"
	case fs.Known:
		return snapshot.OriginOS, s.File + " is as its package shipped it (the files survey found it unchanged)"
	}
	return snapshot.OriginUnknown, "whether " + s.File + " was edited is unknown: " + fs.Why
}

func shippedByInitscripts(key, value string) bool {
	for _, v := range initscriptsDefaults[key] {
		if v == value {
			return true
		}
	}
	return false
}

func dirOf(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return p
}
