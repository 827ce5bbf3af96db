package snapshot

import "testing"

func TestAddressReach(t *testing.T) {
	for addr, want := range map[string]Reach{
		"":                 ReachAll,
		"*":                ReachAll,
		"0.0.0.0":          ReachAll,
		"::":               ReachAll,
		"[::]":             ReachAll,
		"::ffff:0.0.0.0":   ReachAll,
		"127.0.0.1":        ReachLoopback,
		"127.0.1.1":        ReachLoopback,
		"::1":              ReachLoopback,
		"[::1]":            ReachLoopback,
		"::ffff:127.0.0.1": ReachLoopback,
		"localhost":        ReachLoopback,
		"10.231.0.10":      ReachHost,
		"fe80::1%eth0":     ReachHost,
		"[2001:db8::5]":    ReachHost,
		"legacy.example":   ReachHost,
	} {
		if got := AddressReach(addr); got != want {
			t.Errorf("AddressReach(%q) = %s, want %s", addr, got, want)
		}
	}
}

func TestSplitListen(t *testing.T) {
	type hp struct {
		host string
		port int
	}
	for in, want := range map[string]hp{
		"*:80":          {"*", 80},
		"[::]:443":      {"::", 443},
		"10.0.0.5:8080": {"10.0.0.5", 8080},
		"8080":          {"", 8080},
		":80":           {"", 80},
		"::1":           {"::1", 0},
		"[::1]":         {"::1", 0},
		"example.org":   {"example.org", 0},
		"*:http":        {"*", 0},
		"":              {"", 0},
	} {
		h, p := SplitListen(in)
		if h != want.host || p != want.port {
			t.Errorf("SplitListen(%q) = %q, %d; want %q, %d", in, h, p, want.host, want.port)
		}
	}
}

func TestJoinHostPort(t *testing.T) {
	for _, c := range []struct {
		host string
		port int
		want string
	}{
		{"10.231.0.40", 514, "10.231.0.40:514"},
		{"::1", 25, "[::1]:25"},
		{"[2001:db8::1]", 443, "[2001:db8::1]:443"},
		{"loghost", 0, "loghost"},
	} {
		if got := JoinHostPort(c.host, c.port); got != c.want {
			t.Errorf("JoinHostPort(%q, %d) = %q, want %q", c.host, c.port, got, c.want)
		}
	}
}

func TestListenerPassing(t *testing.T) {
	for _, c := range []struct {
		name string
		l    Listener
		want bool
	}{
		{"a server's port", Listener{Port: 3306}, false},
		{"a worker's own loopback port", Listener{Port: 41234, Ephemeral: "a Passenger worker's", Service: "apache2"}, true},
		{"an unclaimed port the kernel picked", Listener{Port: 41234}, true},
		{"a service's own high port", Listener{Port: 50000, Service: "jenkins"}, false},
		{"mysqlx, high on purpose", Listener{Port: 33060}, false},
		{"just below the range", Listener{Port: EphemeralFrom - 1}, false},
	} {
		if got := c.l.Passing(); got != c.want {
			t.Errorf("%s: Passing() = %v, want %v", c.name, got, c.want)
		}
	}
}
