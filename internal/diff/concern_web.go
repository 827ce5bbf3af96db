package diff

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// webItems are the web servers of one kind (apache, nginx) and their virtual
// hosts.
func webItems(s *snapshot.Snapshot, kind string) []item {
	var out []item
	for _, w := range s.Middleware.WebServers {
		if w.Kind != kind {
			continue
		}
		out = append(out, item{
			key:            "web " + w.Kind,
			label:          w.Kind,
			fields:         []field{{"version", w.Version}, {"mpm", w.MPM}},
			refs:           refs(w.Evidence),
			versionManager: "dpkg",
		})
		for _, v := range w.VHosts {
			name := v.Name()
			out = append(out, item{
				key:   "vhost " + w.Kind + " " + name + " " + vhostPort(v),
				label: w.Kind + " vhost " + name + " " + v.Listen,
				fields: []field{
					{"document_root", v.DocumentRoot},
					{"tls", strconv.FormatBool(v.TLS)},
					{"aliases", setValue(v.Aliases)},
					{"proxies", setValue(v.Proxies)},
				},
				refs: []string{v.Source},
			})
		}
	}
	return merge(out)
}

// vhostPort is what tells a virtual host's Listen apart across hosts: its port,
// since the address differs between hosts by nature; or, where no port number
// can be read ("*:http"), the Listen as written.
func vhostPort(v snapshot.VHost) string {
	if p := v.Port(); p != 0 {
		return strconv.Itoa(p)
	}
	return v.Listen
}
