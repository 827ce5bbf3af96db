package report

import (
	"bufio"
	"io"
	"strings"
	"unicode"
)

// Markdown writes the document as CommonMark with GitHub tables: the form people
// paste into a wiki or a ticket. Anchors are explicit (<a id>), because the
// heading text is translated and a renderer's own slugs would differ per language.
func Markdown(w io.Writer, d *Document) error {
	bw := bufio.NewWriter(w)
	m := mdWriter{w: bw, lang: d.Lang}
	m.line("# " + mdInline(d.Title))
	if d.Subtitle != "" {
		m.blank()
		m.line("*" + mdInline(d.Subtitle) + "*")
	}
	if len(d.Meta) > 0 {
		m.blank()
		m.facts(d.Meta)
	}
	if !d.Generated.IsZero() {
		m.blank()
		m.line(L(d.Lang, "generated") + ": " + d.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	}
	m.blank()
	m.line("## " + L(d.Lang, "contents"))
	m.blank()
	for _, s := range d.Sections {
		m.line("- [" + mdInline(s.Title) + "](#" + s.ID + ")")
		for _, sub := range s.Sub {
			m.line("  - [" + mdInline(sub.Title) + "](#" + sub.ID + ")")
		}
	}
	for _, s := range d.Sections {
		m.section(s, 2)
		for _, sub := range s.Sub {
			m.section(sub, 3)
		}
	}
	return bw.Flush()
}

type mdWriter struct {
	w    *bufio.Writer
	lang string
}

func (m mdWriter) line(s string) { m.w.WriteString(s); m.w.WriteByte('\n') }
func (m mdWriter) blank()        { m.w.WriteByte('\n') }

func (m mdWriter) section(s *Section, level int) {
	m.blank()
	m.line(`<a id="` + s.ID + `"></a>`)
	m.blank()
	m.line(strings.Repeat("#", level) + " " + mdInline(s.Title))
	if s.Intro != "" {
		m.blank()
		m.line(mdInline(s.Intro))
	}
	for _, b := range s.Blocks {
		m.blank()
		m.block(b)
	}
}

func (m mdWriter) block(b Block) {
	switch b := b.(type) {
	case *Paragraph:
		m.line(mdInline(b.Text))
	case *Facts:
		m.facts(b.Pairs)
	case *List:
		for _, it := range b.Items {
			m.line("- " + mdInline(it))
		}
	case *Code:
		m.code(b.Lang, b.Text)
	case *Table:
		m.table(b)
	case *Callout:
		m.callout(b)
	case *Diagram:
		m.diagram(b)
	case *Figure:
		m.line("*" + mdInline(b.Alt) + "*")
	}
}

func (m mdWriter) facts(pairs []Pair) {
	for _, p := range pairs {
		m.line("- **" + mdInline(p.Label) + "**: " + mdInline(p.Value))
	}
}

func (m mdWriter) code(lang, text string) {
	// A fence longer than any backtick run inside keeps the block closed.
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	m.line(fence + lang)
	m.line(strings.TrimRight(text, "\n"))
	m.line(fence)
}

func (m mdWriter) table(t *Table) {
	m.line("*" + mdInline(t.Explain) + "*")
	m.blank()
	if len(t.Rows) == 0 && t.Folded == nil {
		m.line(mdInline(t.Empty))
		return
	}
	if t.Folded != nil {
		defer func() {
			m.blank()
			m.line("*" + mdInline(t.Folded.Summary) + "*: " + mdInline(t.Folded.names()))
		}()
	}
	if len(t.Rows) == 0 {
		return
	}
	var head, rule strings.Builder
	head.WriteString("|")
	rule.WriteString("|")
	for _, c := range t.Columns {
		head.WriteString(" " + mdCell(c.Title, false) + " |")
		if c.Numeric {
			rule.WriteString("---:|")
		} else {
			rule.WriteString("---|")
		}
	}
	m.line(head.String())
	m.line(rule.String())
	for _, row := range t.Rows {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range row {
			code := i < len(t.Columns) && t.Columns[i].Code
			b.WriteString(" " + mdCell(c.Text, code) + " |")
		}
		m.line(b.String())
	}
}

func (m mdWriter) callout(c *Callout) {
	head := "**[" + mdInline(c.SeverityLabel) + "]** "
	if c.Inhibitor {
		head += "**" + mdInline(c.InhibitorLabel) + "** "
	}
	m.line("> " + head + "**" + mdInline(c.Title) + "** `" + c.Key + "`")
	m.line(">")
	m.line("> " + mdInline(c.WhyLabel) + ": " + mdInline(c.Why))
	m.line(">")
	m.line("> " + mdInline(c.FixLabel) + ": " + mdInline(c.Fix))
	if c.Command != "" {
		m.line(">")
		m.line("> ```sh")
		for _, l := range strings.Split(strings.TrimRight(c.Command, "\n"), "\n") {
			m.line("> " + l)
		}
		m.line("> ```")
	}
	if c.Ansible != "" {
		m.line(">")
		m.line("> ```yaml")
		for _, l := range strings.Split(strings.TrimRight(c.Ansible, "\n"), "\n") {
			m.line("> " + l)
		}
		m.line("> ```")
	}
	if len(c.Facts) > 0 {
		codes := make([]string, len(c.Facts))
		for i, f := range c.Facts {
			codes[i] = mdCode(f)
		}
		m.line(">")
		m.line("> " + mdInline(c.FactsLabel) + ": " + strings.Join(codes, ", "))
	}
}

// diagram has no picture in Markdown: it becomes the list of arrows, which says
// the same thing.
func (m mdWriter) diagram(d *Diagram) {
	m.line("*" + mdInline(d.Alt) + "*")
	m.blank()
	names := d.nodeNames()
	for _, e := range d.Edges {
		line := "- " + mdInline(names[e.From]) + " → " + mdInline(names[e.To])
		if e.Label != "" {
			line += " " + mdCode(e.Label)
		}
		m.line(line)
	}
}

// mdInline escapes what Markdown would read as markup in running text; trowel's
// texts are plain, and a path like /var/www/*_old must print as written. Only
// what can start markup is escaped, so x86_64 and [host]:25 stay readable.
func mdInline(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		var prev, next rune
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		escape := false
		switch r {
		case '\\', '`', '*', '<', '|':
			escape = true
		case '_':
			// Intraword underscores never emphasise (CommonMark flanking rules).
			escape = !isWordRune(prev) || !isWordRune(next)
		case ']':
			escape = next == '(' || next == '['
		case '[', '#', '>', '-', '+':
			escape = i == 0
		}
		if escape {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// mdCell is a table cell's text: inline, and in a code span for code columns.
func mdCell(s string, code bool) string {
	if s == "" {
		return ""
	}
	if code {
		return strings.ReplaceAll(mdCode(s), "|", `\|`)
	}
	return mdInline(s)
}

// mdCode puts s in a code span whose fence is longer than any backtick run in s.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
