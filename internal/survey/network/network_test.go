package network

import (
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func legacyItems(t *testing.T) []*evidence.Item {
	return []*evidence.Item{
		kittest.Cmd("ss", "ss -tuanp", fixture(t, "ss_tuanp_legacy.txt")),
		kittest.File("/etc/hosts", fixture(t, "hosts_legacy")),
		kittest.Cmd("ip-addr", "ip addr show", fixture(t, "ip_addr_legacy.txt")),
		kittest.Cmd("ip-route", "ip route show table all", fixture(t, "ip_route_legacy.txt")),
		kittest.Cmd("ip6-route", "ip -6 route show table all", ""),
		kittest.File("/etc/rsyslog.d/60-forward.conf", "# forward\n*.* @@10.231.0.40:514\n"),
		kittest.File("/etc/postfix/main.cf", "myhostname = legacy\nrelayhost = [mailrelay.example.co.jp]:25\n"),
		kittest.File("/var/log/syslog", "connected to 10.231.0.40\n"),
		kittest.Failed(evidence.KindCmd, "iptables-save", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "ip6tables-save", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "nft-ruleset", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindFile, "/proc/net/ip_tables_names", evidence.StatusAbsent, ""),
	}
}

func survey(a *evidence.Archive, s *snapshot.Snapshot) *kit.Input {
	in := kittest.Input(a, s)
	New().Survey(in)
	return in
}

func TestLegacyConnections(t *testing.T) {
	in := survey(kittest.Archive(legacyItems(t)...), nil)
	names := []string{"collector.trowel.test", "collector", "mailrelay.example.co.jp", "mailrelay", "loghost.example.co.jp", "loghost"}
	want := []snapshot.Connection{
		{Proto: "tcp", RemoteAddress: "10.231.0.40", RemotePort: 514, RemoteNames: names, PID: 47, Process: "rsyslogd", Count: 1, Purpose: "syslog",
			ConfigRefs: []string{"/etc/rsyslog.d/60-forward.conf:2", "/etc/postfix/main.cf:2"}, Evidence: "cmd:ss"},
		{Proto: "tcp", RemoteAddress: "10.231.0.40", RemotePort: 24224, RemoteNames: names, PID: 493, Process: "logship", Count: 1, Purpose: "fluentd forward",
			ConfigRefs: []string{"/etc/rsyslog.d/60-forward.conf:2", "/etc/postfix/main.cf:2"}, Evidence: "cmd:ss"},
	}
	if got := in.Snap.Network.Connections; !reflect.DeepEqual(got, want) {
		t.Fatalf("connections:\n got %+v\nwant %+v", got, want)
	}
	if c := in.Snap.Coverage[snapshot.SectionConns]; c.Status != snapshot.Collected {
		t.Fatalf("coverage %+v", c)
	}
	gw := []string{"gateway.trowel.test", "gateway"}
	if got := in.Snap.Network.Clients; !reflect.DeepEqual(got, []snapshot.Client{{Proto: "tcp", LocalPort: 22, RemoteAddress: "10.231.0.1", RemoteNames: gw, Count: 1, Evidence: "cmd:ss"}}) {
		t.Fatalf("clients %+v", got)
	}
	if c := in.Snap.Coverage[snapshot.SectionNetwork]; c.Status != snapshot.Collected {
		t.Fatalf("network coverage %+v", c)
	}
	fw := in.Snap.Network.Firewall
	if c := in.Snap.Coverage[snapshot.SectionFirewall]; c.Status != snapshot.NotApplicable || fw.Tool != "none" {
		t.Fatalf("firewall %+v coverage %+v", fw, c)
	}
}

func TestLoopbackAndInboundAndWorkers(t *testing.T) {
	ss := `Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process
tcp LISTEN 0 128 0.0.0.0:3306 0.0.0.0:* users:(("mysqld",pid=10,fd=3))
tcp ESTAB 0 0 127.0.0.1:40000 127.0.0.1:3306 users:(("httpd",pid=21,fd=9))
tcp ESTAB 0 0 127.0.0.1:3306 127.0.0.1:40000 users:(("mysqld",pid=10,fd=30))
tcp ESTAB 0 0 10.0.0.5:40001 10.0.0.9:5432 users:(("httpd",pid=22,fd=9))
tcp ESTAB 0 0 10.0.0.5:40002 10.0.0.9:5432 users:(("httpd",pid=21,fd=10))
tcp ESTAB 0 0 [::ffff:10.0.0.5]:40003 [::ffff:10.0.0.9]:5432 users:(("httpd",pid=23,fd=10))
tcp ESTAB 0 0 10.0.0.5:3306 10.0.0.7:51000 users:(("mysqld",pid=10,fd=31))
`
	s := &snapshot.Snapshot{Source: snapshot.Source{Kind: "ssh"}, Processes: []snapshot.Process{{PID: 20, PPID: 1}, {PID: 21, PPID: 20}, {PID: 22, PPID: 20}, {PID: 23, PPID: 20}}}
	in := survey(kittest.Archive(kittest.Cmd("ss", "ss -tuanp", ss)), s)
	// An IPv4-mapped peer of a tcp6 socket is the same dependency as the IPv4 one;
	// the server side of the loopback pair and the inbound client are not outbound.
	want := []snapshot.Connection{
		{Proto: "tcp", RemoteAddress: "10.0.0.9", RemotePort: 5432, PID: 21, Process: "httpd", Count: 3, Purpose: "PostgreSQL", Evidence: "cmd:ss"},
		{Proto: "tcp", RemoteAddress: "127.0.0.1", RemotePort: 3306, PID: 21, Process: "httpd", Count: 1, Purpose: "MySQL", Local: true, Evidence: "cmd:ss"},
	}
	if got := in.Snap.Network.Connections; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	clients := []snapshot.Client{{Proto: "tcp", LocalPort: 3306, RemoteAddress: "10.0.0.7", Count: 1, Evidence: "cmd:ss"}}
	if got := in.Snap.Network.Clients; !reflect.DeepEqual(got, clients) {
		t.Fatalf("clients %+v", got)
	}
}

func TestNotRootConnectionsPartialAndFirewallDenied(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("ss", "ss -tuanp", "tcp ESTAB 0 0 10.0.0.5:40001 10.0.0.9:25\n"),
		kittest.Cmd("iptables-save", "iptables-save", ""),
		kittest.Failed(evidence.KindCmd, "ip6tables-save", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "nft-ruleset", evidence.StatusAbsent, ""),
	)
	a.Header["uid"] = "1000"
	in := survey(a, nil)
	if c := in.Snap.Coverage[snapshot.SectionConns]; c.Status != snapshot.Partial {
		t.Fatalf("connections coverage %+v", c)
	}
	if c := in.Snap.Coverage[snapshot.SectionFirewall]; c.Status != snapshot.Denied || in.Snap.Network.Firewall.Tool != "" {
		t.Fatalf("firewall coverage %+v tool %q", c, in.Snap.Network.Firewall.Tool)
	}
}

func TestFirewallIptablesWithCloudNote(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("iptables-save", "iptables-save", fixture(t, "iptables_save_el6.txt")),
		kittest.Failed(evidence.KindCmd, "ip6tables-save", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindCmd, "nft-ruleset", evidence.StatusAbsent, ""),
		kittest.File("/sys/class/dmi/id/sys_vendor", "Amazon EC2\n"),
	)
	in := survey(a, nil)
	fw := in.Snap.Network.Firewall
	if fw.Tool != "iptables" || len(fw.Rules) == 0 || fw.Rules[0].Evidence != "cmd:iptables-save" || fw.Note == "" {
		t.Fatalf("firewall %+v", fw)
	}
	if c := in.Snap.Coverage[snapshot.SectionFirewall]; c.Status != snapshot.Collected {
		t.Fatalf("coverage %+v", c)
	}
}

func TestOffline(t *testing.T) {
	off := func(name string) *evidence.Item {
		return kittest.Failed(evidence.KindCmd, name, evidence.StatusOffline, "needs a running system")
	}
	a := kittest.Archive(off("ss"), off("ip-addr"), off("ip-route"), off("iptables-save"), off("nft-ruleset"),
		kittest.File("/etc/hosts", "10.0.0.9 db\n"), kittest.File("/etc/sysconfig/iptables", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n"))
	in := survey(a, &snapshot.Snapshot{Source: snapshot.Source{Kind: "root"}})
	cov := in.Snap.Coverage
	if cov[snapshot.SectionConns].Status != snapshot.Unavailable || cov[snapshot.SectionNetwork].Status != snapshot.Partial || cov[snapshot.SectionFirewall].Status != snapshot.Partial {
		t.Fatalf("coverage %+v", cov)
	}
	if fw := in.Snap.Network.Firewall; fw.Tool != "iptables" || len(fw.Rules) != 1 || fw.Rules[0].Rule != "-P INPUT DROP" {
		t.Fatalf("firewall %+v", fw)
	}
	if len(in.Snap.Network.Hosts) != 1 {
		t.Fatalf("hosts %+v", in.Snap.Network.Hosts)
	}
}
