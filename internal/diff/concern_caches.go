package diff

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// cacheConcern compares the cache of one kind (memcached, redis): where it
// listens, read from that kind's own section.
func cacheConcern(kind string, sec snapshot.Section) concern {
	return concern{id: ConcernMiddleware, section: sec, read: eachSide(func(s *snapshot.Snapshot) []item {
		return cacheItems(s, kind)
	})}
}

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
