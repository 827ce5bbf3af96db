package probe

import "strings"

// logSteps are the log files, their rotation, and the log shippers' configurations.
// Shipper configs name API keys and passwords: every one is read through the secret
// filter.
var logSteps = []Step{
	// Log files: bounded, on /var/log's own filesystem, three levels deep.
	{Kind: Cmd, Name: "var-log-files", Shell: "_fstat 3 /var/log | head -n 3000", Needs: "stat", Limit: medium, Timeout: 20, Offline: "var-log-files"},
	// Rotation rules run commands (postrotate scripts: a curl with a token).
	{Kind: File, Path: "/etc/logrotate.conf", Limit: small, RedactArgs: true},
	{Kind: List, Path: "/etc/logrotate.d"},
	{Kind: Glob, Path: "/etc/logrotate.d/*", Limit: small, RedactArgs: true},

	// syslog daemons: rsyslog (EL6+, Debian), sysklogd (EL5), syslog-ng.
	{Kind: File, Path: "/etc/rsyslog.conf", Limit: small, Redact: true},
	{Kind: List, Path: "/etc/rsyslog.d"},
	{Kind: Glob, Path: "/etc/rsyslog.d/*.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/syslog.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/syslog-ng/syslog-ng.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/syslog-ng/conf.d/*.conf", Limit: small, Redact: true},

	// fluentd in its packagings, and fluent-bit.
	{Kind: File, Path: "/etc/td-agent/td-agent.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/td-agent/conf.d/*.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/fluent/fluentd.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/fluent/fluent.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/fluent/conf.d/*.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/td-agent-bit/*.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/fluent-bit/*.conf", Limit: small, Redact: true},

	// Agents of the log platforms.
	{Kind: File, Path: "/etc/filebeat/filebeat.yml", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/vector/vector.toml", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/vector/vector.yaml", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/newrelic-infra.yml", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/newrelic-infra/logging.d/*.yml", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/mackerel-agent/mackerel-agent.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/datadog-agent/datadog.yaml", Limit: small, Redact: true},

	// In-house shippers are found by what they do, not by name: the configs of the
	// processes connected to a log collector's port (see the probe's _logconfs).
	{Kind: Cmd, Name: "log-shipper-configs", Shell: "_logconfs", Needs: "awk", Limit: medium, Timeout: 20, Redact: true},
	// How far each shipper has read: the position files it keeps, and the size of
	// the logs they name at the same moment.
	{Kind: Cmd, Name: "log-positions", Shell: "_logpos " + strings.Join(LogPositionConfigs, " ") + " -- " + strings.Join(LogPositionFiles, " "), Needs: "stat", Limit: medium, Timeout: 20},
}

// LogPositionConfigs are the shipper configs whose pos_file settings name position
// files; LogPositionFiles the position files found by their place (shell globs).
var (
	LogPositionConfigs = []string{
		"/etc/td-agent/td-agent.conf", "/etc/td-agent/conf.d/*.conf",
		"/etc/fluent/fluentd.conf", "/etc/fluent/fluent.conf", "/etc/fluent/conf.d/*.conf",
	}
	LogPositionFiles = []string{
		"/var/lib/rsyslog/imfile-state:*", "/var/spool/rsyslog/imfile-state:*",
		"/var/lib/filebeat/registry/filebeat/log.json", "/var/lib/filebeat/registry/filebeat/data.json",
		"/var/lib/filebeat/registry",
	}
)

// backupSteps are the traces of backups: the scripts cron jobs run (a crontab line
// says only "backup.sh") and the files in backup places.
var backupSteps = []Step{
	{Kind: Cmd, Name: "cron-scripts", Shell: "_cron_scripts", Needs: "tr", Limit: medium, Timeout: 20, Redact: true, Offline: "cron-scripts"},
	{Kind: Cmd, Name: "backup-files", Shell: "_backup_files | head -n 3000", Needs: "stat", Limit: medium, Timeout: 30, Offline: "backup-files"},
}

// hintSteps are what a host left behind of what ran on it: pid and lock files, and
// the local mailboxes with the mail nobody read (root's is where cron's errors go).
var hintSteps = []Step{
	{Kind: Cmd, Name: "run-hints", Shell: "_run_hints", Needs: "stat", Limit: small, Timeout: 10, Offline: "run-hints"},
	{Kind: Cmd, Name: "mail-spools", Shell: "_mail_spools /var/spool/mail /var/mail", Needs: "stat", Limit: small, Timeout: 60, Offline: "mail-spools"},
}
