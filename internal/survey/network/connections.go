package network

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/listeners"
)

// purposes reads a remote port as what usually answers there. It is a guess from the
// port alone, which is why the snapshot calls it purpose and not service.
var purposes = map[int]string{
	20: "FTP data", 21: "FTP", 22: "SSH", 23: "telnet",
	25: "mail relay (SMTP)", 465: "mail relay (SMTPS)", 587: "mail submission",
	53: "DNS", 67: "DHCP", 88: "Kerberos", 110: "POP3", 143: "IMAP", 993: "IMAPS", 995: "POP3S",
	80: "web/API (HTTP)", 443: "web/API (HTTPS)", 8080: "web/API (HTTP alternate)", 8443: "web/API (HTTPS alternate)",
	3128: "HTTP proxy", 123: "NTP", 161: "SNMP", 162: "SNMP trap",
	389: "LDAP", 636: "LDAPS", 3268: "LDAP global catalog", 445: "SMB", 139: "NetBIOS session", 2049: "NFS", 111: "RPC portmapper",
	514: "syslog", 6514: "syslog over TLS", 24224: "fluentd forward", 5044: "Beats (Logstash)",
	5140: "syslog (Fluentd/Logstash)", 12201: "GELF (Graylog)", 9200: "Elasticsearch", 9300: "Elasticsearch transport",
	3306: "MySQL", 5432: "PostgreSQL", 1521: "Oracle", 1433: "SQL Server", 27017: "MongoDB",
	6379: "Redis", 11211: "memcached", 5672: "AMQP (RabbitMQ)", 5671: "AMQP over TLS", 9092: "Kafka",
	2181: "ZooKeeper", 61616: "ActiveMQ", 8009: "AJP (Tomcat)",
	8140: "Puppet", 4505: "Salt", 4506: "Salt", 10050: "Zabbix agent", 10051: "Zabbix server", 5666: "Nagios NRPE",
	2003: "Graphite", 8086: "InfluxDB", 9090: "Prometheus", 9100: "Prometheus node exporter", 8125: "StatsD",
	873: "rsync", 9418: "git", 3389: "RDP", 5900: "VNC",
}

// Purpose names what usually listens on a port, or "".
func Purpose(port int) string { return purposes[port] }

// IsLoopback reports whether an address is this host itself (127/8, ::1, or an
// IPv4-mapped loopback address).
func IsLoopback(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	return a.Unmap().IsLoopback()
}

// Outbound picks the connections this host opened to others: established sockets
// whose local port is not one the host listens on (those are clients of our own
// services, not dependencies). listen holds the listening ports by base protocol
// ("tcp", "udp"). Sockets are grouped by protocol, remote address and port and the
// local process name: the workers of one server count as one group, named by the
// parent-most of them (ppid maps pid to parent).
func Outbound(socks []listeners.Socket, listen map[string]map[int]bool, ppid map[int]int) []snapshot.Connection {
	return outbound(socks, listen, ppid, "ESTABLISHED")
}

// Unanswered picks, grouped as Outbound does, the connections this host tried to
// open that the peer never answered: sockets still in SYN-SENT to an endpoint no
// socket of the host is established with (one that answers another connection is
// slow, not gone). Each carries that state: a broken dependency, not one to
// reproduce.
func Unanswered(socks []listeners.Socket, listen map[string]map[int]bool, ppid map[int]int) []snapshot.Connection {
	answered := map[string]bool{}
	for _, c := range Outbound(socks, listen, ppid) {
		answered[Endpoint(c)] = true
	}
	var out []snapshot.Connection
	for _, c := range outbound(socks, listen, ppid, "SYN-SENT") {
		if !answered[Endpoint(c)] {
			c.State = "SYN-SENT"
			out = append(out, c)
		}
	}
	return out
}

// Endpoint is what a connection reaches, whichever process holds it: "tcp
// 10.0.0.20:3306".
func Endpoint(c snapshot.Connection) string {
	return c.Proto + " " + c.HostPort()
}

func outbound(socks []listeners.Socket, listen map[string]map[int]bool, ppid map[int]int, state string) []snapshot.Connection {
	type key struct {
		proto, addr string
		port        int
		proc        string
	}
	idx := map[key]int{}
	var out []snapshot.Connection
	var owners [][]listeners.Owner
	for _, s := range socks {
		if s.State != state || s.Remote.Port == 0 || s.Remote.Addr == "" {
			continue
		}
		base := snapshot.ProtoFamily(s.Proto)
		if listen[base][s.Local.Port] {
			continue
		}
		addr := s.Remote.Addr
		if a, err := netip.ParseAddr(addr); err == nil {
			addr = a.Unmap().String()
		}
		name := ""
		if len(s.Owners) > 0 {
			name = listeners.MainOwner(s.Owners, ppid).Name
		}
		k := key{base, addr, s.Remote.Port, name}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, snapshot.Connection{
				Proto: base, RemoteAddress: addr, RemotePort: s.Remote.Port,
				Process: name, Purpose: Purpose(s.Remote.Port), Local: IsLoopback(addr),
			})
			owners = append(owners, nil)
		}
		out[i].Count++
		owners[i] = append(owners[i], s.Owners...)
	}
	for i := range out {
		if len(owners[i]) > 0 {
			out[i].PID = listeners.MainOwner(owners[i], ppid).PID
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Local != b.Local {
			return !a.Local
		}
		if a.RemoteAddress != b.RemoteAddress {
			return a.RemoteAddress < b.RemoteAddress
		}
		if a.RemotePort != b.RemotePort {
			return a.RemotePort < b.RemotePort
		}
		if a.Proto != b.Proto {
			return a.Proto < b.Proto
		}
		return a.Process < b.Process
	})
	return out
}

// maxRefs bounds the config lines cited per connection: a name in every vhost of a
// big Apache says nothing more after the first few.
const maxRefs = 20

// skipRefs are files that name addresses without configuring a dependency.
func skipRefs(p string) bool {
	for _, pre := range []string{"/proc/", "/sys/", "/var/log/", "/var/lib/dpkg/", "/var/lib/rpm/", "/run/", "/var/run/"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return p == "/etc/hosts" || p == "/etc/resolv.conf"
}

// ConfigRefs finds the lines of collected files that name an address or one of its
// names, as "path:line". Files that also name the port anywhere come first: of two
// files naming the log host, the one that says 514 is rsyslog's forwarding rule. Names are matched as whole host names (not inside a longer
// one); a short name without a dot ("db") is too common a word to match and is left
// out unless it is at least four letters long.
func ConfigRefs(files []*evidence.Item, addr string, port int, names []string) []string {
	terms := []string{addr}
	for _, n := range names {
		if strings.Contains(n, ".") || len(n) >= 4 {
			terms = append(terms, strings.ToLower(n))
		}
	}
	var first, rest []string
	portText := strconv.Itoa(port)
	for _, it := range files {
		if it.Kind != evidence.KindFile || skipRefs(it.Name) || len(it.Data) == 0 {
			continue
		}
		text := strings.ToLower(it.Text())
		hit := false
		for _, t := range terms {
			if strings.Contains(text, t) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		refs := &rest
		if port > 0 && containsPort(text, portText) {
			refs = &first
		}
		for n, line := range strings.Split(text, "\n") {
			for _, t := range terms {
				if containsHost(line, t) {
					*refs = append(*refs, it.Name+":"+strconv.Itoa(n+1))
					break
				}
			}
		}
	}
	refs := append(first, rest...)
	if len(refs) > maxRefs {
		refs = refs[:maxRefs]
	}
	return refs
}

// containsPort reports whether the port number occurs with no digit beside it.
func containsPort(text, port string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], port)
		if i < 0 {
			return false
		}
		i += from
		j := i + len(port)
		if (i == 0 || !isDigit(text[i-1])) && (j == len(text) || !isDigit(text[j])) {
			return true
		}
		from = i + 1
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// containsHost reports whether term occurs in line with no host-name character
// (letter, digit, '-', '.') touching it on either side, so 10.0.0.4 is not found in
// 10.0.0.40 and db.example.com not in mydb.example.com. A trailing dot (a DNS
// root-terminated name, or a full stop) is allowed.
func containsHost(line, term string) bool {
	for from := 0; ; {
		i := strings.Index(line[from:], term)
		if i < 0 {
			return false
		}
		i += from
		j := i + len(term)
		before := i == 0 || !hostChar(line[i-1])
		after := j == len(line) || !hostChar(line[j]) || (line[j] == '.' && (j+1 == len(line) || !hostChar(line[j+1])))
		if before && after {
			return true
		}
		from = i + 1
	}
}

func hostChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
}

// Inbound groups the established connections that reached one of this host's
// listening ports from another host, by protocol, local port and remote address:
// who depends on this host. Loopback clients are left out: they are this host's own
// processes, already listed as local outbound connections.
func Inbound(socks []listeners.Socket, listen map[string]map[int]bool) []snapshot.Client {
	type key struct {
		proto, addr string
		port        int
	}
	idx := map[key]int{}
	var out []snapshot.Client
	for _, s := range socks {
		if s.State != "ESTABLISHED" || s.Remote.Addr == "" {
			continue
		}
		base := snapshot.ProtoFamily(s.Proto)
		if !listen[base][s.Local.Port] || IsLoopback(s.Remote.Addr) {
			continue
		}
		addr := s.Remote.Addr
		if a, err := netip.ParseAddr(addr); err == nil {
			addr = a.Unmap().String()
		}
		k := key{base, addr, s.Local.Port}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, snapshot.Client{Proto: base, LocalPort: s.Local.Port, RemoteAddress: addr})
		}
		out[i].Count++
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.LocalPort != b.LocalPort {
			return a.LocalPort < b.LocalPort
		}
		if a.RemoteAddress != b.RemoteAddress {
			return a.RemoteAddress < b.RemoteAddress
		}
		return a.Proto < b.Proto
	})
	return out
}
