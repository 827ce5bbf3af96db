// Package backups surveys the evidence that the host's data is copied somewhere:
// scheduled jobs (and the scripts they run) that call backup tools, backup agents
// installed or running, and backup files on disk. Found=false is the "no backup
// found" verdict only when cron, the job scripts and the backup places were all
// read; otherwise coverage says what could not be looked at.
package backups

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/logs"
)

// Surveyor fills Backups and the backups coverage.
type Surveyor struct{}

// New returns the backups surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "backups" }

// agents are backup software by package, service or process name.
var agents = []string{
	"bacula-fd", "bacula-client", "bareos-fd", "bareos-filedaemon", "amanda-client", "amanda-backup_client", "amandad",
	"backuppc", "veeam", "veeamservice", "arcserve", "uagent", "lgtoclnt", "nsrexecd", "TIVsm-BA", "dsmc", "dsmcad",
	"commvault", "cvd", "acronis", "acronis_agent", "urbackup-client", "urbackupclientbackend", "rsnapshot",
	"automysqlbackup", "borgmatic", "backupninja", "backup-manager", "holland", "duplicity", "restic", "borgbackup",
}

// distroHousekeeping are the distribution's own cron scripts that tar or copy its
// package state into /var/backups: not a backup of the host's data.
var distroHousekeeping = map[string]bool{
	"/etc/cron.daily/dpkg": true, "/etc/cron.daily/passwd": true, "/etc/cron.daily/aptitude": true,
	"/etc/cron.daily/standard": true,
}

// housekeeping are files Debian's own cron jobs keep in /var/backups: not a backup
// of the host's data.
func housekeeping(p string) bool {
	if path.Dir(p) != "/var/backups" {
		return false
	}
	b := path.Base(p)
	for _, pre := range []string{"dpkg.", "apt.extended_states", "alternatives.tar", "passwd.", "group.", "shadow.", "gshadow.", "infodir.bak", "aptitude.pkgstates"} {
		if strings.HasPrefix(b, pre) {
			return true
		}
	}
	return false
}

// Survey reads cron jobs, job scripts, packages, services, processes and the backup
// file listing.
func (Surveyor) Survey(in *kit.Input) {
	b := &in.Snap.Backups
	b.Items = []snapshot.BackupTrace{}
	var problems []string

	scriptsItem := in.Cmd("cron-scripts")
	var chunks []logs.Chunk
	if kit.Usable(scriptsItem) {
		chunks = logs.SplitChunks(scriptsItem.Text(), false)
	} else {
		problems = append(problems, "the scripts cron jobs run: "+kit.Explain(scriptsItem))
	}
	if hasDenied(scriptsItem) {
		problems = append(problems, "some crontabs could not be read: "+firstLine(scriptsItem.Stderr))
	}
	scriptJob := map[string]string{} // script path -> the job running it
	for _, j := range in.Snap.CronJobs {
		src := jobSource(j)
		for _, u := range ParseCommands(j.Command) {
			add(in, u, src, j.Evidence)
		}
		for _, ch := range chunks {
			if _, seen := scriptJob[ch.Path]; !seen && (contains(j.Scripts, ch.Path) || strings.Contains(j.Command, ch.Path)) {
				scriptJob[ch.Path] = src
			}
		}
	}
	if len(chunks) > 0 {
		id := in.Cite(scriptsItem)
		for _, ch := range chunks {
			if distroHousekeeping[ch.Path] {
				continue
			}
			job := scriptJob[ch.Path]
			for _, u := range ParseCommands(ch.Text) {
				tr := trace(u, job, id)
				tr.What = strings.TrimSpace(tr.What + " (" + fmt.Sprintf("%s:%d", ch.Path, u.Line) + ")")
				if job == "" {
					tr.Job = fmt.Sprintf("%s:%d", ch.Path, u.Line)
				}
				b.Items = append(b.Items, tr)
			}
		}
	}

	// Agents: by package, service or process.
	for _, p := range in.Snap.Packages {
		if containsFold(agents, p.Name) {
			b.Items = append(b.Items, snapshot.BackupTrace{Kind: "agent", Tool: p.Name, Evidence: []string{p.Evidence}})
		}
	}
	for _, s := range in.Snap.Services {
		if containsFold(agents, strings.TrimSuffix(s.Name, ".service")) {
			b.Items = append(b.Items, snapshot.BackupTrace{Kind: "agent", Tool: s.Name, Evidence: nonEmpty(s.Evidence)})
		}
	}
	for _, p := range in.Snap.Processes {
		if containsFold(agents, p.Comm) {
			b.Items = append(b.Items, snapshot.BackupTrace{Kind: "agent", Tool: p.Comm, What: "running (pid " + fmt.Sprint(p.PID) + ")", Evidence: []string{p.Evidence}})
		}
	}

	// Backup files on disk, one trace per directory.
	files := in.Cmd("backup-files")
	if kit.Usable(files) {
		stats, _ := logs.ParseFileStats(files.Text())
		id := in.Cite(files)
		type agg struct {
			bytes  int64
			latest time.Time
		}
		dirs := map[string]*agg{}
		for _, s := range stats {
			if housekeeping(s.Path) {
				continue
			}
			d := path.Dir(s.Path)
			a := dirs[d]
			if a == nil {
				a = &agg{}
				dirs[d] = a
			}
			a.bytes += s.Bytes
			if s.Modified.After(a.latest) {
				a.latest = s.Modified
			}
		}
		var names []string
		for d := range dirs {
			names = append(names, d)
		}
		sort.Strings(names)
		for _, d := range names {
			a := dirs[d]
			lt := a.latest
			b.Items = append(b.Items, snapshot.BackupTrace{Kind: "dump", Where: d, OffHost: onNetwork(in, d), Latest: &lt, Bytes: a.bytes, Evidence: []string{id}})
			// The job writing there gets its latest result.
			for i := range b.Items {
				it := &b.Items[i]
				if it.Kind == "job" && it.Where != "" && (path.Dir(it.Where) == d || it.Where == d) && (it.Latest == nil || lt.After(*it.Latest)) {
					it.Latest = &lt
				}
			}
		}
		if hasDenied(files) {
			problems = append(problems, "some backup places could not be read: "+firstLine(files.Stderr))
		}
	} else {
		problems = append(problems, "the backup places (/var/backups, /backup ...): "+kit.Explain(files))
	}
	for i := range b.Items {
		it := &b.Items[i]
		if !it.OffHost && it.Where != "" && strings.HasPrefix(it.Where, "/") && onNetwork(in, it.Where) {
			it.OffHost = true
		}
	}
	b.Found = len(b.Items) > 0

	cron := in.Snap.Coverage[snapshot.SectionCron]
	if cron.Status != snapshot.Collected {
		reason := cron.Reason
		if cron.Status == "" {
			reason = "no cron survey"
		}
		problems = append(problems, "cron jobs: "+string(orStatus(cron.Status))+" "+reason)
	}
	st := snapshot.Collected
	switch {
	case len(problems) == 0:
	case b.Found:
		st = snapshot.Partial
	default:
		st = snapshot.Partial
		if !kit.Usable(scriptsItem) && !kit.Usable(files) {
			st, _ = kit.Worst(scriptsItem, files)
		}
	}
	in.Cover(snapshot.SectionBackups, st, strings.Join(problems, "; "), scriptsItem, files)
}

func add(in *kit.Input, u Use, job, ev string) {
	in.Snap.Backups.Items = append(in.Snap.Backups.Items, trace(u, job, ev))
}

func trace(u Use, job, ev string) snapshot.BackupTrace {
	return snapshot.BackupTrace{Kind: "job", Tool: u.Tool, What: u.What, Where: u.Where, OffHost: u.OffHost, Job: job, Evidence: nonEmpty([]string{ev})}
}

func jobSource(j snapshot.CronJob) string {
	if j.Line > 0 {
		return fmt.Sprintf("%s:%d", j.Source, j.Line)
	}
	return j.Source
}

// onNetwork reports whether p is on a network filesystem the storage survey found
// mounted: a copy there leaves the host.
func onNetwork(in *kit.Input, p string) bool {
	for _, m := range in.Snap.Storage.Mounts {
		if m.Network && (p == m.MountPoint || strings.HasPrefix(p, strings.TrimSuffix(m.MountPoint, "/")+"/")) {
			return true
		}
	}
	return false
}

func hasDenied(it *evidence.Item) bool {
	return it != nil && strings.Contains(strings.ToLower(string(it.Stderr)), "permission denied")
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

func orStatus(s snapshot.Status) snapshot.Status {
	if s == "" {
		return snapshot.Unavailable
	}
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func nonEmpty(ss []string) []string {
	out := []string{}
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
