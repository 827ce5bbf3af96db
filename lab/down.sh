#!/bin/bash
# lab/down.sh [--quiet] - stop and remove the whole trowel lab (make lab-down).
# Idempotent: safe when nothing (or only part of the lab) is up. Kills every
# process in the lab namespaces and cgroups, unmounts everything under the
# state dir, deletes the trowel-* network namespaces, links and cgroups and
# systemd-nspawn's state of the lab's machines, removes the state dir.
# The image cache ($LAB_CACHE) is kept. Exit status 1 if anything is left.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root
lab_lock
quiet=; [ "${1:-}" = --quiet ] && quiet=1
say() { [ -n "$quiet" ] || log "$@"; }

# 1. processes: everything in a trowel-* netns or the lab's cgroups (a
#    systemd host's lab/nspawn.sh, systemd-nspawn and all of the container,
#    also what runs in a network namespace of its own), the recorded
#    namespace holders, anything chrooted below the state dir or an
#    unfinished build.
nss=$(ip netns list 2>/dev/null | awk '$1 ~ /^trowel-/ {print $1}')
pids=()
for ns in $nss; do pids+=($(ip netns pids "$ns" 2>/dev/null)); done
pids+=($(cgroup_pids))
for f in "$LAB_STATE"/hosts/*/pid; do [ -f "$f" ] && pids+=($(cat "$f")); done
pids+=($(pids_rooted_below "$LAB_STATE") $(pids_rooted_below "$LAB_CACHE/tmp"))
if [ -f "$LAB_STATE/aptproxy.pid" ]; then
	p=$(cat "$LAB_STATE/aptproxy.pid")
	grep -qs aptproxy.py "/proc/$p/cmdline" && pids+=("$p")
fi
# never ourselves
mapfile -t pids < <(printf '%s\n' "${pids[@]}" | grep -E '^[0-9]+$' | grep -vx "$$" | sort -un)
if [ ${#pids[@]} -gt 0 ]; then
	say "killing ${#pids[@]} lab processes"
	kill_wait KILL "${pids[@]}" || log "warning: some lab processes did not die: ${pids[*]}"
fi

# 2. mounts (host mount namespace; the hosts' private ones died with them),
#    cgroups, and what systemd-nspawn keeps per machine (the tmpfs the lab
#    mounted for it, lib.sh NSPAWN_RUN, goes once no machine is left).
umount_below "$LAB_STATE"
umount_below "$LAB_CACHE/tmp"
cgroup_remove
rm -rf "$NSPAWN_RUN"/propagate/trowel-* 2>/dev/null
if awk -v d="$NSPAWN_RUN" -v s="$NSPAWN_RUN_SOURCE" '$2 == d && $1 == s { f=1 } END { exit !f }' /proc/mounts &&
	[ -z "$(ls -A "$NSPAWN_RUN/propagate" 2>/dev/null)" ]; then
	umount "$NSPAWN_RUN" || log "warning: cannot unmount $NSPAWN_RUN"
fi

# 3. network
for ns in $nss; do
	ip netns del "$ns" 2>/dev/null || log "warning: cannot delete netns $ns"
done
for l in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^trowel-'); do
	ip link del "$l" 2>/dev/null || true
done
if command -v iptables >/dev/null 2>&1; then
	while iptables -D FORWARD -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -m comment --comment trowel-lab -j ACCEPT 2>/dev/null; do :; done
fi

# 4. state
if [ -d "$LAB_STATE" ]; then
	if [ -n "$(mounts_below "$LAB_STATE")" ]; then
		log "warning: mounts remain under $LAB_STATE, not removing it"
	else
		rm -rf --one-file-system "$LAB_STATE"
	fi
fi

# 5. verify
left=
[ -n "$(ip netns list 2>/dev/null | awk '$1 ~ /^trowel-/')" ] && left+=" netns"
ip -o link show 2>/dev/null | grep -q ': trowel-' && left+=" links"
[ -n "$(mounts_below "$LAB_STATE")$(mounts_below "$LAB_CACHE")" ] && left+=" mounts"
[ -n "$(cgroup_pids)" ] && left+=" processes"
for r in $(cgroup_roots); do [ -d "$r/$LAB_CGROUP" ] && left+=" cgroup:$r/$LAB_CGROUP"; done
[ -n "$(ls -d "$NSPAWN_RUN"/propagate/trowel-* 2>/dev/null)" ] && left+=" nspawn-state"
[ -e "$LAB_STATE" ] && left+=" state-dir"
if [ -n "$left" ]; then
	log "lab-down: left over:$left"
	exit 1
fi
say "lab is down"
