package secrets

import (
	"regexp"
	"strings"
)

// trowel's own rules: the command-line shapes the probe removes on the host
// (internal/redact has the sed twins), written again for what trowel writes, where a
// command may sit inside a JSON string (\" and \u003c), an HTML page (&#34;, &amp;) or
// YAML. A value never starts with what marks it as no secret: the marker itself, a
// template ({{ vault_x }}), a variable ($API_KEY) or, after a space, the next option.

// rule masks the submatches of re (every non-empty group) on lines holding one of
// its keywords (lower case).
type rule struct {
	name     string
	keywords []string
	re       *regexp.Regexp
}

// mask returns the line with the rule's values masked, and how many; lower is the
// line in lower case, for the keywords.
func (r rule) mask(line, lower string) (string, int) {
	hit := false
	for _, k := range r.keywords {
		if strings.Contains(lower, k) {
			hit = true
			break
		}
	}
	if !hit {
		return line, 0
	}
	ms := r.re.FindAllStringSubmatchIndex(line, -1)
	if ms == nil {
		return line, 0
	}
	var b strings.Builder
	last, n := 0, 0
	for _, m := range ms {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 || m[g] == m[g+1] || m[g] < last || noValue(line, m[g], m[g+1]) {
				continue
			}
			b.WriteString(line[last:m[g]])
			b.WriteString(Marker)
			last = m[g+1]
			n++
		}
	}
	if n == 0 {
		return line, 0
	}
	b.WriteString(line[last:])
	return b.String(), n
}

const (
	// quote opens a quoted value: plain, escaped in JSON, or as HTML writes it.
	quote = `(?:\\?"|'|&#34;|&quot;|&#39;)`
	// optStart is where an option or a setting may begin (a JSON or YAML array's "[").
	optStart = `(?:^|[\s"'=,(\[]|&#34;|&quot;|&#39;)`
	// optSep stands between an option and its value: "=", blanks, the quote and
	// comma of a JSON or YAML array ("--token", "V"), or a JSON string's newline
	// before a YAML item ("- --password\n- V").
	optSep = quote + `?(?:(?:[ \t]|\\t)*[=,]|[ \t]|\\t|,?\\n(?:[ \t]|\\t)*-?)(?:[ \t]|\\t)*`
	// bareChar is a character of an unquoted value: a backslash in it is one
	// (ab\c), or two as JSON writes it, but never one that starts an escape.
	bareChar = `(?:[^\s"'\\<>&;|\x60]|\\\\|\\[^"'\s\\ntru&])`
	// tail carries an unquoted value on through a quote that is part of it
	// (--password=ab"cd"): a quote followed by what is no delimiter.
	tail = `(?:` + quote + `[^\s"'\\<>&;|\x60,)}\]]` + bareChar + `*)*`
	// cmdNames are the names an option takes a credential by, key aside.
	cmdNames = `(?:pass(?:wd|word)?|passphrase|pwd|secret|token|auth|credentials?)`
)

// value is what follows a credential's name: a quoted value in each form trowel
// writes it (JSON's \"...\" with \\\" inside, HTML's &#34;...&#34;, plain), or a
// bare one. notFirst lists what a value never starts with besides blanks, quotes, the
// marker and a template ("-" for an option's value, "/" for a key's: a key file).
func value(notFirst string) string {
	jsonDQ := `(?:[^"\\\s<{` + notFirst + `]|\\\\\\"|\\\\|\\[^"\\u\s])(?:[^"\\\n]|\\\\\\"|\\\\|\\[^"\\])*`
	htmlDQ := `(?:[^&"\\\s<{` + notFirst + `]|\\[^&\s])(?:\\&#34;|\\&quot;|[^&<\n]|&(?:amp|lt|gt|#39);)*`
	htmlSQ := `[^&\s<{` + notFirst + `](?:[^&<\n]|&(?:amp|lt|gt|#34|quot);)*`
	textDQ := `(?:[^"\\\s<{\x60` + notFirst + `]|\\\S)(?:[^"\\\n]|\\.)*`
	textSQ := `[^'\s<{` + notFirst + `][^'\n]*`
	bare := `[^\s"'\\<>&{;|\x60` + notFirst + `]` + bareChar + `*` + tail
	return `(?:\\"(` + jsonDQ + `)|(?:&#34;|&quot;)(` + htmlDQ + `)|&#39;(` + htmlSQ + `)|"(` + textDQ + `)|'(` + textSQ + `)|(` + bare + `))`
}

var rules = []rule{
	{"trowel:command-option", []string{"pass", "pwd", "secret", "token", "auth", "credential"},
		regexp.MustCompile(`(?i)` + optStart + `--?[a-z0-9_.-]*` + cmdNames + optSep + value("-"))},
	{"trowel:command-option", []string{"key"},
		regexp.MustCompile(`(?i)` + optStart + `--?[a-z0-9_.-]*key` + optSep + value("/-"))},
	{"trowel:environment", []string{"pass", "pwd", "secret", "token", "credential", "key", "auth"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=;])[a-z0-9_.]*(?:pass(?:wd|word)?(?:[0-9_.][a-z0-9_.]*)?|(?:passphrase|pwd|secret|token|credential)[a-z0-9_.]*)=` + value(""))},
	{"trowel:environment", []string{"auth"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=;])[a-z0-9_.]+auth=` + value(""))},
	{"trowel:environment", []string{"key"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=;])[a-z0-9_.]+key=` + value("/"))},
	// A mount's options (fstab, autofs, mount -o): username=u,password=V,uid=33.
	{"trowel:mount-option", []string{"pass", "pwd", "secret", "token", "credential"},
		regexp.MustCompile(`(?i),[a-z0-9_.]*(?:pass|pwd|secret|token|credentials?)[a-z0-9_.]*=([^,\s"'\\<>&;|\x60][^,\s"'\\<>&;|\x60]*)`)},
	{"trowel:program-password", []string{"mysql"},
		regexp.MustCompile(`(?:^|\s)-p(?:'|\\?"|&#39;|&#34;|&quot;)?([^\s"'\\<>&{$;|\x60][^\s"'\\<>&;|\x60]*)`)},
	{"trowel:program-password", []string{"sshpass"},
		regexp.MustCompile(`sshpass\s+-p\s*` + value("-"))},
	{"trowel:program-password", []string{"redis-cli"},
		regexp.MustCompile(`redis-cli[^|;&\n]*\s-a\s*` + value("-"))},
	{"trowel:program-password", []string{"ldap"},
		regexp.MustCompile(`ldap[a-z]*[^|;&\n]*\s-w\s*` + value("-"))},
	{"trowel:program-password", []string{"mongo"},
		regexp.MustCompile(`mongo[a-z]*[^|;&\n]*\s-p\s*` + value("-"))},
	{"trowel:program-password", []string{"curl"},
		regexp.MustCompile(`curl[^|;&\n]*\s--?[A-Za-z-]*[Uu](?:[Ss][Ee][Rr])?[= \t]*['"]?[^:\s"'\\]*:([^\s"'\\<>&@;|][^\s"'\\<>&@;|]*)`)},
	{"trowel:program-password", []string{"smbclient"},
		regexp.MustCompile(`\s-U\s*['"]?[^%\s"']*%([^\s"'\\<>&{$;|\x60-][^\s"'\\<>&;|\x60]*)`)},
	{"trowel:program-password", []string{"pass:"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=])pass:([^\s"'\\<>&{$;|\x60-][^\s"'\\<>&;|\x60]*)`)},
	{"trowel:header", []string{"auth", "key", "token", "secret", "cookie"},
		regexp.MustCompile(`(?i)(?:["'=]|&#34;|&quot;|&#39;)(?:[a-z0-9-]*(?:auth|token|secret|cookie)|[a-z0-9-]+key)[a-z0-9-]*:[ \t]*([^"'\\&<$\x60{\s][^"'\\&<\x60\n]*)`)},
	{"trowel:url-query", []string{"key", "auth", "token", "secret", "pass", "pwd", "sig", "credential"},
		regexp.MustCompile(`(?i)(?:[?&;]|\\u0026)(?:[a-z0-9_.-]*(?:key|auth)|[a-z0-9_.-]*(?:token|secret|pass|pwd|signature|credential)[a-z0-9_.-]*|sig)=([^&#"'\s\\<>$;{][^&#"'\s\\<>;]*)`)},
	{"trowel:url-userinfo", []string{"://"},
		regexp.MustCompile(`://[^/:@\s"'\\]*:([^@/\s"'\\<][^@/\s"'\\]*)@`)},
}

// An array of arguments written one item a line (YAML's "- --password" then "- V",
// JSON's "--token", then "V") has its value on the line after its option.
var (
	argvEnd     = regexp.MustCompile(`(?i)(?:^|[\s"'\[]|&#34;|&quot;|&#39;)--?[a-z0-9_.-]*(` + cmdNames + `|key)` + quote + `?[ \t]*,?[ \t]*\r?\n?$`)
	argvItem    = regexp.MustCompile(`^[ \t]*(?:-[ \t]+)?` + value("-"))
	argvKeyItem = regexp.MustCompile(`^[ \t]*(?:-[ \t]+)?` + value("/-"))
)

// maskArgvItems masks the item on the line after a credential's option.
func maskArgvItems(lines []string, findings []Finding) []Finding {
	for i := 1; i < len(lines); i++ {
		if !mayEndWithOption(lines[i-1]) {
			continue
		}
		m := argvEnd.FindStringSubmatch(lines[i-1])
		if m == nil {
			continue
		}
		r := rule{"trowel:command-option", []string{""}, argvItem}
		if strings.EqualFold(m[1], "key") {
			r.re = argvKeyItem
		}
		var n int
		lines[i], n = r.mask(lines[i], "")
		for range n {
			findings = append(findings, Finding{Rule: r.name, Line: i + 1})
		}
	}
	return findings
}

// optionEnds are the ends of the options argvEnd matches, in lower case.
var optionEnds = []string{"pass", "passwd", "password", "passphrase", "pwd", "secret", "token", "auth", "credential", "credentials", "key"}

// mayEndWithOption is what a line needs for argvEnd to match it: an option's name at
// its end, before what argvEnd allows after one (a quote, blanks, a comma). It spares
// the regular expression the lines of a large text that end otherwise, nearly all.
func mayEndWithOption(line string) bool {
	s := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	s = strings.TrimRight(strings.TrimSuffix(strings.TrimRight(s, " \t"), ","), " \t")
	for _, q := range []string{"&#34;", "&quot;", "&#39;", `\"`, `"`, "'"} {
		if t, ok := strings.CutSuffix(s, q); ok {
			s = t
			break
		}
	}
	if len(s) > len("credentials") {
		s = s[len(s)-len("credentials"):]
	}
	s = strings.ToLower(s)
	for _, e := range optionEnds {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}

// reference is a value that names one and holds none: a shell variable, which
// single quotes make a literal.
var reference = regexp.MustCompile(`^(?:\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})$`)

// markers are the probe's marker as each form trowel writes escapes it.
var markers = []string{Marker, "&lt;redacted&gt;", `\u003credacted\u003e`}

// noValue says whether line[start:end] holds no secret: the marker, in whatever form
// (a rule whose value may start with "&" would read HTML's "&lt;" as one), or a
// shell variable outside single quotes.
func noValue(line string, start, end int) bool {
	for _, m := range markers {
		if strings.HasPrefix(line[start:], m) {
			return true
		}
	}
	if !reference.MatchString(line[start:end]) {
		return false
	}
	before := line[:start]
	return !strings.HasSuffix(before, "'") && !strings.HasSuffix(before, "&#39;")
}

var (
	keyBegin   = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)
	keyEnd     = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY-----`)
	inlineKey  = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(.*?)-----END [A-Z0-9 ]*PRIVATE KEY-----`)
	keyContent = regexp.MustCompile(`[A-Za-z0-9+/=]{16,}`)
)

// maskKeyBlocks replaces the content of private-key blocks: within a line (a key in a
// JSON string), or the lines between BEGIN and END, each line kept as a line. A block
// left open runs to the end of the text.
func maskKeyBlocks(lines []string, first int, findings []Finding) ([]string, []Finding) {
	in := false
	for i, l := range lines {
		switch {
		case in:
			if keyEnd.MatchString(l) {
				in = false
				continue
			}
			if keyContent.MatchString(l) {
				nl := ""
				if strings.HasSuffix(l, "\n") {
					nl = "\n"
				}
				lines[i] = Marker + nl
			}
		case inlineKey.MatchString(l):
			masked := inlineKey.ReplaceAllStringFunc(l, func(m string) string {
				sub := inlineKey.FindStringSubmatch(m)
				if !keyContent.MatchString(sub[1]) {
					return m
				}
				return strings.Replace(m, sub[1], Marker, 1)
			})
			if masked != l {
				lines[i] = masked
				findings = append(findings, Finding{Rule: "trowel:private-key", Line: first + i})
			}
		case keyBegin.MatchString(l):
			in = true
			findings = append(findings, Finding{Rule: "trowel:private-key", Line: first + i})
		}
	}
	return lines, findings
}
