package redact

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact/redacttest"
)

// The probe's filters are gated: a line goes through a rule set's expressions only
// if it holds a word one of them needs (most lines hold none), and otherwise branches
// past them. The tests here prove that the gates change nothing: structurally, for
// every expression a filter runs (TestGatedExpressionsNeedAGateWord), and by running
// the gated and the ungated filters on the same bytes (TestGatedIsUngated).

// sedCmd is one -e piece of a filter's sed.
type sedCmd struct {
	text   string
	addr   string // the regular expression of a /re/ address, if one
	verb   string // ":", "b", "s", "{", "}", or the one-letter command
	label  string // of ":" and "b"
	re     string // of "s"
	repl   string
	flags  string
	hasNeg bool
	rng    bool
}

// filterArgs returns the -e pieces the probe's filter fn hands sed, as the probe's
// own shell builds them.
func filterArgs(t *testing.T, fn string) []string {
	t.Helper()
	return argsOf(t, string(probe.Script()), fn)
}

func argsOf(t *testing.T, script, fn string) []string {
	t.Helper()
	dump := `sed() { printf '%s\000' "$@"; }; tr() { :; }; `
	cmd := exec.Command("dash", "-c", filterFuncs(script)+dump+fn)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	args := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	var exprs []string
	for i := 0; i < len(args); i++ {
		if args[i] != "-e" || i+1 == len(args) {
			t.Fatalf("%s: sed argument %q is no -e piece", fn, args[i])
		}
		i++
		exprs = append(exprs, args[i])
	}
	return exprs
}

// filterFuncs is the text of the filter functions of a probe script.
func filterFuncs(script string) string {
	var b strings.Builder
	for _, name := range []string{"_rules_text", "_rules_cmd", "_rules_args", "_rules_sed", "_redact_cmd", "_redact_args", "_redact", "_redact_dict", "_hashes_redact"} {
		start := strings.Index(script, "\n"+name+"() {")
		end := strings.Index(script[start:], "\n}\n")
		b.WriteString(script[start : start+end+3])
	}
	return b.String()
}

// delimited reads, from s starting after its delimiter d, up to the next unescaped d;
// "\d" stands for d itself.
func delimited(s string, d byte) (body, rest string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == d:
			b.WriteByte(d)
			i++
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i++
		case s[i] == d:
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", false
}

func parseCmd(text string) (sedCmd, error) {
	c := sedCmd{text: text}
	s := text
	readAddr := func() (string, bool) {
		switch {
		case strings.HasPrefix(s, "/"):
			a, rest, ok := delimited(s[1:], '/')
			s = rest
			return a, ok
		case strings.HasPrefix(s, `\`) && len(s) > 1:
			a, rest, ok := delimited(s[2:], s[1])
			s = rest
			return a, ok
		}
		return "", true
	}
	a, ok := readAddr()
	if !ok {
		return c, fmt.Errorf("bad address in %q", text)
	}
	c.addr = a
	if strings.HasPrefix(s, ",") {
		s = s[1:]
		if _, ok := readAddr(); !ok {
			return c, fmt.Errorf("bad range in %q", text)
		}
		c.rng = true
	}
	if strings.HasPrefix(s, "!") {
		c.hasNeg = true
		s = s[1:]
	}
	if s == "" {
		return c, fmt.Errorf("no command in %q", text)
	}
	c.verb = s[:1]
	switch c.verb {
	case ":", "b":
		c.label = strings.TrimPrefix(s[1:], " ")
	case "s":
		d := s[1]
		re, rest, ok := delimited(s[2:], d)
		if !ok {
			return c, fmt.Errorf("bad s in %q", text)
		}
		repl, flags, ok := delimited(rest, d)
		if !ok {
			return c, fmt.Errorf("bad s in %q", text)
		}
		c.re, c.repl, c.flags = re, repl, flags
		if strings.ContainsAny(flags, "iIeEmMwp") {
			return c, fmt.Errorf("s flags %q not understood in %q", flags, text)
		}
	case "{", "}", "H", "g", "h", "x", "G":
		if len(s) != 1 {
			return c, fmt.Errorf("trailing text in %q", text)
		}
	case "c":
	default:
		return c, fmt.Errorf("command not understood: %q", text)
	}
	return c, nil
}

// identities are the expressions a gate skips that need no gate word, and why
// skipping them changes nothing.
var identities = []struct {
	name, why string
	is        func(c sedCmd) bool
}{
	{"protect", `a shell variable's or a template's protection puts a newline in the line and nothing else ` +
		`(two groups spanning the whole match, replaced by the first, a newline, the second); ` +
		`no gated expression matches across it (no gate word matches a newline), and "restore" takes it out`,
		func(c sedCmd) bool {
			if c.verb != "s" || c.addr != "" || c.repl != "\\1\\\n\\2" {
				return false
			}
			rest, ok := skipGroup(c.re)
			if !ok {
				return false
			}
			rest, ok = skipGroup(rest)
			return ok && (rest == "" || rest == "$")
		}},
	{"restore", `s/\n//g takes out the newlines "protect" put in: a line has none of its own when a gate reads it ` +
		`(sed reads lines; the rules replace values with the marker, and the command rules' hold part leaves ` +
		`one line, s/^.*\n//)`,
		func(c sedCmd) bool {
			return c.verb == "s" && c.addr == "" && c.re == `\n` && c.repl == "" && c.flags == "g"
		}},
}

// skipGroup returns what follows the group "\(...\)" that re starts with.
func skipGroup(re string) (string, bool) {
	if !strings.HasPrefix(re, `\(`) {
		return "", false
	}
	depth := 0
	for i := 0; i+1 < len(re); i++ {
		if re[i] != '\\' {
			continue
		}
		switch re[i+1] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return re[i+2:], true
			}
		}
		i++
	}
	return "", false
}

type gateWord struct {
	text  string
	elems []elem
}

// provenBy returns the gate word that every change c can make needs, if any.
func provenBy(c sedCmd, words []gateWord, newlines bool) (string, error) {
	var regexes []string
	if c.addr != "" && !c.hasNeg && !c.rng {
		regexes = append(regexes, c.addr)
	}
	if c.verb == "s" {
		regexes = append(regexes, c.re)
	}
	for _, re := range regexes {
		e, err := parseBRE(re)
		if err != nil {
			return "", err
		}
		for _, w := range words {
			if newlines && matchesNewline(w.elems) {
				continue
			}
			if needs(e, w.elems) {
				return w.text, nil
			}
		}
	}
	return "", nil
}

// proveGates checks a filter's sed program: for each gate (a run of "/WORD/b L"),
// a line that none of its words matches takes the branch past L, and every
// expression from L to where that branch lands can change only a line holding a
// gate word, or is one of the identities; what the skipped part does besides (the
// command rules keep the line before in the hold space) the branch's path does too,
// in the same order. It returns what it cannot prove.
func proveGates(exprs []string) []string {
	var cmds []sedCmd
	var bad []string
	for _, x := range exprs {
		c, err := parseCmd(x)
		if err != nil {
			return []string{err.Error()}
		}
		cmds = append(cmds, c)
	}
	labelAt := map[string]int{}
	for i, c := range cmds {
		if c.verb == ":" {
			if _, dup := labelAt[c.label]; dup {
				bad = append(bad, "label "+c.label+" twice")
			}
			labelAt[c.label] = i
		}
	}
	target := func(label string) (int, bool) {
		if label == "" {
			return len(cmds), true
		}
		i, ok := labelAt[label]
		return i, ok
	}
	isBranch := func(c sedCmd) bool { return c.verb == "b" && c.addr != "" && !c.hasNeg && !c.rng }
	// run reads the run of branches to one label at i.
	run := func(i int) (words []gateWord, label string, next int, err error) {
		label = cmds[i].label
		for ; i < len(cmds) && isBranch(cmds[i]) && cmds[i].label == label; i++ {
			e, err := parseBRE(cmds[i].addr)
			if err != nil {
				return nil, "", 0, err
			}
			words = append(words, gateWord{cmds[i].addr, e})
		}
		return words, label, i, nil
	}
	guard := map[int]bool{} // runs on a gate's failing path: guards, not gates
	gates := 0
	for i := 0; i < len(cmds); i++ {
		if !isBranch(cmds[i]) || guard[i] || i > 0 && isBranch(cmds[i-1]) && cmds[i-1].label == cmds[i].label {
			continue
		}
		words, label, next, err := run(i)
		if err != nil {
			return []string{err.Error()}
		}
		gates++
		from, ok := target(label)
		if !ok {
			bad = append(bad, "no label "+label)
			continue
		}
		// The failing path: what it does, up to its branch.
		var failing []string
		guards := map[string][]gateWord{}
		j := next
		for ; j < len(cmds) && !(cmds[j].verb == "b" && cmds[j].addr == ""); j++ {
			c := cmds[j]
			switch {
			case c.verb == ":":
			case isBranch(c):
				gw, gl, gnext, err := run(j)
				if err != nil {
					return []string{err.Error()}
				}
				guard[j] = true
				guards[gl] = gw
				failing = append(failing, ":"+gl)
				j = gnext - 1
			case c.addr == "" && (c.verb == "H" || c.verb == "g" || c.verb == "h" || c.text == `s/^.*\n//`):
				failing = append(failing, c.text)
			default:
				bad = append(bad, fmt.Sprintf("gate %s: %q on the failing path", label, c.text))
			}
		}
		if j == len(cmds) {
			bad = append(bad, "gate "+label+": the failing path does not branch")
			continue
		}
		to, ok := target(cmds[j].label)
		if !ok || to < from {
			bad = append(bad, "gate "+label+": the failing path does not branch past "+label)
			continue
		}
		// The skipped part, from the label to where the failing path lands.
		var passing []string
		justify, newlines, depth := words, false, 0
		for k := from; k < to; k++ {
			c := cmds[k]
			idn := ""
			for _, id := range identities {
				if id.is(c) {
					idn = id.name
				}
			}
			switch {
			case c.verb == ":" && guards[c.label] != nil:
				if newlines {
					bad = append(bad, "gate "+label+": a newline put in is still there at "+c.label)
				}
				passing = append(passing, ":"+c.label)
				justify = guards[c.label]
			case c.verb == ":":
			case idn == "protect":
				newlines = true
			case idn == "restore":
				newlines = false
			case c.verb == "{" && !c.rng:
				depth++
			case c.verb == "}" && depth > 0:
				depth--
			case c.verb == "s" || isBranch(c):
				w, err := provenBy(c, justify, newlines)
				if err != nil {
					return []string{err.Error()}
				}
				if w != "" {
					continue
				}
				if c.addr == "" && (c.text == `s/^.*\n//`) && depth == 0 {
					// What is left is the end of what the words were sought in.
					passing = append(passing, c.text)
					justify = slices.DeleteFunc(slices.Clone(justify), func(w gateWord) bool { return matchesNewline(w.elems) })
					if newlines {
						bad = append(bad, "gate "+label+": a newline put in is still there at "+c.text)
					}
					continue
				}
				bad = append(bad, fmt.Sprintf("gate %s skips %q, which needs none of its words", label, c.text))
			case c.addr == "" && depth == 0 && (c.verb == "H" || c.verb == "g" || c.verb == "h"):
				passing = append(passing, c.text)
				if newlines {
					bad = append(bad, "gate "+label+": a newline put in is still there at "+c.text)
				}
				if c.verb == "g" {
					justify = nil // the line before is in the pattern now: no word was sought in it
				}
			default:
				bad = append(bad, fmt.Sprintf("gate %s skips %q", label, c.text))
			}
		}
		if depth != 0 {
			bad = append(bad, "gate "+label+": a block open past where its failing path lands")
		}
		if newlines {
			bad = append(bad, "gate "+label+": a newline put in is still there where its failing path lands")
		}
		if !slices.Equal(passing, failing) {
			bad = append(bad, fmt.Sprintf("gate %s: the skipped part does %q besides its rules, the failing path %q", label, passing, failing))
		}
	}
	if gates == 0 {
		bad = append(bad, "no gate")
	}
	return bad
}

// The filters the probe runs, each one sed.
var gatedFilters = []string{"_redact", "_redact_args", "_redact_cmd", "_redact_dict"}

// Every expression a gate skips needs one of its words (a run of bytes a match
// cannot do without, in any case the gate reads), or is named in identities with the
// reason it changes nothing; and the proof fails for an expression that needs no
// gate word, or a gate without the word an expression needs.
func TestGatedExpressionsNeedAGateWord(t *testing.T) {
	for _, fn := range gatedFilters {
		exprs := filterArgs(t, fn)
		if bad := proveGates(exprs); len(bad) > 0 {
			t.Errorf("%s:\n%s", fn, strings.Join(bad, "\n"))
		}
	}
	// Mutations the proof must reject.
	exprs := filterArgs(t, "_redact")
	at := func(s string) int {
		i := slices.Index(exprs, s)
		if i < 0 {
			t.Fatalf("no %q in _redact", s)
		}
		return i
	}
	insert := func(i int, x string) []string { return slices.Insert(slices.Clone(exprs), i, x) }
	without := func(x string) []string {
		return slices.DeleteFunc(slices.Clone(exprs), func(e string) bool { return e == x })
	}
	for name, m := range map[string][]string{
		"a text rule with no gate word":       insert(at(":text")+1, `s/\(hunter\)2/\1<redacted>/`),
		"a command rule with no gate word":    insert(at(":cmd")+1, `s/\(--hunter\)2/\1<redacted>/`),
		"an argument rule with no gate word":  insert(len(exprs), `s/\(HUNTER\)=.*/\1=<redacted>/`),
		"a rule keyed on an optional word":    insert(at(":cmd")+1, `s/\(x\([Pp][Aa][Ss][Ss]\)\{0,1\}=\).*/\1<redacted>/`),
		"a word the text gate lacks":          without(`/[Ss][Aa][Ll][Tt]/b text`),
		"a word the command gate lacks":       without(`/mysql/b cmd`),
		"a word the text gate lacks (cmd's)":  without(`/mysql/b text`),
		"a line before without its guard":     without(`/[Kk][Ee][Yy]/b cmd_prev`),
		"the marker's guard":                  without(`/\n@S\n/b cmd_prev`),
		"the hold kept only on the full path": slices.Delete(slices.Clone(exprs), at(":cmd_skip")+1, at(":cmd_skip")+3),
		"a protection not taken out again":    insert(at(":cmd_prev")-2, "s/\\([A-Za-z0-9_.-]\\)\\(x{{\\)/\\1\\\n\\2/g"),
		"a protection after the last restore": insert(len(exprs), "s/\\([A-Za-z0-9_.-]\\)\\(x{{\\)/\\1\\\n\\2/g"),
		"a rule reading the line before":      insert(at(":cmd_prev"), `s/\([Pp][Aa][Ss][Ss]\n\).*/\1<redacted>/`),
	} {
		if bad := proveGates(m); len(bad) == 0 {
			t.Errorf("the proof accepts %s", name)
		}
	}
}

func TestNeeds(t *testing.T) {
	pass := "[Pp][Aa][Ss][Ss]"
	for _, c := range []struct {
		e, g string
		want bool
	}{
		{`\([ 	-]*[^=: 	]*[Pp][Aa][Ss][Ss]\)=.*`, pass, true},
		{`[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss]`, pass, true},
		{`sshpass -p`, pass, true},
		{`\(x[Pp][Aa][Ss][Ss]\)\{0,1\}`, pass, false},
		{`\(x[Pp][Aa][Ss][Ss]\)*`, pass, false},
		{`[Pp][Aa][Ss]*`, pass, false},
		{`[Pp][Aa][Ss][Ss]\{0,1\}`, pass, false},
		{`[Pp][Aa][SsZ][Ss]`, pass, false},
		{`[Pp][Aa].[Ss]`, pass, false},
		{`\([Pp][Aa][Ss][Ss]\|x\)`, pass, false},
		{`[Pp][Aa]\1[Ss]`, pass, false},
		{`^\([ 	]*[0-9][0-9]*[ 	][ 	]*[A-Z]\)`, `^[ 	]*[0-9]`, true},
		{`\([ 	]*[0-9][0-9]*[ 	][ 	]*[A-Z]\)`, `^[ 	]*[0-9]`, false},
		{`^\([ 	]*[0-9]\)`, `^[ 	]*[0-9]`, true},
		{`^\([ 	-]*[0-9]\)`, `^[ 	]*[0-9]`, false},
		{`\(://[^/:@ 	]*:\)[^@/ 	]*@`, `://`, true},
		{`\(\n@S\n[ 	]*\)`, `\n@S\n`, true},
		{`p\n@S\n`, `\n@S\n`, true},
		{`[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}`, `[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]`, true},
	} {
		e, err := parseBRE(c.e)
		if err != nil {
			t.Fatal(err)
		}
		g, err := parseBRE(c.g)
		if err != nil {
			t.Fatal(err)
		}
		if got := needs(e, g); got != c.want {
			t.Errorf("needs(%q, %q) = %v, %v", c.e, c.g, got, e)
		}
	}
	for _, re := range []string{`\w`, `[[.a.]]`, `a\{1`, `\(a`, `a\)`} {
		if _, err := parseBRE(re); err == nil {
			t.Errorf("%q read without complaint", re)
		}
	}
}

// ungated is a probe script's filter functions with their gates taken out: in each
// rules function, from the first gate's first branch to its label, and every other
// label.
func ungated(t *testing.T, script string) string {
	t.Helper()
	fns := filterFuncs(script)
	lines := strings.Split(fns, "\n")
	var out []string
	cut := ""
	for _, l := range lines {
		x := strings.TrimSuffix(strings.TrimSpace(l), " \\")
		switch {
		case cut != "":
			if x == "-e ':"+cut+"'" {
				cut = ""
				if !strings.HasSuffix(l, "\\") {
					out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], " \\")
				}
			}
			continue
		case strings.HasPrefix(x, "-e '/") && strings.Contains(x, "/b "):
			cut = strings.TrimSuffix(x[strings.LastIndex(x, "/b ")+3:], "'")
			continue
		case strings.HasPrefix(x, "-e ':"):
			if !strings.HasSuffix(l, "\\") {
				out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], " \\")
			}
			continue
		}
		out = append(out, l)
	}
	if cut != "" {
		t.Fatalf("gate %s never ends", cut)
	}
	u := strings.Join(out, "\n")
	if strings.Contains(u, "-e 'b") || strings.Contains(u, "-e ':") {
		t.Fatalf("a gate is left in the ungated filters:\n%s", u)
	}
	return u
}

// runFilter runs fn of the filter functions fns under a runner, on in.
func runFilter(t *testing.T, r []string, fns, fn, in string) string {
	t.Helper()
	prefix := "LC_ALL=C; export LC_ALL; "
	args := r
	if r[len(r)-1] == "busybox-sed" {
		args = r[:len(r)-1]
		prefix += "sed() { busybox sed \"$@\"; }; tr() { busybox tr \"$@\"; }; "
	}
	cmd := exec.Command(args[0], append(args[1:], prefix+fns+fn)...)
	cmd.Stdin = strings.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("%v %s: %v %s", r, fn, err, stderr.String())
	}
	return string(out)
}

// gateEdges are lines at the gates' edges: a credential's option on the line before
// a line with no gate word (in every case and separator), private-key blocks, gate
// words in other cases, NUL, CR, lines that only a shell variable or a template
// protects, the NTP key lines a gate finds by their shape, a "@S" of the line's own.
func gateEdges() []string {
	var out []string
	for _, opt := range []string{"--password", "--PassWord", "-passwd", "--pwd", "--secret", "--api-token", "--key", "--auth", "--credentials", "--passphrase", "\"--token\",", "'--KEY'", "[--secret", "- --password", "--password ,"} {
		for _, v := range []string{"v1", "\"v 2\"", "'v3'", "- v4", "  - \"v5\"", "$VAR", "${VAR}", "\"$X\",", "- {{ vault }}", "-x", "<v>", "#c", "\r", "", "@S", "v6\r"} {
			out = append(out, "cmd "+opt+"\n"+v+"\n", opt+"\n"+v+"\n", opt+"\r\n"+v+"\n")
		}
	}
	out = append(out,
		"x --password\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nplain\n",
		"-----BEGIN PRIVATE KEY-----\nab --token\n-----END PRIVATE KEY-----\nplain\nx --key\n",
		"--key\n-----BEGIN PRIVATE KEY-----\n",
		"PASSWORD=x\nPaSsWoRd: y\nTOKEN z\nsEcReT=1\nApI_KeY: k\nIDENTIFIED BY 'p'\nidentified by p\nMYSQL -pX\nmysql -pX\nCurl -u a:b\ncurl -u a:b\n",
		"pass\x00word=x\nab\x00c\n\x00\n--pass\x00word\nv\n",
		"password=x\r\nplain\r\n\r\n--token\r\nv\r\n",
		"echo $HOME ${X} {{ y }} a=$B c=\"$D\" e,${F}\n",
		"x$Y\nab{{\n{{ x }}\n$A\n",
		"1 SHA1 abcdef\n  12 MD5 x\n3 M:y\n\t4 AES x #c\n5 sha1 x\n",
		"http://u:p@h/ x://@ ://a:b@c\nhttp://host/path\nmailto:a@b\n",
		"x\n@S\ny\n",
		"no newline at the end --password",
		"no newline at the end, plain",
		"--password\nno newline at the end",
		"\n\n\n",
		"",
	)
	// Long, but not so long that busybox's sed, which tries a rule at every byte of a
	// run of letters, takes minutes over the ungated filters.
	long := strings.Repeat("abcdefghij ", 2000)
	out = append(out, long+"\n", long+"password=x\n", "--password\n"+long+"\n", long+"--token\nv\n", strings.Repeat("a", 3000)+"://u:"+strings.Repeat("p", 500)+"@h\n")
	return out
}

// gateRandom are lines made of the rules' pieces, at random but the same each run.
func gateRandom() string {
	pieces := []string{"pass", "PASS", "word", "wd", "pwd", "key", "Key", "secret", "token", "auth", "credential", "s", "phrase", "psk", "salt", "cookie", "signature", "identified by ", "mysql", "curl", "ldap", "mongo", "redis-cli", "sshpass", "smbclient", "://", "@", ":", "=", "==", " ", "\t", "-", "--", "\"", "'", ",", ";", "&", "?", "$", "{", "}", "{{", "[", "]", "<", ">", "#", "/", "x", "V", "0", "12", "A", "SHA1", "\r", "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "define('", "-p", "-a", "-w", "-U", "%", "\\", "\\\"", "@S", "api_", "_key", "X-Api-Key: ", "Authorization: "}
	seed := uint32(2463534242)
	next := func(n int) int {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return int(seed % uint32(n))
	}
	var b strings.Builder
	for range 4000 {
		for range next(12) {
			b.WriteString(pieces[next(len(pieces))])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// surveyTexts is the text of the survey packages' test data: configuration files,
// command outputs and evidence from real hosts.
func surveyTexts(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(filepath.Join("..", "survey"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || !strings.Contains(p, string(filepath.Separator)+"testdata"+string(filepath.Separator)) {
			return err
		}
		if info, err := d.Info(); err != nil || info.Size() > 256<<10 {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil
		}
		b.Write(data)
		if !bytes.HasSuffix(data, []byte("\n")) {
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() < 100<<10 {
		t.Fatalf("only %d bytes of survey test data", b.Len())
	}
	return b.String()
}

// gateRunners are the shells the probe runs under, and busybox with its own sed.
var gateRunners = [][]string{{"dash", "-c"}, {"bash", "-c"}, {"bash", "--posix", "-c"}, {"busybox", "sh", "-c"}, {"posh", "-c"}, {"yash", "-c"}, {"busybox", "sh", "-c", "busybox-sed"}}

// The gated filters give, byte for byte, what the same filters without their gates
// give: on the whole redaction corpus, the lines at the gates' edges and random lines
// made of the rules' pieces under every shell with GNU and busybox sed, and on the
// survey test data with each sed.
func TestGatedIsUngated(t *testing.T) {
	script := string(probe.Script())
	gated, plain := filterFuncs(script), ungated(t, script)
	inputs := append(append(append([]string(nil), corpus...), dictCorpus...), oneSedHazards...)
	for _, s := range redacttest.Shapes(t) {
		inputs = append(inputs, s.Line+"\n")
	}
	inputs = append(append(inputs, gateEdges()...), gateRandom())
	streams := streamsOf(inputs)
	big := surveyTexts(t)
	ran := 0
	for _, r := range gateRunners {
		if _, err := exec.LookPath(r[0]); err != nil {
			t.Logf("%s not installed", r[0])
			continue
		}
		in := streams
		if r[0] == "dash" || r[len(r)-1] == "busybox-sed" {
			in = append(slices.Clone(streams), big)
		}
		for _, fn := range gatedFilters {
			for _, s := range in {
				if got, want := runFilter(t, r, gated, fn, s), runFilter(t, r, plain, fn, s); got != want {
					t.Errorf("%v %s: gated differs from ungated:\n%s", r, fn, firstDiff(got, want))
				}
				ran++
			}
		}
	}
	if ran == 0 {
		t.Fatal("no shell ran the filters")
	}
}
