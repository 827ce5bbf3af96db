package inventory

import (
	"fmt"
	"net"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Limit selects hosts as ansible's --limit does. A pattern is a list of parts
// separated by commas (or colons): a group or host name, a glob (web*, *.example.com),
// or a regular expression after ~; a part after & keeps only hosts it also
// matches, a part after ! removes the hosts it matches. Plain parts are taken first,
// then the & parts, then the ! parts, whatever their order (as Ansible does), and
// only ! or & parts start from all. "all" and "*" are every host. Hosts come in the
// inventory's order. A part that matches nothing is an error naming the groups.
func (inv *Inventory) Limit(pattern string) ([]Host, error) {
	parts := splitPattern(pattern)
	if len(parts) == 0 {
		return nil, fmt.Errorf("--limit %q selects nothing", pattern)
	}
	var plain, and, not []string
	for _, p := range parts {
		switch p[0] {
		case '&':
			and = append(and, p[1:])
		case '!':
			not = append(not, p[1:])
		default:
			plain = append(plain, p)
		}
	}
	if len(plain) == 0 {
		plain = []string{"all"}
	}
	chosen := map[string]bool{}
	for _, p := range plain {
		m, err := inv.match(p)
		if err != nil {
			return nil, err
		}
		for n := range m {
			chosen[n] = true
		}
	}
	for _, p := range and {
		m, err := inv.match(p)
		if err != nil {
			return nil, err
		}
		for n := range chosen {
			if !m[n] {
				delete(chosen, n)
			}
		}
	}
	for _, p := range not {
		m, err := inv.match(p)
		if err != nil {
			return nil, err
		}
		for n := range m {
			delete(chosen, n)
		}
	}
	var out []Host
	for _, h := range inv.Hosts {
		if chosen[h.Name] {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--limit %q leaves no host of the %d in %s", pattern, len(inv.Hosts), inv.Source)
	}
	return out, nil
}

// splitPattern splits on commas, or on colons where there are none; a part that is
// an IPv6 address or holds brackets keeps its colons.
func splitPattern(pattern string) []string {
	var raw []string
	if strings.Contains(pattern, ",") {
		raw = strings.Split(pattern, ",")
	} else if net.ParseIP(strings.TrimLeft(pattern, "&!")) != nil || strings.Contains(pattern, "[") || strings.HasPrefix(pattern, "~") {
		raw = []string{pattern}
	} else {
		raw = strings.Split(pattern, ":")
	}
	var out []string
	for _, p := range raw {
		if p = strings.TrimSpace(p); p != "" && p != "&" && p != "!" {
			out = append(out, p)
		}
	}
	return out
}

// match gives the hosts one part names: the members of the groups it matches, and
// the hosts whose names it matches.
func (inv *Inventory) match(p string) (map[string]bool, error) {
	if strings.Contains(p, "[") && !strings.HasPrefix(p, "~") {
		return nil, fmt.Errorf("--limit %s: subscripts ([0], [1:3]) are not supported; name the hosts, or use a glob such as web*", p)
	}
	var matches func(string) bool
	if re, ok := strings.CutPrefix(p, "~"); ok {
		// Ansible matches from the start of the name (Python's re.match).
		rx, err := regexp.Compile("^(?:" + re + ")")
		if err != nil {
			return nil, fmt.Errorf("--limit %s: %v", p, err)
		}
		matches = rx.MatchString
	} else {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("--limit %s: %v", p, err)
		}
		matches = func(s string) bool { ok, _ := path.Match(p, s); return ok }
	}
	out := map[string]bool{}
	if p == "all" || p == "*" {
		for _, h := range inv.Hosts {
			out[h.Name] = true
		}
		return out, nil
	}
	for _, h := range inv.Hosts {
		if matches(h.Name) || slices.ContainsFunc(h.Groups, matches) || p == "ungrouped" && h.Group == "" {
			out[h.Name] = true
		}
	}
	if len(out) == 0 {
		var groups []string
		for _, g := range inv.order {
			if g != "all" && g != "ungrouped" {
				groups = append(groups, g)
			}
		}
		return nil, fmt.Errorf("--limit %s matches no host or group in %s (groups: %s)", p, inv.Source, strings.Join(groups, ", "))
	}
	return out, nil
}
