package spec

import (
	"regexp"
	"strings"

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
	// Program is what its main process ran on the old host, as Program reads it:
	// where no systemd ran the services, goss checks that it runs.
	Program string `yaml:"program,omitempty"`
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
		if distro.OnDemand(sv.Name) {
			continue // it runs a while after something asked, then exits
		}
		b := Service{Name: sv.Name, Running: snapshot.Bool(true)}
		if p, ok := d.process(sv.MainPID); ok {
			if d.fleeting(p) {
				continue // only a process said it runs, and it had just started
			}
			b.Program = Program(p.Command)
		}
		if r := distro.ServiceRole(sv.Name); r != sv.Name {
			b.Role = r
		}
		if sv.Enabled != nil && *sv.Enabled {
			b.Enabled = snapshot.Bool(true)
		}
		d.add(Expectation{ID: "service:" + sv.Name, Body: b, From: From{Source: sv.Path, Evidence: sv.Evidence}})
	}
}

// goss asks the init system where systemd (or upstart, or OpenRC) ran the old
// host's services: goss's service resource does. Elsewhere (SysV, or no init at all,
// as in a container) that resource cannot be right: it asks systemctl whenever
// systemctl is installed, even where PID 1 is not systemd, and calls everything
// stopped. There a service runs when its program does (how trowel itself read it
// there), or when systemd or its init script says so (a release may have renamed
// the program: MariaDB's mysqld_safe is mariadbd-safe on Debian 12); it starts at
// boot when systemd would start it or an S link in a multi-user runlevel does (what
// goss reads on a host without systemctl).
func (s Service) goss(g *gossfile, e Expectation) string {
	enabled := s.Enabled != nil && *s.Enabled && !e.Allows(AllowEnabled)
	if g.servicesByGoss() {
		a := map[string]any{"running": true}
		if enabled {
			a["enabled"] = true
		}
		g.put("service", s.Name, e, a)
		return ""
	}
	if !serviceName.MatchString(s.Name) {
		return "a service name that is no init script's name cannot be asked of one"
	}
	g.servicesByCommand = true
	running := "systemctl is-active -q " + s.Name + " 2>/dev/null || service " + s.Name + " status"
	if s.Program != "" {
		running = "ps -eo args= | grep -Eq " + shellWord(ereWord(s.Program)) + " || " + running
	}
	g.command(e, "running", running)
	if enabled {
		g.command(e, "enabled at boot", "systemctl is-enabled -q "+s.Name+" 2>/dev/null || ls /etc/rc[2345].d/S[0-9][0-9]"+s.Name)
	}
	return ""
}

// serviceName is what an init script or unit may be called, and sh reads as one word.
var serviceName = regexp.MustCompile(`^[A-Za-z0-9@._-]+$`)

// ereWord is gossWord for grep -E: the words of s, any blanks between them, as a
// whole word of a line.
func ereWord(s string) string {
	f := strings.Fields(s)
	for i := range f {
		f[i] = regexp.QuoteMeta(f[i])
	}
	return `(^|[[:space:]])` + strings.Join(f, `[[:space:]]+`) + `([[:space:]]|$)`
}
