package ledger

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// KindService is a service that runs, or starts at boot.
const KindService Kind = "service"

var serviceKind = kind{name: KindService, read: (*reader).services,
	tests: []spec.Kind{spec.KindService}, claim: one(KindService)}

// StartsAtBoot says whether the init system starts a service at boot (a masked
// unit never starts, whatever links it has).
func StartsAtBoot(sv snapshot.Service) bool {
	return sv.Enabled != nil && *sv.Enabled && sv.EnabledState != "masked"
}

// Runs says whether a service ran when the host was surveyed.
func Runs(sv snapshot.Service) bool { return sv.Running != nil && *sv.Running }

func (r *reader) services() {
	for _, sv := range r.s.Services {
		runs, starts := Runs(sv), StartsAtBoot(sv)
		if !runs && !starts {
			continue
		}
		var did []string
		if runs {
			did = append(did, "runs")
		}
		if starts {
			did = append(did, "starts at boot")
		}
		title := sv.Name + " " + strings.Join(did, " and ")
		if sv.Package != "" {
			title += " (package " + sv.Package + ")"
		}
		r.add(KindService, sv.Name, title, sv.Path, sv.Evidence...)
	}
}
