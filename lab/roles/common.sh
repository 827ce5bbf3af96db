# shellcheck shell=bash
# roles/common.sh - helpers sourced by roles/*/setup.sh. Runs with bash,
# chrooted in the image being built, cwd = the role directory, no network,
# policy-rc.d forbids service starts.

# lab_host NAME SERVICE... : a SysV host (PID 1 is /lab-init): hostname,
# /lab-init and the boot service list.
lab_host() {
	local name=$1; shift
	LAB_INIT=sysv
	echo "$name" >/etc/hostname
	install -m 755 ./lab-init /lab-init
	printf '# services /lab-init starts, in order (stopped in reverse)\n' >/lab-services
	printf '%s\n' "$@" >>/lab-services
	# sshd logs (lastlog/wtmp) like a real box
	touch /var/log/wtmp /var/log/btmp /var/log/lastlog
	chgrp utmp /var/log/wtmp /var/log/btmp /var/log/lastlog
	chmod 664 /var/log/wtmp /var/log/lastlog; chmod 660 /var/log/btmp
}

# lab_systemd_host NAME UNIT... : a host whose PID 1 is Debian's systemd
# (lab/nspawn.sh boots it). The UNITs must be active once it has booted
# (/lab-services: lab.json, labtest); lab_finish enables them.
lab_systemd_host() {
	local name=$1; shift
	LAB_INIT=systemd
	echo "$name" >/etc/hostname
	printf '# units active once the host has booted (lab.json, labtest)\n' >/lab-services
	printf '%s\n' "$@" >>/lab-services
	touch /var/log/wtmp /var/log/btmp /var/log/lastlog
	chgrp utmp /var/log/wtmp /var/log/btmp /var/log/lastlog
	chmod 664 /var/log/wtmp /var/log/lastlog; chmod 660 /var/log/btmp
}

# lab_inactive UNIT... : units installed on purpose but neither running nor
# enabled (/lab-inactive: lab.json, labtest).
lab_inactive() {
	printf '# units installed but stopped and disabled (lab.json, labtest)\n' >/lab-inactive
	printf '%s\n' "$@" >>/lab-inactive
	systemctl disable --quiet "$@"
}

# lab_plant KEY VALUE : record a planted fact for lab.json's "planted"
# (/lab-planted), for the tests to look for.
lab_plant() { printf '%s=%s\n' "$1" "$2" >>/lab-planted; }

# The lab's own plumbing on a systemd host lives outside /etc, so that /etc
# shows only what the role planted: its scripts in /lab-init.d, the units that
# run them in /usr/local/lib/systemd/system (a directory systemd reads), with
# the .wants links beside them (static: they have no [Install]).
LAB_UNITS=/usr/local/lib/systemd/system
lab_unit() { # lab_unit NAME TARGET : /dev/stdin becomes NAME.service, wanted by TARGET
	install -d "$LAB_UNITS/$2.wants"
	cat >"$LAB_UNITS/$1.service"
	ln -sf "../$1.service" "$LAB_UNITS/$2.wants/$1.service"
}

# lab_finish: run by build.sh after the role's setup.sh.
lab_finish() {
	[ "$LAB_INIT" = systemd ] || return 0
	install -d /lab-init.d
	# systemd-nspawn mounts /proc/sys read-only but for net/ (lab/nspawn.sh).
	# What belongs to the host's own IPC namespace is made writable too, as
	# lab/chroot-env.sh does for a SysV host, before systemd-sysctl applies
	# sysctl.d: a host may tune its own parameters (systemd-sysctl at boot,
	# Ansible's sysctl module).
	cat >/lab-init.d/procsys <<'EOF'
#!/bin/sh
for p in kernel/shmmax kernel/shmall kernel/shmmni kernel/msgmax kernel/msgmnb kernel/msgmni kernel/sem; do
	f=/proc/sys/$p
	[ -e "$f" ] || continue
	mount --bind "$f" "$f" && mount -o remount,bind,rw,nosuid,nodev,noexec "$f"
done
EOF
	chmod 755 /lab-init.d/procsys
	lab_unit lab-procsys sysinit.target <<'EOF'
[Unit]
Description=trowel lab: this host's own IPC kernel parameters writable
DefaultDependencies=no
Before=systemd-sysctl.service sysinit.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/lab-init.d/procsys
EOF
	# The root file system is the lab's overlay: nothing of /etc/fstab's root
	# line (a migrated host carries one) can be remounted in a container.
	install -d "$LAB_UNITS/systemd-remount-fs.service.d"
	cat >"$LAB_UNITS/systemd-remount-fs.service.d/lab.conf" <<'EOF'
[Unit]
ConditionVirtualization=!container
EOF
	# A role's boot-time hooks, as /lab-init runs them on a SysV host: pre
	# before any service starts, post once the host is up.
	if [ -x /lab-init.d/pre ]; then
		lab_unit lab-pre sysinit.target <<'EOF'
[Unit]
Description=trowel lab: the role's hook before the services start
DefaultDependencies=no
After=lab-procsys.service
Before=sysinit.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/lab-init.d/pre
EOF
	fi
	if [ -x /lab-init.d/post ]; then
		lab_unit lab-post multi-user.target <<'EOF'
[Unit]
Description=trowel lab: the role's hook once the host is up
After=multi-user.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/lab-init.d/post
EOF
	fi
	systemctl enable --quiet $(sed -e 's/#.*//' /lab-services)
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
