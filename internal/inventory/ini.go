package inventory

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// section is an INI section header: [group], [group:vars], [group:children],
// optionally followed by a comment (Ansible's own expression).
var section = regexp.MustCompile(`^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$`)

// parseINI reads Ansible's INI inventory: hosts before any section are ungrouped;
// [group] lists hosts (each a name or a range, an optional :port, and key=value
// variables, quoted as a shell quotes), [group:vars] one key=value per line,
// [group:children] one group per line. A child group may be declared after the
// section that names it; one never declared is an error, as in Ansible.
func parseINI(source string, data []byte) (*builder, error) {
	b := newBuilder(source)
	grp, state := "ungrouped", "hosts"
	pendingChildren := map[string]int{} // child group -> line first named
	pendingVars := map[string]int{}     // [g:vars] of a group not yet declared
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		errf := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", source, n, fmt.Sprintf(format, args...))
		}
		if m := section.FindStringSubmatch(line); m != nil {
			grp, state = m[1], m[2]
			if state == "" {
				state = "hosts"
			}
			if state != "hosts" && state != "vars" && state != "children" {
				return nil, errf("section [%s:%s] has unknown type %q (hosts, vars or children)", grp, state, state)
			}
			_, known := b.groups[grp]
			if state == "vars" && !known {
				if _, ok := pendingVars[grp]; !ok {
					pendingVars[grp] = n
				}
			} else {
				delete(pendingVars, grp)
				delete(pendingChildren, grp)
			}
			b.group(grp)
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			return nil, errf("invalid section %s: a section is [group], [group:vars] or [group:children], without spaces", line)
		}
		switch state {
		case "hosts":
			tokens, err := shellSplit(line)
			if err != nil {
				return nil, errf("%v", err)
			}
			if len(tokens) == 0 {
				continue
			}
			if tokens[0] == "---" {
				return nil, errf("--- starts a YAML document: name the file .yml or .yaml")
			}
			names, port, err := expandHostPattern(tokens[0])
			if err != nil {
				return nil, errf("%v", err)
			}
			vars := map[string]string{}
			for _, t := range tokens[1:] {
				k, v, ok := strings.Cut(t, "=")
				if !ok || k == "" {
					return nil, errf("expected key=value after the host name, got %q", t)
				}
				vars[k] = literal(v)
			}
			if port != "" {
				vars["ansible_port"] = port
			}
			for _, name := range names {
				b.addHost(name, grp, vars, n)
			}
		case "vars":
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return nil, errf("expected key=value in [%s:vars], got %q", grp, line)
			}
			b.groups[grp].vars[strings.TrimSpace(k)] = literal(strings.TrimSpace(stripComment(v)))
		case "children":
			child := strings.TrimSpace(stripComment(line))
			if child == "" || strings.ContainsAny(child, " \t:]") {
				return nil, errf("expected a group name in [%s:children], got %q", grp, line)
			}
			if _, ok := b.groups[child]; !ok {
				if _, ok := pendingChildren[child]; !ok {
					pendingChildren[child] = n
				}
			}
			b.child(grp, child)
		}
	}
	if g, n, ok := firstPending(pendingVars); ok {
		return nil, fmt.Errorf("%s:%d: section [%s:vars] is for a group that is never declared", source, n, g)
	}
	if g, n, ok := firstPending(pendingChildren); ok {
		// A child with no section of its own is a typo, as Ansible says.
		return nil, fmt.Errorf("%s:%d: [%s:children] names group %s, which is never declared", source, n, b.groups[g].parents[0], g)
	}
	return b, nil
}

// firstPending is the pending declaration met first in the file.
func firstPending(pending map[string]int) (group string, line int, ok bool) {
	for g, n := range pending {
		if !ok || n < line {
			group, line, ok = g, n, true
		}
	}
	return group, line, ok
}

// literal reads a value as Ansible's ast.literal_eval leaves a string: quotes
// around it are removed ('03#pa33w0rd' is 03#pa33w0rd); anything else is kept as
// written (22, True).
func literal(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// shellSplit splits a host line as Python's shlex does with comments: blanks
// separate words, quotes group them, a backslash escapes outside single quotes,
// and a # outside quotes ends the line.
func shellSplit(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#':
			if inWord {
				out = append(out, cur.String())
			}
			return out, nil
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if escaped {
		return nil, fmt.Errorf("the line ends in a backslash")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// expandHostPattern reads a host entry: a name, an IPv4 or IPv6 address ([v6]:port
// with a port), or a range such as web[01:03].example.com or db-[a:c] (and
// [1:9:2] with a step), each optionally followed by :port.
func expandHostPattern(p string) (names []string, port string, err error) {
	if strings.HasSuffix(p, ":") {
		return nil, "", fmt.Errorf("host %q ends in ':'; give a port after it or remove it", p)
	}
	if ip := net.ParseIP(p); ip != nil { // a bare IPv6 address has colons but no port
		return []string{p}, "", nil
	}
	host := p
	if strings.HasPrefix(p, "[") {
		if end := strings.Index(p, "]"); end > 0 && net.ParseIP(p[1:end]) != nil {
			host = p[1:end]
			rest := p[end+1:]
			if rest != "" {
				if !strings.HasPrefix(rest, ":") || !isPort(rest[1:]) {
					return nil, "", fmt.Errorf("host %q: after [address] comes :port", p)
				}
				port = rest[1:]
			}
			return []string{host}, port, nil
		}
	}
	if i := strings.LastIndex(p, ":"); i >= 0 && isPort(p[i+1:]) && !strings.Contains(p[i+1:], "]") {
		host, port = p[:i], p[i+1:]
	}
	names, err = expandRanges(host)
	if err != nil {
		return nil, "", fmt.Errorf("host %q: %v", p, err)
	}
	for _, n := range names {
		if strings.ContainsAny(n, ":[]") && net.ParseIP(n) == nil {
			return nil, "", fmt.Errorf("host %q is not a name, an address or a range such as web[01:03]", p)
		}
	}
	return names, port, nil
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n > 0 && n < 65536 && s[0] != '+'
}

// letters is the order of alphabetic ranges, Python's string.ascii_letters.
const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// maxExpanded bounds what one entry may expand to: a typo such as [1:1000000]
// must not eat the machine.
const maxExpanded = 100000

// expandRanges expands the first [begin:end(:step)] of a name and recurses on the
// rest, as Ansible's expand_hostname_range does: a begin with leading zeros sets
// the width (and end must be as wide), a missing begin is 0, letters run through
// a-z then A-Z.
func expandRanges(name string) ([]string, error) {
	open := strings.Index(name, "[")
	if open < 0 {
		return []string{name}, nil
	}
	closeAt := strings.Index(name[open:], "]")
	if closeAt < 0 || !strings.Contains(name[open:open+closeAt], ":") {
		return nil, fmt.Errorf("a range is [begin:end] or [begin:end:step]")
	}
	closeAt += open
	head, spec, tail := name[:open], name[open+1:closeAt], name[closeAt+1:]
	bounds := strings.Split(spec, ":")
	if len(bounds) != 2 && len(bounds) != 3 {
		return nil, fmt.Errorf("a range is [begin:end] or [begin:end:step], not [%s]", spec)
	}
	beg, end, step := bounds[0], bounds[1], 1
	if beg == "" {
		beg = "0"
	}
	if end == "" {
		return nil, fmt.Errorf("range [%s] has no end", spec)
	}
	if len(bounds) == 3 {
		s, err := strconv.Atoi(bounds[2])
		if err != nil || s < 1 {
			return nil, fmt.Errorf("range [%s]: the step must be a positive number", spec)
		}
		step = s
	}
	var seq []string
	if bi, ei := strings.Index(letters, beg), strings.Index(letters, end); len(beg) == 1 && len(end) == 1 && bi >= 0 && ei >= 0 {
		if bi > ei {
			return nil, fmt.Errorf("range [%s] runs backwards", spec)
		}
		for i := bi; i <= ei; i += step {
			seq = append(seq, letters[i:i+1])
		}
	} else {
		b, err1 := strconv.Atoi(beg)
		e, err2 := strconv.Atoi(end)
		if err1 != nil || err2 != nil || b < 0 {
			return nil, fmt.Errorf("range [%s] is neither numbers nor single letters", spec)
		}
		if b > e {
			return nil, fmt.Errorf("range [%s] runs backwards", spec)
		}
		if (e-b)/step+1 > maxExpanded {
			return nil, fmt.Errorf("range [%s] expands to more than %d hosts", spec, maxExpanded)
		}
		width := 0
		if len(beg) > 1 && beg[0] == '0' {
			if len(end) != len(beg) {
				return nil, fmt.Errorf("range [%s]: with leading zeros, begin and end must be as wide", spec)
			}
			width = len(beg)
		}
		for i := b; i <= e; i += step {
			seq = append(seq, fmt.Sprintf("%0*d", width, i))
		}
	}
	var out []string
	for _, s := range seq {
		rest, err := expandRanges(head + s + tail)
		if err != nil {
			return nil, err
		}
		out = append(out, rest...)
		if len(out) > maxExpanded {
			return nil, fmt.Errorf("the ranges expand to more than %d hosts", maxExpanded)
		}
	}
	return out, nil
}
