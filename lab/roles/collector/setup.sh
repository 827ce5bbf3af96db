# shellcheck shell=bash
# roles/collector/setup.sh - "the outside world" of the legacy host: a tiny
# sink (python3, /usr/local/sbin/lab-sink) accepting SMTP on 25, syslog over
# TCP on 514 and fluentd forward on 24224, keeping connections open so the
# legacy host's outbound connections show as ESTABLISHED. Received data goes
# to /var/log/lab-sink/{mail,syslog,forward}.log.
lab_systemd_host collector ssh lab-sink
install -m 755 ./lab-sink /usr/local/sbin/lab-sink
install -d -m 755 /var/log/lab-sink
cat >/etc/systemd/system/lab-sink.service <<'EOF'
[Unit]
Description=trowel lab sink: SMTP on 25, syslog on 514, fluentd forward on 24224
After=network.target

[Service]
ExecStart=/usr/local/sbin/lab-sink /var/log/lab-sink
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
