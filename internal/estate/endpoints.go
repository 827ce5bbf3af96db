package estate

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ref is one remote system a snapshot shows its host talking to, or being
// talked to by, with the fact that shows it.
type ref struct {
	// inbound is true for a client: the other end connects to this host.
	inbound bool
	named   string // the other end as the evidence names it
	port    int
	// portGiven is false when no evidence names the port and port is the
	// service's standard one.
	portGiven bool
	proto     string // tcp, udp
	// service is what the config uses the other end for; "" for observations,
	// which have the usual purpose of the port (connections) or the local
	// service a client connected to (clients) instead.
	service string
	purpose string
	local   string
	// names are the names the host's /etc/hosts gives the other end.
	names []string
	// shared names the data the host keeps on the other end (an NFS export, a
	// database) so that hosts sharing it move together.
	shared string
	ev     Evidence
}

// endpointSource reads one kind of remote endpoint from a snapshot. sections are
// the snapshot sections it reads: when one was not collected, the host's edges
// of that kind may be missing, and the map says so.
type endpointSource struct {
	name     string
	sections []snapshot.Section
	read     func(*snapshot.Snapshot) []ref
}

// endpointSources is every place a snapshot names a remote system. LDAP and SSSD
// are not among them: the survey does not read them yet.
var endpointSources = []endpointSource{
	{"connections", []snapshot.Section{snapshot.SectionConns}, connectionRefs},
	{"log shippers", []snapshot.Section{snapshot.SectionShippers}, shipperRefs},
	{"mail relay", []snapshot.Section{snapshot.SectionPostfix}, relayRefs},
	{"application databases", []snapshot.Section{snapshot.SectionRuby}, appDatabaseRefs},
	{"proxied backends", []snapshot.Section{snapshot.SectionApache, snapshot.SectionNginx}, proxyRefs},
	{"network filesystems", []snapshot.Section{snapshot.SectionStorage}, mountRefs},
	{"time servers", []snapshot.Section{snapshot.SectionTime}, ntpRefs},
	{"name servers", []snapshot.Section{snapshot.SectionNetwork}, resolverRefs},
	{"off-host backups", []snapshot.Section{snapshot.SectionBackups}, backupRefs},
}

// Evidence kinds (Evidence.Kind) and notes (Evidence.Note).
const (
	kindConnection = "connection"
	kindClient     = "client"
	kindConfig     = "config"

	noteNotMounted = "not_mounted"
	noteUpstream   = "upstream"
)

// What a config line that names a remote system configures (Evidence.Via).
const (
	viaLogShipper = "log_shipper"
	viaRelayhost  = "relayhost"
	viaDatabase   = "database"
	viaProxy      = "proxy"
	viaMount      = "mount"
	viaTimeServer = "time_server"
	viaNameServer = "name_server"
	viaBackup     = "backup"
)

func connectionRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, c := range s.Network.Connections {
		if c.Local {
			continue
		}
		out = append(out, ref{
			named: c.RemoteAddress, names: c.RemoteNames, port: c.RemotePort, portGiven: c.RemotePort != 0, proto: cmp.Or(c.Family(), "tcp"), purpose: c.Purpose,
			ev: observed(s, kindConnection, c.Evidence, cmp.Or(c.Process, c.Service), c.RemoteAddress, c.Count, c.Seen),
		})
	}
	for _, c := range s.Network.Clients {
		out = append(out, ref{
			inbound: true, named: c.RemoteAddress, names: c.RemoteNames, port: c.LocalPort, portGiven: c.LocalPort != 0, proto: cmp.Or(c.Family(), "tcp"), local: c.Service,
			ev: observed(s, kindClient, c.Evidence, c.Service, c.RemoteAddress, c.Count, c.Seen),
		})
	}
	return out
}

// observed is the evidence of a connection seen on the host: when, from the
// window's samples or else the survey's own time.
func observed(s *snapshot.Snapshot, kind, id, what, named string, count int, seen snapshot.Seen) Evidence {
	e := Evidence{Kind: kind, Source: id, What: what, Named: named, Count: count,
		FirstSeen: seen.FirstSeen, LastSeen: seen.LastSeen, Samples: seen.Samples}
	if seen.FirstSeen == nil && !s.CollectedAt.IsZero() {
		at := s.CollectedAt
		e.Observed = &at
	}
	return e
}

// configRef is a remote endpoint a config line names: via says what kind of
// setting it is, what names the thing configured.
func configRef(named string, port, standard int, proto, service, source, via, what string) ref {
	r := ref{named: named, port: port, portGiven: port != 0, proto: proto, service: service,
		ev: Evidence{Kind: kindConfig, Source: source, Via: via, What: what, Named: named}}
	if port == 0 {
		r.port = standard
	}
	return r
}

func shipperRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, sh := range s.Logs.Shippers {
		for _, d := range sh.Destinations {
			service, standard := shipperService(sh.Name, d.Proto)
			proto := "tcp"
			if strings.EqualFold(d.Proto, "udp") {
				proto = "udp"
			}
			out = append(out, configRef(d.Host, d.Port, standard, proto, service,
				cmp.Or(d.Source, firstOf(sh.Configs), firstOf(sh.Evidence)), viaLogShipper, sh.Name))
		}
	}
	return out
}

// shipperService names what a shipper sends as, and that protocol's standard port.
func shipperService(shipper, proto string) (string, int) {
	switch p := strings.ToLower(proto); {
	case p == "forward":
		return "fluentd forward", 24224
	case p == "beats" || p == "logstash":
		return "beats", 5044
	case p == "http" || p == "https" || p == "elasticsearch":
		return p, 0
	}
	switch strings.ToLower(shipper) {
	case "rsyslog", "syslog-ng", "syslog", "sysklogd":
		return "syslog", 514
	}
	return cmp.Or(strings.ToLower(proto), shipper), 0
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func relayRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, m := range s.Middleware.Mail {
		if m.Relayhost == "" {
			continue
		}
		source := settingSource(m.Settings, "relayhost", cmp.Or(firstOf(m.Configs), firstOf(m.Evidence)))
		// Postfix takes a list of relay hosts since 3.5: "[a]:25, [b]:25".
		for _, dest := range strings.FieldsFunc(m.Relayhost, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			host, port := snapshot.SplitListen(dest)
			if host == "" {
				continue
			}
			out = append(out, configRef(host, port, 25, "tcp", "smtp", source, viaRelayhost, m.Kind))
		}
	}
	return out
}

// settingSource is the file:line of setting key, or fallback.
func settingSource(settings []snapshot.Setting, key, fallback string) string {
	for _, st := range settings {
		if st.Key == key && st.Source != "" {
			return st.Source
		}
	}
	return fallback
}

// databaseAdapters are Rails adapters by the service they speak to, with its
// standard port; sqlite needs no server.
var databaseAdapters = map[string]struct {
	service string
	port    int
}{
	"mysql": {"mysql", 3306}, "mysql2": {"mysql", 3306}, "trilogy": {"mysql", 3306}, "jdbcmysql": {"mysql", 3306},
	"postgresql": {"postgresql", 5432}, "postgis": {"postgresql", 5432}, "jdbcpostgresql": {"postgresql", 5432},
	"sqlserver": {"sqlserver", 1433}, "oracle_enhanced": {"oracle", 1521},
}

func appDatabaseRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, a := range s.Middleware.Apps {
		get := func(k string) snapshot.Setting {
			for _, st := range a.Settings {
				if st.Key == "database."+k {
					return st
				}
			}
			return snapshot.Setting{}
		}
		host := get("host")
		if host.Value == "" {
			continue // a socket or no host: the database is on this host
		}
		db, ok := databaseAdapters[strings.ToLower(get("adapter").Value)]
		if !ok {
			db.service = cmp.Or(get("adapter").Value, "database")
		}
		port := portNumber(get("port").Value)
		r := configRef(host.Value, port, db.port, "tcp", db.service, cmp.Or(host.Source, firstOf(a.Evidence)),
			viaDatabase, strings.TrimSpace(a.Name+" "+a.Path))
		if name := get("database").Value; name != "" {
			r.shared = db.service + " " + name
		}
		out = append(out, r)
	}
	return out
}

// portNumber reads a port as configs write it; 0 for none, a service name or
// anything out of range.
func portNumber(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 65535 {
		return 0
	}
	return n
}

// proxySchemes are the backends' URL schemes by service and standard port.
var proxySchemes = map[string]struct {
	service string
	port    int
}{
	"http": {"http", 80}, "https": {"https", 443}, "ws": {"http", 80}, "wss": {"https", 443},
	"ajp": {"ajp", 8009}, "fcgi": {"fastcgi", 9000}, "uwsgi": {"uwsgi", 0}, "h2c": {"http", 80}, "h2": {"https", 443},
}

func proxyRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, ws := range s.Middleware.WebServers {
		for _, v := range ws.VHosts {
			for _, p := range v.Proxies {
				if r, ok := proxyRef(ws.Kind, v, p); ok {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// proxyRef reads one backend of a virtual host: a URL (ProxyPass, proxy_pass)
// or host:port (fastcgi_pass). Unix sockets, Passenger apps and balancers (whose
// members the survey does not list) are not remote systems it can name.
func proxyRef(server string, v snapshot.VHost, backend string) (ref, bool) {
	what := strings.TrimSpace(server + " " + cmp.Or(v.ServerName, v.Listen))
	scheme, rest, hasScheme := strings.Cut(backend, "://")
	if !hasScheme {
		if strings.HasPrefix(backend, "unix:") || strings.HasPrefix(backend, "passenger:") || strings.HasPrefix(backend, "/") {
			return ref{}, false
		}
		host, port := snapshot.SplitListen(backend)
		if host == "" {
			return ref{}, false
		}
		r := configRef(host, port, 0, "tcp", "fastcgi", v.Source, viaProxy, what)
		markUpstream(&r, server, port)
		return r, true
	}
	sch, ok := proxySchemes[strings.ToLower(scheme)]
	if !ok {
		return ref{}, false // balancer://, unix:// ...
	}
	u, err := url.Parse(strings.ToLower(scheme) + "://" + rest)
	if err != nil || u.Hostname() == "" {
		return ref{}, false
	}
	r := configRef(u.Hostname(), portNumber(u.Port()), sch.port, "tcp", sch.service, v.Source, viaProxy, what)
	markUpstream(&r, server, portNumber(u.Port()))
	return r, true
}

// markUpstream notes an nginx backend named by a single word without a port: it
// may be an upstream block (the survey does not list their servers), not a host.
func markUpstream(r *ref, server string, port int) {
	if _, isAddr := canonicalAddr(r.named); server == "nginx" && port == 0 && !isAddr && !strings.Contains(r.named, ".") {
		r.ev.Note = noteUpstream
	}
}

// networkFilesystems are the services of network filesystem types, with their
// standard ports.
var networkFilesystems = map[string]struct {
	service string
	port    int
}{
	"nfs": {"nfs", 2049}, "nfs4": {"nfs", 2049}, "cifs": {"smb", 445}, "smbfs": {"smb", 445}, "smb3": {"smb", 445},
	"fuse.sshfs": {"sshfs", 22}, "sshfs": {"sshfs", 22}, "glusterfs": {"glusterfs", 24007}, "ceph": {"ceph", 6789},
}

func mountRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	add := func(device, fstype, mountPoint, source, note string, atBoot bool) {
		host, export, ok := splitDevice(device)
		if !ok {
			return
		}
		fs, known := networkFilesystems[strings.ToLower(fstype)]
		if !known {
			fs.service = strings.ToLower(fstype)
		}
		r := configRef(host, 0, fs.port, "tcp", fs.service, source, viaMount, mountPoint)
		// A filesystem mounted only by hand (noauto) is no data the host keeps there.
		if atBoot {
			r.shared = fs.service + " " + export
		}
		r.ev.Note = note
		out = append(out, r)
	}
	for _, m := range s.Storage.Mounts {
		if m.Network {
			add(m.Device, m.FSType, m.MountPoint, firstOf(m.Evidence), "", true)
		}
	}
	for _, f := range s.Storage.Fstab {
		// A commented-out line is a dependency somebody once had, not one the host
		// has: it makes no edge.
		if !f.Network || f.Commented {
			continue
		}
		note := ""
		if f.Mounted != nil && !*f.Mounted {
			note = noteNotMounted
		}
		add(f.Device, f.FSType, f.MountPoint, "/etc/fstab:"+strconv.Itoa(f.Line), note, !slices.Contains(strings.Split(f.Options, ","), "noauto"))
	}
	return out
}

// splitDevice reads the server and export of a network filesystem's device:
// "server:/export", "[2001:db8::1]:/export", "user@server:/path" (sshfs),
// "//server/share" (CIFS).
func splitDevice(dev string) (host, export string, ok bool) {
	if rest, cifs := strings.CutPrefix(dev, "//"); cifs {
		h, share, _ := strings.Cut(rest, "/")
		return h, "/" + share, h != ""
	}
	if strings.HasPrefix(dev, "[") {
		if i := strings.Index(dev, "]:"); i > 0 {
			return dev[1:i], dev[i+2:], true
		}
		return "", "", false
	}
	h, p, found := strings.Cut(dev, ":")
	if !found || h == "" || strings.Contains(h, "/") {
		return "", "", false
	}
	if at := strings.LastIndexByte(h, '@'); at >= 0 {
		h = h[at+1:]
	}
	return h, p, h != ""
}

func ntpRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	ntp := s.Time.NTP
	for _, srv := range ntp.Servers {
		out = append(out, configRef(srv, 0, 123, "udp", "ntp", cmp.Or(ntp.Config, firstOf(ntp.Evidence)), viaTimeServer, ntp.Daemon))
	}
	return out
}

func resolverRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, ns := range s.Network.Resolvers {
		out = append(out, configRef(ns, 0, 53, "udp", "dns", "/etc/resolv.conf", viaNameServer, ""))
	}
	return out
}

func backupRefs(s *snapshot.Snapshot) []ref {
	var out []ref
	for _, b := range s.Backups.Items {
		if !b.OffHost {
			continue
		}
		host, service, port, ok := backupDestination(b.Where)
		if !ok {
			continue
		}
		out = append(out, configRef(host, port, backupPorts[service], "tcp", service, cmp.Or(b.Job, firstOf(b.Evidence)), viaBackup, strings.TrimSpace(b.Tool+" "+b.What)))
	}
	return out
}

// backupDestination reads the host of an off-host backup's destination: rsync
// ("host::module", "rsync://host/module"), ssh ("user@host:/path",
// "sftp:user@host:/path", "ssh://host/path") or ftp; port is 0 unless the
// destination names one. Object stores (s3:, gs://, b2:, azure:, swift:) name no
// host of an estate.
func backupDestination(where string) (host, service string, port int, ok bool) {
	if scheme, _, found := strings.Cut(strings.ToLower(where), "://"); found {
		svc, known := backupSchemes[scheme]
		u, err := url.Parse(where)
		if !known || err != nil || u.Hostname() == "" {
			return "", "", 0, false
		}
		return u.Hostname(), svc, portNumber(u.Port()), true
	}
	rest := where
	if len(where) > 5 && strings.EqualFold(where[:5], "sftp:") {
		rest = where[5:]
	}
	var path string
	if i := strings.Index(rest, "@["); i >= 0 || strings.HasPrefix(rest, "[") {
		// user@[2001:db8::1]:/path
		open := i + 1
		end := strings.Index(rest, "]:")
		if end < open {
			return "", "", 0, false
		}
		host, path = rest[open+1:end], rest[end+2:]
	} else {
		var found bool
		host, path, found = strings.Cut(rest, ":")
		if !found || objectStores[strings.ToLower(host)] {
			return "", "", 0, false
		}
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = host[at+1:]
		}
	}
	if host == "" || strings.ContainsAny(host, "/ $[]") {
		return "", "", 0, false
	}
	service = "ssh"
	if strings.HasPrefix(path, ":") {
		service = "rsync" // host::module is rsync's daemon
	}
	return host, service, 0, true
}

var (
	backupSchemes = map[string]string{"rsync": "rsync", "ssh": "ssh", "sftp": "ssh", "ftp": "ftp", "ftps": "ftp"}
	backupPorts   = map[string]int{"rsync": 873, "ssh": 22, "ftp": 21}
	objectStores  = map[string]bool{"s3": true, "gs": true, "b2": true, "azure": true, "swift": true, "rest": true, "rclone": true}
)
