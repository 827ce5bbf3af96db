package self

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/processes"
)

// Item is what the probe's self item says (see the probe's _self).
type Item struct {
	// PID is the probe's own shell.
	PID int
	// Client and Server are the ends of the SSH connection from SSH_CONNECTION (or
	// TROWEL_SSH_CONNECTION); invalid when the probe was not started over SSH.
	Client, Server netip.AddrPort
	// SudoUser is SUDO_USER: the account that ran sudo.
	SudoUser string
	// Chain is the probe and its ancestors, nearest first, as /proc showed them. A
	// process's UID is its real uid: for sudo or su, the account that ran them.
	Chain []processes.Proc
	// Sockets are the socket inodes each process of the chain held.
	Sockets map[int][]uint64
}

// ParseItem reads the self item: tab-separated lines "pid", "ssh", "sudo_user",
// "sudo_uid", "proc PID PPID UID NAME ARGS" and "sock PID INODE". Lines it does not
// know are skipped, so a newer probe's additions do not break an older reader.
func ParseItem(text string) (Item, error) {
	it := Item{Sockets: map[int][]uint64{}}
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		switch f[0] {
		case "pid":
			if len(f) < 2 {
				pe.Add(n+1, "pid without a value")
				continue
			}
			pid, err := strconv.Atoi(f[1])
			if err != nil || pid <= 0 {
				pe.Add(n+1, "pid is not a process id")
				continue
			}
			it.PID = pid
		case "ssh":
			if len(f) < 2 {
				continue
			}
			c, s, ok := sshConnection(f[1])
			if !ok {
				pe.Add(n+1, "SSH_CONNECTION is not two addresses and ports")
				continue
			}
			it.Client, it.Server = c, s
		case "sudo_user":
			if len(f) >= 2 {
				it.SudoUser = strings.TrimSpace(f[1])
			}
		case "proc":
			if len(f) < 5 {
				pe.Add(n+1, "a process line with fewer than 5 columns")
				continue
			}
			pid, err1 := strconv.Atoi(f[1])
			ppid, err2 := strconv.Atoi(f[2])
			if err1 != nil || err2 != nil || pid <= 0 || ppid < 0 {
				pe.Add(n+1, "pid and ppid are not numbers")
				continue
			}
			uid, err := strconv.Atoi(f[3])
			if err != nil || uid < 0 {
				uid = -1
			}
			cmd := ""
			if len(f) >= 6 {
				cmd = strings.TrimSpace(strings.Join(f[5:], " "))
			}
			if cmd == "" {
				cmd = "[" + f[4] + "]"
			}
			it.Chain = append(it.Chain, processes.Proc{PID: pid, PPID: ppid, UID: uid, Comm: f[4], Command: cmd, Ticks: -1})
		case "sock":
			if len(f) < 3 {
				continue
			}
			pid, err1 := strconv.Atoi(f[1])
			ino, err2 := strconv.ParseUint(f[2], 10, 64)
			if err1 != nil || err2 != nil || ino == 0 {
				pe.Add(n+1, "a socket line without a pid and an inode")
				continue
			}
			it.Sockets[pid] = append(it.Sockets[pid], ino)
		}
	}
	return it, pe.Err()
}

// sshConnection reads SSH_CONNECTION: "CLIENT-IP CLIENT-PORT SERVER-IP SERVER-PORT".
func sshConnection(v string) (client, server netip.AddrPort, ok bool) {
	f := strings.Fields(v)
	if len(f) != 4 {
		return client, server, false
	}
	ap := func(addr, port string) (netip.AddrPort, bool) {
		a, err := netip.ParseAddr(addr)
		p, err2 := strconv.ParseUint(port, 10, 16)
		if err != nil || err2 != nil || p == 0 {
			return netip.AddrPort{}, false
		}
		return netip.AddrPortFrom(a.Unmap().WithZone(""), uint16(p)), true
	}
	c, ok1 := ap(f[0], f[1])
	s, ok2 := ap(f[2], f[3])
	return c, s, ok1 && ok2
}
