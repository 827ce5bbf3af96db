package network

import (
	"net/netip"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// HostsLine is one entry of /etc/hosts.
type HostsLine struct {
	Address string // canonical text ("10.0.0.1", "::1")
	Names   []string
	Line    int
}

// ParseHosts reads /etc/hosts. Comments after "#" are dropped; a line whose first
// field is not an IP address is reported and skipped, the rest kept.
func ParseHosts(text string) ([]HostsLine, error) {
	var out []HostsLine
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			pe.Add(n+1, "%q is not an IP address", short(f[0]))
			continue
		}
		if len(f) < 2 {
			pe.Add(n+1, "an address without a name")
			continue
		}
		out = append(out, HostsLine{Address: a.String(), Names: f[1:], Line: n + 1})
	}
	return out, pe.Err()
}

// Resolve finds the first /etc/hosts line naming name, as the resolver's files
// source does: names compare without case and without a trailing dot.
func Resolve(lines []HostsLine, name string) (HostsLine, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for _, h := range lines {
		for _, n := range h.Names {
			if strings.ToLower(n) == name {
				return h, true
			}
		}
	}
	return HostsLine{}, false
}

// Resolv is what /etc/resolv.conf says.
type Resolv struct {
	Nameservers []string
	Search      []string
}

// ParseResolv reads resolv.conf: nameserver lines, and search or domain, the last of
// which wins as the resolver itself decides.
func ParseResolv(text string) Resolv {
	var r Resolv
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		f := strings.Fields(line)
		switch f[0] {
		case "nameserver":
			if len(f) > 1 {
				r.Nameservers = append(r.Nameservers, f[1])
			}
		case "search":
			r.Search = append([]string(nil), f[1:]...)
		case "domain":
			if len(f) > 1 {
				r.Search = []string{f[1]}
			}
		}
	}
	return r
}

// ParseNSSwitchHosts returns the sources of the "hosts:" line in order, actions such
// as "[NOTFOUND=return]" kept, since they change what a lookup does.
func ParseNSSwitchHosts(text string) []string {
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(k) != "hosts" {
			continue
		}
		return strings.Fields(v)
	}
	return nil
}

func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
