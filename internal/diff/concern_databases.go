package diff

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// databaseConcern compares the database servers of one family (mysql, which
// MariaDB belongs to; postgresql) and their schemas, read from that family's own
// section.
func databaseConcern(family string, sec snapshot.Section) concern {
	return concern{id: ConcernMiddleware, section: sec, read: eachSide(func(s *snapshot.Snapshot) []item {
		return databaseItems(s, family)
	})}
}

func databaseItems(s *snapshot.Snapshot, family string) []item {
	var out []item
	for _, d := range s.Middleware.Databases {
		if dbFamily(d.Kind) != family {
			continue
		}
		port := ""
		if d.Port != 0 {
			port = strconv.Itoa(d.Port)
		}
		out = append(out, item{
			key:   "db " + family,
			label: d.Kind,
			fields: []field{
				{"bind", d.Bind}, {"port", port}, {"role", d.Role},
			},
			refs: refs(d.Evidence),
		})
		for _, sc := range d.Databases {
			// The server's own schemas (mysql, PostgreSQL's templates) come
			// with it; the host's data is the rest.
			if sc.System {
				continue
			}
			out = append(out, item{
				key:   "schema " + family + " " + sc.Name,
				label: d.Kind + " database " + sc.Name,
				refs:  refs(d.Evidence),
			})
		}
	}
	return merge(out)
}

// dbFamily puts MariaDB with MySQL: distributions replaced one with the other
// under the same section, and a migration does the same.
func dbFamily(kind string) string {
	if kind == "mariadb" {
		return "mysql"
	}
	return kind
}
