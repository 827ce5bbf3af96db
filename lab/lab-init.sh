#!/bin/sh
# /lab-init - PID 1 of a trowel lab host (installed by lab/build.sh).
#
# There is no systemd and no sysvinit in a lab host: this script plays init.
# It starts the services listed in /lab-services, in that order, through
# their SysV scripts (/etc/init.d/NAME start), exactly what rc would do on a
# CentOS 5/6 box, then waits forever, reaping orphans. On SIGTERM it stops
# them in reverse order. Its output is the host's init log
# ($TROWEL_LAB_STATE/hosts/NAME/init.log on the lab machine).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LANG=C
export PATH LANG
umask 022
cd /

say() { echo "lab-init[$(date '+%H:%M:%S')]: $*"; }

say "booting $(hostname) ($(. /etc/os-release && echo "$PRETTY_NAME"))"
mkdir -p /run/lock /run/sshd
chmod 1777 /run/lock
: >/run/utmp
chgrp utmp /run/utmp 2>/dev/null && chmod 664 /run/utmp
# Lab plumbing lives outside /etc, so a survey of /etc sees only what the host's
# role planted there. /lab-init.d/pre and post are a role's boot-time hooks.
[ -x /lab-init.d/pre ] && /lab-init.d/pre

services=$(sed -e 's/#.*//' /lab-services 2>/dev/null)
rev=
for s in $services; do
	rev="$s $rev"
	if [ ! -x "/etc/init.d/$s" ]; then
		say "WARNING: /etc/init.d/$s missing"
		continue
	fi
	say "starting $s"
	"/etc/init.d/$s" start </dev/null 2>&1 || say "WARNING: $s start failed (exit $?)"
done

[ -x /lab-init.d/post ] && /lab-init.d/post
say "ready"

shutdown() {
	say "stopping"
	for s in $rev; do "/etc/init.d/$s" stop </dev/null 2>&1; done
	say "halted"
	exit 0
}
trap shutdown TERM INT HUP

# `wait` in dash reaps any child (including orphans re-parented to PID 1).
while :; do
	sleep 3600 &
	wait
done
