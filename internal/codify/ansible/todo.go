package ansible

import (
	"fmt"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// transferRate is the link speed transfer estimates assume: 100 Mbit/s, what a
// migration between sites or an old server's NIC usually gets in practice.
const transferRate = 100e6 / 8 // bytes per second

func estimate(bytes int64) string {
	d := time.Duration(float64(bytes) / transferRate * float64(time.Second))
	if d < time.Minute {
		return "under a minute at 100 Mbit/s"
	}
	return fmt.Sprintf("about %s at 100 Mbit/s", d.Round(time.Minute))
}

func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// todos lists what Ansible does not do: the data to move, the software to copy,
// and every finding a migration must settle; and finishes the variables that
// depend on all roles.
func (b *builder) todos() {
	s := b.s
	if len(b.restartOnZone) > 0 {
		b.p.setVar("base_time_sensitive_services", toL(b.restartOnZone), "daemons restarted when the time zone changes: they read it once, at start (on the source, crond kept the old zone)")
	}

	// Data: databases by dump, directories by rsync.
	for _, db := range s.Middleware.Databases {
		for _, sc := range db.Databases {
			if sc.System {
				continue
			}
			sz := "size unknown"
			if sc.Bytes != nil {
				sz = size(*sc.Bytes) + " on disk, " + estimate(*sc.Bytes)
			}
			how := fmt.Sprintf("`mysqldump --single-transaction --routines --triggers %s | gzip` on the source, copy, then `zcat dump.sql.gz | mysql %s` on the new server, after the database role ran", sc.Name, sc.Name)
			if db.Kind == "postgresql" {
				how = fmt.Sprintf("`pg_dump -Fc %s` on the source, then `pg_restore -d %s` on the new server", sc.Name, sc.Name)
			}
			b.p.todo(TodoItem{Section: "Data", Title: fmt.Sprintf("Database %s (%s %s)", sc.Name, db.Kind, db.Version),
				Detail: fmt.Sprintf("%s. Move it with %s. Stop the application's writes first for a consistent cutover.", sz, how),
				Facts:  db.Evidence})
		}
	}
	for _, d := range s.Storage.DataDirs {
		if d.Purpose == "MySQL/MariaDB data" || d.Purpose == "PostgreSQL data" {
			continue // moved by dump above
		}
		sz := "size unknown"
		if d.Bytes != nil {
			if *d.Bytes <= 4096 {
				continue // an empty directory
			}
			sz = size(*d.Bytes) + ", " + estimate(*d.Bytes)
		}
		b.p.todo(TodoItem{Section: "Data", Title: fmt.Sprintf("%s (%s)", d.Path, d.Purpose),
			Detail: fmt.Sprintf("%s. Copy with `rsync -aHAX --numeric-ids %s/ newhost:%s/` (the accounts role keeps the uids, so numeric owners stay right); run it once ahead and again at cutover.", sz, strings.TrimSuffix(d.Path, "/"), strings.TrimSuffix(d.Path, "/")),
			Facts:  []string{d.Evidence}})
	}
	for _, a := range s.Middleware.Apps {
		name := a.Name
		if name == "" {
			name = a.Kind + " application"
		}
		runtime := a.Runtime
		if runtime == "" {
			runtime = "an unknown runtime"
		}
		var settings []string
		for _, st := range a.Settings {
			settings = append(settings, st.Key+"="+st.Value)
		}
		b.p.todo(TodoItem{Section: "Software", Title: fmt.Sprintf("Application %s at %s", name, a.Path),
			Detail: fmt.Sprintf("Deployed from outside any package, on %s (%s). Deploy it with its own tooling on the target's runtime (a %s application's dependencies are rebuilt, not copied); its settings: %s. Its secrets (database passwords) are not in the snapshot.",
				runtime, strings.Join(a.Gems, ", "), a.Kind, strings.Join(settings, ", ")),
			Findings: b.findingKeys("eol.middleware"), Facts: a.Evidence})
	}
	for _, u := range s.Files.Unmanaged {
		b.p.todo(TodoItem{Section: "Software", Title: fmt.Sprintf("%s (%s)", u.Path, u.What),
			Detail: fmt.Sprintf("%d files, %s, no package owns them. Copy what is still needed (and keep it under version control).", u.Files, size(u.Bytes)),
			Facts:  u.Evidence})
	}
	for _, c := range s.Files.Configs {
		if c.ContentNote == "secret" {
			b.p.todo(TodoItem{Section: "Secrets", Title: c.Path,
				Detail: "A secret file the survey never read. Supply it through the vault (see group_vars/all/vault.yml) or issue a new one.", Facts: c.Evidence})
		}
	}
	if len(b.p.Vault) > 0 {
		var names []string
		for _, v := range b.p.Vault {
			names = append(names, "`"+v.Name+"`")
		}
		b.p.todo(TodoItem{Section: "Secrets", Title: "Fill in the vault",
			Detail: "group_vars/all/vault.yml holds TODO values for " + strings.Join(names, ", ") + ". Put the real values in and encrypt it: `ansible-vault encrypt group_vars/all/vault.yml`. site.yml refuses to run while a TODO is left."})
	}

	b.answerChecks()

	// Findings: everything analyze raised, with its remediation, so the list is
	// the one place to work from.
	for _, f := range b.in.Findings {
		if strings.HasPrefix(f.Key, "coverage.") || b.told[f.ID()] {
			continue
		}
		title := f.Title
		if f.Subject != "" && !strings.Contains(title, f.Subject) {
			title += " (" + f.Subject + ")"
		}
		b.p.todo(TodoItem{Section: "Findings", Title: title, Detail: strings.TrimSpace(f.Summary + " " + f.Remediation.Hint), Findings: []string{f.Key}, Facts: f.Facts})
	}
	for _, sec := range snapshot.Sections {
		c, ok := s.Coverage[sec]
		if !ok || c.Status == snapshot.Collected || c.Status == snapshot.NotApplicable {
			continue
		}
		b.p.todo(TodoItem{Section: "Not surveyed", Title: string(sec) + ": " + string(c.Status),
			Detail: "What the project carries for this part is incomplete: " + c.Reason, Findings: []string{"coverage.gap"}, Facts: c.Evidence})
	}
}
