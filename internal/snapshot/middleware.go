package snapshot

import "time"

// Middleware is the software the host's services are made of, each kind read by
// its own surveyor.
type Middleware struct {
	WebServers   []WebServer   `json:"web_servers"`
	Databases    []Database    `json:"databases"`
	Mail         []MailServer  `json:"mail"`
	Apps         []App         `json:"apps"`
	Containers   []Container   `json:"containers"`
	Caches       []Cache       `json:"caches"`
	Certificates []Certificate `json:"certificates"`
}

// Setting is one configuration setting and where it is set.
type Setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"` // file:line
}

// WebServer is Apache httpd or nginx.
type WebServer struct {
	Kind    string `json:"kind"` // apache, nginx
	Version string `json:"version,omitempty"`
	// VersionSource says where Version comes from: the program itself ("mysqld
	// --version"), a package ("package mysql-server 5.0.95-5.el5"), a
	// /usr/share/doc/NAME-VERSION directory, the software's own version file; ""
	// with no Version when it is not known.
	VersionSource string `json:"version_source,omitempty"`
	// Presence is what shows it installed: its package, program on disk, init
	// script or unit, configuration, data directory (see survey/presence).
	Presence   []string `json:"presence,omitempty"`
	MPM        string   `json:"mpm,omitempty"`
	Modules    []string `json:"modules,omitempty"`
	ConfigRoot string   `json:"config_root,omitempty"`
	Listen     []string `json:"listen,omitempty"`
	VHosts     []VHost  `json:"vhosts,omitempty"`
	// Legacy are directives the current major version rejects or deprecates (Apache
	// 2.2's Order/Allow/Deny ...), so a migration knows what to rewrite.
	Legacy   []Directive `json:"legacy,omitempty"`
	Service  string      `json:"service,omitempty"`
	Evidence []string    `json:"evidence"`
}

// VHost is one virtual host or nginx server block.
type VHost struct {
	ServerName   string   `json:"server_name,omitempty"`
	Aliases      []string `json:"aliases,omitempty"`
	Listen       string   `json:"listen,omitempty"` // "*:80"
	TLS          bool     `json:"tls,omitempty"`
	DocumentRoot string   `json:"document_root,omitempty"`
	// Proxies are backends it forwards to (ProxyPass, proxy_pass, Passenger app).
	Proxies []string `json:"proxies,omitempty"`
	Logs    []string `json:"logs,omitempty"`
	Source  string   `json:"source"` // file:line
}

// Directive is a configuration line worth pointing at.
type Directive struct {
	Name   string `json:"name"`
	Text   string `json:"text"`
	Source string `json:"source"` // file:line
	Why    string `json:"why,omitempty"`
}

// Database is a MySQL, MariaDB or PostgreSQL server.
type Database struct {
	Kind    string `json:"kind"` // mysql, mariadb, postgresql
	Version string `json:"version,omitempty"`
	// VersionSource says where Version comes from: the program itself ("mysqld
	// --version"), a package ("package mysql-server 5.0.95-5.el5"), a
	// /usr/share/doc/NAME-VERSION directory, the software's own version file; ""
	// with no Version when it is not known.
	VersionSource string `json:"version_source,omitempty"`
	// Presence is what shows it installed: its package, program on disk, init
	// script or unit, configuration, data directory (see survey/presence).
	Presence []string `json:"presence,omitempty"`
	Bind     string   `json:"bind,omitempty"`
	Port     int      `json:"port,omitempty"`
	Datadir  string   `json:"datadir,omitempty"`
	// DatadirBytes is the space the data directory occupies on disk, and
	// DatadirApparentBytes the length of its files: far more where a file is sparse
	// (an InnoDB ibdata1), and what a copy to a new host may write. nil when not
	// measured.
	DatadirBytes         *int64 `json:"datadir_bytes,omitempty"`
	DatadirApparentBytes *int64 `json:"datadir_apparent_bytes,omitempty"`
	// Databases are the schemas found, with sizes on disk where measured.
	Databases []DatabaseSchema `json:"databases,omitempty"`
	// Role is primary, replica, standalone, or "" when it cannot be told.
	Role string `json:"role,omitempty"`
	// RoleBasis says what the role rests on (a setting at file:line, a file in the
	// datadir), since files show intent, not whether a replica is connected.
	RoleBasis string `json:"role_basis,omitempty"`
	// Socket is the Unix socket clients use (MySQL), which apps on the host name.
	Socket string `json:"socket,omitempty"`
	// Settings are the non-default settings of its config files.
	Settings []Setting `json:"settings,omitempty"`
	Configs  []string  `json:"configs,omitempty"`
	Service  string    `json:"service,omitempty"`
	Evidence []string  `json:"evidence"`
}

// DatabaseSchema is one database of a server.
type DatabaseSchema struct {
	Name string `json:"name"`
	// Bytes is the space it occupies on disk; ApparentBytes the length of its
	// files, which a sparse file makes larger.
	Bytes         *int64 `json:"bytes,omitempty"`
	ApparentBytes *int64 `json:"apparent_bytes,omitempty"`
	// System marks the server's own schemas (mysql, performance_schema, sys;
	// PostgreSQL's templates), which a migration recreates rather than copies.
	System bool `json:"system,omitempty"`
}

// MailServer is Postfix or Dovecot.
type MailServer struct {
	Kind    string `json:"kind"` // postfix, dovecot
	Version string `json:"version,omitempty"`
	// VersionSource says where Version comes from: the program itself ("mysqld
	// --version"), a package ("package mysql-server 5.0.95-5.el5"), a
	// /usr/share/doc/NAME-VERSION directory, the software's own version file; ""
	// with no Version when it is not known.
	VersionSource string `json:"version_source,omitempty"`
	// Presence is what shows it installed: its package, program on disk, init
	// script or unit, configuration, data directory (see survey/presence).
	Presence  []string `json:"presence,omitempty"`
	Relayhost string   `json:"relayhost,omitempty"`
	// RelayhostHosts is the /etc/hosts entry ("10.231.0.40 at /etc/hosts:7") that
	// resolves the relay host's name, when one does: a name known only there breaks
	// on a new host that lacks the entry.
	RelayhostHosts string `json:"relayhost_hosts,omitempty"`
	// Settings are the non-default settings (postconf -n, doveconf -n).
	Settings []Setting `json:"settings,omitempty"`
	Aliases  []Alias   `json:"aliases,omitempty"`
	Configs  []string  `json:"configs,omitempty"`
	Service  string    `json:"service,omitempty"`
	Evidence []string  `json:"evidence"`
}

// Alias is one mail alias.
type Alias struct {
	Name    string   `json:"name"`
	Targets []string `json:"targets"`
	Source  string   `json:"source,omitempty"`
}

// App is an application deployed on the host: a Rails app, a PHP site, a Java
// web app.
type App struct {
	Kind string `json:"kind"` // rails, php, java
	Path string `json:"path"`
	// Name is what the app is when it can be told: "Redmine 4.2.3".
	Name    string `json:"name,omitempty"`
	Runtime string `json:"runtime,omitempty"` // "ruby 2.7.4", "php 7.4.33", "java 1.8.0"
	// Server is what runs it: passenger, unicorn, puma, php-fpm, mod_php, tomcat.
	Server   string    `json:"server,omitempty"`
	Settings []Setting `json:"settings,omitempty"`
	// Gems are the Gemfile.lock's direct specs for a Ruby app.
	Gems     []string `json:"gems,omitempty"`
	Service  string   `json:"service,omitempty"`
	Evidence []string `json:"evidence"`
}

// Container is one Docker container.
type Container struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Image    string   `json:"image"`
	State    string   `json:"state,omitempty"`
	Ports    []string `json:"ports,omitempty"`
	Mounts   []string `json:"mounts,omitempty"`
	Evidence []string `json:"evidence"`
	// RestartPolicy is docker's restart policy (always, unless-stopped ...): what
	// brings the container back after a reboot, in place of an init script.
	RestartPolicy string `json:"restart_policy,omitempty"`
}

// Cache is memcached or redis.
type Cache struct {
	Kind    string `json:"kind"` // memcached, redis
	Version string `json:"version,omitempty"`
	// VersionSource says where Version comes from: the program itself ("mysqld
	// --version"), a package ("package mysql-server 5.0.95-5.el5"), a
	// /usr/share/doc/NAME-VERSION directory, the software's own version file; ""
	// with no Version when it is not known.
	VersionSource string `json:"version_source,omitempty"`
	// Presence is what shows it installed: its package, program on disk, init
	// script or unit, configuration, data directory (see survey/presence).
	Presence []string  `json:"presence,omitempty"`
	Bind     string    `json:"bind,omitempty"`
	Port     int       `json:"port,omitempty"`
	Settings []Setting `json:"settings,omitempty"`
	Service  string    `json:"service,omitempty"`
	Evidence []string  `json:"evidence"`
}

// Certificate is an X.509 certificate a configuration points at.
type Certificate struct {
	Path       string    `json:"path"`
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer,omitempty"`
	SANs       []string  `json:"sans,omitempty"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	SelfSigned bool      `json:"self_signed,omitempty"`
	// UsedBy are the config lines naming it ("file:line").
	UsedBy   []string `json:"used_by,omitempty"`
	Evidence []string `json:"evidence"`
}
