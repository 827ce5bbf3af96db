package diff

import (
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// everyKind is centos5 with something of every kind diff compares: a second web
// server, PostgreSQL beside MySQL, Dovecot beside Postfix, both caches, an app of
// each runtime, a container, a certificate and kernel parameters an administrator
// set. The concern table's test reads each concern from it.
func everyKind() *snapshot.Snapshot {
	s := centos5()
	mw := &s.Middleware
	mw.WebServers[0].MPM = "prefork"
	mw.WebServers[0].VHosts = append(mw.WebServers[0].VHosts,
		snapshot.VHost{ServerName: "shop.example.com", Aliases: []string{"www.shop.example.com"}, Listen: "10.0.0.5:443", TLS: true,
			DocumentRoot: "/var/www/shop", Proxies: []string{"http://127.0.0.1:8080/"}, Source: "/etc/httpd/conf.d/shop.conf:3"},
		snapshot.VHost{Listen: "[::]:8443", TLS: true, Source: "/etc/httpd/conf.d/v6.conf:1"})
	mw.WebServers = append(mw.WebServers, snapshot.WebServer{Kind: "nginx", Version: "1.20.1",
		VHosts:   []snapshot.VHost{{ServerName: "static.example.com", Listen: "8081", DocumentRoot: "/srv/static", Source: "/etc/nginx/conf.d/static.conf:1"}},
		Evidence: []string{"cmd:nginx-V"}})
	mw.Databases = append(mw.Databases, snapshot.Database{Kind: "postgresql", Version: "9.2", Bind: "localhost", Port: 5432, Role: "primary",
		Databases: []snapshot.DatabaseSchema{{Name: "template1", System: true}, {Name: "redmine"}},
		Evidence:  []string{"file:/var/lib/pgsql/data/postgresql.conf"}})
	mw.Mail[0].RelayhostHosts = "10.0.0.25 at /etc/hosts:7"
	mw.Mail[0].Aliases = []snapshot.Alias{{Name: "root", Targets: []string{"ops@example.com"}, Source: "/etc/aliases:12"}}
	mw.Mail = append(mw.Mail, snapshot.MailServer{Kind: "dovecot", Version: "1.0.7",
		Aliases: []snapshot.Alias{{Name: "postmaster", Targets: []string{"root"}, Source: "/etc/dovecot/aliases:1"}}, Evidence: []string{"cmd:doveconf"}})
	mw.Caches = []snapshot.Cache{
		{Kind: "memcached", Bind: "127.0.0.1", Port: 11211, Evidence: []string{"file:/etc/sysconfig/memcached"}},
		{Kind: "redis", Bind: "0.0.0.0", Port: 6379, Evidence: []string{"file:/etc/redis.conf"}},
	}
	mw.Apps = []snapshot.App{
		{Kind: "rails", Path: "/var/lib/redmine", Name: "Redmine 1.4.7", Server: "passenger", Evidence: []string{"file:/var/lib/redmine/Gemfile.lock"}},
		{Kind: "php", Path: "/var/www/shop", Server: "mod_php", Evidence: []string{"file:/var/www/shop/index.php"}},
		{Kind: "java", Path: "/opt/tomcat/webapps/api", Name: "api", Server: "tomcat", Evidence: []string{"list:/opt/tomcat/webapps"}},
	}
	mw.Runtimes = []snapshot.Runtime{
		{Kind: "php", Version: "5.1.6", Path: "/etc/php.ini", Server: "mod_php", Settings: []snapshot.Setting{{Key: "memory_limit", Value: "128M"}}, Evidence: []string{"file:/etc/php.ini"}},
		{Kind: "java", Path: "/opt/tomcat/conf/server.xml", Server: "tomcat", Evidence: []string{"cmd:tomcat-server-xml"}},
	}
	mw.Containers = []snapshot.Container{{ID: "abc123", Name: "metrics", Image: "prom/node-exporter:v1.0", Ports: []string{"9100/tcp"},
		RestartPolicy: "always", Evidence: []string{"cmd:docker-ps"}}}
	mw.Certificates = []snapshot.Certificate{{Path: "/etc/pki/tls/certs/shop.crt", Subject: "CN=shop.example.com",
		SANs: []string{"shop.example.com", "www.shop.example.com"}, UsedBy: []string{"/etc/httpd/conf.d/shop.conf:9"}, Evidence: []string{"file:/etc/pki/tls/certs/shop.crt"}}}
	s.Listeners = append(s.Listeners,
		snapshot.Listener{Proto: "tcp6", Address: "::", Port: 80, Process: "httpd", Evidence: "cmd:netstat"},
		snapshot.Listener{Proto: "tcp6", Address: "::1", Port: 11211, Process: "memcached", Evidence: "cmd:netstat"},
		snapshot.Listener{Proto: "tcp", Address: "10.0.0.5", Port: 443, Process: "httpd", Evidence: "cmd:netstat"},
		snapshot.Listener{Proto: "tcp", Address: "0.0.0.0", Port: 33060, Process: "mysqld", Evidence: "cmd:netstat"})
	s.Network.Connections = append(s.Network.Connections,
		snapshot.Connection{Proto: "tcp6", RemoteAddress: "2001:db8::25", RemotePort: 25, Count: 1, Purpose: "mail relay", Evidence: "cmd:netstat"},
		snapshot.Connection{Proto: "tcp", RemoteAddress: "127.0.0.1", RemotePort: 3306, Local: true, Count: 4, Evidence: "cmd:netstat"})
	s.Kernel = snapshot.Kernel{Live: true,
		InForce: map[string]string{"net.core.somaxconn": "1024", "vm.swappiness": "10", "fs.file-max": "400000"},
		Sysctls: []snapshot.Sysctl{
			{Key: "net.core.somaxconn", Value: "1024", State: snapshot.SysctlRead,
				Configured: &snapshot.SysctlSetting{Value: "1024", File: "/etc/sysctl.conf", Line: 12, Origin: snapshot.OriginAdmin}},
			{Key: "vm.swappiness", Value: "10", State: snapshot.SysctlRead,
				Configured: &snapshot.SysctlSetting{Value: "10", File: "/etc/sysctl.conf", Line: 13, Origin: snapshot.OriginUnknown}},
			{Key: "fs.file-max", Value: "400000", State: snapshot.SysctlRead,
				Configured: &snapshot.SysctlSetting{Value: "400000", File: "/usr/lib/sysctl.d/50-default.conf", Line: 3, Origin: snapshot.OriginOS}},
		}}
	s.Time.CronTZ = "Asia/Tokyo"
	s.Accounts.Groups[1].Members = []string{"deploy"}
	s.Accounts.Sudo[0].Tags = []string{"NOPASSWD"}
	s.Accounts.Users[2].Keys = []snapshot.AuthorizedKey{{Type: "ssh-ed25519", Fingerprint: "SHA256:bbbb", Options: []string{"from=\"10.0.0.0/8\""},
		Source: "/home/deploy/.ssh/authorized_keys:1", Evidence: "file:/home/deploy/.ssh/authorized_keys"}}
	s.Network.Firewall.Evidence = []string{"cmd:iptables-save"}
	s.Files.Configs[0].Mode, s.Files.Configs[0].Owner = "0644", "root"
	for _, sec := range snapshot.Sections {
		s.Coverage[sec] = snapshot.Coverage{Status: snapshot.Collected}
	}
	return s
}
