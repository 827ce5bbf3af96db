package snapshot

import "time"

// Accounts are the host's users and groups and who may do what.
type Accounts struct {
	Users  []User  `json:"users"`
	Groups []Group `json:"groups"`
	// Sudo lists every rule of sudoers and its includes, resolved to the users it
	// grants (see User.Sudo for the per-user view).
	Sudo []SudoRule `json:"sudo,omitempty"`
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
	// Defaults are the Defaults lines that apply to these users (requiretty ...).
	Defaults []string `json:"defaults,omitempty"`
	Source   string   `json:"source"` // file:line
	Evidence string   `json:"evidence"`
}

// AuthorizedKey is one line of an authorized_keys file, without the key itself:
// its fingerprint identifies it.
type AuthorizedKey struct {
	Type        string   `json:"type"`
	Fingerprint string   `json:"fingerprint"` // SHA256:... as ssh-keygen -l prints it
	Bits        int      `json:"bits,omitempty"`
	Comment     string   `json:"comment,omitempty"`
	Options     []string `json:"options,omitempty"`
	Source      string   `json:"source"` // file:line
	Evidence    string   `json:"evidence"`
}
