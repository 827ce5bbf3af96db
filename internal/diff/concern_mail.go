package diff

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// mailItems are the mail server of one kind (postfix, dovecot), its relay host
// and its aliases.
func mailItems(s *snapshot.Snapshot, kind string) []item {
	var out []item
	for _, m := range s.Middleware.Mail {
		if m.Kind != kind {
			continue
		}
		relay := m.Relayhost
		// postconf -n leaves relayhost out when it is empty: Postfix then
		// delivers directly, which is a value, not an unknown.
		if relay == "" && kind == "postfix" {
			relay = None
		}
		out = append(out, item{
			key:    "mail " + kind,
			label:  kind,
			fields: []field{{"relayhost", relay}, {"relayhost_hosts", hostsAddress(m.RelayhostHosts)}},
			refs:   refs(m.Evidence),
		})
		for _, a := range m.Aliases {
			out = append(out, item{
				key:    "alias " + kind + " " + a.Name,
				label:  kind + " alias " + a.Name,
				fields: []field{{"targets", setValue(a.Targets)}},
				refs:   []string{a.Source},
			})
		}
	}
	return merge(out)
}

// hostsAddress is the address of an /etc/hosts line reference
// ("10.231.0.40 at /etc/hosts:7"), without where it is written.
func hostsAddress(s string) string {
	if i := strings.Index(s, " at "); i > 0 {
		return s[:i]
	}
	return s
}
