package probe

import "strings"

// WebCertSources are the configuration files _web_certs greps for certificate paths;
// the offline reader reads the same list (collect/offline_web.go).
var WebCertSources = []string{
	"/etc/httpd/conf/*.conf", "/etc/httpd/conf.d/*.conf",
	"/etc/apache2/apache2.conf", "/etc/apache2/ports.conf", "/etc/apache2/sites-enabled/*",
	"/etc/apache2/conf-enabled/*", "/etc/apache2/mods-enabled/*.conf",
	"/etc/nginx/nginx.conf", "/etc/nginx/conf.d/*.conf", "/etc/nginx/sites-enabled/*",
	"/etc/postfix/main.cf",
	"/etc/dovecot/dovecot.conf", "/etc/dovecot/conf.d/*.conf",
	"/etc/tomcat*/server.xml", "/usr/share/tomcat*/conf/server.xml", "/opt/tomcat*/conf/server.xml",
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

	// Ruby and the Rails applications in the usual places.
	{Kind: Cmd, Name: "ruby-v", Shell: "ruby -v", Needs: "ruby", Limit: small, Timeout: 20},
	{Kind: Glob, Path: "/var/www/*/Gemfile.lock /srv/*/Gemfile.lock /opt/*/Gemfile.lock", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/www/*/config/environment.rb /srv/*/config/environment.rb /opt/*/config/environment.rb", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/www/*/lib/redmine/version.rb /srv/*/lib/redmine/version.rb /opt/*/lib/redmine/version.rb", Limit: small, Redact: true},
	// database.yml holds the database password: only ever read through the filter.
	{Kind: Glob, Path: "/var/www/*/config/database.yml /srv/*/config/database.yml /opt/*/config/database.yml", Limit: small, Redact: true},

	// Java and Tomcat. java -version prints to standard error.
	{Kind: Cmd, Name: "java-version", Shell: "java -version 2>&1", Needs: "java", Limit: small, Timeout: 20},
	{Kind: ListGlob, Path: "/var/lib/tomcat*/webapps /usr/share/tomcat*/webapps /opt/tomcat*/webapps"},
	// server.xml keeps keystorePass="..." among other attributes on one line, where
	// the line-based filter would miss it: _web_xml blanks every *pass* attribute first.
	{Kind: Cmd, Name: "tomcat-server-xml", Shell: "_web_xml " + TomcatServerXML, Limit: medium, Timeout: 20, Offline: "tomcat-xml"},

	// Certificates named by any of the configurations above: the files are found at
	// run time, so a probe function reads them (see _web_certs).
	{Kind: Cmd, Name: "web-certs", Shell: "_web_certs " + strings.Join(WebCertSources, " "), Limit: medium, Timeout: 20, Offline: "web-certs"},
}
