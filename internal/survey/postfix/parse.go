package postfix

import (
	"net"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Param is one main.cf parameter.
type Param struct {
	Key   string
	Value string
	Line  int // 0 when it came from postconf -n, which names no line
}

// ParsePostconf reads `postconf -n` ("key = value" per line).
func ParsePostconf(text string) ([]Param, error) {
	var out []Param
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			perr.Add(i+1, "not a parameter: %q", line)
			continue
		}
		out = append(out, Param{Key: k, Value: strings.TrimSpace(v)})
	}
	return out, perr.Err()
}

// ParseMainCf reads main.cf: "key = value", comment lines starting with #, and
// continuation lines that start with white space. A key set twice keeps its last
// value, as Postfix does; the line is that of the value that wins.
func ParseMainCf(text string) ([]Param, error) {
	var out []Param
	idx := map[string]int{}
	var perr kit.ParseError
	cur := -1
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		trim := strings.TrimSpace(line)
		if trim == "" || trim[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur < 0 {
				perr.Add(i+1, "continuation line without a parameter")
				continue
			}
			out[cur].Value = strings.TrimSpace(out[cur].Value + " " + trim)
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			perr.Add(i+1, "not a parameter: %q", line)
			cur = -1
			continue
		}
		p := Param{Key: k, Value: strings.TrimSpace(v), Line: i + 1}
		if j, ok := idx[k]; ok {
			out[j] = p
			cur = j
			continue
		}
		idx[k] = len(out)
		cur = len(out)
		out = append(out, p)
	}
	return out, perr.Err()
}

// Relayhost splits a relayhost value ("[mail.example.com]:587", "mail.example.com",
// "10.0.0.5:25") into the host and whether it is a name that needs resolving.
// Brackets turn off MX lookups but the name is still resolved for its address.
func Relayhost(v string) (host string, isName bool) {
	f := strings.Fields(strings.SplitN(v, ",", 2)[0])
	if len(f) == 0 {
		return "", false
	}
	v = f[0]
	if strings.HasPrefix(v, "[") {
		if end := strings.IndexByte(v, ']'); end > 0 {
			v = v[1:end]
		}
	} else if h, _, err := net.SplitHostPort(v); err == nil {
		v = h
	}
	v = strings.TrimPrefix(v, "ipv6:")
	return v, net.ParseIP(v) == nil
}

// Alias is one alias with the line it starts on.
type Alias struct {
	Name    string
	Targets []string
	Line    int
}

// ParseAliases reads aliases(5): "name: target, target", continuation lines that
// start with white space, comments. Targets keep their form: an address, a
// "|command", a /file, or ":include:/path"; quotes around a target are removed.
func ParseAliases(text string) ([]Alias, error) {
	var out []Alias
	var perr kit.ParseError
	cur := -1
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		trim := strings.TrimSpace(line)
		if trim == "" || trim[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur < 0 {
				perr.Add(i+1, "continuation line without an alias")
				continue
			}
			out[cur].Targets = append(out[cur].Targets, splitTargets(trim)...)
			continue
		}
		name, rest, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if strings.HasPrefix(name, `"`) {
			// A quoted name may hold a colon: "a:b": target.
			if end := strings.Index(line[1:], `":`); end >= 0 {
				name, rest, ok = line[1:end+1], line[end+3:], true
			}
		}
		if !ok || name == "" {
			perr.Add(i+1, "no alias name before ':': %q", line)
			cur = -1
			continue
		}
		out = append(out, Alias{Name: strings.ToLower(name), Targets: splitTargets(rest), Line: i + 1})
		cur = len(out) - 1
	}
	return out, perr.Err()
}

// splitTargets splits on commas outside double quotes.
func splitTargets(s string) []string {
	var out []string
	var b strings.Builder
	inq := false
	flush := func() {
		t := strings.TrimSpace(b.String())
		if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			t = t[1 : len(t)-1]
		}
		if t != "" {
			out = append(out, t)
		}
		b.Reset()
	}
	for _, r := range s {
		switch {
		case r == '"':
			inq = !inq
			b.WriteRune(r)
		case r == ',' && !inq:
			flush()
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return out
}

// MapFiles names the local files of a map list ("hash:/etc/aliases, btree:/x") whose
// text form can be read: hash, btree, dbm, cdb and lmdb tables are built from the
// file of the same name; texthash, regexp and pcre are the file itself.
func MapFiles(v string) []string {
	var out []string
	for _, m := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		typ, p, ok := strings.Cut(m, ":")
		if !ok || !strings.HasPrefix(p, "/") {
			continue
		}
		switch typ {
		case "hash", "btree", "dbm", "cdb", "lmdb", "texthash", "regexp", "pcre":
			out = append(out, p)
		}
	}
	return out
}

// source is "file:line".
func source(file string, line int) string { return file + ":" + strconv.Itoa(line) }
