package diff

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernServices are the services that run or start at boot, matched by the role
// they play across init systems and distributions.
const ConcernServices Concern = "services"

var servicesConcern = concern{id: ConcernServices, section: snapshot.SectionServices, read: eachSide(serviceItems)}

func serviceItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, sv := range s.Services {
		// A unit that neither runs nor starts at boot (a timer's target, a
		// static helper) is how the distribution is built, not what the host
		// does.
		if !isTrue(sv.Running) && !isTrue(sv.Enabled) {
			continue
		}
		// One that runs a while after a client asked (timedated after a
		// survey's own timedatectl) differs between two surveys by chance.
		if distro.OnDemand(sv.Name) && !isTrue(sv.Enabled) {
			continue
		}
		it := item{
			key:    serviceKey(sv.Name),
			label:  sv.Name,
			fields: []field{{"running", boolValue(sv.Running)}, {"enabled", boolValue(sv.Enabled)}},
			refs:   serviceRefs(sv),
		}
		if isTrue(sv.Enabled) {
			it.notable = "enabled"
		}
		out = append(out, it)
	}
	return merge(out)
}

// serviceKey is what a service is, whatever its init system and distribution
// call it (httpd and apache2 are one web server).
func serviceKey(name string) string {
	if role := distro.ServiceRole(name); role != "" {
		return "role " + role
	}
	return "name " + strings.TrimSuffix(name, ".service")
}

func serviceRefs(sv snapshot.Service) []string {
	var out []string
	if sv.Path != "" {
		out = append(out, sv.Path)
	}
	return snapshot.AppendNew(out, sv.Evidence...)
}

func isTrue(b *bool) bool { return b != nil && *b }
