package probe

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
)

// dataSteps collect databases, mail, containers and caches. Nothing here logs in to
// a server: database names come from the data directories, not from a session, so
// no password is needed and none is read. Credential files are never read: Debian's
// /etc/mysql/debian.cnf, ~/.my.cnf, .pgpass and Postfix's sasl_passwd are left out
// of every glob on purpose (which is why /etc/mysql/*.cnf is not a glob here).
//
// Daemons live in sbin or libexec, which an unprivileged login's PATH lacks on the
// RHEL family, so the version commands go through _data_run, which also looks there
// and exits 127 with an empty output when the program is nowhere: that is the proof
// of absence the surveyors rely on. Such a step Seeks its program, and the probe gives
// that answer without starting the command where the program is nowhere.
var dataSteps = []Step{
	// What lies on disk of every server distro knows, whatever the package database
	// says: programs (and the package owning each), /usr/share/doc/NAME-VERSION
	// directories, version files. A MySQL unpacked from a tarball has all three and
	// no package. Offline the same is read from the disk.
	{Kind: Cmd, Name: "software-traces", Shell: "_traces " + strings.Join(ProgramDirs, " ") + " -- " + strings.Join(distro.AllPrograms(), " ") +
		" -- " + strings.Join(distro.AllDocNames(), " ") + " -- " + strings.Join(distro.AllVersionFiles(), " "),
		Limit: medium, Timeout: 60, Redact: true, Offline: "software-traces"},

	// MySQL and MariaDB. my.cnf's !include and !includedir are read from the standard
	// places below; an include that points elsewhere is named in the coverage reason.
	{Kind: Cmd, Name: "mysqld-version", Shell: "_data_run mysqld --version", Seeks: "mysqld", Limit: small, Timeout: 15},
	{Kind: Cmd, Name: "mysql-version", Shell: "_data_run mysql --version", Seeks: "mysql", Limit: small, Timeout: 10},
	{Kind: File, Path: "/etc/my.cnf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/my.cnf.d/*.cnf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/mysql/my.cnf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/mysql/mariadb.cnf", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/mysql/mysql.cnf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/mysql/conf.d/*.cnf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/mysql/mariadb.conf.d/*.cnf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/etc/mysql/mysql.conf.d/*.cnf", Limit: small, Redact: true},
	// Which of them the server reads: the files its command line names
	// (--defaults-file replaces the standard places), and, for a server that does
	// not run (a disk image), the units and init scripts that start it.
	{Kind: Cmd, Name: "mysqld-launch", Shell: "_data_mysqld_launch", Limit: small, Timeout: 15, Redact: true, Offline: "mysqld-launch"},
	{Kind: Glob, Path: strings.Join(MySQLStartScripts, " "), Limit: small, Redact: true},
	// The data directory: its entries and each database's size. Database directories
	// are mode 700 for mysql, so this is root's view; du is bounded by the timeout and
	// what it printed before a kill is still read.
	{Kind: Cmd, Name: "mysql-datadir", Shell: "_data_mysql_datadir", Limit: medium, Timeout: 30, Offline: "mysql-datadir"},

	// PostgreSQL: the data directories of the RHEL, PGDG and Debian layouts.
	{Kind: Cmd, Name: "postgres-version", Shell: "_data_pg_version", Limit: small, Timeout: 15},
	{Kind: Cmd, Name: "psql-version", Shell: "_data_run psql --version", Seeks: "psql", Limit: small, Timeout: 10},
	{Kind: Glob, Path: "/var/lib/pgsql/data/PG_VERSION /var/lib/pgsql/*/data/PG_VERSION /var/lib/postgresql/*/main/PG_VERSION", Limit: small},
	{Kind: Glob, Path: "/var/lib/pgsql/data/postgresql.conf /var/lib/pgsql/*/data/postgresql.conf /etc/postgresql/*/main/postgresql.conf /etc/postgresql/*/main/conf.d/*.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/lib/pgsql/data/postgresql.auto.conf /var/lib/pgsql/*/data/postgresql.auto.conf /var/lib/postgresql/*/main/postgresql.auto.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/lib/pgsql/data/pg_hba.conf /var/lib/pgsql/*/data/pg_hba.conf /etc/postgresql/*/main/pg_hba.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/lib/pgsql/data/recovery.conf /var/lib/pgsql/*/data/recovery.conf /var/lib/postgresql/*/main/recovery.conf", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/lib/pgsql/data/standby.signal /var/lib/pgsql/*/data/standby.signal /var/lib/postgresql/*/main/standby.signal", Limit: small},
	{Kind: Cmd, Name: "postgres-datadirs", Shell: "_data_pg_datadirs", Limit: medium, Timeout: 30, Offline: "postgres-datadirs"},

	// Postfix: postconf -n is the non-default settings, already merged.
	{Kind: Cmd, Name: "postconf-n", Shell: "_data_run postconf -n", Seeks: "postconf", Limit: medium, Timeout: 15, Redact: true},
	{Kind: Cmd, Name: "postconf-mail-version", Shell: "_data_run postconf -h mail_version", Seeks: "postconf", Limit: small, Timeout: 10},
	{Kind: File, Path: "/etc/postfix/main.cf", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/master.cf", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/aliases", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/aliases", Limit: medium, Redact: true},
	// The text forms of the usual lookup tables (never sasl_passwd).
	{Kind: File, Path: "/etc/postfix/virtual", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/transport", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/canonical", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/sender_canonical", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/recipient_canonical", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/generic", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/relocated", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/postfix/access", Limit: medium, Redact: true},

	// Dovecot: doveconf -n in 2.x, dovecot -n in 1.x.
	{Kind: Cmd, Name: "doveconf-n", Shell: "_data_run doveconf -n", Seeks: "doveconf", Limit: medium, Timeout: 15, Redact: true},
	{Kind: Cmd, Name: "dovecot-n", Shell: "_data_run dovecot -n", Seeks: "dovecot", Unless: "doveconf-n", Limit: medium, Timeout: 15, Redact: true},
	{Kind: File, Path: "/etc/dovecot/dovecot.conf", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/dovecot.conf", Limit: medium, Redact: true},

	// Docker: the containers, and only their mounts and restart policy from inspect:
	// never Config.Env, which holds secrets. Docker before 1.8 lacks ps --format; the
	// table form follows as a fallback.
	{Kind: Cmd, Name: "docker-ps", Shell: "docker ps -a --no-trunc --format '{{.ID}}\t{{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'", Needs: "docker", Limit: medium, Timeout: 20, RedactArgs: true},
	{Kind: Cmd, Name: "docker-ps-table", Shell: "docker ps -a --no-trunc", Needs: "docker", Unless: "docker-ps", Limit: medium, Timeout: 20, RedactArgs: true},
	{Kind: Cmd, Name: "docker-inspect", Shell: "docker ps -aq --no-trunc | head -n 500 | xargs docker inspect --format '{{.Id}}\t{{.HostConfig.RestartPolicy.Name}}\t{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}'", Needs: "docker", Limit: medium, Timeout: 30},
	{Kind: List, Path: "/etc/docker"},
	{Kind: Glob, Path: "/opt/*/docker-compose.yml /opt/*/docker-compose.yaml /opt/*/compose.yml /opt/*/compose.yaml /srv/*/docker-compose.yml /srv/*/compose.yml", Limit: small, Redact: true},

	// Caches.
	{Kind: Cmd, Name: "memcached-version", Shell: "_data_memcached_version", Limit: small, Timeout: 10},
	{Kind: File, Path: "/etc/sysconfig/memcached", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/memcached.conf", Limit: small, Redact: true},
	{Kind: Cmd, Name: "redis-version", Shell: "_data_run redis-server --version", Seeks: "redis-server", Limit: small, Timeout: 10},
	{Kind: File, Path: "/etc/redis.conf", Limit: medium, Redact: true},
	{Kind: File, Path: "/etc/redis/redis.conf", Limit: medium, Redact: true},
}

// MySQLStartScripts are the units and init scripts that start MySQL or MariaDB,
// local units first, as systemd prefers them: offline, the command they run stands
// in for a running server's.
var MySQLStartScripts = []string{
	"/etc/systemd/system/mariadb.service", "/etc/systemd/system/mysql.service", "/etc/systemd/system/mysqld.service",
	"/lib/systemd/system/mariadb.service", "/lib/systemd/system/mysql.service", "/lib/systemd/system/mysqld.service",
	"/usr/lib/systemd/system/mariadb.service", "/usr/lib/systemd/system/mysql.service", "/usr/lib/systemd/system/mysqld.service",
	"/etc/init.d/mysql", "/etc/init.d/mysqld", "/etc/init.d/mariadb", "/etc/rc.d/init.d/mysqld", "/etc/rc.d/init.d/mysql",
}

// ProgramDirs are where software-traces looks for servers' programs: the system's
// directories, libexec (EL5 keeps mysqld there), and the places a tarball or a
// source build installs to (/usr/local/mysql/bin, /usr/local/pgsql/bin, /opt/X/bin).
// Shell globs, expanded where the probe runs; the offline reader expands the same.
var ProgramDirs = []string{
	"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/libexec", "/usr/local/sbin", "/usr/local/bin",
	"/usr/local/*/bin", "/usr/local/*/sbin", "/opt/*/bin", "/opt/*/sbin", "/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin",
}
