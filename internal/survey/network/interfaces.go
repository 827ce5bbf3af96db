package network

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Iface is one network interface as ip or ifconfig prints it.
type Iface struct {
	Name      string
	MAC       string
	MTU       int
	Up        *bool
	Addresses []string // CIDR
}

var (
	ipHeadRe = regexp.MustCompile(`^(\d+):\s+([^\s:]+):\s+<([^>]*)>(.*)$`)
	// ip -o addr: "2: eth0    inet 10.0.0.1/24 brd ... \       valid_lft ..."
	ipOneRe = regexp.MustCompile(`^(\d+):\s+([^\s:]+)\s+(inet6?|link/\S+)\s+(\S+)`)
)

// ParseIPAddr reads `ip addr show`, or its one-line form `ip -o addr` / `ip -o link`,
// in every iproute2 version from CentOS 5's on. A link name keeps no "@peer" suffix
// ("eth0@if181" is eth0; "bond1.57@bond1" is bond1.57). An address printed without a
// prefix (a point-to-point "inet A peer B/32") is the single address A/32.
func ParseIPAddr(text string) ([]Iface, error) {
	text = strings.ReplaceAll(text, "\\", "\n")
	var out []Iface
	idx := map[string]int{}
	cur := -1
	pe := &kit.ParseError{}
	get := func(name string) int {
		if i, ok := idx[name]; ok {
			return i
		}
		idx[name] = len(out)
		out = append(out, Iface{Name: name})
		return len(out) - 1
	}
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, "\r ")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if m := ipHeadRe.FindStringSubmatch(line); m != nil {
			cur = get(linkName(m[2]))
			ifc := &out[cur]
			up := false
			for _, fl := range strings.Split(m[3], ",") {
				if fl == "UP" {
					up = true
				}
			}
			ifc.Up = &up
			f := strings.Fields(m[4])
			for i := 0; i+1 < len(f); i++ {
				if f[i] == "mtu" {
					if v, err := strconv.Atoi(f[i+1]); err == nil {
						ifc.MTU = v
					}
				}
			}
			continue
		}
		if m := ipOneRe.FindStringSubmatch(line); m != nil && line[0] != ' ' && line[0] != '\t' {
			cur = get(linkName(m[2]))
			line = line[strings.Index(line, m[3]):]
		} else if line[0] != ' ' && line[0] != '\t' {
			pe.Add(n+1, "neither an interface header nor an indented detail")
			cur = -1
			continue
		}
		if cur < 0 {
			pe.Add(n+1, "a detail line before any interface")
			continue
		}
		f := strings.Fields(line)
		switch {
		case strings.HasPrefix(f[0], "link/") && len(f) > 1:
			if f[0] != "link/loopback" && f[0] != "link/none" && isMAC(f[1]) {
				out[cur].MAC = strings.ToLower(f[1])
			}
		case (f[0] == "inet" || f[0] == "inet6") && len(f) > 1:
			a, ok := cidr(f[1], f[0] == "inet6")
			if !ok {
				pe.Add(n+1, "%q is not an address", short(f[1]))
				continue
			}
			out[cur].Addresses = append(out[cur].Addresses, a)
		}
	}
	return out, pe.Err()
}

func linkName(s string) string {
	if i := strings.IndexByte(s, '@'); i > 0 {
		return s[:i]
	}
	return s
}

var macRe = regexp.MustCompile(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5,19}$`)

func isMAC(s string) bool { return macRe.MatchString(s) }

// cidr canonicalises "10.0.0.1/24" or a bare "10.0.0.1" (read as a host prefix).
func cidr(s string, v6 bool) (string, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.String(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", false
	}
	return netip.PrefixFrom(a, a.BitLen()).String(), true
}

var (
	// net-tools before 2.0 (CentOS 5–6, busybox): "eth0      Link encap:Ethernet  HWaddr 00:..."
	ifOldHeadRe = regexp.MustCompile(`^(\S+?):?\s+Link encap:`)
	// net-tools 2.x: "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500"
	ifNewHeadRe = regexp.MustCompile(`^(\S+?):\s+flags=\d+<([^>]*)>(.*)$`)
	hwaddrRe    = regexp.MustCompile(`HWaddr\s+(\S+)`)
	mtuOldRe    = regexp.MustCompile(`MTU:(\d+)`)
)

// ParseIfconfig reads `ifconfig -a` in both net-tools layouts (the "Link encap" one of
// net-tools 1.60 and busybox, and the "flags=" one of net-tools 2.x). An old-style
// interface is up when its flags line says UP; an alias ("eth0:1") is kept as its own
// interface, as ifconfig shows it.
func ParseIfconfig(text string) ([]Iface, error) {
	var out []Iface
	pe := &kit.ParseError{}
	cur := -1
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, "\r ")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			switch m, m2 := ifNewHeadRe.FindStringSubmatch(line), ifOldHeadRe.FindStringSubmatch(line); {
			case m != nil:
				up := false
				for _, fl := range strings.Split(m[2], ",") {
					up = up || fl == "UP"
				}
				ifc := Iface{Name: m[1], Up: &up}
				f := strings.Fields(m[3])
				for i := 0; i+1 < len(f); i++ {
					if f[i] == "mtu" {
						ifc.MTU, _ = strconv.Atoi(f[i+1])
					}
				}
				out = append(out, ifc)
				cur = len(out) - 1
			case m2 != nil:
				ifc := Iface{Name: m2[1]}
				if hw := hwaddrRe.FindStringSubmatch(line); hw != nil && isMAC(hw[1]) {
					ifc.MAC = strings.ToLower(hw[1])
				}
				down := false
				ifc.Up = &down // until a flags line says UP
				out = append(out, ifc)
				cur = len(out) - 1
			default:
				pe.Add(n+1, "not an ifconfig interface header")
				cur = -1
			}
			continue
		}
		if cur < 0 {
			continue
		}
		ifc := &out[cur]
		f := strings.Fields(line)
		switch {
		case f[0] == "inet" && len(f) > 1 && strings.HasPrefix(f[1], "addr:"):
			// inet addr:10.0.0.5  Bcast:10.0.0.255  Mask:255.255.255.0
			addr := strings.TrimPrefix(f[1], "addr:")
			mask := ""
			for _, t := range f[2:] {
				if strings.HasPrefix(t, "Mask:") {
					mask = t[5:]
				}
			}
			if a, ok := withMask(addr, mask); ok {
				ifc.Addresses = append(ifc.Addresses, a)
			} else {
				pe.Add(n+1, "%q is not an address", short(addr))
			}
		case f[0] == "inet" && len(f) > 1:
			mask := ""
			for i := 2; i+1 < len(f); i++ {
				if f[i] == "netmask" {
					mask = f[i+1]
				}
			}
			if a, ok := withMask(f[1], mask); ok {
				ifc.Addresses = append(ifc.Addresses, a)
			} else {
				pe.Add(n+1, "%q is not an address", short(f[1]))
			}
		case f[0] == "inet6" && len(f) > 2 && f[1] == "addr:":
			// inet6 addr: fe80::20c:29ff:fe4a:1b2c/64 Scope:Link
			if a, ok := cidr(f[2], true); ok {
				ifc.Addresses = append(ifc.Addresses, a)
			}
		case f[0] == "inet6" && len(f) > 1:
			// inet6 fe80::1  prefixlen 64  scopeid 0x20<link>
			a := f[1]
			for i := 2; i+1 < len(f); i++ {
				if f[i] == "prefixlen" {
					a += "/" + f[i+1]
				}
			}
			if c, ok := cidr(a, true); ok {
				ifc.Addresses = append(ifc.Addresses, c)
			}
		case f[0] == "ether" && len(f) > 1 && isMAC(f[1]):
			ifc.MAC = strings.ToLower(f[1])
		case mtuOldRe.MatchString(line):
			if m := mtuOldRe.FindStringSubmatch(line); m != nil {
				ifc.MTU, _ = strconv.Atoi(m[1])
			}
			up := false
			for _, t := range f {
				if t == "UP" {
					up = true
				}
			}
			ifc.Up = &up
		}
	}
	return out, pe.Err()
}

// withMask joins an address and a dotted netmask (or a hex one, as BSD-style
// ifconfig prints "0xffffff00") into a prefix; no mask means a host prefix.
func withMask(addr, mask string) (string, bool) {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return "", false
	}
	bits := 32
	if mask != "" {
		var m netip.Addr
		if strings.HasPrefix(mask, "0x") && len(mask) == 10 {
			if v, err := strconv.ParseUint(mask[2:], 16, 32); err == nil {
				m = netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
			}
		} else {
			m, _ = netip.ParseAddr(mask)
		}
		if !m.Is4() {
			return "", false
		}
		b := m.As4()
		v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		bits = 0
		for v&0x80000000 != 0 {
			bits++
			v <<= 1
		}
	}
	return netip.PrefixFrom(a, bits).String(), true
}
