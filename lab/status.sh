#!/bin/bash
# lab/status.sh - show the state of the trowel lab (make lab-status).
# Exit status 0 only if every host is running and answers on its SSH port.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$LAB_DIR/host.sh"

if [ ! -f "$LAB_STATE/lab.json" ]; then
	echo "trowel lab: not up (no $LAB_STATE/lab.json)"
	ip netns list 2>/dev/null | grep -q '^trowel-' && echo "  but trowel-* network namespaces exist: run make lab-down"
	exit 1
fi
echo "trowel lab: state $LAB_STATE (mode $(cat "$LAB_STATE/mode" 2>/dev/null)), cache $LAB_CACHE"
echo "  ssh -F $LAB_STATE/ssh_config <$(host_names | xargs | tr ' ' '|')|legacy-old|legacy-via-bastion>"
ok=0
printf '  %-10s %-12s %-9s %-8s %-10s %-7s %s\n' HOST ADDR DISTRO INIT STATE SSH PROCS
for h in $(host_names); do
	addr=$(host_field "$h" 2); hd="$LAB_STATE/hosts/$h"
	init=down; sshs=-; n=0
	if [ -f "$hd/pid" ] && kill -0 "$(cat "$hd/pid")" 2>/dev/null; then
		init=$(host_state "$h")
		n=$(ip netns pids "trowel-$h" 2>/dev/null | wc -l)
		b=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/22" && IFS= read -r l <&3 && echo "$l"' _ "$addr" 2>/dev/null || true)
		case "$b" in SSH-2.0-*) sshs=ok ;; *) sshs=FAIL; ok=1 ;; esac
	else
		ok=1
	fi
	printf '  %-10s %-12s %-9s %-8s %-10s %-7s %s\n' "$h" "$addr" "$(host_field "$h" 4)" "$(host_init "$h")" "$init" "$sshs" "$n"
done
if ip netns list 2>/dev/null | grep -q '^trowel-legacy'; then
	echo "  listening on legacy:"
	ip netns exec trowel-legacy ss -Hltn 2>/dev/null | awk '{printf "%s ", $4} END {print ""}' | sed 's/^/    /'
	echo "  legacy -> collector:"
	ip netns exec trowel-legacy ss -Htn state established dst 10.231.0.40 2>/dev/null | awk '{print "    " $3 " -> " $4}'
fi
exit $ok
