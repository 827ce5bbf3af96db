package distro

import (
	"slices"
	"strings"
	"testing"
)

func mustPlatform(t *testing.T, s string) Platform {
	t.Helper()
	p, err := ParsePlatform(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type pkgCase struct {
	name, from, to string
	want           []string
	mapped         bool
}

func checkPackages(t *testing.T, tests []pkgCase) {
	t.Helper()
	for _, tt := range tests {
		got, mapped := PackagesOn(tt.name, mustPlatform(t, tt.from), mustPlatform(t, tt.to))
		if !slices.Equal(got, tt.want) || mapped != tt.mapped {
			t.Errorf("PackagesOn(%q, %s, %s) = %q, %v; want %q, %v", tt.name, tt.from, tt.to, got, mapped, tt.want, tt.mapped)
		}
	}
}

// TestPackagesELToDebian maps names found in real CentOS 5/6/7 rpm databases
// (../shared/fixtures/rpmdb) and the usual LAMP and mail stack.
func TestPackagesELToDebian(t *testing.T) {
	checkPackages(t, []pkgCase{
		{"httpd", "centos-7", "debian-12", []string{"apache2"}, true},
		{"httpd24-httpd", "centos-7", "debian-12", []string{"apache2"}, true},
		{"httpd24-mod_ssl", "centos-7", "debian-12", []string{}, true},
		{"mod_ssl", "centos-5", "debian-12", []string{}, true},
		{"httpd-tools", "centos-6", "debian-13", []string{"apache2-utils"}, true},
		{"mysql-server", "centos-5", "debian-12", []string{"mariadb-server"}, true},
		{"mysql-server", "centos-6", "ubuntu-24.04", []string{"mariadb-server"}, true},
		{"mysql", "centos-6", "debian-12", []string{"mariadb-client"}, true},
		{"mariadb-server", "centos-7", "debian-12", []string{"mariadb-server"}, true},
		{"php", "centos-6", "debian-12", []string{"php", "libapache2-mod-php"}, true},
		{"php53", "centos-5", "debian-12", []string{"php", "libapache2-mod-php"}, true},
		{"php53-mysql", "centos-5", "debian-12", []string{"php-mysql"}, true},
		{"php-mysql", "centos-6", "debian-12", []string{"php-mysql"}, true},
		{"php-pdo", "centos-6", "debian-12", []string{}, true},
		{"php-mcrypt", "centos-6", "debian-12", []string{}, false},
		{"ruby", "centos-6", "debian-12", []string{"ruby"}, true},
		{"rubygems", "centos-6", "debian-12", []string{}, true},
		{"postfix", "centos-6", "debian-12", []string{"postfix"}, true},
		{"dovecot", "centos-6", "debian-12", []string{"dovecot-core", "dovecot-imapd", "dovecot-pop3d"}, true},
		{"cronie", "centos-6", "debian-12", []string{"cron"}, true},
		{"vixie-cron", "centos-5", "debian-12", []string{"cron"}, true},
		{"crontabs", "centos-5", "debian-12", []string{}, true},
		{"ntp", "centos-6", "debian-12", []string{"chrony"}, true},
		{"openssh-server", "centos-5", "debian-12", []string{"openssh-server"}, true},
		{"openssh-clients", "centos-5", "debian-12", []string{"openssh-client"}, true},
		{"sudo", "centos-5", "debian-12", []string{"sudo"}, true},
		{"rsyslog", "centos-5", "debian-12", []string{"rsyslog"}, true},
		{"sysklogd", "centos-5", "debian-12", []string{"rsyslog"}, true},
		{"logrotate", "centos-5", "debian-12", []string{"logrotate"}, true},
		{"td-agent", "centos-7", "debian-12", []string{"fluent-package"}, false},
		{"gcc", "centos-6", "debian-12", []string{"gcc"}, true},
		{"gcc-c++", "centos-6", "debian-12", []string{"g++"}, true},
		{"make", "centos-6", "debian-12", []string{"make"}, true},
		{"Development Tools", "centos-6", "debian-12", []string{"build-essential"}, true},
		{"@development-tools", "almalinux-9", "debian-12", []string{"build-essential"}, true},
		{"python", "centos-6", "debian-12", []string{"python3"}, true},
		{"perl", "centos-7", "debian-12", []string{"perl"}, true},
		{"git", "centos-7", "debian-12", []string{"git"}, true},
		{"curl", "centos-6", "debian-12", []string{"curl"}, true},
		{"wget", "centos-6", "debian-12", []string{"wget"}, true},
		{"tar", "centos-5", "debian-12", []string{"tar"}, true},
		{"rsync", "centos-5", "debian-12", []string{"rsync"}, true},
		{"memcached", "centos-6", "debian-12", []string{"memcached"}, true},
		{"redis", "centos-7", "debian-12", []string{"redis-server"}, true},
		{"postgresql-server", "centos-6", "debian-12", []string{"postgresql"}, true},
		{"postgresql96-server", "centos-7", "debian-12", []string{"postgresql"}, true},
		{"postgresql", "centos-6", "debian-12", []string{"postgresql-client"}, true},
		{"tomcat6", "centos-6", "debian-12", []string{"tomcat10"}, true},
		{"tomcat6", "centos-6", "debian-13", []string{"tomcat10"}, true},
		{"java-1.6.0-openjdk", "centos-5", "debian-12", []string{"default-jre-headless"}, true},
		{"java-1.8.0-openjdk-headless", "centos-7", "debian-12", []string{"default-jre-headless"}, true},
		{"java-1.8.0-openjdk-devel", "centos-7", "debian-12", []string{"default-jdk-headless"}, true},
		{"bind-utils", "centos-5", "debian-12", []string{"bind9-dnsutils"}, true},
		{"bind-utils", "centos-5", "debian-11", []string{"dnsutils"}, true},
		{"procps", "centos-5", "debian-12", []string{"procps"}, true},
		{"procps-ng", "centos-7", "debian-12", []string{"procps"}, true},
		{"iproute", "centos-6", "debian-12", []string{"iproute2"}, true},
		{"vim-minimal", "centos-5", "debian-12", []string{"vim-tiny"}, true},
		{"openssl-devel", "centos-6", "debian-12", []string{"libssl-dev"}, true},
		{"zlib", "centos-5", "debian-12", []string{"zlib1g"}, true},
		{"pcre-devel", "centos-6", "debian-13", []string{}, false},
		{"sqlite", "centos-6", "debian-12", []string{"sqlite3"}, true},
		{"nfs-utils", "centos-6", "debian-12", []string{"nfs-common"}, true},
		{"net-snmp", "centos-6", "debian-12", []string{"snmpd"}, true},
		{"which", "centos-6", "debian-12", []string{}, true},
		{"docker", "centos-7", "debian-12", []string{"docker.io"}, true},
		{"kernel-devel", "centos-7", "ubuntu-24.04", []string{"linux-headers-generic"}, true},
		// A name the table does not know: same name, unverified.
		{"centos-release", "centos-5", "debian-12", []string{"centos-release"}, false},
		{"acme-widget", "centos-7", "debian-12", []string{"acme-widget"}, false},
	})
}

func TestPackagesELToEL(t *testing.T) {
	checkPackages(t, []pkgCase{
		{"mysql-server", "centos-5", "almalinux-9", []string{"mariadb-server"}, true},
		{"mysql-server", "centos-6", "amazonlinux-2023", []string{"mariadb105-server"}, true},
		{"mysql", "centos-6", "rocky-9", []string{"mariadb"}, true},
		{"php-mysql", "centos-6", "almalinux-9", []string{"php-mysqlnd"}, true},
		{"ntp", "centos-6", "rocky-9", []string{"chrony"}, true},
		{"ntpdate", "centos-6", "rocky-9", []string{}, false},
		{"vixie-cron", "centos-5", "almalinux-9", []string{"cronie"}, true},
		{"python", "centos-7", "almalinux-9", []string{"python3"}, true},
		{"java-1.8.0-openjdk", "centos-7", "almalinux-9", []string{"java-17-openjdk-headless"}, true},
		{"java-1.8.0-openjdk", "centos-7", "amazonlinux-2023", []string{"java-17-amazon-corretto-headless"}, true},
		{"mailx", "centos-6", "almalinux-9", []string{"s-nail"}, true},
		{"redis", "centos-7", "amazonlinux-2023", []string{"redis6"}, true},
		{"docker", "centos-7", "almalinux-9", []string{"docker-ce"}, false},
		{"docker", "centos-7", "amazonlinux-2023", []string{"docker"}, true},
		{"td-agent", "centos-7", "rocky-9", []string{"fluent-package"}, false},
		{"httpd", "centos-5", "rocky-9", []string{"httpd"}, true},
		{"pkgconfig", "centos-6", "almalinux-9", []string{"pkgconf-pkg-config"}, true},
		{"openldap-servers", "centos-6", "almalinux-9", []string{"openldap-servers"}, false},
	})
}

func TestPackagesDebianToEL(t *testing.T) {
	checkPackages(t, []pkgCase{
		{"apache2", "debian-11", "almalinux-9", []string{"httpd"}, true},
		{"apache2-utils", "debian-12", "rocky-9", []string{"httpd-tools"}, true},
		{"mariadb-server", "debian-12", "almalinux-9", []string{"mariadb-server"}, true},
		{"mariadb-server", "debian-12", "amazonlinux-2023", []string{"mariadb105-server"}, true},
		{"default-mysql-server", "debian-11", "rocky-9", []string{"mariadb-server"}, true},
		{"mariadb-client", "debian-12", "almalinux-9", []string{"mariadb"}, true},
		{"postgresql", "debian-12", "almalinux-9", []string{"postgresql-server"}, true},
		{"postgresql-15", "debian-12", "almalinux-9", []string{"postgresql-server"}, true},
		{"postgresql-client-15", "debian-12", "almalinux-9", []string{"postgresql"}, true},
		{"libapache2-mod-php", "debian-12", "almalinux-9", []string{"php"}, true},
		{"php8.2-fpm", "debian-12", "almalinux-9", []string{"php-fpm"}, true},
		{"php7.4-mysql", "debian-11", "almalinux-9", []string{"php-mysqlnd"}, true},
		{"php-curl", "debian-12", "almalinux-9", []string{}, true},
		{"dovecot-imapd", "debian-12", "almalinux-9", []string{"dovecot"}, true},
		{"dovecot-core", "debian-11", "rocky-9", []string{"dovecot"}, true},
		{"cron", "debian-12", "rocky-9", []string{"cronie"}, true},
		{"chrony", "debian-12", "almalinux-9", []string{"chrony"}, true},
		{"ntp", "debian-11", "almalinux-9", []string{"chrony"}, true},
		{"openssh-client", "debian-12", "almalinux-9", []string{"openssh-clients"}, true},
		{"build-essential", "debian-12", "almalinux-9", []string{"@Development Tools"}, true},
		{"g++", "debian-12", "almalinux-9", []string{"gcc-c++"}, true},
		{"python3", "debian-12", "almalinux-9", []string{"python3"}, true},
		{"python3", "debian-12", "centos-7", []string{"python"}, true},
		{"redis-server", "debian-12", "almalinux-9", []string{"redis"}, true},
		{"redis-server", "debian-12", "amazonlinux-2023", []string{"redis6"}, true},
		{"default-jre-headless", "debian-12", "almalinux-9", []string{"java-17-openjdk-headless"}, true},
		{"openjdk-17-jre-headless", "debian-12", "rocky-9", []string{"java-17-openjdk-headless"}, true},
		{"tomcat10", "debian-12", "almalinux-9", []string{"tomcat"}, true},
		{"tomcat9", "debian-11", "amazonlinux-2023", []string{"tomcat9"}, true},
		{"libssl-dev", "debian-12", "almalinux-9", []string{"openssl-devel"}, true},
		{"zlib1g", "debian-12", "almalinux-9", []string{"zlib"}, true},
		{"nfs-kernel-server", "debian-12", "almalinux-9", []string{}, true},
		{"bind9-dnsutils", "debian-12", "almalinux-9", []string{"bind-utils"}, true},
		{"iproute2", "debian-12", "almalinux-9", []string{"iproute"}, true},
		{"libdbi-perl", "debian-12", "almalinux-9", []string{"perl-DBI"}, true},
		{"nagios-nrpe-server", "debian-12", "almalinux-9", []string{"nrpe"}, false},
		{"docker.io", "debian-12", "amazonlinux-2023", []string{"docker"}, true},
		{"fluentd", "debian-12", "rocky-9", []string{"fluent-package"}, false},
		// Base-system names from Debian and Ubuntu status files that the table leaves alone.
		{"libc6", "debian-12", "almalinux-9", []string{"libc6"}, false},
	})
}

func TestPackagesDebianToDebian(t *testing.T) {
	checkPackages(t, []pkgCase{
		{"ntp", "debian-11", "debian-12", []string{"chrony"}, true},
		{"php7.4-fpm", "debian-11", "debian-12", []string{"php-fpm"}, true},
		{"tomcat9", "debian-11", "debian-13", []string{"tomcat10"}, true},
		{"dnsutils", "debian-11", "debian-12", []string{"bind9-dnsutils"}, true},
		{"libpcre3", "debian-12", "debian-13", []string{}, false},
		{"mariadb-server", "debian-12", "ubuntu-24.04", []string{"mariadb-server"}, true},
		{"libaio1", "debian-12", "debian-13", []string{"libaio1t64"}, true},
	})
}

func TestPackagesCaseAndSpace(t *testing.T) {
	got, ok := PackagesOn(" MySQL-server ", mustPlatform(t, "centos-5"), mustPlatform(t, "debian-12"))
	if !ok || !slices.Equal(got, []string{"mariadb-server"}) {
		t.Errorf("MySQL-server = %q, %v", got, ok)
	}
	got, ok = PackagesOn("perl-DBI", mustPlatform(t, "centos-6"), mustPlatform(t, "debian-12"))
	if !ok || !slices.Equal(got, []string{"libdbi-perl"}) {
		t.Errorf("perl-DBI = %q, %v", got, ok)
	}
}

func TestPackagesResultIsACopy(t *testing.T) {
	c6, d12 := mustPlatform(t, "centos-6"), mustPlatform(t, "debian-12")
	got, _ := PackagesOn("dovecot", c6, d12)
	got[0] = "changed"
	again, _ := PackagesOn("dovecot", c6, d12)
	if again[0] != "dovecot-core" {
		t.Errorf("the table was changed through a result: %q", again)
	}
}

func TestPackageNote(t *testing.T) {
	tests := []struct {
		name, from, to string
		contains       []string // all must appear; none means the note is empty
	}{
		{"td-agent", "centos-7", "debian-12", []string{"td-agent is not in", "fluent-package", "Treasure Data"}},
		{"mod_ssl", "centos-6", "debian-12", []string{"a2enmod ssl"}},
		{"apache2", "debian-12", "almalinux-9", []string{"mod_ssl"}},
		{"tomcat6", "centos-6", "debian-12", []string{"jakarta"}},
		{"mysql-server", "centos-5", "debian-12", []string{"dump"}},
		{"pcre-devel", "centos-7", "debian-13", []string{"PCRE2"}},
		{"pcre-devel", "centos-7", "debian-12", nil},
		{"nagios-nrpe-server", "debian-12", "rocky-9", []string{"EPEL"}},
		{"supervisor", "debian-12", "rocky-9", []string{"supervisor is not in rocky-9's own repositories"}},
		{"gcc", "centos-7", "debian-12", nil},
		{"acme-widget", "centos-7", "debian-12", nil},
	}
	for _, tt := range tests {
		got := PackageNote(tt.name, mustPlatform(t, tt.from), mustPlatform(t, tt.to))
		if len(tt.contains) == 0 && got != "" {
			t.Errorf("PackageNote(%q, %s, %s) = %q, want none", tt.name, tt.from, tt.to, got)
		}
		for _, c := range tt.contains {
			if !strings.Contains(got, c) {
				t.Errorf("PackageNote(%q, %s, %s) = %q, want it to mention %q", tt.name, tt.from, tt.to, got, c)
			}
		}
	}
}

func TestIsDevelopmentPackage(t *testing.T) {
	dev := []string{"gcc", "gcc-c++", "g++", "make", "automake", "autoconf", "libtool", "binutils", "kernel-devel",
		"kernel-headers", "glibc-devel", "openssl-devel", "libssl-dev", "zlib1g-dev", "build-essential",
		"Development Tools", "@development-tools", "gcc44", "gcc-12", "cpp-12", "linux-headers-amd64",
		"devtoolset-8-gcc", "bison", "flex", "pkgconfig", "rpm-build", "dpkg-dev", "glibc-devel-static"}
	for _, n := range dev {
		if !IsDevelopmentPackage(n) {
			t.Errorf("IsDevelopmentPackage(%q) = false", n)
		}
	}
	// Runtime names from the CentOS and Debian/Ubuntu fixtures, some of them look-alikes.
	notDev := []string{"glibc", "openssl", "zlib1g", "libgcc", "libgcc1", "gcc-8-base", "gcc-12-base", "udev",
		"MAKEDEV", "device-mapper", "libdevmapper1.02.1", "httpd", "apache2", "python", "perl", "devscripts-less",
		"e2fsprogs", "libstdc++6", "makedumpfile"}
	for _, n := range notDev {
		if IsDevelopmentPackage(n) {
			t.Errorf("IsDevelopmentPackage(%q) = true", n)
		}
	}
}
