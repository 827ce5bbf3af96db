#!/bin/bash
# lab/reboot.sh HOST - reboot one lab host and wait until it is back: booted,
# its sshd answering and every port of the host table listening
# (make lab-reboot HOST=NAME).
#
#   systemd host  `systemctl reboot` inside it: systemd stops every unit and
#                 reboot(2) ends the container, lab/nspawn.sh starts it again
#                 on the same root. What the host wrote to its disk survives,
#                 /run and /tmp do not; units enabled for boot come back.
#   SysV host     /lab-init gets SIGTERM, stops its services through their
#                 init scripts and exits (a shutdown), and the host is started
#                 again on the same root (a boot: /lab-init.d/pre, the
#                 services, /lab-init.d/post).
#
# The host's identity (keys, addresses, lab.json) does not change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$LAB_DIR/host.sh"
need_root
[ $# = 1 ] || die "usage: $0 HOST"
h=$1
host_field "$h" 0 >/dev/null || die "unknown host '$h' (hosts: $(host_names | xargs))"
lab_lock
[ -f "$LAB_STATE/lab.json" ] && [ -d "$LAB_STATE/hosts/$h" ] || die "host $h is not up"

t0=$SECONDS
before=$(boot_id "$h") || die "host $h is not running"
init=$(host_init_pid "$h")
case "$(host_init "$h")" in
systemd)
	nsenter -t "$init" -m -p systemctl reboot || die "systemctl reboot on $h failed"
	# until the old boot is gone and a new one has begun
	deadline=$((SECONDS + 120))
	while now=$(boot_id "$h" 2>/dev/null); [ -z "$now" ] || [ "$now" = "$before" ]; do
		[ $SECONDS -lt $deadline ] || { show_init_log "$h"; die "host $h did not reboot within 120s"; }
		kill -0 "$(cat "$LAB_STATE/hosts/$h/pid")" 2>/dev/null || { show_init_log "$h"; die "host $h powered off instead of rebooting"; }
		sleep 0.3
	done
	;;
sysv)
	kill -TERM "$init"
	for _ in $(seq 300); do [ -d "/proc/$init" ] || break; sleep 0.1; done
	[ -d "/proc/$init" ] && log "host $h: /lab-init did not stop within 30s, killing it"
	kill_host "$h" || die "cannot stop host $h"
	start_host "$h"
	;;
esac
wait_host "$h"
log "host $h: rebooted in $((SECONDS - t0))s ($(host_state "$h"))"
