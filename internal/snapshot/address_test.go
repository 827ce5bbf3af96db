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
