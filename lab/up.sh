#!/bin/bash
# lab/up.sh [HOST...] - start the trowel lab (make lab-up).
#
#   up.sh            tear down whatever is running, build/reuse the cached
#                    images, start every host, wait until each has booted
#                    (systemd: is-system-running; SysV: /lab-init ready) and
#                    answers SSH on every port it must listen on
#   up.sh new ...    re-create only the named host(s) with a fresh upper dir
#                    (the rest of the lab keeps running)
#
# On failure the host's init log is shown and everything is torn down again
# (set TROWEL_LAB_KEEP_ON_FAILURE=1 to leave it up for debugging).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$LAB_DIR/host.sh"
need_root
lab_lock

T0=$SECONDS
ONLY=("$@")
for h in "${ONLY[@]}"; do host_field "$h" 0 >/dev/null || die "unknown host '$h' (hosts: $(host_names | xargs))"; done

bash "$LAB_DIR/deps.sh"

if [ ${#ONLY[@]} -eq 0 ]; then
	bash "$LAB_DIR/down.sh" --quiet
	HOSTS=($(host_names))
else
	[ -f "$LAB_STATE/lab.json" ] || die "the lab is not up: run 'make lab-up' first"
	HOSTS=("${ONLY[@]}")
fi

failed=1
on_exit() {
	if [ "$failed" = 1 ]; then
		if [ -n "${TROWEL_LAB_KEEP_ON_FAILURE:-}" ]; then
			log "lab-up FAILED; left running for debugging (TROWEL_LAB_KEEP_ON_FAILURE). Clean with: make lab-down"
		else
			log "lab-up FAILED; tearing the lab down again"
			bash "$LAB_DIR/down.sh" --quiet || true
		fi
	fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- images -----------------------------------------------------------------
mkdir -p "$LAB_STATE" "$LAB_CACHE"
chmod 700 "$LAB_STATE"
# overlay needs to work for the hosts' upper dirs (state) and the layer
# builds (cache); a partial re-creation keeps the running lab's mode.
if [ ${#ONLY[@]} -gt 0 ] && [ -f "$LAB_STATE/mode" ]; then
	MODE=$(cat "$LAB_STATE/mode")
elif [ "$(overlay_mode "$LAB_STATE")" = overlay ] && [ "$(overlay_mode "$LAB_CACHE")" = overlay ]; then
	MODE=overlay
else
	MODE=copy
	log "overlayfs unusable here (or TROWEL_LAB_NO_OVERLAY set): hosts get full copies of their images"
fi
echo "$MODE" >"$LAB_STATE/mode"
imgs=(); for h in "${HOSTS[@]}"; do imgs+=("$(host_field "$h" 3)"); done
LAB_MODE=$MODE bash "$LAB_DIR/build.sh" $(printf '%s\n' "${imgs[@]}" | sort -u)
T_BUILD=$SECONDS

# --- keys ---------------------------------------------------------------------
if [ ! -f "$LAB_STATE/id_ed25519" ]; then
	ssh-keygen -q -t ed25519 -N '' -C "trowel-lab" -f "$LAB_STATE/id_ed25519"
fi
LABKEY=$(cat "$LAB_STATE/id_ed25519.pub")

# --- network ------------------------------------------------------------------
if ! ip link show "$LAB_BRIDGE" >/dev/null 2>&1; then
	if ip -4 route show | grep -v "dev $LAB_BRIDGE" | grep -q '^10\.231\.0\.'; then
		die "10.231.0.0/24 is already routed on this machine: $(ip -4 route show | grep '^10\.231\.0\.')"
	fi
	ip link add "$LAB_BRIDGE" type bridge
	echo 1 >"/proc/sys/net/ipv6/conf/$LAB_BRIDGE/disable_ipv6" 2>/dev/null || true
	ip addr add "$LAB_GW/$LAB_PREFIX" dev "$LAB_BRIDGE"
	ip link set "$LAB_BRIDGE" up
fi
# With br_netfilter loaded (docker!), bridged lab traffic crosses the
# iptables FORWARD chain, whose policy may be DROP: let lab<->lab through.
if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo 0)" = 1 ] && command -v iptables >/dev/null 2>&1; then
	if ! iptables -C FORWARD -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -m comment --comment trowel-lab -j ACCEPT 2>/dev/null; then
		iptables -I FORWARD 1 -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -m comment --comment trowel-lab -j ACCEPT
	fi
fi
# apt proxy (deb.debian.org only) for the "new" host
if ! { [ -f "$LAB_STATE/aptproxy.pid" ] && kill -0 "$(cat "$LAB_STATE/aptproxy.pid")" 2>/dev/null; }; then
	setsid /usr/bin/python3 "$LAB_DIR/aptproxy.py" "$LAB_GW" "$LAB_APTPROXY_PORT" \
		>"$LAB_STATE/aptproxy.log" 2>&1 </dev/null 9>&- &
	echo $! >"$LAB_STATE/aptproxy.pid"
	disown
fi

# --- hosts ---------------------------------------------------------------------
prepare_host() {
	local h=$1 short addr img hd root base layer u user pw line home uid gid
	short=$(host_field "$h" 1); addr=$(host_field "$h" 2); img=$(host_field "$h" 3)
	hd="$LAB_STATE/hosts/$h"; root="$hd/root"
	[ -e "$hd" ] && stop_host "$h"
	mkdir -p "$hd/hostkeys" "$root"
	read -r base layer < <(bash "$LAB_DIR/build.sh" --print-dirs "$MODE" "$img")
	if [ "$MODE" = overlay ]; then
		mkdir -p "$hd/upper" "$hd/work"
		mount -t overlay "trowel-$h" -o "lowerdir=$layer:$base,upperdir=$hd/upper,workdir=$hd/work" "$root"
	else
		cp -a "$layer/." "$root/"
	fi

	# identity: host keys, machine-id, /etc/hosts
	for t in ed25519 ecdsa rsa; do
		ssh-keygen -q -t "$t" -N '' -C "root@$h" -f "$hd/hostkeys/ssh_host_${t}_key"
		install -m 600 "$hd/hostkeys/ssh_host_${t}_key" "$root/etc/ssh/"
		install -m 644 "$hd/hostkeys/ssh_host_${t}_key.pub" "$root/etc/ssh/"
	done
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$root/etc/machine-id"; echo >>"$root/etc/machine-id"
	{
		echo "127.0.0.1	localhost"
		echo "$addr	$h.$LAB_DOMAIN $h"
		echo "# trowel lab"
		echo "$LAB_GW	gateway.$LAB_DOMAIN gateway"
		local o
		for o in $(host_names); do
			[ "$o" = "$h" ] || echo "$(host_field "$o" 2)	$o.$LAB_DOMAIN $o"
		done
		# a role's own additions, as an admin would have typed them
		if [ -f "$root/lab-hosts" ]; then cat "$root/lab-hosts"; fi
	} >"$root/etc/hosts"

	# lab key for every listed account, passwords
	for u in "${LAB_USERS[@]}"; do
		IFS='|' read -r uh user pw _ <<<"$u"
		[ "$uh" = "$h" ] || continue
		line=$(grep "^$user:" "$root/etc/passwd") || die "$h: user $user missing from the image"
		IFS=: read -r _ _ uid gid _ home _ <<<"$line"
		install -d -m 700 -o "$uid" -g "$gid" "$root$home/.ssh"
		echo "$LABKEY" >>"$root$home/.ssh/authorized_keys"
		chown "$uid:$gid" "$root$home/.ssh/authorized_keys"
		chmod 600 "$root$home/.ssh/authorized_keys"
		if [ -n "$pw" ]; then
			echo "$user:$pw" | chroot "$root" /usr/sbin/chpasswd
		fi
	done

	# network namespace with one veth on the lab bridge, no default route
	ip netns add "trowel-$h"
	ip link add "trowel-$short" type veth peer name "trowel-$short-p"
	echo 1 >"/proc/sys/net/ipv6/conf/trowel-$short/disable_ipv6" 2>/dev/null || true
	ip link set "trowel-$short-p" netns "trowel-$h"
	ip -n "trowel-$h" link set "trowel-$short-p" name eth0
	ip netns exec "trowel-$h" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
	ip -n "trowel-$h" addr add "$addr/$LAB_PREFIX" dev eth0
	ip -n "trowel-$h" link set lo up
	ip -n "trowel-$h" link set eth0 up
	ip link set "trowel-$short" master "$LAB_BRIDGE" up
}

up_msg() { log "host $1: up ($(host_field "$1" 2), $(host_init "$1"), $(host_state "$1"))"; }
for h in "${HOSTS[@]}"; do prepare_host "$h"; done
# the collector first: legacy and webapp connect to it at boot
for h in "${HOSTS[@]}"; do
	[ "$h" = collector ] || continue
	start_host "$h"; wait_host "$h"; up_msg "$h"
done
for h in "${HOSTS[@]}"; do [ "$h" = collector ] || start_host "$h"; done
for h in "${HOSTS[@]}"; do [ "$h" = collector ] || { wait_host "$h"; up_msg "$h"; }; done

# --- client side files: known_hosts, ssh_config, lab.json ---------------------
write_known_hosts() {
	local h addr t
	for h in $(host_names); do
		[ -d "$LAB_STATE/hosts/$h/hostkeys" ] || continue
		addr=$(host_field "$h" 2)
		for t in ed25519 ecdsa rsa; do
			echo "$addr,$h,$h.$LAB_DOMAIN $(cut -d' ' -f1,2 "$LAB_STATE/hosts/$h/hostkeys/ssh_host_${t}_key.pub")"
		done
		[ "$h" = legacy ] && echo "[$addr]:2222,[$h]:2222 $(cut -d' ' -f1,2 "$LAB_STATE/hosts/$h/hostkeys/ssh_host_rsa_key.pub")"
	done >"$LAB_STATE/known_hosts"
}

write_ssh_config() {
	local h
	{
		echo "# trowel lab - generated by lab/up.sh. Usage: ssh -F $LAB_STATE/ssh_config legacy"
		echo "Host $(host_names | xargs) legacy-old legacy-via-bastion 10.231.0.*"
		echo "    User root"
		echo "    IdentityFile $LAB_STATE/id_ed25519"
		echo "    IdentitiesOnly yes"
		echo "    UserKnownHostsFile $LAB_STATE/known_hosts"
		echo "    GlobalKnownHostsFile /dev/null"
		echo "    StrictHostKeyChecking yes"
		echo "    UpdateHostKeys no"
		echo "    BatchMode yes"
		echo "    ConnectTimeout 10"
		echo "    ServerAliveInterval 15"
		for h in $(host_names); do
			printf '\nHost %s\n    HostName %s\n' "$h" "$(host_field "$h" 2)"
		done
		cat <<-EOC

		# the second sshd on legacy: only CentOS-5-era algorithms
		Host legacy-old
		    HostName $(host_field legacy 2)
		    Port 2222
		    KexAlgorithms +diffie-hellman-group14-sha1
		    HostKeyAlgorithms +ssh-rsa
		    PubkeyAcceptedAlgorithms +ssh-rsa
		    Ciphers +aes128-cbc
		    MACs +hmac-sha1

		Host legacy-via-bastion
		    HostName $(host_field legacy 2)
		    ProxyJump jump@bastion
		EOC
	} >"$LAB_STATE/ssh_config"
}

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
# json_words FILE: the words of a list file (comments dropped) as a JSON array
json_words() {
	local w first=1
	printf '['
	for w in $(sed -e 's/#.*//' "$1" 2>/dev/null); do
		[ $first = 1 ] || printf ', '
		first=0
		json_str "$w"
	done
	printf ']'
}

write_lab_json() {
	local h first=1 u uh user pw sudo ufirst addr lp fp
	{
		printf '{\n  "version": 1,\n'
		printf '  "created": %s,\n' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
		printf '  "state_dir": %s,\n' "$(json_str "$LAB_STATE")"
		printf '  "key_file": %s,\n' "$(json_str "$LAB_STATE/id_ed25519")"
		printf '  "known_hosts": %s,\n' "$(json_str "$LAB_STATE/known_hosts")"
		printf '  "ssh_config": %s,\n' "$(json_str "$LAB_STATE/ssh_config")"
		printf '  "mode": %s,\n' "$(json_str "$MODE")"
		printf '  "bridge": %s,\n  "gateway": %s,\n' "$(json_str "$LAB_BRIDGE")" "$(json_str "$LAB_GW")"
		printf '  "apt_proxy": %s,\n' "$(json_str "http://$LAB_GW:$LAB_APTPROXY_PORT")"
		printf '  "lab_dir": %s,\n' "$(json_str "$LAB_DIR")"
		printf '  "hosts": {'
		for h in $(host_names); do
			[ -d "$LAB_STATE/hosts/$h" ] || continue
			[ $first = 1 ] || printf ','
			first=0
			addr=$(host_field "$h" 2)
			lp=0; [ "$h" = legacy ] && lp=2222
			printf '\n    %s: {\n' "$(json_str "$h")"
			printf '      "name": %s,\n      "addr": %s,\n      "port": 22,\n      "legacy_port": %d,\n' \
				"$(json_str "$h")" "$(json_str "$addr")" "$lp"
			printf '      "fqdn": %s,\n' "$(json_str "$h.$LAB_DOMAIN")"
			printf '      "distro": %s,\n' "$(json_str "$(host_field "$h" 4)")"
			printf '      "root": %s,\n' "$(json_str "$LAB_STATE/hosts/$h/root")"
			printf '      "netns": %s,\n' "$(json_str "trowel-$h")"
			printf '      "init_log": %s,\n' "$(json_str "$LAB_STATE/hosts/$h/init.log")"
			printf '      "init": %s,\n' "$(json_str "$(host_init "$h")")"
			printf '      "services": %s,\n' "$(json_words "$LAB_STATE/hosts/$h/root/lab-services")"
			printf '      "inactive": %s,\n' "$(json_words "$LAB_STATE/hosts/$h/root/lab-inactive")"
			printf '      "ports": [%s],\n' "$(host_field "$h" 5 | sed 's/ /, /g')"
			if [ "$h" = legacy ]; then
				fp=$(head -n1 "$LAB_STATE/hosts/$h/root/root/.ssh/authorized_keys" | ssh-keygen -lf - | awk '{print $2}')
				printf '      "planted": {\n'
				printf '        "orphan_root_key_fingerprint": %s,\n' "$(json_str "$fp")"
				printf '        "orphan_root_key_comment": "contractor@old-jenkins",\n'
				printf '        "timezone": "Asia/Tokyo",\n'
				printf '        "relayhost": "[mailrelay.example.co.jp]:25",\n'
				printf '        "syslog_forward": "@@10.231.0.40:514",\n'
				printf '        "log_shipper": "logship -> 10.231.0.40:24224",\n'
				printf '        "mysql_database": "redmine",\n'
				printf '        "mysql_app_user": "redmine",\n'
				printf '        "mysql_app_password": "redmine-db-pw",\n'
				printf '        "vhost": "/etc/apache2/sites-available/redmine.conf"\n'
				printf '      },\n'
			elif [ -f "$LAB_STATE/hosts/$h/root/lab-planted" ]; then
				# a role's record of what it planted: KEY=VALUE lines
				printf '      "planted": {'
				local k v pfirst=1
				while IFS='=' read -r k v; do
					case "$k" in '' | '#'*) continue ;; esac
					[ $pfirst = 1 ] || printf ','
					pfirst=0
					printf '\n        %s: %s' "$(json_str "$k")" "$(json_str "$v")"
				done <"$LAB_STATE/hosts/$h/root/lab-planted"
				printf '\n      },\n'
			fi
			printf '      "users": {'
			ufirst=1
			for u in "${LAB_USERS[@]}"; do
				IFS='|' read -r uh user pw sudo <<<"$u"
				[ "$uh" = "$h" ] || continue
				[ $ufirst = 1 ] || printf ','
				ufirst=0
				printf '\n        %s: {"name": %s, "password": %s, "sudo": %s}' \
					"$(json_str "$user")" "$(json_str "$user")" "$(json_str "$pw")" "$(json_str "$sudo")"
			done
			printf '\n      }\n    }'
		done
		printf '\n  }\n}\n'
	} >"$LAB_STATE/lab.json.tmp"
	mv "$LAB_STATE/lab.json.tmp" "$LAB_STATE/lab.json"
}

write_known_hosts
write_ssh_config
write_lab_json

# --- final check: a real SSH login on every host -------------------------------
for h in "${HOSTS[@]}"; do
	out=$(ssh -F "$LAB_STATE/ssh_config" "$h" hostname 2>&1) || die "ssh root@$h failed: $out"
	[ "$out" = "$h" ] || die "ssh root@$h: hostname says '$out'"
done

tcp_open "$LAB_GW" "$LAB_APTPROXY_PORT" ||
	log "warning: the apt proxy does not listen on $LAB_GW:$LAB_APTPROXY_PORT (see $LAB_STATE/aptproxy.log): apt on 'new' will fail"

failed=0
log "lab is up in $((SECONDS - T0))s (images $((T_BUILD - T0))s, mode $MODE). State: $LAB_STATE/lab.json"
log "try: ssh -F $LAB_STATE/ssh_config legacy"
