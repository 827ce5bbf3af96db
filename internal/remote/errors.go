package remote

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/trowel-dev/trowel/internal/usererr"
)

// UserError is a failure the operator can act on: a host key to check, a key to add, a
// sudo rule to ask for. The CLI prints Msg and Hint as they are, without the chain of
// wrapped causes a programming error would get, and exits with status 2.
type UserError struct {
	Msg  string // what went wrong, naming the host and user involved
	Hint string // what to do next; may be empty
	// Detail is supporting text, such as the last lines the remote side wrote to its
	// standard error. It is shown after Msg when not empty.
	Detail string
	Err    error // the underlying cause, for errors.Is/As; never shown on its own
}

func (e *UserError) Error() string {
	var b strings.Builder
	b.WriteString(e.Msg)
	if e.Hint != "" {
		if !strings.HasSuffix(e.Msg, ".") {
			b.WriteByte('.')
		}
		b.WriteByte(' ')
		b.WriteString(e.Hint)
	}
	if e.Detail != "" {
		b.WriteString("\n")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func (e *UserError) Unwrap() error { return e.Err }

// ExitCode is the process exit status the CLI ends with for an error the user must fix.
func (e *UserError) ExitCode() int { return usererr.ExitError }

// tail keeps the last max bytes written to it. Remote standard error is unbounded in
// principle (a chatty .bashrc, a looping program); only its end explains a failure.
type tail struct {
	max int
	buf []byte
	cut bool
}

func newTail(max int) *tail { return &tail{max: max} }

func (t *tail) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		t.cut = true
		return n, nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// String is the kept text made safe to print on a terminal: control characters other
// than newline and tab are shown escaped, so remote output cannot drive the operator's
// terminal.
func (t *tail) String() string { return printable(t.buf, t.cut) }

func printable(b []byte, cut bool) string {
	var s strings.Builder
	if cut {
		s.WriteString("…")
	}
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			s.WriteString("\\x")
			s.WriteByte("0123456789abcdef"[b[0]>>4])
			s.WriteByte("0123456789abcdef"[b[0]&15])
		case r == '\n' || r == '\t':
			s.WriteRune(r)
		case r == '\r':
			// A lone CR would let text overwrite itself on the terminal.
		case r < 0x20 || r == 0x7f:
			s.WriteString("^")
			s.WriteByte(byte(r) ^ 0x40)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&s, "\\u%04x", r)
		default:
			s.Write(b[:size])
		}
		b = b[size:]
	}
	return strings.TrimSpace(s.String())
}

// lastLines shortens remote text for an error message: the last n lines at most.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
