package probe

// SudoersIncludes is the Glob pattern that reads the files sudoers includes: the
// probe cannot know them in advance, so the prologue's _sudoers_includes reads
// /etc/sudoers's include lines on the host and names them, and the offline reader
// recognises the pattern and does the same in Go (collect/offline_accounts.go).
const SudoersIncludes = "$(_sudoers_includes /etc/sudoers)"

// accountSteps are who may log in and what they may do: login.defs (the uid ranges),
// sudoers and its includes, authorized_keys in every home, sshd's access settings and
// the last logins. /etc/passwd, /etc/group and the shadow states come with the
// foundation.
var accountSteps = []Step{
	{Kind: File, Path: "/etc/login.defs", Limit: small},
	// sudoers(5) has no setting that holds a secret, and the config filter would eat
	// aliases and groups whose names hold PASSWD or KEY, hiding rights; but the
	// commands a rule allows may carry one (mysqldump -pX): the command rules alone.
	{Kind: File, Path: "/etc/sudoers", Limit: medium, RedactCommands: true},
	{Kind: List, Path: "/etc/sudoers.d"},
	{Kind: Glob, Path: SudoersIncludes, Limit: medium, RedactCommands: true},
	{Kind: HomeFile, Path: ".ssh/authorized_keys", Limit: medium, RedactKeys: true},
	{Kind: HomeFile, Path: ".ssh/authorized_keys2", Limit: medium, RedactKeys: true},
	{Kind: File, Path: "/etc/ssh/sshd_config", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/ssh/sshd_config.d/*.conf", Limit: small, Redact: true},
	// lastlog reads a sparse file indexed by uid: fast even with 60000-uid holes.
	{Kind: Cmd, Name: "lastlog", Shell: "lastlog", Needs: "lastlog", Limit: medium, Timeout: 20, Offline: "lastlog"},
}
