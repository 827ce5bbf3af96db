# shellcheck shell=bash
# roles/replica/setup.sh - legacy migrated to Debian 12 bookworm, the way a
# migration team would do it, with exactly three planted faults that
# `trowel verify --against legacy` must name (lab/README.md):
#   1. the log shipper was never installed (no logship, no /etc/logship.conf);
#   2. deploy's crontab was not carried over (the account is there, its jobs
#      and the worker its @reboot job starts are not);
#   3. crond starts before the zone is switched to Asia/Tokyo and, unlike
#      legacy's, is not restarted after it (/lab-init.d/pre and post), so it
#      fires in UTC, 9 hours late.
# Everything else is legacy's build (roles/redmine.sh), so that a difference
# verify reports is one of the three.
# Sourced by build.sh, chrooted.

lab_host replica rsyslog mariadb apache2 postfix ssh ssh-legacy cron
REDMINE_ORPHAN_KEY=no REDMINE_LOGSHIP=no REDMINE_DEPLOY_CRONTAB=no REDMINE_STALE_CROND=yes
. ./redmine.sh
