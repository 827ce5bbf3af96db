// Package redact removes secrets from configuration text and command lines. The probe
// does this on the target with sed before anything is sent; this is the same filter for
// evidence trowel reads itself (a mounted disk). A test runs both on the same input and
// requires the same bytes, so the two cannot drift apart: each rule here mirrors one sed
// expression of the probe (internal/probe/prologue.sh), in the same order.
package redact

import (
	"bytes"
	"regexp"
)

// Marker replaces a secret value; KeyMarker replaces a whole private-key block.
const (
	Marker    = "<redacted>"
	KeyMarker = "[trowel: private key removed]"
)

// rule is one sed substitution: where addr is set, only lines containing it are
// touched (sed's /addr/ address); the first group is kept and the rest of the match
// becomes repl.
type rule struct {
	addr string
	re   *regexp.Regexp
	repl string
}

func (r rule) apply(line []byte) []byte {
	if r.addr != "" && !bytes.Contains(line, []byte(r.addr)) {
		return line
	}
	return r.re.ReplaceAll(line, []byte("${1}"+r.repl))
}

var (
	keyBegin = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)
	keyEnd   = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY-----`)

	// configRules are _redact's own: a setting whose one-word name speaks of a
	// password, secret, token or key loses its value (password = x, "api_key": x,
	// DB_PASS=x, - password: x), as do a few settings named otherwise, and quoted
	// attributes anywhere in a line (<Connector keystorePass="...">). "pass" counts
	// only as a word of its own or followed by wd/word: PassengerPreStart is no secret.
	configRules = []rule{
		{"", longest(`^([ \t-]*[^=: \t]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}([^A-Za-z=: \t][^=: \t]*){0,1}[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[Pp][Hh][Rr][Aa][Ss][Ee][^=: \t]*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[Pp][Ww][Dd][^=: \t]*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[Ss][Ee][Cc][Rr][Ee][Tt][^=: \t]*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[Tt][Oo][Kk][Ee][Nn][^=: \t]*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^=: \t]*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][^=: \t]*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t-]*[^=: \t]*[_-][Kk][Ee][Yy]["']*[ \t]*[=:][ \t]*).*`), Marker},
		{"", longest(`^([ \t]*[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss][ \t][ \t]*).*`), Marker},
		{"", longest(`^([ \t]*[Mm][Aa][Ss][Tt][Ee][Rr][Aa][Uu][Tt][Hh][ \t][ \t]*).*`), Marker},
		{"", longest(`([Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd] [Bb][Yy] ).*`), Marker},
		{"", longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Pp][Aa][Ss][Ss][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`), Marker},
		{"", longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Kk][Ee][Yy][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`), Marker},
		{"", longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Ss][Aa][Ll][Tt][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`), Marker},
		{"", longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`), Marker},
		{"", longest(`([A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*=["'])[^"']*`), Marker},
		{"", longest(`([A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*=["'])[^"']*`), Marker},
		{"", longest(`([A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*=["'])[^"']*`), Marker},
	}

	// commandRules are _redact_cmd's (see the probe for what each spelling is and
	// which look-alikes are left alone).
	commandRules = []rule{
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}[= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}[= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}[= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Ww][Dd][= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Ww][Dd][= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Pp][Ww][Dd][= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Kk][Ee][Yy][= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Kk][Ee][Yy][= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Kk][Ee][Yy][= \t])[^-"'$<{ \t/][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh][= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh][= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh][= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[= \t]")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[= \t]')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=,][-]{1,2}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[= \t])[^-"'$<{ \t][^ \t"']*`), Marker},
		{"sshpass", longest(`(sshpass[ \t][ \t]*-p[ \t]*)[^-"'$<{ \t][^ \t"']*`), Marker},
		{"redis-cli", longest(`(redis-cli[^|;&]*[ \t]-a[ \t]*)[^-"'$<{ \t][^ \t"']*`), Marker},
		{"ldap", longest(`(ldap[a-z]*[^|;&]*[ \t]-w[ \t]*)[^-"'$<{ \t][^ \t"']*`), Marker},
		{"mongo", longest(`(mongo[a-z]*[^|;&]*[ \t]-p[ \t]*)[^-"'$<{ \t][^ \t"']*`), Marker},
		{"curl", longest(`(curl[^|;&]*[ \t][-]{1,2}[A-Za-z-]*[Uu]([Ss][Ee][Rr]){0,1}[= \t]*["']{0,1}[^: \t"']*:)[^ \t"'@]*`), Marker},
		{"smbclient", longest(`([ \t]-U[ \t]*["']{0,1}[^% \t"']*%)[^ \t"']*`), Marker},
		{"", longest(`([ \t"'=][Pp][Aa][Ss][Ss]:)[^ \t"']*`), Marker},
		{"", longest(`(["'=][A-Za-z0-9-]*[Aa][Uu][Tt][Hh][A-Za-z0-9-]*:[ \t]*)[^"']*`), Marker},
		{"", longest(`(["'=][A-Za-z0-9-]*[A-Za-z0-9-][Kk][Ee][Yy][A-Za-z0-9-]*:[ \t]*)[^"']*`), Marker},
		{"", longest(`(["'=][A-Za-z0-9-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9-]*:[ \t]*)[^"']*`), Marker},
		{"", longest(`(["'=][A-Za-z0-9-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9-]*:[ \t]*)[^"']*`), Marker},
		{"", longest(`(["'=][A-Za-z0-9-]*[Cc][Oo][Oo][Kk][Ii][Ee][A-Za-z0-9-]*:[ \t]*)[^"']*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Kk][Ee][Yy]=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh]=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Pp][Ww][Dd][A-Za-z0-9_.-]*=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee][A-Za-z0-9_.-]*=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`([?&;][A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[A-Za-z0-9_.-]*=)[^&#"'$<{ \t][^&#"' \t]*`), Marker},
		{"", longest(`(://[^/:@ \t]*:)[^@/ \t]*@`), Marker + "@"},
		{"mysql", longest(`([ \t]-p)[^ \t]{1,}`), Marker},
	}

	// envRules are what _redact_args adds: environment settings on a command line.
	envRules = []rule{
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}([0-9_.][A-Za-z0-9_.]*){0,1}=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}([0-9_.][A-Za-z0-9_.]*){0,1}=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}([0-9_.][A-Za-z0-9_.]*){0,1}=)[^"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.]*=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.]*=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.]*=)[^"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*=)[^"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=)[^"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=)[^"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[A-Za-z0-9_.]*=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[A-Za-z0-9_.]*=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}[A-Za-z0-9_.]*=)[^"'$<{ \t][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Kk][Ee][Yy]=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Kk][Ee][Yy]=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Kk][Ee][Yy]=)[^"'$<{ \t/][^ \t"']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Aa][Uu][Tt][Hh]=")[^"$<{][^"]*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Aa][Uu][Tt][Hh]=')[^'<{][^']*`), Marker},
		{"", longest(`([ \t"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Aa][Uu][Tt][Hh]=)[^"'$<{ \t][^ \t"']*`), Marker},
	}
)

// longest compiles with POSIX leftmost-longest matching, as sed matches.
func longest(expr string) *regexp.Regexp {
	re := regexp.MustCompile(expr)
	re.Longest()
	return re
}

// Commands is the probe's _redact_cmd: the command-line rules alone, for files whose
// other lines must stay untouched (sudoers).
func Commands(b []byte) []byte { return withRules(b, commandRules) }

// Args is the probe's _redact_args, for command lines (ps, inittab, logrotate).
func Args(b []byte) []byte { return withRules(b, commandRules, envRules) }

// withRules applies rule sets to every line, as a pipe of seds does.
func withRules(b []byte, sets ...[]rule) []byte {
	return eachLine(b, func(line []byte, nl string) []byte {
		return append(applyAll(line, sets...), nl...)
	})
}

// eachLine writes what f makes of every line of b; nl is the line's newline, or ""
// for a last line without one. NUL bytes are dropped first, as the probe does:
// busybox sed would stop matching at one.
func eachLine(b []byte, f func(line []byte, nl string) []byte) []byte {
	b = bytes.ReplaceAll(b, []byte{0}, nil)
	var out bytes.Buffer
	out.Grow(len(b))
	for len(b) > 0 {
		line, rest, hasNL := bytes.Cut(b, []byte{'\n'})
		b = rest
		nl := ""
		if hasNL {
			nl = "\n"
		}
		out.Write(f(line, nl))
	}
	return out.Bytes()
}

func applyAll(line []byte, sets ...[]rule) []byte {
	for _, set := range sets {
		for _, r := range set {
			line = r.apply(line)
		}
	}
	return line
}

// Text is the probe's _redact: it returns b with secrets replaced.
func Text(b []byte) []byte {
	inKey := false
	return eachLine(b, func(line []byte, nl string) []byte {
		switch {
		case inKey:
			// sed's "c" ends the cycle on every line of the range and prints its
			// text once, at the range's end; a block never closed prints nothing.
			if keyEnd.Match(line) {
				inKey = false
				return []byte(KeyMarker + "\n")
			}
			return nil
		case keyBegin.Match(line):
			inKey = true
			return nil
		}
		return append(applyAll(line, configRules, commandRules, envRules), nl...)
	})
}

// Program is the probe's reading of a NUL-separated command line (/proc/1/cmdline)
// of which only the program leaves the host: its first word, as tr and sed -n 1p
// print it.
func Program(b []byte) []byte {
	if i := bytes.IndexAny(b, "\x00\n"); i >= 0 {
		return append(b[:i:i], '\n')
	}
	return b
}
