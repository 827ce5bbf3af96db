package listeners

import (
	"net/netip"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Footprint tells the survey's own sockets (see snapshot.Session) from the host's.
type Footprint struct {
	pids    map[int]bool
	inodes  map[uint64]bool
	conn    [2]netip.AddrPort
	hasConn bool
}

// NewFootprint reads the session the self surveyor traced; nil knows no socket.
func NewFootprint(sess *snapshot.Session) Footprint {
	f := Footprint{pids: map[int]bool{}, inodes: map[uint64]bool{}}
	if sess == nil {
		return f
	}
	for _, p := range sess.PIDs {
		f.pids[p] = true
	}
	for _, i := range sess.Sockets {
		f.inodes[i] = true
	}
	c, err1 := netip.ParseAddrPort(sess.Client)
	s, err2 := netip.ParseAddrPort(sess.Server)
	if err1 == nil && err2 == nil {
		unmap := func(a netip.AddrPort) netip.AddrPort { return netip.AddrPortFrom(a.Addr().Unmap(), a.Port()) }
		f.conn, f.hasConn = [2]netip.AddrPort{unmap(c), unmap(s)}, true
	}
	return f
}

// Owns reports whether a socket is the survey's own: every process holding it is the
// survey's, it is one of the sockets the survey's way in held, or it is the SSH
// connection the survey came in by, seen from either end (the server's, or the
// client's where trowel runs on the host it surveys).
func (f Footprint) Owns(s Socket) bool {
	if s.Inode != 0 && f.inodes[s.Inode] {
		return true
	}
	if len(s.Owners) > 0 {
		all := true
		for _, o := range s.Owners {
			all = all && o.PID > 0 && f.pids[o.PID]
		}
		if all {
			return true
		}
	}
	if !f.hasConn {
		return false
	}
	l, r := addrPort(s.Local), addrPort(s.Remote)
	return (l == f.conn[1] && r == f.conn[0]) || (l == f.conn[0] && r == f.conn[1])
}

// Drop returns the sockets that are not the survey's own, and how many were.
func (f Footprint) Drop(socks []Socket) ([]Socket, int) {
	var out []Socket
	for _, s := range socks {
		if !f.Owns(s) {
			out = append(out, s)
		}
	}
	return out, len(socks) - len(out)
}

func addrPort(e Endpoint) netip.AddrPort {
	a, err := netip.ParseAddr(e.Addr)
	if err != nil || e.Port <= 0 || e.Port > 65535 {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(a.Unmap(), uint16(e.Port))
}

// Sockets is "socket" or "sockets", to count n of them.
func Sockets(n int) string {
	if n == 1 {
		return "socket"
	}
	return "sockets"
}
