# shellcheck shell=bash
# lab/host.sh - starting, stopping and waiting for one lab host. Sourced
# (after lib.sh) by up.sh and reboot.sh. A host's state lives in
# $LAB_STATE/hosts/NAME: root (the merged root), pid (its supervisor: the
# setsid'd unshare of a SysV host, lab/nspawn.sh of a systemd one), init.log.

host_init() { host_field "$1" 6; }

# kill_host NAME: every process of the host, at once, and wait until they are
# gone. Killing PID 1 of its pid namespace takes all of that namespace with it.
kill_host() {
	local h=$1 hd="$LAB_STATE/hosts/$1" p
	p="$(ip netns pids "trowel-$h" 2>/dev/null || true) $(cgroup_pids "$h")"
	[ -f "$hd/pid" ] && p="$p $(cat "$hd/pid")"
	kill_wait KILL $p || return 1
	cgroup_remove "$h"
	rm -rf "${NSPAWN_RUN:?}/propagate/trowel-$h"
}

stop_host() { # stop and forget one host (for `up.sh HOST` re-creation)
	local h=$1 hd="$LAB_STATE/hosts/$1"
	kill_host "$h" || die "cannot kill the processes of $h"
	umount_below "$hd"
	ip netns del "trowel-$h" 2>/dev/null || true
	ip link del "trowel-$(host_field "$h" 1)" 2>/dev/null || true
	rm -rf --one-file-system "$hd"
}

# nspawn_run_dir: make sure systemd-nspawn's state dir is a tmpfs (lib.sh).
nspawn_run_dir() {
	mkdir -p "$NSPAWN_RUN"
	[ "$(stat -f -c %T "$NSPAWN_RUN")" = tmpfs ] && return 0
	mount -t tmpfs -o mode=755,size=4m "$NSPAWN_RUN_SOURCE" "$NSPAWN_RUN"
}

start_host() {
	local h=$1 hd="$LAB_STATE/hosts/$1"
	# fd 9 (the lab lock) must not leak into the lab.
	case "$(host_init "$h")" in
	systemd)
		nspawn_run_dir
		setsid bash "$LAB_DIR/nspawn.sh" "$h" "$hd/root" >>"$hd/init.log" 2>&1 </dev/null 9>&- &
		;;
	sysv)
		# where this boot's part of the init log starts (host_state)
		if [ -f "$hd/init.log" ]; then wc -l <"$hd/init.log"; else echo 0; fi >"$hd/log-mark"
		# PID 1 of the host = /lab-init, in its own net/mount/pid/uts/ipc
		# namespaces, chrooted into the merged root, with dangerous
		# capabilities dropped.
		setsid ip netns exec "trowel-$h" \
			unshare --mount --uts --ipc --pid --fork --kill-child --propagation private \
			bash "$LAB_DIR/chroot-env.sh" --drop-caps "$LAB_DROP_CAPS" --hostname "$h" "$hd/root" /lab-init \
			>>"$hd/init.log" 2>&1 </dev/null 9>&- &
		;;
	*) die "host $h: unknown init '$(host_init "$h")'" ;;
	esac
	echo $! >"$hd/pid"
	disown
}

# host_state NAME: how far the host has booted. A systemd host: what
# `systemctl is-system-running` says inside it. A SysV host: "running" once
# /lab-init has said ready since its last start, else "starting".
host_state() {
	local h=$1 init
	case "$(host_init "$h")" in
	systemd)
		init=$(host_init_pid "$h") || { echo down; return; }
		nsenter -t "$init" -m -p systemctl is-system-running 2>/dev/null || true
		;;
	sysv)
		if tail -n "+$(($(cat "$LAB_STATE/hosts/$h/log-mark" 2>/dev/null || echo 0) + 1))" "$LAB_STATE/hosts/$h/init.log" 2>/dev/null |
			grep -q '^lab-init.*: ready'; then
			echo running
		else
			echo starting
		fi
		;;
	esac
}

# host_failed_units NAME: systemd's failed units on a systemd host.
host_failed_units() {
	local init
	init=$(host_init_pid "$1") || return 0
	nsenter -t "$init" -m -p systemctl --failed --no-legend --plain 2>/dev/null | awk '{print $1}' | xargs
}

# boot_id NAME: the host's boot id (systemd-nspawn gives each boot of a
# container its own), or the start time of its PID 1 for a SysV host.
boot_id() {
	local init
	init=$(host_init_pid "$1") || return 1
	case "$(host_init "$1")" in
	systemd) nsenter -t "$init" -m cat /proc/sys/kernel/random/boot_id ;;
	sysv) awk '{print $22}' "/proc/$init/stat" ;;
	esac
}

# tcp_banner ADDR PORT: prints the SSH banner if something answers
tcp_banner() {
	timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" && IFS= read -r l <&3 && echo "$l"' _ "$1" "$2" 2>/dev/null || true
}

tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

show_init_log() { # the end of a host's init log, for a failure
	local hd="$LAB_STATE/hosts/$1"
	log "init log of $1 ($hd/init.log), last 60 lines:"
	tail -n 60 "$hd/init.log" | sed 's/^/    /' >&2
}

# wait_host NAME: until the host has booted (systemd: running or degraded;
# SysV: /lab-init said ready), sshd answers and every port of the host table
# listens. A degraded systemd host is reported with its failed units.
wait_host() {
	local h=$1 hd="$LAB_STATE/hosts/$1" addr deadline b p missing state
	addr=$(host_field "$h" 2)
	deadline=$((SECONDS + ${TROWEL_LAB_BOOT_TIMEOUT:-120}))
	while :; do
		if ! kill -0 "$(cat "$hd/pid")" 2>/dev/null; then
			show_init_log "$h"
			die "host $h died while booting"
		fi
		missing=
		state=$(host_state "$h")
		case "$state" in
		running | degraded)
			b=$(tcp_banner "$addr" 22)
			case "$b" in SSH-2.0-*) ;; *) missing="22 (no SSH banner)" ;; esac
			for p in $(host_field "$h" 5); do
				[ "$p" = 22 ] || tcp_open "$addr" "$p" || missing+=" $p"
			done
			if [ -z "$missing" ]; then
				[ "$state" = running ] || log "warning: host $h is $state; failed units: $(host_failed_units "$h")"
				return 0
			fi
			;;
		*) missing="(system ${state:-not answering})" ;;
		esac
		if [ $SECONDS -ge $deadline ]; then
			log "host $h: not up after ${TROWEL_LAB_BOOT_TIMEOUT:-120}s, not ready: $missing"
			[ "$(host_init "$h")" = systemd ] && log "failed units on $h: $(host_failed_units "$h")"
			show_init_log "$h"
			die "host $h did not come up"
		fi
		sleep 0.3
	done
}
