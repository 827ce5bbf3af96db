package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

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
	snapshot.SectionPostfix, snapshot.SectionDovecot, snapshot.SectionRuby, snapshot.SectionPHP, snapshot.SectionJava,
	snapshot.SectionDocker, snapshot.SectionMemcached, snapshot.SectionRedis,
}

func (b *builder) middleware(sec *Section) {
	mw := b.s.Middleware
	for _, w := range mw.WebServers {
		sub := &Section{ID: anchor("web", w.Kind), Title: strings.TrimSpace(w.Kind + " " + w.Version)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.version"), b.versionFrom(w.Version, w.VersionSource)}, {b.t("mw.presence"), join(w.Presence)},
			{b.t("mw.config_root"), w.ConfigRoot}, {b.t("mw.mpm"), w.MPM}, {b.t("mw.listen"), join(w.Listen)},
			{b.t("mw.modules"), join(w.Modules)}, {b.t("mw.service"), w.Service},
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
		vh.Empty = b.t("none.vhosts")
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
		sub := &Section{ID: anchor("db", d.Kind), Title: strings.TrimSpace(d.Kind + " " + d.Version)}
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
			{b.t("mw.bind"), d.Bind}, {b.t("mw.port"), port}, {b.t("mw.socket"), d.Socket}, {b.t("mw.datadir"), d.Datadir},
			{b.t("mw.datadir_size"), b.sizeBoth(d.DatadirBytes, d.DatadirApparentBytes)},
			{b.t("mw.role"), role}, {b.t("mw.configs"), join(d.Configs)}, {b.t("mw.service"), d.Service},
		})})
		db := b.table(b.t("tbl.schemas"), col(b.t("col.database")), numCol(b.t("col.size")), numCol(b.t("col.apparent")), col(b.t("col.system")))
		for _, sch := range d.Databases {
			sys := ""
			if sch.System {
				sys = b.t("val.yes")
			}
			db.Rows = append(db.Rows, row(c(sch.Name), b.cbytesp(sch.Bytes), b.cbytesp(sch.ApparentBytes), c(sys)))
		}
		db.Empty = b.t("none.schemas")
		sub.Blocks = append(sub.Blocks, db, b.settings(d.Settings))
		sec.Sub = append(sec.Sub, sub)
	}
	for _, m := range mw.Mail {
		sub := &Section{ID: anchor("mail", m.Kind), Title: strings.TrimSpace(m.Kind + " " + m.Version)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.version"), b.versionFrom(m.Version, m.VersionSource)}, {b.t("mw.presence"), join(m.Presence)},
			{b.t("mw.relayhost"), m.Relayhost}, {b.t("mw.relayhost_hosts"), m.RelayhostHosts},
			{b.t("mw.configs"), join(m.Configs)}, {b.t("mw.service"), m.Service},
		})})
		al := b.table(b.t("tbl.aliases"), col(b.t("col.alias")), col(b.t("col.targets")), codeCol(b.t("col.where")))
		for _, a := range m.Aliases {
			al.Rows = append(al.Rows, row(c(a.Name), c(join(a.Targets)), c(a.Source)))
		}
		al.Empty = b.t("none.aliases")
		sub.Blocks = append(sub.Blocks, b.settings(m.Settings), al)
		sec.Sub = append(sec.Sub, sub)
	}
	for i, a := range mw.Apps {
		sub := &Section{ID: anchor("app", a.Kind+"-"+strconv.Itoa(i+1)), Title: cmp.Or(a.Name, a.Kind+" "+a.Path)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("mw.kind"), a.Kind}, {b.t("mw.path"), a.Path}, {b.t("mw.runtime"), a.Runtime}, {b.t("mw.server"), a.Server},
			{b.t("mw.gems"), join(a.Gems)}, {b.t("mw.service"), a.Service},
		})}, b.settings(a.Settings))
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

	var absent []string
	for _, s := range middlewareSurveys {
		if b.s.Coverage[s].Status == snapshot.NotApplicable {
			absent = append(absent, string(s))
		}
	}
	if len(absent) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("mw.absent", join(absent))})
	}
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

func (b *builder) settings(st []snapshot.Setting) *Table {
	t := b.table(b.t("tbl.settings"), col(b.t("col.setting")), codeCol(b.t("col.value")), codeCol(b.t("col.where")))
	for _, x := range st {
		t.Rows = append(t.Rows, row(c(x.Key), c(x.Value), c(x.Source)))
	}
	t.Empty = b.t("none.settings")
	return t
}
