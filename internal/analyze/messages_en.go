package analyze

var messagesEN = map[string]Message{
	"eol.os": {
		Title:   "{product} {cycle} is past its end of life ({eol})",
		Summary: "The operating system ({product} {version}) has had no security updates since {eol}. Every vulnerability found since stays open, and current software no longer builds or runs on it. (End-of-life data of {data_date}.)",
		Hint:    "Migrate to a supported release; this survey is the inventory for it.",
	},
	"eol.middleware": {
		Title:   "{product} {cycle} is past its end of life ({eol})",
		Summary: "{product} {version} gets no fixes since {eol}. A migration that copies it keeps the risk; one that upgrades it must check configuration and client compatibility. (End-of-life data of {data_date}.)",
		Hint:    "Plan the upgrade to a supported {product} release as part of the migration, and test the application against it.",
	},
	"eol.os/undated": {
		Title:   "{product} {version} is past its end of life",
		Summary: "The operating system ({product} {version}) no longer gets security updates; the end-of-life data does not say since when. Every vulnerability found since stays open, and current software no longer builds or runs on it. (End-of-life data of {data_date}.)",
		Hint:    "Migrate to a supported release; this survey is the inventory for it.",
	},
	"eol.middleware/undated": {
		Title:   "{product} {version} is past its end of life",
		Summary: "{product} {version} no longer gets fixes; the end-of-life data does not say since when. A migration that copies it keeps the risk; one that upgrades it must check configuration and client compatibility. (End-of-life data of {data_date}.)",
		Hint:    "Plan the upgrade to a supported {product} release as part of the migration, and test the application against it.",
	},
	"backup.none": {
		Title:   "No backup found",
		Summary: "No backup job, backup agent or recent dump file was found, although every place they are usually kept was read. If this host is lost, its data is lost.",
		Hint:    "Take a full backup before touching the host (database dumps and the data directories listed under storage), and set up regular backups on the new host.",
	},
	"backup.local-only": {
		Title:   "Backups stay on this host",
		Summary: "The backups found are written to this host only ({where}). A lost disk or host takes the data and its backups together: the data has a single point of failure.",
		Hint:    "Copy the backups to another system (rsync, object storage, a backup service), and test a restore.",
	},
	"time.stale-zone": {
		Title:   "{daemon} still runs in the time zone it started with",
		Summary: "{daemon} started at {started}, before /etc/localtime last changed ({changed}); it keeps the zone it started in, not {zone}. Scheduled work fires at times nobody expects — the classic \"cron runs 9 hours late\".",
		Hint:    "Restart {daemon} so it reads the zone again, and on the new host set the zone before the daemons start.",
	},
	"service.running-not-enabled": {
		Title:   "{service} runs but does not start at boot",
		Summary: "{service} is running now but is not enabled: after the next reboot it will be gone, and a rebuilt host copied from the boot configuration would miss it.",
		Hint:    "Decide whether {service} is needed; if so, enable it at boot (and in the new host's configuration).",
	},
	"service.enabled-not-running": {
		Title:   "{service} starts at boot but is not running",
		Summary: "{service} is enabled but was not running at survey time: it failed, was stopped by hand, or is no longer needed.",
		Hint:    "Find out why {service} is down; disable it if it is not needed, rather than carrying it to the new host.",
	},
	"listener.local-service-exposed": {
		Title:   "{what} listens on all interfaces",
		Summary: "{what} accepts connections on {address}:{port}, but no remote client was connected at survey time. Services like this usually serve only local clients; listening everywhere exposes them to the network.",
		Hint:    "Bind it to 127.0.0.1 (or a private interface) on the new host unless remote clients really need it; check the firewall meanwhile.",
	},
	"config.apache22-access": {
		Title:   "Apache 2.2 access control in {file}",
		Summary: "{file} uses Order/Allow/Deny ({count} lines: {lines}). Apache 2.4 rejects these without mod_access_compat, and mixing them with Require gives surprising results.",
		Hint:    "Rewrite them with Require (\"Order allow,deny\" + \"Allow from all\" is \"Require all granted\"; \"Allow from 10.0.0.0/8\" is \"Require ip 10.0.0.0/8\").",
	},
	"account.empty-password": {
		Title:   "Account {user} has an empty password",
		Summary: "{user} can log in without any password wherever password logins are allowed.",
		Hint:    "Lock the password (passwd -l {user}) or set one; do not carry the account over as it is.",
	},
	"sudo.nopasswd": {
		Title:   "{user} may run commands as root without a password",
		Summary: "sudoers grants {user} NOPASSWD rights ({sources}). Whoever holds this account's key or session is root.",
		Hint:    "Keep NOPASSWD only for automation that needs it, limited to the commands it runs; recreate only that on the new host.",
	},
	"keys.orphan": {
		Title:   "Key of \"{comment}\" opens {user}",
		Summary: "{source} lets the key {fingerprint} (\"{comment}\") log in as {user}, and no account here belongs to that person. It may be someone who has left, or a machine nobody remembers.",
		Hint:    "Find out whose key this is; remove it if nobody claims it, and do not copy it to the new host.",
	},
	"tls.expiring": {
		Title:   "Certificate {path} ends {not_after}",
		Summary: "The certificate for {subject} is valid until {not_after} ({days} days left at survey time). An expired certificate breaks every client that checks it, and a migration is when renewals get forgotten.",
		Hint:    "Renew it before the migration and install the new one on the new host; note who renews it and how.",
	},
	"packages.build-tools": {
		Title:   "Compilers and build tools are installed",
		Summary: "This production host carries {packages}. Software was probably built here by hand (look under /usr/local and /opt), and the tools help an intruder too.",
		Hint:    "Find what was built here and package or automate it; leave compilers off the new host.",
	},
	"shipper.unreachable": {
		Title:   "{shipper} has no connection to {destination}",
		Summary: "{shipper} is configured to send logs to {destination} ({source}), but no connection to it was open at survey time. Logs may be piling up or being lost.",
		Hint:    "Check that the destination is up and reachable from this host (and from the new one), and that the shipper's buffer is not full.",
	},
	"connection.unanswered": {
		Title:   "{remote} does not answer: the connection never got past {state}",
		Summary: "{process} was trying to reach {remote} ({purpose}) at survey time, and {count} of its connections were still in {state}: the peer never answered. A firewall drops the packets, or the host is down or gone. This is a broken dependency, not one the replacement must reproduce.",
		Hint:    "Find out whether {remote} should still be reachable. If it should, open the path (firewall, security group, routing) and check it from the new host as well; if it is gone, remove it from the configuration that names it (named in: {refs}).",
	},
	"disk.full": {
		Title:   "{mount} is {pct}% full",
		Summary: "The filesystem on {mount} is {pct}% used. A full disk stops databases, mail and logging, and leaves no room for the dumps a migration needs.",
		Hint:    "Free space or grow the filesystem before the migration; size the new host's disks from the data sizes in this report.",
	},
	"sysctl.not-applied": {
		Title:   "{key} is {value} in force but {where} sets {configured}",
		Summary: "The kernel runs with {key} = {value}, but the boot configuration ({where}) sets {configured}: the next reboot changes it (edited and never applied, or set by hand since). A rebuild copied from the files would not run as this server does.",
		Hint:    "Decide which value is right, then either apply the file (sysctl -p {file}) or change {where} to {value}. The new host is built with the value in force ({value}) until you decide.",
	},
	"sysctl.unknown-key": {
		Title:   "{where} sets {key}, which this kernel does not have",
		Summary: "{where} sets {key} = {configured}, but the running kernel has no such parameter (a module not loaded, or a parameter renamed or removed): the line does nothing here. A newer kernel that has it would apply it for the first time.",
		Hint:    "Find out what the line was for; drop it, or check on the new host that {key} = {configured} is really wanted there.",
	},
	"coverage.live-only": {
		Title:   "Section \"{section}\" needs the running host ({status})",
		Summary: "{reason}. Only a survey of the running host can tell this part; what this report says about {section} is not a statement about the host.",
		Hint:    "Survey the running host over SSH (or trowel survey local on it), without --no-ask: a disk image, a bundle, or a survey told not to ask cannot show it.",
	},
	"coverage.gap": {
		Title:   "Section \"{section}\" could not be fully surveyed ({status})",
		Summary: "{reason}. What this report says about {section} may be incomplete; absence of a fact here is not absence on the host.",
		Hint:    "Survey again with the rights or tools this section needs (often: as root, or with --sudo).",
	},
}
