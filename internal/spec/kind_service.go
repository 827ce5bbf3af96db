package spec

import (
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindService expects a service to run and start at boot.
const KindService Kind = "service"

// Service is a service that runs, found by its function across distributions.
type Service struct {
	Name string `yaml:"name,omitempty"`
	// Role is what the service does, across distributions: web server, MTA,
	// database ...
	Role    string `yaml:"role,omitempty"`
	Running *bool  `yaml:"running,omitempty"`
	Enabled *bool  `yaml:"enabled,omitempty"`
}

func (Service) Kind() Kind { return KindService }

var serviceKind = def[Service]{
	sections: []snapshot.Section{snapshot.SectionServices},
	derive:   (*deriver).services,
	goss:     Service.goss,
}

func (d *deriver) services() {
	if !d.usable("services", snapshot.SectionServices) {
		return
	}
	for _, sv := range d.s.Services {
		// A service that was not running did nothing on the old host; one merely
		// enabled is no promise of work, and often a package's leftover.
		if sv.Running == nil || !*sv.Running {
			continue
		}
		b := Service{Name: sv.Name, Running: snapshot.Bool(true)}
		if r := distro.ServiceRole(sv.Name); r != sv.Name {
			b.Role = r
		}
		if sv.Enabled != nil && *sv.Enabled {
			b.Enabled = snapshot.Bool(true)
		}
		d.add(Expectation{ID: "service:" + sv.Name, Body: b, From: From{Source: sv.Path, Evidence: sv.Evidence}})
	}
}

func (s Service) goss(g gossfile, e Expectation) bool {
	a := map[string]any{"running": true}
	if s.Enabled != nil && *s.Enabled && !e.Allows(AllowEnabled) {
		a["enabled"] = true
	}
	g.put("service", s.Name, a)
	return true
}
