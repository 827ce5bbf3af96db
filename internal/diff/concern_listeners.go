package diff

import (
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernListeners are the listening ports, by protocol and port, with how far
// each can be reached.
const ConcernListeners Concern = "listeners"

var listenersConcern = concern{id: ConcernListeners, section: snapshot.SectionListeners, read: eachSide(listenerItems)}

// ephemeralFrom is where Linux's default ip_local_port_range starts: a listener
// above it is usually a port the kernel picked (RPC, passive FTP), different at
// every start.
const ephemeralFrom = 32768

// knownHighPorts are services that listen above ephemeralFrom on purpose.
var knownHighPorts = map[int]bool{33060: true /* mysqlx */}

func listenerItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, l := range s.Listeners {
		if l.Port >= ephemeralFrom && !knownHighPorts[l.Port] {
			continue
		}
		proto := strings.TrimSuffix(l.Proto, "6")
		class := addressClass(l.Address)
		it := item{
			key:    proto + "/" + strconv.Itoa(l.Port),
			label:  proto + "/" + strconv.Itoa(l.Port),
			fields: []field{{"bind", class}},
			refs:   []string{listenerRef(l)},
		}
		if class == "all" {
			it.notable = "all_interfaces"
		}
		out = append(out, it)
	}
	items := merge(out)
	// The process is said in the label after merging, so tcp and tcp6
	// sockets of one daemon read as one line.
	names := map[string][]string{}
	for _, l := range s.Listeners {
		k := strings.TrimSuffix(l.Proto, "6") + "/" + strconv.Itoa(l.Port)
		if l.Process != "" {
			names[k] = appendUnique(names[k], l.Process)
		}
	}
	for i := range items {
		if n := names[items[i].key]; len(n) > 0 {
			sort.Strings(n)
			items[i].label += " (" + strings.Join(n, ", ") + ")"
		}
	}
	return items
}

// addressClass is how far a listener is reachable: loopback, all interfaces, or
// one address (which differs between two hosts by nature, so it is not kept).
func addressClass(addr string) string {
	a := strings.Trim(addr, "[]")
	if i := strings.Index(a, "%"); i >= 0 {
		a = a[:i]
	}
	switch a {
	case "", "*", "0.0.0.0", "::":
		return "all"
	}
	if ip := net.ParseIP(a); ip != nil && ip.IsLoopback() {
		return "loopback"
	}
	return "address"
}

func listenerRef(l snapshot.Listener) string {
	return l.Proto + " " + net.JoinHostPort(l.Address, strconv.Itoa(l.Port)) + " (" + l.Evidence + ")"
}
