package ansible

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// simpleServer is middleware whose role is the target's package, the site's
// changes to its configuration, and its service: what is carried follows what ran
// or started at boot, never a stopped service's configuration.
type simpleServer struct {
	role    string // distro's service role
	name    string // the Ansible role's name
	pkg     string // the package to map when the source's is unknown
	confDir []string
	what    string
}

var simpleServers = []simpleServer{
	{role: "nginx", name: "nginx", pkg: "nginx", confDir: []string{"/etc/nginx/"}, what: "nginx and its sites"},
	{role: "postgresql", name: "postgresql", pkg: "postgresql-server", confDir: []string{"/etc/postgresql/", "/var/lib/pgsql/data/postgresql.conf", "/var/lib/pgsql/data/pg_hba.conf"}, what: "the PostgreSQL server and its settings (the data moves by dump)"},
	{role: "redis", name: "redis", pkg: "redis", confDir: []string{"/etc/redis/", "/etc/redis.conf"}, what: "redis and its settings"},
	{role: "memcached", name: "memcached", pkg: "memcached", confDir: []string{"/etc/memcached.conf", "/etc/sysconfig/memcached"}, what: "memcached and its settings"},
	{role: "dovecot", name: "dovecot", pkg: "dovecot", confDir: []string{"/etc/dovecot/"}, what: "Dovecot and its settings"},
	{role: "php-fpm", name: "php_fpm", pkg: "php-fpm", confDir: []string{"/etc/php-fpm.conf", "/etc/php-fpm.d/", "/etc/php/", "/etc/php.ini", "/etc/php.d/"}, what: "PHP-FPM, its pools, php.ini changes and extensions"},
	{role: "tomcat", name: "tomcat", pkg: "tomcat", confDir: []string{"/etc/tomcat", "/usr/share/tomcat"}, what: "Tomcat and the JDK it runs on (the web applications are data)"},
}

// middleware writes a role for each simple server that ran or started at boot.
func (b *builder) middleware() {
	for _, ms := range simpleServers {
		var svc *snapshot.Service
		for i, sv := range b.s.Services {
			if distro.ServiceRole(sv.Name) == ms.role {
				svc = &b.s.Services[i]
				break
			}
		}
		serverID := ledger.ID(ledger.KindServer, ms.role)
		if svc == nil {
			continue
		}
		if !ledger.Runs(*svc) && !ledger.StartsAtBoot(*svc) {
			if b.book.Has(serverID) {
				b.book.Leave(serverID, ledger.Inactive, svc.Name+" was installed but neither ran nor started at boot: its configuration is not carried")
			}
			continue
		}
		b.simpleRole(ms, *svc)
	}
}

func (b *builder) simpleRole(ms simpleServer, sv snapshot.Service) {
	r := b.role(ms.name, strings.ToUpper(ms.what[:1])+ms.what[1:]+".")
	src := cmpOr(sv.Package, ms.pkg)
	pkgs := b.packages(src)
	if len(pkgs) == 0 {
		pkgs = b.packages(ms.pkg)
	}
	if ms.role == "tomcat" {
		pkgs = append(pkgs, b.packages("java-17-openjdk-headless")...)
	}
	b.p.def(ms.name, r, pkgs)
	r.task(b.install(ms.name, ms.name+"_"+slug(ms.name)+"_packages"))
	svc := b.serviceName(sv.Name)
	r.def(ms.name+"_service", svc, "its service on "+b.p.Target.String())
	allCarried := true
	for _, c := range b.s.Files.Configs {
		if !underAny(c.Path, ms.confDir) || c.State == "missing" {
			continue
		}
		id := ledger.ID(ledger.KindConfig, c.Path)
		if !b.sameFamily() || c.Content == "" || c.State == "modified" && c.Baseline != nil && c.Baseline.Compared && len(c.Settings) > 0 {
			// Laying an old release's whole file over the new package's would undo
			// what the new release changed: the settings are carried by hand.
			detail := fmt.Sprintf("%s is not laid over %s's own file.", from(c), b.p.Target)
			if ch := changesText(c.Settings); ch != "" {
				detail += " Set these on the new server's file: " + ch + "."
			} else {
				detail += " Compare the two and carry the site's changes."
			}
			b.todo(TodoItem{Section: "Not translated", Title: "Settings of " + sv.Name + " in " + c.Path, Detail: detail, Facts: c.Evidence}, id)
			allCarried = false
			continue
		}
		name := ms.name + "-" + path.Base(c.Path) + ".j2"
		task := "Configure " + sv.Name + ": " + path.Base(c.Path)
		r.task(Task{Name: "Create the directory of " + path.Base(c.Path), Module: "ansible.builtin.file",
			Args: M{{K: "path", V: path.Dir(c.Path)}, {K: "state", V: "directory"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0755"}}})
		r.template(name, b.templateText(c, ms.name))
		r.task(Task{Name: task, Module: "ansible.builtin.template", Comment: "From " + from(c) + ".",
			Args:  M{{K: "src", V: name}, {K: "dest", V: c.Path}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Restart " + sv.Name}}})
		b.carryConfig(c.Path, ms.name, task)
	}
	task := "Keep " + sv.Name + " running"
	r.task(Task{Name: task, Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ " + ms.name + "_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	r.handler(Task{Name: "Restart " + sv.Name, Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ " + ms.name + "_service }}"}, {K: "state", V: "restarted"}}})
	b.carryService(sv.Name, ms.name, task)
	b.unitShipped[sv.Name] = true
	b.book.Carry(ledger.ID(ledger.KindServer, ms.role), ms.name, task)
	for _, id := range b.book.Of(ledger.KindSetting) {
		if allCarried && strings.HasPrefix(id, ledger.ID(ledger.KindSetting, ms.role+":")) {
			b.book.Carry(id, ms.name, "its configuration file, carried or listed above")
		}
	}
	b.listen(sv.Name)
	b.restartOnZone = append(b.restartOnZone, svc)
}

func underAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}
