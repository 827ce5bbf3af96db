package diff

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// databaseItems are the database servers that play one role (mysql, which
// MariaDB plays too; postgresql) and their schemas: distributions replaced MySQL
// with MariaDB under the same section, and a migration does the same.
func databaseItems(s *snapshot.Snapshot, role string) []item {
	var out []item
	for _, d := range s.Middleware.Databases {
		if distro.ServiceRole(d.Kind) != role {
			continue
		}
		port := ""
		if d.Port != 0 {
			port = strconv.Itoa(d.Port)
		}
		out = append(out, item{
			key:   "db " + role,
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
				key:   "schema " + role + " " + sc.Name,
				label: d.Kind + " database " + sc.Name,
				refs:  refs(d.Evidence),
			})
		}
	}
	return merge(out)
}
