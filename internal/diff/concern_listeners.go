package diff

import (
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernListeners are the listening ports, by protocol and port, with how far
// each can be reached.
const ConcernListeners Concern = "listeners"

var listenersConcern = concern{id: ConcernListeners, section: snapshot.SectionListeners, read: eachSide(listenerItems)}

func listenerItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, l := range s.Listeners {
		if l.Passing() {
			continue
		}
		reach := l.Reach()
		it := item{
			key:    listenerKey(l),
			label:  listenerKey(l),
			fields: []field{{"bind", reachWords[reach]}},
			refs:   []string{l.Proto + " " + l.HostPort() + " (" + l.Evidence + ")"},
		}
		if reach == snapshot.ReachAll {
			it.notable = "all_interfaces"
		}
		out = append(out, it)
	}
	items := merge(out)
	// The process is said in the label after merging, so tcp and tcp6 sockets
	// of one daemon read as one line.
	names := map[string][]string{}
	for _, l := range s.Listeners {
		if l.Process != "" {
			names[listenerKey(l)] = snapshot.AppendNew(names[listenerKey(l)], l.Process)
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

// listenerKey is "tcp/80" for a tcp and a tcp6 socket alike: the address differs
// between two hosts by nature, the port is the service.
func listenerKey(l snapshot.Listener) string {
	return l.Family() + "/" + strconv.Itoa(l.Port)
}

// reachWords are the words diff has always said for a listener's reach, in its
// JSON and (as "v_"+word) in its labels.
var reachWords = map[snapshot.Reach]string{
	snapshot.ReachAll:      "all",
	snapshot.ReachLoopback: "loopback",
	snapshot.ReachHost:     "address",
}

func isReachWord(v string) bool {
	for _, w := range reachWords {
		if v == w {
			return true
		}
	}
	return false
}
