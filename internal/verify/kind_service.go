package verify

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// service finds the service by its function across init systems and distributions
// (SysV httpd is systemd apache2), and wants it running, and started at boot when
// it was.
func (v evaluator) service(e spec.Expectation, sv spec.Service) Check {
	var cands []snapshot.Service
	for _, s := range v.t.Services {
		if s.Name == sv.Name || distro.SameService(sv.Name, s.Name) {
			cands = append(cands, s)
		}
	}
	want := sv.Name
	if sv.Role != "" {
		want = fmt.Sprintf("%s (%s)", sv.Name, sv.Role)
	}
	atBoot := sv.Enabled != nil && *sv.Enabled && !e.Allows(spec.AllowEnabled)
	boot, notBoot := "", ""
	if atBoot {
		boot, notBoot = " and started at boot", " or not started at boot"
	}
	if len(cands) == 0 {
		p := distro.PlatformOf(v.t.OS)
		return v.absent(fail(nil, fmt.Sprintf("install and start it (on %s: %s)", p, distro.ServiceOn(sv.Name, p)),
			"service %s is not on %s: expected it running%s %s", want, v.target, boot, on(e)))
	}
	var found []string
	for _, s := range cands {
		found = append(found, describeService(s))
		if sv.Running != nil && *sv.Running && (s.Running == nil || !*s.Running) {
			continue
		}
		if atBoot && (s.Enabled == nil || !*s.Enabled) {
			continue
		}
		return pass("service %s runs on %s as %s%s", want, v.target, s.Name, boot)
	}
	for _, s := range cands {
		if sv.Running != nil && *sv.Running && s.Running == nil {
			return Check{Status: Skipped, Message: fmt.Sprintf("service %s is on %s as %s, but whether it runs could not be told", want, v.target, s.Name), Found: found}
		}
	}
	return fail(found, fmt.Sprintf("start %s and enable it at boot", cands[0].Name),
		"service %s is not running%s on %s: expected it running%s %s", want, notBoot, v.target, boot, on(e))
}

func describeService(s snapshot.Service) string {
	st := func(b *bool, yes, no string) string {
		if b == nil {
			return "unknown"
		}
		if *b {
			return yes
		}
		return no
	}
	return fmt.Sprintf("%s service %s: %s, %s (%s)", s.Init, s.Name, st(s.Running, "running", "not running"), st(s.Enabled, "enabled", "disabled"), s.Path)
}
