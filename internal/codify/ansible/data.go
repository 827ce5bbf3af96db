package ansible

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// dataSweep lists what Ansible does not build but moves: each database by a dump,
// each data directory and application tree by rsync (twice: ahead, and at
// cutover), with its size and how long it takes at the stated link speed; the
// software outside any package, to be copied or installed again; the containers, to be recreated.
func (b *builder) dataSweep() {
	s := b.s
	for _, db := range s.Middleware.Databases {
		for _, sc := range db.Databases {
			if sc.System {
				continue
			}
			id := ledger.ID(ledger.KindData, ledger.SchemaKey(db, sc.Name))
			sz, took := "size unknown", "unknown (size not measured)"
			if sc.Bytes != nil {
				sz, took = size(*sc.Bytes)+" on disk", estimate(*sc.Bytes)
			}
			how := fmt.Sprintf("`mysqldump --single-transaction --routines --triggers %s | gzip > %s.sql.gz` on the source, copy it, then `zcat %s.sql.gz | mysql %s` on the new server once the database role has run", sc.Name, sc.Name, sc.Name, sc.Name)
			if db.Kind == "postgresql" {
				how = fmt.Sprintf("`pg_dump -Fc %s > %s.dump` on the source, copy it, then `pg_restore -d %s %s.dump` on the new server once the database role has run", sc.Name, sc.Name, sc.Name, sc.Name)
			}
			b.moves(TodoItem{Title: fmt.Sprintf("Database %s (%s %s)", sc.Name, db.Kind, db.Version),
				Detail: fmt.Sprintf("%s, %s. Move it with %s. For a short cutover window, set up replication from the source ahead and switch over instead. Stop the application's writes before the final dump.", sz, took, how),
				Facts:  db.Evidence}, how, took, id)
		}
	}
	dbDirs := map[string]bool{}
	for _, db := range s.Middleware.Databases {
		for _, d := range []string{db.Datadir, db.DatadirReal} {
			if d != "" {
				dbDirs[strings.TrimSuffix(d, "/")] = true
			}
		}
	}
	apps := map[string]bool{}
	for _, a := range s.Middleware.Apps {
		apps[a.Path] = true
	}
	for _, d := range s.Storage.DataDirs {
		id := ledger.ID(ledger.KindData, d.Path)
		p := strings.TrimSuffix(d.Path, "/")
		switch {
		case d.Purpose == "MySQL/MariaDB data" || d.Purpose == "PostgreSQL data" || dbDirs[p]:
			b.book.Move(id, "as the dumps of its databases (the data entries of each), never as files: the new server's database writes its own files", "see its databases")
			continue
		case d.Bytes != nil && *d.Bytes <= 4096:
			b.book.Leave(id, ledger.Empty, "an empty directory")
			continue
		}
		sz, took := "size unknown", "unknown (size not measured)"
		if d.Bytes != nil {
			sz, took = size(*d.Bytes), estimate(*d.Bytes)
		}
		how := fmt.Sprintf("`rsync -aHAX --numeric-ids%s %s/ newhost:%s/`, once ahead and again at cutover (the accounts role keeps the uids, so numeric owners stay right)%s", excludes(p, dbDirs), p, p, excludedWhy(p, dbDirs))
		b.moves(TodoItem{Title: fmt.Sprintf("%s (%s)", d.Path, d.Purpose),
			Detail: fmt.Sprintf("%s, %s. Copy with %s.", sz, took, how), Facts: []string{d.Evidence}}, how, took, id)
	}
	for _, a := range s.Middleware.Apps {
		id := ledger.ID(ledger.KindApplication, a.Path)
		f, _ := b.book.Fact(id)
		sz, took := "size unknown", "unknown (size not measured)"
		if f.Bytes != nil {
			sz, took = size(*f.Bytes), estimate(*f.Bytes)
		}
		owner := "the owner it has on the source"
		if u := b.serviceUser(a.Service); u != "" {
			owner = u
		}
		tree := strings.TrimSuffix(a.Path, "/")
		how := fmt.Sprintf("`rsync -aHAX --numeric-ids%s %s/ newhost:%s/` (the whole tree: code, configuration, attachments and uploads), once ahead and again at cutover; it stays owned by %s%s", excludes(tree, dbDirs), tree, tree, owner, excludedWhy(tree, dbDirs))
		name := cmpOr(a.Name, a.Kind+" application")
		var settings []string
		for _, st := range a.Settings {
			settings = append(settings, st.Key+"="+st.Value)
		}
		detail := fmt.Sprintf("%s, %s: %s, deployed outside any package on %s. Copy it with %s. Its runtime comes from the target's packages (the roles install it); rebuild what its dependencies compiled (%s) on the new host. Its secrets (database passwords) are not in the snapshot.",
			sz, took, name, cmpOr(a.Runtime, "an unknown runtime"), how, cmpOr(strings.Join(a.Gems, ", "), "none listed"))
		if len(settings) > 0 {
			detail += " Its settings: " + strings.Join(settings, ", ") + "."
		}
		b.moves(TodoItem{Title: fmt.Sprintf("Application %s at %s", name, a.Path), Detail: detail,
			Findings: b.findingKeys("eol.middleware"), Facts: a.Evidence}, how, took, id)
	}
	for _, u := range s.Files.Unmanaged {
		id := ledger.ID(ledger.KindSoftware, u.Path)
		if _, given := b.book.Given(id); given {
			continue
		}
		if inApp := b.appHolding(u.Path); inApp != "" {
			b.book.Move(id, "with the application tree "+inApp, "with it")
			continue
		}
		detail := fmt.Sprintf("%d files, %s, no package owns them. Copy what is still needed (and keep it under version control).", u.Files, size(u.Bytes))
		if len(u.Software) > 0 {
			again, carried := b.softwareTodo(u.Software)
			if again == "" {
				b.book.Carry(id, "fluentd", carried)
				continue
			}
			detail = fmt.Sprintf("%d files, %s, no package owns them. %s", u.Files, size(u.Bytes), strings.TrimSpace(again+" "+carried))
		}
		if progs := b.programsIn(u.Path); len(progs) > 0 {
			detail += " Not to copy: " + strings.Join(progs, "; ") + ", installed with their software (its own item)."
		}
		b.todo(TodoItem{Section: "Software", Title: fmt.Sprintf("%s (%s)", u.Path, u.What),
			Detail: detail, Facts: u.Evidence}, id)
	}
	for _, c := range s.Middleware.Containers {
		b.todo(TodoItem{Section: "Not translated", Title: "Container " + cmpOr(c.Name, c.ID),
			Detail: fmt.Sprintf("A container of %s (%s, restart policy %s). Containers are not carried: recreate it from its image with its ports (%s) and volumes (%s).",
				c.Image, c.State, cmpOr(c.RestartPolicy, "none"), strings.Join(c.Ports, ", "), strings.Join(c.Mounts, ", ")), Facts: c.Evidence},
			ledger.ID(ledger.KindContainer, cmpOr(c.Name, c.ID)))
	}
}

// inside are the database datadirs under tree, relative to it: copying a live
// datadir as files gives a corrupt database, so a copy of the tree leaves them out.
func inside(tree string, dbDirs map[string]bool) []string {
	var out []string
	for d := range dbDirs {
		if rel, ok := strings.CutPrefix(d, tree+"/"); ok {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

// excludes are rsync's options leaving the datadirs under tree out of its copy.
func excludes(tree string, dbDirs map[string]bool) string {
	var b strings.Builder
	for _, rel := range inside(tree, dbDirs) {
		fmt.Fprintf(&b, " --exclude=/%s/", rel)
	}
	return b.String()
}

// excludedWhy says why the copy leaves the datadirs out, and how they move.
func excludedWhy(tree string, dbDirs map[string]bool) string {
	rel := inside(tree, dbDirs)
	if len(rel) == 0 {
		return ""
	}
	return fmt.Sprintf("; it leaves out %s/%s, a running database's files, which move by the dump of each of its databases instead (a copy of a live datadir is a corrupt database)",
		tree, strings.Join(rel, ", "+tree+"/"))
}

// appHolding is the application tree that holds p, or "".
func (b *builder) appHolding(p string) string {
	for _, a := range b.s.Middleware.Apps {
		if p == a.Path || strings.HasPrefix(p, strings.TrimSuffix(a.Path, "/")+"/") || strings.HasPrefix(a.Path, strings.TrimSuffix(p, "/")+"/") {
			return a.Path
		}
	}
	return ""
}

// serviceUser is the account a service ran as, "" when unknown.
func (b *builder) serviceUser(name string) string {
	if sv, ok := b.serviceOf(name); ok && sv.User != "" {
		return sv.User
	}
	return ""
}

// softwareOrigin is how one piece of software came onto the source: "fluentd
// 1.16.5 by gem install (/var/lib/gems/2.7.0/gems/fluentd-1.16.5)".
func softwareOrigin(s snapshot.Software) string {
	how := map[string]string{"gem": "by gem install", "pip": "by pip install", "npm": "by npm install -g",
		"source": "built from source", "tarball": "unpacked from a release"}[s.Installer]
	return strings.TrimSpace(s.Label()+" "+cmpOr(how, "by "+s.Installer)) + " (" + s.Path + ")"
}

// softwareTodo says what to do on the new host with each piece of software a tree
// holds: what is to be installed again the same way (again), and what a role
// carries (carried); again is "" when the roles carry all of it.
func (b *builder) softwareTodo(sw []snapshot.Software) (again, carried string) {
	var carry, install []string
	for _, s := range sw {
		if fluentdNames[s.Name] && b.shipperNamed(s.Name) && b.hasRole("fluentd") {
			carry = append(carry, softwareOrigin(s)+": the fluentd role installs the target's package of it")
			continue
		}
		line := softwareOrigin(s)
		if len(s.Programs) > 0 {
			line += ", its commands " + strings.Join(s.Programs, ", ")
		}
		install = append(install, line)
	}
	if len(install) > 0 {
		again = "Not carried: install again on the new host, the same version the same way or the target's package of it (a build from source is rebuilt, its tree is not copied): " + strings.Join(install, "; ") + "."
	}
	if len(carry) > 0 {
		carried = "Carried: " + strings.Join(carry, "; ") + "."
	}
	return again, carried
}

// programsIn are the commands under dir that software held elsewhere put there:
// "/usr/local/bin/lua of lua 5.4.2".
func (b *builder) programsIn(dir string) []string {
	var out []string
	for _, u := range b.s.Files.Unmanaged {
		if u.Path == dir {
			continue
		}
		for _, s := range u.Software {
			for _, p := range s.Programs {
				if strings.HasPrefix(p, strings.TrimSuffix(dir, "/")+"/") {
					out = append(out, p+" of "+s.Label())
				}
			}
		}
	}
	return out
}

// hasRole says whether the project has a role of that name.
func (b *builder) hasRole(name string) bool {
	for _, r := range b.p.Roles {
		if r.Name == name {
			return true
		}
	}
	return false
}

// programOf is the software outside the package manager that put the command p
// on PATH, if the survey named it.
func (b *builder) programOf(p string) *snapshot.Software {
	for _, u := range b.s.Files.Unmanaged {
		for i, s := range u.Software {
			if slices.Contains(s.Programs, p) {
				return &u.Software[i]
			}
		}
	}
	return nil
}

// shipperNamed says whether a log shipper of that name is on the source.
func (b *builder) shipperNamed(name string) bool {
	for _, sh := range b.s.Logs.Shippers {
		if sh.Name == name {
			return true
		}
	}
	return false
}
