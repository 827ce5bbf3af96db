#!/bin/bash
# lab/deps.sh - install what the lab needs on the lab machine (Debian 12,
# root), from the machine's configured Debian mirror only. Idempotent and
# quick when everything is there: apt runs only if something is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root

# command -> Debian package
declare -A NEED=(
	[debootstrap]=debootstrap
	[ip]=iproute2
	[bridge]=iproute2
	[ssh]=openssh-client
	[ssh-keygen]=openssh-client
	[unshare]=util-linux
	[setpriv]=util-linux
	[flock]=util-linux
	[nsenter]=util-linux
	[systemd-nspawn]=systemd-container
	[ansible-playbook]=ansible
	[ansible-lint]=ansible-lint
	[chromium]=chromium
	[xmllint]=libxml2-utils
	[ps]=procps
	[sha256sum]=coreutils
	[busybox]=busybox-static
	[posh]=posh
	[yash]=yash
	# the probe reads files through each awk a target may have (CentOS: gawk)
	[gawk]=gawk
)
missing=()
for c in "${!NEED[@]}"; do
	command -v "$c" >/dev/null 2>&1 || missing+=("${NEED[$c]}")
done
# the probe's chroot test needs busybox static (busybox-static replaces busybox)
ldd /bin/busybox >/dev/null 2>&1 && missing+=(busybox-static)
# the apt proxy and ansible's controller side use the system python
[ -x /usr/bin/python3 ] || missing+=(python3)
# the store's tests run a private PostgreSQL (internal/store/pgtest)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# debootstrap verifies bullseye/bookworm/trixie Release files with this
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
# the browser test's screenshots show Japanese reports: without a CJK font they
# would show empty boxes
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
# community.general.listen_ports_facts etc. ship in Debian's "ansible"
[ -f /usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/listen_ports_facts.py ] ||
	missing+=(ansible)

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
t0=$SECONDS
out=$(mktemp)
if ! { apt-get -q update && apt-get -q -y install --no-install-recommends "${missing[@]}" debian-archive-keyring; } >"$out" 2>&1; then
	tail -n 30 "$out" >&2; rm -f "$out"
	die "installing ${missing[*]} failed"
fi
rm -f "$out"
log "installed ${missing[*]} in $((SECONDS - t0))s"
