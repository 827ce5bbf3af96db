package links

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// kindTools are programs whose use in a scheduled job means the job works on that
// kind's data: a job running mysqldump touches the database server.
var kindTools = map[string][]string{
	"mysql":      {"mysqldump", "mysql", "mysqlcheck", "mysqladmin", "mariabackup", "xtrabackup", "innobackupex", "automysqlbackup"},
	"mariadb":    {"mysqldump", "mysql", "mysqlcheck", "mysqladmin", "mariadb-dump", "mariabackup"},
	"postgresql": {"pg_dump", "pg_dumpall", "pg_basebackup", "psql", "vacuumdb"},
	"postfix":    {"sendmail", "postqueue", "postsuper", "mailq"},
	"apache":     {"apachectl", "apache2ctl", "httpd", "htcacheclean"},
	"nginx":      {"nginx"},
}

// ServiceView fills each service's view from the other sections: the account it
// runs as, what it listens on and connects to, its configs and logs, and the
// scheduled jobs that work on it. It also attributes outbound connections to
// services. Every entry repeats a fact that cites its own evidence; the view only
// gathers them, so a service reads as one story.
func ServiceView(s *snapshot.Snapshot) {
	idx := map[string]*snapshot.Service{}
	for i := range s.Services {
		sv := &s.Services[i]
		if _, ok := idx[sv.Name]; !ok {
			idx[sv.Name] = sv
		}
	}
	if len(idx) == 0 {
		return
	}
	byPID := map[int]*snapshot.Process{}
	for i := range s.Processes {
		byPID[s.Processes[i].PID] = &s.Processes[i]
	}
	direct := mainPIDs(s.Services)
	v := newViews()

	for _, sv := range s.Services {
		if p := byPID[sv.MainPID]; p != nil && sv.MainPID > 0 {
			v.user[sv.Name] = p.User
		}
	}
	for _, l := range s.Listeners {
		// A worker's own port is chosen anew at each start: not what the service
		// listens on.
		if l.Service != "" && l.Ephemeral == "" {
			v.add(v.listens, l.Service, fmt.Sprintf("%s %s", l.Proto, l.HostPort()))
		}
	}
	attribute := func(c *snapshot.Connection) {
		if c.Service == "" && c.PID > 0 {
			if p := byPID[c.PID]; p != nil && p.Service != "" {
				c.Service = p.Service
			} else {
				c.Service = serviceOf(c.PID, direct, byPID)
			}
		}
	}
	for i := range s.Network.Connections {
		c := &s.Network.Connections[i]
		attribute(c)
		if c.Service != "" {
			v.add(v.connects, c.Service, fmt.Sprintf("%s %s", c.Proto, c.HostPort()))
		}
	}
	// A connection the peer never answered is the service's too, but nothing it
	// connects to.
	for i := range s.Network.Unanswered {
		attribute(&s.Network.Unanswered[i])
	}

	// Middleware: each entry names its service, or is matched by kind, so a web
	// server or database found in configs is tied to its service even when its
	// surveyor could not tell which one: the service named as the kind, else the
	// first that plays the kind's role (httpd or apache2 for apache, mysqld or
	// mariadb for mysql, postgresql-9.6 for postgresql).
	owner := func(service, kind string) string {
		if service != "" {
			if _, ok := idx[service]; ok {
				return service
			}
		}
		if kind == "" {
			return ""
		}
		if _, ok := idx[kind]; ok {
			return kind
		}
		for _, sv := range s.Services {
			if distro.SameService(sv.Name, kind) {
				return sv.Name
			}
		}
		return ""
	}
	kindOf := map[string]string{} // service -> middleware kind, for the job rules
	for _, w := range s.Middleware.WebServers {
		name := owner(w.Service, w.Kind)
		if name == "" {
			continue
		}
		kindOf[name] = w.Kind
		for _, vh := range w.VHosts {
			v.add(v.configs, name, fileOf(vh.Source))
			v.add(v.logs, name, vh.Logs...)
			if vh.DocumentRoot != "" {
				v.add(v.roots, name, vh.DocumentRoot)
			}
		}
		for _, d := range w.Legacy {
			v.add(v.configs, name, fileOf(d.Source))
		}
	}
	for _, d := range s.Middleware.Databases {
		if name := owner(d.Service, d.Kind); name != "" {
			kindOf[name] = d.Kind
			v.add(v.configs, name, d.Configs...)
			if d.Datadir != "" {
				v.add(v.roots, name, d.Datadir)
			}
		}
	}
	for _, m := range s.Middleware.Mail {
		if name := owner(m.Service, m.Kind); name != "" {
			kindOf[name] = m.Kind
			v.add(v.configs, name, m.Configs...)
		}
	}
	for _, c := range s.Middleware.Caches {
		if name := owner(c.Service, c.Kind); name != "" {
			kindOf[name] = c.Kind
		}
	}
	for _, sh := range s.Logs.Shippers {
		name := owner(sh.Service, "")
		if name == "" {
			name = owner(sh.Name, "")
		}
		if name != "" {
			v.add(v.configs, name, sh.Configs...)
		}
	}
	// Changed and unowned configs of the service's package, or under a directory
	// named after it (/etc/apache2/, /etc/logship.conf).
	for _, f := range s.Files.Configs {
		for _, sv := range s.Services {
			if (f.Package != "" && f.Package == sv.Package) || namedAfter(f.Path, sv.Name, "/etc/") {
				v.add(v.configs, sv.Name, f.Path)
			}
		}
	}
	for _, lf := range s.Logs.Files {
		for _, sv := range s.Services {
			if namedAfter(lf.Path, sv.Name, "/var/log/") {
				v.add(v.logs, sv.Name, lf.Path)
			}
		}
	}
	// A backup trace found inside a job's script names the tool the job runs.
	jobTools := map[string][]string{}
	for _, b := range s.Backups.Items {
		if b.Job != "" && b.Tool != "" {
			jobTools[b.Job] = append(jobTools[b.Job], b.Tool)
		}
	}
	for _, j := range s.CronJobs {
		ref := JobRef(j)
		for _, sv := range s.Services {
			if jobTouches(j, jobTools[ref], sv.Name, kindOf[sv.Name], v.roots[sv.Name]) {
				v.add(v.jobs, sv.Name, ref)
			}
		}
	}

	for i := range s.Services {
		sv := &s.Services[i]
		if sv.User == "" {
			sv.User = v.user[sv.Name]
		}
		sv.Listens = merge(sv.Listens, v.listens[sv.Name])
		sv.Connects = merge(sv.Connects, v.connects[sv.Name])
		sv.Configs = merge(sv.Configs, v.configs[sv.Name])
		sv.Logs = merge(sv.Logs, v.logs[sv.Name])
		sv.Jobs = merge(sv.Jobs, v.jobs[sv.Name])
	}
}

// JobRef is how the snapshot refers to a scheduled job: "file:line", or the file
// alone for a job that is a whole file (a cron.daily script, a timer unit).
func JobRef(j snapshot.CronJob) string {
	if j.Line > 0 {
		return fmt.Sprintf("%s:%d", j.Source, j.Line)
	}
	return j.Source
}

type views struct {
	user                                          map[string]string
	listens, connects, configs, logs, jobs, roots map[string][]string
}

func newViews() *views {
	return &views{
		user: map[string]string{}, listens: map[string][]string{}, connects: map[string][]string{},
		configs: map[string][]string{}, logs: map[string][]string{}, jobs: map[string][]string{},
		roots: map[string][]string{},
	}
}

func (v *views) add(m map[string][]string, service string, items ...string) {
	for _, it := range items {
		if it != "" {
			m[service] = append(m[service], it)
		}
	}
}

// merge returns the sorted union without duplicates.
func merge(a, b []string) []string {
	if len(a)+len(b) == 0 {
		return a
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// fileOf strips the ":line" of a "file:line" source.
func fileOf(source string) string {
	if i := strings.LastIndexByte(source, ':'); i > 0 && isDigits(source[i+1:]) {
		return source[:i]
	}
	return source
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// namedAfter reports whether p, under dir, is named after the service: the
// directory /etc/apache2/... or /etc/rsyslog.d/..., or the file /etc/logship.conf,
// /var/log/logship.log.
// Services whose names are too generic to tell anything (one or two letters) never
// match.
func namedAfter(p, service, dir string) bool {
	rest, ok := strings.CutPrefix(p, dir)
	if !ok || len(service) < 3 {
		return false
	}
	first, _, inDir := strings.Cut(rest, "/")
	if inDir && (first == service || first == service+".d") {
		return true
	}
	base := path.Base(p)
	return !inDir && (base == service+".conf" || base == service+".log" || strings.HasPrefix(base, service+"."))
}

// jobTouches reports whether a scheduled job works on a service: it names the
// service or its tools, or a directory the service serves or keeps its data in.
func jobTouches(j snapshot.CronJob, tools []string, service, kind string, roots []string) bool {
	words := commandWords(j.Command)
	for _, s := range j.Scripts {
		words[path.Base(s)] = true
	}
	for _, t := range tools {
		words[t] = true
	}
	if words[service] {
		return true
	}
	for _, t := range kindTools[kind] {
		if words[t] {
			return true
		}
	}
	for _, r := range roots {
		r = strings.TrimSuffix(r, "/public")
		if len(r) > 1 && strings.Contains(j.Command, r) {
			return true
		}
	}
	return false
}

// commandWords are the base names of the words of a shell command, which is enough
// to see which programs it runs without parsing shell.
func commandWords(cmd string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(cmd, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '|' || r == ';' || r == '&' || r == '(' || r == ')' || r == '`' || r == '>' || r == '<'
	}) {
		out[path.Base(f)] = true
	}
	return out
}
