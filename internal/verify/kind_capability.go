package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// capability wants something in the role doing what the old host's did: a web
// server serving the vhost on the port, an MTA relaying to the same host, a
// database (MySQL and MariaDB alike) holding the schemas; listening on the port, and
// no older than it was unless allowed.
func (v evaluator) capability(e spec.Expectation, c spec.Capability) Check {
	mw := v.t.Middleware
	var found []string
	var version string
	okServes := false
	switch c.Role {
	case "web server":
		for _, w := range mw.WebServers {
			for _, vh := range w.VHosts {
				if (vh.Name() == c.Name || slices.Contains(vh.Aliases, c.Name)) && vh.Port() == c.Port {
					okServes, version = true, w.Version
				}
				found = append(found, fmt.Sprintf("%s %s %s", w.Kind, vh.Name(), vh.Listen))
			}
		}
	case "MTA":
		for _, m := range mw.Mail {
			if !distro.IsMTA(m.Kind) {
				continue
			}
			found = append(found, fmt.Sprintf("%s relayhost %q", m.Kind, m.Relayhost))
			okServes, version = len(c.Serves) == 0 || "relay "+m.Relayhost == c.Serves[0], m.Version
		}
	case "database":
		for _, d := range mw.Databases {
			if !distro.SameService(d.Kind, c.Name) {
				continue
			}
			have := map[string]bool{}
			for _, s := range d.Databases {
				have["database "+s.Name] = true
			}
			found = append(found, fmt.Sprintf("%s %s with %v", d.Kind, d.Version, keys(have)))
			okServes, version = true, d.Version
			for _, s := range c.Serves {
				okServes = okServes && have[s]
			}
		}
	}
	desc := fmt.Sprintf("%s %s", c.Role, c.Name)
	if len(c.Serves) > 0 {
		desc = fmt.Sprintf("%s (%s) serving %s", c.Role, c.Name, strings.Join(c.Serves, ", "))
	}
	if c.Port > 0 {
		desc += fmt.Sprintf(" on :%d", c.Port)
	}
	if !okServes {
		if len(found) > 0 {
			return fail(found, "configure it as on the old host", "%s on %s does not do what it did: expected %s %s", c.Role, v.target, desc, on(e))
		}
		return v.absent(fail(nil, "install and configure a "+c.Role, "no %s on %s: expected %s %s", c.Role, v.target, desc, on(e)))
	}
	if c.Port > 0 {
		if _, ok := v.listening(c.Port); !ok {
			return fail(found, "start it and check its Listen/port setting", "%s is configured on %s but nothing listens on :%d: expected %s %s", c.Role, v.target, c.Port, desc, on(e))
		}
	}
	if c.Version != "" && version != "" && !e.Allows(spec.AllowVersion) && c.Manager != "" {
		if distro.CompareVersions(c.Manager, version, c.Version) < 0 {
			return fail([]string{version}, "upgrade it, or add allow: [version] if the older version is intended",
				"%s on %s is %s, older than %s on %s %s", c.Name, v.target, version, c.Version, e.From.Host, on(e))
		}
	}
	return pass("%s", desc)
}

func (v evaluator) listening(port int) (snapshot.Listener, bool) {
	for _, l := range v.t.Listeners {
		if l.Port == port && strings.HasPrefix(l.Proto, "tcp") {
			return l, true
		}
	}
	return snapshot.Listener{}, false
}
