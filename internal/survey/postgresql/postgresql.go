// Package postgresql surveys PostgreSQL clusters from their data directories and
// configuration files: RHEL's /var/lib/pgsql/data, PGDG's /var/lib/pgsql/VERSION/data,
// and Debian's /var/lib/postgresql/VERSION/main with its configuration in
// /etc/postgresql/VERSION/main. It does not log in: databases are named by OID (the
// directories under base/), since their names are only in the catalog.
//
// Across versions: before 12 a standby is configured by recovery.conf, from 12 by
// standby.signal with the settings in postgresql.conf; CentOS 5 shipped 8.1, whose
// datadir layout is the same.
package postgresql

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor fills Middleware.Databases with PostgreSQL clusters.
type Surveyor struct{}

// New returns the PostgreSQL surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "postgresql" }

// configDir is where a cluster's postgresql.conf lives: Debian keeps it in /etc.
func configDir(datadir string) string {
	if v, ok := strings.CutPrefix(datadir, "/var/lib/postgresql/"); ok {
		return "/etc/postgresql/" + v
	}
	return datadir
}

// Survey fills the clusters and the postgresql coverage.
func (Surveyor) Survey(in *kit.Input) {
	bin, dirs := in.Cmd("postgres-version"), in.Cmd("postgres-datadirs")
	dirsAbsent := dirs.Status == evidence.StatusOK && dirs.RC == 2 && len(dirs.Data) == 0
	dirsThere := (dirs.Status == evidence.StatusOK || dirs.Status == evidence.StatusTimeout || dirs.Status == evidence.StatusCut) &&
		strings.Contains(dirs.Text(), "datadir\t")
	confs := in.Archive.Matching(evidence.KindFile, "/etc/postgresql/*/main/postgresql.conf")
	found := presence.Decide(in, presence.Spec{
		Role: "postgresql", Name: "a PostgreSQL server",
		Programs: []*evidence.Item{bin},
		Configs:  confs,
		Data:     []presence.Clue{presence.DataClue(dirs, "the data directories of the RHEL, PGDG and Debian layouts", dirsThere, dirsAbsent)},
	})
	if found.Cover(in, snapshot.SectionPostgreSQL) {
		return
	}
	var problems []string
	clusters, err := ParseDatadirs(dirs.Text())
	if err != nil {
		problems = append(problems, "the datadir listing: "+err.Error())
	}
	if len(clusters) == 0 {
		_, why := kit.StatusOf(dirs)
		problems = append(problems, "no data directory was found in the standard places ("+why+")")
	}
	bins := ParseBinaries(bin.Text())
	var cover []*evidence.Item
	for _, c := range clusters {
		db := snapshot.Database{Kind: "postgresql", Datadir: c.Datadir, DatadirReal: c.Real, Port: 5432, Bind: "localhost", Presence: found.Presence()}
		cite := []*evidence.Item{dirs}
		if it := in.File(c.Datadir + "/PG_VERSION"); kit.Usable(it) {
			db.Version, db.VersionSource = strings.TrimSpace(it.Text()), it.Name
			cite = append(cite, it)
		}
		if len(bins) == 1 || db.Version == "" {
			for _, v := range bins {
				if db.Version == "" || strings.HasPrefix(v, db.Version+".") || v == db.Version {
					db.Version, db.VersionSource = v, bin.Source()
					cite = append(cite, bin)
					break
				}
			}
		}
		if db.Version == "" {
			db.Version, db.VersionSource = found.Version(in)
		}
		cdir := configDir(c.Datadir)
		for _, name := range []string{"postgresql.conf", "postgresql.auto.conf"} {
			p := cdir + "/" + name
			if name == "postgresql.auto.conf" {
				p = c.Datadir + "/" + name
			}
			it := in.File(p)
			if !kit.Usable(it) {
				if st, why := kit.StatusOf(it); name == "postgresql.conf" && it.Status != evidence.StatusMissing {
					problems = append(problems, p+" ("+string(st)+"): "+why)
				}
				continue
			}
			set, err := ParseConf(p, it.Text())
			if err != nil {
				problems = append(problems, p+": "+err.Error())
			}
			db.Settings = merge(db.Settings, set)
			db.Configs = append(db.Configs, p)
			cite = append(cite, it)
		}
		if it := in.File(cdir + "/pg_hba.conf"); kit.Usable(it) {
			db.Configs = append(db.Configs, it.Name)
			cite = append(cite, it)
		}
		for _, s := range db.Settings {
			switch s.Key {
			case "listen_addresses":
				db.Bind = s.Value
			case "port":
				if p, err := strconv.Atoi(s.Value); err == nil {
					db.Port = p
				}
			}
		}
		if c.Denied {
			problems = append(problems, "the databases of "+c.Datadir+" are unknown: permission denied")
		}
		for _, oid := range c.OIDs {
			b := c.KB[oid] * 1024
			db.Databases = append(db.Databases, snapshot.DatabaseSchema{Name: "oid " + oid, Bytes: &b, System: systemOID(oid)})
		}
		sort.SliceStable(db.Databases, func(i, j int) bool { return oidLess(db.Databases[i].Name, db.Databases[j].Name) })
		db.Role, db.RoleBasis = role(in, c.Datadir, &cite)
		db.Service = presence.Service(in.Snap, "postgresql", "postgresql-"+db.Version, "postgresql@"+path.Base(path.Dir(c.Datadir))+"-main")
		for _, it := range cite {
			db.Evidence = append(db.Evidence, in.Cite(it))
		}
		cover = append(cover, cite...)
		in.Snap.Middleware.Databases = append(in.Snap.Middleware.Databases, db)
	}
	if len(clusters) > 0 {
		problems = append(problems, "databases are named by OID: their names are in the catalog, which trowel does not log in to read")
	}
	st := snapshot.Partial
	if len(clusters) == 0 {
		st, _ = kit.StatusOf(dirs)
		if st == snapshot.Collected {
			st = snapshot.Unavailable
		}
	}
	in.Cover(snapshot.SectionPostgreSQL, st, strings.Join(problems, "; "), append(cover, bin, dirs)...)
}

func merge(a, b []snapshot.Setting) []snapshot.Setting {
	for _, s := range b {
		replaced := false
		for i := range a {
			if a[i].Key == s.Key {
				a[i], replaced = s, true
			}
		}
		if !replaced {
			a = append(a, s)
		}
	}
	return a
}

func oidLess(a, b string) bool {
	x, _ := strconv.Atoi(strings.TrimPrefix(a, "oid "))
	y, _ := strconv.Atoi(strings.TrimPrefix(b, "oid "))
	return x < y
}

// role: a standby has standby.signal (12+) or recovery.conf (before 12). Whether
// standbys stream from a server is not in its files.
func role(in *kit.Input, datadir string, cite *[]*evidence.Item) (string, string) {
	for _, f := range []string{"standby.signal", "recovery.conf"} {
		if it := in.File(datadir + "/" + f); kit.Usable(it) {
			*cite = append(*cite, it)
			return "replica", datadir + "/" + f + " exists"
		}
	}
	return "", "not a standby (no standby.signal or recovery.conf); whether standbys stream from it is not known from files"
}
