// Package apache surveys Apache httpd: version and MPM from `httpd -V` (RHEL) or
// `apache2ctl -V` (Debian, whose apache2ctl sources /etc/apache2/envvars), modules
// from -M or the LoadModule lines, and the effective configuration — the main file
// with its Include/IncludeOptional followed through the files collected, ${VAR}
// expanded from envvars and Define — for listeners, virtual hosts and the 2.2
// directives a move to 2.4 must rewrite.
//
// Across versions: CentOS 5–6 ship 2.2 (Order/Allow/Deny native, NameVirtualHost
// needed, MPM chosen in /etc/sysconfig/httpd); RHEL 7+ and Debian 8+ ship 2.4, where
// those directives need mod_access_compat or fail.
package apache

import (
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor fills the Apache web server and the apache coverage.
type Surveyor struct{}

// New returns the Apache surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "apache" }

var mainConfigs = []struct{ file, root string }{
	{"/etc/httpd/conf/httpd.conf", "/etc/httpd"},
	{"/etc/apache2/apache2.conf", "/etc/apache2"},
	{"/etc/apache2/httpd.conf", "/etc/apache2"},
}

// Survey reads the Apache evidence.
func (Surveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionApache
	vItems := []*evidence.Item{in.Cmd("httpd-V"), in.Cmd("apache2ctl-V")}
	mItems := []*evidence.Item{in.Cmd("httpd-M"), in.Cmd("apache2ctl-M")}

	files := map[string]string{}
	byPath := map[string]*evidence.Item{}
	var partial []string
	for _, it := range in.Archive.Items {
		if it.Kind != evidence.KindFile || !(strings.HasPrefix(it.Name, "/etc/httpd/") || strings.HasPrefix(it.Name, "/etc/apache2/")) {
			continue
		}
		if !kit.Usable(it) {
			if it.Status == evidence.StatusDenied || it.Status == evidence.StatusTimeout || it.Status == evidence.StatusSkipped {
				partial = append(partial, it.Problem())
			}
			continue
		}
		if it.Truncated {
			partial = append(partial, it.Name+" was cut short")
		}
		files[it.Name] = it.Text()
		byPath[it.Name] = it
	}

	ws := snapshot.WebServer{Kind: "apache"}
	var info Info
	if v := kit.FirstUsable(vItems...); v != nil {
		if i, ok := ParseV(v.Text()); ok {
			info = i
			ws.Version, ws.MPM, ws.VersionSource = i.Version, i.MPM, v.Source()
			ws.Evidence = append(ws.Evidence, in.Cite(v))
		}
	}
	var modules []string
	for _, m := range mItems {
		if m.OK() {
			if mods := ParseM(m.Text()); len(mods) > 0 {
				modules = mods
				ws.Evidence = append(ws.Evidence, in.Cite(m))
				break
			}
		}
	}

	mainFile, root := "", ""
	if info.HTTPDRoot != "" && info.MainConfig != "" {
		mainFile, root = info.MainConfig, info.HTTPDRoot
		if !strings.HasPrefix(mainFile, "/") {
			mainFile = path.Join(root, mainFile)
		}
	}
	if _, ok := files[mainFile]; !ok {
		mainFile = ""
		for _, c := range mainConfigs {
			if _, ok := files[c.file]; ok {
				mainFile, root = c.file, c.root
				break
			}
		}
	}

	var pkg *snapshot.Package
	if ps := presence.Packages(in.Snap, distro.ServerPackages("apache")...); len(ps) > 0 {
		pkg = &ps[0]
	}
	var mains []*evidence.Item
	for _, c := range mainConfigs {
		mains = append(mains, in.File(c.file))
	}
	found := presence.Decide(in, presence.Spec{Role: "apache", Name: "Apache httpd", Programs: vItems, Configs: mains})
	ws.Presence = found.Presence()
	// The version httpd -V did not give: its package's, its /usr/share/doc's.
	fallbackVersion := func() {
		if ws.Version != "" {
			return
		}
		if v, src := found.Version(in); v != "" {
			ws.Version, ws.VersionSource = upstreamVersion(v), src
			if pkg != nil && strings.HasPrefix(src, "package "+pkg.Name+" ") {
				ws.Evidence = append(ws.Evidence, pkg.Evidence)
			}
		}
	}
	if mainFile == "" {
		if len(files) == 0 && found.Cover(in, sec) {
			return
		}
		if len(files) > 0 {
			in.Cover(sec, snapshot.Partial, "Apache configuration files were read but no main configuration file (httpd.conf, apache2.conf) among them", vItems...)
			return
		}
		reason := "Apache is installed but its configuration could not be read"
		if len(partial) > 0 {
			reason += ": " + strings.Join(partial, "; ")
		}
		st := snapshot.Unavailable
		if anyDenied(partial) {
			st = snapshot.Denied
		}
		fallbackVersion()
		in.Snap.Middleware.WebServers = append(in.Snap.Middleware.WebServers, ws)
		in.Cover(sec, st, reason, vItems...)
		return
	}

	vars := map[string]string{}
	if env, ok := files["/etc/apache2/envvars"]; ok {
		vars = ParseEnvvars(env)
		ws.Evidence = append(ws.Evidence, in.Cite(byPath["/etc/apache2/envvars"]))
	}
	var modSet map[string]bool
	if modules != nil {
		modSet = map[string]bool{}
		for _, m := range modules {
			modSet[m] = true
		}
	}
	cfg := Resolve(mainFile, root, files, vars, modSet)
	for _, f := range cfg.Files {
		if it := byPath[f]; it != nil {
			ws.Evidence = append(ws.Evidence, in.Cite(it))
		}
	}
	srv := Analyze(cfg.Lines, root)
	if modules == nil {
		modules = srv.LoadModules
	}
	ws.Modules = modules
	ws.ConfigRoot = root
	ws.Listen = srv.Listen
	ws.VHosts = srv.VHosts
	for _, f := range Legacy(cfg.Lines) {
		ws.Legacy = append(ws.Legacy, snapshot.Directive{Name: f.Line.Name, Text: f.Line.Text, Source: f.Line.Source(), Why: f.Why})
	}
	if ws.MPM == "" {
		ws.MPM = mpmOf(modules, files["/etc/sysconfig/httpd"])
	}
	fallbackVersion()
	ws.Service = serviceName(in.Snap.Services)
	sort.Strings(ws.Evidence)
	ws.Evidence = slices.Compact(ws.Evidence)
	in.Snap.Middleware.WebServers = append(in.Snap.Middleware.WebServers, ws)

	var notes []string
	notes = append(notes, partial...)
	for _, m := range cfg.Missing {
		notes = append(notes, "include not collected: "+m)
	}
	notes = append(notes, cfg.Errors...)
	if ws.Version == "" {
		notes = append(notes, "version unknown: "+kit.Explain(vItems...))
	}
	if in.Offline() && len(ws.Modules) > 0 && kit.FirstUsable(mItems...) == nil {
		notes = append(notes, "offline: modules are those LoadModule lines name, not those httpd reports loaded")
	}
	st := snapshot.Collected
	if hardGaps(cfg, partial) || ws.Version == "" {
		st = snapshot.Partial
	}
	items := []*evidence.Item{byPath[mainFile]}
	in.Cover(sec, st, strings.Join(notes, "; "), items...)
}

// hardGaps: a non-optional include that matched nothing, an unreadable file, or a
// file httpd reads that could not be parsed means the picture may lack a site.
func hardGaps(cfg Config, partial []string) bool {
	if len(partial) > 0 || len(cfg.Errors) > 0 {
		return true
	}
	for _, m := range cfg.Missing {
		if !strings.Contains(m, "which may match nothing") {
			return true
		}
	}
	return false
}

func mpmOf(modules []string, sysconfig string) string {
	for _, m := range modules {
		if strings.HasPrefix(m, "mpm_") && strings.HasSuffix(m, "_module") {
			return strings.TrimSuffix(strings.TrimPrefix(m, "mpm_"), "_module")
		}
	}
	// CentOS 5–6: one binary per MPM, chosen by HTTPD= in /etc/sysconfig/httpd.
	for _, line := range strings.Split(sysconfig, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "HTTPD=") {
			switch {
			case strings.HasSuffix(t, "httpd.worker"):
				return "worker"
			case strings.HasSuffix(t, "httpd.event"):
				return "event"
			}
		}
	}
	return ""
}

// upstreamVersion strips the distribution's revision: "2.4.62-1~deb11u1" -> "2.4.62".
func upstreamVersion(v string) string {
	if i := strings.IndexAny(v, "-~+"); i > 0 {
		v = v[:i]
	}
	if i := strings.IndexByte(v, ':'); i >= 0 {
		v = v[i+1:]
	}
	return v
}

func anyDenied(problems []string) bool {
	for _, p := range problems {
		if strings.Contains(p, "permission denied") {
			return true
		}
	}
	return false
}

func serviceName(svcs []snapshot.Service) string {
	for _, want := range []string{"apache2", "httpd"} {
		for _, s := range svcs {
			if s.Name == want || s.Name == want+".service" {
				return s.Name
			}
		}
	}
	return ""
}
