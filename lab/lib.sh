# shellcheck shell=bash
# lab/lib.sh - shared settings and helpers for the trowel lab scripts.
# Sourced by build.sh, up.sh, down.sh, status.sh, bench.sh. Bash only.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)

# Where built root filesystems are cached (survives lab-down) and where the
# running lab keeps its state (removed by lab-down). Both outside the repo.
LAB_CACHE=${TROWEL_LAB_CACHE:-/var/cache/trowel-lab}
LAB_STATE=${TROWEL_LAB_STATE:-/var/lib/trowel-lab}
LAB_MIRROR=${TROWEL_LAB_MIRROR:-http://deb.debian.org/debian}

# Lab network: one host-side bridge, one netns per host. Nothing else is
# routed: the namespaces get no default route, so lab traffic cannot leave
# 10.231.0.0/24.
LAB_BRIDGE=trowel-br0
LAB_GW=10.231.0.1
LAB_PREFIX=24
LAB_DOMAIN=trowel.test
LAB_APTPROXY_PORT=3142

# Host table: name|short|addr|image|distro|TCP ports that must listen
# before the host counts as up|init. init is what PID 1 is: "systemd" (the
# host boots Debian's systemd under systemd-nspawn, lab/nspawn.sh) or "sysv"
# (/lab-init plays a SysV rc, lab/lab-init.sh: legacy stands in for CentOS
# 5/6). The collector is started (and waited for) first, so the hosts'
# outbound connections find their peer.
LAB_HOSTS=(
	"collector|col|10.231.0.40|collector|bookworm|22 25 514 24224|systemd"
	"bastion|bas|10.231.0.30|bastion|bookworm|22|systemd"
	"new|new|10.231.0.20|new|bookworm|22|systemd"
	"replica|rep|10.231.0.21|replica|bookworm|22 2222 80 443 3306 25|systemd"
	"webapp|web|10.231.0.11|webapp|bullseye|22 80|systemd"
	"legacy|leg|10.231.0.10|legacy|bullseye|22 2222 80 443 3306 25|sysv"
)

# Capabilities removed from everything running inside a lab host. The hosts
# share the machine's kernel; this keeps a lab service (or a test's Ansible
# run) from loading modules, setting the clock, mounting, reading the host's
# kernel log, ... /proc/sys and /sys are also read-only inside the hosts.
LAB_DROP_CAPS=-sys_module,-sys_rawio,-sys_time,-sys_boot,-sys_admin,-mknod,-mac_admin,-mac_override,-syslog,-wake_alarm,-block_suspend,-audit_control,-sys_pacct
# The same for a systemd host, but for two that systemd-nspawn's container
# needs: CAP_SYS_ADMIN (systemd mounts its API file systems and gives units
# their private /tmp and read-only /usr in mount namespaces of the host's
# own) and CAP_SYS_BOOT (reboot(2) in a child pid namespace only ends that
# namespace's init: how `systemctl reboot` reaches lab/nspawn.sh; kexec is
# refused by nspawn's seccomp filter). What nspawn never grants (sys_module,
# sys_rawio, sys_time, syslog, ...) is dropped again to say so. Two that
# nspawn keeps back are given, as a SysV host has them: CAP_NET_ADMIN (the
# host's own interfaces and packet filter: ufw, iptables) and CAP_IPC_LOCK
# (mlock).
LAB_NSPAWN_ADD_CAPS=CAP_NET_ADMIN,CAP_IPC_LOCK
LAB_NSPAWN_DROP_CAPS=CAP_SYS_MODULE,CAP_SYS_RAWIO,CAP_SYS_TIME,CAP_MKNOD,CAP_MAC_ADMIN,CAP_MAC_OVERRIDE,CAP_SYSLOG,CAP_WAKE_ALARM,CAP_BLOCK_SUSPEND,CAP_AUDIT_CONTROL,CAP_SYS_PACCT

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (namespaces, mounts, debootstrap)"; }

host_field() { # host_field <name> <index 0..6>
	local h IFS='|' f
	for h in "${LAB_HOSTS[@]}"; do
		read -r -a f <<<"$h"
		if [ "${f[0]}" = "$1" ]; then printf '%s\n' "${f[$2]}"; return 0; fi
	done
	return 1
}
host_names() { local h; for h in "${LAB_HOSTS[@]}"; do printf '%s\n' "${h%%|*}"; done; }

# Does overlayfs work on the filesystem holding $1? (Not on every CI
# machine: e.g. overlay-on-overlay inside docker fails.) Prints overlay|copy.
overlay_mode() {
	if [ -n "${TROWEL_LAB_NO_OVERLAY:-}" ]; then echo copy; return; fi
	local t; t=$(mktemp -d "$1/.ovltest.XXXXXX")
	mkdir -p "$t/l1" "$t/l2" "$t/u" "$t/w" "$t/m"
	echo x >"$t/l2/f"
	if mount -t overlay overlay -o "lowerdir=$t/l1:$t/l2,upperdir=$t/u,workdir=$t/w" "$t/m" 2>/dev/null; then
		if echo y >"$t/m/f" 2>/dev/null && [ "$(cat "$t/l2/f")" = x ]; then
			umount "$t/m"; rm -rf "$t"; echo overlay; return
		fi
		umount "$t/m" 2>/dev/null || umount -l "$t/m"
	fi
	rm -rf "$t"; echo copy
}

# Unmount everything at or below a directory, deepest first.
umount_below() {
	local dir=$1 m
	[ -n "$dir" ] && [ "$dir" != / ] || return 0
	dir=$(realpath -m "$dir")
	# /proc/self/mountinfo field 5 is the mount point (octal-escaped).
	while read -r m; do
		m=$(printf '%b' "$m")
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: cannot unmount $m"
	done < <(awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r)
}

# Mount points at or below a directory.
mounts_below() {
	local dir; dir=$(realpath -m "$1")
	awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

# PIDs (host pid namespace) of processes whose root or cwd is below $1.
pids_rooted_below() {
	local dir=$1 p r
	dir=$(realpath -m "$dir")
	for p in /proc/[0-9]*; do
		r=$(readlink "$p/root" 2>/dev/null) || continue
		case "$r" in "$dir"/*) echo "${p#/proc/}" ;; esac
	done
}

# Kill processes and wait until they are gone (bounded).
kill_wait() {
	local sig=$1; shift
	[ $# -gt 0 ] || return 0
	kill "-$sig" "$@" 2>/dev/null || true
	local i p alive
	for i in $(seq 50); do
		alive=
		for p in "$@"; do [ -d "/proc/$p" ] && alive=1; done
		[ -z "$alive" ] && return 0
		sleep 0.1
	done
	return 1
}

# Accounts the tests may use: host|user|password|sudo (sudo: nopasswd,
# password, none). Users are created by roles/*/setup.sh at image build;
# up.sh installs the lab key for each and sets the passwords listed here.
LAB_USERS=(
	"legacy|root||nopasswd"
	"legacy|deploy||nopasswd"
	"legacy|ops|ops-lab-pw|password"
	"legacy|alice|alice-lab-pw|none"
	"new|root||nopasswd"
	"replica|root||nopasswd"
	"replica|deploy||nopasswd"
	"replica|ops|ops-lab-pw|password"
	"replica|alice|alice-lab-pw|none"
	"webapp|root||nopasswd"
	"webapp|ops|ops-lab-pw|password"
	"bastion|root||nopasswd"
	"bastion|jump||none"
	"collector|root||nopasswd"
)

# Every process of a systemd host runs in one cgroup of its own,
# LAB_CGROUP/NAME, in each cgroup hierarchy systemd uses (the v1 name=systemd
# one and the unified one of a hybrid machine, or the single v2 one):
# lab/nspawn.sh puts itself there and systemd-nspawn --keep-unit makes its
# supervisor and payload cgroups below it. That is how down.sh finds every
# process of the host, including those of units with a network namespace of
# their own (PrivateNetwork=), and what it removes afterwards.
LAB_CGROUP=trowel-lab
cgroup_roots() {
	if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
		echo /sys/fs/cgroup
		return
	fi
	local d
	for d in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do
		[ -e "$d/cgroup.procs" ] && echo "$d"
	done
}
# PIDs in a host's cgroup (or the whole lab's, without an argument).
cgroup_pids() {
	local r
	for r in $(cgroup_roots); do
		[ -d "$r/$LAB_CGROUP${1:+/$1}" ] || continue
		find "$r/$LAB_CGROUP${1:+/$1}" -name cgroup.procs -exec cat {} + 2>/dev/null
	done | sort -un
}
# Remove a host's (or the whole lab's) cgroups, deepest first; only empty
# ones can go.
cgroup_remove() {
	local r
	for r in $(cgroup_roots); do
		[ -d "$r/$LAB_CGROUP${1:+/$1}" ] || continue
		find "$r/$LAB_CGROUP${1:+/$1}" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# The PID (in the machine's pid namespace) of PID 1 of a running host: the
# process of its network namespace that is 1 in its own pid namespace.
host_init_pid() {
	local p
	for p in $(ip netns pids "trowel-$1" 2>/dev/null); do
		awk -v p="$p" '/^NSpid:/ && $NF == 1 { print p; f=1 } END { exit !f }' "/proc/$p/status" 2>/dev/null && return 0
	done
	return 1
}

# systemd-nspawn keeps per-machine state under /run/systemd/nspawn, and
# refuses to clean it up (or to restart a rebooted container) unless that is
# a tmpfs, which it is not where /run is on disk (no systemd on the machine).
# The lab then mounts a tmpfs of its own there, recognisable by its source.
NSPAWN_RUN=/run/systemd/nspawn
NSPAWN_RUN_SOURCE=trowel-lab-nspawn

# One lab operation at a time (up/down/build share state and the cache).
# Child scripts started by a locked parent inherit the lock.
lab_lock() {
	[ -n "${TROWEL_LAB_LOCKED:-}" ] && return 0
	local f=/run/lock/trowel-lab.lock
	[ -d /run/lock ] || f=/tmp/trowel-lab.lock
	exec 9>"$f"
	if ! flock -n 9; then
		log "waiting for another lab operation to finish ($f) ..."
		flock -w 1800 9 || die "timed out waiting for $f"
	fi
	export TROWEL_LAB_LOCKED=1
}
