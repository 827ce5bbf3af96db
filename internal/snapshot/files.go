package snapshot

import "time"

// Files are what make this server this server: configs changed from their
// package's version, configs no package owns, and software installed by hand.
type Files struct {
	Configs   []ConfigFile    `json:"configs"`
	Unmanaged []UnmanagedTree `json:"unmanaged"`
}

// ConfigFile is a configuration file that differs from what packages installed.
type ConfigFile struct {
	Path string `json:"path"`
	// State is modified (differs from its package's digest), unowned (no package
	// owns it), or missing (a package's config file was removed).
	State   string `json:"state"`
	Package string `json:"package,omitempty"`
	// Changes is rpm -V's attribute column ("S.5....T.") when rpm said it.
	Changes string `json:"changes,omitempty"`
	// Generated names the maintainer script or tool that writes this file on
	// install (postfix's postinst, pam-auth-update ...) where no package lists it.
	// Such a file is owned by no package yet is not a hand-made one: it is reported
	// only when it differs from what its generator writes, or when trowel cannot
	// tell (no known pristine form), and this says which generator to consult.
	Generated string     `json:"generated,omitempty"`
	Mode      string     `json:"mode,omitempty"`
	Owner     string     `json:"owner,omitempty"`
	Size      int64      `json:"size,omitempty"`
	Modified  *time.Time `json:"modified,omitempty"`
	// Content is the file's text with secrets redacted on the host, kept when it is
	// text and under the size cap, so a later step can template it. ContentNote says
	// why it is absent (binary, too large, not readable).
	Content     string   `json:"content,omitempty"`
	ContentNote string   `json:"content_note,omitempty"`
	Evidence    []string `json:"evidence"`
}

// UnmanagedTree is software or data outside the package manager: a directory under
// /usr/local, /opt, /srv, /var/www or a service user's home.
type UnmanagedTree struct {
	Path     string     `json:"path"`
	Files    int        `json:"files,omitempty"`
	Bytes    int64      `json:"bytes,omitempty"`
	Modified *time.Time `json:"modified,omitempty"` // newest file
	// What says what it looks like: a git checkout, a Rails app, a virtualenv,
	// scripts, a binary ...
	What     string   `json:"what,omitempty"`
	Evidence []string `json:"evidence"`
}
