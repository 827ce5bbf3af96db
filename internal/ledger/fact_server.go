package ledger

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/spec"
)

// KindServer is a piece of middleware: a web server, a database server, a mail
// server, a cache (server:apache, server:mysql, server:postfix, server:redis).
const KindServer Kind = "server"

var serverKind = kind{name: KindServer, read: (*reader).servers,
	tests: []spec.Kind{spec.KindCapability, spec.KindSMTP},
	claim: func(e spec.Expectation, subject string) []string {
		switch {
		case e.Kind() == spec.KindSMTP || subject == "mta":
			return []string{ID(KindServer, "postfix"), ID(KindServer, "sendmail"), ID(KindServer, "exim")}
		case strings.HasPrefix(subject, "database:"):
			return []string{ID(KindServer, strings.TrimPrefix(subject, "database:"))}
		case strings.HasPrefix(subject, "web:"):
			return []string{ID(KindVHost, strings.TrimPrefix(subject, "web:")), ID(KindServer, "apache"), ID(KindServer, "nginx")}
		}
		return nil
	}}

func (r *reader) servers() {
	mw := r.s.Middleware
	for _, w := range mw.WebServers {
		r.add(KindServer, w.Kind, server(w.Kind, w.Version, w.Service), w.ConfigRoot, w.Evidence...)
	}
	for _, d := range mw.Databases {
		r.add(KindServer, d.Kind, server(d.Kind, d.Version, d.Service), d.Datadir, d.Evidence...)
	}
	for _, m := range mw.Mail {
		r.add(KindServer, m.Kind, server(m.Kind, m.Version, m.Service), strings.Join(m.Configs, ", "), m.Evidence...)
	}
	for _, c := range mw.Caches {
		r.add(KindServer, c.Kind, server(c.Kind, c.Version, c.Service), "", c.Evidence...)
	}
}

func server(kind, version, service string) string {
	t := strings.TrimSpace(kind + " " + version)
	if service != "" {
		t += " (service " + service + ")"
	}
	return t
}
