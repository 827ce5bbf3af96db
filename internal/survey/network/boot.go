package network

import (
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// surveyBoot reads what the disk says of the network whatever runs: the
// interfaces' boot configuration and the DHCP clients' leases.
func surveyBoot(in *kit.Input) {
	n := &in.Snap.Network
	for _, it := range in.Archive.Matching(evidence.KindFile, "/etc/sysconfig/network-scripts/ifcfg-*") {
		if !kit.Usable(it) {
			continue
		}
		c, ok := ParseIfcfg(kit.CompleteLines(it), strings.TrimPrefix(path.Base(it.Name), "ifcfg-"))
		if !ok {
			continue
		}
		c.Source, c.Evidence = it.Name, in.Cite(it)
		n.Configured = append(n.Configured, c)
	}
	if it := in.File("/etc/network/interfaces"); kit.Usable(it) {
		id := in.Cite(it)
		for _, c := range ParseInterfaces(kit.CompleteLines(it)) {
			c.Source, c.Evidence = it.Name, id
			n.Configured = append(n.Configured, c)
		}
	}
	for _, pat := range []string{"/var/lib/dhclient/*", "/var/lib/dhcp/*", "/var/lib/dhcp3/*", "/var/lib/NetworkManager/*"} {
		for _, it := range in.Archive.Matching(evidence.KindFile, pat) {
			if !kit.Usable(it) {
				continue
			}
			id := in.Cite(it)
			for _, l := range ParseLeases(kit.CompleteLines(it), ifaceOfLeaseFile(it.Name)) {
				l.Source = fmt.Sprintf("%s:%s", it.Name, l.Source)
				l.Evidence = id
				n.DHCPLeases = append(n.DHCPLeases, l)
			}
		}
	}
}

// ParseIfcfg reads an EL ifcfg file (shell assignments). name is the file's
// interface, which DEVICE overrides; ok is false for the loopback.
func ParseIfcfg(text, name string) (snapshot.InterfaceConfig, bool) {
	v := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		k, val, found := strings.Cut(line, "=")
		if !found || strings.HasPrefix(line, "#") {
			continue
		}
		v[strings.ToUpper(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(val), `"'`)
	}
	c := snapshot.InterfaceConfig{Name: name}
	if d := v["DEVICE"]; d != "" {
		c.Name = d
	}
	if c.Name == "lo" {
		return c, false
	}
	switch strings.ToLower(v["BOOTPROTO"]) {
	case "dhcp", "bootp":
		c.Method = "dhcp"
	case "static", "none", "":
		c.Method = "none"
		if v["IPADDR"] != "" {
			c.Method = "static"
		}
	default:
		c.Method = strings.ToLower(v["BOOTPROTO"])
	}
	if a := v["IPADDR"]; a != "" {
		c.Address = withPrefix(a, v["PREFIX"], v["NETMASK"])
	}
	c.Gateway = v["GATEWAY"]
	if o, ok := v["ONBOOT"]; ok {
		c.OnBoot = snapshot.Bool(strings.EqualFold(o, "yes"))
	}
	return c, true
}

// ParseInterfaces reads Debian's /etc/network/interfaces: "iface NAME inet METHOD"
// stanzas with their address lines; "auto" and "allow-hotplug" bring one up at boot.
func ParseInterfaces(text string) []snapshot.InterfaceConfig {
	var out []snapshot.InterfaceConfig
	auto := map[string]bool{}
	var cur *snapshot.InterfaceConfig
	mask := ""
	flush := func() {
		if cur != nil {
			if cur.Address != "" && !strings.Contains(cur.Address, "/") {
				cur.Address = withPrefix(cur.Address, "", mask)
			}
			out = append(out, *cur)
		}
		cur, mask = nil, ""
	}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch {
		case (f[0] == "auto" || f[0] == "allow-hotplug") && len(f) > 1:
			for _, n := range f[1:] {
				auto[n] = true
			}
		case f[0] == "iface" && len(f) >= 4:
			flush()
			if f[1] != "lo" && f[2] == "inet" {
				cur = &snapshot.InterfaceConfig{Name: f[1], Method: f[3]}
			}
		case cur != nil && len(f) >= 2:
			switch f[0] {
			case "address":
				cur.Address = f[1]
			case "netmask":
				mask = f[1]
			case "gateway":
				cur.Gateway = f[1]
			}
		}
	}
	flush()
	for i := range out {
		out[i].OnBoot = snapshot.Bool(auto[out[i].Name])
	}
	return out
}

// withPrefix writes an address as CIDR when its prefix or netmask is known.
func withPrefix(addr, prefix, netmask string) string {
	if prefix != "" {
		return addr + "/" + prefix
	}
	if m := net.ParseIP(netmask).To4(); m != nil {
		ones, _ := net.IPv4Mask(m[0], m[1], m[2], m[3]).Size()
		return addr + "/" + strconv.Itoa(ones)
	}
	return addr
}

// ifaceOfLeaseFile is the interface a lease file is named for: dhclient-eth0.leases,
// dhclient.eth0.leases, dhclient-UUID-eth0.lease (NetworkManager).
func ifaceOfLeaseFile(p string) string {
	b := path.Base(p)
	b = strings.TrimSuffix(strings.TrimSuffix(b, ".leases"), ".lease")
	for _, sep := range []string{"-", "."} {
		if i := strings.LastIndex(b, sep); i >= 0 && strings.HasPrefix(b, "dhclient") {
			return b[i+1:]
		}
	}
	return ""
}

// ParseLeases reads an ISC dhclient lease file and returns the last lease of each
// interface (dhclient appends; the last one is the one in use), each with the line
// it starts at in Source.
func ParseLeases(text, iface string) []snapshot.DHCPLease {
	var order []string
	last := map[string]snapshot.DHCPLease{}
	var cur *snapshot.DHCPLease
	for i, raw := range strings.Split(text, "\n") {
		line, _, _ := strings.Cut(raw, "#")
		line = strings.TrimSuffix(strings.TrimSpace(line), ";")
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "lease" && strings.HasSuffix(line, "{"):
			cur = &snapshot.DHCPLease{Interface: iface, Source: strconv.Itoa(i + 1)}
		case f[0] == "}" && cur != nil:
			if cur.Address != "" {
				if _, seen := last[cur.Interface]; !seen {
					order = append(order, cur.Interface)
				}
				last[cur.Interface] = *cur
			}
			cur = nil
		case cur == nil:
		case f[0] == "interface" && len(f) == 2:
			cur.Interface = strings.Trim(f[1], `"`)
		case f[0] == "fixed-address" && len(f) == 2:
			cur.Address = f[1]
		case f[0] == "option" && len(f) >= 3:
			vals := strings.Split(strings.Join(f[2:], ""), ",")
			switch f[1] {
			case "routers":
				cur.Routers = vals
			case "domain-name-servers":
				cur.DNS = vals
			case "dhcp-server-identifier":
				cur.Server = f[2]
			}
		case f[0] == "expire" && len(f) >= 4:
			// "expire 1 2015/03/02 06:00:00" (UTC), or "expire epoch 1425276000".
			if t, err := time.Parse("2006/01/02 15:04:05", f[2]+" "+f[3]); err == nil {
				cur.Expires = &t
			}
		case f[0] == "expire" && len(f) == 3 && f[1] == "epoch":
			if s, err := strconv.ParseInt(f[2], 10, 64); err == nil {
				t := time.Unix(s, 0).UTC()
				cur.Expires = &t
			}
		}
	}
	out := make([]snapshot.DHCPLease, 0, len(order))
	for _, k := range order {
		out = append(out, last[k])
	}
	return out
}
