#!/bin/sh
# Builds roots/el7: the configuration of a CentOS 7 host with httpd 2.4 from Software
# Collections, whose RPM database is internal/rpmdb/testdata/centos7-httpd24 (the
# tests copy it in: 17 MB). /etc/hosts and /etc/host.conf are setup's own files,
# byte for byte (their SHA-256 digests are the database's); httpd.conf is Red Hat's
# stock file for httpd 2.4 in the collection's paths, shortened (its digest is not
# the database's: the .rpmnew beside it stands for an older packaged version).
# Run from internal/survey/files/testdata/roots; kept for the record.
set -eu
R=el7
rm -rf "$R"
mkdir -p "$R/etc/yum.repos.d" "$R/opt/rh/httpd24/root/etc/httpd/conf"
hosts='127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4
::1         localhost localhost.localdomain localhost6 localhost6.localdomain6
'
printf '%s' "$hosts" >"$R/etc/hosts.rpmnew"
printf '%s10.0.0.5    db.internal db\n' "$hosts" >"$R/etc/hosts"
printf 'multi on\n' >"$R/etc/host.conf"
printf 'order hosts,bind\nmulti on\nnospoof on\n' >"$R/etc/host.conf.rpmsave"
printf '/srv/share 10.0.0.0/24(rw,sync,no_root_squash)\n' >"$R/etc/exports"
cat >"$R/etc/yum.repos.d/internal.repo" <<'EOF'
[internal]
name=Internal packages
baseurl=https://repo.internal.example/el7/$basearch/
gpgcheck=0
enabled=1
EOF
C="$R/opt/rh/httpd24/root/etc/httpd/conf"
cat >"$C/httpd.conf.rpmnew" <<'EOF'
#
# This is the main Apache HTTP server configuration file.  It contains the
# configuration directives that give the server its instructions.
# See <URL:http://httpd.apache.org/docs/2.4/> for detailed information.
#
ServerRoot "/opt/rh/httpd24/root/etc/httpd"

#
# Listen: Allows you to bind Apache to specific IP addresses and/or
# ports, instead of the default. See also the <VirtualHost>
# directive.
#
#Listen 12.34.56.78:80
Listen 80

Include conf.modules.d/*.conf

User apache
Group apache

ServerAdmin root@localhost

#ServerName www.example.com:80

<Directory />
    AllowOverride none
    Require all denied
</Directory>

DocumentRoot "/opt/rh/httpd24/root/var/www/html"

<Directory "/opt/rh/httpd24/root/var/www">
    AllowOverride None
    Require all granted
</Directory>

<Directory "/opt/rh/httpd24/root/var/www/html">
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>

<IfModule dir_module>
    DirectoryIndex index.html
</IfModule>

<Files ".ht*">
    Require all denied
</Files>

ErrorLog "logs/error_log"
LogLevel warn

<IfModule log_config_module>
    LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
    LogFormat "%h %l %u %t \"%r\" %>s %b" common
    CustomLog "logs/access_log" combined
</IfModule>

AddDefaultCharset UTF-8

EnableSendfile on

IncludeOptional conf.d/*.conf
EOF
sed -e 's/^Listen 80$/Listen 8080/' -e 's/^#ServerName www.example.com:80$/ServerName www.example.org:8080/' \
	-e 's/^LogLevel warn$/LogLevel info/' "$C/httpd.conf.rpmnew" |
	awk '/^<Directory "\/opt\/rh\/httpd24\/root\/var\/www\/html">$/ { d = 1 } d && /AllowOverride None/ { sub(/None/, "All"); d = 0 } { print }' >"$C/httpd.conf"
cat >>"$C/httpd.conf" <<'EOF'
Listen 8443
<VirtualHost *:8080>
    ServerName app.example.org
    DocumentRoot "/srv/app/public"
</VirtualHost>
EOF
