#!/bin/bash
# lab/chroot-env.sh [--drop-caps CAPS] [--hostname NAME] ROOT CMD [ARGS...]
#
# Must run as PID 1 of a fresh pid + mount namespace (see up.sh / build.sh:
# `unshare --mount --pid --fork --kill-child --propagation private`). Sets
# up the kernel file systems a Debian root needs, then chroots into ROOT and
# execs CMD there (which then is PID 1 of the namespace). Everything mounted
# here lives only in this private mount namespace, and every process started
# here dies with the pid namespace, so nothing can leak onto the machine.
#
#   /proc      own pid namespace; /proc/sys (but for the host's own network and
#              IPC parameters) and /proc/sysrq-trigger read-only
#   /sys       read-only sysfs (shows the host's own network namespace)
#   /dev       tmpfs with null zero full random urandom tty, devpts, shm
#   /run       fresh tmpfs (as on every boot)
set -euo pipefail

drop= name=
while [ $# -gt 0 ]; do
	case "$1" in
	--drop-caps) drop=$2; shift 2 ;;
	--hostname) name=$2; shift 2 ;;
	*) break ;;
	esac
done
root=$1; shift
[ $# -gt 0 ] || { echo "usage: $0 [--drop-caps CAPS] [--hostname NAME] ROOT CMD..." >&2; exit 2; }
[ "$$" = 1 ] || { echo "chroot-env.sh: must be PID 1 of a new pid namespace" >&2; exit 2; }
[ -x "$root/bin/sh" ] || { echo "chroot-env.sh: $root is not a root file system" >&2; exit 2; }

mount --make-rprivate /

mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount --bind "$root/proc/sys" "$root/proc/sys"
mount -o remount,bind,ro,nosuid,nodev,noexec "$root/proc/sys"
# Except the parameters the host's own namespaces own: its network stack and its
# System V IPC limits. A host may tune those (procps at boot, Ansible's sysctl
# module) without reaching the lab machine's.
for p in net kernel/shmmax kernel/shmall kernel/shmmni kernel/msgmax kernel/msgmnb kernel/msgmni kernel/sem; do
	if [ -e "$root/proc/sys/$p" ]; then
		mount --bind "$root/proc/sys/$p" "$root/proc/sys/$p"
		mount -o remount,bind,rw,nosuid,nodev,noexec "$root/proc/sys/$p"
	fi
done
if [ -e "$root/proc/sysrq-trigger" ]; then
	mount --bind "$root/proc/sysrq-trigger" "$root/proc/sysrq-trigger"
	mount -o remount,bind,ro "$root/proc/sysrq-trigger"
fi

mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"

mount -t tmpfs -o nosuid,noexec,mode=755,size=65536k tmpfs "$root/dev"
while read -r n ma mi; do
	mknod -m 666 "$root/dev/$n" c "$ma" "$mi"
done <<'DEVS'
null 1 3
zero 1 5
full 1 7
random 1 8
urandom 1 9
tty 5 0
DEVS
mkdir -m 755 "$root/dev/pts"
mount -t devpts -o newinstance,nosuid,noexec,gid=5,mode=620,ptmxmode=0666 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mkdir -m 1777 "$root/dev/shm"
mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"

mount -t tmpfs -o nosuid,nodev,mode=755 tmpfs "$root/run"
mkdir -m 1777 "$root/run/lock"

# The UTS namespace is ours; set the name before capabilities are dropped.
if [ -n "$name" ]; then
	hostname "$name"
	domainname "(none)" 2>/dev/null || true
fi

# A clean environment, like the one init gets from the kernel: nothing of
# the lab machine's (make, sudo, CI variables) leaks into the host.
cd "$root"
if [ -n "$drop" ]; then
	exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ TERM=linux \
		setpriv --bounding-set "$drop" -- chroot "$root" "$@"
fi
exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ TERM=linux chroot "$root" "$@"
