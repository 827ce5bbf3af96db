# shellcheck shell=bash
# roles/redmine.sh - the Redmine server as legacy was built, shared by the
# legacy role and its replica so that the two differ only where a replica is
# meant to (lab/README.md). Sourced by roles/*/setup.sh after lab_host, with
# these set to yes or no:
#   REDMINE_ORPHAN_KEY      root's orphan key is made here (legacy) or carried
#                           over by the test (replica)
#   REDMINE_LOGSHIP         the in-house log shipper is installed
#   REDMINE_DEPLOY_CRONTAB  deploy's crontab is there
#   REDMINE_STALE_CROND     crond is left running in the zone it started in
#                           (yes) or restarted after the zone change (no)
#   REDMINE_UNAPPLIED_SYSCTL  /etc/sysctl.conf carries a line that was never
#                           applied (only a SysV host can keep it so: systemd
#                           applies sysctl.conf at boot)
# LAB_INIT (lab_host or lab_systemd_host) says what boots the host.
: "${REDMINE_ORPHAN_KEY:?}" "${REDMINE_LOGSHIP:?}" "${REDMINE_DEPLOY_CRONTAB:?}" "${REDMINE_STALE_CROND:?}" "${REDMINE_UNAPPLIED_SYSCTL:?}" "${LAB_INIT:?}"
echo "legacy.trowel.test" >/etc/mailname

# --- time zone: Asia/Tokyo, changed under running daemons ----------------------
# The field failure: the box ran in UTC, somebody switched it to Asia/Tokyo and
# restarted only what they thought of. The image says Asia/Tokyo; at every boot
# the daemons start under UTC (pre hook) and the zone is switched after they are
# up (post hook). On legacy crond was restarted (its jobs fire in Asia/Tokyo; the
# other daemons, rsyslog and apache among them, still log in UTC); the replica's
# crond was not, so it fires 9 hours late (REDMINE_STALE_CROND).
ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime
echo Asia/Tokyo >/etc/timezone
install -d /lab-init.d
cat >/lab-init.d/pre <<'EOF'
#!/bin/sh
ln -sf /usr/share/zoneinfo/UTC /etc/localtime
# a certificate that expires in 20 days, whenever the lab boots
/lab-init.d/make-cert
EOF
cat >/lab-init.d/post <<'EOF'
#!/bin/sh
# two seconds after every daemon's start, so the order is plain to see
sleep 2
ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime
# What procps would do at boot, for the one tuning file (its keys are per
# network or IPC namespace: a lab host cannot change the lab machine's).
sysctl -q -p /etc/sysctl.d/60-redmine.conf
EOF
if [ "$REDMINE_STALE_CROND" = no ]; then
	cat >>/lab-init.d/post <<'EOF'
sleep 1
/etc/init.d/cron restart >/dev/null
EOF
fi
# On a systemd host the same hooks run from the units lab-pre (before
# sysinit.target: before every service) and lab-post (after multi-user.target),
# roles/common.sh lab_finish. systemd-sysctl has applied sysctl.d by then.
chmod 755 /lab-init.d/pre /lab-init.d/post

# --- kernel tuning -------------------------------------------------------------
# The DBA's tuning file is applied at boot. Somebody also edited sysctl.conf and
# never ran sysctl -p: configured, not in force.
cat >/etc/sysctl.d/60-redmine.conf <<'EOF'
# Redmine/MariaDB tuning (tanaka, 2015-02)
net.core.somaxconn = 1024
net.ipv4.tcp_keepalive_time = 600
kernel.shmmax = 4294967296
EOF
if [ "$REDMINE_UNAPPLIED_SYSCTL" = yes ]; then
cat >>/etc/sysctl.conf <<'EOF'

# shorter FIN timeout for the reverse proxy (2016-08, not applied yet)
net.ipv4.tcp_fin_timeout = 30
EOF
fi

# --- users and sudo ----------------------------------------------------------
lab_user deploy 1001 "Deploy user"
lab_user ops 1002 "Ops team (shared)"
lab_user alice 1003 "Alice Tanaka"
cat >/etc/sudoers.d/deploy <<'EOF'
# deploy runs the release scripts unattended
deploy ALL=(ALL) NOPASSWD: ALL
EOF
cat >/etc/sudoers.d/ops <<'EOF'
# ops may become root with their password, from a terminal only
# (RHEL 5-7 ship "Defaults requiretty" for everybody)
Defaults:ops requiretty
ops ALL=(ALL:ALL) ALL
EOF
chmod 440 /etc/sudoers.d/deploy /etc/sudoers.d/ops
visudo -c >/dev/null
# root's authorized_keys: a key nobody has the private half of any more
# (lab/up.sh appends the lab key after it). A replica carries legacy's keys
# over, but legacy's orphan key is made when legacy's image is built, so it
# cannot be known here: internal/e2e/verify_test.go copies legacy's line in.
install -d -m 700 /root/.ssh
if [ "$REDMINE_ORPHAN_KEY" = yes ]; then
	orphan_pubkey rsa "contractor@old-jenkins" >/root/.ssh/authorized_keys
else
	: >/root/.ssh/authorized_keys
fi
chmod 600 /root/.ssh/authorized_keys
echo 'root: ops@example.co.jp' >>/etc/aliases

# --- sshd: hand edits on :22, and a second, CentOS-5-era sshd on :2222 -------
sed -i -e 's/^#\?PermitRootLogin .*/PermitRootLogin yes/' \
	-e 's/^#\?UseDNS .*/UseDNS no/' \
	-e 's/^#\?ClientAliveInterval .*/ClientAliveInterval 300/' /etc/ssh/sshd_config
grep -q '^PermitRootLogin yes' /etc/ssh/sshd_config
cat >/etc/ssh/sshd_config_legacy <<'EOF'
# Second sshd for the old jump scripts (ops, 2016). Only what OpenSSH 4.3
# (CentOS 5) speaks: clients must fall back to legacy algorithms.
Port 2222
PidFile /run/sshd-legacy.pid
HostKey /etc/ssh/ssh_host_rsa_key
KexAlgorithms diffie-hellman-group14-sha1,diffie-hellman-group1-sha1
HostKeyAlgorithms ssh-rsa
PubkeyAcceptedKeyTypes +ssh-rsa
Ciphers aes128-cbc,aes128-ctr
MACs hmac-sha1
PermitRootLogin yes
UsePAM yes
UseDNS no
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
cat >/etc/init.d/ssh-legacy <<'EOF'
#! /bin/sh
### BEGIN INIT INFO
# Provides:          ssh-legacy
# Required-Start:    $remote_fs $syslog
# Required-Stop:     $remote_fs $syslog
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: second OpenBSD Secure Shell server on port 2222
### END INIT INFO
# Local addition (not from a package): runs sshd with sshd_config_legacy.
set -e
DAEMON=/usr/sbin/sshd
PIDFILE=/run/sshd-legacy.pid
CONF=/etc/ssh/sshd_config_legacy
. /lib/lsb/init-functions
case "$1" in
start)
	log_daemon_msg "Starting legacy sshd" "sshd-legacy" || true
	mkdir -p /run/sshd && chmod 0755 /run/sshd
	if start-stop-daemon --start --quiet --oknodo --pidfile $PIDFILE --exec $DAEMON -- -f $CONF; then
		log_end_msg 0 || true
	else
		log_end_msg 1 || true
	fi
	;;
stop)
	log_daemon_msg "Stopping legacy sshd" "sshd-legacy" || true
	start-stop-daemon --stop --quiet --oknodo --retry 30 --pidfile $PIDFILE --exec $DAEMON && log_end_msg 0 || log_end_msg 1
	;;
restart) $0 stop; $0 start ;;
status) status_of_proc -p $PIDFILE $DAEMON sshd-legacy && exit 0 || exit $? ;;
*) echo "Usage: $0 {start|stop|restart|status}"; exit 1 ;;
esac
exit 0
EOF
chmod 755 /etc/init.d/ssh-legacy
update-rc.d ssh-legacy defaults >/dev/null

# --- apache2: hand-written Redmine vhost, Apache 2.2 access syntax -----------
a2enmod -q access_compat rewrite ssl >/dev/null
a2dissite -q 000-default >/dev/null
cat >/etc/apache2/sites-available/redmine.conf <<'EOF'
# Redmine - moved over from the old box by tanaka, 2013-04. Do not touch.
<VirtualHost *:80>
    ServerName redmine.example.co.jp
    ServerAlias redmine legacy
    ServerAdmin ops@example.co.jp
    DocumentRoot /var/www/redmine/public

    <Directory /var/www/redmine/public>
        Options -Indexes +FollowSymLinks
        AllowOverride All
        # old 2.2 syntax, still works through mod_access_compat
        Order allow,deny
        Allow from all
    </Directory>

    <Location /server-status>
        SetHandler server-status
        Order deny,allow
        Deny from all
        Allow from 127.0.0.1 10.231.0.0/24
    </Location>

    ErrorLog ${APACHE_LOG_DIR}/redmine_error.log
    # logship (/usr/local/sbin/logship) tails this file
    CustomLog ${APACHE_LOG_DIR}/access.log combined
</VirtualHost>

<VirtualHost *:443>
    ServerName redmine.example.co.jp
    DocumentRoot /var/www/redmine/public
    SSLEngine on
    # renewed by hand every year (tanaka); see the wiki
    SSLCertificateFile /etc/ssl/certs/redmine.example.co.jp.crt
    SSLCertificateKeyFile /etc/ssl/private/redmine.example.co.jp.key
    <Directory /var/www/redmine/public>
        AllowOverride All
        Order allow,deny
        Allow from all
    </Directory>
    ErrorLog ${APACHE_LOG_DIR}/redmine_ssl_error.log
    CustomLog ${APACHE_LOG_DIR}/ssl_access.log combined
</VirtualHost>
EOF
# Lab plumbing (outside /etc): a fresh 20-day certificate at every boot.
cat >/lab-init.d/make-cert <<'EOF'
#!/bin/sh
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 20 -sha256 \
	-subj "/C=JP/O=Example Co./CN=redmine.example.co.jp" \
	-addext "subjectAltName=DNS:redmine.example.co.jp,DNS:redmine" \
	-keyout /etc/ssl/private/redmine.example.co.jp.key \
	-out /etc/ssl/certs/redmine.example.co.jp.crt 2>/dev/null
chmod 644 /etc/ssl/certs/redmine.example.co.jp.crt
EOF
chmod 755 /lab-init.d/make-cert
/lab-init.d/make-cert
a2ensite -q redmine >/dev/null
sed -i -e 's/^ServerTokens OS/ServerTokens Prod/' -e 's/^ServerSignature On/ServerSignature Off/' \
	/etc/apache2/conf-available/security.conf
install -d /var/www/redmine/public /var/www/redmine/config /var/www/redmine/script
install -d -o www-data -g www-data /var/www/redmine/tmp /var/www/redmine/files
cat >/var/www/redmine/public/index.html <<'EOF'
<!DOCTYPE html>
<html><head><title>Redmine</title></head>
<body><h1>Redmine</h1><p>Issue tracker (legacy). Login: LDAP.</p></body></html>
EOF
cat >/var/www/redmine/public/.htaccess <<'EOF'
RewriteEngine On
RewriteRule ^issues/?$ /index.html [L]
EOF
cat >/var/www/redmine/config/database.yml <<'EOF'
production:
  adapter: mysql2
  database: redmine
  host: 127.0.0.1
  username: redmine
  password: "redmine-db-pw"
  encoding: utf8
EOF
chown root:www-data /var/www/redmine/config/database.yml
chmod 640 /var/www/redmine/config/database.yml
cat >/var/www/redmine/script/rotate-attachments.sh <<'EOF'
#!/bin/sh
# move attachments older than a year to the archive dir
find /var/www/redmine/files -type f -mtime +365 -exec mv {} /var/www/redmine/files/archive/ \; 2>/dev/null
exit 0
EOF
chmod 755 /var/www/redmine/script/rotate-attachments.sh
# enough of a Redmine checkout for trowel to tell what it is
install -d /var/www/redmine/lib/redmine /var/www/redmine/app/models
cat >/var/www/redmine/lib/redmine/version.rb <<'EOF'
# frozen_string_literal: true

require 'rexml/document'

module Redmine
  # @private
  module VERSION
    MAJOR = 4
    MINOR = 2
    TINY  = 11

    # Branch values:
    # * official release: nil
    # * stable branch:    stable
    # * trunk:            devel
    BRANCH = 'stable'

    ARRAY = [MAJOR, MINOR, TINY, BRANCH].compact.freeze
    STRING = ARRAY.join('.').freeze

    def self.to_a; ARRAY end
    def self.to_s; STRING end
  end
end
EOF
cat >/var/www/redmine/config/environment.rb <<'EOF'
# frozen_string_literal: true

# Load the Rails application
require File.expand_path('../application', __FILE__)

# Initialize the Rails application
Rails.application.initialize!
EOF
cat >/var/www/redmine/Gemfile.lock <<'EOF'
GEM
  remote: https://rubygems.org/
  specs:
    actionpack (5.2.8.1)
      actionview (= 5.2.8.1)
      activesupport (= 5.2.8.1)
      rack (~> 2.0, >= 2.0.8)
    actionview (5.2.8.1)
      activesupport (= 5.2.8.1)
    activesupport (5.2.8.1)
      i18n (>= 0.7, < 2)
      tzinfo (~> 1.1)
    i18n (1.8.11)
    mysql2 (0.5.5)
    nokogiri (1.13.10)
    rack (2.2.6.4)
    rails (5.2.8.1)
      actionpack (= 5.2.8.1)
      activesupport (= 5.2.8.1)
    tzinfo (1.2.11)

PLATFORMS
  ruby

DEPENDENCIES
  i18n (~> 1.8.2)
  mysql2 (~> 0.5.0)
  nokogiri (~> 1.13.10)
  rails (= 5.2.8.1)

BUNDLED WITH
   2.3.26
EOF

# --- mariadb: listens on all interfaces, holds the redmine database ----------
sed -i -e 's/^bind-address\s*=.*/bind-address            = 0.0.0.0/' \
	-e 's/^#\?max_connections\s*=.*/max_connections         = 200/' /etc/mysql/mariadb.conf.d/50-server.cnf
sed -i '/^bind-address/a\
# small box: keep InnoDB small (ops, 2017)\
innodb_buffer_pool_size = 64M\
innodb_log_file_size    = 16M' /etc/mysql/mariadb.conf.d/50-server.cnf
grep -q '^bind-address *= 0.0.0.0' /etc/mysql/mariadb.conf.d/50-server.cnf
install -d -o mysql -g mysql -m 755 /run/mysqld
# bullseye calls them mysqld/mysql/mysqladmin, bookworm mariadbd/mariadb/mariadb-admin
"$(command -v mysqld || command -v mariadbd)" --user=mysql --skip-networking --socket=/run/mysqld/mysqld.sock --pid-file=/run/mysqld/seed.pid >/tmp/mysqld-seed.log 2>&1 &
for _ in $(seq 60); do [ -S /run/mysqld/mysqld.sock ] && break; sleep 0.5; done
"$(command -v mysql || command -v mariadb)" --protocol=socket -uroot <<'EOF'
CREATE DATABASE redmine CHARACTER SET utf8mb4;
CREATE USER 'redmine'@'localhost' IDENTIFIED BY 'redmine-db-pw';
CREATE USER 'redmine'@'127.0.0.1' IDENTIFIED BY 'redmine-db-pw';
CREATE USER 'redmine'@'10.231.0.%' IDENTIFIED BY 'redmine-db-pw';
GRANT ALL PRIVILEGES ON redmine.* TO 'redmine'@'localhost', 'redmine'@'127.0.0.1', 'redmine'@'10.231.0.%';
USE redmine;
CREATE TABLE users (id INT PRIMARY KEY AUTO_INCREMENT, login VARCHAR(64) NOT NULL UNIQUE, mail VARCHAR(128), admin TINYINT(1) NOT NULL DEFAULT 0) ENGINE=InnoDB;
CREATE TABLE issues (id INT PRIMARY KEY AUTO_INCREMENT, subject VARCHAR(255) NOT NULL, status VARCHAR(32) NOT NULL, author_id INT NOT NULL, created_on DATETIME NOT NULL) ENGINE=InnoDB;
INSERT INTO users (login, mail, admin) VALUES ('admin','ops@example.co.jp',1), ('alice','alice@example.co.jp',0), ('tanaka','tanaka@example.co.jp',0);
INSERT INTO issues (subject, status, author_id, created_on) VALUES
 ('Mail relay times out on Mondays', 'New', 2, '2019-03-04 09:12:00'),
 ('Migrate off CentOS 5', 'In Progress', 1, '2017-11-20 18:40:00'),
 ('Backup cron sends empty mails', 'Resolved', 3, '2018-06-01 02:31:00'),
 ('Disk full on /var', 'Closed', 3, '2016-02-29 23:59:00'),
 ('Who owns the contractor key?', 'New', 1, '2020-01-15 10:00:00');
FLUSH PRIVILEGES;
EOF
"$(command -v mysqladmin || command -v mariadb-admin)" --protocol=socket -uroot shutdown
wait
rm -f /tmp/mysqld-seed.log

# --- postfix: relays everything through the collector ------------------------
# The relay has no DNS name, only a line in /etc/hosts: smtp must be told to
# look there instead of DNS (smtp_host_lookup = native), which is how such
# boxes end up configured.
[ -f /etc/postfix/main.cf ] || cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf
postconf -e 'myhostname = legacy.trowel.test' \
	'mydestination = $myhostname, legacy, localhost.localdomain, localhost' \
	'relayhost = [mailrelay.example.co.jp]:25' \
	'smtp_host_lookup = native' \
	'mynetworks = 127.0.0.0/8 [::1]/128 10.231.0.0/24' \
	'inet_interfaces = all' 'inet_protocols = ipv4' \
	'alias_maps = hash:/etc/aliases' 'alias_database = hash:/etc/aliases' \
	'smtp_helo_timeout = 30s' 'compatibility_level = 2'
newaliases

# --- rsyslog: forward everything to the collector over TCP -------------------
cat >/etc/rsyslog.d/60-forward.conf <<'EOF'
# central log server (ops ticket #412)
*.* @@10.231.0.40:514
EOF
# no kernel log inside a container-ish host
sed -i -e 's/^module(load="imklog"/#&/' /etc/rsyslog.conf
# bookworm's rsyslog ships only a systemd unit; a SysV-booted bookworm would
# need the init script bullseye had (trimmed to the essentials)
if [ "$LAB_INIT" = sysv ] && [ ! -e /etc/init.d/rsyslog ]; then
cat >/etc/init.d/rsyslog <<'EOF'
#! /bin/sh
### BEGIN INIT INFO
# Provides:          rsyslog
# Required-Start:    $remote_fs $time
# Required-Stop:     umountnfs $time
# X-Stop-After:      sendsigs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: enhanced syslogd
### END INIT INFO
# Local addition: bookworm's rsyslog package has no SysV script any more.
DAEMON=/usr/sbin/rsyslogd
PIDFILE=/run/rsyslogd.pid
. /lib/lsb/init-functions
case "$1" in
start)
	log_daemon_msg "Starting enhanced syslogd" "rsyslogd" || true
	start-stop-daemon --start --quiet --oknodo --pidfile $PIDFILE --exec $DAEMON && log_end_msg 0 || log_end_msg 1
	;;
stop)
	log_daemon_msg "Stopping enhanced syslogd" "rsyslogd" || true
	start-stop-daemon --stop --quiet --oknodo --retry 5 --pidfile $PIDFILE --exec $DAEMON && log_end_msg 0 || log_end_msg 1
	;;
restart) $0 stop; $0 start ;;
status) status_of_proc -p $PIDFILE $DAEMON rsyslogd && exit 0 || exit $? ;;
*) echo "Usage: $0 {start|stop|restart|status}"; exit 1 ;;
esac
exit 0
EOF
chmod 755 /etc/init.d/rsyslog
update-rc.d rsyslog defaults >/dev/null
fi

# --- logship: in-house log shipper (fluentd forward protocol) ----------------
# (the program and its init script are files of roles/legacy)
if [ "$REDMINE_LOGSHIP" = yes ]; then
install -m 755 ./logship /usr/local/sbin/logship
install -m 755 ./logship.init /etc/init.d/logship
cat >/etc/logship.conf <<'EOF'
# /etc/logship.conf - read by /usr/local/sbin/logship
[logship]
path = /var/log/apache2/access.log
tag = apache.access
host = 10.231.0.40
port = 24224
heartbeat = 30
pos_file = /var/lib/logship/access.pos
EOF
install -d /var/lib/logship
update-rc.d logship defaults >/dev/null
fi

# --- cron: system job, root and deploy crontabs ------------------------------
cat >/etc/cron.d/redmine <<'EOF'
# /etc/cron.d/redmine: Redmine housekeeping (tanaka, 2014-03)
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
MAILTO=redmine-admin@example.co.jp
*/10 * * * *   www-data  find /var/www/redmine/tmp -type f -mmin +60 -delete
17 4 * * *     www-data  /var/www/redmine/script/rotate-attachments.sh >/dev/null 2>&1
EOF
install -d -m 750 /var/backups/redmine
cat >/usr/local/sbin/backup-redmine.sh <<'EOF'
#!/bin/sh
# nightly dump of the redmine database
set -e
mysqldump --single-transaction redmine | gzip >/var/backups/redmine/redmine-$(date +%Y%m%d).sql.gz
EOF
cat >/usr/local/bin/check-redmine.sh <<'EOF'
#!/bin/sh
# poor man's monitoring: fetch the front page, complain if it fails
python3 - <<'PY' || echo "redmine front page check FAILED on $(hostname) at $(date)"
import urllib.request
r = urllib.request.Request("http://127.0.0.1/", headers={"Host": "redmine.example.co.jp", "User-Agent": "check-redmine/1.0"})
urllib.request.urlopen(r, timeout=10).read()
PY
EOF
chmod 755 /usr/local/sbin/backup-redmine.sh /usr/local/bin/check-redmine.sh
cat >/var/spool/cron/crontabs/root <<'EOF'
MAILTO=ops@example.co.jp
# m h  dom mon dow   command
30 2 * * * /usr/local/sbin/backup-redmine.sh >/var/log/backup-redmine.log 2>&1
0 3 * * * find /var/backups/redmine -name 'redmine-*.sql.gz' -mtime +14 -delete
45 3 * * * tar czf /var/backups/etc-$(date +\%a).tar.gz /etc 2>/dev/null
*/5 * * * * /usr/local/bin/check-redmine.sh
@reboot echo "legacy booted at $(date)"; /usr/local/bin/check-redmine.sh
0 9 * * 1 /usr/sbin/sendmail ops@example.co.jp%Subject: weekly ping from legacy%%legacy is still alive%
EOF
chown root:crontab /var/spool/cron/crontabs/root
chmod 600 /var/spool/cron/crontabs/root
install -d -o deploy -g deploy /home/deploy/bin /home/deploy/releases
cat >/home/deploy/bin/worker.sh <<'EOF'
#!/bin/sh
# background worker started from deploy's crontab (@reboot)
while :; do
	date +%s >/home/deploy/worker.heartbeat
	sleep 60
done
EOF
cat >/home/deploy/bin/sync-uploads.sh <<'EOF'
#!/bin/sh
# pretend to sync uploads to the file server
ls /var/www/redmine/files | wc -l
EOF
chown deploy:deploy /home/deploy/bin/*.sh; chmod 755 /home/deploy/bin/*.sh
if [ "$REDMINE_DEPLOY_CRONTAB" = yes ]; then
cat >/var/spool/cron/crontabs/deploy <<'EOF'
MAILTO=""
@reboot nohup /home/deploy/bin/worker.sh >/dev/null 2>&1 &
*/5 * * * * /home/deploy/bin/sync-uploads.sh >>/home/deploy/sync.log 2>&1
EOF
chown deploy:crontab /var/spool/cron/crontabs/deploy
chmod 600 /var/spool/cron/crontabs/deploy
fi

# --- names only /etc/hosts knows, and the filesystems of old -----------------
# lab/up.sh writes /etc/hosts at every start and appends this block to it.
cat >/lab-hosts <<'EOF'
# added by ops 2015-06: the relay and the log host have no DNS names
10.231.0.40	mailrelay.example.co.jp mailrelay loghost.example.co.jp loghost
EOF
cat >/etc/fstab <<'EOF'
# /etc/fstab: static file system information.
# <file system>                      <mount point>                   <type> <options>          <dump> <pass>
UUID=3f6c1c2e-5b1a-4f43-9d7e-2b8f3f0c9a11 /                          ext4   errors=remount-ro  0      1
# uploads archive on the old filer (retired 2019, tanaka)
#10.231.0.40:/export/redmine-archive /var/www/redmine/files/archive nfs  defaults,_netdev   0      0
10.231.0.40:/export/backup           /mnt/backup                     nfs    noauto,_netdev,ro  0      0
EOF

# --- odds and ends -----------------------------------------------------------
cat >/etc/motd <<'EOF'

  redmine production - authorised use only.
  Questions: ops@example.co.jp

EOF
