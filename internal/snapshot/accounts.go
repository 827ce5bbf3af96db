package snapshot

import "time"

// Accounts are the host's users and groups and who may do what.
type Accounts struct {
	Users  []User  `json:"users"`
	Groups []Group `json:"groups"`
	// Sudo lists every rule of sudoers and its includes, resolved to the users it
	// grants (see User.Sudo for the per-user view).
	Sudo []SudoRule `json:"sudo,omitempty"`
	// SSHD are the sshd_config settings that decide who may log in and how
	// (PermitRootLogin, PasswordAuthentication, AllowUsers, AuthorizedKeysFile ...),
	// added because keys and passwords mean nothing without the daemon's rules.
	SSHD []SSHDSetting `json:"sshd,omitempty"`
	// UIDMin and SysUIDMax are the ranges the human/system split was made with,
	// from /etc/login.defs or the distribution's default, so a reader can tell why
	// an account was called human.
	UIDMin    int `json:"uid_min,omitempty"`
	SysUIDMax int `json:"sys_uid_max,omitempty"`
}

// SSHDSetting is one access-related keyword of sshd_config (or a file it includes),
// as the daemon reads it: the first occurrence wins, except for the list keywords.
type SSHDSetting struct {
	Key      string `json:"key"`
	Value    string `json:"value"`
	Source   string `json:"source"` // file:line
	Evidence string `json:"evidence"`
}

// User is one account.
type User struct {
	Name    string   `json:"name"`
	UID     int      `json:"uid"`
	GID     int      `json:"gid"`
	Group   string   `json:"group,omitempty"`
	Groups  []string `json:"groups,omitempty"` // supplementary
	Comment string   `json:"comment,omitempty"`
	Home    string   `json:"home,omitempty"`
	Shell   string   `json:"shell,omitempty"`
	// Password is usable, locked, empty or none (no password at all, "*" style),
	// or "" when shadow could not be read. Never a hash.
	Password string `json:"password,omitempty"`
	// Kind is human, system or service: human accounts have a login shell and a uid
	// in the distribution's user range; service accounts own a running process or a
	// service's files.
	Kind      string          `json:"kind"`
	CanLogin  bool            `json:"can_login"`
	Sudo      []SudoRule      `json:"sudo,omitempty"`
	Keys      []AuthorizedKey `json:"keys,omitempty"`
	LastLogin *time.Time      `json:"last_login,omitempty"`
	LastFrom  string          `json:"last_from,omitempty"`
	Evidence  []string        `json:"evidence"`
}

// Group is one group.
type Group struct {
	Name     string   `json:"name"`
	GID      int      `json:"gid"`
	Members  []string `json:"members,omitempty"`
	Evidence string   `json:"evidence"`
}

// SudoRule is one user specification of sudoers, after aliases are expanded.
type SudoRule struct {
	Who      string   `json:"who"`             // as written: "deploy", "%wheel", "ALIAS"
	Users    []string `json:"users,omitempty"` // the accounts it grants
	Hosts    string   `json:"hosts,omitempty"`
	RunAs    string   `json:"run_as,omitempty"`
	Commands []string `json:"commands"`
	NoPasswd bool     `json:"nopasswd,omitempty"`
	// Tags are the other command tags as written (NOEXEC, SETENV ...), added because
	// SETENV and NOEXEC change what a rule really grants.
	Tags []string `json:"tags,omitempty"`
	// Defaults are the Defaults lines that apply to these users (requiretty ...).
	Defaults []string `json:"defaults,omitempty"`
	Source   string   `json:"source"` // file:line
	Evidence string   `json:"evidence"`
}

// AuthorizedKey is one line of an authorized_keys file, without the key itself:
// its fingerprint identifies it.
type AuthorizedKey struct {
	Type        string `json:"type"`
	Fingerprint string `json:"fingerprint"` // SHA256:... as ssh-keygen -l prints it
	Bits        int    `json:"bits,omitempty"`
	Comment     string `json:"comment,omitempty"`
	// Options keep the option names and from= patterns; a command= whose value
	// looks secret is "command=<redacted>".
	Options []string `json:"options,omitempty"`
	// File is the authorized_keys file, added so keys read from a central
	// AuthorizedKeysFile (/etc/ssh/authorized_keys/%u) are told from a home's.
	File     string `json:"file,omitempty"`
	Source   string `json:"source"` // file:line
	Evidence string `json:"evidence"`
}

// The sources of the accounts section (Coverage.Sources): users are read from
// passwd, groups from group, password states from shadow (through the probe, which
// keeps no hash).
const (
	AccountsPasswd = "passwd"
	AccountsGroup  = "group"
	AccountsShadow = "shadow"
)
