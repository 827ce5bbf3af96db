# shellcheck shell=bash
# roles/bastion/setup.sh - jump host for ProxyJump tests: only sshd and the
# user "jump" (lab key in authorized_keys, no sudo).
lab_systemd_host bastion ssh
lab_user jump 1100 "ProxyJump account"
cat >/etc/ssh/sshd_config.d/bastion.conf <<'X'
# bastion: key-only logins, forwarding allowed for ProxyJump (-W)
AllowTcpForwarding yes
PasswordAuthentication no
X11Forwarding no
AllowUsers jump root
X
