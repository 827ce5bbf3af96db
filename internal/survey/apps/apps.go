// Package apps surveys the applications a host serves, and the runtimes they run on.
//
// The apps surveyor reads what the probe's _web_apps found by following every place
// that serves a directory (a vhost's DocumentRoot, Alias and PassengerAppRoot,
// nginx's root, Tomcat's webapps and docBase, a php-fpm pool's chdir, a unit's or
// program's WorkingDirectory and the interpreter it runs, a running interpreter's
// working directory) to the tree it really is, and what that tree says about itself:
// framework and version, configuration, database, data and sizes. A tree that says
// nothing of the kind is no application: a stock page, static files. The ruby, php
// and java surveyors add what their runtimes say.
package apps

import (
	"cmp"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/certs"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills the applications and the apps coverage.
type Surveyor struct{}

// New returns the applications surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "apps" }

// Survey reads web-apps and web-app-sizes.
func (Surveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionApps
	it := in.Cmd("web-apps")
	if !kit.Usable(it) {
		st, why := kit.StatusOf(it)
		in.Cover(sec, st, why, it)
		return
	}
	b := &builder{in: in, item: it, byRoot: map[string]*snapshot.App{}}
	rep, err := ParseWebApps(kit.CompleteLines(it))
	if err != nil {
		b.notes = append(b.notes, "web-apps: "+err.Error())
	}
	if !rep.Done {
		b.notes = append(b.notes, "the list of applications was cut short ("+cmp.Or(it.Problem(), "it ended early")+"): what follows may lack some")
	}
	b.rep = rep
	b.sizes = b.readSizes()
	b.pools = b.readPools()
	b.entries()
	b.proxies()
	b.unfollowed()
	for _, a := range b.order {
		b.finish(a)
		in.Snap.Middleware.Apps = append(in.Snap.Middleware.Apps, *a)
	}
	in.Snap.Middleware.NotApps = append(in.Snap.Middleware.NotApps, b.notApps...)
	items := []*evidence.Item{it, b.sizesItem}
	switch {
	case len(b.order) == 0 && len(b.notApps) == 0 && rep.Done && len(b.notes) == 0:
		why := "nothing serves an application here: no document root, Tomcat webapp, php-fpm chdir, unit or program running an interpreter from a tree, no application tree in /var/www, /srv or /opt"
		if !in.Offline() {
			why += ", and no running interpreter in one"
		}
		in.Cover(sec, snapshot.NotApplicable, why, items...)
	case len(b.notes) > 0:
		in.Cover(sec, snapshot.Partial, strings.Join(b.notes, "; "), items...)
	default:
		in.Cover(sec, snapshot.Collected, "", items...)
	}
}

// builder turns the records into applications.
type builder struct {
	in        *kit.Input
	item      *evidence.Item
	sizesItem *evidence.Item
	rep       Report
	sizes     map[string][]Size
	pools     []pool
	byRoot    map[string]*snapshot.App
	order     []*snapshot.App
	trees     map[*snapshot.App]*Tree
	notApps   []snapshot.ServedPath
	notes     []string
	hidden    int // interpreters whose working directory is not on this filesystem
}

func (b *builder) readSizes() map[string][]Size {
	it := b.in.Cmd("web-app-sizes")
	b.sizesItem = it
	out := map[string][]Size{}
	if it.Data == nil && !kit.Usable(it) {
		if it.Status != evidence.StatusAbsent || len(b.rep.Trees) > 0 {
			b.notes = append(b.notes, "the applications' sizes were not measured: "+kit.Explain(it))
		}
		return out
	}
	sizes, done, err := ParseAppSizes(kit.CompleteLines(it))
	if err != nil {
		b.notes = append(b.notes, "web-app-sizes: "+err.Error())
	}
	if !done {
		b.notes = append(b.notes, "the applications' sizes were cut short ("+cmp.Or(it.Problem(), "it ended early")+"): the trees measured last lack theirs")
	}
	for _, s := range sizes {
		out[s.Root] = append(out[s.Root], s)
	}
	return out
}

// entries turns every E record into a place that serves an application, or one
// that serves something else.
func (b *builder) entries() {
	b.trees = map[*snapshot.App]*Tree{}
	cite := b.in.Cite(b.item)
	for _, e := range b.rep.Entries {
		sp := snapshot.ServedPath{By: b.by(e), Directive: e.Via, Path: e.Path, RealPath: e.Real, Links: e.Links, Source: e.Where, Evidence: cite}
		switch e.Status {
		case "ok":
			t := b.rep.Trees[e.Root]
			if t == nil {
				sp.Found, sp.What = "unread", "the tree was not read before the list was cut"
				b.notApps = append(b.notApps, sp)
				continue
			}
			if a := b.app(t); a != nil {
				sp.Found = "application"
				a.ServedBy = append(a.ServedBy, sp)
				continue
			}
			if e.Via == "cwd" || e.Via == "place" {
				continue
			}
			sp.Found, sp.What = Plain(t)
			b.notApps = append(b.notApps, sp)
		case "plain":
		case "file":
			if e.Via == "webapp" && strings.HasSuffix(e.Path, ".war") {
				b.war(e, sp)
				continue
			}
			sp.Found = "notdir"
			b.notApps = append(b.notApps, sp)
		default:
			if e.Via == "cwd" {
				b.hidden++
				continue
			}
			sp.Found = e.Status
			b.notApps = append(b.notApps, sp)
			switch e.Status {
			case "denied":
				b.notes = append(b.notes, e.Path+" ("+e.Via+" at "+e.Where+") could not be read: permission denied")
			case "network":
				b.notes = append(b.notes, e.Path+" ("+e.Via+" at "+e.Where+") is on a network filesystem: not read")
			case "outside":
				b.notes = append(b.notes, e.Path+" ("+e.Via+" at "+e.Where+") leads out of the mounted root: not followed")
			}
		}
	}
	switch {
	case b.hidden == 1:
		b.notes = append(b.notes, "a running interpreter works in a directory this survey cannot see (another mount namespace, a container)")
	case b.hidden > 1:
		b.notes = append(b.notes, strconv.Itoa(b.hidden)+" running interpreters work in directories this survey cannot see (other mount namespaces, containers)")
	}
	for _, p := range b.rep.Procs {
		if p.Cwd == "" {
			b.notes = append(b.notes, "the working directories of other users' interpreters could not be read (a survey as root can)")
			break
		}
	}
}

// app is the application a tree is, made once per tree; nil when the tree says
// nothing that makes it one.
func (b *builder) app(t *Tree) *snapshot.App {
	if a, ok := b.byRoot[t.Root]; ok {
		return a
	}
	d, ok := Detect(t)
	if !ok {
		b.byRoot[t.Root] = nil
		return nil
	}
	a := &snapshot.App{Kind: d.Kind, Path: t.Root, Name: d.Name(t.Root), Framework: d.Framework, Version: d.Version,
		VersionSource: d.VersionSource, Libraries: d.Libraries, Extensions: d.Extensions, Evidence: []string{b.in.Cite(b.item)}}
	if v := d.Requires["php"]; v != "" {
		a.Settings = append(a.Settings, snapshot.Setting{Key: "requires.php", Value: v, Source: d.Requires["php.source"]})
	}
	b.byRoot[t.Root] = a
	b.trees[a] = t
	b.order = append(b.order, a)
	return a
}

// war is a Tomcat webapp deployed as an archive that was not unpacked.
func (b *builder) war(e Entry, sp snapshot.ServedPath) {
	sp.Found = "application"
	name := strings.TrimSuffix(path.Base(e.Path), ".war")
	a := &snapshot.App{Kind: "java", Path: e.Path, Name: name + " (war)", Framework: "Java webapp", Server: "tomcat",
		ServedBy: []snapshot.ServedPath{sp}, Evidence: []string{b.in.Cite(b.item)}}
	b.byRoot[e.Path] = a
	b.order = append(b.order, a)
}

// by says what serves a place.
func (b *builder) by(e Entry) string {
	file, _, _ := strings.Cut(e.Where, ":")
	switch e.Via {
	case "DocumentRoot", "Alias", "PassengerAppRoot", "root", "alias", "passenger_app_root":
		for _, ws := range b.in.Snap.Middleware.WebServers {
			for _, v := range ws.VHosts {
				for _, p := range v.Paths {
					if p.Source == e.Where && p.Path == e.Path {
						return ws.Kind + " " + vhostName(v)
					}
				}
			}
		}
		// Outside every vhost: an Alias (nginx: any path) is inherited by each
		// site; Apache's own DocumentRoot serves only what no vhost takes.
		if strings.HasPrefix(file, "/etc/nginx/") || strings.HasPrefix(file, "/usr/local/nginx/") {
			return "nginx (every site)"
		}
		if e.Via == "DocumentRoot" {
			return "apache (main server)"
		}
		return "apache (every site)"
	case "webapp":
		return "tomcat"
	case "docBase":
		return "tomcat context " + path.Base(file)
	case "cwd":
		pid, _ := strconv.Atoi(strings.TrimPrefix(e.Where, "/proc/"))
		return "process " + strconv.Itoa(pid) + " (" + b.rep.Procs[pid].Comm + ")"
	case "place":
		return "found in " + e.Where
	}
	switch {
	case strings.HasPrefix(file, "/etc/systemd/"):
		return "systemd " + path.Base(file)
	case strings.HasPrefix(file, "/etc/php"):
		if p := b.poolAt(e.Where); p != nil {
			return "php-fpm pool " + p.name
		}
		return "php-fpm pool " + strings.TrimSuffix(path.Base(file), ".conf")
	case strings.HasPrefix(file, "/etc/uwsgi"):
		return "uwsgi " + strings.TrimSuffix(path.Base(file), ".ini")
	case strings.Contains(file, "supervisor"):
		if s := iniSection(b.in.File(file), e.Where); s != "" {
			return "supervisor " + s
		}
		return "supervisor " + path.Base(file)
	}
	return file
}

func vhostName(v snapshot.VHost) string {
	name := cmp.Or(v.ServerName, "(no ServerName)")
	if v.Listen != "" {
		name += " " + v.Listen
	}
	return name
}

// iniSection is the [section] the line at where ("file:line") is in.
func iniSection(it *evidence.Item, where string) string {
	_, num, _ := strings.Cut(where, ":")
	n, _ := strconv.Atoi(num)
	if !kit.Usable(it) {
		return ""
	}
	section := ""
	for i, line := range strings.Split(it.Text(), "\n") {
		if i+1 >= n {
			break
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section = strings.TrimPrefix(t[1:len(t)-1], "program:")
		}
	}
	return section
}

// pool is one php-fpm pool.
type pool struct {
	name, file, listen, listenSource, user string
	chdir                                  string
	item                                   *evidence.Item
}

func (b *builder) readPools() []pool {
	var out []pool
	for _, it := range b.in.Archive.Items {
		if it.Kind != evidence.KindFile || !isPoolFile(it.Name) || !kit.Usable(it) {
			continue
		}
		cur := -1
		for _, st := range ParseINI(it.Name, it.Text(), func(string) bool { return true }) {
			section, key, ok := strings.Cut(st.Key, "/")
			if !ok {
				continue
			}
			if cur < 0 || out[cur].name != section {
				out = append(out, pool{name: section, file: it.Name, item: it})
				cur = len(out) - 1
			}
			switch key {
			case "listen":
				out[cur].listen, out[cur].listenSource = st.Value, st.Source
			case "user":
				out[cur].user = st.Value
			case "chdir":
				out[cur].chdir = st.Source
			}
		}
	}
	return out
}

func isPoolFile(n string) bool {
	return strings.HasPrefix(n, "/etc/php-fpm.d/") || strings.HasPrefix(n, "/etc/php") && strings.Contains(n, "/fpm/pool.d/")
}

func (b *builder) poolAt(where string) *pool {
	for i := range b.pools {
		if b.pools[i].chdir == where {
			return &b.pools[i]
		}
	}
	return nil
}

var localBackend = regexp.MustCompile(`^(?:https?|ajp|fcgi|uwsgi)://(127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0):(\d+)`)

// proxies follow a vhost's proxy to a port of this host, the process listening
// there, and the application tree it works in (live only).
func (b *builder) proxies() {
	offlineSaid := false
	for _, ws := range b.in.Snap.Middleware.WebServers {
		directive := "ProxyPass"
		if ws.Kind == "nginx" {
			directive = "proxy_pass"
		}
		for _, v := range ws.VHosts {
			for _, px := range v.Proxies {
				m := localBackend.FindStringSubmatch(px)
				if m == nil {
					continue
				}
				if b.in.Offline() {
					if !offlineSaid {
						b.notes = append(b.notes, "offline: which process serves a proxy's backend on this host ("+px+") cannot be known")
						offlineSaid = true
					}
					continue
				}
				port, _ := strconv.Atoi(m[2])
				a, proc := b.listening(port)
				if a == nil {
					if proc == "" {
						b.notes = append(b.notes, ws.Kind+" "+vhostName(v)+" passes to "+px+": the process listening there, or its directory, could not be told")
					}
					continue
				}
				a.ServedBy = append(a.ServedBy, snapshot.ServedPath{By: ws.Kind + " " + vhostName(v), Directive: directive, Path: px,
					RealPath: a.Path, Found: "application", What: proc, Source: v.Source, Evidence: b.in.Cite(b.item)})
			}
		}
	}
}

// listening is the application the process listening on a local port works in.
func (b *builder) listening(port int) (*snapshot.App, string) {
	for _, l := range b.in.Snap.Listeners {
		if l.Port != port || l.PID == 0 || !strings.HasPrefix(l.Proto, "tcp") {
			continue
		}
		p, ok := b.rep.Procs[l.PID]
		if !ok {
			return nil, ""
		}
		what := "process " + strconv.Itoa(p.PID) + " (" + p.Comm + ") listening on :" + strconv.Itoa(port)
		for _, e := range b.rep.Entries {
			if e.Via == "cwd" && e.Where == "/proc/"+strconv.Itoa(p.PID) && e.Status == "ok" {
				return b.byRoot[e.Root], what
			}
		}
		return nil, what
	}
	return nil, ""
}

// unfollowed are a vhost's paths the probe did not follow: made of variables, or
// in a file it does not read.
func (b *builder) unfollowed() {
	for _, ws := range b.in.Snap.Middleware.WebServers {
		for _, v := range ws.VHosts {
			for _, p := range v.Paths {
				if p.Directive == "PassengerRuby" || p.Directive == "passenger_ruby" {
					continue
				}
				followed := slices.ContainsFunc(b.rep.Entries, func(e Entry) bool { return e.Where == p.Source && e.Path == p.Path })
				if followed || !b.rep.Done {
					continue
				}
				why := "not followed: the probe does not read this file"
				if strings.Contains(p.Path, "$") {
					why = "not followed: the path is made of variables"
				}
				b.notApps = append(b.notApps, snapshot.ServedPath{By: ws.Kind + " " + vhostName(v), Directive: p.Directive,
					Path: p.Path, Found: "not_followed", What: why, Source: p.Source, Evidence: b.in.Cite(b.item)})
			}
		}
	}
}

// finish fills what an application's tree and its servers say.
func (b *builder) finish(a *snapshot.App) {
	// Found in a usual place is said only of what nothing else was seen serving.
	if slices.ContainsFunc(a.ServedBy, func(sp snapshot.ServedPath) bool { return sp.Directive != "place" }) {
		a.ServedBy = slices.DeleteFunc(a.ServedBy, func(sp snapshot.ServedPath) bool { return sp.Directive == "place" })
	}
	t := b.trees[a]
	if t != nil {
		b.tree(a, t)
	}
	if a.Server == "" {
		a.Server = b.server(a)
	}
	if a.Runtime == "" {
		a.Runtime, a.RuntimeSource = b.runtime(a, t)
	}
	if strings.HasPrefix(a.Path, "/usr/share/") {
		name, _, _ := strings.Cut(strings.TrimPrefix(a.Path, "/usr/share/"), "/")
		for _, p := range b.in.Snap.Packages {
			if p.Name == name {
				a.Package = name
			}
		}
	}
	if m := releaseDir.FindStringSubmatch(a.Path); m != nil {
		a.Release = m[1]
	}
	slices.Sort(a.Evidence)
	a.Evidence = slices.Compact(a.Evidence)
}

var releaseDir = regexp.MustCompile(`/releases/([^/]+)$`)

// configFiles are the files of a tree that configure it.
var configFiles = []string{"config/database.yml", "config/configuration.yml", "config/storage.yml", "wp-config.php", ".env", "WEB-INF/web.xml", "application.properties"}

// secretFiles hold an application's secrets: named, never read.
var secretFiles = []string{"config/master.key", "config/secrets.yml", "config/credentials.yml.enc"}

func (b *builder) tree(a *snapshot.App, t *Tree) {
	a.Owner, a.Group = b.userName(t.UID), b.groupName(t.GID)
	for _, rel := range configFiles {
		if t.Has[rel] == 'f' {
			a.Configs = append(a.Configs, t.Root+"/"+rel)
		}
	}
	for _, rel := range t.rels() {
		if strings.HasSuffix(rel, ".py") && !strings.Contains(rel, "/site-packages/") {
			a.Configs = append(a.Configs, t.Root+"/"+rel)
		}
	}
	slices.Sort(a.Configs)
	for _, rel := range secretFiles {
		if t.Has[rel] != 0 {
			a.Secrets = append(a.Secrets, t.Root+"/"+rel)
		}
	}
	var cut []string
	for rel, note := range t.Notes {
		cut = append(cut, t.Root+"/"+rel+": "+note)
	}
	slices.Sort(cut)
	b.notes = append(b.notes, cut...)
	if f, ok := t.Files["Gemfile.lock"]; ok {
		lock, err := ParseGemfileLock(fileText(f))
		if err != nil {
			b.notes = append(b.notes, t.Root+"/Gemfile.lock: "+err.Error())
		}
		for _, g := range lock.Direct {
			a.Gems = append(a.Gems, strings.TrimSpace(g+" "+lock.Specs[g]))
		}
		if v := lock.Specs["rails"]; v != "" {
			a.Settings = append(a.Settings, snapshot.Setting{Key: "rails", Value: v, Source: t.Root + "/Gemfile.lock"})
		}
	}
	a.Settings = append(a.Settings, b.database(a, t)...)
	b.data(a, t)
	for _, s := range b.sizes[t.Root] {
		if s.Name == "." {
			a.Bytes, a.ApparentBytes = kit.KiB(s.KiB), s.Bytes
			a.Evidence = append(a.Evidence, b.in.Cite(b.sizesItem))
		}
	}
}

// database is the database the tree's configuration names.
func (b *builder) database(a *snapshot.App, t *Tree) []snapshot.Setting {
	type reader struct {
		rel  string
		read func(File) map[string]dbValue
	}
	for _, r := range []reader{{"config/database.yml", DatabaseYML}, {"wp-config.php", WordPressDB}, {".env", EnvDB}} {
		if f, ok := t.Files[r.rel]; ok {
			if v := r.read(f); len(v) > 0 {
				return dbSettings(t.Root+"/"+r.rel, v)
			}
		}
	}
	for _, rel := range t.rels() {
		if !strings.HasSuffix(rel, ".py") || strings.Contains(rel, "/site-packages/") {
			continue
		}
		if v := DjangoDB(t.Files[rel]); len(v) > 0 {
			return dbSettings(t.Root+"/"+rel, v)
		}
	}
	if a.Kind == "java" {
		return b.contextDB(a)
	}
	return nil
}

// contextDB is the JDBC resource of the Tomcat context file named after the webapp.
func (b *builder) contextDB(a *snapshot.App) []snapshot.Setting {
	it := b.in.Cmd("tomcat-contexts")
	if !kit.Usable(it) {
		return nil
	}
	files, _ := certs.ParseDump(it.Text())
	name := path.Base(a.Path)
	for _, f := range files {
		if f.Status != "ok" || strings.TrimSuffix(path.Base(f.Path), ".xml") != name {
			continue
		}
		a.Configs = append(a.Configs, f.Path)
		a.Evidence = append(a.Evidence, b.in.Cite(it))
		if v := ContextDB(f.Data); len(v) > 0 {
			return dbSettings(f.Path, v)
		}
	}
	return nil
}

// dataDirs say what each of probe.AppDataDirs holds, by framework.
func dataWhat(framework, rel string) string {
	switch rel {
	case "files":
		if framework == "Redmine" {
			return "attachments"
		}
		return "files"
	case "public/system":
		return "uploads (public/system)"
	case "storage":
		switch framework {
		case "Laravel":
			return "storage (uploads, cache, logs)"
		case "Rails":
			return "Active Storage files"
		}
		return "storage"
	case "wp-content/uploads":
		return "media library uploads"
	case "media":
		return "media (uploads)"
	}
	return "uploads"
}

func (b *builder) data(a *snapshot.App, t *Tree) {
	measured := map[string]Size{}
	for _, s := range b.sizes[t.Root] {
		measured[s.Name] = s
	}
	add := func(name, p, what, source string) {
		d := snapshot.AppData{Path: p, What: what, Source: source, Evidence: b.in.Cite(b.item)}
		if s, ok := measured[name]; ok {
			d.Owner, d.Group = b.userName(s.UID), b.groupName(s.GID)
			d.Bytes, d.ApparentBytes, d.Note = kit.KiB(s.KiB), s.Bytes, s.Note
			d.Evidence = b.in.Cite(b.sizesItem)
		} else {
			d.Note = "not measured"
		}
		a.Data = append(a.Data, d)
	}
	for _, rel := range probe.AppDataDirs {
		if t.Has[rel] == 'd' {
			add(rel, t.Root+"/"+rel, dataWhat(a.Framework, rel), "")
		}
	}
	// Directories the configuration puts elsewhere, as measured (the probe reads
	// them from configuration.yml and settings.py).
	for _, s := range b.sizes[t.Root] {
		if !strings.HasPrefix(s.Name, "/") {
			continue
		}
		what, source := "uploads", ""
		for _, rel := range t.rels() {
			for _, l := range t.Files[rel].Lines {
				if strings.Contains(l.Text, s.Name) && (strings.Contains(l.Text, "attachments_storage_path") || strings.HasPrefix(l.Text, "MEDIA_ROOT")) {
					source = t.Root + "/" + rel + ":" + strconv.Itoa(l.Num)
					what = "attachments (attachments_storage_path)"
					if strings.HasPrefix(l.Text, "MEDIA_ROOT") {
						what = "media (MEDIA_ROOT)"
					}
				}
			}
		}
		add(s.Name, s.Name, what, source)
	}
}

// userName and groupName name an owner as ls -ln printed it, by the host's
// accounts where they say, else by number; "" when it was not read.
func (b *builder) userName(uid string) string {
	return idName(uid, func(n int) string {
		for _, u := range b.in.Snap.Accounts.Users {
			if u.UID == n {
				return u.Name
			}
		}
		return ""
	})
}

func (b *builder) groupName(gid string) string {
	return idName(gid, func(n int) string {
		for _, g := range b.in.Snap.Accounts.Groups {
			if g.GID == n {
				return g.Name
			}
		}
		return ""
	})
}

func idName(id string, name func(int) string) string {
	if n, err := strconv.Atoi(id); err == nil {
		return cmp.Or(name(n), id)
	}
	if id == "-" {
		return ""
	}
	return id
}

// servers are the programs that run an application, in the order a command line
// is searched for them: bundle exec puma runs puma.
var servers = []string{"puma", "unicorn", "unicorn_rails", "thin", "passenger", "gunicorn", "uwsgi", "rackup", "node", "nodejs", "java", "ruby", "php"}

// server says what runs the application.
func (b *builder) server(a *snapshot.App) string {
	for _, sp := range a.ServedBy {
		file, _, _ := strings.Cut(sp.Source, ":")
		switch sp.Directive {
		case "PassengerAppRoot", "passenger_app_root":
			return "passenger"
		case "webapp", "docBase":
			return "tomcat"
		case "chdir":
			if strings.HasPrefix(file, "/etc/php") {
				return "php-fpm"
			}
			return "uwsgi"
		case "WorkingDirectory", "ExecStart", "command", "directory":
			it := b.in.File(file)
			if s := execServer(it); s != "" {
				a.Evidence = append(a.Evidence, b.in.Cite(it))
				if strings.HasPrefix(file, "/etc/systemd/") {
					a.Service = path.Base(file)
				}
				return s
			}
		case "cwd":
			pid, _ := strconv.Atoi(strings.TrimPrefix(sp.Source, "/proc/"))
			for _, p := range b.in.Snap.Processes {
				if p.PID == pid {
					if s := commandServer(p.Command); s != "" {
						return s
					}
				}
			}
		}
	}
	var modules []string
	for _, ws := range b.in.Snap.Middleware.WebServers {
		modules = append(modules, ws.Modules...)
	}
	for _, sp := range a.ServedBy {
		if !strings.HasPrefix(sp.By, "apache") && !strings.HasPrefix(sp.By, "nginx") {
			continue
		}
		switch a.Kind {
		case "rails", "rack":
			if slices.Contains(modules, "passenger_module") {
				return "passenger"
			}
		case "php":
			if p := b.poolFor(sp); p != nil {
				a.ServedBy = append(a.ServedBy, snapshot.ServedPath{By: "php-fpm pool " + p.name, Directive: "listen", Path: p.listen,
					Found: "application", What: "runs the PHP of " + sp.By, Source: p.listenSource, Evidence: b.in.Cite(p.item)})
				return "php-fpm"
			}
			if slices.ContainsFunc(modules, func(m string) bool { return strings.HasPrefix(m, "php") && strings.HasSuffix(m, "_module") }) {
				return "mod_php"
			}
		}
	}
	return ""
}

// poolFor is the php-fpm pool a vhost passes PHP to, by its listen address.
func (b *builder) poolFor(sp snapshot.ServedPath) *pool {
	for _, ws := range b.in.Snap.Middleware.WebServers {
		for _, v := range ws.VHosts {
			if ws.Kind+" "+vhostName(v) != sp.By {
				continue
			}
			for _, px := range v.Proxies {
				target := strings.TrimPrefix(px, "unix:")
				if u, err := url.Parse(px); err == nil && u.Scheme == "fcgi" {
					target = u.Host
				}
				for i := range b.pools {
					if l := b.pools[i].listen; l != "" && (l == target || strings.TrimPrefix(l, "127.0.0.1:") == strings.TrimPrefix(target, "127.0.0.1:") && strings.Contains(target, ":")) {
						return &b.pools[i]
					}
				}
			}
		}
	}
	return nil
}

// execServer is the server a unit's ExecStart or a program's command runs.
func execServer(it *evidence.Item) string {
	if !kit.Usable(it) {
		return ""
	}
	for _, line := range strings.Split(it.Text(), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && (strings.TrimSpace(k) == "ExecStart" || strings.TrimSpace(k) == "command") {
			if s := commandServer(v); s != "" {
				return s
			}
		}
	}
	return ""
}

// commandServer is the first known server a command line runs.
func commandServer(cmd string) string {
	words := strings.Fields(cmd)
	for _, s := range servers {
		for _, w := range words {
			base := path.Base(strings.TrimLeft(w, "-@+!:"))
			if base == s || s == "ruby" && strings.HasPrefix(base, "ruby") || s == "php" && strings.HasPrefix(base, "php") {
				return s
			}
		}
	}
	return ""
}

var versionInPath = regexp.MustCompile(`(\d+\.\d+(?:\.\d+)?)`)

// runtime is the interpreter the application runs with, where its servers or its
// tree say: PassengerRuby, .ruby-version, a virtualenv, a pool of a versioned PHP,
// the program a process runs.
func (b *builder) runtime(a *snapshot.App, t *Tree) (string, string) {
	switch a.Kind {
	case "rails", "rack":
		for _, sp := range a.ServedBy {
			for _, ws := range b.in.Snap.Middleware.WebServers {
				for _, v := range ws.VHosts {
					if ws.Kind+" "+vhostName(v) != sp.By {
						continue
					}
					for _, p := range v.Paths {
						if p.Directive == "PassengerRuby" || p.Directive == "passenger_ruby" {
							return withVersion("ruby", p.Path), p.Directive + " " + p.Path + " at " + p.Source
						}
					}
				}
			}
		}
		if t != nil {
			if f, ok := t.Files[".ruby-version"]; ok && len(f.Lines) > 0 {
				v := strings.TrimPrefix(strings.TrimSpace(f.Lines[0].Text), "ruby-")
				return "ruby " + v, t.Root + "/.ruby-version"
			}
		}
	case "python":
		if t != nil {
			if r, src := venvPython(t); r != "" {
				return r, "the virtualenv " + src
			}
		}
	case "php":
		for _, sp := range a.ServedBy {
			file, _, _ := strings.Cut(sp.Source, ":")
			if m := phpVersionDir.FindStringSubmatch(file); m != nil && strings.HasPrefix(sp.By, "php-fpm") {
				return "php " + m[1], "the php-fpm pool " + file
			}
		}
	}
	for _, sp := range a.ServedBy {
		if sp.Directive != "cwd" {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimPrefix(sp.Source, "/proc/"))
		if p, ok := b.rep.Procs[pid]; ok && p.Exe != "" {
			return withVersion(path.Base(strings.TrimRight(p.Exe, "0123456789.")), p.Exe), "the program process " + strconv.Itoa(pid) + " runs (" + p.Exe + ")"
		}
	}
	return "", ""
}

// withVersion names an interpreter with the version its path shows
// (/usr/local/rbenv/versions/2.7.8/bin/ruby), or alone.
func withVersion(name, p string) string {
	if m := versionInPath.FindString(p); m != "" {
		return name + " " + m
	}
	return name
}
