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
			if m[g] < 0 || m[g] == m[g+1] || m[g] < last {
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
	// quoted is a value inside quotes (blanks included); bare one without.
	quoted = `([^"'\\&<$\x60{\s][^"'\\&<\x60\n]*)`
	bare   = `([^\s"'\\<>&{$;|\x60-][^\s"'\\<>&;|\x60]*)`
	// bareEnv may start with "-": an environment value is not followed by options.
	bareEnv = `([^\s"'\\<>&{$;|\x60][^\s"'\\<>&;|\x60]*)`
	// bareKey leaves a path alone: --key /etc/ssl/x.key names a key file.
	bareKey = `([^\s"'\\<>&{$;|\x60/-][^\s"'\\<>&;|\x60]*)`
	// start is where an option or a setting may begin.
	optStart = `(?:^|[\s"'=,(]|&#34;|&quot;|&#39;)`
)

var rules = []rule{
	{"trowel:command-option", []string{"pass", "pwd", "secret", "token", "auth", "credential"},
		regexp.MustCompile(`(?i)` + optStart + `--?[a-z0-9_.-]*(?:pass(?:wd|word)?|passphrase|pwd|secret|token|auth|credentials?)(?:=|[ \t]|\\t)(?:` + quote + quoted + `|` + bare + `)`)},
	{"trowel:command-option", []string{"key"},
		regexp.MustCompile(`(?i)` + optStart + `--?[a-z0-9_.-]*key(?:=|[ \t]|\\t)(?:` + quote + `([^"'\\&<$\x60{\s/][^"'\\&<\x60\n]*)|` + bareKey + `)`)},
	{"trowel:environment", []string{"pass", "pwd", "secret", "token", "credential", "key", "auth"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=;])[a-z0-9_.]*(?:pass(?:wd|word)?(?:[0-9_.][a-z0-9_.]*)?|(?:passphrase|pwd|secret|token|credential)[a-z0-9_.]*)=(?:` + quote + quoted + `|` + bareEnv + `)`)},
	{"trowel:environment", []string{"auth"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=;])[a-z0-9_.]+auth=(?:` + quote + quoted + `|` + bareEnv + `)`)},
	{"trowel:environment", []string{"key"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=;])[a-z0-9_.]+key=(?:` + quote + `([^"'\\&<$\x60{\s/][^"'\\&<\x60\n]*)|` + bareKey + `)`)},
	{"trowel:program-password", []string{"mysql"},
		regexp.MustCompile(`(?:^|\s)-p(?:'|\\?"|&#39;|&#34;|&quot;)?([^\s"'\\<>&{$;|\x60][^\s"'\\<>&;|\x60]*)`)},
	{"trowel:program-password", []string{"sshpass"},
		regexp.MustCompile(`sshpass\s+-p\s*` + bare)},
	{"trowel:program-password", []string{"redis-cli"},
		regexp.MustCompile(`redis-cli[^|;&\n]*\s-a\s*` + bare)},
	{"trowel:program-password", []string{"ldap"},
		regexp.MustCompile(`ldap[a-z]*[^|;&\n]*\s-w\s*` + bare)},
	{"trowel:program-password", []string{"mongo"},
		regexp.MustCompile(`mongo[a-z]*[^|;&\n]*\s-p\s*` + bare)},
	{"trowel:program-password", []string{"curl"},
		regexp.MustCompile(`curl[^|;&\n]*\s--?[A-Za-z-]*[Uu](?:[Ss][Ee][Rr])?[= \t]*['"]?[^:\s"'\\]*:([^\s"'\\<>&@;|][^\s"'\\<>&@;|]*)`)},
	{"trowel:program-password", []string{"smbclient"},
		regexp.MustCompile(`\s-U\s*['"]?[^%\s"']*%` + bare)},
	{"trowel:program-password", []string{"pass:"},
		regexp.MustCompile(`(?i)(?:^|[\s"'=])pass:` + bare)},
	{"trowel:header", []string{"auth", "key", "token", "secret", "cookie"},
		regexp.MustCompile(`(?i)(?:["'=]|&#34;|&quot;|&#39;)(?:[a-z0-9-]*(?:auth|token|secret|cookie)|[a-z0-9-]+key)[a-z0-9-]*:[ \t]*([^"'\\&<$\x60{\s][^"'\\&<\x60\n]*)`)},
	{"trowel:url-query", []string{"key", "auth", "token", "secret", "pass", "pwd", "sig", "credential"},
		regexp.MustCompile(`(?i)(?:[?&;]|\\u0026)(?:[a-z0-9_.-]*(?:key|auth)|[a-z0-9_.-]*(?:token|secret|pass|pwd|signature|credential)[a-z0-9_.-]*|sig)=([^&#"'\s\\<>$;{][^&#"'\s\\<>;]*)`)},
	{"trowel:url-userinfo", []string{"://"},
		regexp.MustCompile(`://[^/:@\s"'\\]*:([^@/\s"'\\<][^@/\s"'\\]*)@`)},
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
