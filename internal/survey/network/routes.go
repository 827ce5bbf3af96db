package network

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// RouteEntry is one route.
type RouteEntry struct {
	Destination string // "default" or CIDR
	Gateway     string
	Device      string
	Metric      int
	Table       string // "" for main
	Type        string // "" for unicast
}

// routeTypes are the types ip prints before the destination. local, broadcast,
// anycast and multicast are the kernel's own bookkeeping for the host's addresses and
// are left out; the others change where traffic goes and are kept.
var routeTypes = map[string]bool{
	"unicast": true, "local": false, "broadcast": false, "anycast": false, "multicast": false,
	"blackhole": true, "unreachable": true, "prohibit": true, "throw": true, "nat": false,
}

// ParseIPRoute reads `ip route show table all` or `ip -6 route show table all`. Routes
// of the "local" table are the kernel's for the host's own addresses and are left out.
// A multipath route (indented "nexthop via ..." lines) gives one route per next hop.
func ParseIPRoute(text string) ([]RouteEntry, error) {
	var out []RouteEntry
	pe := &kit.ParseError{}
	var last *RouteEntry
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, "\r ")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)
		if line[0] == ' ' || line[0] == '\t' {
			if f[0] != "nexthop" || last == nil {
				pe.Add(n+1, "an indented line that is not a next hop")
				continue
			}
			r := *last
			r.Gateway, r.Device = "", ""
			routeAttrs(&r, f[1:])
			if len(out) > 0 && &out[len(out)-1] == last && last.Gateway == "" && last.Device == "" {
				out[len(out)-1] = r // the multipath head itself names no hop
				last = &out[len(out)-1]
				continue
			}
			out = append(out, r)
			continue
		}
		last = nil
		var r RouteEntry
		if keep, ok := routeTypes[f[0]]; ok {
			if !keep {
				continue
			}
			if f[0] != "unicast" {
				r.Type = f[0]
			}
			f = f[1:]
		}
		if len(f) == 0 {
			pe.Add(n+1, "a route type without a destination")
			continue
		}
		dst, ok := destination(f[0])
		if !ok {
			pe.Add(n+1, "%q is not a destination", short(f[0]))
			continue
		}
		r.Destination = dst
		routeAttrs(&r, f[1:])
		if r.Table == "local" {
			continue
		}
		if r.Table == "main" {
			r.Table = ""
		}
		out = append(out, r)
		last = &out[len(out)-1]
	}
	return out, pe.Err()
}

func routeAttrs(r *RouteEntry, f []string) {
	for i := 0; i+1 < len(f); i++ {
		switch f[i] {
		case "via":
			r.Gateway = f[i+1]
			if a, err := netip.ParseAddr(f[i+1]); err == nil {
				r.Gateway = a.String()
			}
		case "dev":
			r.Device = f[i+1]
		case "metric":
			r.Metric, _ = strconv.Atoi(f[i+1])
		case "table":
			r.Table = f[i+1]
		default:
			continue
		}
		i++
	}
}

func destination(s string) (string, bool) {
	if s == "default" {
		return s, true
	}
	if c, ok := cidr(s, false); ok {
		return c, true
	}
	return "", false
}

// ParseProcRoute reads /proc/net/route, the IPv4 table every Linux kernel has, for
// hosts without ip: addresses are hex words in the kernel's byte order, as in
// /proc/net/tcp (bigEndian for s390x, SPARC, big-endian POWER and MIPS).
func ParseProcRoute(text string, bigEndian bool) ([]RouteEntry, error) {
	var out []RouteEntry
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "Iface" {
			continue
		}
		if len(f) < 8 {
			pe.Add(n+1, "fewer columns than /proc/net/route prints")
			continue
		}
		dst, e1 := procAddr(f[1], bigEndian)
		gw, e2 := procAddr(f[2], bigEndian)
		mask, e3 := procAddr(f[7], bigEndian)
		flags, e4 := strconv.ParseUint(f[3], 16, 32)
		if e1 != nil || e2 != nil || e3 != nil || e4 != nil {
			pe.Add(n+1, "a column is not hex")
			continue
		}
		if flags&0x1 == 0 { // RTF_UP
			continue
		}
		m := mask.As4()
		v := uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
		bits := 0
		for v&0x80000000 != 0 {
			bits++
			v <<= 1
		}
		r := RouteEntry{Destination: netip.PrefixFrom(dst, bits).String(), Device: f[0]}
		if bits == 0 && dst.IsUnspecified() {
			r.Destination = "default"
		}
		if flags&0x2 != 0 { // RTF_GATEWAY
			r.Gateway = gw.String()
		}
		if flags&0x200 != 0 { // RTF_REJECT
			r.Type = "unreachable"
		}
		r.Metric, _ = strconv.Atoi(f[6])
		out = append(out, r)
	}
	return out, pe.Err()
}

func procAddr(h string, bigEndian bool) (netip.Addr, error) {
	raw, err := hex.DecodeString(h)
	if err != nil || len(raw) != 4 {
		return netip.Addr{}, strconv.ErrSyntax
	}
	if !bigEndian {
		raw[0], raw[1], raw[2], raw[3] = raw[3], raw[2], raw[1], raw[0]
	}
	return netip.AddrFrom4([4]byte(raw)), nil
}
