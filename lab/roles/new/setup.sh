# shellcheck shell=bash
# roles/new/setup.sh - the fresh replacement host (Debian 12 bookworm, booted
# by systemd): openssh-server, sudo, python3, cron and nothing else. Generated
# Ansible is applied to it by later tests. Root logs in with the lab key
# (Debian's default PermitRootLogin prohibit-password).
lab_systemd_host new ssh cron
# The lab has no route to the internet. apt reaches deb.debian.org (and only
# that) through lab/aptproxy.py on the bridge, so playbooks can install
# packages.
cat >/etc/apt/apt.conf.d/01trowel-lab-proxy <<'X'
Acquire::http::Proxy "http://10.231.0.1:3142";
X
# Lab plumbing, as on webapp: a lab host may not set the clock (no
# CAP_SYS_TIME), so once a playbook installs chrony it runs as in containers,
# watching the clock without steering it (-x), where its unit would skip it.
# A drop-in of a unit not yet installed is inert until the unit comes.
install -d "$LAB_UNITS/chrony.service.d"
# Bookworm's unit runs chronyd as _chrony with "!" (root until it drops
# privileges itself), which the line keeps.
cat >"$LAB_UNITS/chrony.service.d/lab.conf" <<'X'
[Unit]
ConditionCapability=

[Service]
ExecStart=
ExecStart=!/usr/sbin/chronyd -x $DAEMON_OPTS
X
