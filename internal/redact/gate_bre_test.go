package redact

import (
	"fmt"
	"strconv"
	"strings"
)

// A conservative reading of the POSIX basic regular expressions the probe's sed
// filters use, enough to prove what a match needs: the expression as a sequence of
// elements, a group repeated exactly once spliced into its place. Whatever this
// reading is unsure of (a group that is optional or repeated, a back-reference,
// "^" or "$" where seds disagree, GNU's "\|") becomes an opaque element, which
// proves nothing; an escape it does not know is an error.

type elemKind int

const (
	atom elemKind = iota
	lineStart
	lineEnd
	opaque
)

// elem is one element: for an atom, the bytes it may match and how many times.
type elem struct {
	kind     elemKind
	set      [256]bool
	min, max int // max -1: unbounded
}

func (e elem) String() string {
	switch e.kind {
	case lineStart:
		return "^"
	case lineEnd:
		return "$"
	case opaque:
		return "<?>"
	}
	var set []byte
	for c := range e.set {
		if e.set[c] {
			set = append(set, byte(c))
		}
	}
	return fmt.Sprintf("%q{%d,%d}", set, e.min, e.max)
}

type breParser struct {
	re  string
	i   int
	alt bool // a GNU "\|" was seen at this depth
}

// parseBRE reads re (as sed hands it to regcomp, the delimiter already unescaped).
func parseBRE(re string) ([]elem, error) {
	p := &breParser{re: re}
	out, err := p.seq(0)
	if err != nil {
		return nil, err
	}
	if p.i != len(re) {
		return nil, fmt.Errorf("unmatched \\) at %d in %q", p.i, re)
	}
	if p.alt {
		return []elem{{kind: opaque}}, nil
	}
	return out, nil
}

func single(c byte) elem {
	e := elem{kind: atom, min: 1, max: 1}
	e.set[c] = true
	return e
}

// seq reads up to the end of re or of the group at depth.
func (p *breParser) seq(depth int) ([]elem, error) {
	var out []elem
	start := p.i
	for p.i < len(p.re) {
		c := p.re[p.i]
		var e elem
		var group []elem
		isGroup := false
		switch {
		case c == '\\' && p.i+1 < len(p.re):
			d := p.re[p.i+1]
			p.i += 2
			switch {
			case d == '(':
				inner := &breParser{re: p.re, i: p.i}
				g, err := inner.seq(depth + 1)
				if err != nil {
					return nil, err
				}
				if !strings.HasPrefix(p.re[inner.i:], `\)`) {
					return nil, fmt.Errorf("unterminated \\( in %q", p.re)
				}
				p.i = inner.i + 2
				if inner.alt {
					g = []elem{{kind: opaque}}
				}
				group, isGroup = g, true
			case d == ')':
				if depth == 0 {
					return nil, fmt.Errorf("unmatched \\) in %q", p.re)
				}
				p.i -= 2
				return out, nil
			case d == '|':
				p.alt = true
				continue
			case d == 'n':
				e = single('\n')
			case d == 't':
				e = single('\t')
			case d >= '1' && d <= '9':
				e = elem{kind: opaque}
			case strings.IndexByte(`.*[]\/$^#|&{}`, d) >= 0:
				if d == '{' {
					return nil, fmt.Errorf("interval with nothing before it in %q", p.re)
				}
				e = single(d)
			default:
				return nil, fmt.Errorf("escape \\%c not understood in %q", d, p.re)
			}
		case c == '[':
			set, n, err := bracket(p.re[p.i:])
			if err != nil {
				return nil, err
			}
			p.i += n
			e = elem{kind: atom, set: set, min: 1, max: 1}
		case c == '.':
			p.i++
			e = elem{kind: atom, min: 1, max: 1}
			for b := range e.set {
				e.set[b] = true
			}
		case c == '^':
			p.i++
			if p.i-1 == 0 && depth == 0 {
				out = append(out, elem{kind: lineStart})
				continue
			}
			e = elem{kind: opaque} // an anchor after "\(" for GNU, a "^" for POSIX
		case c == '$':
			p.i++
			switch {
			case p.i == len(p.re) && depth == 0:
				out = append(out, elem{kind: lineEnd})
				continue
			case strings.HasPrefix(p.re[p.i:], `\)`):
				e = elem{kind: opaque}
			default:
				e = single('$')
			}
		case c == '*' && (p.i == start || (len(out) > 0 && out[len(out)-1].kind == lineStart && len(out) == 1)):
			p.i++
			e = single('*')
		default:
			p.i++
			e = single(c)
		}
		lo, hi, quantified, err := p.quantifier()
		if err != nil {
			return nil, err
		}
		switch {
		case isGroup && (!quantified || lo == 1 && hi == 1):
			out = append(out, group...)
		case isGroup:
			out = append(out, elem{kind: opaque})
		case quantified && e.kind == atom && e.min == 1 && e.max == 1:
			e.min, e.max = lo, hi
			out = append(out, e)
		case quantified:
			out = append(out, elem{kind: opaque})
		default:
			out = append(out, e)
		}
	}
	return out, nil
}

// quantifier reads "*", "\{m,n\}", "\?" or "\+" after an atom; two in a row make it
// opaque to be safe (the second is reported as quantifying).
func (p *breParser) quantifier() (lo, hi int, ok bool, err error) {
	lo, hi = 1, 1
	for {
		r := p.re[p.i:]
		var l, h int
		switch {
		case strings.HasPrefix(r, "*"):
			l, h = 0, -1
			p.i++
		case strings.HasPrefix(r, `\?`):
			l, h = 0, 1
			p.i += 2
		case strings.HasPrefix(r, `\+`):
			l, h = 1, -1
			p.i += 2
		case strings.HasPrefix(r, `\{`):
			end := strings.Index(r, `\}`)
			if end < 0 {
				return 0, 0, false, fmt.Errorf("unterminated interval in %q", p.re)
			}
			body := r[2:end]
			p.i += end + 2
			a, b, comma := strings.Cut(body, ",")
			if l, err = strconv.Atoi(a); err != nil {
				return 0, 0, false, fmt.Errorf("interval %q in %q", body, p.re)
			}
			switch {
			case !comma:
				h = l
			case b == "":
				h = -1
			default:
				if h, err = strconv.Atoi(b); err != nil {
					return 0, 0, false, fmt.Errorf("interval %q in %q", body, p.re)
				}
			}
		default:
			return lo, hi, ok, nil
		}
		if ok {
			lo, hi = -2, -2 // stacked: never (1,1), never an atom's range
		} else {
			lo, hi = l, h
		}
		ok = true
	}
}

// bracket reads a bracket expression at the start of s: its bytes (C locale) and
// its length. A backslash inside stands for itself; GNU sed reads "\n" and "\t"
// there as a newline and a tab, so both readings go in (more bytes only weakens
// what can be proved).
func bracket(s string) (set [256]bool, n int, err error) {
	i := 1
	neg := false
	if i < len(s) && s[i] == '^' {
		neg = true
		i++
	}
	var in [256]bool
	first := true
	for {
		if i >= len(s) {
			return set, 0, fmt.Errorf("unterminated bracket in %q", s)
		}
		c := s[i]
		if c == ']' && !first {
			i++
			break
		}
		first = false
		if c == '[' && i+1 < len(s) && (s[i+1] == ':' || s[i+1] == '.' || s[i+1] == '=') {
			end := strings.Index(s[i+2:], string(s[i+1])+"]")
			if end < 0 || s[i+1] != ':' {
				return set, 0, fmt.Errorf("bracket class not understood in %q", s)
			}
			name := s[i+2 : i+2+end]
			for b := 0; b < 256; b++ {
				if inClass(name, byte(b)) {
					in[b] = true
				}
			}
			i += end + 4
			continue
		}
		if i+2 < len(s) && s[i+1] == '-' && s[i+2] != ']' {
			for b := int(c); b <= int(s[i+2]); b++ {
				in[b] = true
			}
			i += 3
			continue
		}
		in[c] = true
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				in['\n'] = true
			case 't':
				in['\t'] = true
			}
		}
		i++
	}
	for b := range in {
		set[b] = in[b] != neg
	}
	return set, i, nil
}

func inClass(name string, b byte) bool {
	switch name {
	case "blank":
		return b == ' ' || b == '\t'
	case "space":
		return b == ' ' || b >= '\t' && b <= '\r'
	case "digit":
		return b >= '0' && b <= '9'
	case "upper":
		return b >= 'A' && b <= 'Z'
	case "lower":
		return b >= 'a' && b <= 'z'
	case "alpha":
		return inClass("upper", b) || inClass("lower", b)
	case "alnum":
		return inClass("alpha", b) || inClass("digit", b)
	}
	return true // unknown: every byte, which proves nothing
}

// needs reports whether every string a match of e spans contains a match of g: g's
// elements line up, one for one, with a run of e's, each of e's matching no byte
// g's does not and repeating within g's bounds. A g anchored at the line's start
// must line up with the start of an e anchored there.
func needs(e, g []elem) bool {
	if len(g) == 0 {
		return false
	}
	if g[0].kind == lineStart {
		return len(e) > 0 && e[0].kind == lineStart && lineUp(e[1:], g[1:])
	}
	for i := range e {
		if lineUp(e[i:], g) {
			return true
		}
	}
	return false
}

func lineUp(e, g []elem) bool {
	if len(e) < len(g) || len(g) == 0 {
		return false
	}
	for j, gj := range g {
		ej := e[j]
		if ej.kind != atom || gj.kind != atom {
			return false
		}
		if ej.min < gj.min || gj.max >= 0 && (ej.max < 0 || ej.max > gj.max) {
			return false
		}
		for b := range ej.set {
			if ej.set[b] && !gj.set[b] {
				return false
			}
		}
	}
	return true
}

// matchesNewline reports whether any element of g may match a newline, or g is
// anchored (an inserted newline could move what an anchor sees).
func matchesNewline(g []elem) bool {
	for _, e := range g {
		if e.kind != atom || e.set['\n'] {
			return true
		}
	}
	return false
}
