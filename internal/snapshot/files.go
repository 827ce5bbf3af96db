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
	// State is modified (differs from its package's digest, or from what ucf
	// installed for its package), unowned (no package owns it), missing (a
	// package's config file was removed), or unknown (its package installed it
	// through ucf, but whether it changed since cannot be told: ucf's digest of
	// what it installed, or the file's own, was not read).
	State   string `json:"state"`
	Package string `json:"package,omitempty"`
	// Changes is rpm -V's attribute column ("S.5....T.") when rpm said it.
	Changes string `json:"changes,omitempty"`
	// Generated names the maintainer script or tool that writes this file on
	// install (postfix's postinst, pam-auth-update ...) where no package lists it.
	// Such a file is owned by no package yet is not a hand-made one: it is reported
	// only when it differs from what its generator writes, or when trowel cannot
	// tell (no known pristine form), and this says which generator to consult.
	// Writer says the same with how it is known.
	Generated string      `json:"generated,omitempty"`
	Writer    *FileWriter `json:"writer,omitempty"`
	Mode      string      `json:"mode,omitempty"`
	Owner     string      `json:"owner,omitempty"`
	Size      int64       `json:"size,omitempty"`
	Modified  *time.Time  `json:"modified,omitempty"`
	// Baseline is what the file was compared with to find Settings, or why it
	// could not be; absent when the survey did not try (a snapshot of an older
	// trowel, a missing file).
	Baseline *ConfigBaseline `json:"baseline,omitempty"`
	// Settings are the settings that differ from Baseline: the administrator's
	// changes, where Baseline is the packaged version. A tool carrying the change to
	// a new host can set these on the new host's own packaged file instead of laying
	// the whole old file over it.
	Settings []SettingChange `json:"settings,omitempty"`
	// Content is the file's text with secrets redacted on the host, kept when it is
	// text and under the size cap, so a later step can template it. ContentNote says
	// why it is absent (binary, too large, not readable).
	Content     string   `json:"content,omitempty"`
	ContentNote string   `json:"content_note,omitempty"`
	Evidence    []string `json:"evidence"`
}

// FileWriter is what writes a file no package lists, and how that is known.
type FileWriter struct {
	// Package is the package whose script or tool writes the file; empty for the
	// OS installer.
	Package string `json:"package,omitempty"`
	// Script is the writer: "postinst" (a dpkg package's install script), "%post"
	// (an rpm package's), "ucf" (the package's install script, through ucf), or a
	// tool ("pam-auth-update", "debootstrap or the installer").
	Script string `json:"script"`
	// Known says how that is known: "ucf-registry" (ucf's registry names the file
	// and its package), "script" (Line, a line of the script, writes to it), or
	// "table" (trowel's knowledge of Debian's packages; the package is installed).
	Known string `json:"known"`
	// Line is the script's line that writes the file, through the secret filter.
	Line string `json:"line,omitempty"`
	// Debconf: the script takes debconf's answers, so what it wrote depends on them.
	Debconf bool `json:"debconf,omitempty"`
}

// ConfigBaseline is the copy of a file's packaged version a config was compared
// with, or the reason there is none.
type ConfigBaseline struct {
	// Kind is what the copy is: "ucf-cache" (ucf's copy of what the package's script
	// installed), "dpkg-dist", "ucf-dist" or "rpmnew" (the packaged version an
	// upgrade left beside the edited file), "template" (the file an install script
	// writes the file from), "in-force" (for a copy an upgrade moved aside, the file
	// now in force in its place), "none" (no copy is on the host), or "unknown"
	// (whether one is could not be told: the file's text was not read).
	Kind string `json:"kind"`
	Path string `json:"path,omitempty"`
	// Exact: the copy's digest is the one the package database (or ucf's hashfile)
	// holds for the file, or the script copies the template as it is, so it is the
	// packaged version itself and not merely a likely one.
	Exact bool `json:"exact,omitempty"`
	// Compared: both texts were read and compared, so no Settings means no setting
	// differs (only comments, blank lines or spacing do).
	Compared bool `json:"compared,omitempty"`
	// Format is how the settings were read: "keyvalue", "ini", "apache", "nginx",
	// "braces" (name value lines in name { } blocks) or "lines" (line by line).
	Format string `json:"format,omitempty"`
	// Why says, when Compared is false, why the file was not compared: "not on the
	// host" (the package database keeps only a digest), "no package" (owned by no
	// package and written by no script trowel knows), "writer's output not on the
	// host", or why a text was not read ("secret", "too large ...").
	Why string `json:"why,omitempty"`
}

// SettingChange is one setting of a config file that differs from its baseline.
type SettingChange struct {
	// Section is where the setting sits: an ini "[section]", Apache's or nginx's
	// enclosing blocks ("<VirtualHost *:80> <Directory /srv>"), sshd's "Match
	// User deploy"; "" at the top level.
	Section string `json:"section,omitempty"`
	// Key is the setting's name as the file writes it; "" for a line of a file
	// read line by line.
	Key string `json:"key,omitempty"`
	// Change is "changed", "added" (only in the file) or "removed" (only in the
	// baseline).
	Change string `json:"change"`
	Was    string `json:"was,omitempty"`
	Now    string `json:"now,omitempty"`
	// WasCommented: Was comes from a commented-out line of the baseline, where the
	// packaged file shows the value in force when nothing sets it.
	WasCommented bool `json:"was_commented,omitempty"`
	// Hidden: the secret filter on the host hid the value (Was and Now are empty);
	// whether it changed was decided on the host.
	Hidden bool `json:"hidden,omitempty"`
	// Line is the line in the file (or, for a removed setting, in the baseline).
	Line int `json:"line,omitempty"`
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
	What string `json:"what,omitempty"`
	// Software is what the tree holds that has a name and a version: the gems,
	// pip's and npm's installs, or the source tree a program was built from.
	Software []Software `json:"software,omitempty"`
	Evidence []string   `json:"evidence"`
}

// Software is one program or library installed outside the package manager, by the
// name and version the disk gives it.
type Software struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// VersionFrom is where Version was read: the file or directory whose name says
	// it (a gem's specification file, a dist-info directory, the source tree), or
	// the package.json whose version line does.
	VersionFrom string `json:"version_from,omitempty"`
	// Installer is how it was installed: "gem", "pip", "npm", "source" (a source
	// tree built on the host, its program on PATH) or "tarball" (a release tree
	// unpacked, its program linked onto PATH).
	Installer string `json:"installer"`
	// Path is where it lies: the gem's or module's directory, the source tree.
	Path string `json:"path"`
	// Programs are the commands it put on PATH (/usr/local/bin/fluentd).
	Programs []string `json:"programs,omitempty"`
	Evidence []string `json:"evidence"`
}

// Label is the software as a sentence names it: "fluentd 1.16.5".
func (s Software) Label() string {
	if s.Version == "" {
		return s.Name
	}
	return s.Name + " " + s.Version
}
