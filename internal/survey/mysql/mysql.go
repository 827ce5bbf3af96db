// Package mysql surveys MySQL and MariaDB servers from their option files, version
// commands and data directory. It never connects to the server: database names come
// from the datadir's directories, so no password is needed, none is read, and
// nothing shows up in the server's logs.
//
// Across versions: MySQL 5.0 (CentOS 5) keeps mysqld in /usr/libexec and reads only
// /etc/my.cnf; replication there is configured by master-host in my.cnf, which 5.5
// removed (a replica's settings then live in master.info or, from 5.6, in tables).
// MariaDB 10.x on Debian reads /etc/mysql/my.cnf -> mariadb.cnf and its
// !includedir's, and adds the [mariadb] groups.
//
// Which option files apply is the server's command line's to say (see Launch):
// a tarball's server started with --defaults-file=/etc/my.cnf never reads the
// /etc/mysql/my.cnf a client library's package installed, so only the files the
// server reads are its configs, and what its command line sets overrides them.
package mysql

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/logs"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor fills Middleware.Databases with MySQL and MariaDB servers.
type Surveyor struct{}

// New returns the MySQL surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "mysql" }

// configPrefixes are where option files live.
var configPrefixes = []string{"/etc/my.cnf", "/etc/mysql/"}

// Survey fills the databases of kind mysql/mariadb and the mysql coverage.
func (Surveyor) Survey(in *kit.Input) {
	srvVer, cliVer, ddItem := in.Cmd("mysqld-version"), in.Cmd("mysql-version"), in.Cmd("mysql-datadir")
	files, fileItems, problems := readOptionFiles(in)
	// The packages that install a server, across RHEL, Debian and vendor repositories.
	pkgs := presence.Packages(in.Snap, distro.ServerPackages("mysql")...)

	var dd *Datadir
	ddReadable := false
	if ddItem != nil && len(ddItem.Data) > 0 && (ddItem.Status == evidence.StatusOK || ddItem.Status == evidence.StatusTimeout || ddItem.Status == evidence.StatusCut) {
		d, err := ParseDatadir(ddItem.Text())
		if err != nil {
			problems = append(problems, "the datadir listing: "+err.Error())
		}
		dd = &d
		ddReadable = len(d.Entries) > 0
	}
	ddMissing := ddItem.Status == evidence.StatusOK && ddItem.RC == 2
	// The directory is there when the probe listed it, or found it and could not
	// read it (RC 1: mode 700 for mysql).
	ddThere := ddReadable || ddItem.Status == evidence.StatusOK && ddItem.RC == 1 && dd != nil && dd.Path != ""
	ddPath := "/var/lib/mysql"
	if dd != nil && dd.Path != "" {
		ddPath = dd.Path
	}

	// my.cnf is every MySQL client library's too (mysql-libs on EL6, mariadb-libs
	// on EL7 ship one): it keeps absence unproven, but proves no server.
	found := presence.Decide(in, presence.Spec{
		Role: "mysql", Name: "a MySQL or MariaDB server",
		Programs:      []*evidence.Item{srvVer},
		SharedConfigs: []*evidence.Item{in.File("/etc/my.cnf"), in.File("/etc/mysql/my.cnf")},
		Data:          []presence.Clue{presence.DataClue(ddItem, ddPath, ddThere, ddMissing)},
	})
	if found.Cover(in, snapshot.SectionMySQL) {
		return
	}

	db := snapshot.Database{Kind: "mysql", Port: 3306, Datadir: "/var/lib/mysql", Presence: found.Presence()}
	cite := []*evidence.Item{}
	if v, k := ParseVersion(srvVer.Text()); v != "" && kit.Usable(srvVer) {
		db.Version, db.Kind, db.VersionSource = v, k, srvVer.Source()
		cite = append(cite, srvVer)
	} else if v, src := found.Version(in); v != "" {
		db.Version, db.VersionSource = v, src
		if strings.Contains(strings.ToLower(v+src), "mariadb") {
			db.Kind = "mariadb"
		}
	} else if v, k := ParseVersion(cliVer.Text()); v != "" && kit.Usable(cliVer) {
		// The client's version is the server's where both come from one package
		// set, the common case; the source says it is the client's.
		db.Version, db.Kind, db.VersionSource = v, k, cliVer.Source()+" (the client's)"
		cite = append(cite, cliVer)
	}
	if db.Version == "" {
		problems = append(problems, "version unknown: "+kit.Explain(srvVer)+"; no package, /usr/share/doc directory or version file names it")
	} else if db.VersionSource != srvVer.Source() && !in.Offline() {
		problems = append(problems, "the version is from "+db.VersionSource+": mysqld --version could not be used ("+srvVer.Problem()+")")
	}
	if len(pkgs) > 0 && distro.ServerFlavor(pkgs[0].Name) == "mariadb" {
		db.Kind = "mariadb"
	}

	launch, notes := serverLaunch(in)
	problems = append(problems, notes...)
	if it := in.Cmd("mysqld-launch"); launch != nil && kit.Usable(it) {
		for _, c := range logs.SplitChunks(it.Text(), false) {
			p := c.Path
			if _, ok := files[p]; !ok && isLaunchFile(launch, p) {
				f, err := ParseOptionFile(p, c.Text)
				if err != nil {
					problems = append(problems, p+": "+err.Error())
				}
				files[p], fileItems[p] = f, it
			}
		}
	}
	roots := launch.OptionFiles()
	for _, r := range roots {
		if _, ok := files[r]; ok {
			continue
		}
		switch {
		case !path.IsAbs(r):
			problems = append(problems, "the server reads "+r+" ("+launch.Where+"), relative to a directory trowel does not know: its settings are unknown but for the command line's")
		case launch != nil && (r == launch.DefaultsFile || r == launch.ExtraFile):
			problems = append(problems, "the server reads "+r+" ("+launch.Where+"), which was not collected: its settings are unknown but for the command line's")
		}
	}
	if launch == nil && len(files) > 0 {
		problems = append(problems, "no running server, unit or init script names the option files the server reads: those of the compiled-in list ("+strings.Join(Roots, ", ")+") are taken")
	}
	merged := Merge(files, roots)
	eff := ServerSettings(merged, MajorMinor(db.Version), launch)
	for _, p := range merged.Read {
		db.Configs = append(db.Configs, p)
		cite = append(cite, fileItems[p])
	}
	for _, inc := range merged.Unfollowed {
		problems = append(problems, "the include "+inc.Target+" at "+inc.File+":"+strconv.Itoa(inc.Line)+" is outside the collected places and was not read")
	}
	for _, o := range eff.Settings {
		db.Settings = append(db.Settings, snapshot.Setting{Key: o.Key, Value: o.Value, Source: o.Source(), CommandLine: o.Origin != ""})
	}
	if o, ok := eff.Get("bind-address"); ok {
		db.Bind = o.Value
	}
	if _, ok := eff.Get("skip-networking"); ok {
		db.Bind = ""
		db.Port = 0
	} else if o, ok := eff.Get("port"); ok {
		if p, err := strconv.Atoi(o.Value); err == nil && p > 0 && p < 65536 {
			db.Port = p
		}
	}
	if o, ok := eff.Get("datadir"); ok && o.Value != "" {
		db.Datadir = strings.TrimSuffix(o.Value, "/")
	}
	if o, ok := eff.Get("socket"); ok {
		db.Socket = o.Value
	}

	switch {
	case dd != nil && ddReadable:
		cite = append(cite, ddItem)
		for _, s := range dd.Schemas() {
			sc := snapshot.DatabaseSchema{Name: s.Name, System: s.System, Bytes: kit.KiB(s.KB), ApparentBytes: s.Apparent}
			db.Databases = append(db.Databases, sc)
		}
		sort.Slice(db.Databases, func(i, j int) bool { return db.Databases[i].Name < db.Databases[j].Name })
		db.DatadirBytes, db.DatadirApparentBytes = kit.KiB(dd.TotalKB), dd.TotalApparent
		if st, why := kit.StatusOf(ddItem); st != snapshot.Collected {
			problems = append(problems, "database sizes are incomplete: "+why)
		}
		if dd.Path != "" && dd.Path != db.Datadir {
			problems = append(problems, "the probe listed "+dd.Path+" but the merged configuration names "+db.Datadir)
		} else {
			db.DatadirReal = dd.Real
		}
	default:
		_, why := kit.StatusOf(ddItem)
		problems = append(problems, "the databases are unknown: the datadir could not be listed ("+why+")")
		dd = nil
	}
	db.Role, db.RoleBasis = Role(eff, dd)
	db.Service = presence.Service(in.Snap, "mariadb", "mysql", "mysqld")
	for _, it := range cite {
		db.Evidence = append(db.Evidence, in.Cite(it))
	}
	if len(merged.Read) == 0 {
		problems = append(problems, "no option file was read: settings are the compiled defaults as far as trowel knows")
	}
	in.Snap.Middleware.Databases = append(in.Snap.Middleware.Databases, db)
	if len(problems) == 0 {
		in.Cover(snapshot.SectionMySQL, snapshot.Collected, "", cite...)
		return
	}
	in.Cover(snapshot.SectionMySQL, snapshot.Partial, strings.Join(problems, "; "), cite...)
}

// serverLaunch is the running server's command line or, with none running, the
// one its unit or init script starts it with; nil when neither says.
func serverLaunch(in *kit.Input) (*Launch, []string) {
	if l, n := RunningLaunch(in.Snap.Processes); l != nil {
		if n > 1 {
			return l, []string{strconv.Itoa(n) + " servers run: the settings are those of " + l.Where}
		}
		return l, nil
	}
	for _, p := range probe.MySQLStartScripts {
		if it := in.File(p); it != nil && kit.Usable(it) {
			if l, ok := ScriptLaunch(it); ok {
				return &l, nil
			}
		}
	}
	return nil, nil
}

// isLaunchFile reports whether the command line names p as an option file.
func isLaunchFile(l *Launch, p string) bool {
	return p != "" && (p == l.DefaultsFile || p == l.ExtraFile)
}

// readOptionFiles parses every collected option file.
func readOptionFiles(in *kit.Input) (Files, map[string]*evidence.Item, []string) {
	files := Files{}
	items := map[string]*evidence.Item{}
	var problems []string
	for _, it := range in.Archive.Items {
		if it.Kind != evidence.KindFile || !isOptionFile(it.Name) {
			continue
		}
		if !kit.Usable(it) {
			if it.Status == evidence.StatusDenied || it.Status == evidence.StatusTimeout {
				problems = append(problems, it.Name+": "+it.Problem())
			}
			continue
		}
		f, err := ParseOptionFile(it.Name, it.Text())
		if err != nil {
			problems = append(problems, it.Name+": "+err.Error())
		}
		files[it.Name] = f
		items[it.Name] = it
	}
	return files, items, problems
}

func isOptionFile(p string) bool {
	if p == "/etc/mysql/debian.cnf" {
		return false
	}
	for _, pre := range configPrefixes {
		if strings.HasPrefix(p, pre) && (p == "/etc/my.cnf" || strings.HasSuffix(p, ".cnf")) {
			return true
		}
	}
	return false
}
