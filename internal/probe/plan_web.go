package probe

import "strings"

// WebServerConfigs are the Apache and nginx configuration files a running server
// reads, for the probe functions that look for paths in them.
var WebServerConfigs = []string{
	"/etc/httpd/conf/*.conf", "/etc/httpd/conf.d/*.conf",
	"/etc/apache2/apache2.conf", "/etc/apache2/ports.conf", "/etc/apache2/sites-enabled/*",
	"/etc/apache2/conf-enabled/*", "/etc/apache2/mods-enabled/*.conf",
	"/etc/nginx/nginx.conf", "/etc/nginx/conf.d/*.conf", "/etc/nginx/sites-enabled/*",
}

// WebCertSources are the configuration files _web_certs greps for certificate paths;
// the offline reader reads the same list (collect/offline_web.go).
var WebCertSources = append(append([]string{}, WebServerConfigs...),
	"/etc/postfix/main.cf",
	"/etc/dovecot/dovecot.conf", "/etc/dovecot/conf.d/*.conf",
	"/etc/tomcat*/server.xml", "/usr/share/tomcat*/conf/server.xml", "/opt/tomcat*/conf/server.xml",
)

// TomcatContexts are the places of Tomcat's per-application context files, which
// name a webapp's docBase and its JDBC resources.
const TomcatContexts = "/etc/tomcat*/Catalina/localhost/*.xml /var/lib/tomcat*/conf/Catalina/localhost/*.xml /usr/share/tomcat*/conf/Catalina/localhost/*.xml /opt/tomcat*/conf/Catalina/localhost/*.xml"

// ProcessManagerConfigs are the systemd units, php-fpm pools and supervisor and uWSGI
// programs that may run an application from a directory of its own.
var ProcessManagerConfigs = []string{
	"/etc/systemd/system/*.service",
	"/etc/php-fpm.d/*.conf", "/etc/php/*/fpm/pool.d/*.conf", "/etc/php5/fpm/pool.d/*.conf",
	"/etc/supervisor/conf.d/*.conf", "/etc/supervisord.conf", "/etc/supervisord.d/*.ini",
	"/etc/uwsgi/apps-enabled/*.ini", "/etc/uwsgi.d/*.ini",
}

// AppGroup is one group of places _web_apps looks at, after its flag (prologue.sh
// says what each flag reads).
type AppGroup struct {
	Flag   string
	Places []string
}

// AppPlaces are the places applications are found from, in the order they are
// followed (written out in _wa_find); the offline reader follows the same list.
var AppPlaces = []AppGroup{
	{"-w", append(append([]string{}, WebServerConfigs...), "/etc/apache2/httpd.conf", "/etc/apache2/conf.d/*", "/usr/local/nginx/conf/nginx.conf")},
	{"-t", []string{"/var/lib/tomcat*/webapps", "/usr/share/tomcat*/webapps", "/opt/tomcat*/webapps"}},
	{"-x", strings.Fields(TomcatServerXML + " " + TomcatContexts)},
	{"-c", ProcessManagerConfigs},
	{"-d", []string{"/var/www/*", "/srv/*", "/opt/*"}},
	{"-p", nil},
}

// AppMarkers are the files only an application's tree has (_wa_marked's list): a
// served directory, or one of its two parents, holding one is an application's root.
var AppMarkers = []string{
	"Gemfile", "Gemfile.lock", "config.ru", "config/environment.rb", "lib/redmine/version.rb",
	"artisan", "composer.json", "wp-config.php", "wp-includes/version.php",
	"manage.py", "requirements.txt", "pyproject.toml", "setup.py", "package.json",
	"WEB-INF/web.xml", "META-INF/MANIFEST.MF", "pom.xml",
}

// AppStops are the directories no application is rooted at: the walk up from a
// served directory stops there (_wa_stop, which also stops at any .../webapps).
var AppStops = []string{
	"", "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt", "/proc", "/root",
	"/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/lib", "/usr/lib64", "/usr/local", "/usr/share",
	"/var", "/var/lib", "/var/www", "/var/www/html",
}

// AppInterpreters are the programs whose ExecStart or command runs an application
// from a directory of its own (an ERE over the program's base name); SystemDirs are
// the directories the first path of such a command is not looked for in (an ERE).
const (
	AppInterpreters = `^(ruby|bundle|puma|pumactl|unicorn|unicorn_rails|rackup|thin|passenger|python[0-9.]*|gunicorn|uwsgi|node|nodejs|java|php)$`
	SystemDirs      = `^/(usr/(s?bin|lib|lib64|libexec|local/s?bin|share)|s?bin|lib|lib64|etc|dev|proc|sys|run|var/run|var/log)/`
)

// AppFacts are the paths below a tree _wa_tree says are there (M records): the
// markers, and what tells a framework, its configuration and its data apart.
// config/master.key, secrets.yml and credentials.yml.enc are named, never read.
var AppFacts = []string{
	"Gemfile", "Gemfile.lock", "config.ru", "config/environment.rb", "config/application.rb", "lib/redmine/version.rb", "app",
	"artisan", "composer.json", "composer.lock", "wp-config.php", "wp-includes/version.php", "wp-content",
	"manage.py", "requirements.txt", "pyproject.toml", "setup.py", "Pipfile", "package.json", "node_modules",
	"WEB-INF/web.xml", "WEB-INF/lib", "META-INF/MANIFEST.MF", "META-INF", "pom.xml",
	"index.php", "index.html", "index.nginx-debian.html", ".env", ".ruby-version", "application.properties",
	"config/database.yml", "config/configuration.yml", "config/storage.yml",
	"config/secrets.yml", "config/master.key", "config/credentials.yml.enc",
	"plugins", "files", "public/system", "storage", "wp-content/uploads", "media", "uploads", "venv", ".venv",
}

// AppFiles are the files of a tree _wa_tree sends whole (their first 64 KiB) through
// the secret filter: version files, dependency locks, database and storage settings.
var AppFiles = []string{
	"lib/redmine/version.rb", "Gemfile.lock", "config/database.yml", "config/configuration.yml",
	"config/storage.yml", ".ruby-version", "wp-config.php", "requirements.txt", "package.json",
}

// AppGrep is a file of which _wa_tree sends only the lines holding one of the
// patterns (grep -e; a leading ^ anchors): .env is a store of secrets by design,
// a lock file is large, a version file is mostly comments.
type AppGrep struct {
	File     string
	Patterns []string
}

// AppGreps are those files, in _wa_tree's order.
var AppGreps = []AppGrep{
	{"wp-includes/version.php", []string{"^$wp_version"}},
	{"composer.json", []string{`"name"`, `"version"`, `"php"`, `"ext-`}},
	{"composer.lock", []string{`"name"`, `"version"`}},
	{".env", []string{"DB_", "DATABASE_URL", "^APP_ENV", "^APP_URL"}},
	{"WEB-INF/web.xml", []string{"<display-name>", "<servlet-class>", "<listener-class>"}},
	{"META-INF/MANIFEST.MF", []string{"^Implementation-", "^Specification-Version", "^Bundle-Version"}},
}

// AppLists are the directories of a tree whose entries _wa_tree names: a Java
// webapp's jars, Redmine's and WordPress's plugins.
var AppLists = []string{"WEB-INF/lib", "plugins", "wp-content/plugins"}

// AppDataDirs are the directories below an application's root where frameworks keep
// what users uploaded (_wa_data's list): Redmine's files, Rails' public/system,
// Laravel's and Active Storage's storage, WordPress's uploads, Django's media.
var AppDataDirs = []string{"files", "public/system", "public/uploads", "storage", "wp-content/uploads", "media", "uploads"}

// appPlacesShell is the list _wa_find walks, each place under its root "$1".
func appPlacesShell() string {
	var b []string
	for _, g := range AppPlaces {
		b = append(b, g.Flag)
		for _, p := range g.Places {
			b = append(b, `"$1"`+p)
		}
	}
	return strings.Join(b, " ")
}

// TomcatServerXML are the places of Tomcat's server.xml, for _web_xml.
const TomcatServerXML = "/etc/tomcat*/server.xml /usr/share/tomcat*/conf/server.xml /opt/tomcat*/conf/server.xml /var/lib/tomcat*/conf/server.xml"

// webSteps read web servers and the applications behind them. Configuration is read
// through the secret filter (vhost files hold proxy credentials, database.yml the
// application's database password). Apache's -V and -M are asked of whichever control
// program the distribution ships: httpd on the RHEL family, apache2ctl on Debian (it
// sources /etc/apache2/envvars, which a bare `apache2 -V` needs and lacks).
var webSteps = []Step{
	// Apache httpd.
	{Kind: Cmd, Name: "httpd-V", Shell: "httpd -V", Needs: "httpd", Limit: small, Timeout: 20},
	{Kind: Cmd, Name: "apache2ctl-V", Shell: "apache2ctl -V", Needs: "apache2ctl", Unless: "httpd-V", Limit: small, Timeout: 20},
	{Kind: Cmd, Name: "httpd-M", Shell: "httpd -M", Needs: "httpd", Limit: small, Timeout: 20},
	{Kind: Cmd, Name: "apache2ctl-M", Shell: "apache2ctl -M", Needs: "apache2ctl", Unless: "httpd-M", Limit: small, Timeout: 20},
	{Kind: Glob, Path: "/etc/httpd/conf/*.conf", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/httpd/conf.d/*.conf", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/httpd/conf.modules.d/*.conf", Limit: small, Redact: true},
	// CentOS 5–6 pick the worker MPM here (HTTPD=/usr/sbin/httpd.worker).
	{Kind: File, Path: "/etc/sysconfig/httpd", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/apache2/apache2.conf", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/apache2/ports.conf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/apache2/envvars", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/apache2/httpd.conf", Limit: medium, Redact: true}, // Debian before 2.4
	{Kind: Glob, Path: "/etc/apache2/sites-enabled/*", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/apache2/conf-enabled/*", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/apache2/conf.d/*", Limit: medium, Redact: true}, // Debian before 2.4
	{Kind: Glob, Path: "/etc/apache2/mods-enabled/*", Limit: small, Redact: true},
	{Kind: List, Path: "/etc/apache2/sites-enabled"},
	{Kind: List, Path: "/etc/apache2/mods-enabled"},

	// nginx prints -V to standard error.
	{Kind: Cmd, Name: "nginx-V", Shell: "nginx -V 2>&1", Needs: "nginx", Limit: small, Timeout: 20},
	{Kind: File, Path: "/etc/nginx/nginx.conf", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/nginx/conf.d/*.conf", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/nginx/sites-enabled/*", Limit: medium, Redact: true},
	{Kind: File, Path: "/usr/local/nginx/conf/nginx.conf", Limit: medium, Redact: true},

	// PHP: the CLI's version, php.ini of every SAPI, php-fpm pools.
	{Kind: Cmd, Name: "php-v", Shell: "php -v", Needs: "php", Limit: small, Timeout: 20},
	{Kind: File, Path: "/etc/php.ini", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/php/*/*/php.ini", Limit: medium, Redact: true},
	{Kind: Glob, Path: "/etc/php5/*/php.ini", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/php-fpm.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/php-fpm.d/*.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/php/*/fpm/pool.d/*.conf", Limit: small, Redact: true},

	// Ruby's version; its applications are found with the others (web-apps).
	{Kind: Cmd, Name: "ruby-v", Shell: "ruby -v", Needs: "ruby", Limit: small, Timeout: 20},

	// Java and Tomcat. java -version prints to standard error.
	{Kind: Cmd, Name: "java-version", Shell: "java -version 2>&1", Needs: "java", Limit: small, Timeout: 20},
	{Kind: ListGlob, Path: "/var/lib/tomcat*/webapps /usr/share/tomcat*/webapps /opt/tomcat*/webapps"},
	// server.xml keeps keystorePass="..." among other attributes on one line, where
	// the line-based filter would miss it: _web_xml blanks every *pass* attribute first.
	{Kind: Cmd, Name: "tomcat-server-xml", Shell: "_web_xml " + TomcatServerXML, Limit: medium, Timeout: 20, Offline: "tomcat-xml"},

	// The units and programs that may run an application (who runs it, with which
	// interpreter); Environment= lines are commands' secrets, so through the filter.
	{Kind: Glob, Path: "/etc/systemd/system/*.service", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/supervisor/conf.d/*.conf /etc/supervisord.conf /etc/supervisord.d/*.ini", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/uwsgi/apps-enabled/*.ini /etc/uwsgi.d/*.ini", Limit: small, Redact: true},
	// Tomcat's context files: a webapp's docBase and its JDBC resources, whose
	// password attributes _web_xml blanks.
	{Kind: Cmd, Name: "tomcat-contexts", Shell: "_web_xml " + TomcatContexts, Limit: medium, Timeout: 20, Offline: "tomcat-contexts"},

	// Applications: every place that serves one followed to its real directory, what
	// the tree says it is (framework, version, database, the configuration through
	// the secret filter), then the trees' and their data's sizes, in a step of its own
	// so that a slow walk of a large tree costs nothing else; it measures the trees
	// web-apps found, whose output the probe keeps for it.
	{Kind: Cmd, Name: "web-apps", Shell: "_web_apps", Needs: "awk", Limit: medium, Timeout: 60, Keep: true, Offline: "web-apps"},
	{Kind: Cmd, Name: "web-app-sizes", Shell: "_web_app_sizes", Needs: "du", Limit: small, Timeout: 120, Offline: "web-app-sizes"},

	// Certificates named by any of the configurations above: the files are found at
	// run time, so a probe function reads them (see _web_certs).
	{Kind: Cmd, Name: "web-certs", Shell: "_web_certs " + strings.Join(WebCertSources, " "), Limit: medium, Timeout: 20, Offline: "web-certs"},
}
