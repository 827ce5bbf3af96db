package accounts

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Sudoers is what one sudoers file says, before aliases are expanded: sudo reads all
// files as one, so expansion happens over every file together (see Resolve).
type Sudoers struct {
	Path     string
	Aliases  []Alias
	Defaults []Default
	Specs    []Spec
	Includes []Include
}

// Alias is one NAME = item, ... of a User_Alias, Runas_Alias, Host_Alias or Cmnd_Alias.
type Alias struct {
	Kind  string // User, Runas, Host, Cmnd
	Name  string
	Items []string
	Line  int
}

// Default is one Defaults line: Scope is "" (everyone), ":" (users), "@" (hosts),
// ">" (run-as users) or "!" (commands); List the scope's items; Text the line as
// written, with its whitespace squeezed.
type Default struct {
	Scope    string
	List     []string
	Settings []string
	Text     string
	Line     int
}

// Include is an #include, #includedir, @include or @includedir line.
type Include struct {
	Path string
	Dir  bool
	Line int
}

// Spec is one command of a user specification, with what applies to it: a line
// "ops ALL = (root) NOPASSWD: /a, /b : web1 = ALL" gives three.
type Spec struct {
	Users    []string // as written
	Hosts    []string
	RunAs    string // inside the parentheses, "" when not written
	Tags     []string
	Command  string
	Line     int
	Sequence int // which user specification of the file, to group commands again
}

var sudoTags = map[string]bool{
	"NOPASSWD": true, "PASSWD": true, "NOEXEC": true, "EXEC": true, "SETENV": true, "NOSETENV": true,
	"LOG_INPUT": true, "NOLOG_INPUT": true, "LOG_OUTPUT": true, "NOLOG_OUTPUT": true, "MAIL": true,
	"NOMAIL": true, "FOLLOW": true, "NOFOLLOW": true, "INTERCEPT": true, "NOINTERCEPT": true,
}

// Options written before a command (sudo 1.8+): ROLE=..., TIMEOUT=... They are kept
// as tags.
var sudoOptions = map[string]bool{
	"ROLE": true, "TYPE": true, "TIMEOUT": true, "NOTBEFORE": true, "NOTAFTER": true,
	"CWD": true, "CHROOT": true, "PRIVS": true, "LIMITPRIVS": true, "APPARMOR_PROFILE": true,
}

// logicalLines joins continuation lines (a backslash at the end) and strips comments,
// keeping the number of the line each logical line starts on.
type logicalLine struct {
	text string
	line int
}

func logicalLines(text string) []logicalLine {
	var out []logicalLine
	raw := strings.Split(text, "\n")
	for i := 0; i < len(raw); i++ {
		start := i + 1
		var b strings.Builder
		l := strings.TrimRight(raw[i], " \t\r")
		for strings.HasSuffix(l, `\`) && !strings.HasSuffix(l, `\\`) && i+1 < len(raw) {
			b.WriteString(l[:len(l)-1])
			b.WriteByte(' ')
			i++
			l = strings.TrimRight(raw[i], " \t\r")
		}
		b.WriteString(l)
		if s := strings.TrimSpace(stripComment(b.String())); s != "" {
			out = append(out, logicalLine{s, start})
		}
	}
	return out
}

// stripComment removes a # comment. A # followed by a digit is a uid or gid (#1000,
// %#27), not a comment; #include lines are kept whole; quotes and backslashes protect.
func stripComment(s string) string {
	t := strings.TrimLeft(s, " \t")
	if strings.HasPrefix(t, "#include") {
		return s
	}
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '#' && !inQuote:
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				continue
			}
			return s[:i]
		}
	}
	return s
}

// ParseSudoers reads one sudoers file. Lines it cannot read are reported; the rest is
// kept.
func ParseSudoers(path, text string) (*Sudoers, error) {
	out := &Sudoers{Path: path}
	var perr kit.ParseError
	seq := 0
	for _, ll := range logicalLines(text) {
		word, rest := splitWord(ll.text)
		switch {
		case word == "#include" || word == "@include" || word == "#includedir" || word == "@includedir":
			p := unquote(strings.TrimSpace(rest))
			if p == "" {
				perr.Add(ll.line, "%s without a path", word)
				continue
			}
			out.Includes = append(out.Includes, Include{Path: p, Dir: strings.HasSuffix(word, "dir"), Line: ll.line})
		case strings.HasPrefix(word, "#"):
			// a comment the stripper kept (#includefoo)
		case strings.HasPrefix(word, "Defaults"):
			d, ok := parseDefaults(ll.text)
			if !ok {
				perr.Add(ll.line, "a Defaults line this trowel cannot read")
				continue
			}
			d.Line = ll.line
			out.Defaults = append(out.Defaults, d)
		case word == "User_Alias" || word == "Runas_Alias" || word == "Host_Alias" || word == "Cmnd_Alias" || word == "Cmd_Alias":
			kind := strings.TrimSuffix(word, "_Alias")
			if kind == "Cmd" {
				kind = "Cmnd"
			}
			for _, def := range splitUnescaped(rest, ':') {
				name, items, ok := strings.Cut(def, "=")
				name = strings.TrimSpace(name)
				if !ok || !isAliasName(name) {
					perr.Add(ll.line, "%s without NAME = items", word)
					continue
				}
				out.Aliases = append(out.Aliases, Alias{Kind: kind, Name: name, Items: splitList(items), Line: ll.line})
			}
		default:
			seq++
			specs, err := parseUserSpec(ll.text)
			if err != "" {
				perr.Add(ll.line, "%s", err)
			}
			for i := range specs {
				specs[i].Line, specs[i].Sequence = ll.line, seq
			}
			out.Specs = append(out.Specs, specs...)
		}
	}
	return out, perr.Err()
}

func splitWord(s string) (string, string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return strings.ReplaceAll(s, `\ `, " ")
}

func isAliasName(s string) bool {
	if s == "" || s == "ALL" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// parseDefaults reads "Defaults[:@>!]list settings".
func parseDefaults(s string) (Default, bool) {
	d := Default{Text: strings.Join(strings.Fields(s), " ")}
	rest := strings.TrimPrefix(s, "Defaults")
	if rest != "" && strings.IndexByte(":@>!", rest[0]) >= 0 {
		d.Scope = rest[:1]
		rest = rest[1:]
		// The scope's list runs to the first blank not after a comma.
		i := 0
		for i < len(rest) {
			if rest[i] == ' ' || rest[i] == '\t' {
				j := strings.TrimRight(rest[:i], " \t")
				if !strings.HasSuffix(j, ",") {
					k := strings.TrimLeft(rest[i:], " \t")
					if !strings.HasPrefix(k, ",") {
						break
					}
				}
			}
			if rest[i] == '\\' {
				i++
			}
			i++
		}
		if i > len(rest) {
			i = len(rest)
		}
		d.List = splitList(rest[:i])
		rest = rest[i:]
	} else if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return d, false
	}
	d.Settings = splitList(rest)
	return d, len(d.Settings) > 0
}

// splitUnescaped splits at sep where it is not escaped by a backslash, not inside
// double quotes and not inside parentheses.
func splitUnescaped(s string, sep byte) []string {
	var out []string
	depth, inQuote, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// splitList splits a comma list, trimming each item and dropping empty ones.
func splitList(s string) []string {
	var out []string
	for _, it := range splitUnescaped(s, ',') {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// parseUserSpec reads "users hosts = [(runas)] [TAGS:] cmnd, ... [: hosts = ...]".
func parseUserSpec(s string) ([]Spec, string) {
	// The user list ends at the first blank that is not next to a comma.
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '\\' {
			i += 2
			continue
		}
		if c == ' ' || c == '\t' {
			before := strings.TrimRight(s[:i], " \t")
			after := strings.TrimLeft(s[i:], " \t")
			if !strings.HasSuffix(before, ",") && !strings.HasPrefix(after, ",") {
				break
			}
		}
		i++
	}
	if i >= len(s) {
		return nil, "a user specification without hosts and commands"
	}
	users := splitList(s[:i])
	var out []Spec
	bad := ""
	sections := hostSections(s[i:])
	if len(sections) == 0 {
		return nil, "a user specification without hosts = commands"
	}
	for _, sec := range sections {
		hostPart, cmdPart, ok := cutUnescaped(sec, '=')
		if !ok {
			bad = "a host section without '='"
			continue
		}
		hosts := splitList(hostPart)
		runas, tags := "", []string(nil)
		for _, c := range splitList(cmdPart) {
			c = strings.TrimSpace(c)
			if strings.HasPrefix(c, "(") {
				end := strings.IndexByte(c, ')')
				if end < 0 {
					bad = "a run-as list without ')'"
					break
				}
				// A run-as list, like tags, carries on to the commands after it.
				runas = strings.Join(strings.Fields(c[1:end]), "")
				c = strings.TrimSpace(c[end+1:])
			}
			var newTags []string
			for {
				w, rest, ok := cutTag(c)
				if !ok {
					break
				}
				newTags = append(newTags, w)
				c = rest
			}
			if newTags != nil {
				tags = mergeTags(tags, newTags)
			}
			if c == "" {
				bad = "a command list with an empty command"
				continue
			}
			out = append(out, Spec{Users: users, Hosts: hosts, RunAs: runas, Tags: append([]string(nil), tags...), Command: unescape(c)})
		}
	}
	return out, bad
}

// hostSections splits the part after the user list at the ':' that start a new
// "hosts =" section: a ':' ending a tag (NOPASSWD:) or inside a run-as list does not.
func hostSections(s string) []string {
	parts := splitUnescaped(s, ':')
	var out []string
	for _, p := range parts {
		if len(out) > 0 && !startsHostSection(p) {
			out[len(out)-1] += ":" + p
			continue
		}
		out = append(out, p)
	}
	return out
}

// startsHostSection reports whether text after a ':' reads "hosts =" rather than the
// rest of a tagged command.
func startsHostSection(p string) bool {
	h, _, ok := cutUnescaped(p, '=')
	if !ok {
		return false
	}
	h = strings.TrimSpace(h)
	if h == "" || strings.ContainsAny(h, "/()") {
		return false
	}
	for _, it := range splitList(h) {
		w := strings.TrimPrefix(it, "!")
		if sudoOptions[w] || sudoTags[w] || strings.ContainsAny(w, " \t") {
			return false
		}
	}
	return true
}

func cutUnescaped(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// cutTag takes a leading "TAG:" or "OPTION=value" off a command.
func cutTag(c string) (string, string, bool) {
	i := 0
	for i < len(c) && (c[i] >= 'A' && c[i] <= 'Z' || c[i] == '_') {
		i++
	}
	w := c[:i]
	switch {
	case i < len(c) && c[i] == ':' && sudoTags[w]:
		return w, strings.TrimSpace(c[i+1:]), true
	case i < len(c) && c[i] == '=' && sudoOptions[w]:
		val, rest := splitWord(c[i+1:])
		return w + "=" + val, strings.TrimSpace(rest), true
	}
	return "", c, false
}

// mergeTags applies new tags over inherited ones: NOPASSWD replaces PASSWD and so on.
func mergeTags(old, add []string) []string {
	var out []string
	for _, o := range old {
		keep := true
		for _, a := range add {
			if opposite(o, a) || o == a || tagKey(o) == tagKey(a) && strings.Contains(a, "=") {
				keep = false
			}
		}
		if keep {
			out = append(out, o)
		}
	}
	return append(out, add...)
}

func tagKey(t string) string { k, _, _ := strings.Cut(t, "="); return k }

func opposite(a, b string) bool {
	return "NO"+a == b || a == "NO"+b || (a == "EXEC" && b == "NOEXEC") || (a == "NOEXEC" && b == "EXEC")
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`,:=\`, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
