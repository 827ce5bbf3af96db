package distro

import (
	"fmt"
	"path"
	"regexp"
	"slices"
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

// IsMTA reports whether a service name or a middleware kind (postfix, exim4,
// sendmail) is a mail transfer agent, the server that takes mail by SMTP and
// relays it, as opposed to one that only serves mailboxes (dovecot).
func IsMTA(name string) bool {
	t := data()
	r, ok := t.serviceBy.find(normalizeService(name))
	return ok && t.services[r].MTA
}

// ServicePorts are the ports name's role listens on unless configured otherwise
// (dovecot: 110, 143, 993, 995, 4190); nil for a role the table gives none.
func ServicePorts(name string) []int {
	t := data()
	r, ok := t.serviceBy.find(normalizeService(name))
	if !ok {
		return nil
	}
	return slices.Clone(t.services[r].Ports)
}

// RolePackage is a package that installs (part of) a role's server.
type RolePackage struct {
	Pattern string // a shell pattern (path.Match) of the package's name: mysql-server-[0-9]*
	Flavor  string // whose server program it carries: mysql, mariadb, percona, postgresql; "" for none
	Program bool   // it installs the server program, and its version is the server's
	Service bool   // it ships the role's unit or init script
}

// Matches reports whether the package called name is p.
func (p RolePackage) Matches(name string) bool {
	ok, _ := path.Match(p.Pattern, name)
	return ok
}

func (p rolePackageRow) check() (RolePackage, error) {
	rp := RolePackage{Pattern: p.Name, Flavor: p.Flavor}
	switch p.Ships {
	case "":
		rp.Program, rp.Service = true, true
	case "program":
		rp.Program = true
	case "service":
		rp.Service = true
	default:
		return rp, fmt.Errorf("package %s: ships is program or service, not %q", p.Name, p.Ships)
	}
	if _, err := path.Match(p.Name, ""); err != nil || p.Name == "" {
		return rp, fmt.Errorf("bad package pattern %q", p.Name)
	}
	if rp.Program != (rp.Flavor != "") {
		return rp, fmt.Errorf("package %s: a flavor names the server program a package carries, so it is given exactly when the package carries one", p.Name)
	}
	return rp, nil
}

// RolePackages is every package the table gives name's role (mysql, mariadb,
// postgresql ...), in order of preference for the package that ships its service.
func RolePackages(name string) []RolePackage {
	t := data()
	r, ok := t.serviceBy.find(normalizeService(name))
	if !ok {
		return nil
	}
	return slices.Clone(t.services[r].packages)
}

// ServerPackages is the shell patterns of the packages that install the server
// program of name's role, in the table's order: the server is installed when one
// of them is. It is empty for a role the table gives no packages.
func ServerPackages(name string) []string {
	var out []string
	for _, p := range RolePackages(name) {
		if p.Program {
			out = append(out, p.Pattern)
		}
	}
	return out
}

// ServerFlavor is whose server program the package called pkg installs (mysql,
// mariadb, percona, postgresql), or "" when it installs none the table knows.
func ServerFlavor(pkg string) string {
	for _, r := range data().services {
		for _, p := range r.packages {
			if p.Program && p.Matches(pkg) {
				return p.Flavor
			}
		}
	}
	return ""
}

// onDemand are services started when a client asks for them (D-Bus activation)
// that exit again once idle: whether one runs says only that something asked
// within the last half minute, timedatectl or hostnamectl among them (a survey's
// own questions), never that the host relies on it running.
var onDemand = map[string]bool{
	"systemd-timedated": true, "systemd-hostnamed": true, "systemd-localed": true,
	"systemd-importd": true, "packagekit": true, "fwupd": true,
}

// OnDemand reports whether a service runs only a while after a client asked for it.
func OnDemand(name string) bool { return onDemand[strings.TrimSuffix(name, ".service")] }
