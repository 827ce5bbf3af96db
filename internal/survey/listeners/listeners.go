// Package listeners surveys the sockets that accept connections: from `ss -tuanp`,
// else `netstat -tuanp`, else /proc/net/{tcp,tcp6,udp,udp6} (which name no owners).
// ParseSockets reads every socket, connections included, for whoever later maps the
// host's outbound dependencies; the listeners are a filter over it.
//
// Addresses are normalised to Go's canonical text: "0.0.0.0", "::", "127.0.0.1", "::1",
// "::ffff:10.0.0.1". The protocol is that of the local address: tcp6 for an IPv6
// socket even where net-tools 1.60 (CentOS 5–6) prints "tcp". ss's "*" is read by the
// style of the output, see ParseSockets. A socket bound to a device keeps it after a
// "%" ("0.0.0.0%virbr0", "127.0.0.53%lo"), as ss prints it: the snapshot has no field
// for it, and dropping it would merge dnsmasq's per-bridge socket with a wildcard one.
package listeners

import (
	"fmt"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Listening returns the listening sockets, one per protocol, address, device and port
// (SO_REUSEPORT and forked servers show one socket several times; their owners are
// merged), sorted by protocol, port and address.
func Listening(socks []Socket) []Socket {
	type key struct {
		proto, addr, iface string
		port               int
	}
	idx := map[key]int{}
	var out []Socket
	for _, s := range socks {
		if !s.Listening() {
			continue
		}
		k := key{s.Proto, s.Local.Addr, s.Local.Iface, s.Local.Port}
		if i, ok := idx[k]; ok {
			for _, o := range s.Owners {
				if !hasOwner(out[i].Owners, o) {
					out[i].Owners = append(out[i].Owners, o)
				}
			}
			continue
		}
		s.Owners = append([]Owner(nil), s.Owners...)
		idx[k] = len(out)
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Proto != b.Proto {
			return a.Proto < b.Proto
		}
		if a.Local.Port != b.Local.Port {
			return a.Local.Port < b.Local.Port
		}
		if a.Local.Addr != b.Local.Addr {
			return a.Local.Addr < b.Local.Addr
		}
		return a.Local.Iface < b.Local.Iface
	})
	return out
}

func hasOwner(list []Owner, o Owner) bool {
	for _, x := range list {
		if x.PID == o.PID && x.Name == o.Name {
			return true
		}
	}
	return false
}

// MainOwner picks the process to name for a socket several processes hold (nginx's
// master and workers): the one whose parent is not among them, by the process tree
// when one is known (ppid maps pid to parent), else the lowest PID, which is the
// parent's in the common case of a server that forks its workers after binding.
func MainOwner(owners []Owner, ppid map[int]int) Owner {
	if len(owners) == 0 {
		return Owner{FD: -1}
	}
	held := map[int]bool{}
	for _, o := range owners {
		held[o.PID] = true
	}
	var best *Owner
	for i := range owners {
		o := &owners[i]
		if p, ok := ppid[o.PID]; ok && held[p] && p != o.PID {
			continue // a child of another holder
		}
		if best == nil || (best.PID == 0 && o.PID != 0) || (o.PID != 0 && o.PID < best.PID) {
			best = o
		}
	}
	if best == nil {
		best = &owners[0] // a cycle in damaged input
	}
	return *best
}

// Address is the listener address as the snapshot holds it: the address, and the
// device after "%" when the socket is bound to one.
func Address(e Endpoint) string {
	if e.Iface != "" {
		return e.Addr + "%" + e.Iface
	}
	return e.Addr
}

// Surveyor fills Listeners and the listeners coverage.
type Surveyor struct{}

// New returns the listeners surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "listeners" }

var procFiles = []struct{ path, proto string }{
	{"/proc/net/tcp", "tcp"}, {"/proc/net/tcp6", "tcp6"}, {"/proc/net/udp", "udp"}, {"/proc/net/udp6", "udp6"},
}

// Survey reads ss, netstat or /proc/net.
func (Surveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionListeners
	in.Snap.Listeners = []snapshot.Listener{}
	ss, ns := in.Cmd("ss"), in.Cmd("netstat")
	var procs []*evidence.Item
	for _, f := range procFiles {
		procs = append(procs, in.File(f.path))
	}
	if in.Offline() || (ss.Status == evidence.StatusOffline && !kit.Usable(ns) && !kit.Usable(procs[0])) {
		in.Cover(sec, snapshot.Unavailable, "offline: nothing listens on a disk image", ss, ns)
		return
	}
	ppid := map[int]int{}
	for _, p := range in.Snap.Processes {
		ppid[p.PID] = p.PPID
	}
	root := in.Archive.Header["uid"] == "0"
	self := NewFootprint(in.Snap.Source.Session)

	var notes []string
	if src := kit.FirstUsable(ss, ns); src != nil {
		st, why := kit.StatusOf(src)
		if why != "" {
			notes = append(notes, why)
		}
		socks, err := ParseSockets(kit.CompleteLines(src))
		if err != nil && len(socks) == 0 {
			// Nothing readable: /proc/net below still tells what listens.
			notes = append(notes, src.Source()+" printed nothing this trowel can read: "+err.Error())
		} else {
			if err != nil {
				st = kit.WorseOf(st, snapshot.Partial)
				notes = append(notes, src.Source()+": "+err.Error())
			}
			id := in.Cite(src)
			ownerless := 0
			listening, mine := self.Drop(Listening(socks))
			for _, s := range listening {
				l := listener(s, ppid, id)
				if l.PID == 0 && l.Process == "" {
					ownerless++
				}
				in.Snap.Listeners = append(in.Snap.Listeners, l)
			}
			if mine > 0 {
				notes = append(notes, fmt.Sprintf("left out: %d %s of the survey itself", mine, Sockets(mine)))
			}
			cited := []*evidence.Item{src}
			if why, it := markWorkers(in); why != "" {
				notes = append(notes, why)
				cited = append(cited, it)
			}
			// As root an ownerless socket is the kernel's (NFS's lockd, nfsd): the
			// truth. Otherwise it may be another user's, hidden from us.
			if ownerless > 0 && !root {
				st = kit.WorseOf(st, snapshot.Partial)
				notes = append(notes, "not root: the owning processes of other users' sockets are hidden")
			}
			in.Cover(sec, st, strings.Join(notes, "; "), cited...)
			return
		}
	}

	// The last resort: /proc/net, without owners.
	big := bigEndian(in)
	var used []*evidence.Item
	st := snapshot.Partial
	for i, f := range procFiles {
		it := procs[i]
		if !kit.Usable(it) {
			// A missing tcp6 or udp6 is a kernel without IPv6: nothing hidden.
			if it.Status == evidence.StatusAbsent && f.proto != "tcp" && f.proto != "udp" {
				continue
			}
			if f.proto == "tcp" {
				st2, _ := kit.StatusOf(it)
				tried := []*evidence.Item{ss, ns, it}
				in.Cover(sec, st2, kit.Explain(tried...), tried...)
				return
			}
			notes = append(notes, it.Problem())
			continue
		}
		if s2, why := kit.StatusOf(it); s2 == snapshot.Partial {
			notes = append(notes, why)
		}
		socks, err := ParseProcNet(kit.CompleteLines(it), f.proto, big)
		if err != nil {
			notes = append(notes, it.Name+": "+err.Error())
		}
		id := in.Cite(it)
		listening, _ := self.Drop(Listening(socks))
		for _, s := range listening {
			in.Snap.Listeners = append(in.Snap.Listeners, listener(s, nil, id))
		}
		used = append(used, it)
	}
	sortListeners(in.Snap.Listeners)
	var failed []*evidence.Item
	for _, it := range []*evidence.Item{ss, ns} {
		if !kit.Usable(it) && it.Status != evidence.StatusMissing && it.Status != evidence.StatusSkipped {
			failed = append(failed, it)
		}
	}
	head := "only /proc/net was read, and it names no owning process"
	if len(failed) > 0 {
		head += " (" + kit.Explain(failed...) + ")"
	}
	in.Cover(sec, st, strings.Join(append([]string{head}, notes...), "; "), append([]*evidence.Item{ss, ns}, used...)...)
}

// markWorkers sets Ephemeral on the ports servers' workers bound for their own use
// (see WorkerPort). When it marked any, it says so and by which port range, and
// returns the item the range was read from (nil for Linux's default).
func markWorkers(in *kit.Input) (string, *evidence.Item) {
	r, it := portRange(in)
	byPID := map[int]*snapshot.Process{}
	for i := range in.Snap.Processes {
		byPID[in.Snap.Processes[i].PID] = &in.Snap.Processes[i]
	}
	n := 0
	for i := range in.Snap.Listeners {
		l := &in.Snap.Listeners[i]
		if l.Ephemeral = WorkerPort(*l, r, byPID); l.Ephemeral != "" {
			n++
		}
	}
	if n == 0 {
		return "", nil
	}
	return fmt.Sprintf("%d ports are workers' own, chosen anew at each start (loopback, in the ephemeral range %s): kept, but not expected of a replacement", n, r), it
}

// portRange is the host's ip_local_port_range, from its /proc file or the values in
// force the kernel step read, else Linux's default; the item is the one read.
func portRange(in *kit.Input) (PortRange, *evidence.Item) {
	if it := in.File(probe.PortRangeFile); kit.Usable(it) {
		if r, ok := ParsePortRange(it.Text()); ok {
			return r, it
		}
	}
	if it := in.Cmd("sysctl-live"); kit.Usable(it) {
		for _, line := range strings.Split(it.Text(), "\n") {
			if v, ok := strings.CutPrefix(line, probe.PortRangeFile+":"); ok {
				if r, ok := ParsePortRange(v); ok {
					return r, it
				}
			}
		}
	}
	return DefaultPortRange, nil
}

func listener(s Socket, ppid map[int]int, id string) snapshot.Listener {
	o := MainOwner(s.Owners, ppid)
	return snapshot.Listener{
		Proto:    s.Proto,
		Address:  Address(s.Local),
		Port:     s.Local.Port,
		PID:      o.PID,
		Process:  o.Name,
		Evidence: id,
	}
}

func sortListeners(ls []snapshot.Listener) {
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if a.Proto != b.Proto {
			return a.Proto < b.Proto
		}
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		return a.Address < b.Address
	})
}

// bigEndian tells from `uname -m` (the fourth line of the uname item) how the kernel
// printed /proc/net's address words. Without it, little-endian is assumed: every
// x86 and ARM server is.
func bigEndian(in *kit.Input) bool {
	it := in.Cmd("uname")
	if !kit.Usable(it) {
		return false
	}
	lines := strings.Split(it.Text(), "\n")
	if len(lines) < 4 {
		return false
	}
	return IsBigEndian(strings.TrimSpace(lines[3]))
}

// IsBigEndian reports whether a `uname -m` machine is big-endian.
func IsBigEndian(machine string) bool {
	switch machine {
	case "s390", "s390x", "ppc", "ppc64", "sparc", "sparc64", "mips", "mips64", "m68k", "armeb", "aarch64_be", "parisc", "parisc64", "hppa":
		return true
	}
	return false
}
