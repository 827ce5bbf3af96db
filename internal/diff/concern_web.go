package diff

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// webConcern compares the web servers of one kind (apache, nginx) and their
// virtual hosts, read from that kind's own section.
func webConcern(kind string, sec snapshot.Section) concern {
	return concern{id: ConcernMiddleware, section: sec, read: eachSide(func(s *snapshot.Snapshot) []item {
		return webItems(s, kind)
	})}
}

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
			name := v.ServerName
			if name == "" {
				name = "(default)"
			}
			out = append(out, item{
				key:   "vhost " + w.Kind + " " + name + " " + listenPort(v.Listen),
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

// listenPort is the port of "*:80" or "80"; a vhost's address differs between
// hosts, its port does not.
func listenPort(listen string) string {
	if i := strings.LastIndex(listen, ":"); i >= 0 {
		return listen[i+1:]
	}
	return listen
}
