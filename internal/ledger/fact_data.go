package ledger

import "github.com/trowel-dev/trowel/internal/snapshot"

// KindApplication is an application tree deployed outside any package.
const KindApplication Kind = "application"

// KindData is data a migration moves: a data directory (data:/var/lib/x) or a
// database (data:mysql/redmine).
const KindData Kind = "data"

// KindSoftware is a tree of software outside the package manager (/usr/local,
// /opt ...).
const KindSoftware Kind = "software"

var (
	applicationKind = kind{name: KindApplication, read: (*reader).applications}
	dataKind        = kind{name: KindData, read: (*reader).data}
	softwareKind    = kind{name: KindSoftware, read: (*reader).software}
)

// SchemaKey is the key of a database's data.
func SchemaKey(db snapshot.Database, name string) string { return db.Kind + "/" + name }

func (r *reader) applications() {
	for _, a := range r.s.Middleware.Apps {
		title := firstOf(a.Name, a.Kind+" application") + " at " + a.Path
		if a.Runtime != "" {
			title += " on " + a.Runtime
		}
		r.add(KindApplication, a.Path, title, a.Path, a.Evidence...).Bytes = treeBytes(r.s, a.Path)
	}
}

// treeBytes is the size of the unmanaged tree at p, when the survey measured it.
func treeBytes(s *snapshot.Snapshot, p string) *int64 {
	for _, u := range s.Files.Unmanaged {
		if u.Path == p {
			n := u.Bytes
			return &n
		}
	}
	return nil
}

func (r *reader) data() {
	for _, d := range r.s.Storage.DataDirs {
		r.add(KindData, d.Path, d.Path+" holds "+d.Purpose, d.Path, d.Evidence).Bytes = d.Bytes
	}
	for _, db := range r.s.Middleware.Databases {
		for _, sc := range db.Databases {
			if sc.System {
				continue
			}
			r.add(KindData, SchemaKey(db, sc.Name), "database "+sc.Name+" of "+db.Kind+" "+db.Version, db.Datadir, db.Evidence...).Bytes = sc.Bytes
		}
	}
}

func (r *reader) software() {
	for _, u := range r.s.Files.Unmanaged {
		n := u.Bytes
		r.add(KindSoftware, u.Path, u.Path+": "+firstOf(u.What, "files")+" no package owns", u.Path, u.Evidence...).Bytes = &n
	}
}
