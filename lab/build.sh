#!/bin/bash
# lab/build.sh [IMAGE...] - build (or reuse from cache) the lab's root file
# systems. IMAGE is one of: legacy new bastion collector (default: all).
#
# Two cached stages, each keyed by a hash of what produces it, each built
# in a temporary directory and renamed into place only when complete (an
# interrupted build never leaves a half cache entry):
#
#   $LAB_CACHE/base/<base>-<key>    debootstrap --variant=minbase + the
#                                   package list (needs the Debian mirror).
#                                   key = sha256(build.sh, package list,
#                                   suite, mirror)
#   $LAB_CACHE/layer/<role>-<key>   overlayfs upper dir holding what the
#                                   role's setup.sh changed on top of its
#                                   base (users, planted configs, ...);
#                                   offline. key = sha256(base key,
#                                   lab-init.sh, roles/<role>/*)
#   $LAB_CACHE/image/<role>-<key>   same, as a full copy (only when overlayfs
#                                   is unusable here)
#
# Every chroot step runs in its own mount + pid namespace: its mounts vanish
# and its processes (e.g. a mariadbd started to seed a database) are killed
# when the step ends, whatever happens.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

declare -A ROLE_BASE=([legacy]=bullseye-legacy [new]=bookworm [bastion]=bookworm [collector]=bookworm)

base_suite() { echo "${1%%-*}"; }
base_pkgfile() { echo "$LAB_DIR/packages/$1.txt"; }
base_pkgs() { sed -e 's/#.*//' "$(base_pkgfile "$1")" | xargs; }

base_key() {
	{
		cat "$LAB_DIR/build.sh" "$(base_pkgfile "$1")"
		echo "suite=$(base_suite "$1") mirror=$LAB_MIRROR"
	} | sha256sum | cut -c1-16
}
role_key() {
	local role=$1 f
	{
		echo "base=${ROLE_BASE[$role]}-$(base_key "${ROLE_BASE[$role]}")"
		cat "$LAB_DIR/lab-init.sh"
		(cd "$LAB_DIR/roles" && for f in $(find "$role" common.sh -type f | LC_ALL=C sort); do echo "== $f"; cat "$f"; done)
	} | sha256sum | cut -c1-16
}
base_dir() { echo "$LAB_CACHE/base/$1-$(base_key "$1")"; }
role_dir() { # role_dir ROLE MODE
	if [ "$2" = overlay ]; then echo "$LAB_CACHE/layer/$1-$(role_key "$1")"
	else echo "$LAB_CACHE/image/$1-$(role_key "$1")"; fi
}

# Run a command chrooted in ROOT inside fresh mount+pid namespaces.
in_chroot() { # in_chroot ROOT CMD...
	unshare --mount --pid --fork --kill-child --propagation private \
		bash "$LAB_DIR/chroot-env.sh" "$@"
}

TMPS=()
cleanup() {
	local t
	for t in "${TMPS[@]}"; do
		[ -e "$t" ] || continue
		umount_below "$t"
		kill_wait KILL $(pids_rooted_below "$t") || true
		rm -rf --one-file-system "$t"
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Remove leftovers of interrupted builds and superseded cache entries.
prune() { # prune DIR NAME KEEP
	local d
	for d in "$1/$2"-*; do
		[ -e "$d" ] && [ "$d" != "$3" ] || continue
		if awk -v d="$d" 'index($0, d) { f=1 } END { exit !f }' /proc/self/mountinfo; then continue; fi
		log "pruning old cache entry $d"
		rm -rf --one-file-system "$d"
	done
}

build_base() {
	local base=$1 dest tmp suite t0
	dest=$(base_dir "$base")
	if [ -d "$dest" ]; then log "base $base: cached ($dest)"; return 0; fi
	suite=$(base_suite "$base")
	mkdir -p "$LAB_CACHE/base" "$LAB_CACHE/tmp"
	tmp=$(mktemp -d "$LAB_CACHE/tmp/base-$base.XXXXXX"); TMPS+=("$tmp")
	t0=$SECONDS
	log "base $base: debootstrap $suite (minbase) from $LAB_MIRROR ..."
	# debootstrap mounts /proc etc. in the target itself: give it a private
	# mount + pid namespace so nothing stays mounted or running on failure.
	if ! unshare --mount --pid --fork --kill-child --mount-proc --propagation private \
		debootstrap --variant=minbase "$suite" "$tmp/root" "$LAB_MIRROR" >"$tmp/debootstrap.log" 2>&1; then
		tail -n 30 "$tmp/debootstrap.log" >&2
		[ -f "$tmp/root/debootstrap/debootstrap.log" ] && tail -n 30 "$tmp/root/debootstrap/debootstrap.log" >&2
		die "debootstrap $suite failed"
	fi
	log "base $base: debootstrap done in $((SECONDS - t0))s; installing: $(base_pkgs "$base")"
	cp /etc/resolv.conf "$tmp/root/etc/resolv.conf"
	# Never start daemons while installing (no invoke-rc.d starts).
	printf '#!/bin/sh\nexit 101\n' >"$tmp/root/usr/sbin/policy-rc.d"
	chmod 755 "$tmp/root/usr/sbin/policy-rc.d"
	in_chroot "$tmp/root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 /bin/sh -ec "
		apt-get -q update
		apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
			install --no-install-recommends $(base_pkgs "$base")
		apt-get clean
		rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
		rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
		: >/etc/machine-id
		" >"$tmp/install.log" 2>&1 || { tail -n 40 "$tmp/install.log" >&2; die "package install in $base failed"; }
	rm -f "$tmp/root/usr/sbin/policy-rc.d"
	printf '# no DNS inside the trowel lab (see /etc/hosts)\n' >"$tmp/root/etc/resolv.conf"
	rm -rf "$tmp/root/var/log/"*.log "$tmp/root/var/log/apt/"* "$tmp/root/debootstrap" 2>/dev/null || true
	cp "$tmp/install.log" "$tmp/root/var/log/trowel-lab-install.log"
	mv "$tmp/root" "$dest"
	log "base $base: built in $((SECONDS - t0))s, $(du -sh "$dest" | cut -f1) -> $dest"
	prune "$LAB_CACHE/base" "$base" "$dest"
}

build_role() {
	local role=$1 mode=$2 base dest tmp t0 lower
	base=${ROLE_BASE[$role]:?unknown image $role}
	build_base "$base"
	lower=$(base_dir "$base")
	dest=$(role_dir "$role" "$mode")
	if [ -d "$dest" ]; then log "image $role: cached ($dest)"; return 0; fi
	mkdir -p "$(dirname "$dest")" "$LAB_CACHE/tmp"
	tmp=$(mktemp -d "$LAB_CACHE/tmp/role-$role.XXXXXX"); TMPS+=("$tmp")
	t0=$SECONDS
	log "image $role: applying roles/$role on $base ($mode)"
	mkdir -p "$tmp/stage"
	cp -a "$LAB_DIR/roles/$role/." "$tmp/stage/"
	cp "$LAB_DIR/roles/common.sh" "$tmp/stage/common.sh"
	cp "$LAB_DIR/lab-init.sh" "$tmp/stage/lab-init"
	local script="
		set -e
		if [ '$mode' = overlay ]; then
			mkdir -p '$tmp/upper' '$tmp/work' '$tmp/root'
			mount -t overlay overlay -o 'lowerdir=$lower,upperdir=$tmp/upper,workdir=$tmp/work,redirect_dir=off,index=off' '$tmp/root'
		else
			cp -a '$lower' '$tmp/root'
		fi
		mkdir -p '$tmp/root/tmp/lab-role'
		mount --bind '$tmp/stage' '$tmp/root/tmp/lab-role'
		printf '#!/bin/sh\nexit 101\n' >'$tmp/root/usr/sbin/policy-rc.d'
		chmod 755 '$tmp/root/usr/sbin/policy-rc.d'
		unshare --pid --fork --kill-child bash '$LAB_DIR/chroot-env.sh' '$tmp/root' \
			/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			/bin/bash -ec 'cd /tmp/lab-role && . ./common.sh && . ./setup.sh'
		rm -f '$tmp/root/usr/sbin/policy-rc.d'
		umount '$tmp/root/tmp/lab-role'
		rmdir '$tmp/root/tmp/lab-role'
	"
	unshare --mount --propagation private bash -c "$script" >"$tmp/setup.log" 2>&1 || {
		tail -n 40 "$tmp/setup.log" >&2; die "roles/$role/setup.sh failed (log above)"; }
	if [ "$mode" = overlay ]; then
		mv "$tmp/upper" "$dest"
	else
		mv "$tmp/root" "$dest"
	fi
	cp "$tmp/setup.log" "$LAB_CACHE/$(basename "$dest").setup.log"
	log "image $role: built in $((SECONDS - t0))s -> $dest"
	prune "$(dirname "$dest")" "$role" "$dest"
}

main() {
	local mode imgs i
	mkdir -p "$LAB_CACHE"
	# Leftovers of a killed build.
	if [ -d "$LAB_CACHE/tmp" ]; then
		umount_below "$LAB_CACHE/tmp"
		kill_wait KILL $(pids_rooted_below "$LAB_CACHE/tmp") || true
		rm -rf --one-file-system "$LAB_CACHE/tmp"
	fi
	mode=${LAB_MODE:-$(overlay_mode "$LAB_CACHE")}
	imgs=("$@"); [ ${#imgs[@]} -gt 0 ] || imgs=(legacy new bastion collector)
	# Bases first (the slow, networked part), then the roles.
	for i in "${imgs[@]}"; do build_base "${ROLE_BASE[$i]:?unknown image $i}"; done
	for i in "${imgs[@]}"; do build_role "$i" "$mode"; done
}

# `build.sh --print-dirs MODE ROLE` is used by up.sh to locate the layers.
if [ "${1:-}" = --print-dirs ]; then
	echo "$(base_dir "${ROLE_BASE[$3]}") $(role_dir "$3" "$2")"
	exit 0
fi
main "$@"
