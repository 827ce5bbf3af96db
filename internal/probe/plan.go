// Package probe defines what trowel collects from a host and renders it as the one
// POSIX-sh script sent to the target. The same plan drives the offline reader of a
// mounted disk, so a host surveyed over SSH and the same host's disk read offline
// yield items with the same names.
package probe

import "path"

// StepKind says how a step collects.
type StepKind int

const (
	File     StepKind = iota // read one file
	Glob                     // read every regular file a shell glob matches
	List                     // list one directory's entries (type, name, link target)
	ListGlob                 // list every directory a shell glob matches
	Cmd                      // run a command and keep its standard output
	HomeFile                 // read a file relative to every account's home directory
)

// Step is one thing to collect.
type Step struct {
	Kind StepKind
	// Name is the item name of a Cmd step.
	Name string
	// Path is the file, directory or glob; for HomeFile the path below each home.
	Path string
	// Shell is the command of a Cmd step. It runs with standard input from /dev/null
	// under the probe's watchdog.
	Shell string
	// Needs is the program a Cmd step runs; when it is not installed the item is
	// recorded as absent without running anything.
	Needs string
	// Seeks is the program a Cmd step's command looks for as _data_run does (PATH, then
	// the sbin and libexec directories PATH may lack). When the program is nowhere, the
	// probe writes the item the command would have written ("PROGRAM: not found", exit
	// status 127) without starting it.
	Seeks string
	// Unless skips a Cmd step when the Cmd step of that name succeeded: fallbacks such
	// as netstat after ss.
	Unless string
	// When is a shell test that must hold for a Cmd step to run (e.g. systemd is PID 1);
	// when it fails the item is recorded as absent.
	When string
	// Limit is the most bytes kept; Timeout the seconds a command may run.
	Limit   int64
	Timeout int
	// Redact passes content through the secret filter before it leaves the host;
	// RedactArgs through the filter for command lines; RedactCommands through the
	// command rules alone, for files that store commands among lines the other rules
	// would misread (sudoers); RedactKeys through the authorized_keys filter, which
	// keeps the public keys and removes secrets from command= and environment=
	// options; RedactHashes through the filter for account files, which replaces a
	// password hash in the second field (systems without shadow keep them in passwd).
	// Argv0 sends only the program of a NUL-separated command line.
	Redact         bool
	RedactArgs     bool
	RedactCommands bool
	RedactKeys     bool
	RedactHashes   bool
	Argv0          bool
	// Keep holds the whole output of an unfiltered Cmd step in the probe for a later
	// step that needs the same answer, which then does not compute it again (see
	// _cmd_keep); the item is the same. Such a step's command ends its output with a
	// "# done" line, which tells the probe the output is whole.
	Keep bool
	// Offline names how the offline reader produces this command's output from a disk
	// image (see collect/rootfs); empty means the command needs a live system.
	Offline string
	// Domain is the part of the survey the step serves (its plan_*.go group): what a
	// profile of the probe's cost adds its items up by. The Plan sets it.
	Domain string
}

// Sizes, named so the plan reads as intent.
const (
	small  = 256 << 10
	medium = 4 << 20
	large  = 64 << 20
)

// rpmQueryFormat is the rpm --qf format; the offline reader writes the same columns.
// EPOCH prints "(none)" when unset, as rpm itself does.
const rpmQueryFormat = `%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{INSTALLTIME}\t%{VENDOR}\t%{SOURCERPM}\n`

// Plan is everything the probe collects, in order. Order matters twice: the cheap
// identity facts come first so a session cut short still says what the host is, and
// fallbacks follow the command they replace. Each domain keeps its steps in its own
// file (plan_*.go); the slow walks of the filesystem come last.
var Plan = concat(
	inDomain("foundation", foundationSteps),
	inDomain("time", timeSteps), inDomain("cron", cronSteps),
	inDomain("accounts", accountSteps),
	inDomain("network", networkSteps), inDomain("storage", storageSteps), inDomain("kernel", kernelSteps),
	inDomain("web", webSteps),
	inDomain("logs", logSteps), inDomain("data", dataSteps),
	inDomain("backup", backupSteps), inDomain("hints", hintSteps),
	inDomain("files", fileSteps),
)

// Globbed reports whether a file at p would have been read by one of the plan's
// globs: a complete archive without it then shows that no regular file is there,
// since a glob that matches nothing leaves no item behind to say so.
func Globbed(p string) bool {
	for _, st := range Plan {
		if st.Kind != Glob {
			continue
		}
		if ok, _ := path.Match(st.Path, p); ok {
			return true
		}
	}
	return false
}

// inDomain is a copy of steps, each marked as serving domain.
func inDomain(domain string, steps []Step) []Step {
	out := make([]Step, len(steps))
	for i, st := range steps {
		st.Domain = domain
		out[i] = st
	}
	return out
}

func concat(parts ...[]Step) []Step {
	var all []Step
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// foundationSteps are identity, packages, services, processes and sockets: what the
// rest of the survey leans on.
var foundationSteps = []Step{
	// Identity and operating system.
	{Kind: File, Path: "/etc/os-release", Limit: small},
	{Kind: File, Path: "/usr/lib/os-release", Limit: small},
	{Kind: File, Path: "/etc/redhat-release", Limit: small},
	{Kind: File, Path: "/etc/centos-release", Limit: small},
	{Kind: File, Path: "/etc/system-release", Limit: small},
	{Kind: File, Path: "/etc/debian_version", Limit: small},
	{Kind: File, Path: "/etc/lsb-release", Limit: small},
	{Kind: File, Path: "/etc/SuSE-release", Limit: small},
	{Kind: File, Path: "/etc/alpine-release", Limit: small},
	{Kind: File, Path: "/etc/hostname", Limit: small},
	{Kind: File, Path: "/etc/HOSTNAME", Limit: small},
	{Kind: File, Path: "/etc/sysconfig/network", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/machine-id", Limit: small},
	{Kind: File, Path: "/var/lib/dbus/machine-id", Limit: small},
	{Kind: File, Path: "/etc/timezone", Limit: small},
	{Kind: File, Path: "/etc/sysconfig/clock", Limit: small},
	{Kind: List, Path: "/etc"}, // shows whether /etc/localtime is a link, and where to
	// inittab's respawn lines are commands; of PID 1's command line only the program
	// is needed (in a container it may be an application given its credentials).
	{Kind: File, Path: "/etc/inittab", Limit: small, RedactArgs: true},
	{Kind: File, Path: "/proc/1/comm", Limit: small},
	{Kind: File, Path: "/proc/1/cmdline", Limit: small, Argv0: true},
	{Kind: File, Path: "/proc/cpuinfo", Limit: medium},
	{Kind: File, Path: "/proc/meminfo", Limit: small},
	{Kind: File, Path: "/proc/stat", Limit: medium},
	{Kind: File, Path: "/proc/self/cgroup", Limit: small},
	{Kind: File, Path: "/sys/class/dmi/id/sys_vendor", Limit: small},
	{Kind: File, Path: "/sys/class/dmi/id/product_name", Limit: small},
	{Kind: File, Path: "/sys/hypervisor/type", Limit: small},
	{Kind: File, Path: "/.dockerenv", Limit: small},
	{Kind: File, Path: "/run/.containerenv", Limit: small},
	{Kind: Cmd, Name: "uname", Shell: "uname -s; uname -n; uname -r; uname -m; uname -v", Needs: "uname", Limit: small, Timeout: 10},
	// hostname -f asks the resolver and can hang on a broken DNS: short timeout.
	{Kind: Cmd, Name: "hostname-f", Shell: "hostname -f", Needs: "hostname", Limit: small, Timeout: 5},
	{Kind: Cmd, Name: "systemd-detect-virt", Shell: "systemd-detect-virt", Needs: "systemd-detect-virt", Limit: small, Timeout: 10},
	// The epoch, offset and zone name from one clock reading (and one process).
	{Kind: Cmd, Name: "date", Shell: "date '+%s%n%z%n%Z'", Needs: "date", Limit: small, Timeout: 5},
	{Kind: Cmd, Name: "getconf-clk-tck", Shell: "getconf CLK_TCK", Needs: "getconf", Limit: small, Timeout: 5},
	{Kind: Cmd, Name: "runlevel", Shell: "runlevel", Needs: "runlevel", Limit: small, Timeout: 5},

	// Accounts: processes and files name owners by uid. Shadow never leaves the host:
	// only whether each password is usable, locked or empty (see the probe's _shadow).
	{Kind: File, Path: "/etc/passwd", Limit: medium, RedactHashes: true},
	{Kind: File, Path: "/etc/group", Limit: medium, RedactHashes: true},
	{Kind: Cmd, Name: "shadow-state", Shell: "_shadow /etc/shadow", Needs: "awk", Limit: medium, Timeout: 10, Offline: "shadow-state"},

	// Packages. rpm and dpkg both are asked on hosts that carry both (Alien, or rpm
	// installed on Debian for a vendor tool); the surveyor says which manages the host.
	{Kind: Cmd, Name: "rpm-qa", Shell: "rpm -qa --qf '" + rpmQueryFormat + "'", Needs: "rpm", Limit: large, Timeout: 180, Offline: "rpm-qa"},
	{Kind: File, Path: "/var/lib/dpkg/status", Limit: large},
	// apt-mark's auto marks: what apt pulled in as a dependency, so that the rest is
	// what someone asked for (or the base system, which dpkg's Priority tells).
	{Kind: File, Path: "/var/lib/apt/extended_states", Limit: medium},
	{Kind: Cmd, Name: "dpkg-list-mtimes", Shell: "cd /var/lib/dpkg/info && stat -c '%Y %n' -- *.list", Needs: "stat", When: "[ -d /var/lib/dpkg/info ]", Limit: medium, Timeout: 60, Offline: "dpkg-list-mtimes"},
	{Kind: File, Path: "/lib/apk/db/installed", Limit: large},

	// Services: systemd when it is PID 1, else SysV links and upstart jobs. A unit's
	// Description is free text its writer may have put a command line in.
	{Kind: Cmd, Name: "systemctl-units", Shell: "systemctl list-units --all --type=service --no-pager --no-legend --plain", Needs: "systemctl", When: "[ -d /run/systemd/system ]", Limit: medium, Timeout: 30, RedactArgs: true},
	{Kind: Cmd, Name: "systemctl-unit-files", Shell: "systemctl list-unit-files --type=service --no-pager --no-legend", Needs: "systemctl", When: "[ -d /run/systemd/system ]", Limit: medium, Timeout: 30},
	{Kind: Cmd, Name: "systemctl-show", Shell: "systemctl list-units --all --type=service --no-pager --no-legend --plain | while read -r u _; do echo \"$u\"; done | xargs systemctl show --no-pager -p Id -p MainPID -p FragmentPath -p ActiveState -p SubState -p UnitFileState -p Description", Needs: "systemctl", When: "[ -d /run/systemd/system ]", Limit: large, Timeout: 60, RedactArgs: true},
	{Kind: Cmd, Name: "chkconfig", Shell: "chkconfig --list", Needs: "chkconfig", Limit: medium, Timeout: 30},
	{Kind: Cmd, Name: "initctl-list", Shell: "initctl list", Needs: "initctl", When: "[ ! -d /run/systemd/system ]", Limit: medium, Timeout: 30},
	{Kind: List, Path: "/etc/init.d"},
	{Kind: List, Path: "/etc/rc.d/init.d"},
	{Kind: ListGlob, Path: "/etc/rc[0-6S].d"},
	{Kind: ListGlob, Path: "/etc/rc.d/rc[0-6].d"},
	{Kind: List, Path: "/etc/init"},
	{Kind: List, Path: "/etc/systemd/system"},
	{Kind: ListGlob, Path: "/etc/systemd/system/*.wants"},
	{Kind: List, Path: "/lib/systemd/system"},
	{Kind: List, Path: "/usr/lib/systemd/system"},

	// The survey's own footprint (its login, sudo, shells and SSH connection), read
	// before the process list, so that none of it is reported as the host's.
	{Kind: Cmd, Name: "self", Shell: "_self", Limit: small, Timeout: 10, RedactArgs: true},

	// Processes: ps where it understands -o, else /proc directly (busybox).
	{Kind: Cmd, Name: "ps", Shell: "ps -eo pid=,ppid=,uid=,lstart=,args=", Needs: "ps", Limit: large, Timeout: 30, RedactArgs: true},
	{Kind: Cmd, Name: "proc-ps", Shell: "_procps", Unless: "ps", Limit: large, Timeout: 60, RedactArgs: true},
	// The systemd unit each process runs in, as its cgroup says: the service of a
	// process whose unit names no main PID (a forking daemon without a PIDFile=, a
	// script's children). Best effort: a process that exits between the glob and
	// the read is simply not listed.
	{Kind: Cmd, Name: "proc-units", Shell: "cd /proc && grep -H -e '^0::/' -e ':name=systemd:/' [0-9]*/cgroup 2>/dev/null; :", Needs: "grep", Limit: large, Timeout: 30},

	// Sockets: ss, else netstat; /proc/net always, as the last resort without owners.
	{Kind: Cmd, Name: "ss", Shell: "ss -tuanp", Needs: "ss", Limit: large, Timeout: 30},
	{Kind: Cmd, Name: "netstat", Shell: "netstat -tuanp", Needs: "netstat", Unless: "ss", Limit: large, Timeout: 30},
	{Kind: File, Path: "/proc/net/tcp", Limit: large},
	{Kind: File, Path: "/proc/net/tcp6", Limit: large},
	{Kind: File, Path: "/proc/net/udp", Limit: large},
	{Kind: File, Path: "/proc/net/udp6", Limit: large},
	// Where the kernel picks client ports: a worker's listener there is chosen anew at
	// each start.
	{Kind: File, Path: PortRangeFile, Limit: small},
}

// PortRangeFile is the kernel's range of ephemeral ports.
const PortRangeFile = "/proc/sys/net/ipv4/ip_local_port_range"
