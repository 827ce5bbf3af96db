package apache

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Line is one directive of an Apache configuration file, continuation lines joined.
// A section opening (<VirtualHost *:80>) has Open set and its name without the "<";
// a closing one (</VirtualHost>) has Close set.
type Line struct {
	File  string
	Num   int // 1-based, of the line the directive starts on
	Name  string
	Args  []string
	Text  string // the directive as written, trimmed, continuations joined
	Open  bool
	Close bool
}

// Source is the line's "file:line".
func (l Line) Source() string { return l.File + ":" + strconv.Itoa(l.Num) }

// ParseConfig reads one configuration file. Comments and blank lines are dropped;
// a line ending in a backslash continues on the next, as httpd reads it. Lines it
// cannot read (an unterminated quote) are kept with what could be split, and listed
// in the error.
func ParseConfig(file, text string) ([]Line, error) {
	var out []Line
	var perr kit.ParseError
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		start := i + 1
		raw := strings.TrimRight(lines[i], "\r")
		for strings.HasSuffix(raw, "\\") && i+1 < len(lines) {
			i++
			raw = strings.TrimSuffix(raw, "\\") + " " + strings.TrimSpace(strings.TrimRight(lines[i], "\r"))
		}
		t := strings.TrimSpace(raw)
		if t == "" || t[0] == '#' {
			continue
		}
		l := Line{File: file, Num: start, Text: t}
		switch {
		case strings.HasPrefix(t, "</"):
			l.Close = true
			l.Name = strings.TrimSpace(strings.TrimSuffix(t[2:], ">"))
			out = append(out, l)
			continue
		case t[0] == '<':
			l.Open = true
			body := strings.TrimSpace(t[1:])
			if !strings.HasSuffix(body, ">") {
				perr.Add(start, "section %q is not closed by '>'", t)
			}
			t = strings.TrimSuffix(body, ">")
		}
		words, ok := splitArgs(t)
		if !ok {
			perr.Add(start, "unterminated quote")
		}
		if len(words) == 0 {
			continue
		}
		l.Name, l.Args = words[0], words[1:]
		out = append(out, l)
	}
	return out, perr.Err()
}

// splitArgs splits on blanks, honouring double and single quotes as httpd does.
func splitArgs(s string) ([]string, bool) {
	var out []string
	var cur strings.Builder
	in := byte(0)
	has := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case in != 0 && c == '\\' && i+1 < len(s) && s[i+1] == in:
			cur.WriteByte(in)
			i++
		case in != 0 && c == in:
			in = 0
		case in != 0:
			cur.WriteByte(c)
		case (c == '"' || c == '\'') && !has:
			in, has = c, true
		case c == ' ' || c == '\t':
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out, in == 0
}

// ParseEnvvars reads Debian's /etc/apache2/envvars: the shell assignments
// (`export APACHE_LOG_DIR=/var/log/apache2$SUFFIX`) httpd's ${VAR} refer to. SUFFIX
// is empty for the default instance, which is the one surveyed.
func ParseEnvvars(text string) map[string]string {
	vars := map[string]string{"SUFFIX": ""}
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		t = strings.TrimPrefix(t, "export ")
		k, v, ok := strings.Cut(t, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t$#") || !isName(k) {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if strings.Contains(v, "$(") || strings.Contains(v, "`") {
			continue // computed at run time: unknowable here
		}
		vars[k] = Expand(v, vars)
	}
	return vars
}

func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// Expand replaces ${VAR} (httpd's syntax) and $VAR (the shell's, in envvars) with
// known values; unknown ones are left as written, so a reader sees what was not known.
func Expand(s string, vars map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			name := s[i+2 : i+2+end]
			if v, ok := vars[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+3+end])
			}
			i += 2 + end
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if v, ok := vars[s[i+1:j]]; ok && j > i+1 {
			b.WriteString(v)
		} else {
			b.WriteString(s[i:j])
		}
		i = j - 1
	}
	return b.String()
}
