// Package snapshot is trowel's model of a surveyed host: versioned, serialised as JSON,
// and the one thing every consumer (report, verify, diff, codify) reads. Every fact keeps
// the ID of the evidence item it came from, and every section says how completely it
// was collected, because "we could not look" must never read as "there is nothing".
package snapshot

import (
	"path"
	"strconv"
	"strings"
	"time"
)

// SchemaVersion changes when a field changes meaning or is removed; adding fields
// does not change it.
const SchemaVersion = 1

// Snapshot is one survey of one host.
type Snapshot struct {
	SchemaVersion int        `json:"schema_version"`
	TrowelVersion string     `json:"trowel_version"`
	CollectedAt   time.Time  `json:"collected_at"`
	Source        Source     `json:"source"`
	Host          Host       `json:"host"`
	OS            OS         `json:"os"`
	Packages      []Package  `json:"packages"`
	Services      []Service  `json:"services"`
	Processes     []Process  `json:"processes"`
	Listeners     []Listener `json:"listeners"`
	// Hints are what the host left behind of what ran on it (pid and lock
	// files): never proof that anything runs now.
	Hints []Hint `json:"hints,omitempty"`
	// The sections below are each filled by one surveyor (see internal/survey).
	Time       Clock       `json:"time"`
	CronJobs   []CronJob   `json:"cron_jobs"`
	Accounts   Accounts    `json:"accounts"`
	Files      Files       `json:"files"`
	Network    Network     `json:"network"`
	Storage    Storage     `json:"storage"`
	Logs       Logs        `json:"logs"`
	Middleware Middleware  `json:"middleware"`
	Backups    Backups     `json:"backups"`
	EndOfLife  []EndOfLife `json:"end_of_life"`
	// Kernel is what the running kernel was told to do (sysctl parameters).
	Kernel Kernel `json:"kernel"`
	// Answers are what the host's services said when asked as a client would ask
	// (an HTTP request per virtual host, an SMTP greeting): live evidence that they
	// do their job, not only that they listen.
	Answers []Answer `json:"answers"`
	// Window is set when the snapshot merges several samples taken over a period
	// (trowel survey --observe); nil for a single look.
	Window *Window `json:"window,omitempty"`
	// Coverage says, per section, whether the facts above are the whole truth.
	Coverage map[Section]Coverage `json:"coverage"`
	// Evidence describes every evidence item a fact refers to, so a reader can check
	// any fact by running the same command or opening the same file.
	Evidence map[string]EvidenceRef `json:"evidence"`
}

// Section names a part of the snapshot whose coverage is tracked.
type Section string

const (
	SectionHost      Section = "host"
	SectionOS        Section = "os"
	SectionPackages  Section = "packages"
	SectionServices  Section = "services"
	SectionProcesses Section = "processes"
	SectionListeners Section = "listeners"
	SectionTime      Section = "time"
	SectionCron      Section = "cron"
	SectionAccounts  Section = "accounts"
	SectionSudo      Section = "sudo"
	SectionKeys      Section = "authorized_keys"
	SectionFiles     Section = "files"
	SectionUnmanaged Section = "unmanaged_software"
	SectionNetwork   Section = "network"
	SectionConns     Section = "connections"
	SectionFirewall  Section = "firewall"
	SectionStorage   Section = "storage"
	SectionLogs      Section = "logs"
	SectionShippers  Section = "log_shippers"
	SectionBackups   Section = "backups"
	SectionEOL       Section = "end_of_life"
	// One section per middleware surveyor: not_applicable when the host has none.
	SectionApache       Section = "apache"
	SectionNginx        Section = "nginx"
	SectionMySQL        Section = "mysql"
	SectionPostgreSQL   Section = "postgresql"
	SectionPostfix      Section = "postfix"
	SectionDovecot      Section = "dovecot"
	SectionRuby         Section = "ruby"
	SectionPHP          Section = "php"
	SectionJava         Section = "java"
	SectionApps         Section = "apps"
	SectionDocker       Section = "docker"
	SectionMemcached    Section = "memcached"
	SectionRedis        Section = "redis"
	SectionCertificates Section = "certificates"
	SectionSysctl       Section = "sysctl"
	SectionAnswers      Section = "answers"
)

// Sections lists the sections of this schema version in document order.
var Sections = []Section{
	SectionHost, SectionOS, SectionPackages, SectionServices, SectionProcesses, SectionListeners,
	SectionTime, SectionCron, SectionAccounts, SectionSudo, SectionKeys,
	SectionFiles, SectionUnmanaged, SectionNetwork, SectionConns, SectionFirewall,
	SectionStorage, SectionLogs, SectionShippers, SectionSysctl,
	SectionApache, SectionNginx, SectionMySQL, SectionPostgreSQL, SectionPostfix, SectionDovecot,
	SectionApps, SectionRuby, SectionPHP, SectionJava, SectionDocker, SectionMemcached, SectionRedis,
	SectionCertificates, SectionAnswers, SectionBackups, SectionEOL,
}

// Source says where the evidence came from and with which rights.
type Source struct {
	// Kind is ssh, local, root (a mounted disk read offline) or bundle (a probe's
	// output brought back by hand).
	Kind   string `json:"kind" jsonschema:"enum=ssh,enum=local,enum=root,enum=bundle"`
	Target string `json:"target"`
	// User is the account the probe ran as, after sudo.
	User string `json:"user,omitempty"`
	UID  *int   `json:"uid,omitempty"`
	// Login is the account that logged in (or ran the probe by hand) before sudo or
	// su changed it: "opsadmin". Through names the program that changed it (sudo,
	// su, runuser, doas); it is empty when the probe ran with the login's own rights.
	Login   string `json:"login,omitempty"`
	Through string `json:"through,omitempty"`
	// Privileged is true when the probe ran as root, so root-only facts were readable.
	Privileged   bool   `json:"privileged"`
	Sudo         bool   `json:"sudo,omitempty"`
	ProbeVersion string `json:"probe_version,omitempty"`
	// Session is how the survey itself showed on a live host, which no section
	// reports as the host's own.
	Session *Session `json:"session,omitempty"`
	// EvidenceSHA256 identifies the evidence archive this snapshot was parsed from.
	EvidenceSHA256 string `json:"evidence_sha256,omitempty"`
	// Notes are things the collector wants the reader to know, such as legacy SSH
	// algorithms negotiated with an old server, or a session that was cut off.
	Notes []string `json:"notes,omitempty"`
}

// Session is the survey's own footprint on a live host: the processes of its login
// and of the probe, and the connection it came in by. Processes, listeners,
// connections and clients leave all of it out, so that nothing the survey did reads
// as what the host does.
type Session struct {
	// PIDs are its processes when the probe listed them: the way in (the SSH
	// session, sudo or su, the shells and launchers that started the probe) and the
	// probe with every command it ran.
	PIDs []int `json:"pids,omitempty"`
	// Client and Server are the two ends of the SSH connection the survey came in
	// by, "address:port", as sshd told the login.
	Client string `json:"client,omitempty"`
	Server string `json:"server,omitempty"`
	// Sockets are the inodes of the sockets the way in held (read from /proc), which
	// tell its connection apart where no tool names a socket's owner.
	Sockets []uint64 `json:"sockets,omitempty"`
}

// Host identifies the machine.
type Host struct {
	Hostname       string   `json:"hostname,omitempty"`
	FQDN           string   `json:"fqdn,omitempty"`
	MachineID      string   `json:"machine_id,omitempty"`
	Virtualization string   `json:"virtualization,omitempty"` // none, kvm, vmware, xen, docker, lxc, ... or "" when unknown
	CPUs           int      `json:"cpus,omitempty"`
	MemoryBytes    int64    `json:"memory_bytes,omitempty"`
	Evidence       []string `json:"evidence,omitempty"`
}

// OS describes the operating system.
type OS struct {
	ID         string `json:"id,omitempty"`     // os-release ID: centos, rhel, debian, ubuntu, amzn ...
	Family     string `json:"family,omitempty"` // rhel, debian, suse, alpine, arch
	Name       string `json:"name,omitempty"`
	Version    string `json:"version,omitempty"`    // full version as the vendor writes it: "5.11", "12.5"
	VersionID  string `json:"version_id,omitempty"` // os-release VERSION_ID or the major.minor
	Codename   string `json:"codename,omitempty"`
	PrettyName string `json:"pretty_name,omitempty"`
	Kernel     string `json:"kernel,omitempty"`
	Arch       string `json:"arch,omitempty"`
	// InitSystem is systemd, sysv, upstart or openrc.
	InitSystem     string   `json:"init_system,omitempty"`
	PackageManager string   `json:"package_manager,omitempty"` // rpm, dpkg, apk
	Timezone       string   `json:"timezone,omitempty"`
	Evidence       []string `json:"evidence,omitempty"`
}

// Package is one installed package.
type Package struct {
	Name    string `json:"name"`
	Epoch   *int   `json:"epoch,omitempty"`
	Version string `json:"version"`
	Release string `json:"release,omitempty"`
	Arch    string `json:"arch,omitempty"`
	// Source is the source package (an SRPM file name or a Debian source package).
	Source string `json:"source,omitempty"`
	// Origin is where the package came from as far as the host records it: the RPM
	// vendor, or the dpkg Maintainer when nothing better exists.
	Origin      string     `json:"origin,omitempty"`
	InstallTime *time.Time `json:"install_time,omitempty"`
	Manager     string     `json:"manager"` // rpm, dpkg, apk
	Evidence    string     `json:"evidence"`
	// Intent is why the package is there: "manual" (the administrator installed
	// it on purpose), "dependency" (pulled in by another), "base" (part of the
	// base system), or "" when nothing tells. IntentSource says what does
	// ("apt-mark (extended_states)", "apt history", "yum history", "rpm install
	// time vs the install set"), and InstalledAt when that install happened.
	Intent       string     `json:"intent,omitempty" jsonschema:"enum=,enum=manual,enum=dependency,enum=base"`
	IntentSource string     `json:"intent_source,omitempty"`
	InstalledAt  *time.Time `json:"installed_at,omitempty"`
}

// FullVersion is [epoch:]version[-release], as rpm and dpkg both write it.
func (p Package) FullVersion() string {
	v := p.Version
	if p.Release != "" {
		v += "-" + p.Release
	}
	if p.Epoch != nil && *p.Epoch != 0 {
		v = strconv.Itoa(*p.Epoch) + ":" + v
	}
	return v
}

// Service is one service known to the init system.
type Service struct {
	Name string `json:"name"`
	Init string `json:"init"` // systemd, sysv, upstart
	// Enabled says whether it starts at boot; nil when that could not be told.
	Enabled *bool `json:"enabled,omitempty"`
	// EnabledState is the init system's own word: enabled, disabled, static, masked,
	// indirect, generated, or for SysV the runlevels it starts in ("2345").
	EnabledState string `json:"enabled_state,omitempty"`
	// Running says whether it runs now; nil when that could not be told (offline).
	Running     *bool  `json:"running,omitempty"`
	State       string `json:"state,omitempty"` // the init system's words: active/running, exited, failed ...
	MainPID     int    `json:"main_pid,omitempty"`
	Path        string `json:"path,omitempty"` // unit file or init script
	Description string `json:"description,omitempty"`
	Package     string `json:"package,omitempty"`
	// The service view, filled by the links surveyor from the other sections: who
	// it runs as, what it listens on and talks to, which configs and logs are its,
	// and which scheduled jobs touch it. Each entry names a fact found elsewhere.
	User     string   `json:"user,omitempty"`
	Listens  []string `json:"listens,omitempty"`  // "tcp 0.0.0.0:80"
	Connects []string `json:"connects,omitempty"` // "tcp 10.231.0.40:25"
	Configs  []string `json:"configs,omitempty"`  // paths
	Logs     []string `json:"logs,omitempty"`     // paths
	Jobs     []string `json:"jobs,omitempty"`     // cron job sources "file:line"
	Evidence []string `json:"evidence"`
}

// The sources of the services section (Coverage.Sources): which services there
// are and which start at boot, read from unit files, init scripts and runlevel
// links, which a disk image has; and whether each runs, which only a running
// host tells.
const (
	ServicesDefinitions = "definitions"
	ServicesRunning     = "running"
)

// Process is one process at survey time.
type Process struct {
	PID     int        `json:"pid"`
	PPID    int        `json:"ppid"`
	UID     *int       `json:"uid,omitempty"`
	User    string     `json:"user,omitempty"`
	Started *time.Time `json:"started,omitempty"`
	// Command is the full command line; Comm the short process name.
	Command string `json:"command"`
	Comm    string `json:"comm,omitempty"`
	Service string `json:"service,omitempty"`
	Seen
	Evidence string `json:"evidence"`
}

// Defunct reports whether ps showed a zombie ("[sudo] <defunct>"): a process that
// has exited and runs nothing; its parent has not collected it yet.
func (p Process) Defunct() bool {
	return strings.HasSuffix(strings.TrimSpace(p.Command), "<defunct>")
}

// KernelThread reports whether ps showed a kernel thread ("[kworker/0:1]"): it has no
// command line, so ps writes its name in brackets. The survey leaves them out; a
// snapshot of an older trowel lists them.
func (p Process) KernelThread() bool {
	c := strings.TrimSpace(p.Command)
	return strings.HasPrefix(c, "[") && strings.HasSuffix(c, "]")
}

// CommandName is the base name of a command line's program, without its directory
// or arguments: "/usr/sbin/crond -n" is crond; "" for an empty line.
func CommandName(command string) string {
	f := strings.Fields(command)
	if len(f) == 0 {
		return ""
	}
	return path.Base(f[0])
}

// LoginSession tells the per-login processes of an SSH server from the server
// itself, by a process's kernel name, its command line and its parent's kernel name
// ("" when unknown). OpenSSH retitles them "sshd: user [priv]", "sshd: user@notty",
// "sshd: user@pts/0" (its listener, since 9.8, "sshd: /usr/sbin/sshd -D [listener]
// ..."), and 9.8 runs them as sshd-session; Dropbear forks a copy of itself per
// login, so a dropbear whose parent is dropbear is a login; login(1) is a console's.
func LoginSession(comm, command, parentComm string) bool {
	switch {
	case comm == "sshd-session", comm == "login":
		return true
	case comm == "dropbear":
		return parentComm == "dropbear"
	}
	if rest, ok := strings.CutPrefix(command, "sshd: "); ok {
		return !strings.HasPrefix(rest, "/")
	}
	return false
}

// Listener is a socket accepting connections or datagrams.
type Listener struct {
	Proto   string `json:"proto"` // tcp, tcp6, udp, udp6
	Address string `json:"address"`
	Port    int    `json:"port"`
	PID     int    `json:"pid,omitempty"`
	Process string `json:"process,omitempty"`
	Service string `json:"service,omitempty"`
	Package string `json:"package,omitempty"`
	// Ephemeral says why the port is not one a replacement must answer on: a port a
	// server's worker binds for its own use, chosen anew at each start (a Passenger
	// or Puma worker's random loopback port). Empty for a port that is a promise.
	Ephemeral string `json:"ephemeral,omitempty"`
	Seen
	Evidence string `json:"evidence"`
}

// EvidenceRef is what a snapshot keeps of an evidence item: enough to check the fact,
// not the content itself.
type EvidenceRef struct {
	Kind      string  `json:"kind"`
	Source    string  `json:"source"` // the command or path
	Status    string  `json:"status"`
	RC        int     `json:"rc,omitempty"`
	Bytes     int     `json:"bytes"`
	Truncated bool    `json:"truncated,omitempty"`
	Seconds   float64 `json:"seconds,omitempty"`
}

// Bool makes a *bool for tri-state fields.
func Bool(b bool) *bool { return &b }

// Int makes an *int.
func Int(i int) *int { return &i }

// Hint is a pid or lock file: what it says ran, and when it was written. A pid file
// outlives a process that died, and a disk keeps both after shutdown, so a hint
// never says that anything runs.
type Hint struct {
	Kind    string     `json:"kind"` // pid_file, lock_file
	Path    string     `json:"path"`
	PID     int        `json:"pid,omitempty"`
	Written *time.Time `json:"written,omitempty"`
	// Service is the service the file is of, when its name tells.
	Service string `json:"service,omitempty"`
	// Says is the hint in words, as a document tells it.
	Says     string `json:"says"`
	Evidence string `json:"evidence"`
}
