package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

func (b *builder) cron() *Section {
	sec := &Section{ID: "cron", Title: b.t("sec.cron"), Intro: b.t("intro.cron")}
	t := b.table(b.t("tbl.cron"),
		codeCol(b.t("col.where")), col(b.t("col.user")), codeCol(b.t("col.schedule")), codeCol(b.t("col.command")),
		col(b.t("col.zone")), col(b.t("col.next_run")), col(b.t("col.mail_to")), col(b.t("col.note")))
	// A zone note usually applies to every job (a stale crond); it is said once,
	// under the table, and each row points at it.
	var notes []string
	noteNo := map[string]int{}
	for _, j := range b.s.CronJobs {
		where := j.Source
		if j.Line > 0 {
			where += ":" + strconv.Itoa(j.Line)
		}
		zone := cmp.Or(j.Zone, b.t("val.unknown"))
		if j.ZoneNote != "" {
			n, ok := noteNo[j.ZoneNote]
			if !ok {
				notes = append(notes, j.ZoneNote)
				n = len(notes)
				noteNo[j.ZoneNote] = n
			}
			zone += " " + b.t("val.see_note", n)
		}
		next := Cell{}
		if len(j.NextRuns) > 0 {
			next = Cell{Text: inZone(j.NextRuns[0], j.Zone), Sort: j.NextRuns[0].UTC().Format(time.RFC3339)}
		}
		mail := j.MailTo
		if v, ok := j.Env["MAILTO"]; ok && v == "" {
			mail = b.t("val.discarded")
		}
		note := j.Note
		if j.Disabled {
			note = strings.TrimSpace(b.t("val.disabled") + " " + note)
		}
		t.Rows = append(t.Rows, row(c(where), c(j.User), c(j.Schedule), c(j.Command), c(zone), next, c(mail), c(note)))
	}
	t.Empty = b.empty(b.t("none.cron"), snapshot.SectionCron)
	sec.Blocks = append(sec.Blocks, t)
	if len(notes) > 0 {
		items := make([]string, len(notes))
		for i, n := range notes {
			items[i] = b.t("val.note_n", i+1, n)
		}
		sec.Blocks = append(sec.Blocks, &List{Items: items})
	}
	return sec
}

// inZone prints an instant in the zone a job fires in, with UTC beside it.
func inZone(t time.Time, zone string) string {
	u := t.UTC().Format("2006-01-02 15:04 UTC")
	if zone == "" || zone == "UTC" || zone == "Etc/UTC" {
		return u
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return u
	}
	return t.In(loc).Format("2006-01-02 15:04 MST") + " (" + u + ")"
}

func (b *builder) timekeeping() *Section {
	tm := b.s.Time
	sec := &Section{ID: "time", Title: b.t("sec.time"), Intro: b.t("intro.time")}
	changed := ""
	if tm.LocaltimeChanged != nil {
		changed = b.when(*tm.LocaltimeChanged)
	}
	ntp := tm.NTP.Daemon
	if ntp != "" {
		ntp += ", " + b.t("val.running_is", b.yesNo(tm.NTP.Running))
		if tm.NTP.Synchronized != nil {
			ntp += ", " + b.t("val.synced_is", b.yesNo(tm.NTP.Synchronized))
		}
	} else {
		ntp = b.t("val.none")
	}
	sec.Blocks = append(sec.Blocks, &Facts{Pairs: nonEmpty([]Pair{
		{b.t("time.zone"), cmp.Or(tm.Zone, b.t("val.unknown"))},
		{b.t("time.source"), tm.ZoneSource},
		{b.t("time.offset"), tm.UTCOffset},
		{b.t("time.changed"), changed},
		{b.t("time.cron_tz"), cmp.Or(tm.CronTZ, b.t("val.none"))},
		{b.t("time.ntp"), ntp},
		{b.t("time.servers"), join(tm.NTP.Servers)},
	})})
	if len(tm.Notes) > 0 {
		sec.Blocks = append(sec.Blocks, &List{Items: tm.Notes})
	}
	st := b.table(b.t("tbl.stale"), numCol("PID"), codeCol(b.t("col.command")), col(b.t("col.service")), col(b.t("col.started")), col(b.t("col.runs_in")))
	for _, d := range tm.StaleDaemons {
		started := d.Started
		st.Rows = append(st.Rows, row(cn(d.PID), c(d.Command), c(d.Service), b.ctime(&started), c(cmp.Or(d.Zone, b.t("val.zone_at_start")))))
	}
	st.Empty = b.empty(b.t("none.stale"), snapshot.SectionTime)
	sec.Blocks = append(sec.Blocks, st)
	return sec
}

func (b *builder) accounts() *Section {
	a := b.s.Accounts
	sec := &Section{ID: "accounts", Title: b.t("sec.accounts"), Intro: b.t("intro.accounts")}
	users := b.table(b.t("tbl.users"),
		col(b.t("col.user")), numCol("UID"), col(b.t("col.kind")), col(b.t("col.password")), codeCol(b.t("col.shell")),
		col(b.t("col.groups")), col(b.t("col.sudo")), numCol(b.t("col.keys")), col(b.t("col.last_login")))
	hidden := 0
	for _, u := range a.Users {
		if u.Kind == "system" && !u.CanLogin && len(u.Keys) == 0 && len(u.Sudo) == 0 {
			hidden++
			continue
		}
		sudo := ""
		for _, r := range u.Sudo {
			s := join(r.Commands)
			if r.NoPasswd {
				s += " (NOPASSWD)"
			}
			sudo = strings.TrimPrefix(sudo+"; "+s, "; ")
		}
		last := b.ctime(u.LastLogin)
		if u.LastFrom != "" {
			last.Text = strings.TrimSpace(last.Text + " " + b.t("val.from", u.LastFrom))
		}
		users.Rows = append(users.Rows, row(c(u.Name), cn(u.UID), c(b.kind(u.Kind)), c(b.kind("pw."+u.Password)),
			c(u.Shell), c(join(u.Groups)), c(sudo), cn(len(u.Keys)), last))
	}
	users.Empty = b.empty(b.t("none.users"), snapshot.SectionAccounts)
	if hidden > 0 {
		users.Explain += " " + b.t("tbl.users.hidden", hidden)
	}
	sec.Blocks = append(sec.Blocks, users)

	sudo := b.table(b.t("tbl.sudo"), col(b.t("col.who")), col(b.t("col.grants")), col(b.t("col.run_as")), codeCol(b.t("col.commands")),
		col("NOPASSWD"), col(b.t("col.defaults")), codeCol(b.t("col.where")))
	for _, r := range a.Sudo {
		np := ""
		if r.NoPasswd {
			np = b.t("val.yes")
		}
		sudo.Rows = append(sudo.Rows, row(c(r.Who), c(join(r.Users)), c(r.RunAs), c(join(r.Commands)), c(np),
			c(join(append(append([]string{}, r.Tags...), r.Defaults...))), c(r.Source)))
	}
	sudo.Empty = b.empty(b.t("none.sudo"), snapshot.SectionSudo)
	sec.Blocks = append(sec.Blocks, sudo)

	keys := b.table(b.t("tbl.keys"), col(b.t("col.user")), col(b.t("col.type")), codeCol(b.t("col.fingerprint")), col(b.t("col.comment")),
		codeCol(b.t("col.options")), codeCol(b.t("col.where")))
	for _, u := range a.Users {
		for _, k := range u.Keys {
			keys.Rows = append(keys.Rows, row(c(u.Name), c(k.Type), c(k.Fingerprint), c(k.Comment), c(join(k.Options)), c(k.Source)))
		}
	}
	keys.Empty = b.empty(b.t("none.keys"), snapshot.SectionKeys)
	sec.Blocks = append(sec.Blocks, keys)

	sshd := b.table(b.t("tbl.sshd"), col(b.t("col.setting")), codeCol(b.t("col.value")), codeCol(b.t("col.where")))
	for _, st := range a.SSHD {
		sshd.Rows = append(sshd.Rows, row(c(st.Key), c(st.Value), c(st.Source)))
	}
	sshd.Empty = b.empty(b.t("none.sshd"), snapshot.SectionAccounts)
	sec.Blocks = append(sec.Blocks, sshd)
	return sec
}

func (b *builder) files() *Section {
	f := b.s.Files
	sec := &Section{ID: "files", Title: b.t("sec.files"), Intro: b.t("intro.files")}
	cfg := b.table(b.t("tbl.configs"), codeCol(b.t("col.path")), col(b.t("col.state")), col(b.t("col.package")),
		codeCol(b.t("col.changes")), col(b.t("col.modified")), col(b.t("col.note")))
	for _, x := range f.Configs {
		note := x.ContentNote
		if x.Generated != "" {
			note = strings.TrimSpace(b.t("val.generated_by", x.Generated) + " " + note)
		}
		cfg.Rows = append(cfg.Rows, row(c(x.Path), c(b.kind("file."+x.State)), c(x.Package), c(x.Changes), b.ctime(x.Modified), c(note)))
	}
	cfg.Empty = b.empty(b.t("none.configs"), snapshot.SectionFiles)
	un := b.table(b.t("tbl.unmanaged"), codeCol(b.t("col.path")), col(b.t("col.what")), numCol(b.t("col.files")), numCol(b.t("col.size")), col(b.t("col.modified")))
	for _, u := range f.Unmanaged {
		un.Rows = append(un.Rows, row(c(u.Path), c(u.What), cnCount(u.Files), b.cbytes(u.Bytes), b.ctime(u.Modified)))
	}
	un.Empty = b.empty(b.t("none.unmanaged"), snapshot.SectionUnmanaged)
	sec.Blocks = append(sec.Blocks, cfg, un)
	return sec
}

func (b *builder) middleware() *Section {
	mw := b.s.Middleware
	sec := &Section{ID: "middleware", Title: b.t("sec.middleware"), Intro: b.t("intro.middleware")}
	for _, w := range mw.WebServers {
		sub := &Section{ID: anchor("web", w.Kind), Title: strings.TrimSpace(w.Kind + " " + w.Version)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
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
			{b.t("mw.bind"), d.Bind}, {b.t("mw.port"), port}, {b.t("mw.socket"), d.Socket}, {b.t("mw.datadir"), d.Datadir},
			{b.t("mw.role"), role}, {b.t("mw.configs"), join(d.Configs)}, {b.t("mw.service"), d.Service},
		})})
		db := b.table(b.t("tbl.schemas"), col(b.t("col.database")), numCol(b.t("col.size")), col(b.t("col.system")))
		for _, sch := range d.Databases {
			sys := ""
			if sch.System {
				sys = b.t("val.yes")
			}
			db.Rows = append(db.Rows, row(c(sch.Name), b.cbytesp(sch.Bytes), c(sys)))
		}
		db.Empty = b.t("none.schemas")
		sub.Blocks = append(sub.Blocks, db, b.settings(d.Settings))
		sec.Sub = append(sec.Sub, sub)
	}
	for _, m := range mw.Mail {
		sub := &Section{ID: anchor("mail", m.Kind), Title: strings.TrimSpace(m.Kind + " " + m.Version)}
		sub.Blocks = append(sub.Blocks, &Facts{Pairs: nonEmpty([]Pair{
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
			t.Rows = append(t.Rows, row(c(x.Kind), c(x.Version), c(x.Bind), cnCount(x.Port), c(x.Service)))
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
	sec.Sub = append(sec.Sub, b.answers())

	var absent []string
	for _, s := range []snapshot.Section{snapshot.SectionApache, snapshot.SectionNginx, snapshot.SectionMySQL, snapshot.SectionPostgreSQL,
		snapshot.SectionPostfix, snapshot.SectionDovecot, snapshot.SectionRuby, snapshot.SectionPHP, snapshot.SectionJava,
		snapshot.SectionDocker, snapshot.SectionMemcached, snapshot.SectionRedis} {
		if b.s.Coverage[s].Status == snapshot.NotApplicable {
			absent = append(absent, string(s))
		}
	}
	if len(absent) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("mw.absent", join(absent))})
	}
	return sec
}

func (b *builder) settings(st []snapshot.Setting) *Table {
	t := b.table(b.t("tbl.settings"), col(b.t("col.setting")), codeCol(b.t("col.value")), codeCol(b.t("col.where")))
	for _, x := range st {
		t.Rows = append(t.Rows, row(c(x.Key), c(x.Value), c(x.Source)))
	}
	t.Empty = b.t("none.settings")
	return t
}

func nonEmpty(pairs []Pair) []Pair {
	var out []Pair
	for _, p := range pairs {
		if strings.TrimSpace(p.Value) != "" {
			out = append(out, p)
		}
	}
	return out
}

func (b *builder) storage() *Section {
	st := b.s.Storage
	sec := &Section{ID: "storage", Title: b.t("sec.storage"), Intro: b.t("intro.storage")}
	mounts := b.table(b.t("tbl.mounts"), codeCol(b.t("col.mount_point")), codeCol(b.t("col.device")), col(b.t("col.fstype")),
		numCol(b.t("col.size")), numCol(b.t("col.used")), numCol(b.t("col.used_pct")), col(b.t("col.network")))
	for _, m := range st.Mounts {
		pct := Cell{}
		if m.UsedPct != nil {
			pct = Cell{Text: strconv.Itoa(*m.UsedPct) + "%", Sort: strconv.Itoa(*m.UsedPct)}
		}
		netw := ""
		if m.Network {
			netw = b.t("val.yes")
		}
		mounts.Rows = append(mounts.Rows, row(c(m.MountPoint), c(m.Device), c(m.FSType), b.cbytesp(m.SizeBytes), b.cbytesp(m.UsedBytes), pct, c(netw)))
	}
	mounts.Empty = b.empty(b.t("none.mounts"), snapshot.SectionStorage)
	fstab := b.table(b.t("tbl.fstab"), codeCol(b.t("col.device")), codeCol(b.t("col.mount_point")), col(b.t("col.fstype")), codeCol(b.t("col.options")),
		col(b.t("col.state")), numCol(b.t("col.line")))
	for _, f := range st.Fstab {
		state := b.t("val.mounted_is", b.yesNo(f.Mounted))
		if f.Commented {
			state = b.t("val.commented_out")
		}
		fstab.Rows = append(fstab.Rows, row(c(f.Device), c(f.MountPoint), c(f.FSType), c(f.Options), c(state), cn(f.Line)))
	}
	fstab.Empty = b.empty(b.t("none.fstab"), snapshot.SectionStorage)
	data := b.table(b.t("tbl.datadirs"), codeCol(b.t("col.path")), col(b.t("col.purpose")), numCol(b.t("col.size")), col(b.t("col.owner")))
	for _, d := range st.DataDirs {
		data.Rows = append(data.Rows, row(c(d.Path), c(d.Purpose), b.cbytesp(d.Bytes), c(d.Owner)))
	}
	data.Empty = b.empty(b.t("none.datadirs"), snapshot.SectionStorage)
	sec.Blocks = append(sec.Blocks, mounts, fstab, data)
	if len(st.Volumes) > 0 {
		vol := b.table(b.t("tbl.volumes"), col(b.t("col.kind")), col(b.t("col.name")), col(b.t("col.group")), numCol(b.t("col.size")),
			codeCol(b.t("col.devices")), col(b.t("col.state")))
		for _, v := range st.Volumes {
			vol.Rows = append(vol.Rows, row(c(v.Kind), c(v.Name), c(v.Group), b.cbytes(v.SizeBytes), c(join(v.Devices)), c(v.State)))
		}
		sec.Blocks = append(sec.Blocks, vol)
	}
	return sec
}

// logFilesShown bounds the log table: the largest files are the ones a migration
// must plan for; the rest are in the snapshot.
const logFilesShown = 25

func (b *builder) logs() *Section {
	l := b.s.Logs
	sec := &Section{ID: "logs", Title: b.t("sec.logs"), Intro: b.t("intro.logs")}
	sh := b.table(b.t("tbl.shippers"), col(b.t("col.name")), col(b.t("col.running")), codeCol(b.t("col.destinations")),
		codeCol(b.t("col.inputs")), codeCol(b.t("col.configs")), col(b.t("col.service")))
	for _, x := range l.Shippers {
		var to []string
		for _, d := range x.Destinations {
			e := destination(d)
			if d.Source != "" {
				e += " @ " + d.Source
			}
			to = append(to, e)
		}
		sh.Rows = append(sh.Rows, row(c(x.Name), c(b.yesNo(x.Running)), c(strings.Join(to, "; ")), c(join(x.Inputs)), c(join(x.Configs)), c(x.Service)))
	}
	sh.Empty = b.empty(b.t("none.shippers"), snapshot.SectionShippers)
	sec.Blocks = append(sec.Blocks, sh)

	files := append([]snapshot.LogFile(nil), l.Files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Bytes > files[j].Bytes })
	ft := b.table(b.t("tbl.logfiles"), codeCol(b.t("col.path")), numCol(b.t("col.size")), col(b.t("col.modified")))
	if len(files) > logFilesShown {
		ft.Explain += " " + b.t("tbl.logfiles.largest", logFilesShown, len(files))
		files = files[:logFilesShown]
	}
	for _, f := range files {
		ft.Rows = append(ft.Rows, row(c(f.Path), b.cbytes(f.Bytes), b.ctime(f.Modified)))
	}
	ft.Empty = b.empty(b.t("none.logfiles"), snapshot.SectionLogs)
	rot := b.table(b.t("tbl.rotation"), codeCol(b.t("col.paths")), col(b.t("col.frequency")), numCol(b.t("col.keep")), col(b.t("col.compress")), codeCol(b.t("col.where")))
	for _, r := range l.Rotation {
		comp := ""
		if r.Compress {
			comp = b.t("val.yes")
		}
		rot.Rows = append(rot.Rows, row(c(join(r.Paths)), c(r.Frequency), cnCount(r.Rotate), c(comp), c(r.Source)))
	}
	rot.Empty = b.empty(b.t("none.rotation"), snapshot.SectionLogs)
	sec.Blocks = append(sec.Blocks, ft, rot)
	return sec
}

func (b *builder) backups() *Section {
	bk := b.s.Backups
	sec := &Section{ID: "backups", Title: b.t("sec.backups"), Intro: b.t("intro.backups")}
	cov := b.s.Coverage[snapshot.SectionBackups]
	var verdict string
	switch {
	case bk.Found:
		verdict = b.t("backup.found", len(bk.Items))
	case cov.Status == snapshot.Collected:
		verdict = b.t("backup.none")
	default:
		verdict = b.t("backup.unknown", b.status(cov.Status), cmp.Or(cov.Reason, "-"))
	}
	t := b.table(b.t("tbl.backups"), col(b.t("col.kind")), col(b.t("col.tool")), col(b.t("col.what")), codeCol(b.t("col.where_to")),
		col(b.t("col.off_host")), codeCol(b.t("col.job")), col(b.t("col.latest")))
	for _, x := range bk.Items {
		off := b.t("val.no")
		if x.OffHost {
			off = b.t("val.yes")
		}
		t.Rows = append(t.Rows, row(c(b.kind("backup."+x.Kind)), c(x.Tool), c(x.What), c(x.Where), c(off), c(x.Job), b.ctime(x.Latest)))
	}
	t.Empty = b.empty(b.t("none.backups"), snapshot.SectionBackups)
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: verdict}, t)
	return sec
}

func (b *builder) packages() *Section {
	s := b.s
	sec := &Section{ID: "packages", Title: b.t("sec.packages"), Intro: b.t("intro.packages")}
	per := map[string]int{}
	for _, p := range s.Packages {
		per[p.Manager]++
	}
	var counts []string
	for _, m := range slices.Sorted(maps.Keys(per)) {
		counts = append(counts, fmt.Sprintf("%s %d", m, per[m]))
	}
	sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("pkg.count", len(s.Packages), join(counts))})
	byName := make(map[string]snapshot.Package, len(s.Packages))
	for _, p := range s.Packages {
		byName[p.Name] = p
	}
	t := b.table(b.t("tbl.service_packages"), col(b.t("col.package")), col(b.t("col.version")), col(b.t("col.services")), col(b.t("col.origin")))
	users := map[string][]string{}
	for _, sv := range s.Services {
		if sv.Package != "" {
			users[sv.Package] = append(users[sv.Package], sv.Name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(users)) {
		p, ok := byName[name]
		version := ""
		if ok {
			version = p.FullVersion()
		}
		t.Rows = append(t.Rows, row(c(name), c(version), c(join(users[name])), c(p.Origin)))
	}
	t.Empty = b.empty(b.t("none.service_packages"), snapshot.SectionPackages, snapshot.SectionServices)
	sec.Blocks = append(sec.Blocks, t)
	return sec
}

func (b *builder) processes() *Section {
	s := b.s
	sec := &Section{ID: "processes", Title: b.t("sec.processes"), Intro: b.t("intro.processes")}
	cols := []Column{numCol("PID"), col(b.t("col.user")), col(b.t("col.service")), col(b.t("col.started")), codeCol(b.t("col.command"))}
	if s.Window != nil {
		cols = append(cols, col(b.t("col.seen")))
	}
	t := b.table(b.t("tbl.processes"), cols...)
	kernel := 0
	for _, p := range s.Processes {
		if strings.HasPrefix(p.Command, "[") && strings.HasSuffix(p.Command, "]") {
			kernel++
			continue
		}
		r := row(cn(p.PID), c(p.User), c(p.Service), b.ctime(p.Started), c(p.Command))
		if s.Window != nil {
			r = append(r, c(b.seen(p.Seen)))
		}
		t.Rows = append(t.Rows, r)
	}
	if kernel > 0 {
		t.Explain += " " + b.t("tbl.processes.kernel", kernel)
	}
	t.Empty = b.empty(b.t("none.processes"), snapshot.SectionProcesses)
	sec.Blocks = append(sec.Blocks, t)
	return sec
}

// findingsSection lists the findings by severity, each readable on its own.
func (b *builder) findingsSection() *Section {
	sec := &Section{ID: "findings", Title: b.t("sec.findings"), Intro: b.t("intro.findings")}
	if len(b.findings) == 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("none.findings")})
		return sec
	}
	for _, sev := range []analyze.Severity{analyze.High, analyze.Medium, analyze.Low, analyze.Info} {
		var sub *Section
		for _, f := range b.findings {
			if f.Severity != sev {
				continue
			}
			if sub == nil {
				sub = &Section{ID: "findings-" + string(sev), Title: b.t("sev." + string(sev))}
			}
			sub.Blocks = append(sub.Blocks, b.callout(f))
		}
		if sub != nil {
			sub.Title = fmt.Sprintf("%s (%d)", sub.Title, len(sub.Blocks))
			sec.Sub = append(sec.Sub, sub)
		}
	}
	return sec
}

func (b *builder) callout(f analyze.Finding) *Callout {
	return &Callout{
		Severity: string(f.Severity), SeverityLabel: b.t("sev." + string(f.Severity)),
		Inhibitor: f.Inhibitor, InhibitorLabel: b.t("inhibitor"),
		Key: f.ID(), Title: f.Title, Why: f.Summary, Fix: f.Remediation.Hint,
		Command: f.Remediation.Command, Ansible: f.Remediation.Ansible, Facts: f.Facts,
		WhyLabel: L(b.lang, "why"), FixLabel: L(b.lang, "fix"), FactsLabel: L(b.lang, "facts"),
	}
}

// coverage is the list of what could not be surveyed, as prominent as the rest:
// a reader must know which silences are real.
func (b *builder) coverage() *Section {
	s := b.s
	sec := &Section{ID: "coverage", Title: b.t("sec.coverage"), Intro: b.t("intro.coverage")}
	t := b.table(b.t("tbl.coverage"), col(b.t("col.section")), col(b.t("col.status")), col(b.t("col.reason")), codeCol(b.t("col.evidence")))
	var na []string
	for _, sc := range snapshot.Sections {
		cov := s.Coverage[sc]
		switch cov.Status {
		case snapshot.Collected:
			continue
		case snapshot.NotApplicable:
			na = append(na, string(sc))
			continue
		}
		t.Rows = append(t.Rows, row(c(string(sc)), c(b.status(cov.Status)), c(cov.Reason), c(join(cov.Evidence))))
	}
	t.Empty = b.t("none.coverage")
	sec.Blocks = append(sec.Blocks, t)
	if len(na) > 0 {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("cov.not_applicable", join(na))})
	}
	return sec
}

// sources lists every evidence item, so any fact can be checked by running the
// same command or opening the same file.
func (b *builder) sources() *Section {
	s := b.s
	sec := &Section{ID: "sources", Title: b.t("sec.sources"), Intro: b.t("intro.sources")}
	t := b.table(b.t("tbl.sources"), codeCol("ID"), col(b.t("col.kind")), codeCol(b.t("col.source")), col(b.t("col.status")), numCol(b.t("col.size")))
	for _, id := range slices.Sorted(maps.Keys(s.Evidence)) {
		e := s.Evidence[id]
		st := e.Status
		if e.Truncated {
			st += " (" + b.t("val.truncated") + ")"
		}
		t.Rows = append(t.Rows, row(c(id), c(e.Kind), c(e.Source), c(st), b.cbytes(int64(e.Bytes))))
	}
	t.Empty = b.t("none.sources")
	sec.Blocks = append(sec.Blocks, t)
	if s.Source.EvidenceSHA256 != "" {
		sec.Blocks = append(sec.Blocks, &Paragraph{Text: b.t("src.sha", s.Source.EvidenceSHA256)})
	}
	return sec
}

// answers shows what the services said when asked as a client: that they do their
// job, not only that they listen.
func (b *builder) answers() *Section {
	sec := &Section{ID: "answers", Title: b.t("sec.answers"), Intro: b.t("intro.answers")}
	t := b.table(b.t("tbl.answers"), codeCol(b.t("col.asked")), col(b.t("col.answered")), col(b.t("col.why")), codeCol(b.t("col.evidence")))
	for _, a := range b.s.Answers {
		t.Rows = append(t.Rows, row(c(a.Asked), c(b.answered(a)), c(a.Why), c(a.Evidence)))
	}
	t.Empty = b.empty(b.t("none.answers"), snapshot.SectionAnswers)
	sec.Blocks = append(sec.Blocks, t)
	return sec
}

func (b *builder) answered(a snapshot.Answer) string {
	switch {
	case a.Error != "":
		return b.t("answer.none", a.Error)
	case a.HTTP != nil:
		s := a.HTTP.StatusLine
		if a.HTTP.Location != "" {
			s += " → " + a.HTTP.Location
		}
		if a.HTTP.Title != "" {
			s += " «" + a.HTTP.Title + "»"
		}
		if a.TLS != nil && a.TLS.Subject != "" {
			s += "; " + b.t("answer.cert", a.TLS.Subject, a.TLS.NotAfter.Format("2006-01-02"))
		}
		return s
	case a.SMTP != nil:
		return b.t("answer.smtp", a.SMTP.Greeting, a.SMTP.Rcpt, a.Domain, join(a.SMTP.Extensions))
	}
	return ""
}

// kernelParams shows the kernel parameters the boot configuration sets beside the
// value the kernel ran with, and whose decision each line is: an administrator's is
// carried to the new host, the old OS's default is left to the new OS. The
// thousands of values in force that no file sets stay in the snapshot.
func (b *builder) kernelParams() *Section {
	k := b.s.Kernel
	sec := &Section{ID: "kernel", Title: b.t("sec.kernel"), Intro: b.t("intro.kernel")}
	if cov, ok := b.s.Coverage[snapshot.SectionSysctl]; ok && (cov.Status == snapshot.Collected || cov.Status == snapshot.Partial) {
		sec.Blocks = append(sec.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("kernel.order"), k.Order},
			{b.t("kernel.live"), b.yesNo(&k.Live)},
		})})
	}
	t := b.table(b.t("tbl.sysctl"), codeCol(b.t("col.parameter")), codeCol(b.t("col.in_force")), codeCol(b.t("col.configured")),
		col(b.t("col.decision")), col(b.t("col.note")))
	for _, sc := range k.Sysctls {
		cf := sc.Configured
		if cf == nil {
			continue
		}
		decision := b.kind("origin." + cf.Origin)
		if cf.OriginWhy != "" {
			decision += " (" + cf.OriginWhy + ")"
		}
		t.Rows = append(t.Rows, row(c(sc.Key), c(b.inForce(sc)), c(fmt.Sprintf("%s (%s:%d)", cf.Value, cf.File, cf.Line)),
			c(decision), c(b.sysctlNote(sc))))
	}
	if n := len(k.InForce); n > 0 {
		t.Explain += " " + b.t("tbl.sysctl.in_force", n)
	}
	t.Empty = b.empty(b.t("none.sysctl"), snapshot.SectionSysctl)
	sec.Blocks = append(sec.Blocks, t)
	return sec
}

func (b *builder) inForce(sc snapshot.Sysctl) string {
	switch sc.State {
	case snapshot.SysctlRead:
		return sc.Value
	case snapshot.SysctlAbsent:
		return b.t("val.no_such_param")
	}
	return b.t("val.unknown")
}

// sysctlNote says what a reader must not miss: a value the next reboot changes, a
// line that does nothing, a pattern behind the key, and the lines it replaces.
func (b *builder) sysctlNote(sc snapshot.Sysctl) string {
	cf := sc.Configured
	var notes []string
	switch {
	case sc.State == snapshot.SysctlRead && !sc.Applied():
		notes = append(notes, b.t("sysctl.not_applied", cf.Value))
	case sc.State == snapshot.SysctlAbsent:
		notes = append(notes, b.t("sysctl.absent"))
	}
	if cf.Pattern != "" {
		notes = append(notes, b.t("sysctl.pattern", cf.Pattern))
	}
	for _, o := range sc.Overridden {
		notes = append(notes, b.t("sysctl.replaces", fmt.Sprintf("%s (%s:%d)", o.Value, o.File, o.Line)))
	}
	return strings.Join(notes, " ")
}
