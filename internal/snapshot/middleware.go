package snapshot

import "time"

// Middleware is the software the host's services are made of, each kind read by
// its own surveyor.
type Middleware struct {
	WebServers []WebServer  `json:"web_servers"`
	Databases  []Database   `json:"databases"`
	Mail       []MailServer `json:"mail"`
	Apps       []App        `json:"apps"`
	// NotApps are the directories web servers and process managers serve from that
	// are not an application's (a stock page, static files, an empty directory), and
	// those that could not be followed (absent, unreadable, on a network mount).
	NotApps []ServedPath `json:"not_apps,omitempty"`
	// Runtimes are interpreters' and application servers' own configurations,
	// shared by the applications they run: php.ini, php-fpm pools, Tomcat's
	// server.xml.
	Runtimes     []Runtime     `json:"runtimes,omitempty"`
	Containers   []Container   `json:"containers"`
	Caches       []Cache       `json:"caches"`
	Certificates []Certificate `json:"certificates"`
}

// Setting is one configuration setting and where it is set.
type Setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"` // file:line
	// CommandLine is true for an option of the server's command line (Source is
	// /proc/PID/cmdline, or the unit or init script line that starts it): how
	// this host starts the server (mysqld_safe's --plugin-dir), which a target's
	// package and unit decide their own way, not a setting of its configuration.
	CommandLine bool `json:"command_line,omitempty"`
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
	// Paths are its directives that name a directory it serves from, or the
	// interpreter it serves with: DocumentRoot, Alias, PassengerAppRoot,
	// PassengerRuby; nginx's root, alias, passenger_app_root, passenger_ruby.
	Paths  []VHostPath `json:"paths,omitempty"`
	Logs   []string    `json:"logs,omitempty"`
	Source string      `json:"source"` // file:line
}

// VHostPath is one directive of a virtual host that names a path.
type VHostPath struct {
	Directive string `json:"directive"`
	// URL is the URL path an Alias maps, or the location a directive is inside.
	URL    string `json:"url,omitempty"`
	Path   string `json:"path"`
	Source string `json:"source"` // file:line
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
	// DatadirReal is where symlinks lead Datadir (/usr/local/mysql/data is
	// /opt/mariadb-10.5.23-linux-x86_64/data), "" when none does: a copy of the
	// tree it really lies in must leave the live database out.
	DatadirReal string `json:"datadir_real,omitempty"`
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

// App is an application deployed on the host: a tree of its own that a web server
// or a process manager serves, found by following what serves it to the directory
// it really is, or found in a usual place (/var/www, /srv, /opt) by what the tree
// says it is.
type App struct {
	// Kind is the language it runs in: rails, rack, php, python, node, java, cgi.
	Kind string `json:"kind"`
	// Path is the tree's real directory, every link resolved.
	Path string `json:"path"`
	// Name is what the app is when it can be told: "Redmine 4.2.11".
	Name string `json:"name,omitempty"`
	// Framework is what the tree says it is built with (Redmine, Rails, WordPress,
	// Laravel, Django, Java webapp, Rack, Node.js, PHP, Python), Version its version
	// and VersionSource the file and line that say so; both empty when the tree does
	// not say.
	Framework     string `json:"framework,omitempty"`
	Version       string `json:"version,omitempty"`
	VersionSource string `json:"version_source,omitempty"`
	Runtime       string `json:"runtime,omitempty"` // "ruby 2.7.4", "php 7.4.33", "java 1.8.0"
	// RuntimeSource says where Runtime comes from: a vhost's PassengerRuby, the
	// tree's .ruby-version, its virtualenv, or the interpreter on PATH (ruby -v),
	// which may not be the one the app runs with.
	RuntimeSource string `json:"runtime_source,omitempty"`
	// Server is what runs it: passenger, unicorn, puma, gunicorn, uwsgi, php-fpm,
	// mod_php, tomcat.
	Server string `json:"server,omitempty"`
	// ServedBy are the places that lead to it: a vhost's DocumentRoot, a unit's
	// WorkingDirectory, a pool's chdir, a Tomcat webapp, a proxy's backend process.
	ServedBy []ServedPath `json:"served_by,omitempty"`
	// Release is the release directory a deploy tool's current link leads to
	// (current -> releases/20240115): the tree is one of several releases, and
	// what they share may live beside them.
	Release string `json:"release,omitempty"`
	// Owner and Group own the tree's top directory, by name where the host's
	// accounts say, else by number.
	Owner string `json:"owner,omitempty"`
	Group string `json:"group,omitempty"`
	// Bytes is the space the tree occupies on disk (its filesystem only), and
	// ApparentBytes the length of its files; nil when not measured.
	Bytes         *int64 `json:"bytes,omitempty"`
	ApparentBytes *int64 `json:"apparent_bytes,omitempty"`
	// Configs are its configuration files; Secrets are files holding its secrets
	// (config/master.key, secrets.yml, .env), named and never read, to be supplied
	// on a new host.
	Configs []string `json:"configs,omitempty"`
	Secrets []string `json:"secrets,omitempty"`
	// Data are the directories its users' files live in, with their sizes.
	Data []AppData `json:"data,omitempty"`
	// Settings are what its configuration says that a move needs: the framework's
	// version, database.adapter, database.host, database.port, database.database,
	// database.socket, database.username (never a password), each with its file.
	Settings []Setting `json:"settings,omitempty"`
	// Gems are the Gemfile.lock's direct specs for a Ruby app.
	Gems []string `json:"gems,omitempty"`
	// Libraries are the other dependencies its tree pins: composer.lock's
	// packages, requirements.txt's pins, WEB-INF/lib's jars, its plugins.
	Libraries []string `json:"libraries,omitempty"`
	// Extensions are the PHP extensions composer.json requires (gd, intl): what
	// the new host's PHP needs besides the core.
	Extensions []string `json:"extensions,omitempty"`
	// Package is the package that installed the tree, when one did.
	Package  string   `json:"package,omitempty"`
	Service  string   `json:"service,omitempty"`
	Evidence []string `json:"evidence"`
}

// ServedPath is one place that serves a directory, followed to where it leads.
type ServedPath struct {
	// By is what serves it: "apache redmine.example.test *:80", "nginx
	// shop.example.test", "systemd puma.service", "php-fpm pool intranet",
	// "tomcat", "process 1234 (ruby)", "found in /srv".
	By string `json:"by"`
	// Directive is how: DocumentRoot, Alias, PassengerAppRoot, root, alias,
	// passenger_app_root, ProxyPass, webapp, docBase, WorkingDirectory, chdir,
	// directory, ExecStart, command, cwd, place.
	Directive string `json:"directive"`
	Path      string `json:"path"` // as written
	// RealPath is where Path leads, every link resolved; Links are the links met
	// on the way ("/var/www/redmine -> /opt/redmine/current/public").
	RealPath string   `json:"real_path,omitempty"`
	Links    []string `json:"links,omitempty"`
	// Found is what is there: application, stock (a distribution's default
	// page), static (files, no code), empty, or why it could not be told: absent,
	// denied, notdir, network, outside (a link out of a mounted root).
	Found string `json:"found"`
	// What says more: the stock page's title, what the static files are.
	What     string `json:"what,omitempty"`
	Source   string `json:"source,omitempty"` // file:line, or /proc/PID
	Evidence string `json:"evidence"`
}

// AppData is a directory of an application's data: what its users uploaded.
type AppData struct {
	Path string `json:"path"`
	// What it is: "attachments", "uploads", "Active Storage files", "media".
	What string `json:"what"`
	// Source is the setting that puts it there (file:line), empty for the
	// framework's own place in the tree.
	Source        string `json:"source,omitempty"`
	Owner         string `json:"owner,omitempty"`
	Group         string `json:"group,omitempty"`
	Bytes         *int64 `json:"bytes,omitempty"`
	ApparentBytes *int64 `json:"apparent_bytes,omitempty"`
	// Note is why a size is missing or partial: partial (not everything could be
	// read), network (on a network mount, not measured), not measured.
	Note     string `json:"note,omitempty"`
	Evidence string `json:"evidence"`
}

// Runtime is an interpreter's or application server's own configuration: php.ini,
// a php-fpm pool, Tomcat's server.xml.
type Runtime struct {
	Kind    string `json:"kind"`              // php, java
	Version string `json:"version,omitempty"` // "5.1.6"
	Path    string `json:"path"`              // the configuration file
	// Server is what reads it: mod_php, php-fpm, cli, tomcat.
	Server   string    `json:"server,omitempty"`
	Settings []Setting `json:"settings,omitempty"`
	Evidence []string  `json:"evidence"`
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
