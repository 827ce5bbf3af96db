package distro

import (
	"path"
	"regexp"
	"strings"
)

// sysvLink is the start/kill prefix of an /etc/rc?.d link: S20httpd, K80mysqld.
var sysvLink = regexp.MustCompile(`^[SK][0-9]{2}`)

// normalizeService cuts a service name down to what names the service: the base of
// an init-script path, without a SysV link prefix or a ".service" suffix, lower-cased.
func normalizeService(name string) string {
	n := strings.TrimSpace(name)
	if strings.Contains(n, "/") {
		n = path.Base(n)
	}
	if loc := sysvLink.FindStringIndex(n); loc != nil && len(n) > loc[1] {
		n = n[loc[1]:]
	}
	n = strings.ToLower(n)
	n = strings.TrimSuffix(n, ".service")
	return n
}

// ServiceRole is the function a service name stands for, the same on every
// distribution: httpd, apache2 and S85httpd are all "apache"; mysqld, mysql and
// mariadb are "mysql"; postgresql-9.6 and postgresql@15-main are "postgresql".
// A name the table does not know is its own role, normalized.
func ServiceRole(name string) string {
	n := normalizeService(name)
	t := data()
	if r, ok := t.serviceBy.find(n); ok {
		return t.services[r].Role
	}
	return n
}

// IsCronDaemon reports whether a command line runs a cron daemon (cron, crond,
// cronie, vixie-cron), by the role its program plays.
func IsCronDaemon(command string) bool {
	f := strings.Fields(command)
	return len(f) > 0 && ServiceRole(path.Base(f[0])) == "cron"
}

// SameService reports whether two service names play the same role.
func SameService(a, b string) bool { return ServiceRole(a) == ServiceRole(b) }

// ServiceOn is the unit or init script that plays name's role on p:
// ServiceOn("httpd", debian-12) is "apache2", ServiceOn("cron", rocky-9) is "crond".
// Time sync maps to chrony on every target (see data/services.yaml for why). A
// name the table does not know comes back unchanged.
func ServiceOn(name string, p Platform) string {
	t := data()
	r, ok := t.serviceBy.find(normalizeService(name))
	if !ok {
		return name
	}
	if v, _, ok := resolveOn(t.services[r].On, p); ok {
		return v
	}
	return name
}

// ServiceRoles lists the roles the table knows, in table order.
func ServiceRoles() []string {
	t := data()
	roles := make([]string, len(t.services))
	for i, r := range t.services {
		roles[i] = r.Role
	}
	return roles
}
