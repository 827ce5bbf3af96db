package redact

import (
	"regexp"
	"strings"
)

// Key command filter: the probe's _keys_redact in Go, for the offline reader. A key
// line's command= and environment= values lose what looks secret before it leaves the
// host; the key itself stays, a public key is no secret.
var keyValueRules = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, opt := range []string{`[Cc][Oo][Mm][Mm][Aa][Nn][Dd]`, `[Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]`} {
		// An escaped quote inside the value: the whole value goes, as far as the last
		// quote before a blank or a comma.
		out = append(out, longest(`(`+opt+`=")[^"]*\\".*("[ ,\t])`))
		for _, w := range []string{`[Pp][Aa][Ss][Ss]`, `[Pp][Ww][Dd]`, `[Ss][Ee][Cc][Rr][Ee][Tt]`, `[Tt][Oo][Kk][Ee][Nn]`,
			`[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]`, `[Aa][Pp][Ii][_-]*[Kk][Ee][Yy]`, `://[^/:@ "]*:[^@/ "]*@`, `[-][Kk][Ee][Yy][= ]`, `[-][Aa][Uu][Tt][Hh][= ]`, `mysql[^"]* -p[^ "]`} {
			out = append(out, longest(`(`+opt+`=")[^"]*`+w+`[^"]*(")`))
		}
	}
	return out
}()

// KeyLines applies the key command filter to authorized_keys content, line by
// line as sed does. NUL bytes are dropped first, as the probe does.
func KeyLines(b []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(string(b), "\x00", ""), "\n")
	for i, l := range lines {
		for _, re := range keyValueRules {
			if loc := re.FindStringSubmatchIndex(l); loc != nil {
				l = l[:loc[3]] + Marker + l[loc[4]:]
			}
		}
		lines[i] = l
	}
	return []byte(strings.Join(lines, "\n"))
}
