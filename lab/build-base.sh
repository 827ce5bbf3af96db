#!/bin/bash
# lab/build-base.sh SUITE PACKAGE-LIST ROOT - debootstrap a Debian base
# image into ROOT (which must not exist), then install the package list.
# Two kinds of lines in the list fetch without installing, for a role that
# must install something by hand (offline, at its build):
#   @download PKG...   the .debs, into /var/cache/lab-fetch/debs
#   @source PKG...     the source packages (apt-get source --download-only),
#                      into /var/cache/lab-fetch/src
# Called by build.sh, which caches ROOT under a hash of THIS file, the
# package list, the suite and the mirror: edit either and the base is
# rebuilt. Needs the Debian mirror ($TROWEL_LAB_MIRROR); nothing else.
#
# Speed: dpkg runs with force-unsafe-io (no fsync per file; a crashed build
# is thrown away anyway), recommends are not installed, apt lists and
# archives are removed at the end. Daemons are never started (policy-rc.d).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root
suite=$1 pkgfile=$2 root=$3
[ ! -e "$root" ] || die "$root exists"
pkgs=$(sed -e 's/#.*//' -e '/^@/d' "$pkgfile" | xargs)
downloads=$(sed -n -e 's/#.*//' -e 's/^@download//p' "$pkgfile" | xargs)
sources=$(sed -n -e 's/#.*//' -e 's/^@source//p' "$pkgfile" | xargs)
t0=$SECONDS

# Stage 1 (download + unpack) on the host, stage 2 (dpkg --configure of
# the base system) chrooted, so dpkg can be told to skip fsync first. Each
# runs in a private mount + pid namespace: nothing stays mounted or running.
unshare --mount --pid --fork --kill-child --mount-proc --propagation private \
	debootstrap --foreign --variant=minbase "$suite" "$root" "$LAB_MIRROR" ||
	{ tail -n 20 "$root/debootstrap/debootstrap.log" >&2 2>/dev/null; die "debootstrap (stage 1) of $suite failed"; }
mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/trowel-lab-build"
unshare --mount --pid --fork --kill-child --mount-proc --propagation private \
	chroot "$root" /debootstrap/debootstrap --second-stage ||
	{ tail -n 20 "$root/debootstrap/debootstrap.log" >&2 2>/dev/null; die "debootstrap (stage 2) of $suite failed"; }
log "  debootstrap $suite: $((SECONDS - t0))s"

cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
unshare --mount --pid --fork --kill-child --propagation private \
	bash "$LAB_DIR/chroot-env.sh" "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 /bin/sh -ec "
	apt-get -q update
	apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		install --no-install-recommends $pkgs
	if [ -n '$downloads' ]; then
		install -d -o _apt /var/cache/lab-fetch/debs
		cd /var/cache/lab-fetch/debs && apt-get -q download $downloads && cd /
	fi
	if [ -n '$sources' ]; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/lab-src.list
		apt-get -q update
		install -d -o _apt /var/cache/lab-fetch/src
		cd /var/cache/lab-fetch/src && apt-get -q source --download-only $sources && cd /
		rm /etc/apt/sources.list.d/lab-src.list
	fi
	apt-get clean
	rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
	" || die "installing packages into $suite failed"
log "  packages: $((SECONDS - t0))s"

# An image, not a machine: no host keys, no machine-id, no DNS, no logs.
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/dpkg/dpkg.cfg.d/trowel-lab-build"
rm -f "$root"/etc/ssh/ssh_host_*_key "$root"/etc/ssh/ssh_host_*_key.pub
: >"$root/etc/machine-id"
printf '# no DNS inside the trowel lab (see /etc/hosts)\n' >"$root/etc/resolv.conf"
rm -rf "$root"/var/log/*.log "$root"/var/log/apt/* "$root/debootstrap" "$root"/var/cache/apt/archives/*.deb
