package ansible

import (
	"net"
	"regexp"
	"strings"
)

// AccessRewrite is one block's Apache 2.2 access control as it was translated.
type AccessRewrite struct {
	Line int // 1-based line of the block's first access directive
	Was  []string
	Now  []string // the Require lines, or nil when the block was left for a person
	Why  string   // why it was left, when it was
}

var (
	blockOpen   = regexp.MustCompile(`(?i)^\s*<(Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|Proxy|VirtualHost)\b`)
	blockClose  = regexp.MustCompile(`(?i)^\s*</(Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|Proxy|VirtualHost)\s*>`)
	accessLine  = regexp.MustCompile(`(?i)^(\s*)(Order|Allow|Deny|Satisfy)\b\s*(.*?)\s*$`)
	requireLine = regexp.MustCompile(`(?i)^\s*Require\b`)
)

// RewriteApache22Access replaces Apache 2.2's Order/Allow/Deny lines with 2.4's
// Require, block by block, where the meaning is certain:
//
//	Order allow,deny + Allow from all                 -> Require all granted
//	Order deny,allow + Deny from all                  -> Require all denied
//	Order deny,allow + Deny from all + Allow from A B -> Require ip A B (or host)
//	Order allow,deny + Allow from A B                 -> Require ip A B (or host)
//
// Anything else (Satisfy, Deny from some hosts, env=, a block already mixing in
// Require) is left as it is, with a TODO comment above it, because mod_access_compat
// still reads it and a guessed translation could open or close a site.
func RewriteApache22Access(text string) (string, []AccessRewrite) {
	lines := strings.Split(text, "\n")
	type block struct {
		access  []int
		require bool
	}
	var stack []*block
	var blocks []*block
	top := &block{}
	cur := func() *block {
		if len(stack) == 0 {
			return top
		}
		return stack[len(stack)-1]
	}
	for i, l := range lines {
		switch {
		case blockClose.MatchString(l):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case blockOpen.MatchString(l):
			b := &block{}
			stack = append(stack, b)
			blocks = append(blocks, b)
		case accessLine.MatchString(l):
			cur().access = append(cur().access, i)
		case requireLine.MatchString(l):
			cur().require = true
		}
	}
	blocks = append(blocks, top)

	replace := map[int][]string{} // line index -> new lines (nil: drop)
	var out []AccessRewrite
	for _, bl := range blocks {
		if len(bl.access) == 0 {
			continue
		}
		var was []string
		var order string
		var allows, denies []string
		satisfy := false
		for _, i := range bl.access {
			m := accessLine.FindStringSubmatch(lines[i])
			was = append(was, strings.TrimSpace(lines[i]))
			switch strings.ToLower(m[2]) {
			case "order":
				order = strings.ToLower(strings.ReplaceAll(m[3], " ", ""))
			case "allow":
				allows = append(allows, fromList(m[3])...)
			case "deny":
				denies = append(denies, fromList(m[3])...)
			case "satisfy":
				satisfy = true
			}
		}
		first := bl.access[0]
		indent := accessLine.FindStringSubmatch(lines[first])[1]
		rw := AccessRewrite{Line: first + 1, Was: was}
		now, why := translateAccess(order, allows, denies, satisfy, bl.require)
		if now == nil {
			rw.Why = why
			replace[first] = append([]string{indent + "# TODO(trowel): Apache 2.2 access control kept through mod_access_compat: " + why + "."}, lines[first])
			out = append(out, rw)
			continue
		}
		rw.Now = now
		repl := []string{indent + "# Apache 2.4 form of: " + strings.Join(was, " / ")}
		for _, n := range now {
			repl = append(repl, indent+n)
		}
		replace[first] = repl
		for _, i := range bl.access[1:] {
			replace[i] = nil
		}
		out = append(out, rw)
	}
	if len(out) == 0 {
		return text, nil
	}
	var res []string
	for i, l := range lines {
		if r, ok := replace[i]; ok {
			res = append(res, r...)
			continue
		}
		res = append(res, l)
	}
	return strings.Join(res, "\n"), out
}

// fromList reads "from a b c" into its words.
func fromList(s string) []string {
	f := strings.Fields(s)
	if len(f) > 0 && strings.EqualFold(f[0], "from") {
		f = f[1:]
	}
	return f
}

func translateAccess(order string, allows, denies []string, satisfy, require bool) ([]string, string) {
	switch {
	case satisfy:
		return nil, "Satisfy combines host and user checks; write the RequireAll/RequireAny by hand"
	case require:
		return nil, "the block mixes Require with Order/Allow/Deny, whose combined meaning depends on mod_access_compat"
	}
	all := func(l []string) bool { return len(l) == 1 && strings.EqualFold(l[0], "all") }
	switch order {
	case "allow,deny":
		switch {
		case len(denies) == 0 && all(allows):
			return []string{"Require all granted"}, ""
		case len(denies) == 0 && len(allows) == 0:
			return []string{"Require all denied"}, ""
		case all(denies):
			return []string{"Require all denied"}, ""
		case len(denies) == 0:
			if r := requireHosts(allows); r != nil {
				return r, ""
			}
		}
	case "deny,allow":
		switch {
		case all(denies) && len(allows) == 0:
			return []string{"Require all denied"}, ""
		case all(denies) && all(allows):
			return []string{"Require all granted"}, ""
		case all(denies):
			if r := requireHosts(allows); r != nil {
				return r, ""
			}
		case len(denies) == 0 && len(allows) == 0:
			return []string{"Require all granted"}, ""
		}
	case "":
		// Without Order, 2.2 defaults to deny,allow.
		return translateAccess("deny,allow", allows, denies, satisfy, require)
	}
	return nil, "the Allow/Deny combination has no one-line Require equivalent that is certain"
}

// requireHosts turns Allow from a list into Require ip / Require host lines; nil
// when a word is neither (env=, a partial name whose meaning changed).
func requireHosts(words []string) []string {
	var ips, hosts []string
	for _, w := range words {
		switch {
		case strings.Contains(strings.ToLower(w), "env="):
			return nil
		case isIPish(w):
			ips = append(ips, w)
		case strings.Contains(w, "."):
			hosts = append(hosts, w)
		default:
			return nil
		}
	}
	var out []string
	if len(ips) > 0 {
		out = append(out, "Require ip "+strings.Join(ips, " "))
	}
	if len(hosts) > 0 {
		out = append(out, "Require host "+strings.Join(hosts, " "))
	}
	if len(out) > 1 {
		// Several Require lines in one block are already "any of" (RequireAny).
		return out
	}
	return out
}

var partialIP = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){0,3}\.?$`)

func isIPish(w string) bool {
	if _, _, err := net.ParseCIDR(w); err == nil {
		return true
	}
	if net.ParseIP(w) != nil {
		return true
	}
	if ip, mask, ok := strings.Cut(w, "/"); ok && net.ParseIP(ip) != nil && net.ParseIP(mask) != nil {
		return true
	}
	return partialIP.MatchString(w)
}
