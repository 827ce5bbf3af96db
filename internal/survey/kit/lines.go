package kit

import (
	"fmt"
	"strings"
)

// LineError describes one line a parser could not read, or read only in part.
type LineError struct {
	Line   int // 1-based
	Reason string
}

// ParseError lists the lines a parser skipped or could read only in part. Everything
// else was kept: parsers return it beside their results, never instead of them.
type ParseError struct {
	Lines []LineError
}

func (e *ParseError) Error() string {
	if len(e.Lines) == 0 {
		return "no unreadable lines"
	}
	first := e.Lines[0]
	if len(e.Lines) == 1 {
		return fmt.Sprintf("line %d could not be read: %s", first.Line, first.Reason)
	}
	return fmt.Sprintf("%d lines could not be read; the first, line %d: %s", len(e.Lines), first.Line, first.Reason)
}

// Add records an unreadable line. Reasons are kept few: a garbage stream of a million
// lines needs one example, not a million.
func (e *ParseError) Add(line int, format string, args ...any) {
	if len(e.Lines) < 1000 {
		e.Lines = append(e.Lines, LineError{Line: line, Reason: fmt.Sprintf(format, args...)})
	}
}

// Err returns e when it holds a line, else nil, so a parser can end with
// `return out, perr.Err()`.
func (e *ParseError) Err() error {
	if len(e.Lines) == 0 {
		return nil
	}
	return e
}

// Field is a whitespace-separated token and where it starts, so the free text after
// fixed columns (a command line, a process name with spaces) can be taken verbatim.
type Field struct {
	Text string
	Off  int
}

// FieldsN splits off at most n leading tokens.
func FieldsN(line string, n int) []Field {
	var out []Field
	i := 0
	for len(out) < n {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		out = append(out, Field{line[i:j], i})
		i = j
	}
	return out
}

// Entry is one line of a directory listing item: `<type>\t<name>[\t<link target>]`.
type Entry struct {
	Type   byte // 'f' file, 'd' directory, 'l' link, 'o' other
	Name   string
	Target string
}

// ParseListing reads a directory listing item (see docs/evidence-format.md). Lines
// that do not have that shape are returned apart, so a reader can keep the rest.
func ParseListing(text string) ([]Entry, []string) {
	var out []Entry
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 || len(f[0]) != 1 || strings.IndexByte("fdlo", f[0][0]) < 0 || f[1] == "" {
			bad = append(bad, line)
			continue
		}
		e := Entry{Type: f[0][0], Name: f[1]}
		if len(f) == 3 {
			e.Target = f[2]
		}
		out = append(out, e)
	}
	return out, bad
}
