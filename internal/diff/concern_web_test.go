package diff

import (
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// TestVHostIdentity: a virtual host is the same on two hosts when its name and
// port are, whatever address it listens on; a port written as a service name
// still tells two virtual hosts apart.
func TestVHostIdentity(t *testing.T) {
	key := func(listen string) string { return vhostPort(snapshot.VHost{Listen: listen}) }
	for _, same := range [][2]string{{"*:80", "10.0.0.5:80"}, {"80", "[::]:80"}, {"*:http", "*:http"}} {
		if key(same[0]) != key(same[1]) {
			t.Errorf("%s and %s are different vhosts: %q, %q", same[0], same[1], key(same[0]), key(same[1]))
		}
	}
	for _, apart := range [][2]string{{"*:80", "*:443"}, {"*:http", "*:https"}, {"*:80", ""}} {
		if key(apart[0]) == key(apart[1]) {
			t.Errorf("%s and %s are one vhost: %q", apart[0], apart[1], key(apart[0]))
		}
	}
}
