package ansible

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
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
			// nginx and the others: the middleware row writes their roles.
		}
	}
}

func (b *builder) apache(ws snapshot.WebServer) {
	r := b.role("web", "Apache httpd with the sites of "+b.p.Source.Hostname+".")
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
	// Every module comes with the package that provides it on the target, or a
	// TODO where none does: a LoadModule of a module no package installs stops
	// httpd from starting.
	missing := map[string]string{}
	var mods []string
	for _, m := range ws.Modules {
		name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(m, "mod_"), ".so"), "_module")
		id := ledger.ID(ledger.KindWebModule, ledger.ModuleKey("apache", m))
		wm := distro.ApacheModule(name, b.p.Target)
		switch {
		case wm.Missing != "":
			missing[name] = wm.Missing
			b.todo(TodoItem{Section: "Not translated", Title: "Apache module " + name + " on " + b.p.Target.String(),
				Detail: fmt.Sprintf("The source loaded %s; %s. The project leaves it out (and every LoadModule of it), so the sites that need it do not work until that is done.", m, wm.Missing),
				Facts:  ws.Evidence}, id)
			continue
		case len(wm.Packages) > 0:
			pkgs = appendNew(pkgs, wm.Packages...)
		}
		switch {
		case compiledIn[name] || strings.HasPrefix(name, "mpm_"):
			b.book.Leave(id, ledger.TargetOS, "built into "+b.p.Target.String()+"'s httpd, or its MPM, which the package chooses")
			continue
		case !b.debian():
			how := "loaded by the httpd package's conf.modules.d"
			if len(wm.Packages) > 0 {
				how = "installed as " + strings.Join(wm.Packages, ", ") + ", whose file in conf.modules.d loads it"
			}
			b.book.Carry(id, "web", "Install Apache httpd: "+how)
			continue
		case debianDefaultModules[name]:
			b.book.Leave(id, ledger.TargetOS, "enabled by Debian's apache2 package on install")
			continue
		}
		mods = append(mods, name)
		task := "Enable the Apache modules the sites use: " + name
		if len(wm.Packages) > 0 {
			task += " (package " + strings.Join(wm.Packages, ", ") + ")"
		}
		b.book.Carry(id, "web", task)
	}
	b.p.def("apache", r, pkgs)
	r.def("web_service", svc, "the web server's service on "+b.p.Target.String())
	r.task(b.install("Apache httpd", "web_apache_packages"))
	b.carryService(ws.Service, "web", "Keep Apache running")
	b.book.Carry(ledger.ID(ledger.KindServer, "apache"), "web", "Keep Apache running")

	debian := b.debian()
	if debian {
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
		id := ledger.ID(ledger.KindConfig, c.Path)
		dest, kind := b.apachePath(c.Path)
		if dest == "" {
			b.todo(TodoItem{Section: "Not translated", Title: "Apache configuration " + c.Path,
				Detail: fmt.Sprintf("%s has no place in %s's Apache layout; compare it with the target's own file and move the changes by hand.", from(c), b.p.Target) + settingsHint(c),
				Facts:  c.Evidence}, id)
			continue
		}
		if c.Content == "" {
			b.todo(TodoItem{Section: "Not translated", Title: "Apache configuration " + c.Path + " has no content in the snapshot",
				Detail: "The survey did not keep its text (" + c.ContentNote + "); copy it by hand.", Facts: c.Evidence}, id)
			continue
		}
		if c.Package != "" || packagedSnippet[path.Base(c.Path)] {
			// The package's own snippet, edited: laying an old release's file over the
			// new package's would undo what the new release changed.
			b.todo(TodoItem{Section: "Not translated", Title: "Apache configuration " + c.Path + " of the package",
				Detail: fmt.Sprintf("%s is the web server package's own file; the target's package ships its own version, which the project leaves as it is.", from(c)) + settingsHint(c),
				Facts:  c.Evidence}, id)
			continue
		}
		text := c.Content
		var dropped []string
		text, dropped = dropModules(text, missing)
		if len(dropped) > 0 {
			b.todo(TodoItem{Section: "Not translated", Title: "LoadModule lines left out of " + c.Path,
				Detail: "They load modules no package of " + b.p.Target.String() + " provides (see the module's own item): " + strings.Join(dropped, "; ") + ".", Facts: c.Evidence})
		}
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
		b.carryConfig(c.Path, "web", "Configure Apache: "+path.Base(dest))
		for _, v := range ws.VHosts {
			if file, _, _ := strings.Cut(v.Source, ":"); file == c.Path || path.Base(file) == path.Base(c.Path) {
				b.book.Carry(ledger.ID(ledger.KindVHost, ledger.VHostKey(v)), "web", "Configure Apache: "+path.Base(dest))
			}
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
			if strings.Contains(cert.Path, "snakeoil") || strings.Contains(cert.Path, "localhost.crt") {
				b.book.Leave(ledger.ID(ledger.KindCertificate, cert.Path), ledger.TargetOS, "the distribution's own self-signed certificate, which the target makes anew")
			}
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
		b.book.Carry(ledger.ID(ledger.KindCertificate, cert.Path), "web", "Install the TLS certificate "+path.Base(certDest))
		b.carryConfig(cert.Path, "web", "Install the TLS certificate "+path.Base(certDest))
		r.task(Task{Name: "Install the TLS certificate " + path.Base(certDest), Module: "ansible.builtin.copy",
			Args:  M{{K: "content", V: "{{ " + certVar + " }}"}, {K: "dest", V: certDest}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Reload Apache"}}})
		for keyPath, conf := range keyFiles {
			if strings.TrimSuffix(path.Base(keyPath), path.Ext(keyPath)) != base {
				continue
			}
			keyVar := b.p.vault("vault_web_tls_"+slug(base)+"_private_key",
				fmt.Sprintf("the private key of %s (%s, named in %s); never read by the survey", cert.Subject, keyPath, conf))
			b.book.Translate(ledger.ID(ledger.KindConfig, keyPath), "web", keyPath, keyVar+" in the vault", "the key never left the source: its owner supplies it")
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

// packagedSnippet are conf.d files the web server's package (or a module's)
// ships: an old release's copy is never laid over the new one's.
var packagedSnippet = map[string]bool{
	"welcome.conf": true, "ssl.conf": true, "autoindex.conf": true, "userdir.conf": true, "README": true,
	"php.conf": true, "manual.conf": true, "proxy_ajp.conf": true, "perl.conf": true, "python.conf": true,
	"webalizer.conf": true, "squid.conf": true, "fcgid.conf": true, "wsgi.conf": true,
}

// settingsHint lists a file's changed settings, for a TODO that asks for them to
// be carried by hand.
func settingsHint(c snapshot.ConfigFile) string {
	if ch := changesText(c.Settings); ch != "" {
		return " The settings the site changed: " + ch + "."
	}
	return ""
}

// dropModules comments out the LoadModule lines of modules no package provides.
func dropModules(text string, missing map[string]string) (string, []string) {
	if len(missing) == 0 {
		return text, nil
	}
	lines := strings.Split(text, "\n")
	var dropped []string
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 || !strings.EqualFold(f[0], "LoadModule") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f[1], "mod_"), "_module")
		if _, ok := missing[name]; ok {
			lines[i] = "# TODO(trowel): no package of the target provides this module: " + l
			dropped = append(dropped, strings.TrimSpace(l))
		}
	}
	return strings.Join(lines, "\n"), dropped
}

func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		if !slices.Contains(list, m) {
			list = append(list, m)
		}
	}
	return list
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

// webSweep decides the sites, modules and certificates no web role carried: a
// site whose configuration stayed behind is that configuration's todo.
func (b *builder) webSweep() {
	for _, k := range []ledger.Kind{ledger.KindVHost, ledger.KindWebModule, ledger.KindCertificate} {
		for _, id := range b.book.Of(k) {
			if _, given := b.book.Given(id); given {
				continue
			}
			f, _ := b.book.Fact(id)
			b.todo(TodoItem{Section: "Not translated", Title: "Not carried: " + f.Title,
				Detail: "No web server role carries it (" + cmpOr(f.Source, "see the snapshot") + "): set it up on the new server by hand, or decide it need not come."}, id)
		}
	}
}
