# shellcheck shell=bash
# roles/common.sh - helpers sourced by roles/*/setup.sh. Runs with bash,
# chrooted in the image being built, cwd = the role directory, no network,
# policy-rc.d forbids service starts.

# lab_host NAME SERVICE... : hostname, /lab-init and the boot service list.
lab_host() {
	local name=$1; shift
	echo "$name" >/etc/hostname
	install -m 755 ./lab-init /lab-init
	printf '# services /lab-init starts, in order (stopped in reverse)\n' >/lab-services
	printf '%s\n' "$@" >>/lab-services
	# sshd logs (lastlog/wtmp) like a real box
	touch /var/log/wtmp /var/log/btmp /var/log/lastlog
	chgrp utmp /var/log/wtmp /var/log/btmp /var/log/lastlog
	chmod 664 /var/log/wtmp /var/log/lastlog; chmod 660 /var/log/btmp
}

# lab_user NAME UID COMMENT : a normal account with home, bash, locked
# password (lab/up.sh sets the passwords listed in lab/lib.sh at start).
lab_user() {
	useradd --create-home --uid "$2" --user-group --shell /bin/bash --comment "$3" "$1"
	install -d -m 700 -o "$1" -g "$1" "/home/$1/.ssh"
}

# A public key whose private half is thrown away: "belongs to nobody".
orphan_pubkey() { # orphan_pubkey TYPE COMMENT
	local d; d=$(mktemp -d)
	ssh-keygen -q -t "$1" -N '' -C "$2" -f "$d/k" >/dev/null
	cat "$d/k.pub"; rm -rf "$d"
}
