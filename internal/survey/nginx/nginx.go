// Package nginx surveys nginx: `nginx -V` for version and compiled-in modules, and
// nginx.conf with its includes for server blocks (listen, server_name, root,
// proxy_pass, TLS, logs). The tokenizer is nginx's own grammar: words, quoted
// strings, ';', '{' and '}', '#' comments.
package nginx

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor fills the nginx web server and the nginx coverage.
type Surveyor struct{}

// New returns the nginx surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "nginx" }

var mains = []struct{ file, prefix string }{
	{"/etc/nginx/nginx.conf", "/etc/nginx"},
	{"/usr/local/nginx/conf/nginx.conf", "/usr/local/nginx/conf"},
}

// Survey reads nginx -V and the configuration.
func (Surveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionNginx
	v := in.Cmd("nginx-V")
	ws := snapshot.WebServer{Kind: "nginx"}
	if kit.Usable(v) {
		ws.Version, ws.Modules = ParseV(v.Text())
		if ws.Version != "" {
			ws.VersionSource = v.Source()
			ws.Evidence = append(ws.Evidence, in.Cite(v))
		}
	}
	files := map[string]string{}
	items := map[string]*evidence.Item{}
	var notes []string
	for _, it := range in.Archive.Items {
		if it.Kind != evidence.KindFile || !(strings.HasPrefix(it.Name, "/etc/nginx/") || strings.HasPrefix(it.Name, "/usr/local/nginx/conf/")) {
			continue
		}
		if kit.Usable(it) {
			files[it.Name], items[it.Name] = it.Text(), it
		} else if it.Status != evidence.StatusAbsent {
			notes = append(notes, it.Problem())
		}
	}
	var main *evidence.Item
	prefix := ""
	for _, m := range mains {
		if it := items[m.file]; it != nil {
			main, prefix = it, m.prefix
			break
		}
	}
	var mainItems []*evidence.Item
	for _, m := range mains {
		mainItems = append(mainItems, in.File(m.file))
	}
	found := presence.Decide(in, presence.Spec{Role: "nginx", Name: "nginx", Programs: []*evidence.Item{v}, Configs: mainItems})
	ws.Presence = found.Presence()
	if ws.Version == "" {
		ws.Version, ws.VersionSource = found.Version(in)
	}
	if main == nil {
		mainItem := in.File(mains[0].file)
		switch {
		case len(files) == 0 && len(notes) == 0 && found.Cover(in, sec):
		case ws.Version != "" || found.Verdict == presence.Present:
			in.Snap.Middleware.WebServers = append(in.Snap.Middleware.WebServers, ws)
			notes = append(notes, "nginx is installed but its configuration could not be read: "+kit.Explain(mainItem))
			in.Cover(sec, snapshot.Partial, strings.Join(notes, "; "), v, mainItem)
		default:
			st, why := kit.StatusOf(mainItem)
			if st == snapshot.Collected {
				st = snapshot.Unavailable
			}
			in.Cover(sec, st, why, v, mainItem)
		}
		return
	}
	ds, err := Parse(main.Name, main.Text())
	if err != nil {
		notes = append(notes, main.Name+": "+err.Error())
	}
	ds, missing, errs := Expand(ds, prefix, files, 0)
	notes = append(notes, errs...)
	for _, m := range missing {
		notes = append(notes, "include not collected: "+m)
	}
	ws.ConfigRoot = prefix
	ws.VHosts, ws.Listen = Servers(ds)
	for _, it := range items {
		ws.Evidence = append(ws.Evidence, in.Cite(it))
	}
	for _, s := range in.Snap.Services {
		if s.Name == "nginx" || s.Name == "nginx.service" {
			ws.Service = s.Name
		}
	}
	in.Snap.Middleware.WebServers = append(in.Snap.Middleware.WebServers, ws)
	st := snapshot.Collected
	if len(notes) > 0 || ws.Version == "" {
		st = snapshot.Partial
	}
	if ws.Version == "" {
		notes = append(notes, "version unknown: "+kit.Explain(v))
	}
	in.Cover(sec, st, strings.Join(notes, "; "), main, v)
}
