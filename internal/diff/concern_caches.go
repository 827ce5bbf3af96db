package diff

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// cacheItems are the cache of one kind (memcached, redis) and where it listens.
func cacheItems(s *snapshot.Snapshot, kind string) []item {
	var out []item
	for _, ch := range s.Middleware.Caches {
		if ch.Kind != kind {
			continue
		}
		out = append(out, item{
			key:    "cache " + kind,
			label:  kind,
			fields: []field{{"bind", ch.Bind}, {"port", strconv.Itoa(ch.Port)}},
			refs:   refs(ch.Evidence),
		})
	}
	return merge(out)
}
