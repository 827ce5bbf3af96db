#!/bin/sh
# Builds roots/debian11 from a Debian 11 root the lab built with debootstrap
# (/var/cache/trowel-lab/base/bullseye-legacy-*, and bullseye-webapp-* for
# dovecot's ucf files), then makes the edits an administrator would. Run from
# internal/survey/files/testdata/roots; kept for the record, the result is committed.
set -eu
L=$(ls -d /var/cache/trowel-lab/base/bullseye-legacy-* | head -1)
W=$(ls -d /var/cache/trowel-lab/base/bullseye-webapp-* | head -1)
R=debian11
rm -rf "$R"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/ucf/cache"
pkgs="base-files openssh-server postfix rsyslog"
for p in $pkgs tzdata; do
	awk -v p="$p" '$0 == "Package: " p { f = 1 } f { print } f && /^$/ { exit }' "$L/var/lib/dpkg/status" >>"$R/var/lib/dpkg/status"
done
for p in $pkgs; do
	cp -p "$L/var/lib/dpkg/info/$p.list" "$L/var/lib/dpkg/info/$p.md5sums" "$L/var/lib/dpkg/info/$p.postinst" "$R/var/lib/dpkg/info/"
	# Every conffile and /etc file the package lists, as the package installed it,
	# except /etc/ssh/moduli (550 KB): that one is the removed conffile.
	grep '^/etc/' "$L/var/lib/dpkg/info/$p.list" | while read -r f; do
		[ -f "$L$f" ] && [ ! -L "$L$f" ] && [ "$f" != /etc/ssh/moduli ] || continue
		mkdir -p "$R$(dirname "$f")"
		cp -p "$L$f" "$R$f"
	done
done
cp -p "$L/var/lib/dpkg/info/tzdata.postinst" "$R/var/lib/dpkg/info/"
copy() { mkdir -p "$R$(dirname "$2")"; cp -p "$1$2" "$R$2"; }
for f in /usr/share/openssh/sshd_config /usr/share/postfix/main.cf.debian /usr/share/postfix/main.cf.dist \
	/usr/share/postfix/master.cf.dist /usr/share/base-files/profile /usr/share/base-files/motd \
	/etc/ssh/sshd_config /etc/postfix/main.cf /etc/postfix/main.cf.proto /etc/postfix/master.cf \
	/etc/postfix/master.cf.proto /etc/postfix/dynamicmaps.cf /etc/profile /etc/motd /etc/aliases \
	/var/lib/ucf/cache/:etc:ssh:sshd_config; do
	copy "$L" "$f"
done
copy "$W" /etc/dovecot/conf.d/10-auth.conf
copy "$W" /var/lib/ucf/cache/:etc:dovecot:conf.d:10-auth.conf
printf 'legacy\n' >"$R/etc/hostname"
printf 'Asia/Tokyo\n' >"$R/etc/timezone"

# phpmyadmin's database settings, written by dbconfig-common through ucf (the format of
# dbconfig-generate-include; the values are this fixture's own).
cat >"$R/var/lib/ucf/cache/:etc:phpmyadmin:config-db.php" <<'EOF'
<?php
##
## database access settings in php format
## automatically generated from /etc/dbconfig-common/phpmyadmin.conf
## by /usr/sbin/dbconfig-generate-include
##
## by default this file is managed via ucf, so you shouldn't have to
## worry about manual changes being silently discarded.  *however*,
## you'll probably also want to edit the configuration file mentioned
## above too.
##
$dbuser='phpmyadmin';
$dbpass='Generated0nInstall';
$basepath='';
$dbname='phpmyadmin';
$dbserver='localhost';
$dbport='3306';
$dbtype='mysql';
EOF
mkdir -p "$R/etc/phpmyadmin"
sed -e "s/^\$dbpass=.*/\$dbpass='Chang3dByTheAdmin';/" -e "s/^\$dbserver=.*/\$dbserver='db.internal';/" \
	"$R/var/lib/ucf/cache/:etc:phpmyadmin:config-db.php" >"$R/etc/phpmyadmin/config-db.php"
{
	grep ' /etc/ssh/sshd_config$' "$L/var/lib/ucf/registry"
	grep ' /etc/dovecot/conf.d/10-auth.conf$' "$W/var/lib/ucf/registry"
	printf 'phpmyadmin \t /etc/phpmyadmin/config-db.php\n'
} >"$R/var/lib/ucf/registry"
{
	grep '  /etc/ssh/sshd_config$' "$L/var/lib/ucf/hashfile"
	grep '  /etc/dovecot/conf.d/10-auth.conf$' "$W/var/lib/ucf/hashfile"
	printf '%s  /etc/phpmyadmin/config-db.php\n' "$(md5sum <"$R/var/lib/ucf/cache/:etc:phpmyadmin:config-db.php" | cut -d' ' -f1)"
} >"$R/var/lib/ucf/hashfile"

# The administrator's edits.
cp -p "$R/etc/rsyslog.conf" "$R/etc/rsyslog.conf.dpkg-dist" # the packaged version an upgrade left beside
sed -i -e 's/^\$FileCreateMode 0640/$FileCreateMode 0644/' "$R/etc/rsyslog.conf"
printf '\n# ship everything to the central collector\n*.* @@logs.example.net:514\n' >>"$R/etc/rsyslog.conf"
sed -i -e 's/^SSHD_OPTS=.*/SSHD_OPTS="-o LogLevel=VERBOSE"/' "$R/etc/default/ssh"
sed -i -e 's/^#Port 22/Port 2222/' -e 's/^#PermitRootLogin .*/PermitRootLogin yes/' \
	-e 's/^#PasswordAuthentication yes/PasswordAuthentication no/' -e 's/^X11Forwarding yes/X11Forwarding no/' "$R/etc/ssh/sshd_config"
printf '\nMatch User deploy\n\tPasswordAuthentication yes\n\tAllowTcpForwarding no\n' >>"$R/etc/ssh/sshd_config"
cat >>"$R/etc/postfix/main.cf" <<'EOF'
relayhost = [smtp.example.net]:587
smtp_sasl_auth_enable = yes
smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd
EOF
sed -i -e 's/^relayhost = $/#relayhost =/' -e 's/^myhostname = .*/myhostname = mail.example.org/' "$R/etc/postfix/main.cf"
printf 'This host is managed by the operations team. Authorised use only.\n' >>"$R/etc/motd"
printf 'root: ops@example.org\n' >>"$R/etc/aliases"
mkdir -p "$R/etc/cron.d"
printf '# nightly database dump\n30 2 * * * root /usr/local/sbin/backup-db\n' >"$R/etc/cron.d/backup-db"
