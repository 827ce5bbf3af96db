package spec

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A port is expected on the reach of the address it listened on: all addresses
// ("*"), loopback (an IPv4-mapped one too), or the old host's own, which any
// non-loopback address may replace.
func TestDerivePortsByReach(t *testing.T) {
	s := &snapshot.Snapshot{Host: snapshot.Host{Hostname: "legacy"},
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionListeners: {Status: snapshot.Collected}},
		Listeners: []snapshot.Listener{
			{Proto: "tcp6", Address: "::", Port: 80, Process: "apache2"},
			{Proto: "tcp", Address: "0.0.0.0", Port: 80, Process: "apache2"},
			{Proto: "tcp6", Address: "::ffff:127.0.0.1", Port: 6379, Process: "redis-server"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 6379, Process: "redis-server"},
			{Proto: "tcp", Address: "10.0.0.1", Port: 3306, Process: "mysqld"},
		}}
	var got []string
	for _, e := range Derive(s, "x").Expectations {
		p := bodyOf[Port](t, e)
		got = append(got, e.ID+" "+p.Address+" "+p.Socket+" "+strings.Join(e.Allow, ",")+" "+e.From.Source)
	}
	// The socket is the first listener's, the one the source names: goss checks
	// Apache's dual-stack [::]:80 as tcp6:80.
	want := []string{
		"port:tcp/80 * tcp6  tcp6 [::]:80",
		"port:tcp/6379@loopback ::ffff:127.0.0.1 tcp6  tcp6 [::ffff:127.0.0.1]:6379",
		"port:tcp/3306@10.0.0.1 10.0.0.1 tcp address tcp 10.0.0.1:3306",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A worker's own port is kept in the snapshot but expected of no replacement; a
// port the server was configured with, loopback too, is, and so is a worker's port
// in a range an admin moved below the default.
func TestDerivePortsLeavesWorkersOwnPorts(t *testing.T) {
	s := &snapshot.Snapshot{
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionListeners: {Status: snapshot.Collected}},
		Listeners: []snapshot.Listener{
			{Proto: "tcp", Address: "127.0.0.1", Port: 9000, Process: "php-fpm7.4", Service: "php7.4-fpm"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 38211, Process: "php-fpm7.4", Service: "php7.4-fpm", Ephemeral: "a worker's own port"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 53644, Process: "Passenger RackA", Service: "apache2", Ephemeral: "a worker's own port"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 20001, Process: "ruby", Service: "puma", Ephemeral: "a worker's own port"},
		}}
	var got []string
	for _, e := range Derive(s, "x").Expectations {
		got = append(got, e.ID)
	}
	if strings.Join(got, " ") != "port:tcp/9000@loopback" {
		t.Errorf("expectations %v", got)
	}
}
