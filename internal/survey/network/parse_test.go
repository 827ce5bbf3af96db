package network

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseHostsLegacy(t *testing.T) {
	got, err := ParseHosts(fixture(t, "hosts_legacy"))
	if err != nil {
		t.Fatal(err)
	}
	last := got[len(got)-1]
	want := HostsLine{Address: "10.231.0.40", Names: []string{"mailrelay.example.co.jp", "mailrelay", "loghost.example.co.jp", "loghost"}, Line: 9}
	if len(got) != 7 || !reflect.DeepEqual(last, want) {
		t.Fatalf("got %d entries, last %+v", len(got), last)
	}
}

func TestParseHostsBadLine(t *testing.T) {
	got, err := ParseHosts("::1 localhost6 # v6\nnot-an-ip foo\n10.0.0.1\n10.0.0.2 db\n")
	if err == nil || !strings.Contains(err.Error(), "2 lines") {
		t.Fatalf("err = %v", err)
	}
	want := []HostsLine{{"::1", []string{"localhost6"}, 1}, {"10.0.0.2", []string{"db"}, 4}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseResolvAndNSSwitch(t *testing.T) {
	r := ParseResolv("# x\nsearch a.example b.example\nnameserver 10.0.0.2\n;c\nnameserver 10.0.0.3\ndomain c.example\noptions rotate\n")
	if !reflect.DeepEqual(r, Resolv{Nameservers: []string{"10.0.0.2", "10.0.0.3"}, Search: []string{"c.example"}}) {
		t.Fatalf("got %+v", r)
	}
	got := ParseNSSwitchHosts("passwd: files\nhosts:      files [NOTFOUND=return] dns # x\n")
	if !reflect.DeepEqual(got, []string{"files", "[NOTFOUND=return]", "dns"}) {
		t.Fatalf("got %q", got)
	}
}

func TestParseIPAddrLegacy(t *testing.T) {
	got, err := ParseIPAddr(fixture(t, "ip_addr_legacy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	e := got[1]
	if e.Name != "eth0" || e.MAC != "b2:8a:d5:44:c3:cd" || e.MTU != 1500 || !*e.Up || !reflect.DeepEqual(e.Addresses, []string{"10.231.0.10/24"}) {
		t.Fatalf("eth0 = %+v", e)
	}
}

func TestParseIPAddrInsights(t *testing.T) {
	// The fixture starts with three "Message truncated" lines (insights-core tests
	// that junk is skipped): reported, and the rest kept.
	got, err := ParseIPAddr(fixture(t, "ip_addr_insights.txt"))
	if err == nil || !strings.HasPrefix(err.Error(), "3 lines could not be read") {
		t.Fatalf("err = %v", err)
	}
	by := map[string]Iface{}
	for _, i := range got {
		by[i.Name] = i
	}
	if b := by["bond1.57"]; b.MAC != "00:11:3f:e2:f5:9e" || !reflect.DeepEqual(b.Addresses, []string{"10.192.4.171/27", "fe80::211:3fff:fee2:f59e/64", "2001::211:3fff:fee2:f59e/64"}) {
		t.Fatalf("bond1.57 = %+v", b)
	}
	if tun := by["tunl1"]; !reflect.DeepEqual(tun.Addresses, []string{"172.30.0.1/32"}) || *tun.Up {
		t.Fatalf("tunl1 = %+v", tun)
	}
	if e := by["eth7"]; e.MAC != "00:11:3f:e2:f5:9f" || !*e.Up || e.MTU != 1500 {
		t.Fatalf("eth7 = %+v", e)
	}
}

func TestParseIPAddrOneLine(t *testing.T) {
	// ip -o addr show, as the lab's legacy host prints it.
	text := "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n" +
		"180: eth0    inet 10.231.0.10/24 scope global eth0\\       valid_lft forever preferred_lft forever\n"
	got, err := ParseIPAddr(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Name != "eth0" || !reflect.DeepEqual(got[1].Addresses, []string{"10.231.0.10/24"}) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseIfconfigBothLayouts(t *testing.T) {
	for _, name := range []string{"ifconfig_busybox.txt", "ifconfig_nettools2.txt"} {
		got, err := ParseIfconfig(fixture(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		e := got[0]
		if e.Name != "eth0" || e.MAC != "02:fc:00:00:00:01" || e.MTU != 1400 || !*e.Up ||
			!reflect.DeepEqual(e.Addresses, []string{"192.0.2.2/24", "fe80::fc:ff:fe00:1/64", "fd00::2/64"}) {
			t.Fatalf("%s: eth0 = %+v", name, e)
		}
		if f := got[1]; f.Name != "ifb0" || *f.Up || f.MTU != 1500 {
			t.Fatalf("%s: ifb0 = %+v", name, f)
		}
	}
}

func TestParseIPRoute(t *testing.T) {
	got, err := ParseIPRoute(fixture(t, "ip_route_insights.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []RouteEntry{
		{Destination: "30.142.64.0/26", Table: "red_mgmt", Type: "throw"},
		{Destination: "default", Gateway: "30.142.64.1", Device: "bond0.400", Table: "red_mgmt"},
	}
	if !reflect.DeepEqual(got[:2], want) {
		t.Fatalf("got %+v", got[:2])
	}
	for _, r := range got {
		if r.Table == "local" {
			t.Fatalf("local table kept: %+v", r)
		}
	}
	legacy, err := ParseIPRoute(fixture(t, "ip_route_legacy.txt"))
	if err != nil || !reflect.DeepEqual(legacy, []RouteEntry{{Destination: "10.231.0.0/24", Device: "eth0"}}) {
		t.Fatalf("legacy: %+v %v", legacy, err)
	}
}

func TestParseIPRouteMultipath(t *testing.T) {
	got, err := ParseIPRoute("default proto static metric 100\n\tnexthop via 10.0.0.1 dev eth0 weight 1\n\tnexthop via 10.0.1.1 dev eth1 weight 1\nunreachable 192.0.2.0/24\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []RouteEntry{
		{Destination: "default", Gateway: "10.0.0.1", Device: "eth0", Metric: 100},
		{Destination: "default", Gateway: "10.0.1.1", Device: "eth1", Metric: 100},
		{Destination: "192.0.2.0/24", Type: "unreachable"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseProcRoute(t *testing.T) {
	got, err := ParseProcRoute(fixture(t, "proc_net_route_legacy")+"eth0\t00000000\t01E7E70A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n", false)
	if err != nil {
		t.Fatal(err)
	}
	want := []RouteEntry{{Destination: "10.231.0.0/24", Device: "eth0"}, {Destination: "default", Gateway: "10.231.231.1", Device: "eth0", Metric: 100}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseIptablesSave(t *testing.T) {
	got, err := ParseIptablesSave(fixture(t, "iptables_save_el6.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != (Rule{"filter", "INPUT", "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT"}) {
		t.Fatalf("first = %+v", got[0])
	}
	n := 0
	for _, r := range got {
		if r.Table == "filter" {
			n++
		}
	}
	if n != 8 {
		t.Fatalf("%d filter rules, want 8: %+v", n, got)
	}
	pol, _ := ParseIptablesSave("*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\nCOMMIT\n")
	if !reflect.DeepEqual(pol, []Rule{{"filter", "INPUT", "-P INPUT DROP"}}) {
		t.Fatalf("policy: %+v", pol)
	}
}

func TestParseNft(t *testing.T) {
	got, err := ParseNft(fixture(t, "nft_ruleset_doc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{"inet filter", "input", "policy drop"},
		{"inet filter", "input", "ct state established,related accept"},
		{"inet filter", "input", `iif "lo" accept`},
		{"inet filter", "input", "ip saddr @blocked drop"},
		{"inet filter", "input", "tcp dport { 22, 80, 443 } accept"},
		{"inet filter", "forward", "policy drop"},
		{"ip filter", "INPUT", `counter packets 0 bytes 0 accept comment "from iptables-nft"`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseFirewalldZone(t *testing.T) {
	got, err := ParseFirewalldZone("public", `<?xml version="1.0" encoding="utf-8"?>
<zone>
  <short>Public</short>
  <service name="ssh"/>
  <service name="dhcpv6-client"/>
  <port protocol="tcp" port="8080"/>
  <rule family="ipv4"><source address="10.0.0.0/8"/><service name="mysql"/><accept/></rule>
</zone>`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{"firewalld", "public", "service ssh"}, {"firewalld", "public", "service dhcpv6-client"},
		{"firewalld", "public", "port 8080/tcp"},
		{"firewalld", "public", `rule <source address="10.0.0.0/8"/><service name="mysql"/><accept/>`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	if _, err := ParseFirewalldZone("x", "<zone"); err == nil {
		t.Fatal("broken XML accepted")
	}
}

func TestContainsHost(t *testing.T) {
	for _, c := range []struct {
		line, term string
		want       bool
	}{
		{"*.* @@10.231.0.40:514", "10.231.0.40", true},
		{"relayhost = [mailrelay.example.co.jp]:25", "mailrelay.example.co.jp", true},
		{"server 10.231.0.400", "10.231.0.40", false},
		{"host mydb.example.com", "db.example.com", false},
		{"loghost.", "loghost", true},
		{"loghost.example.co.jp", "loghost", false},
	} {
		if got := containsHost(c.line, c.term); got != c.want {
			t.Errorf("containsHost(%q, %q) = %v", c.line, c.term, got)
		}
	}
}

func TestParseBootConfig(t *testing.T) {
	c, ok := ParseIfcfg("# eth0\nDEVICE=eth0\nBOOTPROTO=dhcp\nHWADDR=00:16:3E:11:22:33\nONBOOT=yes\n", "eth0")
	if !ok || c.Name != "eth0" || c.Method != "dhcp" || c.OnBoot == nil || !*c.OnBoot {
		t.Errorf("%+v", c)
	}
	c, _ = ParseIfcfg("DEVICE=eth1\nBOOTPROTO=none\nIPADDR=10.0.0.5\nNETMASK=255.255.255.0\nGATEWAY=10.0.0.1\nONBOOT=no\n", "eth1")
	if c.Method != "static" || c.Address != "10.0.0.5/24" || c.Gateway != "10.0.0.1" || *c.OnBoot {
		t.Errorf("%+v", c)
	}
	if _, ok := ParseIfcfg("DEVICE=lo\nIPADDR=127.0.0.1\n", "lo"); ok {
		t.Error("the loopback is no interface to configure")
	}
	ds := ParseInterfaces("auto lo\niface lo inet loopback\nauto eth0\niface eth0 inet static\n  address 192.0.2.10\n  netmask 255.255.255.0\n  gateway 192.0.2.1\niface eth1 inet dhcp\n")
	if len(ds) != 2 || ds[0].Address != "192.0.2.10/24" || !*ds[0].OnBoot || ds[1].Method != "dhcp" || *ds[1].OnBoot {
		t.Errorf("%+v", ds)
	}
}

func TestParseLeases(t *testing.T) {
	text := `lease {
  interface "eth0";
  fixed-address 192.168.10.50;
  option routers 192.168.10.1;
  option domain-name-servers 192.168.10.1,192.168.10.2;
  option dhcp-server-identifier 192.168.10.1;
  expire 1 2015/03/02 06:00:00;
}
lease {
  interface "eth0";
  fixed-address 192.168.10.51;
  option dhcp-server-identifier 192.168.10.1;
  expire epoch 1425276000; # Mon Mar 02 06:00:00 2015
}
`
	ls := ParseLeases(text, "eth9")
	if len(ls) != 1 || ls[0].Interface != "eth0" || ls[0].Address != "192.168.10.51" || ls[0].Source != "9" || ls[0].Expires == nil || ls[0].Expires.Unix() != 1425276000 {
		t.Fatalf("%+v", ls)
	}
	ls = ParseLeases(strings.SplitN(text, "lease {\n  interface \"eth0\";\n  fixed-address 192.168.10.51", 2)[0], "eth0")
	if len(ls) != 1 || len(ls[0].DNS) != 2 || ls[0].Routers[0] != "192.168.10.1" || ls[0].Expires.Format("2006-01-02 15:04") != "2015-03-02 06:00" {
		t.Fatalf("%+v", ls)
	}
	if ifaceOfLeaseFile("/var/lib/dhclient/dhclient-eth0.leases") != "eth0" {
		t.Error(ifaceOfLeaseFile("/var/lib/dhclient/dhclient-eth0.leases"))
	}
}
