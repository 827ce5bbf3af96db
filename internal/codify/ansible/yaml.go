package ansible

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The generated YAML is written by this small emitter rather than by a YAML library,
// because a reader must find it hand-written: keys in the order a person writes them
// (name first, module next, then loop/when/notify), a comment above the line it is
// about, a blank line between tasks, and quotes only where YAML needs them.

// M is a mapping whose keys keep their order.
type M []KV

// KV is one key of a mapping, with an optional comment written above it.
type KV struct {
	K       string
	V       any
	Comment string
}

// L is a sequence.
type L []any

// Spaced is a sequence written with a blank line between its items, as tasks are.
type Spaced []any

// Block is a string written as a literal block scalar (|), for multi-line values.
type Block string

// Set adds or replaces key k.
func (m M) Set(k string, v any) M {
	for i := range m {
		if m[i].K == k {
			m[i].V = v
			return m
		}
	}
	return append(m, KV{K: k, V: v})
}

// Get returns the value of key k.
func (m M) Get(k string) (any, bool) {
	for _, kv := range m {
		if kv.K == k {
			return kv.V, true
		}
	}
	return nil, false
}

// Document renders a YAML document: the "---" line, a header comment, and v.
func Document(header string, v any) string {
	var b strings.Builder
	b.WriteString("---\n")
	writeComment(&b, header, 0)
	emit(&b, v, 0, false)
	return b.String()
}

func writeComment(b *strings.Builder, c string, indent int) {
	if strings.TrimSpace(c) == "" {
		return
	}
	pad := strings.Repeat(" ", indent)
	for _, l := range strings.Split(strings.TrimRight(c, "\n"), "\n") {
		if l == "" {
			b.WriteString(pad + "#\n")
			continue
		}
		for _, w := range wrap(l, commentWidth-indent) {
			b.WriteString(pad + "# " + w + "\n")
		}
	}
}

// emit writes v at the given indent. inItem says the first line continues a "- "
// already written, so it must not be indented again.
func emit(b *strings.Builder, v any, indent int, inItem bool) {
	switch t := v.(type) {
	case M:
		emitMap(b, t, indent, inItem, false)
	case spacedVars:
		emitMap(b, M(t), indent, inItem, true)
	case L:
		if len(t) == 0 {
			b.WriteString("[]\n")
			return
		}
		emitList(b, t, indent, inItem, false)
	case Spaced:
		emitList(b, L(t), indent, inItem, true)
	default:
		b.WriteString(scalar(v) + "\n")
	}
}

// emitMap writes a mapping; spaced puts a blank line above each commented key.
func emitMap(b *strings.Builder, t M, indent int, inItem, spaced bool) {
	pad := strings.Repeat(" ", indent)
	if len(t) == 0 {
		b.WriteString("{}\n")
		return
	}
	for i, kv := range t {
		first := i == 0 && inItem
		if kv.Comment != "" {
			if first {
				// A comment cannot follow "- " on the same line.
				first = false
				b.WriteString("\n")
			}
			if spaced && i > 0 {
				b.WriteString("\n")
			}
			writeComment(b, kv.Comment, indent)
		}
		if !first {
			b.WriteString(pad)
		}
		b.WriteString(key(kv.K) + ":")
		emitValue(b, kv.V, indent)
	}
}

// emitList writes a sequence; spaced puts a blank line between items (tasks).
func emitList(b *strings.Builder, t L, indent int, inItem, spaced bool) {
	pad := strings.Repeat(" ", indent)
	for i, item := range t {
		if spaced && i > 0 {
			b.WriteString("\n")
		}
		if m, ok := item.(M); ok && len(m) > 0 && m[0].Comment != "" {
			// The first key's comment goes above the dash.
			if i == 0 && inItem {
				b.WriteString("\n")
			}
			writeComment(b, m[0].Comment, indent)
			m = append(M{{K: m[0].K, V: m[0].V}}, m[1:]...)
			item = m
			b.WriteString(pad)
		} else if i > 0 || !inItem {
			b.WriteString(pad)
		}
		b.WriteString("- ")
		switch it := item.(type) {
		case M, L, Spaced:
			emit(b, it, indent+2, true)
		default:
			b.WriteString(scalar(it))
			b.WriteString("\n")
		}
	}
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case M:
		return len(t) == 0
	case L:
		return len(t) == 0
	case Spaced:
		return len(t) == 0
	}
	return false
}

// emitValue writes what follows "key:".
func emitValue(b *strings.Builder, v any, indent int) {
	if sv, ok := v.(spacedVars); ok {
		v = M(sv)
	}
	switch t := v.(type) {
	case M:
		if len(t) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteString("\n")
		emit(b, t, indent+2, false)
	case L, Spaced:
		if isEmpty(t) {
			b.WriteString(" []\n")
			return
		}
		b.WriteString("\n")
		emit(b, t, indent+2, false)
	case Block:
		b.WriteString(" |\n")
		pad := strings.Repeat(" ", indent+2)
		for _, l := range strings.Split(strings.TrimRight(string(t), "\n"), "\n") {
			if l == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(pad + l + "\n")
		}
	default:
		text := scalar(v)
		if str, ok := v.(string); ok && lineLength(b)+1+len(text) > lineWidth {
			if lines, ok := fold(str, lineWidth-indent-2); ok {
				b.WriteString(" >-\n")
				pad := strings.Repeat(" ", indent+2)
				for _, l := range lines {
					b.WriteString(pad + l + "\n")
				}
				return
			}
		}
		b.WriteString(" " + text + "\n")
	}
}

// lineWidth is ansible-lint's (yamllint's) longest line.
const lineWidth = 160

// lineLength is the length of the line being written.
func lineLength(b *strings.Builder) int {
	s := b.String()
	return len(s) - strings.LastIndexByte(s, '\n') - 1
}

// fold breaks a long one-line string at single spaces into lines of a folded
// block scalar (>-), which YAML joins back with one space each: only a string
// that reads back the same is folded (no runs of spaces, tabs or newlines, no
// space at either end).
func fold(s string, width int) ([]string, bool) {
	if width < 40 || s != strings.TrimSpace(s) || strings.Contains(s, "  ") || strings.ContainsAny(s, "\t\n\r") {
		return nil, false
	}
	var out []string
	cur := ""
	for _, w := range strings.Split(s, " ") {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) > width:
			out = append(out, cur)
			cur = w
		default:
			cur += " " + w
		}
	}
	return append(out, cur), true
}

var (
	plainKey  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	plainText = regexp.MustCompile(`^[A-Za-z0-9_/.~$(][^"'#:{}\[\],&*!|>%@` + "`" + `]*$`)
	numberish = regexp.MustCompile(`^[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$`)
	// YAML 1.1 booleans and nulls, which Ansible's loader still honours.
	reserved = map[string]bool{
		"y": true, "n": true, "yes": true, "no": true, "true": true, "false": true,
		"on": true, "off": true, "null": true, "~": true,
	}
)

func key(k string) string {
	if plainKey.MatchString(k) && !reserved[strings.ToLower(k)] {
		return k
	}
	return quote(k)
}

// scalar renders a value, quoting a string only when YAML would read it as
// something else.
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case string:
		if t == "" {
			return `""`
		}
		if plainText.MatchString(t) && !reserved[strings.ToLower(t)] && !numberish.MatchString(t) &&
			!strings.HasSuffix(t, " ") && !strings.Contains(t, " #") && !strings.Contains(t, "\t") {
			return t
		}
		return quote(t)
	case Block:
		return quote(string(t))
	}
	return quote(fmt.Sprint(v))
}

// quote writes a double-quoted YAML string; JSON's escapes are a subset of YAML's.
func quote(s string) string {
	b, _ := json.Marshal(s)
	// json.Marshal escapes <, > and & for HTML; YAML needs none of that.
	r := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")
	return r.Replace(string(b))
}

// commentWidth keeps comments well inside yamllint's line length.
const commentWidth = 100

// wrap breaks a comment line at spaces; a continuation keeps the line's own
// leading indent plus two spaces.
func wrap(l string, width int) []string {
	if len(l) <= width || width < 40 {
		return []string{l}
	}
	lead := l[:len(l)-len(strings.TrimLeft(l, " "))]
	var out []string
	cur := ""
	for _, w := range strings.Fields(l) {
		switch {
		case cur == "":
			cur = lead + w
		case len(cur)+1+len(w) > width:
			out = append(out, cur)
			cur = lead + "  " + w
		default:
			cur += " " + w
		}
	}
	return append(out, cur)
}
