// Package redact removes secrets from configuration text and command lines. The probe
// does this on the target with sed before anything is sent; this is the same filter for
// evidence trowel reads itself (a mounted disk). A test runs both on the same input and
// requires the same bytes, so the two cannot drift apart: each rule here mirrors one sed
// expression of the probe (internal/probe/prologue.sh), in the same order, built from
// the same parts (the names a credential goes by, the shapes a value takes).
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
// touched (sed's /addr/ address); the match becomes repl, a template in which ${1}
// and ${2} are the groups sed's \1 and \2 keep.
type rule struct {
	addr string
	re   *regexp.Regexp
	repl string
}

func (r rule) apply(line []byte) []byte {
	if r.addr != "" && !bytes.Contains(line, []byte(r.addr)) {
		return line
	}
	return r.re.ReplaceAll(line, []byte(r.repl))
}

// mask is a rule keeping the first group and replacing the rest of the match with the
// marker; masked restricts it to lines containing addr.
func mask(expr string) rule { return rule{re: longest(expr), repl: "${1}" + Marker} }

func masked(addr, expr string) rule {
	return rule{addr: addr, re: longest(expr), repl: "${1}" + Marker}
}

// The names a credential goes by, as the probe spells them (any case).
const (
	passw       = `[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}`
	passphrase  = `[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee]`
	pwd         = `[Pp][Ww][Dd]`
	secret      = `[Ss][Ee][Cc][Rr][Ee][Tt]`
	token       = `[Tt][Oo][Kk][Ee][Nn]`
	key         = `[Kk][Ee][Yy]`
	auth        = `[Aa][Uu][Tt][Hh]`
	credentials = `[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]{0,1}`
	psk         = `[Pp][Ss][Kk]`
)

// optionNames are the names an option of a command takes its credential by
// (--password, --api-key, --client-secret ...), in the probe's order.
var optionNames = []string{passw, passphrase, pwd, secret, token, key, auth, credentials}

// The shapes a value takes, as the probe's sed expressions write them.
const (
	// dquoted is a double-quoted value, escaped quotes included ("ab\"cd").
	dquoted = `[^"]([^"\\]*\\.)*[^"]*`
	squoted = `[^'][^']*`
	// tail carries an unquoted value on through a quote that is part of it
	// (--password=ab"cd"): a quote followed by what is no delimiter.
	tailChar = `[^\] \t"',;)}<>|&]`
	tail     = `(["']` + tailChar + tailChar + `*)*`
	// An unquoted value: not the next option ("-"), a redirection or the marker
	// ("<"), a quote or a blank.
	bareOption  = `[^-"'< \t][^ \t"']*` + tail
	bareSetting = `[^"'< \t][^ \t"']*` + tail
	// sep is what stands between an option and its value: "=", blanks, or the
	// quote and comma of a JSON or YAML array ("--token", "V").
	sep = `["']{0,1}[ \t]*[= \t,][ \t]*`
)

// protectRules keep what is exactly a reference and no value: a shell variable
// ($NAME, ${NAME}, "$NAME") and a template ({{ vault_x }}). A newline, which no line
// holds, is put before the last character of the name in front of it, so no rule
// keyed on that name matches there; restoreRule takes it out again once the rules
// have run. Anything else after a credential's name ($3cr3t, ${X:-default},
// $HOME/x) is a value, and is masked.
var (
	protectRules = func() []rule {
		pre := `([A-Za-z0-9_.-])([A-Za-z0-9_.](["']{0,1}[ \t]*[= \t,]){0,1}[ \t]*`
		end := `["']{0,1}[\] \t&#;|)<>,}]`
		var out []rule
		for _, ref := range []struct{ expr, flags string }{
			{`"{0,1}\$[A-Za-z_][A-Za-z0-9_]*` + end + `)`, "g"},
			{`"{0,1}\$[A-Za-z_][A-Za-z0-9_]*["']{0,1})$`, ""},
			{`"{0,1}\$\{[A-Za-z_][A-Za-z0-9_]*\}` + end + `)`, "g"},
			{`"{0,1}\$\{[A-Za-z_][A-Za-z0-9_]*\}["']{0,1})$`, ""},
			{`["']{0,1}\{\{)`, "g"},
		} {
			out = append(out, rule{re: longest(pre + ref.expr), repl: "${1}\n${2}"})
		}
		return out
	}()
	restoreRule = rule{re: regexp.MustCompile(`\n`), repl: ""}
)

var (
	keyBegin = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)
	keyEnd   = regexp.MustCompile(`-----END [A-Z0-9 ]*PRIVATE KEY-----`)

	// configRules are _redact's own: a setting whose one-word name speaks of a
	// password, secret, token or key loses its value (password = x, "api_key": x,
	// DB_PASS=x, - password: x, password x, wpa-psk x), as do a few settings named
	// otherwise, quoted attributes anywhere in a line (<Connector keystorePass="...">)
	// and the lines of NTP's and chrony's key files (1 SHA1 HEX:...). "pass" counts
	// only as a word of its own or followed by wd/word: PassengerPreStart is no secret.
	configRules = []rule{
		mask(`^([ \t-]*[^=: \t]*` + passw + `([^A-Za-z=: \t][^=: \t]*){0,1}[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*[Pp][Hh][Rr][Aa][Ss][Ee][^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*` + pwd + `[^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*` + secret + `[^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*` + token + `[^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*[Aa][Pp][Ii][_-]*` + key + `[^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t-]*[^=: \t]*[_-]` + key + `["']*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t]*[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss][ \t][ \t]*).*`),
		mask(`^([ \t]*[Mm][Aa][Ss][Tt][Ee][Rr][Aa][Uu][Tt][Hh][ \t][ \t]*).*`),
		mask(`([Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd] [Bb][Yy] ).*`),
		mask(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Pp][Aa][Ss][Ss][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		mask(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*` + key + `[A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		mask(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*[Ss][Aa][Ll][Tt][A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		mask(`^([ \t]*define[ \t]*\([ \t]*["'][A-Za-z0-9_]*` + secret + `[A-Za-z0-9_]*["'][ \t]*,[ \t]*).*`),
		mask(`([A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*=")[^"]*`),
		mask(`([A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*=')[^']*`),
		mask(`([A-Za-z0-9_.-]*` + secret + `[A-Za-z0-9_.-]*=")[^"]*`),
		mask(`([A-Za-z0-9_.-]*` + secret + `[A-Za-z0-9_.-]*=')[^']*`),
		mask(`([A-Za-z0-9_.-]*` + token + `[A-Za-z0-9_.-]*=")[^"]*`),
		mask(`([A-Za-z0-9_.-]*` + token + `[A-Za-z0-9_.-]*=')[^']*`),
		mask(`^([ \t-]*[^=: \t]*` + psk + `[^=: \t]*[ \t]*[=:][ \t]*).*`),
		mask(`^([ \t]*[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd][ \t][ \t]*)[^ \t=:].*`),
		mask(`^([ \t]*[A-Za-z0-9_.-]*` + passphrase + `[ \t][ \t]*)[^ \t=:].*`),
		mask(`^([ \t]*[A-Za-z0-9_.-]*` + psk + `[ \t][ \t]*)[^ \t=:].*`),
		mask(`^([ \t]*[A-Za-z0-9_.-]*` + secret + `[ \t][ \t]*)[^ \t=:].*`),
		mask(`^([ \t]*[0-9][0-9]*[ \t][ \t]*[A-Z][A-Z0-9-]*[ \t][ \t]*)[^ \t#].*`),
		mask(`^([ \t]*[0-9][0-9]*[ \t][ \t]*[A-Z][A-Z]*:)[^ \t].*`),
	}

	// commandRules are _redact_cmd's (see the probe for what each spelling is and
	// which look-alikes are left alone).
	commandRules = func() []rule {
		out := append([]rule(nil), protectRules...)
		for _, n := range optionNames {
			pre := `([ \t"'=,[][-]{1,2}[A-Za-z0-9_.-]*` + n + sep
			bare := bareOption
			if n == key {
				bare = `[^-"'< \t/][^ \t"']*` + tail // --key /etc/ssl/x.key names a key file
			}
			out = append(out, mask(pre+`")`+dquoted), mask(pre+`')`+squoted), mask(pre+`)`+bare))
		}
		quote := `["']{0,1}`
		out = append(out,
			masked("sshpass", `(sshpass[ \t][ \t]*-p[ \t]*`+quote+`)`+bareOption),
			masked("redis-cli", `(redis-cli[^|;&]*[ \t]-a[ \t]*`+quote+`)`+bareOption),
			masked("ldap", `(ldap[a-z]*[^|;&]*[ \t]-w[ \t]*`+quote+`)`+bareOption),
			masked("mongo", `(mongo[a-z]*[^|;&]*[ \t]-p[ \t]*`+quote+`)`+bareOption),
			masked("curl", `(curl[^|;&]*[ \t][-]{1,2}[A-Za-z-]*[Uu]([Ss][Ee][Rr]){0,1}[= \t]*["']{0,1}[^: \t"']*:)[^ \t"'@]*`),
			masked("smbclient", `([ \t]-U[ \t]*["']{0,1}[^% \t"']*%)[^ \t"']*`),
			mask(`([ \t"'=][Pp][Aa][Ss][Ss]:)[^ \t"']*`),
			mask(`(["'=][A-Za-z0-9-]*`+auth+`[A-Za-z0-9-]*:[ \t]*)[^"']*`),
			mask(`(["'=][A-Za-z0-9-]*[A-Za-z0-9-]`+key+`[A-Za-z0-9-]*:[ \t]*)[^"']*`),
			mask(`(["'=][A-Za-z0-9-]*`+token+`[A-Za-z0-9-]*:[ \t]*)[^"']*`),
			mask(`(["'=][A-Za-z0-9-]*`+secret+`[A-Za-z0-9-]*:[ \t]*)[^"']*`),
			mask(`(["'=][A-Za-z0-9-]*[Cc][Oo][Oo][Kk][Ii][Ee][A-Za-z0-9-]*:[ \t]*)[^"']*`),
		)
		for _, n := range []string{
			`[A-Za-z0-9_.-]*` + key, `[A-Za-z0-9_.-]*` + auth,
			`[A-Za-z0-9_.-]*` + token + `[A-Za-z0-9_.-]*`, `[A-Za-z0-9_.-]*` + secret + `[A-Za-z0-9_.-]*`,
			`[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*`, `[A-Za-z0-9_.-]*` + pwd + `[A-Za-z0-9_.-]*`,
			`[A-Za-z0-9_.-]*[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee][A-Za-z0-9_.-]*`,
			`[A-Za-z0-9_.-]*` + credentials + `[A-Za-z0-9_.-]*`,
		} {
			out = append(out, mask(`([?&;]`+n+`=)[^&#"'< \t][^&#"' \t]*`))
		}
		return append(out,
			rule{re: longest(`(://[^/:@ \t]*:)[^@/ \t]*@`), repl: "${1}" + Marker + "@"},
			masked("mysql", `([ \t]-p")`+dquoted),
			masked("mysql", `([ \t]-p')`+squoted),
			masked("mysql", `([ \t]-p)[^ \t"'][^ \t]*`),
			restoreRule,
		)
	}()

	// envRules are what _redact_args adds: environment settings on a command line,
	// and the options of a mount (username=u,password=V).
	envRules = func() []rule {
		out := append([]rule(nil), protectRules...)
		for _, n := range []string{
			`[A-Za-z0-9_.]*` + passw + `([0-9_.][A-Za-z0-9_.]*){0,1}`,
			`[A-Za-z0-9_.]*` + passphrase + `[A-Za-z0-9_.]*`,
			`[A-Za-z0-9_.]*` + pwd + `[A-Za-z0-9_.]*`,
			`[A-Za-z0-9_.]*` + secret + `[A-Za-z0-9_.]*`,
			`[A-Za-z0-9_.]*` + token + `[A-Za-z0-9_.]*`,
			`[A-Za-z0-9_.]*` + credentials + `[A-Za-z0-9_.]*`,
			`[A-Za-z0-9_.][A-Za-z0-9_.]*` + key,
			`[A-Za-z0-9_.][A-Za-z0-9_.]*` + auth,
		} {
			pre := `([ \t"'=;]` + n
			bare := bareSetting
			if n == `[A-Za-z0-9_.][A-Za-z0-9_.]*`+key {
				bare = `[^"'< \t/][^ \t"']*` + tail
			}
			out = append(out, mask(pre+`=")`+dquoted), mask(pre+`=')`+squoted), mask(pre+`=)`+bare))
		}
		for _, n := range []string{`[Pp][Aa][Ss][Ss]`, pwd, secret, token, credentials} {
			out = append(out, mask(`(,[A-Za-z0-9_.]*`+n+`[A-Za-z0-9_.]*=)[^,"'< \t][^, \t"']*`))
		}
		return append(out, restoreRule)
	}()
)

// argvLines is the end of _redact_cmd: an array of arguments written one item a line
// (YAML's "- --password" then "- V", JSON's "--token", then "V"), whose value is on
// the line after its option. sed keeps the line before in its hold space and reads
// it with the current one ("PREV\nLINE"): where PREV ends with a credential's
// option, "@S" goes between them, and LINE's item is masked unless it is exactly a
// variable; then PREV is cut off again. (No "x": busybox sed's exchange would add a
// newline to a last line that has none.)
var argvLines = struct {
	ends  []rule
	exact *regexp.Regexp
	items []rule
	strip rule
}{
	ends: func() []rule {
		var out []rule
		for _, n := range optionNames {
			out = append(out, rule{re: longest(`(["' \t[]-{1,2}[A-Za-z0-9_.-]*` + n + `["']{0,1}[ \t]*,{0,1}[ \t]*)\n`), repl: "${1}\n@S\n"})
		}
		return out
	}(),
	exact: regexp.MustCompile(`\n@S\n[ \t]*(-[ \t][ \t]*){0,1}["']{0,1}\$\{{0,1}[A-Za-z_][A-Za-z0-9_]*\}{0,1}["']{0,1}[ \t]*,{0,1}[ \t]*$`),
	items: []rule{
		mask(`(\n@S\n[ \t]*(-[ \t][ \t]*){0,1}")[^-"][^"]*`),
		mask(`(\n@S\n[ \t]*(-[ \t][ \t]*){0,1}')[^-'][^']*`),
		mask(`(\n@S\n[ \t]*-[ \t][ \t]*)[^-"'<#{[ \t].*`),
	},
	strip: rule{re: longest(`(?s)^.*\n`), repl: ""},
}

// commandStage is one run of _redact_cmd's sed: the command rules on each line, and
// the line before, which argvLines keeps in the hold space.
type commandStage struct{ hold []byte }

func (c *commandStage) line(line []byte) []byte {
	line = applyAll(line, commandRules)
	both := append(append(append([]byte(nil), c.hold...), '\n'), line...)
	both = applyFirst(both, argvLines.ends)
	if !argvLines.exact.Match(both) {
		both = applyFirst(both, argvLines.items)
	}
	line = argvLines.strip.re.ReplaceAll(both, nil)
	c.hold = line
	return line
}

// applyFirst is applyAll for sed substitutions without "g": each replaces its first
// match only.
func applyFirst(line []byte, set []rule) []byte {
	for _, r := range set {
		if loc := r.re.FindSubmatchIndex(line); loc != nil {
			var out []byte
			out = append(out, line[:loc[0]]...)
			out = r.re.Expand(out, []byte(r.repl), line, loc)
			line = append(out, line[loc[1]:]...)
		}
	}
	return line
}

// longest compiles with POSIX leftmost-longest matching, as sed matches.
func longest(expr string) *regexp.Regexp {
	re := regexp.MustCompile(expr)
	re.Longest()
	return re
}

// Commands is the probe's _redact_cmd: the command-line rules alone, for files whose
// other lines must stay untouched (sudoers).
func Commands(b []byte) []byte {
	var c commandStage
	return eachLine(b, func(line []byte, nl string) []byte { return append(c.line(line), nl...) })
}

// Args is the probe's _redact_args, for command lines (ps, inittab, logrotate).
func Args(b []byte) []byte {
	var c commandStage
	return eachLine(b, func(line []byte, nl string) []byte {
		return append(applyAll(c.line(line), envRules), nl...)
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

func applyAll(line []byte, set []rule) []byte {
	for _, r := range set {
		line = r.apply(line)
	}
	return line
}

// Text is the probe's _redact: it returns b with secrets replaced.
func Text(b []byte) []byte {
	inKey := false
	var c commandStage
	// The config rules run in a sed of their own, ahead of _redact_args's: the
	// line a private key becomes is read by the command and environment rules too.
	rest := func(line []byte) []byte { return applyAll(c.line(line), envRules) }
	return eachLine(b, func(line []byte, nl string) []byte {
		switch {
		case inKey:
			// sed's "c" ends the cycle on every line of the range and prints its
			// text once, at the range's end; a block never closed prints nothing.
			if keyEnd.Match(line) {
				inKey = false
				return append(rest([]byte(KeyMarker)), '\n')
			}
			return nil
		case keyBegin.Match(line):
			inKey = true
			return nil
		}
		return append(rest(applyAll(line, configRules)), nl...)
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
