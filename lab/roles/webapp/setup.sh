# shellcheck shell=bash
# roles/webapp/setup.sh - a second source host, shaped unlike legacy: Debian 11
# bullseye booted by systemd, whose software largely came from outside the
# package manager. Everything here is something trowel must find (or keep to
# itself: the secrets); lab/README.md lists it, and each planted value is
# recorded in /lab-planted for lab.json. Sourced by build.sh, chrooted, no
# network: what it installs was fetched into the base image (build-base.sh
# @download and @source).

lab_systemd_host webapp ssh apache2 mysql fluentd postfix chrony cron redmine-sync.timer

# The secrets, each in the place such things end up, each a value found
# nowhere else, so that a test can look for it in everything trowel writes.
SECRET_MAILHANDLER_KEY=MHk-4f9c2e71a8d3b605
SECRET_CRON_API_KEY=apik-91d0c7e3f2b84a66
SECRET_UNIT_API_TOKEN=tok-5e8a1f03c9d2b774
SECRET_DUMP_PASSWORD=dumppw-c3b9e6a12f70d845
SECRET_URL_TOKEN=urltok-a7d4e9b0316fc258
SECRET_DB_PASSWORD=redmine-web-db-pw-6b2f
SECRET_SMTP_PASSWORD=smtp-pw-0e7c5a9d1438

APP_VERSION=4.2.11
APP=/srv/apps/redmine-$APP_VERSION
DB_VERSION=10.5.23
DB_HOME=/opt/mariadb-$DB_VERSION-linux-x86_64
LUA_VERSION=5.4.2
FLUENTD_VERSION=1.16.5

echo "webapp.trowel.test" >/etc/mailname
ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime
echo Asia/Tokyo >/etc/timezone
lab_plant timezone Asia/Tokyo

# --- people ------------------------------------------------------------------
lab_user ops 1002 "Ops team (shared)"
cat >/etc/sudoers.d/ops <<'EOF'
ops ALL=(ALL:ALL) ALL
EOF
chmod 440 /etc/sudoers.d/ops
useradd --system --user-group --home-dir "$APP" --no-create-home --shell /usr/sbin/nologin --comment "Redmine" redmine
useradd --system --user-group --home-dir /var/lib/fluent --no-create-home --shell /usr/sbin/nologin --groups adm --comment "fluentd" fluentd
useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /bin/false --comment "MariaDB Server" mysql

# --- a runtime built from source under /usr/local ------------------------------
# Lua from its source package's upstream tarball, built on the box and
# installed with the tarball's own `make install` (INSTALL_TOP=/usr/local);
# the tree stayed in /usr/local/src, and so did the compiler.
tar -xzf /var/cache/lab-fetch/src/lua5.4_$LUA_VERSION.orig.tar.gz -C /usr/local/src
[ -d /usr/local/src/lua-$LUA_VERSION ]
make -s -C /usr/local/src/lua-$LUA_VERSION linux >/dev/null
make -s -C /usr/local/src/lua-$LUA_VERSION install INSTALL_TOP=/usr/local >/dev/null
/usr/local/bin/lua -v
lab_plant runtime_from_source "/usr/local/bin/lua (Lua $LUA_VERSION, built in /usr/local/src/lua-$LUA_VERSION)"

# --- a database whose package is absent: MariaDB from a "tarball" -------------
# The files of Debian's MariaDB packages, extracted (never installed: dpkg
# knows nothing of them) into the layout of MariaDB's binary tarball under
# /opt, with the usual /usr/local/mysql link, an init script copied from its
# support-files and /etc/my.cnf. The libraries it needs are the distribution's.
x=$(mktemp -d)
for deb in /var/cache/lab-fetch/debs/mariadb-*.deb; do dpkg-deb -x "$deb" "$x"; done
install -d "$DB_HOME"/{bin,share,scripts,support-files}
cp -a "$x"/usr/bin/. "$x"/usr/sbin/. "$DB_HOME/bin/"
cp -a "$x"/usr/share/mysql/. "$DB_HOME/share/"
install -d "$DB_HOME/lib"
cp -a "$x"/usr/lib/mysql/plugin "$DB_HOME/lib/plugin"
mv "$DB_HOME/bin/mariadb-install-db" "$DB_HOME/scripts/mysql_install_db"
install -m 755 ./mysql.server "$DB_HOME/support-files/mysql.server"
rm -rf "$x" /var/cache/lab-fetch/debs
ln -s "$DB_HOME" /usr/local/mysql
if ldd "$DB_HOME/bin/mariadbd" "$DB_HOME/bin/mysql" "$DB_HOME/bin/mysqldump" | grep 'not found'; then
	echo "the tarball MariaDB lacks libraries" >&2
	exit 1
fi
cat >/etc/my.cnf <<'EOF'
# MariaDB 10.5 from the binary tarball in /opt (ops, 2021-05)
[mysqld]
user                    = mysql
basedir                 = /usr/local/mysql
datadir                 = /usr/local/mysql/data
socket                  = /tmp/mysql.sock
port                    = 3306
bind-address            = 127.0.0.1
lc-messages-dir         = /usr/local/mysql/share
character-sets-dir      = /usr/local/mysql/share/charsets
plugin-dir              = /usr/local/mysql/lib/plugin
log-error               = /var/log/mysql/error.log
character-set-server    = utf8mb4
innodb_buffer_pool_size = 128M
innodb_log_file_size    = 48M
max_connections         = 100

[client]
socket                  = /tmp/mysql.sock
EOF
install -d -o mysql -g adm -m 2750 /var/log/mysql
install -m 755 ./mysql.server /etc/init.d/mysql
update-rc.d mysql defaults >/dev/null
/usr/local/mysql/scripts/mysql_install_db --defaults-file=/etc/my.cnf --basedir=/usr/local/mysql \
	--user=mysql --auth-root-authentication-method=normal >/tmp/install-db.log 2>&1 ||
	{ cat /tmp/install-db.log; exit 1; }
rm -f /tmp/install-db.log
/usr/local/mysql/bin/mariadbd --defaults-file=/etc/my.cnf --skip-networking --pid-file=/tmp/seed.pid >/dev/null 2>&1 &
for _ in $(seq 120); do [ -S /tmp/mysql.sock ] && break; sleep 0.5; done
mysql() { /usr/local/mysql/bin/mysql --defaults-file=/etc/my.cnf -uroot "$@"; }
mysql <<EOF
ALTER USER 'root'@'localhost' IDENTIFIED BY '$SECRET_DUMP_PASSWORD';
CREATE DATABASE redmine CHARACTER SET utf8mb4;
CREATE USER 'redmine'@'localhost' IDENTIFIED BY '$SECRET_DB_PASSWORD';
CREATE USER 'redmine'@'127.0.0.1' IDENTIFIED BY '$SECRET_DB_PASSWORD';
GRANT ALL PRIVILEGES ON redmine.* TO 'redmine'@'localhost', 'redmine'@'127.0.0.1';
FLUSH PRIVILEGES;
EOF
# A few hundred MB of real rows: issues and journals as Redmine keeps them,
# and the wiki's page history. Not sparse: InnoDB's page compression would
# punch a hole into every page, but overlayfs copies a file up whole (holes
# under 1 MB filled) when MariaDB opens it, so a running lab host could not
# keep it sparse; apparent and allocated sizes are about the same.
mysql -p"$SECRET_DUMP_PASSWORD" redmine <<'EOF'
CREATE TABLE issues (id INT PRIMARY KEY AUTO_INCREMENT, subject VARCHAR(255) NOT NULL, status VARCHAR(32) NOT NULL, created_on DATETIME NOT NULL) ENGINE=InnoDB;
CREATE TABLE journals (id INT PRIMARY KEY AUTO_INCREMENT, issue_id INT NOT NULL, notes TEXT NOT NULL, created_on DATETIME NOT NULL, KEY (issue_id)) ENGINE=InnoDB;
CREATE TABLE wiki_content_versions (id INT PRIMARY KEY AUTO_INCREMENT, page_id INT NOT NULL, version INT NOT NULL, data LONGTEXT NOT NULL, updated_on DATETIME NOT NULL) ENGINE=InnoDB;
INSERT INTO issues (subject, status, created_on)
  SELECT CONCAT('Support request #', seq), ELT(1 + seq % 4, 'New', 'In Progress', 'Resolved', 'Closed'), '2021-06-01' + INTERVAL seq MINUTE FROM seq_1_to_20000;
INSERT INTO journals (issue_id, notes, created_on)
  SELECT 1 + seq % 20000, CONCAT_WS(' ', SHA2(seq, 512), SHA2(seq + 1, 512), SHA2(seq + 2, 512)), '2021-06-01' + INTERVAL seq MINUTE FROM seq_1_to_150000;
INSERT INTO wiki_content_versions (page_id, version, data, updated_on)
  SELECT 1 + seq % 500, seq, REPEAT(CONCAT('h2. Runbook ', seq, '\n\nRestart the mail handler, then check the queue. '), 100), '2021-06-01' + INTERVAL seq MINUTE FROM seq_1_to_20000;
EOF
/usr/local/mysql/bin/mysqladmin --defaults-file=/etc/my.cnf -uroot -p"$SECRET_DUMP_PASSWORD" shutdown
wait
lab_plant db_basedir "/usr/local/mysql -> $DB_HOME"
lab_plant db_datadir /usr/local/mysql/data
lab_plant db_data_apparent_bytes "$(du -s --apparent-size -B1 "$DB_HOME/data" | cut -f1)"
lab_plant db_data_allocated_bytes "$(du -s -B1 "$DB_HOME/data" | cut -f1)"
lab_plant secret_backup_mysqldump_password "$SECRET_DUMP_PASSWORD"
lab_plant secret_database_yml_password "$SECRET_DB_PASSWORD"

# --- the application: a tree outside any package, served by Passenger --------
install -d -o redmine -g redmine "$APP" "$APP"/{app/models,config,db,extra/mail_handler,lib/redmine,log,public,script,tmp}
install -m 644 ./app/config.ru "$APP/config.ru"
cat >"$APP/lib/redmine/version.rb" <<EOF
# frozen_string_literal: true

require 'rexml/document'

module Redmine
  # @private
  module VERSION
    MAJOR = ${APP_VERSION%%.*}
    MINOR = $(echo "$APP_VERSION" | cut -d. -f2)
    TINY  = ${APP_VERSION##*.}

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
cat >"$APP/Gemfile" <<'EOF'
source 'https://rubygems.org'

gem 'rails', '5.2.8.1'
gem 'rack', '~> 2.0'
gem 'mysql2', '~> 0.5.0'
gem 'i18n', '~> 1.8.2'
EOF
cat >"$APP/Gemfile.lock" <<'EOF'
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
    mysql2 (0.5.3)
    rack (2.1.4)
    rails (5.2.8.1)
      actionpack (= 5.2.8.1)
      activesupport (= 5.2.8.1)
    tzinfo (1.2.11)

PLATFORMS
  ruby

DEPENDENCIES
  i18n (~> 1.8.2)
  mysql2 (~> 0.5.0)
  rails (= 5.2.8.1)

BUNDLED WITH
   2.1.4
EOF
cat >"$APP/config/database.yml" <<EOF
production:
  adapter: mysql2
  database: redmine
  host: 127.0.0.1
  port: 3306
  username: redmine
  password: "$SECRET_DB_PASSWORD"
  encoding: utf8mb4
EOF
cat >"$APP/config/configuration.yml" <<EOF
# Redmine configuration (see configuration.yml.example)
production:
  email_delivery:
    delivery_method: :smtp
    smtp_settings:
      address: mailrelay.example.co.jp
      port: 587
      authentication: :login
      domain: example.co.jp
      user_name: redmine@example.co.jp
      password: "$SECRET_SMTP_PASSWORD"
  attachments_storage_path: $APP/files
  scm_subversion_command: svn
EOF
# Passenger loads this instead of running Bundler when it exists: the gems of
# Gemfile.lock were never installed here, the app runs on the distribution's.
cat >"$APP/config/setup_load_paths.rb" <<'EOF'
# Load paths: Debian's ruby-rack and ruby-mysql2 (no bundle on this box).
require "rubygems"
EOF
cat >"$APP/config/environment.rb" <<'EOF'
# frozen_string_literal: true

# Load the Rails application
require File.expand_path('../application', __FILE__)

# Initialize the Rails application
Rails.application.initialize!
EOF
cat >"$APP/public/404.html" <<'EOF'
<!DOCTYPE html><html><head><title>Redmine 404 error</title></head><body><h2>404</h2></body></html>
EOF
cat >"$APP/extra/mail_handler/rdm-mailhandler.rb" <<'EOF'
#!/usr/bin/env ruby
# Reads an email from standard input and forwards it to a Redmine server
# (Redmine's extra/mail_handler/rdm-mailhandler.rb, trimmed).
require 'net/http'
require 'optparse'
opts = {}
OptionParser.new do |o|
  o.on('-u', '--url URL') { |v| opts[:url] = v }
  o.on('-k', '--key KEY') { |v| opts[:key] = v }
  o.on('--project PROJECT') { |v| opts[:project] = v }
end.parse!
uri = URI(opts[:url].chomp('/') + '/mail_handler')
res = Net::HTTP.post_form(uri, 'key' => opts[:key], 'email' => $stdin.read, 'issue[project]' => opts[:project].to_s)
exit(res.is_a?(Net::HTTPSuccess) ? 0 : 75)
EOF
cat >"$APP/script/weekly-report" <<'EOF'
#!/usr/bin/env ruby
# Mails the week's issue statistics to the managers, through Redmine's REST API.
require 'net/http'
require 'optparse'
opts = {}
OptionParser.new do |o|
  o.on('--api-key KEY') { |v| opts[:key] = v }
  o.on('--url URL') { |v| opts[:url] = v }
end.parse!
res = Net::HTTP.get_response(URI("#{opts[:url]}/issues.json?key=#{opts[:key]}&status_id=*"))
puts "weekly report: HTTP #{res.code}"
EOF
cat >"$APP/script/sync.lua" <<'EOF'
-- Pushes the issues changed since the last run to the helpdesk
-- (redmine-sync.service, every 30 minutes). API_TOKEN comes from the unit.
local token = os.getenv("API_TOKEN") or error("API_TOKEN is not set")
local url = os.getenv("HELPDESK_URL") or "https://helpdesk.example.co.jp/api"
local log = assert(io.open("/srv/apps/redmine-4.2.11/log/sync.log", "a"))
log:write(os.date("%Y-%m-%d %H:%M:%S"), " sync to ", url, " (token ", #token, " chars)\n")
log:close()
EOF
cat >"$APP/script/digest.lua" <<'EOF'
-- The US office's morning digest.
print(os.date("digest for %Y-%m-%d"))
EOF
chmod 755 "$APP/extra/mail_handler/rdm-mailhandler.rb" "$APP/script/weekly-report"
# attachments: some MB of files, as Redmine stores them (files/YYYY/MM/)
install -d "$APP/files/2021/06" "$APP/files/2022/11" "$APP/files/2023/02"
n=0
for f in 2021/06/210601093012_network-diagram.pdf 2021/06/210614171540_mail-relay-logs.tar.gz \
	2022/11/221107080102_backup-restore-test.xlsx 2023/02/230220112233_screenshot.png \
	2023/02/230228190001_incident-report.docx; do
	n=$((n + 1))
	head -c $((n * 700 * 1024)) /dev/urandom >"$APP/files/$f"
done
chown -R redmine:redmine "$APP"
chmod 640 "$APP/config/database.yml" "$APP/config/configuration.yml"
ln -s "$APP" /var/www/redmine
lab_plant app_root "$APP"
lab_plant app_docroot_symlink "/var/www/redmine -> $APP"
lab_plant app_version "$APP_VERSION"
lab_plant secret_smtp_password "$SECRET_SMTP_PASSWORD"

a2dissite -q 000-default >/dev/null
a2enmod -q passenger >/dev/null
cat >/etc/apache2/sites-available/redmine.conf <<'EOF'
# Redmine (support desk), Passenger. The release in use is where
# /var/www/redmine points (ops, 2021-06).
PassengerPreStart http://127.0.0.1/

<VirtualHost *:80>
    ServerName redmine.example.co.jp
    ServerAlias webapp redmine
    ServerAdmin ops@example.co.jp
    DocumentRoot /var/www/redmine/public
    PassengerAppRoot /var/www/redmine
    PassengerRuby /usr/bin/ruby
    PassengerMinInstances 1

    <Directory /var/www/redmine/public>
        Options -MultiViews
        AllowOverride None
        Require all granted
    </Directory>

    ErrorLog ${APACHE_LOG_DIR}/redmine_error.log
    # fluentd tails this file (/etc/fluent/fluent.conf)
    CustomLog ${APACHE_LOG_DIR}/redmine_access.log combined
</VirtualHost>
EOF
a2ensite -q redmine >/dev/null
lab_plant vhost /etc/apache2/sites-available/redmine.conf

# --- a log shipper installed outside the package manager -------------------
# fluentd by `gem install` (the lab's stand-in gem, built here from ./fluentd:
# see lab/README.md), a unit written by hand, its config in /etc/fluent.
(cd ./fluentd && gem build --silent fluentd.gemspec >/dev/null && gem install --local --no-document ./fluentd-$FLUENTD_VERSION.gem >/dev/null)
[ -x /usr/local/bin/fluentd ]
install -d /etc/fluent
install -d -o fluentd -g fluentd /var/lib/fluent
cat >/etc/fluent/fluent.conf <<'EOF'
# Apache's access log to the central fluentd (ops, 2021-07)
<source>
  @type tail
  path /var/log/apache2/redmine_access.log
  pos_file /var/lib/fluent/redmine_access.log.pos
  tag apache.access
  <parse>
    @type apache2
  </parse>
</source>

<match apache.**>
  @type forward
  keepalive true
  <server>
    name loghost
    host 10.231.0.40
    port 24224
  </server>
  <buffer>
    flush_interval 5s
  </buffer>
</match>
EOF
cat >/etc/systemd/system/fluentd.service <<'EOF'
[Unit]
Description=fluentd (gem install fluentd -v 1.16.5)
Documentation=https://docs.fluentd.org/
After=network-online.target apache2.service
Wants=network-online.target

[Service]
User=fluentd
Group=fluentd
SupplementaryGroups=adm
ExecStart=/usr/local/bin/fluentd -c /etc/fluent/fluent.conf
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
/usr/local/bin/fluentd --dry-run -c /etc/fluent/fluent.conf
lab_plant log_shipper "fluentd -> 10.231.0.40:24224"
lab_plant fluentd_gem "/var/lib/gems/$(ruby -e 'print RbConfig::CONFIG["ruby_version"]')/gems/fluentd-$FLUENTD_VERSION"
lab_plant fluentd_pos_file /var/lib/fluent/redmine_access.log.pos

# --- mail: postfix relays to the collector; a mail handler in /etc/aliases ----
[ -f /etc/postfix/main.cf ] || cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf
postconf -e 'myhostname = webapp.trowel.test' \
	'mydestination = $myhostname, webapp, localhost.localdomain, localhost' \
	'relayhost = [10.231.0.40]:25' \
	'mynetworks = 127.0.0.0/8' \
	'inet_interfaces = loopback-only' 'inet_protocols = ipv4' \
	'alias_maps = hash:/etc/aliases' 'alias_database = hash:/etc/aliases' \
	'compatibility_level = 2'
cat >>/etc/aliases <<EOF
root: ops@example.co.jp
# incoming support mail becomes Redmine issues
support: "|$APP/extra/mail_handler/rdm-mailhandler.rb --url http://redmine.example.co.jp --key $SECRET_MAILHANDLER_KEY --project support"
EOF
newaliases
lab_plant relayhost "[10.231.0.40]:25"
lab_plant secret_aliases_mailhandler_key "$SECRET_MAILHANDLER_KEY"

# --- Dovecot: installed, configured, then stopped and disabled ---------------
cat >/etc/dovecot/local.conf <<'EOF'
# IMAP for the support mailbox (ops, 2020-11). Retired when mail moved to the
# mail handler (2021-06): stopped and disabled, left installed.
protocols = imap
listen = *
mail_location = maildir:~/Maildir
disable_plaintext_auth = no
ssl = no
EOF
lab_inactive dovecot

# --- time: Asia/Tokyo, chrony with the company's servers ---------------------
sed -i -e 's/^pool /#pool /' /etc/chrony/chrony.conf
cat >>/etc/chrony/chrony.conf <<'EOF'

# company NTP servers (ops, 2021-05)
server ntp1.example.co.jp iburst
server ntp2.example.co.jp iburst
EOF
# Lab plumbing: a lab host may not set the clock (no CAP_SYS_TIME), so
# chronyd runs as it does in containers, watching the clock without steering
# it (-x), where its unit would otherwise skip it.
install -d "$LAB_UNITS/chrony.service.d"
cat >"$LAB_UNITS/chrony.service.d/lab.conf" <<'EOF'
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=/usr/sbin/chronyd -x $DAEMON_OPTS
EOF
cat >/lab-hosts <<'EOF'
# company servers without DNS names (ops, 2021-05)
10.231.0.40	ntp1.example.co.jp ntp2.example.co.jp mailrelay.example.co.jp
EOF

# --- scheduled work: cron (one crontab with CRON_TZ) and a systemd timer ------
cat >/usr/local/sbin/backup-db.sh <<EOF
#!/bin/sh
# nightly dump of every database (ops, 2021-05)
# (-S: the client library's /etc/mysql/my.cnf points clients elsewhere)
set -e
/usr/local/mysql/bin/mysqldump -S /tmp/mysql.sock -uroot -p$SECRET_DUMP_PASSWORD --all-databases --single-transaction | gzip >/var/backups/db/all-\$(date +%Y%m%d).sql.gz
find /var/backups/db -name 'all-*.sql.gz' -mtime +7 -delete
EOF
chmod 700 /usr/local/sbin/backup-db.sh
install -d -m 750 /var/backups/db
cat >/etc/cron.d/redmine-reports <<EOF
# weekly statistics for the managers (tanaka, 2021-06)
MAILTO=redmine-admin@example.co.jp
30 7 * * 1 redmine $APP/script/weekly-report --api-key=$SECRET_CRON_API_KEY --url=http://redmine.example.co.jp
EOF
cat >/var/spool/cron/crontabs/root <<EOF
MAILTO=ops@example.co.jp
15 1 * * * /usr/local/sbin/backup-db.sh >/var/log/backup-db.log 2>&1
*/10 * * * * curl -fsS 'https://status.example.co.jp/api/push?token=$SECRET_URL_TOKEN&status=up' >/dev/null 2>&1
EOF
cat >/var/spool/cron/crontabs/redmine <<'EOF'
# the US office's digest, at 08:00 their time
CRON_TZ=America/New_York
0 8 * * 1-5 /usr/local/bin/lua /srv/apps/redmine-4.2.11/script/digest.lua
EOF
chown root:crontab /var/spool/cron/crontabs/root
chown redmine:crontab /var/spool/cron/crontabs/redmine
chmod 600 /var/spool/cron/crontabs/root /var/spool/cron/crontabs/redmine
lab_plant secret_cron_api_key "$SECRET_CRON_API_KEY"
lab_plant secret_url_token "$SECRET_URL_TOKEN"
lab_plant cron_tz_job "redmine: CRON_TZ=America/New_York (Debian's cron ignores it: fires in Asia/Tokyo)"

cat >/etc/systemd/system/redmine-sync.service <<EOF
[Unit]
Description=Sync changed Redmine issues to the helpdesk

[Service]
Type=oneshot
User=redmine
Environment=API_TOKEN=$SECRET_UNIT_API_TOKEN
Environment=HELPDESK_URL=https://helpdesk.example.co.jp/api
ExecStart=/usr/local/bin/lua $APP/script/sync.lua
EOF
cat >/etc/systemd/system/redmine-sync.timer <<'EOF'
[Unit]
Description=Sync changed Redmine issues to the helpdesk every 30 minutes

[Timer]
OnCalendar=*:0/30
Persistent=true

[Install]
WantedBy=timers.target
EOF
lab_plant secret_unit_api_token "$SECRET_UNIT_API_TOKEN"
lab_plant timer redmine-sync.timer
