# shellcheck shell=bash
# roles/legacy/setup.sh - the "black-box legacy server" (Debian 11 bullseye
# standing in for a CentOS 5/6 box). Every change roles/redmine.sh makes is
# something trowel must find; lab/README.md lists them. Sourced by build.sh,
# chrooted.

lab_host legacy rsyslog mariadb apache2 postfix logship ssh ssh-legacy cron
REDMINE_ORPHAN_KEY=yes REDMINE_LOGSHIP=yes REDMINE_DEPLOY_CRONTAB=yes REDMINE_STALE_CROND=no REDMINE_UNAPPLIED_SYSCTL=yes
. ./redmine.sh
