package snapshot

import "strings"

// ServerRef is one middleware entry seen from the service side: where it is in
// the snapshot, the service it names, its version and the port its
// configuration gives (0 when it gives none).
type ServerRef struct {
	Path    string // middleware.databases[mariadb]
	Service string
	Version string
	Port    int
}

// Servers lists the middleware entries: web servers, databases, mail servers,
// caches and applications, in that order.
func (m Middleware) Servers() []ServerRef {
	var out []ServerRef
	for _, w := range m.WebServers {
		out = append(out, ServerRef{"middleware.web_servers[" + w.Kind + "]", w.Service, w.Version, 0})
	}
	for _, d := range m.Databases {
		out = append(out, ServerRef{"middleware.databases[" + d.Kind + "]", d.Service, d.Version, d.Port})
	}
	for _, x := range m.Mail {
		out = append(out, ServerRef{"middleware.mail[" + x.Kind + "]", x.Service, x.Version, 0})
	}
	for _, x := range m.Caches {
		out = append(out, ServerRef{"middleware.caches[" + x.Kind + "]", x.Service, x.Version, x.Port})
	}
	for _, a := range m.Apps {
		out = append(out, ServerRef{"middleware.apps[" + a.Path + "]", a.Service, "", 0})
	}
	return out
}

// ServersOf are the middleware entries that name the service called name, with
// or without systemd's ".service": a server configured on the host, whatever
// its state.
func (m Middleware) ServersOf(name string) []ServerRef {
	var out []ServerRef
	for _, r := range m.Servers() {
		if r.Service != "" && strings.TrimSuffix(r.Service, ".service") == strings.TrimSuffix(name, ".service") {
			out = append(out, r)
		}
	}
	return out
}
