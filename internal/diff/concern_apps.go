package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// appItems are the applications of one runtime (rails, php, java), by where they
// are deployed.
func appItems(s *snapshot.Snapshot, kind string) []item {
	var out []item
	for _, a := range s.Middleware.Apps {
		if a.Kind != kind {
			continue
		}
		label := kind + " app " + a.Path
		if a.Name != "" {
			label += " (" + a.Name + ")"
		}
		out = append(out, item{
			key:    "app " + kind + " " + a.Path,
			label:  label,
			fields: []field{{"name", a.Name}, {"server", a.Server}},
			refs:   refs(a.Evidence),
		})
	}
	return merge(out)
}
