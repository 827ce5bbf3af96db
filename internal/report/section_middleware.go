package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// middlewareSection describes web servers, databases, mail, applications, caches,
// containers and certificates as their configurations do, one subsection each.
var middlewareSection = handoverSection{
	id: "middleware", title: "sec.middleware", intro: "intro.middleware",
	reads: append(slices.Clone(middlewareSurveys), snapshot.SectionCertificates),
	build: (*builder).middleware,
}

// middlewareSurveys are the surveys of one kind of middleware each; the section
// names those that found their kind absent, so that a missing subsection reads as
// "not on this host", not as "not looked for".
var middlewareSurveys = []snapshot.Section{
	snapshot.SectionApache, snapshot.SectionNginx, snapshot.SectionMySQL, snapshot.SectionPostgreSQL,
	snapshot.SectionPostfix, snapshot.SectionDovecot, snapshot.SectionApps, snapshot.SectionRuby, snapshot.SectionPHP, snapshot.SectionJava,
	snapshot.SectionDocker, snapshot.SectionMemcached, snapshot.SectionRedis,
}

func (b *builder) middleware(sec *Section) {
	mw := b.s.Middleware
	for _, w := range mw.WebServers {
		sub := &Section{ID: anchor("web", w.Kind), Title: b.software("middleware.web_servers["+w.Kind+"]", w.Kind, w.Version)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.version"), b.versionFrom(w.Version, w.VersionSource)}, {b.t("mw.presence"), join(w.Presence)},
			{b.t("mw.config_root"), w.ConfigRoot}, {b.t("mw.mpm"), w.MPM}, {b.t("mw.listen"), join(w.Listen)},
			{b.t("mw.modules"), join(w.Modules)}, {b.t("mw.service"), w.Service}, {b.t("mw.state"), b.serviceState(w.Service)},
		})})
		vh := b.table(b.t("tbl.vhosts"), col(b.t("col.server_name")), col(b.t("col.aliases")), codeCol(b.t("col.listen")), col("TLS"),
			codeCol(b.t("col.docroot")), codeCol(b.t("col.proxies")), codeCol(b.t("col.where")))
		for _, v := range w.VHosts {
			tls := ""
			if v.TLS {
				tls = b.t("val.yes")
			}
			vh.Rows = append(vh.Rows, row(c(v.ServerName), c(join(v.Aliases)), c(v.Listen), c(tls), c(v.DocumentRoot), c(join(v.Proxies)), c(v.Source)))
		}
		vh.Empty = b.empty(b.t("none.vhosts"), mwSection(w.Kind))
		sub.Blocks = append(sub.Blocks, vh)
		if len(w.Legacy) > 0 {
			lg := b.table(b.t("tbl.legacy"), col(b.t("col.directive")), codeCol(b.t("col.text")), codeCol(b.t("col.where")), col(b.t("col.why")))
			for _, x := range w.Legacy {
				lg.Rows = append(lg.Rows, row(c(x.Name), c(x.Text), c(x.Source), c(x.Why)))
			}
			sub.Blocks = append(sub.Blocks, lg)
		}
		sec.Sub = append(sec.Sub, sub)
	}
	for _, d := range mw.Databases {
		sub := &Section{ID: anchor("db", d.Kind), Title: b.software("middleware.databases["+d.Kind+"]", d.Kind, d.Version)}
		port := ""
		if d.Port != 0 {
			port = strconv.Itoa(d.Port)
		}
		role := d.Role
		if d.RoleBasis != "" {
			role += " (" + d.RoleBasis + ")"
		}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.version"), b.versionFrom(d.Version, d.VersionSource)}, {b.t("mw.presence"), join(d.Presence)},
			{b.t("mw.bind"), b.dbValue(d, d.Bind, "bind-address")}, {b.t("mw.port"), b.dbValue(d, port, "port")},
			{b.t("mw.socket"), b.dbValue(d, d.Socket, "socket")}, {b.t("mw.datadir"), b.dbValue(d, d.Datadir, "datadir")},
			{b.t("mw.datadir_size"), b.sizeBoth(d.DatadirBytes, d.DatadirApparentBytes)},
			{b.t("mw.role"), role}, {b.t("mw.configs"), join(d.Configs)}, {b.t("mw.service"), d.Service},
			{b.t("mw.state"), b.serviceState(d.Service)},
		})})
		db := b.table(b.t("tbl.schemas"), col(b.t("col.database")), numCol(b.t("col.size")), numCol(b.t("col.apparent")), col(b.t("col.system")))
		for _, sch := range d.Databases {
			sys := ""
			if sch.System {
				sys = b.t("val.yes")
			}
			db.Rows = append(db.Rows, row(c(sch.Name), b.cbytesp(sch.Bytes), b.cbytesp(sch.ApparentBytes), c(sys)))
		}
		db.Empty = b.empty(b.t("none.schemas"), mwSection(d.Kind))
		sub.Blocks = append(sub.Blocks, db, b.settings(d.Settings, mwSection(d.Kind)))
		sec.Sub = append(sec.Sub, sub)
	}
	for _, m := range mw.Mail {
		sub := &Section{ID: anchor("mail", m.Kind), Title: b.software("middleware.mail["+m.Kind+"]", m.Kind, m.Version)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.version"), b.versionFrom(m.Version, m.VersionSource)}, {b.t("mw.presence"), join(m.Presence)},
			{b.t("mw.relayhost"), m.Relayhost}, {b.t("mw.relayhost_hosts"), m.RelayhostHosts},
			{b.t("mw.configs"), join(m.Configs)}, {b.t("mw.service"), m.Service}, {b.t("mw.state"), b.serviceState(m.Service)},
		})})
		sub.Blocks = append(sub.Blocks, b.settings(m.Settings, mwSection(m.Kind)), b.aliases(m))
		sec.Sub = append(sec.Sub, sub)
	}
	for i, a := range mw.Apps {
		sec.Sub = append(sec.Sub, b.app(i, a))
	}
	if len(mw.NotApps) > 0 {
		sub := &Section{ID: "not-apps", Title: b.t("sec.not_apps")}
		t := b.table(b.t("tbl.not_apps"), col(b.t("col.served_by")), col(b.t("col.directive")), codeCol(b.t("col.path")),
			codeCol(b.t("col.real_path")), col(b.t("col.found")), codeCol(b.t("col.where")))
		for _, n := range mw.NotApps {
			t.Rows = append(t.Rows, row(c(n.By), c(n.Directive), c(n.Path), c(n.RealPath), c(b.found(n)), c(n.Source)))
		}
		sub.Blocks = append(sub.Blocks, t)
		sec.Sub = append(sec.Sub, sub)
	}
	for i, r := range mw.Runtimes {
		sub := &Section{ID: anchor("runtime", r.Kind+"-"+strconv.Itoa(i+1)), Title: r.Kind + " " + r.Path}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.version"), r.Version}, {b.t("mw.app_server"), r.Server},
		})}, b.settings(r.Settings, mwSection(r.Kind)))
		sec.Sub = append(sec.Sub, sub)
	}
	if len(mw.Caches) > 0 {
		sub := &Section{ID: "caches", Title: b.t("sec.caches")}
		t := b.table(b.t("tbl.caches"), col(b.t("col.kind")), col(b.t("col.version")), codeCol(b.t("col.bind")), numCol(b.t("col.port")), col(b.t("col.service")))
		for _, x := range mw.Caches {
			t.Rows = append(t.Rows, row(c(x.Kind), c(cmp.Or(b.versionFrom(x.Version, x.VersionSource), x.Version)), c(x.Bind), cnCount(x.Port), c(x.Service)))
		}
		sub.Blocks = append(sub.Blocks, t)
		sec.Sub = append(sec.Sub, sub)
	}
	if len(mw.Containers) > 0 {
		sub := &Section{ID: "containers", Title: b.t("sec.containers")}
		t := b.table(b.t("tbl.containers"), col(b.t("col.name")), codeCol(b.t("col.image")), col(b.t("col.state")), codeCol(b.t("col.ports")),
			codeCol(b.t("col.mounts")), col(b.t("col.restart")))
		for _, x := range mw.Containers {
			t.Rows = append(t.Rows, row(c(x.Name), c(x.Image), c(x.State), c(join(x.Ports)), c(join(x.Mounts)), c(x.RestartPolicy)))
		}
		sub.Blocks = append(sub.Blocks, t)
		sec.Sub = append(sec.Sub, sub)
	}
	certs := &Section{ID: "certificates", Title: b.t("sec.certificates")}
	ct := b.table(b.t("tbl.certificates"), codeCol(b.t("col.path")), col(b.t("col.subject")), col(b.t("col.sans")), col(b.t("col.issuer")),
		col(b.t("col.not_after")), numCol(b.t("col.days_left")), codeCol(b.t("col.used_by")))
	for _, x := range mw.Certificates {
		days := int(x.NotAfter.Sub(b.s.CollectedAt).Hours() / 24)
		issuer := x.Issuer
		if x.SelfSigned {
			issuer = b.t("val.self_signed")
		}
		na := x.NotAfter
		ct.Rows = append(ct.Rows, row(c(x.Path), c(x.Subject), c(join(x.SANs)), c(issuer), b.ctime(&na), cn(days), c(join(x.UsedBy))))
	}
	ct.Empty = b.empty(b.t("none.certificates"), snapshot.SectionCertificates)
	certs.Blocks = append(certs.Blocks, ct)
	sec.Sub = append(sec.Sub, certs)

	var absent []snapshot.Section
	var names []string
	for _, s := range middlewareSurveys {
		if b.s.Coverage[s].Status == snapshot.NotApplicable {
			absent = append(absent, s)
			names = append(names, string(s))
		}
	}
	if len(absent) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.claim(Claim{Subject: coverageSubject(absent...), Says: SaysAbsent,
			Value: string(snapshot.NotApplicable), Text: b.t("mw.absent", join(names))})})
	}
}

// app describes one application: what it is and where that is written, the real
// tree and what leads to it, who owns it and how large it is, what runs it, its
// database, configuration, secrets to supply, data, and dependencies.
func (b *builder) app(i int, a snapshot.App) *Section {
	sub := &Section{ID: anchor("app", a.Kind+"-"+strconv.Itoa(i+1)), Title: cmp.Or(a.Name, a.Kind+" "+a.Path)}
	framework := ""
	switch {
	case a.Framework != "" && a.Version != "":
		framework = b.t("mw.version_from", a.Framework+" "+a.Version, a.VersionSource)
	case a.Framework != "":
		framework = b.t("mw.framework_unknown", a.Framework)
	}
	runtime := a.Runtime
	if runtime != "" && a.RuntimeSource != "" {
		runtime = b.t("mw.from", runtime, a.RuntimeSource)
	}
	path := a.Path
	if a.Release != "" {
		path = b.t("mw.release", a.Path, a.Release)
	}
	owner := a.Owner
	if a.Group != "" {
		owner += ":" + a.Group
	}
	secrets := ""
	if len(a.Secrets) > 0 {
		secrets = b.t("mw.secrets_unread", join(a.Secrets))
	}
	sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
		{b.t("mw.framework"), framework}, {b.t("mw.kind"), a.Kind}, {b.t("mw.path"), path}, {b.t("mw.owner"), owner},
		{b.t("mw.size"), b.sizeBoth(a.Bytes, a.ApparentBytes)}, {b.t("mw.runtime"), runtime}, {b.t("mw.app_server"), a.Server},
		{b.t("mw.service"), a.Service}, {b.t("mw.state"), b.serviceState(a.Service)}, {b.t("mw.package"), a.Package},
		{b.t("mw.database"), b.appDatabase(a.Settings)},
		{b.t("mw.configs"), join(a.Configs)}, {b.t("mw.secrets"), secrets}, {b.t("mw.gems"), join(a.Gems)},
		{b.t("mw.libraries"), join(a.Libraries)}, {b.t("mw.extensions"), join(a.Extensions)},
	})})
	served := b.table(b.t("tbl.served_by"), col(b.t("col.served_by")), col(b.t("col.directive")), codeCol(b.t("col.path")),
		codeCol(b.t("col.real_path")), codeCol(b.t("col.links")), codeCol(b.t("col.where")))
	for _, sp := range a.ServedBy {
		served.Rows = append(served.Rows, row(c(sp.By), c(sp.Directive), c(sp.Path), c(cmp.Or(sp.RealPath, sp.What)), c(join(sp.Links)), c(sp.Source)))
	}
	served.Empty = b.empty(b.t("none.served_by"), snapshot.SectionApps)
	data := b.table(b.t("tbl.app_data"), codeCol(b.t("col.path")), col(b.t("col.what")), numCol(b.t("col.size")), numCol(b.t("col.apparent")),
		col(b.t("col.owner")), codeCol(b.t("col.set_at")), col(b.t("col.note")))
	for _, d := range a.Data {
		owner := d.Owner
		if d.Group != "" {
			owner += ":" + d.Group
		}
		data.Rows = append(data.Rows, row(c(d.Path), c(d.What), b.cbytesp(d.Bytes), b.cbytesp(d.ApparentBytes), c(owner), c(d.Source), c(d.Note)))
	}
	data.Empty = b.empty(b.t("none.app_data"), snapshot.SectionApps)
	settings := b.settings(a.Settings, snapshot.SectionApps)
	settings.Explain = b.t("tbl.app_settings")
	sub.Blocks = append(sub.Blocks, served, data, settings)
	return sub
}

// appDatabase says which database an application's configuration names, from its
// database.* settings: "mysql2, 127.0.0.1:3306, database redmine, user redmine".
func (b *builder) appDatabase(st []snapshot.Setting) string {
	v := map[string]string{}
	for _, x := range st {
		if k, ok := strings.CutPrefix(x.Key, "database."); ok {
			v[k] = x.Value
		}
	}
	where := v["host"]
	if v["port"] != "" {
		where += ":" + v["port"]
	}
	parts := []string{v["adapter"], cmp.Or(where, v["socket"])}
	if v["database"] != "" {
		parts = append(parts, b.t("mw.db_name", v["database"]))
	}
	if v["username"] != "" {
		parts = append(parts, b.t("mw.db_user", v["username"]))
	}
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return join(out)
}

// found says what a served directory that is no application holds.
func (b *builder) found(n snapshot.ServedPath) string {
	key := "found." + n.Found
	if _, ok := labelsEN[key]; !ok {
		return strings.TrimSpace(n.Found + " " + n.What)
	}
	if strings.Contains(L("en", key), "%s") {
		return b.t(key, n.What)
	}
	return b.t(key)
}

// versionFrom is a version and where it comes from (a version read from a package
// or a doc directory is not one the program said), or "version unknown"; "" for a
// version of an older snapshot that does not say, which the title shows already.
func (b *builder) versionFrom(v, source string) string {
	switch {
	case v == "":
		return b.t("mw.version_unknown")
	case source == "":
		return ""
	}
	return v + " (" + source + ")"
}

// sizeBoth is a size on disk beside the apparent one, which a sparse file makes far
// larger; "" when neither was measured.
func (b *builder) sizeBoth(disk, apparent *int64) string {
	if disk == nil && apparent == nil {
		return ""
	}
	return b.t("mw.size_both", b.cbytesp(disk).Text, b.cbytesp(apparent).Text)
}

// settings lists a server's settings that differ from the defaults. "None
// differ" is said only when the survey of its kind read them all: offline, or
// where doveconf or postconf could not run, they are not known.
func (b *builder) settings(st []snapshot.Setting, sec snapshot.Section) *Table {
	t := b.table(b.t("tbl.settings"), col(b.t("col.setting")), codeCol(b.t("col.value")), codeCol(b.t("col.where")))
	for _, x := range st {
		t.Rows = append(t.Rows, row(c(x.Key), c(x.Value), c(x.Source)))
	}
	t.Empty = b.empty(b.t("none.settings"), sec)
	return t
}

// aliases lists a mail server's aliases, the administrator's first; those of
// /etc/aliases exactly as the distribution ships them are folded into one line.
func (b *builder) aliases(m snapshot.MailServer) *Table {
	t := b.table(b.t("tbl.aliases"), col(b.t("col.alias")), col(b.t("col.targets")), codeCol(b.t("col.where")))
	var stock [][]Cell
	for _, a := range m.Aliases {
		r := row(c(a.Name), c(join(a.Targets)), c(a.Source))
		if strings.HasPrefix(a.Source, "/etc/aliases:") && distro.StockAlias(b.s.OS.Family, a.Name, a.Targets) {
			stock = append(stock, r)
			continue
		}
		t.Rows = append(t.Rows, r)
	}
	if len(stock) > 0 {
		t.Folded = &Fold{Rows: stock, Summary: b.claim(Claim{Subject: "middleware.mail[" + m.Kind + "].aliases", Says: SaysFolded,
			Value: strconv.Itoa(len(stock)), Text: b.t("fold.aliases", len(stock))})}
	}
	if len(m.Aliases) == 0 {
		t.Empty = b.empty(b.t("none.aliases"), mwSection(m.Kind))
	}
	return t
}

// serviceState says whether the service of a server runs and starts at boot,
// "" when no service of it is known.
func (b *builder) serviceState(name string) string {
	st, subject := b.stateOf(name)
	if subject == "" {
		return ""
	}
	return b.stateWords(subject, st)
}

// mwSection is the survey section of a kind of middleware, whose coverage
// decides whether an empty table of it means "none" or "not known"; "" (never
// surveyed, so "not known") for a kind no survey names.
func mwSection(kind string) snapshot.Section {
	switch kind {
	case "mysql", "mariadb":
		return snapshot.SectionMySQL
	case "rails":
		return snapshot.SectionRuby
	}
	for _, s := range middlewareSurveys {
		if string(s) == kind {
			return s
		}
	}
	return ""
}

// dbValue is a MySQL or MariaDB server's value with where it was read: the
// option file line or command line that sets it, or that nothing trowel read
// sets it (the surveyor then took the usual built-in value, which a reader
// should not mistake for one a file gave). Other kinds' values stand alone.
func (b *builder) dbValue(d snapshot.Database, value, key string) string {
	if value == "" || d.Kind != "mysql" && d.Kind != "mariadb" {
		return value
	}
	for i := len(d.Settings) - 1; i >= 0; i-- {
		st := d.Settings[i]
		if mysqlKey(st.Key) == mysqlKey(key) && strings.TrimSuffix(st.Value, "/") == value && st.Source != "" {
			return b.t("mw.from", value, st.Source)
		}
	}
	if key == "bind-address" || key == "socket" {
		return value
	}
	return b.t("mw.unset", value)
}

// mysqlKey is an option's name as MySQL compares it (datadir, bind_address).
func mysqlKey(k string) string {
	return strings.TrimPrefix(strings.ToLower(strings.ReplaceAll(k, "-", "_")), "loose_")
}
