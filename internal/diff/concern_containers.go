package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// containersConcern compares the Docker containers by name: the image, the ports
// and what brings each back after a reboot.
var containersConcern = concern{id: ConcernMiddleware, section: snapshot.SectionDocker, read: eachSide(containerItems)}

func containerItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, ct := range s.Middleware.Containers {
		out = append(out, item{
			key:    "container " + ct.Name,
			label:  "container " + ct.Name,
			fields: []field{{"image", ct.Image}, {"ports", setValue(ct.Ports)}, {"restart_policy", ct.RestartPolicy}},
			refs:   refs(ct.Evidence),
		})
	}
	return merge(out)
}
