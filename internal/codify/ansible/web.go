package ansible

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// debianDefaultModules are the modules Debian's apache2 package enables on install;
// only the others need a2enmod.
var debianDefaultModules = map[string]bool{
	"access_compat": true, "alias": true, "auth_basic": true, "authn_core": true, "authn_file": true,
	"authz_core": true, "authz_host": true, "authz_user": true, "autoindex": true, "deflate": true,
	"dir": true, "env": true, "filter": true, "mime": true, "mpm_event": true, "negotiation": true,
	"reqtimeout": true, "setenvif": true, "status": true,
}

// compiledIn are modules apache2ctl -M lists that are built into the server.
var compiledIn = map[string]bool{
	"core": true, "so": true, "watchdog": true, "http": true, "log_config": true, "logio": true,
	"version": true, "unixd": true,
}

var sslKeyFile = regexp.MustCompile(`(?i)^\s*SSLCertificateKeyFile\s+"?([^"\s]+)"?`)

// web carries Apache httpd: its package on the target, the modules it had, the
// configuration that was changed (with 2.2 access control rewritten for 2.4), the
// sites that were enabled, and the TLS certificate each uses.
func (b *builder) web() {
	for _, ws := range b.s.Middleware.WebServers {
		switch ws.Kind {
		case "apache":
			b.apache(ws)
		default:
			b.p.todo(TodoItem{Section: "Not translated", Title: "Web server " + ws.Kind,
				Detail: "trowel does not write a role for " + ws.Kind + " yet; its configuration is in the snapshot (" + strings.Join(ws.Evidence, ", ") + ").", Facts: ws.Evidence})
		}
	}
}

func (b *builder) apache(ws snapshot.WebServer) {
	r := &Role{Name: "web", Description: "Apache httpd with the sites of " + b.p.Source.Hostname + "."}
	b.p.Roles = append(b.p.Roles, r)
	svcName := ws.Service
	if svcName == "" {
		svcName = "apache2"
	}
	pkg := "apache2"
	if b.p.Source.Platform.Family() == "rhel" {
		pkg = "httpd"
	}
	pkgs := b.packages(pkg)
	svc := b.serviceName(svcName)
	ssl := false
	for _, m := range ws.Modules {
		if m == "ssl_module" {
			ssl = true
		}
	}
	if ssl && !b.debian() {
		pkgs = append(pkgs, b.packages("mod_ssl")...)
	}
	b.p.def("apache", r, pkgs)
	r.def("web_service", svc, "the web server's service on "+b.p.Target.String())
	r.task(b.install("Apache httpd", "web_apache_packages"))

	debian := b.debian()
	if debian {
		var mods []string
		for _, m := range ws.Modules {
			name := strings.TrimSuffix(m, "_module")
			if compiledIn[name] || debianDefaultModules[name] || strings.HasPrefix(name, "mpm_") {
				continue
			}
			mods = append(mods, name)
		}
		sort.Strings(mods)
		if len(mods) > 0 {
			b.p.addCollection("community.general")
			b.p.setVar("web_apache_modules", toL(mods), "modules the source loaded (apache2ctl -M) beyond those the package enables")
			r.def("web_apache_modules", L{}, "extra Apache modules to enable")
			r.task(Task{Name: "Enable the Apache modules the sites use", Module: "community.general.apache2_module",
				Args:  M{{K: "name", V: "{{ item }}"}, {K: "state", V: "present"}},
				Extra: M{{K: "loop", V: "{{ web_apache_modules }}"}, {K: "notify", V: "Restart Apache"}}})
		}
	}

	// Which sites and confs were enabled: the survey read sites-enabled and
	// conf-enabled (Debian) or conf.d (EL).
	enabled := map[string]bool{}
	for _, e := range ws.Evidence {
		if p, ok := strings.CutPrefix(e, "file:"); ok {
			enabled[path.Base(p)] = enabled[path.Base(p)] || strings.Contains(p, "-enabled/") || strings.Contains(p, "/conf.d/")
		}
	}
	var docRoots []string
	seenRoot := map[string]bool{}
	for _, v := range ws.VHosts {
		if v.DocumentRoot != "" && !seenRoot[v.DocumentRoot] {
			seenRoot[v.DocumentRoot] = true
			docRoots = append(docRoots, v.DocumentRoot)
		}
	}

	var configs []snapshot.ConfigFile
	for _, c := range b.s.Files.Configs {
		if (strings.HasPrefix(c.Path, "/etc/apache2/") || strings.HasPrefix(c.Path, "/etc/httpd/")) && c.State != "missing" {
			configs = append(configs, c)
		}
	}
	var sites, confs []string
	keyFiles := map[string]string{} // key path -> config that names it
	for _, c := range configs {
		dest, kind := b.apachePath(c.Path)
		if dest == "" {
			b.p.todo(TodoItem{Section: "Not translated", Title: "Apache configuration " + c.Path,
				Detail: fmt.Sprintf("%s has no place in %s's Apache layout; compare it with the target's own file and move the changes by hand.", from(c), b.p.Target),
				Facts:  c.Evidence})
			continue
		}
		if c.Content == "" {
			b.p.todo(TodoItem{Section: "Not translated", Title: "Apache configuration " + c.Path + " has no content in the snapshot",
				Detail: "The survey did not keep its text (" + c.ContentNote + "); copy it by hand.", Facts: c.Evidence})
			continue
		}
		text := c.Content
		if !debian {
			text = strings.NewReplacer("${APACHE_LOG_DIR}", "logs", "/etc/ssl/certs/", "/etc/pki/tls/certs/", "/etc/ssl/private/", "/etc/pki/tls/private/").Replace(text)
		}
		rewritten, rws := RewriteApache22Access(text)
		for _, rw := range rws {
			if rw.Now == nil {
				b.p.todo(TodoItem{Section: "Not translated", Title: fmt.Sprintf("Apache 2.2 access control at %s:%d", c.Path, rw.Line),
					Detail:   fmt.Sprintf("`%s` was kept as it was (it still works through mod_access_compat) because %s. Rewrite it with Require.", strings.Join(rw.Was, " / "), rw.Why),
					Findings: b.findingKeys("config.apache22-access"), Facts: c.Evidence})
			}
		}
		for _, l := range strings.Split(c.Content, "\n") {
			if m := sslKeyFile.FindStringSubmatch(l); m != nil {
				keyFiles[m[1]] = c.Path
			}
		}
		cc := c
		cc.Content = rewritten
		name := "apache-" + path.Base(dest) + ".j2"
		r.template(name, b.templateText(cc, "web"))
		comment := "From " + from(c) + "."
		if len(rws) > 0 {
			comment += fmt.Sprintf(" Apache 2.2 access control rewritten for 2.4 in %d of %d blocks.", countTranslated(rws), len(rws))
		}
		r.task(Task{Name: "Configure Apache: " + path.Base(dest), Module: "ansible.builtin.template", Comment: comment,
			Args:  M{{K: "src", V: name}, {K: "dest", V: dest}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Reload Apache"}}})
		if debian && enabled[path.Base(c.Path)] {
			switch kind {
			case "site":
				sites = append(sites, strings.TrimSuffix(path.Base(dest), ".conf"))
			case "conf":
				confs = append(confs, strings.TrimSuffix(path.Base(dest), ".conf"))
			}
		}
	}

	// TLS: the certificate is public and comes along; its key never left the
	// source and is a vault variable.
	for _, cert := range b.s.Middleware.Certificates {
		usedByApache := false
		for _, u := range cert.UsedBy {
			if strings.HasPrefix(u, "/etc/apache2/") || strings.HasPrefix(u, "/etc/httpd/") {
				usedByApache = true
			}
		}
		if !usedByApache {
			continue
		}
		base := strings.TrimSuffix(path.Base(cert.Path), path.Ext(cert.Path))
		certVar := "web_tls_" + slug(base) + "_certificate"
		certDest := b.tlsPath(cert.Path, false)
		if c, ok := b.configs[cert.Path]; ok && strings.Contains(c.Content, "BEGIN CERTIFICATE") {
			r.file(path.Base(cert.Path), c.Content)
			r.def(certVar, "{{ lookup('ansible.builtin.file', '"+path.Base(cert.Path)+"') }}",
				fmt.Sprintf("%s's certificate as the source had it (%s, expires %s); replace it with the renewed one", cert.Subject, cert.Path, cert.NotAfter.Format("2006-01-02")))
		} else {
			b.p.vault("vault_"+certVar, "the PEM of "+cert.Path)
			r.def(certVar, "{{ vault_"+certVar+" }}", "the certificate for "+cert.Subject)
		}
		r.task(Task{Name: "Install the TLS certificate " + path.Base(certDest), Module: "ansible.builtin.copy",
			Args:  M{{K: "content", V: "{{ " + certVar + " }}"}, {K: "dest", V: certDest}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Reload Apache"}}})
		for keyPath, conf := range keyFiles {
			if strings.TrimSuffix(path.Base(keyPath), path.Ext(keyPath)) != base {
				continue
			}
			keyVar := b.p.vault("vault_web_tls_"+slug(base)+"_private_key",
				fmt.Sprintf("the private key of %s (%s, named in %s); never read by the survey", cert.Subject, keyPath, conf))
			r.task(Task{Name: "Install the TLS private key " + path.Base(keyPath), Module: "ansible.builtin.copy",
				Args:  M{{K: "content", V: "{{ " + keyVar + " }}"}, {K: "dest", V: b.tlsPath(keyPath, true)}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0600"}},
				Extra: M{{K: "no_log", V: true}, {K: "notify", V: "Reload Apache"}}})
		}
		if cert.SelfSigned || cert.NotAfter.Before(b.s.CollectedAt.AddDate(0, 0, 60)) {
			b.p.todo(TodoItem{Section: "Secrets", Title: "TLS certificate for " + cert.Subject,
				Detail:   fmt.Sprintf("The source's certificate %s expires %s. Issue a new one for the new server rather than carrying this one over.", cert.Path, cert.NotAfter.Format("2006-01-02")),
				Findings: b.findingKeys("tls.expiring"), Facts: cert.Evidence})
		}
	}

	if debian {
		if len(sites) > 0 {
			r.def("web_apache_sites", L{}, "sites to enable (a2ensite)")
			b.p.setVar("web_apache_sites", toL(sites), "sites enabled on the source (/etc/apache2/sites-enabled)")
			r.task(Task{Name: "Enable the sites", Module: "ansible.builtin.file",
				Args:  M{{K: "src", V: "../sites-available/{{ item }}.conf"}, {K: "dest", V: "/etc/apache2/sites-enabled/{{ item }}.conf"}, {K: "state", V: "link"}},
				Extra: M{{K: "loop", V: "{{ web_apache_sites }}"}, {K: "notify", V: "Reload Apache"}}})
		}
		if len(confs) > 0 {
			r.task(Task{Name: "Enable the changed configuration snippets", Module: "ansible.builtin.file",
				Args:  M{{K: "src", V: "../conf-available/{{ item }}.conf"}, {K: "dest", V: "/etc/apache2/conf-enabled/{{ item }}.conf"}, {K: "state", V: "link"}},
				Extra: M{{K: "loop", V: toL(confs)}, {K: "notify", V: "Reload Apache"}}})
		}
		if !enabled["000-default.conf"] {
			r.task(Task{Name: "Disable the package's default site", Module: "ansible.builtin.file",
				Comment: "The source served no default site: its sites-enabled held only the sites above.",
				Args:    M{{K: "path", V: "/etc/apache2/sites-enabled/000-default.conf"}, {K: "state", V: "absent"}},
				Extra:   M{{K: "notify", V: "Reload Apache"}}})
		}
	}
	if len(docRoots) > 0 {
		b.p.setVar("web_document_roots", toL(docRoots), "DocumentRoot of each virtual host; the content itself is data (see MIGRATION_TODO.md)")
		r.def("web_document_roots", L{}, "document roots to create")
		r.task(Task{Name: "Create the document roots", Module: "ansible.builtin.file",
			Comment: "The application is deployed separately; its document root exists so the sites answer.",
			Args:    M{{K: "path", V: "{{ item }}"}, {K: "state", V: "directory"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0755"}},
			Extra:   M{{K: "loop", V: "{{ web_document_roots }}"}}})
	}
	r.task(Task{Name: "Keep Apache running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ web_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	r.handler(Task{Name: "Reload Apache", Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ web_service }}"}, {K: "state", V: "reloaded"}}})
	r.handler(Task{Name: "Restart Apache", Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ web_service }}"}, {K: "state", V: "restarted"}}})
	b.listen(svcName)
	b.restartOnZone = append(b.restartOnZone, svc)
}

func countTranslated(rws []AccessRewrite) int {
	n := 0
	for _, rw := range rws {
		if rw.Now != nil {
			n++
		}
	}
	return n
}

// apachePath is where a source Apache file goes on the target, and whether it is
// a site or a conf snippet; "" when the target has no such place.
func (b *builder) apachePath(p string) (string, string) {
	srcDebian := strings.HasPrefix(p, "/etc/apache2/")
	base := path.Base(p)
	if b.debian() {
		if srcDebian {
			switch {
			case strings.Contains(p, "/sites-available/"), strings.Contains(p, "/sites-enabled/"):
				return "/etc/apache2/sites-available/" + base, "site"
			case strings.Contains(p, "/conf-available/"), strings.Contains(p, "/conf-enabled/"):
				return "/etc/apache2/conf-available/" + base, "conf"
			case strings.Contains(p, "/mods-available/"):
				return p, "mod"
			}
			return "", ""
		}
		if strings.HasPrefix(p, "/etc/httpd/conf.d/") && strings.HasSuffix(base, ".conf") {
			return "/etc/apache2/sites-available/" + base, "site"
		}
		return "", ""
	}
	if srcDebian {
		if strings.Contains(p, "/sites-available/") || strings.Contains(p, "/sites-enabled/") || strings.Contains(p, "/conf-available/") {
			return "/etc/httpd/conf.d/" + base, "conf"
		}
		return "", ""
	}
	if strings.HasPrefix(p, "/etc/httpd/conf.d/") {
		return p, "conf"
	}
	return "", ""
}

// tlsPath is where a certificate or key goes on the target: Debian keeps them in
// /etc/ssl, EL in /etc/pki/tls.
func (b *builder) tlsPath(p string, key bool) string {
	base := path.Base(p)
	switch {
	case b.debian() && strings.HasPrefix(p, "/etc/pki/tls/"):
		if key {
			return "/etc/ssl/private/" + base
		}
		return "/etc/ssl/certs/" + base
	case !b.debian() && strings.HasPrefix(p, "/etc/ssl/"):
		if key {
			return "/etc/pki/tls/private/" + base
		}
		return "/etc/pki/tls/certs/" + base
	}
	return p
}
