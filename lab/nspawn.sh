#!/bin/bash
# lab/nspawn.sh NAME ROOT - boot a systemd lab host: Debian's systemd as PID 1
# of a systemd-nspawn container on ROOT, joined to the network namespace
# trowel-NAME that lab/up.sh made. Runs until the host powers off (or is
# killed by lab/down.sh); its output is the host's console, i.e. its init log.
#
# Reboots: with --keep-unit, systemd-nspawn does not restart a container that
# rebooted itself (`systemctl reboot` inside); it exits with 133 so that the
# service manager that runs it restarts it, as systemd-nspawn@.service does
# with RestartForceExitStatus=133. This script is that service manager: the
# host comes back on the same root, in the same network namespace.
#
# No systemd-machined and no scope unit (--register=no --keep-unit): the lab
# machine need not run systemd. Instead the script puts itself into the cgroup
# $LAB_CGROUP/NAME (lib.sh), under which nspawn makes the container's.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
name=$1 root=$2

for r in $(cgroup_roots); do
	mkdir -p "$r/$LAB_CGROUP/$name"
	echo $$ >"$r/$LAB_CGROUP/$name/cgroup.procs"
done

while :; do
	# A clean environment: nothing of the lab machine's (make, sudo, CI
	# variables) reaches nspawn, which gives PID 1 its own anyway.
	# /proc/sys/net belongs to the host's own network namespace: writable, as
	# with --private-network (which --network-namespace-path does not imply).
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SYSTEMD_NSPAWN_API_VFS_WRITABLE=network \
		systemd-nspawn --boot --register=no --keep-unit --settings=no \
		--directory="$root" --machine="trowel-$name" --hostname="$name" \
		--network-namespace-path="/run/netns/trowel-$name" \
		--capability="$LAB_NSPAWN_ADD_CAPS" --drop-capability="$LAB_NSPAWN_DROP_CAPS" \
		--resolv-conf=off --timezone=off --link-journal=no --console=read-only
	rc=$?
	[ "$rc" = 133 ] || exit "$rc"
	echo "lab/nspawn.sh: $name rebooted; starting it again"
done
