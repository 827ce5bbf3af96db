package snapshot

import (
	"cmp"
	"net"
	"strconv"
	"strings"
)

// Reach is how far a listening address can be reached: from everywhere, from this
// host only, or on one of the host's own addresses (which differs between two hosts
// by nature). Every consumer asks this one question the same way.
type Reach string

const (
	ReachAll      Reach = "all"      // the wildcard address: every interface
	ReachLoopback Reach = "loopback" // 127.0.0.0/8, ::1, and IPv4-mapped loopback
	ReachHost     Reach = "host"     // one address of the host's own
)

// AddressReach sorts a listening address as ss, netstat, a config or a spec writes
// it: "0.0.0.0", "*", "[::]", "::", "127.0.0.1", "::ffff:127.0.0.1", "fe80::1%eth0",
// "10.0.0.5". An empty address is the wildcard, as in "Listen 80".
func AddressReach(addr string) Reach {
	a := strings.Trim(strings.TrimSpace(addr), "[]")
	if i := strings.IndexByte(a, '%'); i >= 0 {
		a = a[:i]
	}
	if a == "" || a == "*" {
		return ReachAll
	}
	ip := net.ParseIP(a)
	switch {
	case ip == nil:
		// A name: "localhost" is loopback wherever it is written; any other name is
		// one address of the host's.
		if a == "localhost" || strings.HasPrefix(a, "localhost.") {
			return ReachLoopback
		}
		return ReachHost
	case ip.IsUnspecified():
		return ReachAll
	case ip.IsLoopback():
		return ReachLoopback
	}
	return ReachHost
}

// Reach is how far the listener can be reached.
func (l Listener) Reach() Reach { return AddressReach(l.Address) }

// ProtoFamily is a socket's protocol without its IP version: "tcp" for tcp and tcp6.
func ProtoFamily(proto string) string { return strings.TrimSuffix(proto, "6") }

// Family is the protocol without its IP version: "tcp" for tcp and tcp6.
func (l Listener) Family() string { return ProtoFamily(l.Proto) }

// Family is the protocol without its IP version. The survey writes a connection's
// so already; a snapshot of an older trowel may say tcp6.
func (c Connection) Family() string { return ProtoFamily(c.Proto) }

// Family is the protocol without its IP version, as for a Connection.
func (c Client) Family() string { return ProtoFamily(c.Proto) }

// HostPort is the listener's address and port, bracketed for IPv6: "[::]:443".
func (l Listener) HostPort() string { return JoinHostPort(l.Address, l.Port) }

// HostPort is "host:port" ("[v6]:port"), or the host alone when no port is known.
func (e Endpoint) HostPort() string { return JoinHostPort(e.Host, e.Port) }

// HostPort is the remote end of the connection: "10.0.0.20:3306", "[2001:db8::5]:443".
func (c Connection) HostPort() string { return JoinHostPort(c.RemoteAddress, c.RemotePort) }

// JoinHostPort writes an address and port as a client would dial it; port 0 means
// unknown, and leaves the address alone.
func JoinHostPort(host string, port int) string {
	if port == 0 {
		return host
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), strconv.Itoa(port))
}

// SplitListen reads a listen specification as web servers and sockets write it —
// "*:80", "[::]:443", "10.0.0.5:8080", "8080", ":80" — into its address ("" for
// none) and port (0 when there is none or it is not a number).
func SplitListen(listen string) (host string, port int) {
	l := strings.TrimSpace(listen)
	i := strings.LastIndexByte(l, ':')
	bracketed := strings.HasPrefix(l, "[")
	if i < 0 || (!bracketed && strings.Count(l, ":") > 1) || (bracketed && strings.HasSuffix(l, "]")) {
		// A port alone, or a bare IPv6 address without a port.
		if n, err := strconv.Atoi(l); err == nil {
			return "", n
		}
		return strings.Trim(l, "[]"), 0
	}
	// A port written as a service name ("*:http") is no number we can compare.
	n, _ := strconv.Atoi(l[i+1:])
	return strings.Trim(l[:i], "[]"), n
}

// Port is the port a virtual host listens on, 0 when its Listen says none.
func (v VHost) Port() int {
	_, p := SplitListen(v.Listen)
	return p
}

// DefaultVHostName names a virtual host without a ServerName: the one that takes
// the requests no other name claims on its address.
const DefaultVHostName = "(default)"

// Name is the virtual host's ServerName, or DefaultVHostName: what the spec names
// a site by, and what verify and diff find it by again.
func (v VHost) Name() string { return cmp.Or(v.ServerName, DefaultVHostName) }

// EphemeralFrom is where Linux's default ip_local_port_range starts: a port above it
// that no service claims is usually one the kernel picked (RPC, passive FTP, a
// worker's), different at every start.
const EphemeralFrom = 32768

// knownHighPorts are servers that listen above EphemeralFrom on purpose.
var knownHighPorts = map[int]bool{33060: true /* mysqlx */}

// Passing reports whether the listener is no promise a replacement must keep: a
// worker's own port (Ephemeral says why), or a port in the kernel's ephemeral range
// that neither a service nor a well-known server holds. The diff does not compare
// such ports and the spec does not expect them.
func (l Listener) Passing() bool {
	if l.Ephemeral != "" {
		return true
	}
	return l.Port >= EphemeralFrom && l.Service == "" && !knownHighPorts[l.Port]
}
