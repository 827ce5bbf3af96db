package diff

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestListenerReachWords: the reach snapshot decides is said in diff's own words,
// and a listener's source names its address as a client would dial it.
func TestListenerReachWords(t *testing.T) {
	for _, tc := range []struct {
		proto, addr string
		bind, ref   string
	}{
		{"tcp", "0.0.0.0", "all", "tcp 0.0.0.0:80 (cmd:ss)"},
		{"tcp6", "::", "all", "tcp6 [::]:80 (cmd:ss)"},
		{"tcp6", "[::]", "all", "tcp6 [::]:80 (cmd:ss)"},
		{"tcp", "127.0.0.1", "loopback", "tcp 127.0.0.1:80 (cmd:ss)"},
		{"tcp6", "[::1]", "loopback", "tcp6 [::1]:80 (cmd:ss)"},
		{"tcp", "10.0.0.5", "address", "tcp 10.0.0.5:80 (cmd:ss)"},
		{"tcp6", "fe80::1%eth0", "address", "tcp6 [fe80::1%eth0]:80 (cmd:ss)"},
	} {
		s := &snapshot.Snapshot{Listeners: []snapshot.Listener{{Proto: tc.proto, Address: tc.addr, Port: 80, Evidence: "cmd:ss"}}}
		items := listenerItems(s)
		if len(items) != 1 || items[0].key != "tcp/80" || items[0].fields[0].value != tc.bind || items[0].refs[0] != tc.ref {
			t.Errorf("%s %s: %+v, want tcp/80 bound to %s, cited as %q", tc.proto, tc.addr, items, tc.bind, tc.ref)
		}
		if (tc.bind == "all") != (items[0].notable == "all_interfaces") {
			t.Errorf("%s %s: notable %q", tc.proto, tc.addr, items[0].notable)
		}
	}
}

// A worker's own port differs at every start: it is no difference between hosts,
// wherever the host's port range puts it.
func TestListenerWorkersOwnPortsAreNoDifference(t *testing.T) {
	s := &snapshot.Snapshot{Listeners: []snapshot.Listener{
		{Proto: "tcp", Address: "127.0.0.1", Port: 20001, Ephemeral: "a worker's own port", Evidence: "cmd:ss"},
		{Proto: "tcp", Address: "127.0.0.1", Port: 9000, Evidence: "cmd:ss"},
	}}
	if items := listenerItems(s); len(items) != 1 || items[0].key != "tcp/9000" {
		t.Errorf("items %+v", items)
	}
}
