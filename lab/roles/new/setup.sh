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
