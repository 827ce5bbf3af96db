package listeners

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Endpoint is one end of a socket.
type Endpoint struct {
	// Addr is the address in Go's canonical text ("0.0.0.0", "::", "::1",
	// "::ffff:10.0.0.1"). When the tool printed something that is not an address
	// (net-tools cuts long IPv6 addresses to fit its column) it is kept as printed.
	Addr string
	// Iface is the device a socket is bound to, as ss prints it after "%"
	// ("127.0.0.53%lo:53", "0.0.0.0%virbr0:67"), or the scope of a link-local address.
	Iface string
	// Port is 0 for "*".
	Port int
}

// Owner is a process holding a socket.
type Owner struct {
	PID  int // 0 when the tool printed only a name
	Name string
	FD   int // -1 when unknown
}

// Socket is one TCP or UDP socket.
type Socket struct {
	Proto string // tcp, tcp6, udp, udp6: the family of the local address, not the tool's word
	// State uses ss's words, with ESTAB spelt out: LISTEN, ESTABLISHED, UNCONN,
	// SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, CLOSE-WAIT, LAST-ACK,
	// CLOSING, or UNKNOWN.
	State         string
	Local, Remote Endpoint
	// Owners is empty when the tool could not tell (not root, or a kernel socket such
	// as NFS's lockd, or /proc/net, which names no process).
	Owners []Owner
	// UID and Inode come from /proc/net only; nil and 0 elsewhere.
	UID   *int
	Inode uint64
}

// Listening reports whether the socket accepts connections (TCP LISTEN) or datagrams
// (an unconnected, bound UDP socket).
func (s Socket) Listening() bool {
	switch s.Proto {
	case "tcp", "tcp6":
		return s.State == "LISTEN"
	case "udp", "udp6":
		return s.State == "UNCONN" && s.Local.Port != 0
	}
	return false
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ssStates are ss's state words; the value is trowel's word.
var ssStates = map[string]string{
	"LISTEN": "LISTEN", "ESTAB": "ESTABLISHED", "UNCONN": "UNCONN", "SYN-SENT": "SYN-SENT",
	"SYN-RECV": "SYN-RECV", "FIN-WAIT-1": "FIN-WAIT-1", "FIN-WAIT-2": "FIN-WAIT-2",
	"TIME-WAIT": "TIME-WAIT", "CLOSE-WAIT": "CLOSE-WAIT", "LAST-ACK": "LAST-ACK",
	"CLOSING": "CLOSING", "UNKNOWN": "UNKNOWN",
}

// netstatStates are net-tools' (and busybox's) state words.
var netstatStates = map[string]string{
	"LISTEN": "LISTEN", "ESTABLISHED": "ESTABLISHED", "SYN_SENT": "SYN-SENT",
	"SYN_RECV": "SYN-RECV", "FIN_WAIT1": "FIN-WAIT-1", "FIN_WAIT2": "FIN-WAIT-2",
	"TIME_WAIT": "TIME-WAIT", "CLOSE": "UNCONN", "CLOSE_WAIT": "CLOSE-WAIT",
	"LAST_ACK": "LAST-ACK", "CLOSING": "CLOSING", "UNKNOWN": "UNKNOWN",
}

// procStates are the kernel's TCP state numbers, which /proc/net prints in hex for UDP
// sockets too (07, TCP_CLOSE, is an unconnected UDP socket; 01 a connected one).
var procStates = map[uint64]string{
	0x01: "ESTABLISHED", 0x02: "SYN-SENT", 0x03: "SYN-RECV", 0x04: "FIN-WAIT-1",
	0x05: "FIN-WAIT-2", 0x06: "TIME-WAIT", 0x07: "UNCONN", 0x08: "CLOSE-WAIT",
	0x09: "LAST-ACK", 0x0A: "LISTEN", 0x0B: "CLOSING", 0x0C: "SYN-RECV",
}

// ParseSockets reads the output of `ss -tuanp` or `netstat -tuanp`, telling them
// apart line by line (netstat's second column is a number, ss's a state).
//
// ss prints a wildcard address two ways. iproute2 before 4.17 or so prints the IPv4
// wildcard as "*" and IPv6 addresses bare (":::22", "::1:25"); later versions print
// "0.0.0.0", bracket IPv6 ("[::]:22") and keep "*" for an IPv6 socket that also accepts
// IPv4 (not IPV6_V6ONLY). So "*" means 0.0.0.0 (tcp) in the old style and :: (tcp6,
// dual-stack, as netstat and /proc/net show the same socket) in the new; the style is
// told from the whole output: any bracket, or any "0.0.0.0:" address, marks the new one.
// Output with neither is read as old, which is also what a host without IPv6 prints.
//
// iproute2 3.x printed the netid "tcp" for every socket it read over netlink, UDP
// included ("tcp UNCONN *:68 ... dhclient"). The kernel reports no TCP socket in
// the unconnected state, through netlink or /proc/net/tcp, so "tcp UNCONN" is read as
// the UDP socket it is.
func ParseSockets(text string) ([]Socket, error) {
	lines := strings.Split(text, "\n")
	newStyle := false
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) >= 5 && isSSRow(f) {
			if isProto(f[0]) {
				f = f[1:]
			}
			if len(f) < 5 {
				continue
			}
			for _, a := range f[3:5] {
				if strings.HasPrefix(a, "[") || strings.HasPrefix(a, "0.0.0.0:") || strings.HasPrefix(a, "0.0.0.0%") {
					newStyle = true
				}
			}
		}
	}
	var out []Socket
	pe := &kit.ParseError{}
	for n, line := range lines {
		line = strings.TrimRight(line, "\r")
		f := kit.FieldsN(line, 6)
		if len(f) == 0 {
			continue
		}
		first := f[0].Text
		if strings.HasPrefix(line, "Active ") && !strings.HasPrefix(line, "Active Internet") {
			break // netstat's UNIX, Bluetooth ... sections: no TCP or UDP below
		}
		if first == "Netid" || first == "State" || first == "Proto" || strings.HasPrefix(line, "Active ") || strings.HasPrefix(first, "(") {
			continue
		}
		toks := make([]string, len(f))
		for i := range f {
			toks[i] = f[i].Text
		}
		switch {
		case len(toks) >= 2 && isProto(toks[0]) && isNumber(toks[1]):
			s, ok, why := netstatRow(line)
			if why != "" {
				pe.Add(n+1, "%s", why)
			}
			if ok {
				out = append(out, s)
			}
		case isSSRow(toks):
			s, ok, why := ssRow(line, newStyle)
			if why != "" {
				pe.Add(n+1, "%s", why)
			}
			if ok {
				out = append(out, s)
			}
		case isOtherNetid(first):
			// unix, raw, netlink ... sockets: not asked for, not an error.
		default:
			pe.Add(n+1, "neither an ss nor a netstat line")
		}
	}
	return out, pe.Err()
}

func isProto(s string) bool {
	switch s {
	case "tcp", "tcp6", "udp", "udp6":
		return true
	}
	return false
}

func isOtherNetid(s string) bool {
	switch s {
	case "raw", "raw6", "udpl", "udpl6", "unix", "u_str", "u_dgr", "u_seq", "nl", "p_raw", "p_dgr", "sctp", "dccp", "mptcp", "v_str", "v_dgr", "tipc", "xdp", "icmp6":
		return true
	}
	return false
}

// isSSRow: "tcp LISTEN 0 128 ..." or, from an ss asked for one protocol only, without
// the netid: "LISTEN 0 128 ...".
func isSSRow(f []string) bool {
	if len(f) >= 2 && isProto(f[0]) {
		_, ok := ssStates[f[1]]
		return ok
	}
	if len(f) >= 1 {
		_, ok := ssStates[f[0]]
		return ok && len(f) >= 2 && isNumber(f[1])
	}
	return false
}

var usersRe = regexp.MustCompile(`\("((?:[^"\\]|\\.)*)",(?:pid=)?(\d+),(?:fd=)?(\d+)`)

// ssRow reads "tcp LISTEN 0 128 *:22 *:* users:(("sshd",pid=1,fd=3),...)".
func ssRow(line string, newStyle bool) (Socket, bool, string) {
	f := kit.FieldsN(line, 6)
	netid := ""
	if isProto(f[0].Text) {
		netid = f[0].Text
		f = f[1:]
	} else {
		f = kit.FieldsN(line, 5)
	}
	// f is now state, Recv-Q, Send-Q, local, peer.
	if len(f) < 5 {
		return Socket{}, false, "fewer columns than ss prints"
	}
	state := ssStates[f[0].Text]
	if netid == "" {
		netid = "tcp"
		if state == "UNCONN" {
			netid = "udp"
		}
	}
	if netid == "tcp" && state == "UNCONN" {
		netid = "udp"
	}
	if !isNumber(f[1].Text) || !isNumber(f[2].Text) {
		return Socket{}, false, "the queue columns are not numbers"
	}
	local, lfam, lerr := parseHostPort(f[3].Text, newStyle)
	remote, _, rerr := parseHostPort(f[4].Text, newStyle)
	if lerr != nil && local.Addr == "" {
		return Socket{}, false, "local address: " + lerr.Error()
	}
	s := Socket{Proto: proto(netid, lfam), State: state, Local: local, Remote: remote}
	rest := ""
	if end := f[4].Off + len(f[4].Text); end < len(line) {
		rest = line[end:]
	}
	if i := strings.Index(rest, "users:("); i >= 0 {
		for _, m := range usersRe.FindAllStringSubmatch(rest[i:], -1) {
			pid, _ := strconv.Atoi(m[2])
			fd, err := strconv.Atoi(m[3])
			if err != nil {
				fd = -1
			}
			s.Owners = append(s.Owners, Owner{PID: pid, Name: strings.ReplaceAll(m[1], `\"`, `"`), FD: fd})
		}
	}
	switch {
	case lerr != nil:
		return s, true, "local address: " + lerr.Error()
	case rerr != nil:
		return s, true, "peer address: " + rerr.Error()
	}
	return s, true, ""
}

var (
	ownerRe = regexp.MustCompile(`^(\d+)/(.*)$`)
	timerRe = regexp.MustCompile(`\s+(off|on|keepalive|timewait|unkn-\d+)\s*\(`)
)

// netstatRow reads "tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 1234/sshd", with or without a
// state (net-tools prints none for an unconnected UDP socket), with or without the
// User, Inode and Timer columns of -e and -o. Owners are "PID/name", where the name
// (a truncated comm) may hold spaces, or "-" when not root.
func netstatRow(line string) (Socket, bool, string) {
	f := kit.FieldsN(line, 64)
	if len(f) < 5 {
		return Socket{}, false, "fewer columns than netstat prints"
	}
	local, lfam, lerr := parseHostPort(f[3].Text, false)
	remote, _, rerr := parseHostPort(f[4].Text, false)
	if lerr != nil && local.Addr == "" {
		return Socket{}, false, "local address: " + lerr.Error()
	}
	base := strings.TrimSuffix(f[0].Text, "6")
	s := Socket{Proto: proto(base, lfam), Local: local, Remote: remote}
	i := 5
	if i < len(f) {
		if st, ok := netstatStates[f[i].Text]; ok {
			s.State = st
			i++
		}
	}
	if s.State == "" {
		if base != "udp" {
			// Every TCP row has a state: without one the columns are not where
			// netstat puts them, and nothing on the line can be trusted.
			return Socket{}, false, "a TCP line without a state"
		}
		s.State = "UNCONN"
	}
	// The owner is the first "PID/name" or "-" after the state; -e puts a user and an
	// inode (never of that shape) before it.
	for ; i < len(f); i++ {
		tok := f[i].Text
		if tok == "-" {
			break
		}
		if m := ownerRe.FindStringSubmatch(tok); m != nil {
			rest := line[f[i].Off:]
			if loc := timerRe.FindStringIndex(rest); loc != nil {
				rest = rest[:loc[0]]
			}
			rest = strings.TrimSpace(rest)
			m = ownerRe.FindStringSubmatch(rest)
			pid, _ := strconv.Atoi(m[1])
			name := strings.TrimSpace(m[2])
			// net-tools names a process by its argv[0], so a daemon that retitles
			// itself shows its title, cut: "sendmail: acce", "sshd: root@pts".
			if i := strings.Index(name, ": "); i > 0 {
				name = name[:i]
			}
			s.Owners = []Owner{{PID: pid, Name: name, FD: -1}}
			break
		}
	}
	switch {
	case lerr != nil:
		return s, true, "local address: " + lerr.Error()
	case rerr != nil:
		return s, true, "foreign address: " + rerr.Error()
	}
	return s, true, ""
}

func proto(base string, fam int) string {
	if fam == 6 {
		return base + "6"
	}
	return base
}

// parseHostPort reads "addr:port" in every spelling ss and netstat use. It returns
// the address family (4 or 6). On an error the endpoint may still carry what could be
// read (a port and the address as printed); Addr is empty when nothing could.
func parseHostPort(s string, newStyle bool) (Endpoint, int, error) {
	var e Endpoint
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return e, 0, fmt.Errorf("%q has no port", trunc(s))
	}
	host, port := s[:i], s[i+1:]
	switch {
	case port == "*":
	case isNumber(port) && len(port) <= 5:
		e.Port, _ = strconv.Atoi(port)
		if e.Port > 65535 {
			return Endpoint{}, 0, fmt.Errorf("port %s is out of range", port)
		}
	default:
		return Endpoint{}, 0, fmt.Errorf("port %q is not a number", trunc(port))
	}
	if strings.HasPrefix(host, "[") {
		j := strings.IndexByte(host, ']')
		if j < 0 {
			return Endpoint{}, 0, fmt.Errorf("%q has no closing bracket", trunc(s))
		}
		after := host[j+1:]
		host = host[1:j]
		if strings.HasPrefix(after, "%") {
			e.Iface = after[1:]
		} else if after != "" {
			return Endpoint{}, 0, fmt.Errorf("%q has text after the bracket", trunc(s))
		}
	}
	if k := strings.IndexByte(host, '%'); k >= 0 {
		if e.Iface == "" {
			e.Iface = host[k+1:]
		}
		host = host[:k]
	}
	if host == "*" {
		if newStyle {
			e.Addr = "::"
			return e, 6, nil
		}
		e.Addr = "0.0.0.0"
		return e, 4, nil
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		e.Addr = host
		fam := 4
		if strings.Contains(host, ":") {
			fam = 6
		}
		if host == "" {
			return Endpoint{}, 0, fmt.Errorf("%q has no address", trunc(s))
		}
		return e, fam, fmt.Errorf("%q is not an IP address (netstat cuts long ones)", trunc(host))
	}
	e.Addr = a.String()
	if a.Is4() {
		return e, 4, nil
	}
	return e, 6, nil
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// ParseProcNet reads /proc/net/tcp, tcp6, udp or udp6; proto names which. Addresses
// are hex 32-bit words in the kernel's byte order: bigEndian is false on x86 and ARM,
// true on s390x, SPARC and big-endian POWER and MIPS. Ports are hex in network order.
// These sockets have no owners: /proc/net names only the uid and the inode.
func ParseProcNet(text, proto string, bigEndian bool) ([]Socket, error) {
	if !isProto(proto) {
		return nil, fmt.Errorf("unknown protocol %q", proto)
	}
	v6 := strings.HasSuffix(proto, "6")
	var out []Socket
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "sl" {
			continue
		}
		if len(f) < 10 || !strings.HasSuffix(f[0], ":") {
			pe.Add(n+1, "fewer columns than /proc/net prints")
			continue
		}
		local, err1 := procEndpoint(f[1], v6, bigEndian)
		remote, err2 := procEndpoint(f[2], v6, bigEndian)
		st, err3 := strconv.ParseUint(f[3], 16, 8)
		if err1 != nil || err2 != nil || err3 != nil {
			why := "state is not hex"
			if err1 != nil {
				why = "local address: " + err1.Error()
			} else if err2 != nil {
				why = "remote address: " + err2.Error()
			}
			pe.Add(n+1, "%s", why)
			continue
		}
		state, ok := procStates[st]
		if !ok {
			state = "UNKNOWN"
		}
		s := Socket{Proto: proto, State: state, Local: local, Remote: remote}
		if uid, err := strconv.Atoi(f[7]); err == nil && uid >= 0 {
			s.UID = &uid
		}
		if ino, err := strconv.ParseUint(f[9], 10, 64); err == nil {
			s.Inode = ino
		}
		out = append(out, s)
	}
	return out, pe.Err()
}

func procEndpoint(s string, v6, bigEndian bool) (Endpoint, error) {
	h, p, ok := strings.Cut(s, ":")
	if !ok {
		return Endpoint{}, fmt.Errorf("%q has no port", trunc(s))
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return Endpoint{}, fmt.Errorf("port %q is not hex", trunc(p))
	}
	want := 8
	if v6 {
		want = 32
	}
	raw, err := hex.DecodeString(h)
	if err != nil || len(h) != want {
		return Endpoint{}, fmt.Errorf("%q is not a %d-digit hex address", trunc(h), want)
	}
	if !bigEndian {
		// Each 32-bit word was printed from a little-endian load of bytes in
		// network order: reverse each word back.
		for w := 0; w+4 <= len(raw); w += 4 {
			raw[w], raw[w+1], raw[w+2], raw[w+3] = raw[w+3], raw[w+2], raw[w+1], raw[w]
		}
	}
	var a netip.Addr
	if v6 {
		a = netip.AddrFrom16([16]byte(raw))
	} else {
		a = netip.AddrFrom4([4]byte(raw))
	}
	return Endpoint{Addr: a.String(), Port: int(port)}, nil
}
