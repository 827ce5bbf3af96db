package distro

import (
	"path"
	"testing"
)

func TestServiceRole(t *testing.T) {
	tests := map[string]string{
		"httpd": "apache", "apache2": "apache", "apache": "apache", "httpd.service": "apache",
		"S85httpd": "apache", "K15httpd": "apache", "/etc/init.d/httpd": "apache", "httpd24-httpd": "apache",
		"crond": "cron", "cron": "cron", "cronie": "cron", "cron.service": "cron",
		"mysqld": "mysql", "mysql": "mysql", "mariadb": "mysql", "mariadb.service": "mysql", "S64mysqld": "mysql",
		"sshd": "ssh", "ssh": "ssh", "openssh-server": "ssh", "sshd.service": "ssh",
		"rsyslog": "syslog", "syslog": "syslog", "sysklogd": "syslog", "S12syslog": "syslog",
		"postfix": "postfix", "dovecot": "dovecot",
		"ntpd": "ntp", "ntp": "ntp", "chronyd": "ntp", "chrony": "ntp", "systemd-timesyncd": "ntp",
		"named": "dns", "bind9": "dns", "named.service": "dns",
		"memcached": "memcached", "redis": "redis", "redis-server": "redis", "redis6": "redis",
		"postgresql": "postgresql", "postgresql-9.6": "postgresql", "postgresql-15": "postgresql",
		"postgresql@15-main": "postgresql", "postgresql@15-main.service": "postgresql",
		"postfix@-": "postfix", "postfix@-.service": "postfix",
		"php-fpm": "php-fpm", "php7.4-fpm": "php-fpm", "php8.2-fpm": "php-fpm", "rh-php73-php-fpm": "php-fpm",
		"tomcat": "tomcat", "tomcat6": "tomcat", "tomcat9": "tomcat", "tomcat10": "tomcat",
		"td-agent": "fluentd", "fluentd": "fluentd",
		"docker": "docker", "nginx": "nginx", "sendmail": "sendmail", "vsftpd": "vsftpd",
		"smb": "samba", "smbd": "samba", "nmb": "nmb", "nfs": "nfs", "nfs-server": "nfs", "nfs-kernel-server": "nfs",
		"portmap": "rpcbind", "nagios-nrpe-server": "nrpe", "nrpe": "nrpe", "exim4": "exim",
		// Unknown names are their own role, normalized.
		"getty@tty1.service": "getty@tty1", "MyApp.service": "myapp", "S99local": "local", "kdump": "kdump",
		"s3fs": "s3fs", "K8s-agent": "k8s-agent",
	}
	for name, want := range tests {
		if got := ServiceRole(name); got != want {
			t.Errorf("ServiceRole(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSameService(t *testing.T) {
	same := [][2]string{{"httpd", "apache2"}, {"mysqld", "mariadb.service"}, {"S20crond", "cron"}, {"ntpd", "chrony"},
		{"postgresql-9.2", "postgresql@15-main"}, {"tomcat6", "tomcat10"}, {"myapp", "myapp.service"}}
	for _, p := range same {
		if !SameService(p[0], p[1]) {
			t.Errorf("SameService(%q, %q) = false", p[0], p[1])
		}
	}
	differ := [][2]string{{"httpd", "nginx"}, {"mysqld", "postgresql"}, {"postfix", "sendmail"}, {"smb", "nmb"}, {"syslog", "syslog-ng"}}
	for _, p := range differ {
		if SameService(p[0], p[1]) {
			t.Errorf("SameService(%q, %q) = true", p[0], p[1])
		}
	}
}

// TestServiceOnTargets pins the unit name of the common roles on every codify target.
func TestServiceOnTargets(t *testing.T) {
	targets := []string{"debian-12", "debian-13", "ubuntu-24.04", "almalinux-9", "rocky-9", "amazonlinux-2023"}
	tests := []struct {
		from string
		want [6]string
	}{
		{"httpd", [6]string{"apache2", "apache2", "apache2", "httpd", "httpd", "httpd"}},
		{"apache2", [6]string{"apache2", "apache2", "apache2", "httpd", "httpd", "httpd"}},
		{"crond", [6]string{"cron", "cron", "cron", "crond", "crond", "crond"}},
		{"mysqld", [6]string{"mariadb", "mariadb", "mariadb", "mariadb", "mariadb", "mariadb"}},
		{"sshd", [6]string{"ssh", "ssh", "ssh", "sshd", "sshd", "sshd"}},
		{"syslog", [6]string{"rsyslog", "rsyslog", "rsyslog", "rsyslog", "rsyslog", "rsyslog"}},
		{"ntpd", [6]string{"chrony", "chrony", "chrony", "chronyd", "chronyd", "chronyd"}},
		{"bind9", [6]string{"named", "named", "named", "named", "named", "named"}},
		{"redis", [6]string{"redis-server", "redis-server", "redis-server", "redis", "redis", "redis6"}},
		{"postgresql-9.6", [6]string{"postgresql", "postgresql", "postgresql", "postgresql", "postgresql", "postgresql"}},
		{"php-fpm", [6]string{"php8.2-fpm", "php8.4-fpm", "php8.3-fpm", "php-fpm", "php-fpm", "php-fpm"}},
		{"tomcat6", [6]string{"tomcat10", "tomcat10", "tomcat10", "tomcat", "tomcat", "tomcat9"}},
		{"td-agent", [6]string{"fluentd", "fluentd", "fluentd", "fluentd", "fluentd", "fluentd"}},
		{"smb", [6]string{"smbd", "smbd", "smbd", "smb", "smb", "smb"}},
		{"nfs", [6]string{"nfs-kernel-server", "nfs-kernel-server", "nfs-kernel-server", "nfs-server", "nfs-server", "nfs-server"}},
		{"postfix", [6]string{"postfix", "postfix", "postfix", "postfix", "postfix", "postfix"}},
		{"myapp", [6]string{"myapp", "myapp", "myapp", "myapp", "myapp", "myapp"}},
	}
	for _, tt := range tests {
		for i, ts := range targets {
			p, err := ParsePlatform(ts)
			if err != nil {
				t.Fatal(err)
			}
			if got := ServiceOn(tt.from, p); got != tt.want[i] {
				t.Errorf("ServiceOn(%q, %s) = %q, want %q", tt.from, ts, got, tt.want[i])
			}
		}
	}
}

func TestServiceOnLegacy(t *testing.T) {
	tests := []struct {
		name, platform, want string
	}{
		{"mariadb", "centos-6", "mysqld"},
		{"chrony", "centos-6", "ntpd"},
		{"rsyslog", "centos-5", "syslog"},
		{"rpcbind", "centos-5", "portmap"},
		{"nfs-server", "centos-6", "nfs"},
		{"apache2", "centos-5", "httpd"},
		{"named", "debian-11", "bind9"},
		{"php8.2-fpm", "debian-11", "php7.4-fpm"},
		{"tomcat10", "debian-11", "tomcat9"},
		{"ntpd", "amzn-2", "chronyd"},
		{"mysqld", "amzn-1", "mysqld"},
		{"Unknown.Service", "debian-12", "Unknown.Service"},
	}
	for _, tt := range tests {
		p, _ := ParsePlatform(tt.platform)
		if got := ServiceOn(tt.name, p); got != tt.want {
			t.Errorf("ServiceOn(%q, %s) = %q, want %q", tt.name, tt.platform, got, tt.want)
		}
	}
}

// TestServiceTable checks the table itself: every role has a unit on every target,
// no name belongs to two roles, and no pattern of one role swallows another's name.
func TestServiceTable(t *testing.T) {
	tb, err := loadTables(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.services) < 40 {
		t.Errorf("only %d service roles", len(tb.services))
	}
	roles := map[string]bool{}
	for _, r := range tb.services {
		if roles[r.Role] {
			t.Errorf("role %s twice", r.Role)
		}
		roles[r.Role] = true
		for _, p := range Targets() {
			if v, _, ok := resolveOn(r.On, p); !ok || v == "" {
				t.Errorf("role %s has no service on %s", r.Role, p)
			}
		}
	}
	for name, row := range tb.serviceBy.exact {
		for _, g := range tb.serviceBy.globs {
			if ok, _ := path.Match(g.pattern, name); ok && g.row != row {
				t.Errorf("pattern %q of role %s matches %q of role %s", g.pattern, tb.services[g.row].Role, name, tb.services[row].Role)
			}
		}
		if got := ServiceRole(name); got != tb.services[row].Role {
			t.Errorf("ServiceRole(%q) = %q, want %q", name, got, tb.services[row].Role)
		}
	}
}

func TestPackagingSetting(t *testing.T) {
	for _, c := range []struct {
		software, key string
		want          bool
	}{
		{"postfix", "compatibility_level", true},
		{"postfix", "readme_directory", true},
		{"Postfix", "DAEMON_DIRECTORY", true},
		{"postfix", "relayhost", false},
		{"postfix", "mynetworks", false},
		{"mariadb", "compatibility_level", false},
	} {
		if got := PackagingSetting(c.software, c.key); got != c.want {
			t.Errorf("PackagingSetting(%q, %q) = %v, want %v", c.software, c.key, got, c.want)
		}
	}
}

func TestIsCronDaemon(t *testing.T) {
	for cmd, want := range map[string]bool{
		"/usr/sbin/cron -f": true, "crond": true, "/usr/sbin/crond -n": true, "vixie-cron": true,
		"/usr/sbin/anacron -s": false, "/usr/sbin/apache2 -k start": false, "": false,
	} {
		if got := IsCronDaemon(cmd); got != want {
			t.Errorf("IsCronDaemon(%q) = %v", cmd, got)
		}
	}
}
