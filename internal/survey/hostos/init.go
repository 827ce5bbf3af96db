package hostos

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Init systems, with the words snapshot.OS.InitSystem uses.
const (
	Systemd = "systemd"
	SysV    = "sysv"
	Upstart = "upstart"
	OpenRC  = "openrc"
)

// InitSystem says which init system runs the host and which items told. It is
// exported because the services surveyor must read the same init system this one
// reports, whichever of the two runs first.
//
// On a live host PID 1 decides. It answers "" when PID 1 is neither an init nor
// unreadable but some other program (a container's application): no init system
// runs there, and ConfiguredInit says what the image would boot with.
func InitSystem(in *kit.Input, id Identity) (string, []*evidence.Item) {
	if !in.Offline() {
		comm, cmdline := in.File("/proc/1/comm"), in.File("/proc/1/cmdline")
		name := ""
		var used []*evidence.Item
		if kit.Usable(comm) {
			name = strings.TrimSpace(comm.Text())
			used = append(used, comm)
		}
		argv0 := ""
		if kit.Usable(cmdline) {
			argv0 = path.Base(Argv0(cmdline.Text()))
			used = append(used, cmdline)
		}
		switch {
		case name == "systemd" || argv0 == "systemd":
			return Systemd, used
		case name == "init" || argv0 == "init" || name == "upstart":
			// sysvinit and upstart both run as "init"; upstart answers initctl and
			// keeps its jobs in /etc/init. Alpine's busybox init hands services to
			// OpenRC.
			if id.Family == "alpine" {
				return OpenRC, used
			}
			if it := in.Cmd("initctl-list"); kit.Usable(it) && strings.TrimSpace(it.Text()) != "" {
				return Upstart, append(used, it)
			}
			if it := in.List("/etc/init"); hasJobConfs(it) {
				return Upstart, append(used, it)
			}
			return SysV, used
		case name == "openrc-init" || argv0 == "openrc-init":
			return OpenRC, used
		case name != "" || argv0 != "":
			return "", used
		}
		// PID 1 unreadable (hidepid, a cut session). The systemctl items run only
		// when /run/systemd/system exists, which is systemd's own test for being PID 1.
		if it := in.Cmd("systemctl-units"); kit.Usable(it) {
			return Systemd, []*evidence.Item{it}
		}
	}
	return ConfiguredInit(in, id)
}

// ConfiguredInit decides the init system from files alone, for a disk read offline
// or a host whose PID 1 could not be read: the unit directory of systemd or the job
// directory of upstart, weighed by whether that OS release booted with it. A CentOS 6
// disk may carry /etc/systemd/system from a stray package, and Ubuntu 16.04 keeps
// upstart's /etc/init after switching to systemd, so presence alone is not proof.
func ConfiguredInit(in *kit.Input, id Identity) (string, []*evidence.Item) {
	if id.Family == "alpine" {
		return OpenRC, id.Used
	}
	sd := in.List("/etc/systemd/system")
	initDir := in.List("/etc/init")
	inittab := in.File("/etc/inittab")
	era := initEra(id)
	used := append([]*evidence.Item{}, id.Used...)
	if kit.Usable(inittab) {
		used = append(used, inittab)
	}
	switch era {
	case Systemd:
		// Debian 8 and later can still boot sysvinit (sysvinit-core), whose inittab
		// names a default runlevel; EL7's inittab is a comment.
		if kit.Usable(inittab) && hasInitdefault(inittab.Text()) && !kit.Usable(sd) {
			return SysV, used
		}
		if kit.Usable(sd) {
			used = append(used, sd)
		}
		return Systemd, used
	case Upstart:
		if hasJobConfs(initDir) {
			used = append(used, initDir)
		}
		return Upstart, used
	case SysV:
		return SysV, used
	}
	// Release unknown: EL7 keeps a comment-only inittab, sysvinit needs its
	// initdefault line.
	if kit.Usable(sd) && !(kit.Usable(inittab) && hasInitdefault(inittab.Text())) {
		return Systemd, append(used, sd)
	}
	if hasJobConfs(initDir) {
		return Upstart, append(used, initDir)
	}
	if kit.Usable(inittab) && hasInitdefault(inittab.Text()) {
		return SysV, used
	}
	// Nothing says which: sysv would be a guess.
	return "", nil
}

// initEra is the init system a release shipped with: systemd, upstart, sysv, or ""
// when the release is unknown.
func initEra(id Identity) string {
	v := id.VersionID
	if v == "" {
		v = id.Version
	}
	if _, _, ok := splitVersion(v); !ok {
		return ""
	}
	switch id.ID {
	case "ubuntu":
		switch {
		case versionAtLeast(v, 15, 4):
			return Systemd
		case versionAtLeast(v, 6, 10):
			return Upstart
		}
		return SysV
	case "debian", "raspbian":
		if versionAtLeast(v, 8, 0) {
			return Systemd
		}
		return SysV
	case "fedora":
		switch {
		case versionAtLeast(v, 15, 0):
			return Systemd
		case versionAtLeast(v, 9, 0):
			return Upstart
		}
		return SysV
	case "amzn":
		// Amazon Linux 1 (2011.09 … 2018.03) ran upstart like EL6; 2 and 2023 systemd.
		if maj, _, _ := splitVersion(v); maj >= 2011 {
			return Upstart
		}
		return Systemd
	case "sles", "sled":
		if versionAtLeast(v, 12, 0) {
			return Systemd
		}
		return SysV
	case "opensuse", "opensuse-leap", "opensuse-tumbleweed":
		if versionAtLeast(v, 12, 1) {
			return Systemd
		}
		return SysV
	}
	if id.Family == "rhel" {
		switch {
		case versionAtLeast(v, 7, 0):
			return Systemd
		case versionAtLeast(v, 6, 0):
			return Upstart
		}
		return SysV
	}
	return ""
}

// hasJobConfs reports whether a /etc/init listing holds upstart job files.
func hasJobConfs(it *evidence.Item) bool {
	if !kit.Usable(it) {
		return false
	}
	entries, _ := kit.ParseListing(it.Text())
	for _, e := range entries {
		if e.Type != 'd' && strings.HasSuffix(e.Name, ".conf") {
			return true
		}
	}
	return false
}

// hasInitdefault reports whether an inittab names a default runlevel, which only a
// sysvinit (or upstart's compatibility) inittab does.
func hasInitdefault(text string) bool {
	_, ok := InittabDefault(text)
	return ok
}

// InittabDefault returns the runlevel of the "id:3:initdefault:" line.
func InittabDefault(text string) (byte, bool) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) >= 3 && strings.TrimSpace(f[2]) == "initdefault" {
			lv := strings.TrimSpace(f[1])
			if len(lv) == 1 && (lv[0] >= '0' && lv[0] <= '6' || lv[0] == 'S' || lv[0] == 's') {
				return lv[0], true
			}
		}
	}
	return 0, false
}
