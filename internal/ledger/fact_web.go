package ledger

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindWebModule is a module a web server loaded: web_module:apache/passenger.
const KindWebModule Kind = "web_module"

// KindVHost is a site a web server served: vhost:NAME:PORT.
const KindVHost Kind = "vhost"

var (
	webModuleKind = kind{name: KindWebModule, read: (*reader).webModules}
	vhostKind     = kind{name: KindVHost, read: (*reader).vhosts,
		tests: []spec.Kind{spec.KindHTTP},
		claim: func(_ spec.Expectation, subject string) []string {
			// http:NAME:PORT/PATH
			name, rest, _ := strings.Cut(subject, ":")
			port, _, _ := strings.Cut(rest, "/")
			return []string{ID(KindVHost, name+":"+port)}
		}}
)

// ModuleKey is the key of a web server's module: "apache/passenger" for
// passenger_module.
func ModuleKey(server, module string) string {
	return server + "/" + strings.TrimSuffix(strings.TrimPrefix(module, "mod_"), "_module")
}

// VHostKey is the key of a site: its name and port.
func VHostKey(v snapshot.VHost) string {
	port := 80
	if v.TLS {
		port = 443
	}
	if i := strings.LastIndexByte(v.Listen, ':'); i >= 0 {
		if n, err := strconv.Atoi(v.Listen[i+1:]); err == nil {
			port = n
		}
	} else if n, err := strconv.Atoi(v.Listen); err == nil {
		port = n
	}
	return firstOf(v.ServerName, "_default_") + ":" + strconv.Itoa(port)
}

func (r *reader) webModules() {
	for _, w := range r.s.Middleware.WebServers {
		for _, m := range w.Modules {
			r.add(KindWebModule, ModuleKey(w.Kind, m), w.Kind+" loads "+m, w.ConfigRoot, w.Evidence...)
		}
	}
}

func (r *reader) vhosts() {
	for _, w := range r.s.Middleware.WebServers {
		for _, v := range w.VHosts {
			title := w.Kind + " serves " + VHostKey(v)
			if v.DocumentRoot != "" {
				title += " from " + v.DocumentRoot
			}
			r.add(KindVHost, VHostKey(v), title, v.Source, w.Evidence...)
		}
	}
}
