package probe

// SysctlDirs are the directories of boot-time sysctl files, in the precedence order
// of systemd-sysctl and procps's sysctl --system: a file name found in an earlier
// directory hides the same name in a later one. /lib/sysctl.d is procps's and
// split-/usr systemd's.
var SysctlDirs = []string{"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"}

// SysctlConf is the classic file, read last by procps and first by RHEL's initscripts.
const SysctlConf = "/etc/sysctl.conf"

// WatchedSysctls are kept in the snapshot whether or not a file sets them: the
// parameters whose silent change breaks a service after a move (a connection
// backlog, a port range a firewall rule assumes, forwarding a VPN relies on, shared
// memory a database sizes itself by).
var WatchedSysctls = []string{
	"net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv6.conf.all.disable_ipv6",
	"net.core.somaxconn", "net.core.netdev_max_backlog", "net.ipv4.tcp_max_syn_backlog",
	"net.ipv4.ip_local_port_range", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_syncookies",
	"net.core.rmem_max", "net.core.wmem_max",
	"vm.swappiness", "vm.overcommit_memory", "vm.max_map_count", "vm.dirty_ratio",
	"fs.file-max", "fs.inotify.max_user_watches",
	"kernel.shmmax", "kernel.shmall", "kernel.sem", "kernel.msgmax", "kernel.msgmnb",
	"kernel.pid_max", "kernel.threads-max", "kernel.core_pattern",
}

// SysctlLive prints every parameter in force as "/proc/sys/PATH:VALUE", one line
// per line of each file, then "# done". All of them, not only those the host's own
// files set: verify asks a replacement for the keys the old server's files set, which
// the replacement's files may not. /proc/sys is read directly (sysctl(8) is missing
// on busybox and its options differ across procps releases); one grep reads the
// whole tree in tens of milliseconds. Write-only files (vm.drop_caches) fail to
// read and are left out; grep's status says nothing, the end marker does.
// Two parameters are keys, readable by root only: TCP Fast Open's server key and
// IPv6's stable_secret (the seed of stable addresses). Their values are replaced
// on the host, before anything is sent, by SecretSysctlValue.
const SysctlLive = "grep -r '' /proc/sys 2>/dev/null | sed" +
	" -e 's#^\\(/proc/sys/net/ipv4/tcp_fastopen_key:\\).*#\\1" + SecretSysctlValue + "#'" +
	" -e 's#^\\(/proc/sys/net/ipv6/conf/[^/]*/stable_secret:\\).*#\\1" + SecretSysctlValue + "#'" +
	"; echo '# done'"

// SecretSysctlValue stands for the value of a kernel parameter that is a secret.
const SecretSysctlValue = "[secret, not read]"

// kernelSteps read the boot-time sysctl configuration (listings too: a link to
// /dev/null masks a packaged file, and 99-sysctl.conf is often a link to
// ../sysctl.conf) and the values in force. Offline only the files are there.
var kernelSteps = func() []Step {
	steps := []Step{{Kind: File, Path: SysctlConf, Limit: small, Redact: true}}
	for _, d := range SysctlDirs {
		steps = append(steps, Step{Kind: List, Path: d}, Step{Kind: Glob, Path: d + "/*.conf", Limit: small, Redact: true})
	}
	return append(steps, Step{Kind: Cmd, Name: "sysctl-live", Shell: SysctlLive, Needs: "grep", When: "[ -d /proc/sys ]", Limit: medium, Timeout: 20})
}()
