#!/bin/bash
# lab/build.sh [IMAGE...] - build (or reuse from cache) the lab's root file
# systems. IMAGE is one of: legacy new bastion collector replica webapp
# (default: all).
#
# Two cached stages, each keyed by a hash of what produces it, each built
# in a temporary directory and renamed into place only when complete (an
# interrupted build never leaves a half cache entry):
#
#   $LAB_CACHE/base/<base>-<key>    build-base.sh: debootstrap
#                                   --variant=minbase + the package list
#                                   (the slow part; needs the Debian mirror).
#                                   key = sha256(build-base.sh, package
#                                   list, suite, mirror)
#   $LAB_CACHE/layer/<role>-<key>   overlayfs upper dir holding what the
#                                   role's setup.sh changed on top of its
#                                   base (users, planted configs, ...);
#                                   offline, seconds. key = sha256(base key,
#                                   build.sh, chroot-env.sh, lab-init.sh,
#                                   roles/*.sh, roles/<role>/*)
#   $LAB_CACHE/image/<role>-<key>   same, as a full copy (only when overlayfs
#                                   is unusable here)
#
# Every chroot step runs in its own mount + pid namespace: its mounts vanish
# and its processes (e.g. a mariadbd started to seed a database) are killed
# when the step ends, whatever happens.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

declare -A ROLE_BASE=([legacy]=bullseye-legacy [new]=bookworm [bastion]=bookworm [collector]=bookworm [replica]=bookworm-replica [webapp]=bullseye-webapp)

base_suite() { echo "${1%%-*}"; }
base_pkgfile() { echo "$LAB_DIR/packages/$1.txt"; }

base_key() {
	{
		cat "$LAB_DIR/build-base.sh" "$(base_pkgfile "$1")"
		echo "suite=$(base_suite "$1") mirror=$LAB_MIRROR"
	} | sha256sum | cut -c1-16
}
role_key() {
	local role=$1 f
	{
		echo "base=${ROLE_BASE[$role]}-$(base_key "${ROLE_BASE[$role]}")"
		cat "$LAB_DIR/build.sh" "$LAB_DIR/chroot-env.sh" "$LAB_DIR/lab-init.sh"
		(cd "$LAB_DIR/roles" && for f in $(find "$role" ./*.sh -type f | LC_ALL=C sort); do echo "== $f"; cat "$f"; done)
	} | sha256sum | cut -c1-16
}
base_dir() { echo "$LAB_CACHE/base/$1-$(base_key "$1")"; }
role_dir() { # role_dir ROLE MODE
	if [ "$2" = overlay ]; then echo "$LAB_CACHE/layer/$1-$(role_key "$1")"
	else echo "$LAB_CACHE/image/$1-$(role_key "$1")"; fi
}

TMPS=() JOBS=()
# kill_tree PID: a process and everything below it, the children first.
kill_tree() {
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do kill_tree "$c"; done
	kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
	local t j
	for j in "${JOBS[@]}"; do kill_tree "$j"; done
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
		# NAME-<key> only: the base "bookworm" must not take "bookworm-replica-<key>"
		[[ "${d##*/}" =~ ^"$2"-[0-9a-f]{16}$ ]] || continue
		if awk -v d="$d" 'index($0, d) { f=1 } END { exit !f }' /proc/self/mountinfo; then continue; fi
		log "pruning old cache entry $d"
		rm -rf --one-file-system "$d"
		rm -f "$LAB_CACHE/logs/$(basename "$d").log"
	done
}

build_base() {
	local base=$1 dest tmp t0
	dest=$(base_dir "$base")
	[ -d "$dest" ] && return 0
	mkdir -p "$LAB_CACHE/base" "$LAB_CACHE/tmp" "$LAB_CACHE/logs"
	tmp=$(mktemp -d "$LAB_CACHE/tmp/base-$base.XXXXXX"); TMPS+=("$tmp")
	t0=$SECONDS
	log "base $base: building (debootstrap $(base_suite "$base") + $(base_pkgfile "$base" | sed "s|$REPO_DIR/||")), log: $LAB_CACHE/logs/$(basename "$dest").log"
	if ! bash "$LAB_DIR/build-base.sh" "$(base_suite "$base")" "$(base_pkgfile "$base")" "$tmp/root" >"$tmp/build.log" 2>&1; then
		cp "$tmp/build.log" "$LAB_CACHE/logs/$(basename "$dest").log"
		tail -n 40 "$tmp/build.log" >&2
		die "building base $base failed"
	fi
	cp "$tmp/build.log" "$LAB_CACHE/logs/$(basename "$dest").log"
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
	# entries of the other mode (overlay layer vs. full image) are dead weight
	if [ "$mode" = overlay ]; then prune "$LAB_CACHE/image" "$role" ""; else prune "$LAB_CACHE/layer" "$role" ""; fi
	[ -d "$dest" ] && return 0
	mkdir -p "$(dirname "$dest")" "$LAB_CACHE/tmp" "$LAB_CACHE/logs"
	tmp=$(mktemp -d "$LAB_CACHE/tmp/role-$role.XXXXXX"); TMPS+=("$tmp")
	t0=$SECONDS
	log "image $role: applying roles/$role on $base ($mode)"
	mkdir -p "$tmp/stage"
	cp -a "$LAB_DIR/roles/$role/." "$tmp/stage/"
	# the shared scripts: common.sh for every role, redmine.sh for legacy and replica
	cp "$LAB_DIR"/roles/*.sh "$tmp/stage/"
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
			/bin/bash -ec 'cd /tmp/lab-role; . ./common.sh; . ./setup.sh; lab_finish'
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
	cp "$tmp/setup.log" "$LAB_CACHE/logs/$(basename "$dest").log"
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
	imgs=("$@"); [ ${#imgs[@]} -gt 0 ] || imgs=("${!ROLE_BASE[@]}")
	# Bases first, all at once: the slow part, which waits on the mirror as
	# much as on this machine. Then the roles.
	local bases b j failed=0
	for i in "${imgs[@]}"; do : "${ROLE_BASE[$i]:?unknown image $i}"; done
	bases=$(for i in "${imgs[@]}"; do echo "${ROLE_BASE[$i]}"; done | sort -u)
	for b in $bases; do
		# a job of its own: its own temporary dir, cleaned up if it fails
		(TMPS=() JOBS=(); trap cleanup EXIT; build_base "$b") &
		JOBS+=($!)
	done
	for j in "${JOBS[@]}"; do wait "$j" || failed=1; done
	JOBS=()
	[ $failed = 0 ] || die "building the base images failed (log above)"
	for i in "${imgs[@]}"; do build_role "$i" "$mode"; done
	log "images ready ($mode): ${imgs[*]}"
}

# `build.sh --print-dirs MODE ROLE` is used by up.sh to locate the layers.
if [ "${1:-}" = --print-dirs ]; then
	echo "$(base_dir "${ROLE_BASE[$3]}") $(role_dir "$3" "$2")"
	exit 0
fi
main "$@"
