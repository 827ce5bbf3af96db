package spec

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindCapability expects what a package did, by function.
const KindCapability Kind = "capability"

// Capability is what a package did on the old host, by its function: a web server
// serving a vhost, an MTA relaying to a host, a database holding schemas.
type Capability struct {
	Name    string   `yaml:"name,omitempty"` // the vhost, MTA or database kind
	Role    string   `yaml:"role,omitempty"` // web server, MTA, database
	Port    int      `yaml:"port,omitempty"`
	Service string   `yaml:"service,omitempty"`
	Value   string   `yaml:"value,omitempty"` // a web server's document root
	Serves  []string `yaml:"serves,omitempty"`
	Version string   `yaml:"version,omitempty"`
	Manager string   `yaml:"package_manager,omitempty"` // whose version order Version follows
}

func (Capability) Kind() Kind { return KindCapability }

var capabilityKind = def[Capability]{
	sections:     []snapshot.Section{snapshot.SectionListeners},
	moreSections: Capability.sections,
	derive:       (*deriver).capabilities,
	noGoss:       "a function across packages (a vhost served, a relay, a schema held) is no goss resource; the service and port expectations carry what goss can check of it",
}

// sections are where the role's configuration is surveyed.
func (c Capability) sections() []snapshot.Section {
	switch {
	case c.Role == "web server":
		return []snapshot.Section{snapshot.SectionApache}
	case c.Role == "MTA":
		return []snapshot.Section{snapshot.SectionPostfix}
	case c.Name == "postgresql":
		return []snapshot.Section{snapshot.SectionPostgreSQL}
	}
	return []snapshot.Section{snapshot.SectionMySQL}
}

func (d *deriver) capabilities() {
	mw := d.s.Middleware
	if d.usable("web servers", snapshot.SectionApache) && d.usable("web servers", snapshot.SectionNginx) {
		for _, w := range mw.WebServers {
			for _, v := range w.VHosts {
				name := v.Name()
				port := v.Port()
				d.add(Expectation{ID: fmt.Sprintf("capability:web:%s:%d", name, port),
					Body: Capability{Role: "web server", Name: name, Port: port, Serves: []string{name}, Version: w.Version,
						Manager: d.s.OS.PackageManager, Service: w.Service, Value: v.DocumentRoot},
					From: From{Source: v.Source, Evidence: w.Evidence}})
			}
		}
	}
	if d.usable("mail", snapshot.SectionPostfix) {
		for _, m := range mw.Mail {
			if m.Kind != "postfix" {
				continue
			}
			b := Capability{Role: "MTA", Name: m.Kind, Port: 25, Version: m.Version, Manager: d.s.OS.PackageManager, Service: m.Service}
			if m.Relayhost != "" {
				b.Serves = []string{"relay " + m.Relayhost}
			}
			d.add(Expectation{ID: "capability:mta", Body: b, From: From{Source: "/etc/postfix/main.cf", Evidence: m.Evidence}})
		}
	}
	if d.usable("databases", snapshot.SectionMySQL) && d.usable("databases", snapshot.SectionPostgreSQL) {
		for _, db := range mw.Databases {
			b := Capability{Role: "database", Name: db.Kind, Port: db.Port, Version: db.Version, Manager: d.s.OS.PackageManager, Service: db.Service}
			for _, sch := range db.Databases {
				if !sch.System {
					b.Serves = append(b.Serves, "database "+sch.Name)
				}
			}
			from := From{Evidence: db.Evidence}
			if len(db.Configs) > 0 {
				from.Source = db.Configs[0]
			}
			d.add(Expectation{ID: "capability:database:" + db.Kind, Body: b, From: from})
		}
	}
}
