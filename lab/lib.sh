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
# before the host counts as up. The collector is started (and waited for)
# first, so the legacy host's outbound connections find their peer.
LAB_HOSTS=(
	"collector|col|10.231.0.40|collector|bookworm|22 25 514 24224"
	"bastion|bas|10.231.0.30|bastion|bookworm|22"
	"new|new|10.231.0.20|new|bookworm|22"
	"replica|rep|10.231.0.21|replica|bookworm|22 2222 80 443 3306 25"
	"legacy|leg|10.231.0.10|legacy|bullseye|22 2222 80 443 3306 25"
)

# Capabilities removed from everything running inside a lab host. The hosts
# share the machine's kernel; this keeps a lab service (or a test's Ansible
# run) from loading modules, setting the clock, mounting, reading the host's
# kernel log, ... /proc/sys and /sys are also read-only inside the hosts.
LAB_DROP_CAPS=-sys_module,-sys_rawio,-sys_time,-sys_boot,-sys_admin,-mknod,-mac_admin,-mac_override,-syslog,-wake_alarm,-block_suspend,-audit_control,-sys_pacct

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (namespaces, mounts, debootstrap)"; }

host_field() { # host_field <name> <index 0..5>
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
	"bastion|root||nopasswd"
	"bastion|jump||none"
	"collector|root||nopasswd"
)

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
