package listeners

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// brief renders sockets one per line, for comparisons that read like the input.
func brief(socks []Socket) []string {
	var out []string
	for _, s := range socks {
		var owners []string
		for _, o := range s.Owners {
			owners = append(owners, fmt.Sprintf("%d/%s", o.PID, o.Name))
		}
		out = append(out, fmt.Sprintf("%s %s %s:%d %s:%d %s", s.Proto, s.State, Address(s.Local), s.Local.Port, Address(s.Remote), s.Remote.Port, strings.Join(owners, ",")))
	}
	return out
}

func check(t *testing.T, got []Socket, want ...string) {
	t.Helper()
	g := brief(got)
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(g, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestParseSocketsOldSS(t *testing.T) {
	// RHEL 7's ss: "*" is 0.0.0.0, IPv6 is bare; both users forms in one output.
	socks, err := ParseSockets(fixture(t, "Ss_TULPN.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"udp UNCONN 0.0.0.0:55898 0.0.0.0:0 ",
		"udp UNCONN 127.0.0.1:904 0.0.0.0:0 29559/rpc.statd",
		"udp UNCONN 0.0.0.0:111 0.0.0.0:0 953/rpcbind",
		"udp6 UNCONN :::37968 :::12345 29559/rpc.statd",
		"udp6 UNCONN :::57315 :::0 ",
		"udp6 UNCONN :::111 :::0 953/rpcbind",
		"tcp LISTEN 10.72.32.206:5900 0.0.0.0:0 9787/qemu-kvm",
		"tcp LISTEN 0.0.0.0:54322 0.0.0.0:0 929/ovirt-imageio-d",
		"tcp LISTEN 127.0.0.1:25 0.0.0.0:0 2612/master",
		"tcp LISTEN 0.0.0.0:34850 0.0.0.0:0 ",
		"tcp LISTEN 0.0.0.0:35752 0.0.0.0:0 ",
		"tcp6 LISTEN :::2223 :::0 1416/sshd",
		"tcp LISTEN 0.0.0.0:22 0.0.0.0:0 1231/sshd",
	)
	if fd := socks[12].Owners[0].FD; fd != 3 {
		t.Errorf("old-form fd %d", fd)
	}
}

func TestParseSocketsTCPUnconnIsUDP(t *testing.T) {
	socks, err := ParseSockets(fixture(t, "Ss_TUPNA.txt"))
	if err != nil {
		t.Fatal(err)
	}
	g := brief(socks)
	if g[0] != "udp UNCONN 0.0.0.0:68 0.0.0.0:0 1171/dhclient" || g[4] != "udp6 UNCONN :::111 :::0 483/rpcbind" {
		t.Errorf("got %v", g[:5])
	}
	if g[10] != "tcp ESTABLISHED 192.168.0.106:22 192.168.0.101:59232 11427/sshd" || g[11] != "tcp ESTABLISHED 192.168.0.106:739 192.168.0.105:2049 " {
		t.Errorf("established %v", g[10:12])
	}
	if n := len(Listening(socks)); n != 13 {
		t.Errorf("%d listeners, want 13 (15 sockets, 2 established)", n)
	}
}

func TestParseSocketsNewSS(t *testing.T) {
	// Newer iproute2: "*" is the dual-stack IPv6 wildcard.
	socks, err := ParseSockets(fixture(t, "SS_TULPN_2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	g := brief(socks)
	want := map[int]string{
		1:  "udp UNCONN 0.0.0.0%virbr0:67 0.0.0.0:0 ",
		10: "udp6 UNCONN ::1:323 :::0 ",
		18: "tcp6 LISTEN :::111 :::0 ",
		19: "tcp6 LISTEN :::80 :::0 ",
	}
	for i, w := range want {
		if g[i] != w {
			t.Errorf("socket %d: %q, want %q", i, g[i], w)
		}
	}
	if socks[1].Local.Iface != "virbr0" || socks[1].Local.Addr != "0.0.0.0" {
		t.Errorf("device binding %+v", socks[1].Local)
	}

	socks, err = ParseSockets(fixture(t, "ss_tuanp_new.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"udp UNCONN 127.0.0.53%lo:53 0.0.0.0:0 612/systemd-resolve",
		"udp6 UNCONN fe80::5054:ff:fe12:3456%eth0:546 :::0 590/systemd-network",
		"tcp LISTEN 0.0.0.0:80 0.0.0.0:0 1704/nginx,1703/nginx,1702/nginx",
		"tcp LISTEN 127.0.0.53%lo:53 0.0.0.0:0 612/systemd-resolve",
		"tcp LISTEN 0.0.0.0:22 0.0.0.0:0 801/sshd",
		"tcp6 LISTEN :::22 :::0 801/sshd",
		"tcp6 LISTEN :::3306 :::0 950/mariadbd",
		"tcp6 LISTEN ::ffff:10.0.0.1:8080 :::0 1200/java",
		"tcp ESTABLISHED 10.0.0.5:22 10.0.0.9:51514 2573/sshd,2571/sshd",
		"tcp ESTABLISHED 10.0.0.5:45678 10.0.0.20:5432 3333/Web Content",
	)
}

func TestParseSocketsEstablishedAndTimeWait(t *testing.T) {
	socks, err := ParseSockets(fixture(t, "SS_TUPNA_2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, s := range socks {
		states[s.State]++
	}
	if !reflect.DeepEqual(states, map[string]int{"UNCONN": 13, "ESTABLISHED": 8, "LISTEN": 9, "TIME-WAIT": 3}) {
		t.Errorf("states %v", states)
	}
	if s := socks[7]; s.Proto != "udp" || s.State != "ESTABLISHED" || s.Remote.Addr != "10.68.5.26" || s.Remote.Port != 53 || s.Listening() {
		t.Errorf("connected udp %+v", s)
	}
}

func TestParseSocketsNetstat(t *testing.T) {
	socks, err := ParseSockets(fixture(t, "netstat_tuanp_el5.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"tcp LISTEN 127.0.0.1:2208 0.0.0.0:0 2301/hpiod",
		"tcp LISTEN 0.0.0.0:111 0.0.0.0:0 2002/portmap",
		"tcp LISTEN 0.0.0.0:3306 0.0.0.0:0 2532/mysqld",
		"tcp LISTEN 127.0.0.1:25 0.0.0.0:0 2458/sendmail",
		"tcp ESTABLISHED 192.168.1.10:22 192.168.1.5:51234 3001/sshd",
		"tcp TIME-WAIT 192.168.1.10:41020 192.168.1.20:3306 ",
		"tcp6 LISTEN :::80 :::0 2502/httpd",
		"tcp6 LISTEN :::22 :::0 2411/sshd",
		"tcp6 LISTEN ::ffff:192.168.1.10:443 :::0 2502/httpd",
		"udp UNCONN 0.0.0.0:111 0.0.0.0:0 2002/portmap",
		"udp UNCONN 0.0.0.0:631 0.0.0.0:0 2350/cupsd",
		"udp ESTABLISHED 192.168.1.10:38010 192.168.1.1:53 2603/ntpd",
		"udp6 UNCONN :::5353 :::0 ",
	)

	// netstat -neopa: User, Inode and Timer around the owner; a UNIX section after.
	socks, err = ParseSockets(fixture(t, "NETSTAT.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"tcp ESTABLISHED 192.168.0.1:53 192.168.0.53:53 12/dnsd",
		"tcp LISTEN 0.0.0.0:5672 0.0.0.0:0 1279/qpidd",
		"tcp LISTEN 127.0.0.1:27017 0.0.0.0:0 2007/mongod",
		"tcp LISTEN 127.0.0.1:53644 0.0.0.0:0 12387/Passenger Rac",
		"tcp LISTEN 0.0.0.0:5646 0.0.0.0:0 1272/qdrouterd",
		"tcp SYN-RECV 10.24.1.245:80 10.24.36.145:32790 ",
	)

	socks, err = ParseSockets(fixture(t, "NETSTAT_CONTENT_BUT_NO_PARSED_LINES.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"tcp LISTEN 0.0.0.0:7788 0.0.0.0:0 7661/httpd.worker",
		"tcp6 LISTEN ::1:5432 :::0 1474/postmaster",
		"tcp6 LISTEN ::1:25 :::0 1569/master",
		"tcp6 LISTEN :::8443 :::0 1641/java",
	)

	socks, err = ParseSockets(fixture(t, "NETSTAT_CONTENT_BUT_NO_PID_PROGRAM.txt"))
	if err != nil || len(socks) != 4 || len(socks[0].Owners) != 0 {
		t.Errorf("no PID column: %v, %v", brief(socks), err)
	}
}

func TestParseSocketsBroken(t *testing.T) {
	var pe *kit.ParseError

	socks, err := ParseSockets(fixture(t, "NETSTAT_CONTENT_BUT_NO_LOCAL_ADDR_COLON.txt"))
	if len(socks) != 0 || !errors.As(err, &pe) || len(pe.Lines) != 2 || pe.Lines[0].Line != 3 {
		t.Errorf("ports in their own column: %v, %v", brief(socks), err)
	}

	socks, err = ParseSockets(fixture(t, "NETSTAT_TRUNCATED.txt"))
	if len(socks) != 0 || !errors.As(err, &pe) || len(pe.Lines) != 1 {
		t.Errorf("error message: %v, %v", brief(socks), err)
	}

	// Owners that are not PID/name are left unknown rather than guessed.
	socks, err = ParseSockets(fixture(t, "NETSTAT_TEST_RUNNING_PROCESSES.txt"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"tcp ESTABLISHED 192.168.0.1:53 192.168.0.53:53 12/dnsd",
		"tcp6 LISTEN ::1:5432 :::0 ",
		"tcp LISTEN 0.0.0.0:5672 0.0.0.0:0 ",
		"tcp LISTEN 127.0.0.1:27017 0.0.0.0:0 ",
		"tcp LISTEN 127.0.0.1:53644 0.0.0.0:0 12387/Passenger Rac",
		"tcp LISTEN 0.0.0.0:5646 0.0.0.0:0 1272/qdrouterd",
	)

	// Good lines around bad ones are kept; a cut IPv6 address is kept as printed.
	in := "tcp        0      0 0.0.0.0:22   0.0.0.0:*   LISTEN      1/sshd\n" +
		"tcp        0      0 0.0.0.0:99999   0.0.0.0:*   LISTEN      1/x\n" +
		"tcp        0      0 2001:db8:85a3:8d3:13:443 :::*  LISTEN  7/httpd\n" +
		"garbage here\n" +
		"tcp   LISTEN 0 128 [::1:22 [::]:* \n" +
		"udp        0      0 0.0.0.0:68   0.0.0.0:*               2/dhclient\n"
	socks, err = ParseSockets(in)
	check(t, socks,
		"tcp LISTEN 0.0.0.0:22 0.0.0.0:0 1/sshd",
		"tcp6 LISTEN 2001:db8:85a3:8d3:13:443 :::0 7/httpd",
		"udp UNCONN 0.0.0.0:68 0.0.0.0:0 2/dhclient",
	)
	if !errors.As(err, &pe) || len(pe.Lines) != 4 {
		t.Fatalf("err %v", err)
	}
	var lines []int
	for _, l := range pe.Lines {
		lines = append(lines, l.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 4, 5}) {
		t.Errorf("bad lines %v", lines)
	}
	if socks[1].Local.Port != 443 {
		t.Errorf("cut address lost its port: %+v", socks[1].Local)
	}
}

func TestParseSocketsWithoutNetid(t *testing.T) {
	// ss asked for one protocol prints no Netid column; the state tells TCP from UDP.
	in := "State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n" +
		"LISTEN 0      128    [::]:22            [::]:*    users:((\"sshd\",pid=9,fd=4))\n" +
		"LISTEN 0      128    *:80               *:*\n" +
		"UNCONN 0      0      0.0.0.0:68         0.0.0.0:*\n"
	socks, err := ParseSockets(in)
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"tcp6 LISTEN :::22 :::0 9/sshd",
		"tcp6 LISTEN :::80 :::0 ",
		"udp UNCONN 0.0.0.0:68 0.0.0.0:0 ",
	)
}

func TestParseHostPort(t *testing.T) {
	cases := []struct {
		in       string
		newStyle bool
		addr     string
		iface    string
		port     int
		fam      int
	}{
		{"*:22", false, "0.0.0.0", "", 22, 4},
		{"*:22", true, "::", "", 22, 6},
		{"*:*", false, "0.0.0.0", "", 0, 4},
		{"0.0.0.0:22", true, "0.0.0.0", "", 22, 4},
		{"[::]:22", true, "::", "", 22, 6},
		{":::22", false, "::", "", 22, 6},
		{"::1:25", false, "::1", "", 25, 6},
		{"127.0.0.1%lo:53", true, "127.0.0.1", "lo", 53, 4},
		{"[::ffff:10.0.0.1]:80", true, "::ffff:10.0.0.1", "", 80, 6},
		{"::ffff:10.0.0.1:80", false, "::ffff:10.0.0.1", "", 80, 6},
		{"[fe80::1]%eth0:546", true, "fe80::1", "eth0", 546, 6},
		{"[fe80::1%eth0]:546", true, "fe80::1", "eth0", 546, 6},
		{"fe80::1%eth0:546", false, "fe80::1", "eth0", 546, 6},
		{"*%eth0:67", true, "::", "eth0", 67, 6},
		{"[2001:DB8::A]:443", true, "2001:db8::a", "", 443, 6},
	}
	for _, c := range cases {
		e, fam, err := parseHostPort(c.in, c.newStyle)
		if err != nil || e.Addr != c.addr || e.Iface != c.iface || e.Port != c.port || fam != c.fam {
			t.Errorf("%q (new %v): got %+v fam %d err %v", c.in, c.newStyle, e, fam, err)
		}
	}
	for _, bad := range []string{"", "22", "0.0.0.0:http", "1.2.3.4:70000", "[::1:22", "[::1]x:22", ":22"} {
		if _, _, err := parseHostPort(bad, false); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseProcNet(t *testing.T) {
	socks, err := ParseProcNet(fixture(t, "net_tcp"), "tcp", false)
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"tcp LISTEN 10.0.0.5:22 0.0.0.0:0 ",
		"tcp LISTEN 0.0.0.0:22 0.0.0.0:0 ",
		"tcp LISTEN 0.0.0.0:22 0.0.0.0:0 ",
	)
	if socks[0].UID == nil || *socks[0].UID != 0 || socks[0].Inode != 2740 {
		t.Errorf("uid/inode %+v", socks[0])
	}
	// The same words on a big-endian kernel mean the bytes in printed order.
	be, _ := ParseProcNet(fixture(t, "net_tcp"), "tcp", true)
	if be[0].Local.Addr != "5.0.0.10" {
		t.Errorf("big-endian %s", be[0].Local.Addr)
	}

	// State 07 rows are unconnected UDP sockets: listeners as udp6, not as tcp6.
	socks, err = ParseProcNet(fixture(t, "net_tcp6"), "udp6", false)
	if err != nil {
		t.Fatal(err)
	}
	check(t, socks,
		"udp6 UNCONN :::5355 :::0 ",
		"udp6 UNCONN fe80::56e1:adff:fe7c:6609:51073 :::0 ",
	)
	if *socks[1].UID != 1000 || socks[1].Inode != 11337031 {
		t.Errorf("uid/inode %+v", socks[1])
	}
	if n := len(Listening(socks)); n != 2 {
		t.Errorf("%d udp6 listeners", n)
	}
	tcp6, _ := ParseProcNet(fixture(t, "net_tcp6"), "tcp6", false)
	if n := len(Listening(tcp6)); len(tcp6) != 2 || n != 0 {
		t.Errorf("tcp6: %d sockets, %d listeners; want 2 and 0", len(tcp6), n)
	}

	// procfs's net_udp is net_tcp copied: state 0A, which no UDP socket has.
	udp, err := ParseProcNet(fixture(t, "net_udp"), "udp", false)
	if err != nil || len(udp) != 3 || len(Listening(udp)) != 0 {
		t.Errorf("net_udp: %v, %v", brief(udp), err)
	}

	// The wrong file for the family: every line is an error, nothing is invented.
	var pe *kit.ParseError
	socks, err = ParseProcNet(fixture(t, "net_tcp"), "tcp6", false)
	if len(socks) != 0 || !errors.As(err, &pe) || len(pe.Lines) != 3 {
		t.Errorf("v4 table read as v6: %v, %v", socks, err)
	}
	if _, err := ParseProcNet("", "sctp", false); err == nil {
		t.Error("unknown protocol accepted")
	}
	socks, err = ParseProcNet("  sl  local_address\n   0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1\n   1: zz:0016 00000000:0000 0A\n", "tcp", false)
	if len(socks) != 1 || socks[0].Local.Addr != "127.0.0.1" || socks[0].Local.Port != 25 || err == nil {
		t.Errorf("mixed: %v, %v", brief(socks), err)
	}
}

func TestListening(t *testing.T) {
	socks, _ := ParseSockets(fixture(t, "SS_TUPNA_DOCS.txt"))
	check(t, Listening(socks),
		"tcp LISTEN 0.0.0.0:111 0.0.0.0:0 1139/rpcbind,1/systemd",
		"udp UNCONN 0.0.0.0:111 0.0.0.0:0 953/rpcbind",
		"udp UNCONN 127.0.0.1:904 0.0.0.0:0 29559/rpc.statd",
		"udp UNCONN 0.0.0.0:55898 0.0.0.0:0 ",
		"udp6 UNCONN :::37968 :::12345 29559/rpc.statd",
	)
	// Duplicates merge their owners.
	tcp, _ := ParseProcNet(fixture(t, "net_tcp"), "tcp", false)
	check(t, Listening(tcp),
		"tcp LISTEN 0.0.0.0:22 0.0.0.0:0 ",
		"tcp LISTEN 10.0.0.5:22 0.0.0.0:0 ",
	)
	dup := []Socket{
		{Proto: "tcp", State: "LISTEN", Local: Endpoint{Addr: "0.0.0.0", Port: 80}, Owners: []Owner{{PID: 5, Name: "nginx"}}},
		{Proto: "tcp", State: "LISTEN", Local: Endpoint{Addr: "0.0.0.0", Port: 80}, Owners: []Owner{{PID: 6, Name: "nginx"}, {PID: 5, Name: "nginx"}}},
		{Proto: "tcp", State: "LISTEN", Local: Endpoint{Addr: "0.0.0.0", Iface: "eth1", Port: 80}},
	}
	check(t, Listening(dup),
		"tcp LISTEN 0.0.0.0:80 :0 5/nginx,6/nginx",
		"tcp LISTEN 0.0.0.0%eth1:80 :0 ",
	)
	if len(dup[0].Owners) != 1 {
		t.Error("Listening changed its input")
	}
}

func TestMainOwner(t *testing.T) {
	nginx := []Owner{{PID: 1704, Name: "nginx"}, {PID: 1703, Name: "nginx"}, {PID: 1702, Name: "nginx"}}
	if o := MainOwner(nginx, nil); o.PID != 1702 {
		t.Errorf("lowest pid: %d", o.PID)
	}
	// PIDs wrapped: the master has the highest; the tree says so.
	wrapped := []Owner{{PID: 300, Name: "nginx"}, {PID: 31000, Name: "nginx"}}
	if o := MainOwner(wrapped, map[int]int{300: 31000, 31000: 1}); o.PID != 31000 {
		t.Errorf("by tree: %d", o.PID)
	}
	if o := MainOwner(nil, nil); o.PID != 0 || o.Name != "" {
		t.Errorf("none: %+v", o)
	}
	if o := MainOwner([]Owner{{PID: 0, Name: "mongod"}, {PID: 9, Name: "x"}}, nil); o.PID != 9 {
		t.Errorf("a pid beats a bare name: %+v", o)
	}
	cyc := []Owner{{PID: 1, Name: "a"}, {PID: 2, Name: "b"}}
	if o := MainOwner(cyc, map[int]int{1: 2, 2: 1}); o.PID != 1 {
		t.Errorf("cycle: %+v", o)
	}
}

func TestIsBigEndian(t *testing.T) {
	for m, want := range map[string]bool{"x86_64": false, "i686": false, "aarch64": false, "ppc64le": false, "ppc64": true, "s390x": true, "sparc64": true} {
		if IsBigEndian(m) != want {
			t.Errorf("%s: want %v", m, want)
		}
	}
}
