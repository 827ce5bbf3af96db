package distro

import "strings"

// WebModule is what provides a web server's module on a platform.
type WebModule struct {
	// Packages install it; none when the server's own package carries it.
	Packages []string
	// Missing says why no package of the platform provides it; "" when one does.
	Missing string
}

// apacheModules are the Apache modules that do not come with the server's own
// package, by family: Debian's libapache2-mod-* and EL's mod_* (Sources: the
// package indexes of packages.debian.org for bookworm and trixie, Ubuntu noble,
// AlmaLinux 9 AppStream and EPEL, Amazon Linux 2023's package list.) A module
// not listed is built into the server's package on both families.
var apacheModules = map[string]map[string]WebModule{
	"ssl":  {"rhel": {Packages: []string{"mod_ssl"}}, "debian": {}},
	"php":  {"rhel": {Missing: "EL's php package runs PHP through php-fpm, not as an Apache module: proxy .php to php-fpm (SetHandler proxy:unix:/run/php-fpm/www.sock|fcgi://localhost)"}, "debian": {Packages: []string{"libapache2-mod-php"}}},
	"php5": {"rhel": {Missing: "PHP 5 is not packaged for current releases, and EL runs PHP through php-fpm: port the code and proxy .php to php-fpm"}, "debian": {Packages: []string{"libapache2-mod-php"}}},
	"php7": {"rhel": {Missing: "EL runs PHP through php-fpm, not as an Apache module: proxy .php to php-fpm"}, "debian": {Packages: []string{"libapache2-mod-php"}}},
	"passenger": {"rhel": {Missing: "no package of EL provides Passenger: install it from Phusion's own repository (oss-binaries.phusionpassenger.com), or run the application under Puma behind mod_proxy"},
		"debian": {Packages: []string{"libapache2-mod-passenger"}}},
	"wsgi":          {"rhel": {Packages: []string{"python3-mod_wsgi"}}, "debian": {Packages: []string{"libapache2-mod-wsgi-py3"}}},
	"perl":          {"rhel": {Packages: []string{"mod_perl"}}, "debian": {Packages: []string{"libapache2-mod-perl2"}}},
	"fcgid":         {"rhel": {Packages: []string{"mod_fcgid"}}, "debian": {Packages: []string{"libapache2-mod-fcgid"}}},
	"security2":     {"rhel": {Packages: []string{"mod_security"}}, "debian": {Packages: []string{"libapache2-mod-security2"}}},
	"auth_kerb":     {"rhel": {Missing: "mod_auth_kerb is gone from EL9: mod_auth_gssapi replaces it"}, "debian": {Missing: "mod_auth_kerb is gone from Debian: libapache2-mod-auth-gssapi replaces it"}},
	"auth_gssapi":   {"rhel": {Packages: []string{"mod_auth_gssapi"}}, "debian": {Packages: []string{"libapache2-mod-auth-gssapi"}}},
	"auth_mellon":   {"rhel": {Packages: []string{"mod_auth_mellon"}}, "debian": {Packages: []string{"libapache2-mod-auth-mellon"}}},
	"auth_openidc":  {"rhel": {Packages: []string{"mod_auth_openidc"}}, "debian": {Packages: []string{"libapache2-mod-auth-openidc"}}},
	"ldap":          {"rhel": {Packages: []string{"mod_ldap"}}, "debian": {}},
	"authnz_ldap":   {"rhel": {Packages: []string{"mod_ldap"}}, "debian": {}},
	"dav_svn":       {"rhel": {Packages: []string{"mod_dav_svn"}}, "debian": {Packages: []string{"libapache2-mod-svn"}}},
	"authz_svn":     {"rhel": {Packages: []string{"mod_dav_svn"}}, "debian": {Packages: []string{"libapache2-mod-svn"}}},
	"python":        {"rhel": {Missing: "mod_python is gone from current releases: run the application under mod_wsgi"}, "debian": {Missing: "mod_python is gone from current releases: run the application under mod_wsgi"}},
	"jk":            {"rhel": {Missing: "mod_jk is not packaged for EL9: use mod_proxy_ajp (built in) or mod_proxy_http"}, "debian": {Packages: []string{"libapache2-mod-jk"}}},
	"evasive20":     {"rhel": {Packages: []string{"mod_evasive"}}, "debian": {Packages: []string{"libapache2-mod-evasive"}}},
	"evasive":       {"rhel": {Packages: []string{"mod_evasive"}}, "debian": {Packages: []string{"libapache2-mod-evasive"}}},
	"qos":           {"rhel": {Missing: "mod_qos is not packaged for EL9"}, "debian": {Packages: []string{"libapache2-mod-qos"}}},
	"rpaf":          {"rhel": {Missing: "mod_rpaf is not packaged for current releases: mod_remoteip (built in) replaces it"}, "debian": {Missing: "mod_rpaf is gone: mod_remoteip (built in) replaces it"}},
	"access":        {"rhel": {Missing: "Apache 2.4 replaced mod_access with mod_authz_host: the Require lines translate its Order/Allow/Deny"}, "debian": {Missing: "Apache 2.4 replaced mod_access with mod_authz_host: the Require lines translate its Order/Allow/Deny"}},
	"auth":          {"rhel": {Missing: "Apache 2.4 split mod_auth into mod_auth_basic and mod_authn_file, both built in"}, "debian": {Missing: "Apache 2.4 split mod_auth into mod_auth_basic and mod_authn_file, both enabled by default"}},
	"authz_default": {"rhel": {Missing: "gone in Apache 2.4: authz_core does its work"}, "debian": {Missing: "gone in Apache 2.4: authz_core does its work"}},
	"authn_alias":   {"rhel": {Missing: "gone in Apache 2.4: authn_core does its work"}, "debian": {Missing: "gone in Apache 2.4: authn_core does its work"}},
	"disk_cache":    {"rhel": {Missing: "renamed cache_disk in Apache 2.4"}, "debian": {Missing: "renamed cache_disk in Apache 2.4"}},
	"mem_cache":     {"rhel": {Missing: "gone in Apache 2.4: cache_socache replaces it"}, "debian": {Missing: "gone in Apache 2.4: cache_socache replaces it"}},
	"file_cache":    {"rhel": {Missing: "gone in Apache 2.4"}, "debian": {Missing: "gone in Apache 2.4"}},
	"cern_meta":     {"rhel": {Missing: "not built by EL9's httpd"}, "debian": {}},
	"ident":         {"rhel": {Missing: "not built by EL9's httpd"}, "debian": {}},
}

// ApacheModule says what provides an Apache module (passenger_module,
// mod_passenger.so, passenger) on a platform.
func ApacheModule(module string, on Platform) WebModule {
	name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(module, "mod_"), ".so"), "_module")
	row, ok := apacheModules[name]
	if !ok {
		return WebModule{}
	}
	return row[on.Family()]
}
