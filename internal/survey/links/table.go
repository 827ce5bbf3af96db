package links

import (
	"path"
	"regexp"
	"strings"
)

// daemon is a process that shows a service runs.
type daemon struct {
	// name is matched against a process's comm, its argv[0] base name, or for an
	// interpreter (sh, python, perl, ruby ...) the base name of the script it runs.
	name string
	// args, when set, must also occur in the command line: "master" alone is too
	// common a name to mean Postfix, "java" to mean Tomcat.
	args string
}

// daemons maps a service name (a SysV script, an upstart job or a systemd unit
// without ".service") to the processes that run it. A service listed here is a
// long-running daemon: when the process list is complete and none of its processes
// is there, it is not running. A service not listed may be a one-shot script
// (network, iptables, netfs) that runs no process at all, so a missing process
// proves nothing; it is still found running by a process of its own name.
var daemons = map[string][]daemon{}

func add(names string, ds ...daemon) {
	for _, n := range strings.Fields(names) {
		daemons[n] = append(daemons[n], ds...)
	}
}

func d(name string) daemon { return daemon{name: name} }

func init() {
	// Remote access and web.
	add("sshd ssh", d("sshd"))
	add("httpd", d("httpd"), d("httpd.worker"), d("httpd.event")) // EL6 names the MPM binaries so
	add("apache2", d("apache2"))
	add("nginx", d("nginx"))
	add("lighttpd", d("lighttpd"))
	add("varnish", d("varnishd"))
	add("haproxy", d("haproxy"))
	add("squid squid3", d("squid"), d("squid3"))
	add("php-fpm", d("php-fpm"))
	add("php5-fpm", d("php5-fpm"), d("php-fpm"))
	add("tomcat tomcat5 tomcat6 tomcat7 tomcat8 tomcat9", daemon{"java", "catalina"}, daemon{"jsvc", "catalina"})
	add("jenkins", daemon{"java", "jenkins"})
	add("elasticsearch", daemon{"java", "elasticsearch"})
	// Databases and caches.
	add("mysqld mysql mariadb", d("mysqld"), d("mariadbd"), d("mysqld_safe"))
	add("postgresql", d("postgres"), d("postmaster"))
	add("mongod mongodb", d("mongod"))
	add("redis redis-server", d("redis-server"))
	add("memcached", d("memcached"))
	add("slapd", d("slapd"))
	add("rabbitmq-server", daemon{"beam.smp", "rabbit"}, daemon{"beam", "rabbit"})
	// Mail.
	add("postfix", daemon{"master", "postfix"})
	add("sendmail", d("sendmail"))
	add("exim exim4", d("exim"), d("exim4"))
	add("dovecot", d("dovecot"))
	add("spamassassin spamd", d("spamd"))
	add("clamd clamav-daemon", d("clamd"))
	add("amavisd", d("amavisd"))
	add("opendkim", d("opendkim"))
	add("saslauthd", d("saslauthd"))
	// System.
	add("crond", d("crond"))
	add("cron", d("cron"))
	add("atd", d("atd"))
	add("rsyslog", d("rsyslogd"))
	add("syslog sysklogd", d("syslogd"))
	add("syslog-ng", d("syslog-ng"))
	add("named bind9", d("named"))
	add("ntpd ntp", d("ntpd"))
	add("chronyd chrony", d("chronyd"))
	add("xinetd", d("xinetd"))
	add("openbsd-inetd inetd", d("inetd"))
	add("rpcbind", d("rpcbind"))
	add("portmap", d("portmap"))
	add("nfslock", d("rpc.statd"))
	add("auditd", d("auditd"))
	add("irqbalance", d("irqbalance"))
	add("acpid", d("acpid"))
	add("messagebus dbus", d("dbus-daemon"))
	add("avahi-daemon", d("avahi-daemon"))
	add("cups cupsd", d("cupsd"))
	add("smartd", d("smartd"))
	add("mdmonitor", d("mdadm"))
	add("autofs", d("automount"))
	add("nscd", d("nscd"))
	add("sssd", d("sssd"))
	add("nslcd", d("nslcd"))
	add("ypbind", d("ypbind"))
	add("dnsmasq", d("dnsmasq"))
	add("snmpd", d("snmpd"))
	add("snmptrapd", d("snmptrapd"))
	add("keepalived", d("keepalived"))
	add("openvpn", d("openvpn"))
	add("vsftpd", d("vsftpd"))
	add("proftpd", d("proftpd"))
	add("smb smbd samba", d("smbd"))
	add("nmb nmbd", d("nmbd"))
	add("winbind", d("winbindd"))
	add("iscsid", d("iscsid"))
	add("multipathd", d("multipathd"))
	add("docker", d("dockerd"), d("docker"))
	add("containerd", d("containerd"))
	// Agents.
	add("td-agent", d("td-agent"), daemon{"ruby", "td-agent"})
	add("fluentd", d("fluentd"), daemon{"ruby", "fluentd"})
	add("puppet", d("puppet"), daemon{"ruby", "puppet"})
	add("zabbix-agent", d("zabbix_agentd"))
	add("zabbix-server", d("zabbix_server"))
	add("nrpe nagios-nrpe-server", d("nrpe"))
	add("nagios", d("nagios"))
	add("monit", d("monit"))
	add("supervisord supervisor", d("supervisord"))
	add("fail2ban", d("fail2ban-server"))
}

// packages maps a service to the packages that ship its init script or unit, where
// that package's name differs from the service's, in order of preference: the first
// candidate installed wins. path.Match patterns cover Debian's versioned names
// (mysql-server-5.5); a pattern matching two installed packages is a guess, and gives
// nothing. A service not listed is shipped, if at all, by the package of its own name.
var packages = map[string][]string{}

func pkg(services string, names ...string) {
	for _, s := range strings.Fields(services) {
		packages[s] = append(packages[s], names...)
	}
}

func init() {
	pkg("sshd ssh", "openssh-server")
	// Debian's versioned server package holds /etc/init.d/mysql; the unversioned
	// one is then only a metapackage beside it.
	pkg("mysqld mysql", "mysql-server-[0-9]*", "mariadb-server-[0-9]*", "Percona-Server-server-[0-9]*",
		"mysql-community-server", "mysql-server", "mariadb-server")
	pkg("mariadb", "mariadb-server-[0-9]*", "mariadb-server", "MariaDB-server")
	pkg("postgresql", "postgresql-server", "postgresql-common")
	pkg("apache2", "apache2.2-common", "apache2") // Debian 6–7 kept the script in apache2.2-common
	pkg("nginx", "nginx-common", "nginx")         // Debian's nginx is a metapackage
	pkg("mongod", "mongodb-org-server", "mongodb-server")
	pkg("named", "bind")
	pkg("crond", "cronie", "vixie-cron")
	pkg("syslog", "sysklogd")
	pkg("ntpd", "ntp")
	pkg("chronyd", "chrony")
	pkg("smb nmb smbd nmbd samba", "samba")
	pkg("winbind", "samba-winbind", "winbind")
	pkg("exim4", "exim4-base")
	pkg("sendmail", "sendmail-bin", "sendmail")
	pkg("dovecot", "dovecot", "dovecot-core")
	pkg("auditd", "audit", "auditd")
	pkg("messagebus", "dbus")
	pkg("nfslock", "nfs-utils")
	pkg("mdmonitor", "mdadm")
	pkg("snmpd snmptrapd", "net-snmp", "snmpd")
	pkg("clamd", "clamav-server", "clamd")
	pkg("docker", "docker-ce", "docker-engine", "docker.io", "docker")
	pkg("supervisord", "supervisor")
	pkg("atd", "at")
	pkg("avahi-daemon", "avahi", "avahi-daemon")
}

// versionSuffix is the "-9.6" of "postgresql-9.6" or "mysql-5.5".
var versionSuffix = regexp.MustCompile(`-[0-9][0-9.]*$`)

// baseName reduces a service name to the key of the tables: "sshd.service" and
// "postgresql-9.6.service" to "sshd" and "postgresql", "getty@tty1" to "getty".
func baseName(service string) string {
	s := strings.TrimSuffix(service, ".service")
	if i := strings.IndexByte(s, '@'); i > 0 {
		s = s[:i]
	}
	return s
}

func tableKey(service string) string {
	s := baseName(service)
	if _, ok := daemons[s]; ok {
		return s
	}
	if _, ok := packages[s]; ok {
		return s
	}
	if t := versionSuffix.ReplaceAllString(s, ""); t != s {
		return t
	}
	return s
}

// interpreter matches programs whose process is named after the interpreter, not
// the script: "/bin/sh /usr/bin/mysqld_safe", "/usr/bin/python /usr/bin/supervisord".
var interpreter = regexp.MustCompile(`^(sh|bash|dash|python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*)$`)

// processNames are the names a process answers to: its comm, its argv[0]'s base name
// without a retitling colon or a login dash, and an interpreted script's base name.
func processNames(comm, command string) []string {
	var out []string
	if comm != "" {
		out = append(out, comm)
	}
	args := strings.Fields(command)
	if len(args) == 0 {
		return out
	}
	argv0 := strings.TrimPrefix(strings.TrimSuffix(path.Base(args[0]), ":"), "-")
	if argv0 != "" && argv0 != comm {
		out = append(out, argv0)
	}
	if interpreter.MatchString(argv0) {
		for _, a := range args[1:] {
			if strings.HasPrefix(a, "-") {
				continue
			}
			out = append(out, path.Base(a))
			break
		}
	}
	return out
}

// matches reports whether a process answers to one of ds, or, for a service not in
// the table, to the service's own name.
func matches(ds []daemon, service, comm, command string) bool {
	names := processNames(comm, command)
	if len(ds) == 0 {
		ds = []daemon{{name: service}}
	}
	for _, dm := range ds {
		for _, n := range names {
			// The kernel keeps 15 characters of comm: "systemd-resolved" is
			// "systemd-resolve" there.
			if n == dm.name || (n == comm && len(comm) == 15 && strings.HasPrefix(dm.name, comm)) {
				if dm.args == "" || strings.Contains(command, dm.args) {
					return true
				}
			}
		}
	}
	return false
}

// PackageFor names the package that ships a service, when that is certain: the first
// installed package among the service's known packages, or the package of the
// service's own name, or systemd for a systemd-* unit. It returns "" otherwise.
func PackageFor(service string, installed map[string]bool) string {
	key := tableKey(service)
	cands, ok := packages[key]
	if !ok {
		if installed[key] {
			return key
		}
		// systemd's own units ship in systemd, or (Debian 12) in a split package
		// of the unit's name, tried above.
		if strings.HasPrefix(key, "systemd-") && installed["systemd"] {
			return "systemd"
		}
		return ""
	}
	for _, c := range cands {
		if !strings.ContainsAny(c, "*?[") {
			if installed[c] {
				return c
			}
			continue
		}
		var found []string
		for name := range installed {
			if ok, _ := path.Match(c, name); ok {
				found = append(found, name)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0]
		}
		return ""
	}
	return ""
}
