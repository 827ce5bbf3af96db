package ansible

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// memorySettings become variables of their own, since they follow the new
// server's memory rather than the old one's.
var memorySettings = map[string]string{
	"innodb_buffer_pool_size": "database_innodb_buffer_pool_size",
	"innodb_log_file_size":    "database_innodb_log_file_size",
	"key_buffer_size":         "database_key_buffer_size",
	"max_connections":         "database_max_connections",
	"query_cache_size":        "database_query_cache_size",
	"tmp_table_size":          "database_tmp_table_size",
	"max_heap_table_size":     "database_max_heap_table_size",
	"bind-address":            "database_bind_address",
	"bind_address":            "database_bind_address",
}

// database carries MySQL/MariaDB: the server package of the target (MariaDB on
// every target, which replaced MySQL in the distributions), the settings the site
// changed as one drop-in file, and the empty databases; the data is moved by dump.
func (b *builder) database() {
	for _, db := range b.s.Middleware.Databases {
		if distro.ServiceRole(db.Kind) == "mysql" { // MySQL and MariaDB alike
			b.mysql(db)
			continue
		}
		if db.Kind != "postgresql" {
			b.todo(TodoItem{Section: "Not translated", Title: "Database server " + db.Kind,
				Detail: "trowel does not write a role for " + db.Kind + " yet; its settings are in the snapshot.", Facts: db.Evidence},
				ledger.ID(ledger.KindServer, db.Kind))
		}
		b.dbAccounts(db)
	}
}

func (b *builder) mysql(db snapshot.Database) {
	r := b.role("database", "The MariaDB server, its tuning and its databases (the data itself moves by dump).")
	pkgs := b.packages(b.serverPackage("mysql", "mariadb-server"))
	pymysql := "python3-PyMySQL"
	if b.debian() {
		pymysql = "python3-pymysql"
	}
	b.p.def("mariadb", r, pkgs)
	r.def("database_client_libraries", L{pymysql}, "what community.mysql needs on the host")
	r.task(b.install("MariaDB", "database_mariadb_packages"))
	r.task(b.install("the Python MySQL driver for Ansible", "database_client_libraries"))

	svc := b.serviceName(db.Service)
	if db.Service == "" {
		svc = b.serviceName("mariadb")
	}
	r.def("database_service", svc, "the database's service on "+b.p.Target.String())

	// The settings the site changed: those from files that differ from their
	// package, minus the distribution's layout.
	changed := map[string]bool{}
	for _, c := range b.s.Files.Configs {
		changed[c.Path] = true
	}
	var lines []string
	for _, st := range db.Settings {
		file, _, _ := strings.Cut(st.Source, ":")
		id := ledger.ID(ledger.KindSetting, ledger.SettingKey(db.Kind, st.Key))
		switch {
		case distro.PackagingSetting(db.Kind, st.Key):
			continue // where the distribution puts things: no fact of the ledger, the target's package sets its own
		case st.CommandLine:
			b.book.Leave(id, ledger.TargetOS, "how this host starts the server (its command line, "+st.Source+"): the target's package and unit start it their own way")
			continue
		case !changed[file]:
			b.book.Leave(id, ledger.TargetOS, "set by the package's own file ("+file+"), which the target's package ships with its own value")
			continue
		case obsoleteSettings[st.Key] != "":
			b.todo(TodoItem{Section: "Not translated", Title: "MariaDB setting " + st.Key,
				Detail: fmt.Sprintf("%s = %s (%s) is not carried: %s.", st.Key, st.Value, st.Source, obsoleteSettings[st.Key])}, id)
			continue
		}
		b.book.Carry(id, "database", "Apply the site's server settings (90-migrated.cnf)")
		comment := "# from " + st.Source
		val := st.Value
		if v, ok := memorySettings[st.Key]; ok {
			b.p.setVar(v, st.Value, fmt.Sprintf("%s from %s; size it for the new server", st.Key, st.Source))
			r.def(v, st.Value, st.Key)
			val = "{{ " + v + " }}"
		}
		if st.Value == "" && st.Key != "" && val == "" {
			lines = append(lines, comment, st.Key)
			continue
		}
		lines = append(lines, comment, st.Key+" = "+val)
	}
	if len(lines) > 0 {
		dest := "/etc/my.cnf.d/90-migrated.cnf"
		if b.debian() {
			dest = "/etc/mysql/mariadb.conf.d/90-migrated.cnf"
		}
		r.template("90-migrated.cnf.j2", fmt.Sprintf("# {{ ansible_managed }}\n# The settings %s's MariaDB %s had changed from its package's defaults.\n# A drop-in rather than a copy of the old files: the target's own files stay as its package wrote them.\n[mysqld]\n%s\n",
			b.p.Source.Hostname, db.Version, strings.Join(lines, "\n")))
		r.task(Task{Name: "Apply the site's server settings", Module: "ansible.builtin.template",
			Args:  M{{K: "src", V: "90-migrated.cnf.j2"}, {K: "dest", V: dest}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Restart MariaDB"}}})
	}
	r.task(Task{Name: "Keep MariaDB running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ database_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	b.carryService(cmpOr(db.Service, "mariadb"), "database", "Keep MariaDB running")
	b.book.Carry(ledger.ID(ledger.KindServer, db.Kind), "database", "Keep MariaDB running")
	for _, cp := range db.Configs {
		if _, ok := b.configs[cp]; ok {
			b.book.Translate(ledger.ID(ledger.KindConfig, cp), "database", cp, "90-migrated.cnf, a drop-in of the settings the site changed",
				"the target's own files stay as its package wrote them")
		}
	}

	var names []string
	for _, sc := range db.Databases {
		if !sc.System {
			names = append(names, sc.Name)
		}
	}
	if len(names) > 0 {
		b.p.addCollection("community.mysql")
		b.p.setVar("database_names", toL(names), "databases found on the source (system schemas left out); their data moves by dump, see MIGRATION_TODO.md")
		r.def("database_names", L{}, "databases to create")
		r.def("database_socket", b.mysqlSocket(), "the server's Unix socket; root logs in through it")
		r.task(Task{Name: "Create the databases", Module: "community.mysql.mysql_db",
			Comment: "Empty: the data is loaded from a dump of the source (MIGRATION_TODO.md).",
			Args: M{{K: "name", V: "{{ item }}"}, {K: "state", V: "present"}, {K: "encoding", V: "utf8mb4"},
				{K: "login_unix_socket", V: "{{ database_socket }}"}},
			// Tagged with the installs: it needs the driver they bring.
			Extra: M{{K: "loop", V: "{{ database_names }}"}, {K: "tags", V: L{"packages"}}}})
		b.dbAccounts(db)
	}
	r.handler(Task{Name: "Restart MariaDB", Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ database_service }}"}, {K: "state", V: "restarted"}}})
	b.listen(db.Service)
	b.restartOnZone = append(b.restartOnZone, svc)
}

func (b *builder) mysqlSocket() string {
	if b.debian() {
		return "/run/mysqld/mysqld.sock"
	}
	return "/var/lib/mysql/mysql.sock"
}

// mail carries Postfix as the settings postconf -n printed (the whole of what was
// not default), with the host's own values as variables, and the aliases.
func (b *builder) mail() {
	for _, ms := range b.s.Middleware.Mail {
		if ms.Kind != "postfix" {
			if ms.Kind != "dovecot" {
				b.todo(TodoItem{Section: "Not translated", Title: "Mail server " + ms.Kind,
					Detail: "trowel does not write a role for " + ms.Kind + " yet.", Facts: ms.Evidence}, ledger.ID(ledger.KindServer, ms.Kind))
			}
			continue
		}
		b.postfix(ms)
	}
}

func (b *builder) postfix(ms snapshot.MailServer) {
	r := b.role("mail", "Postfix: how "+b.p.Source.Hostname+" sends mail, and its aliases.")
	b.p.def("postfix", r, b.packages("postfix"))
	r.task(b.install("Postfix", "mail_postfix_packages"))
	svc := b.serviceName("postfix")
	r.def("mail_service", svc, "")

	vars := map[string]string{
		"myhostname": "mail_hostname", "relayhost": "mail_relayhost", "mynetworks": "mail_mynetworks",
		"inet_interfaces": "mail_inet_interfaces", "mydestination": "mail_destinations",
	}
	settings := append([]snapshot.Setting(nil), ms.Settings...)
	sort.Slice(settings, func(i, j int) bool { return settings[i].Key < settings[j].Key })
	var lines []string
	for _, st := range settings {
		if distro.PackagingSetting("postfix", st.Key) {
			continue
		}
		b.book.Carry(ledger.ID(ledger.KindSetting, ledger.SettingKey("postfix", st.Key)), "mail", "Configure Postfix (main.cf)")
		val := strings.ReplaceAll(st.Value, "{", "{{ '{' }}")
		if !b.debian() {
			switch st.Key {
			case "smtpd_tls_cert_file":
				if strings.Contains(st.Value, "snakeoil") {
					val = "/etc/pki/tls/certs/postfix.pem"
				}
			case "smtpd_tls_key_file":
				if strings.Contains(st.Value, "snakeoil") {
					val = "/etc/pki/tls/private/postfix.key"
				}
			case "smtpd_banner":
				val = strings.ReplaceAll(val, " (Debian/GNU)", "")
			}
		}
		if v, ok := vars[st.Key]; ok {
			comment := st.Key + " from " + st.Source
			if st.Key == "relayhost" && ms.RelayhostHosts != "" {
				comment += "; the name resolves only through /etc/hosts (" + ms.RelayhostHosts + "), carried by base_hosts_entries"
			}
			b.p.setVar(v, st.Value, comment)
			val = "{{ " + v + " }}"
		}
		lines = append(lines, fmt.Sprintf("# %s\n%s = %s", st.Source, st.Key, val))
	}
	r.template("main.cf.j2", fmt.Sprintf("# {{ ansible_managed }}\n# Postfix settings of %s: what `postconf -n` printed there, less the settings\n# that name the distribution's own directories, which the target's package sets.\n\n%s\n",
		b.p.Source.Hostname, strings.Join(lines, "\n\n")))
	b.book.Translate(ledger.ID(ledger.KindConfig, "/etc/postfix/main.cf"), "mail", "/etc/postfix/main.cf", "main.cf of what postconf -n printed",
		"the settings that name the distribution's own directories are the target package's")
	if ms.Relayhost != "" {
		b.book.Carry(ledger.ID(ledger.KindRelay, ms.Kind), "mail", "Configure Postfix (relayhost = {{ mail_relayhost }})")
	}
	r.task(Task{Name: "Configure Postfix", Module: "ansible.builtin.template",
		Args:  M{{K: "src", V: "main.cf.j2"}, {K: "dest", V: "/etc/postfix/main.cf"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
		Extra: M{{K: "notify", V: "Reload Postfix"}}})
	if c, ok := b.configs["/etc/mailname"]; ok && b.debian() && strings.TrimSpace(c.Content) != "" {
		b.p.setVar("mail_mailname", strings.TrimSpace(c.Content), "from /etc/mailname")
		r.template("mailname.j2", "{{ mail_mailname }}\n")
		b.carryConfig("/etc/mailname", "mail", "Set the mail name")
		r.task(Task{Name: "Set the mail name", Module: "ansible.builtin.template",
			Args:  M{{K: "src", V: "mailname.j2"}, {K: "dest", V: "/etc/mailname"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Reload Postfix"}}})
	}
	if len(ms.Aliases) > 0 {
		var items L
		for _, a := range ms.Aliases {
			items = append(items, M{{K: "name", V: a.Name}, {K: "targets", V: strings.Join(a.Targets, ", ")}})
		}
		b.p.setVar("mail_aliases", items, "from /etc/aliases")
		for _, a := range ms.Aliases {
			b.book.Carry(ledger.ID(ledger.KindAlias, a.Name), "mail", "Set the mail aliases")
		}
		b.book.Translate(ledger.ID(ledger.KindConfig, "/etc/aliases"), "mail", "/etc/aliases", "mail_aliases, one line each", "the target's own aliases stay, the site's are added")
		r.def("mail_aliases", L{}, "mail aliases, as name and targets")
		r.task(Task{Name: "Set the mail aliases", Module: "ansible.builtin.lineinfile",
			Args: M{{K: "path", V: "/etc/aliases"}, {K: "regexp", V: "^{{ item.name | regex_escape }}:"}, {K: "line", V: "{{ item.name }}: {{ item.targets }}"},
				{K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}, {K: "create", V: true}},
			Extra: M{{K: "loop", V: "{{ mail_aliases }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.name }}"}}}, {K: "notify", V: "Rebuild the aliases database"}}})
	}
	r.task(Task{Name: "Keep Postfix running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ mail_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	b.carryService(cmpOr(ms.Service, "postfix"), "mail", "Keep Postfix running")
	b.book.Carry(ledger.ID(ledger.KindServer, "postfix"), "mail", "Keep Postfix running")
	r.handler(Task{Name: "Reload Postfix", Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ mail_service }}"}, {K: "state", V: "reloaded"}}})
	r.handler(Task{Name: "Rebuild the aliases database", Module: "ansible.builtin.command", Args: M{{K: "cmd", V: "newaliases"}},
		Extra: M{{K: "changed_when", V: true}}})
	b.listen(ms.Service)
	b.restartOnZone = append(b.restartOnZone, svc)
}

// logging carries rsyslog's changed files: the forwarding rules with their
// destination as variables.
func (b *builder) logging() {
	var rs *snapshot.LogShipper
	for i := range b.s.Logs.Shippers {
		if b.s.Logs.Shippers[i].Name == "rsyslog" {
			rs = &b.s.Logs.Shippers[i]
		}
	}
	var files []snapshot.ConfigFile
	for _, c := range b.s.Files.Configs {
		if c.Path == "/etc/rsyslog.conf" || strings.HasPrefix(c.Path, "/etc/rsyslog.d/") {
			files = append(files, c)
		}
	}
	if rs == nil && len(files) == 0 {
		return
	}
	if rs != nil {
		b.book.Carry(ledger.ID(ledger.KindShipper, rs.Name), "logging", "Keep rsyslog running")
	}
	r := b.role("logging", "rsyslog and where it forwards the logs.")
	b.p.def("rsyslog", r, b.packages("rsyslog"))
	r.task(b.install("rsyslog", "logging_rsyslog_packages"))
	for _, c := range files {
		if c.Path == "/etc/rsyslog.conf" && !b.sameFamily() {
			b.todo(TodoItem{Section: "Not translated", Title: "/etc/rsyslog.conf was edited",
				Detail: "The main rsyslog.conf differs between distribution families; compare the source's with the target's and carry the change into a file under /etc/rsyslog.d." + settingsHint(c), Facts: c.Evidence},
				ledger.ID(ledger.KindConfig, c.Path))
			continue
		}
		if c.Content == "" {
			continue
		}
		var subst [][2]string
		if rs != nil {
			for _, d := range rs.Destinations {
				file, _, _ := strings.Cut(d.Source, ":")
				if file != c.Path || d.Host == "" {
					continue
				}
				hv, pv := "logging_syslog_host", "logging_syslog_port"
				b.p.setVar(hv, d.Host, "the log collector rsyslog forwards to ("+d.Source+")")
				if d.Port != 0 {
					b.p.setVar(pv, d.Port, "its port ("+d.Proto+")")
					subst = append(subst, [2]string{fmt.Sprintf("%s:%d", d.Host, d.Port), "{{ " + hv + " }}:{{ " + pv + " }}"})
				} else {
					subst = append(subst, [2]string{d.Host, "{{ " + hv + " }}"})
				}
			}
		}
		name := "rsyslog-" + path.Base(c.Path) + ".j2"
		body := b.templateText(c, "logging", subst...)
		r.template(name, body)
		b.carryConfig(c.Path, "logging", "Configure rsyslog: "+path.Base(c.Path))
		r.task(Task{Name: "Configure rsyslog: " + path.Base(c.Path), Module: "ansible.builtin.template",
			Comment: "From " + from(c) + ".",
			Args:    M{{K: "src", V: name}, {K: "dest", V: c.Path}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra:   M{{K: "notify", V: "Restart rsyslog"}}})
	}
	svc := b.serviceName("rsyslog")
	r.def("logging_service", svc, "")
	for _, sv := range b.s.Services {
		if distro.ServiceRole(sv.Name) == "syslog" {
			b.carryService(sv.Name, "logging", "Keep rsyslog running")
		}
	}
	r.task(Task{Name: "Keep rsyslog running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ logging_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	r.handler(Task{Name: "Restart rsyslog", Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ logging_service }}"}, {K: "state", V: "restarted"}}})
	b.restartOnZone = append(b.restartOnZone, svc)
}
