package probe

// timeSteps read how the host keeps time. /etc/timezone, /etc/sysconfig/clock and the
// /etc listing (where /etc/localtime points) are foundation steps; here comes the
// zone file itself, for hosts where it is a copy and only its content names the zone.
var timeSteps = []Step{
	// TZif is binary: never through the text filter, which would drop its NUL bytes.
	{Kind: File, Path: "/etc/localtime", Limit: small},
	{Kind: Cmd, Name: "localtime-mtime", Shell: "_lmtime /etc/localtime", Limit: small, Timeout: 5, Offline: "localtime-mtime"},
	// Only the TZ entry of cron's environment leaves the host, never the rest.
	{Kind: Cmd, Name: "crond-tz", Shell: "_crondtz", Limit: small, Timeout: 10},
	{Kind: File, Path: "/etc/ntp.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/chrony.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/chrony/chrony.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/systemd/timesyncd.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/openntpd/ntpd.conf", Limit: small, Redact: true},
	{Kind: Cmd, Name: "chronyc-tracking", Shell: "chronyc -n tracking", Needs: "chronyc", Limit: small, Timeout: 5},
	{Kind: Cmd, Name: "ntpq-pn", Shell: "ntpq -pn", Needs: "ntpq", Limit: small, Timeout: 10},
	{Kind: Cmd, Name: "timedatectl", Shell: "timedatectl", Needs: "timedatectl", When: "[ -d /run/systemd/system ]", Limit: small, Timeout: 10},
}

// cronSteps read scheduled work. Crontabs pass the secret filter: a job line may hold
// a password. Spool directories are root-only; the listing says so when denied.
var cronSteps = []Step{
	{Kind: File, Path: "/etc/crontab", Limit: small, Redact: true},
	{Kind: List, Path: "/etc/cron.d"},
	{Kind: Glob, Path: "/etc/cron.d/*", Limit: small, Redact: true},
	{Kind: List, Path: "/etc/cron.hourly"},
	{Kind: List, Path: "/etc/cron.daily"},
	{Kind: List, Path: "/etc/cron.weekly"},
	{Kind: List, Path: "/etc/cron.monthly"},
	{Kind: File, Path: "/etc/anacrontab", Limit: small, Redact: true},
	{Kind: List, Path: "/var/spool/cron"},
	{Kind: Glob, Path: "/var/spool/cron/*", Limit: small, Redact: true},
	{Kind: List, Path: "/var/spool/cron/crontabs"},
	{Kind: Glob, Path: "/var/spool/cron/crontabs/*", Limit: small, Redact: true},
	// Which run-parts files are executable, and which absolute paths the crontabs
	// name exist as executables: the listings carry no modes.
	{Kind: Cmd, Name: "cron-exec", Shell: "_cronexec", Limit: small, Timeout: 10, Offline: "cron-exec"},
	{Kind: Cmd, Name: "systemctl-list-timers", Shell: "systemctl list-timers --all --no-pager", Needs: "systemctl", When: "[ -d /run/systemd/system ]", Limit: small, Timeout: 15},
	{Kind: Glob, Path: "/etc/systemd/system/*.timer", Limit: small},
	{Kind: Glob, Path: "/lib/systemd/system/*.timer", Limit: small},
	{Kind: Glob, Path: "/usr/lib/systemd/system/*.timer", Limit: small},
	// Whom a timer's job runs as is its service's User= (none is root).
	{Kind: Cmd, Name: "timer-services", Shell: "systemctl list-timers --all --no-pager --no-legend | awk '{print $NF}' | grep '[.]service$' | xargs -r systemctl show --no-pager -p Id -p User", Needs: "systemctl", When: "[ -d /run/systemd/system ]", Limit: small, Timeout: 15},
	// atq only: at job files carry the submitter's whole environment.
	{Kind: Cmd, Name: "atq", Shell: "atq", Needs: "atq", Limit: small, Timeout: 10},
}
