# shellcheck shell=bash
# roles/replica/setup.sh - legacy migrated to Debian 12 bookworm (booted by
# systemd, as bookworm is), the way a migration team would do it, with
# exactly three planted faults that
# `trowel verify --against legacy` must name (lab/README.md):
#   1. the log shipper was never installed (no logship, no /etc/logship.conf);
#   2. deploy's crontab was not carried over (the account is there, its jobs
#      and the worker its @reboot job starts are not);
#   3. crond starts before the zone is switched to Asia/Tokyo and, unlike
#      legacy's, is not restarted after it (/lab-init.d/pre and post, run by
#      the units lab-pre before sysinit.target and lab-post after
#      multi-user.target), so it fires in UTC, 9 hours late.
# Everything else is legacy's build (roles/redmine.sh), so that a difference
# verify reports is one of the three. One line of it the team did not carry
# over: legacy's edit of /etc/sysctl.conf that was never applied there
# (REDMINE_UNAPPLIED_SYSCTL); under systemd, systemd-sysctl would apply it at
# boot and the value in force would differ from legacy's.
# Sourced by build.sh, chrooted.

lab_systemd_host replica rsyslog mariadb apache2 postfix ssh ssh-legacy cron
REDMINE_ORPHAN_KEY=no REDMINE_LOGSHIP=no REDMINE_DEPLOY_CRONTAB=no REDMINE_STALE_CROND=yes REDMINE_UNAPPLIED_SYSCTL=no
. ./redmine.sh
