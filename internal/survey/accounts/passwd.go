package accounts

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// PasswdEntry is one line of /etc/passwd.
type PasswdEntry struct {
	Name    string
	UID     int
	GID     int
	Comment string
	Home    string
	Shell   string
	Line    int
}

// GroupEntry is one line of /etc/group.
type GroupEntry struct {
	Name    string
	GID     int
	Members []string
	Line    int
}

// ParsePasswd reads passwd(5). NIS markers ("+", "-" lines) name no local account and
// are skipped without complaint; anything else malformed is reported and skipped.
func ParsePasswd(text string) ([]PasswdEntry, error) {
	var out []PasswdEntry
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "+") || strings.HasPrefix(line, "-") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) != 7 {
			perr.Add(i+1, "%d fields, want 7", len(f))
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if f[0] == "" || err1 != nil || err2 != nil || uid < 0 || gid < 0 {
			perr.Add(i+1, "no name, or a uid or gid that is not a number")
			continue
		}
		out = append(out, PasswdEntry{Name: f[0], UID: uid, GID: gid, Comment: f[4], Home: f[5], Shell: f[6], Line: i + 1})
	}
	return out, perr.Err()
}

// ParseGroup reads group(5).
func ParseGroup(text string) ([]GroupEntry, error) {
	var out []GroupEntry
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "+") || strings.HasPrefix(line, "-") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) != 4 {
			perr.Add(i+1, "%d fields, want 4", len(f))
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if f[0] == "" || err != nil || gid < 0 {
			perr.Add(i+1, "no name, or a gid that is not a number")
			continue
		}
		g := GroupEntry{Name: f[0], GID: gid, Line: i + 1}
		for _, m := range strings.Split(f[3], ",") {
			if m = strings.TrimSpace(m); m != "" {
				g.Members = append(g.Members, m)
			}
		}
		out = append(out, g)
	}
	return out, perr.Err()
}

// ParseShadowState reads the probe's _shadow output (name:state:ageing...) into the
// password state per account: usable, locked, empty, or none for "*"/"!!" style
// entries that never had a password ("nologin" in the probe's words).
func ParseShadowState(text string) (map[string]string, error) {
	out := map[string]string{}
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) < 2 || f[0] == "" {
			perr.Add(i+1, "not name:state")
			continue
		}
		switch f[1] {
		case "usable", "locked", "empty":
			out[f[0]] = f[1]
		case "nologin":
			out[f[0]] = "none"
		default:
			perr.Add(i+1, "unknown password state %q", f[1])
		}
	}
	return out, perr.Err()
}

// LoginDefs are the uid ranges of login.defs(5) that decide who is a human.
type LoginDefs struct {
	UIDMin, SysUIDMax int
	// Found says which of them the file set; the rest are defaults.
	Found bool
}

// ParseLoginDefs reads UID_MIN and SYS_UID_MAX. SYS_UID_MAX defaults to UID_MIN-1, as
// useradd does; a file without either keeps the given defaults.
func ParseLoginDefs(text string, def LoginDefs) LoginDefs {
	out := def
	sysSet := false
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 {
			continue
		}
		switch f[0] {
		case "UID_MIN":
			out.UIDMin, out.Found = n, true
		case "SYS_UID_MAX":
			out.SysUIDMax, out.Found, sysSet = n, true, true
		}
	}
	if !sysSet && out.UIDMin > 0 {
		out.SysUIDMax = out.UIDMin - 1
	}
	return out
}

// DefaultLoginDefs is what useradd assumes without login.defs: 500 on RHEL/CentOS 5
// and 6 (and their clones), 1000 everywhere else.
func DefaultLoginDefs(family, versionID string) LoginDefs {
	if family == "rhel" {
		major := versionID
		if i := strings.IndexByte(major, '.'); i >= 0 {
			major = major[:i]
		}
		if n, err := strconv.Atoi(major); err == nil && n <= 6 {
			return LoginDefs{UIDMin: 500, SysUIDMax: 499}
		}
	}
	return LoginDefs{UIDMin: 1000, SysUIDMax: 999}
}

// NoLoginShell reports whether a shell refuses interactive logins.
func NoLoginShell(shell string) bool {
	if shell == "" {
		return false // login(1) gives /bin/sh to an empty shell field
	}
	base := shell[strings.LastIndexByte(shell, '/')+1:]
	switch base {
	case "nologin", "false", "true", "sync", "shutdown", "halt", "git-shell":
		return true
	}
	return false
}
