// Package redact removes secrets from configuration text. The probe does this on the
// target with sed before anything is sent; this is the same filter for evidence trowel
// reads itself (a mounted disk). A test runs both on the same input and requires the
// same bytes, so the two cannot drift apart.
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

var (
	keyBegin = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)
	keyEnd   = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY-----`)
	// lineRules mirror the probe's sed expressions one for one, in the same order.
	lineRules = []*regexp.Regexp{
		longest(`^([^=:]*[Pp][Aa][Ss][Ss][^=:]*[=:][ \t]*).*`),
		longest(`^([^=:]*[Pp][Ww][Dd][^=:]*[=:][ \t]*).*`),
		longest(`^([^=:]*[Ss][Ee][Cc][Rr][Ee][Tt][^=:]*[=:][ \t]*).*`),
		longest(`^([^=:]*[Tt][Oo][Kk][Ee][Nn][^=:]*[=:][ \t]*).*`),
		longest(`^([^=:]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^=:]*[=:][ \t]*).*`),
		longest(`^([^=:]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][^=:]*[=:][ \t]*).*`),
		longest(`^([^=:]*[_-][Kk][Ee][Yy][ \t"']*[=:][ \t]*).*`),
		longest(`^([ \t]*[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss][ \t][ \t]*).*`),
		longest(`^([ \t]*[Mm][Aa][Ss][Tt][Ee][Rr][Aa][Uu][Tt][Hh][ \t][ \t]*).*`),
		longest(`([Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd] [Bb][Yy] ).*`),
		longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Pp][Aa][Ss][Ss][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Kk][Ee][Yy][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Ss][Aa][Ll][Tt][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		longest(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
	}
	// attrRules catch quoted attributes anywhere in a line, where the line rules
	// cannot reach: <Connector port="8443" keystorePass="...">.
	attrRules = []*regexp.Regexp{
		longest(`([A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*=["'])[^"']*`),
		longest(`([A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*=["'])[^"']*`),
		longest(`([A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*=["'])[^"']*`),
	}
	urlCreds = longest(`(://[^/:@ \t]*:)[^@/ \t]*@`)
	// argRules are the probe's command-line rules (_redact_args), which the config
	// filter applies too: crontabs and scripts are configs made of commands.
	argRules = []*regexp.Regexp{
		longest(`([-]{1,2}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*[= ])[^ ]*`),
		longest(`([-]{1,2}[A-Za-z0-9_.-]*[Pp][Ww][Dd][A-Za-z0-9_.-]*[= ])[^ ]*`),
		longest(`([-]{1,2}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*[= ])[^ ]*`),
		longest(`([-]{1,2}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*[= ])[^ ]*`),
		longest(`([-]{1,2}[A-Za-z0-9_.-]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][A-Za-z0-9_.-]*[= ])[^ ]*`),
		longest(`([ \t][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.]*=)[^ ]*`),
		longest(`([ \t][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=)[^ ]*`),
		longest(`([ \t][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=)[^ ]*`),
	}
	// mysqlPassword is mysql's attached -pPASSWORD, on lines that name mysql.
	mysqlPassword = longest(`([ \t]-p)[^ \t]+`)
)

// longest compiles with POSIX leftmost-longest matching, as sed matches.
func longest(expr string) *regexp.Regexp {
	re := regexp.MustCompile(expr)
	re.Longest()
	return re
}

// Text returns b with secrets replaced.
func Text(b []byte) []byte {
	// NUL bytes are dropped, as the probe does before its sed: busybox sed would stop
	// matching at one.
	b = bytes.ReplaceAll(b, []byte{0}, nil)
	var out bytes.Buffer
	out.Grow(len(b))
	inKey := false
	for len(b) > 0 {
		line, rest, hasNL := bytes.Cut(b, []byte{'\n'})
		b = rest
		if inKey {
			// sed's "c" ends the cycle on every line of the range and prints its
			// text once, at the range's end; a block never closed prints nothing.
			if keyEnd.Match(line) {
				inKey = false
				out.WriteString(KeyMarker + "\n")
			}
			continue
		}
		if keyBegin.Match(line) {
			inKey = true
			continue
		}
		for _, re := range lineRules {
			line = re.ReplaceAll(line, []byte("${1}"+Marker))
		}
		for _, re := range attrRules {
			line = re.ReplaceAll(line, []byte("${1}"+Marker))
		}
		line = urlCreds.ReplaceAll(line, []byte("${1}"+Marker+"@"))
		for _, re := range argRules {
			line = re.ReplaceAll(line, []byte("${1}"+Marker))
		}
		if bytes.Contains(line, []byte("mysql")) {
			line = mysqlPassword.ReplaceAll(line, []byte("${1}"+Marker))
		}
		out.Write(line)
		if hasNL {
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}
