// Package storage surveys where the data lives: mounted filesystems and their use,
// /etc/fstab (commented-out entries included), LVM volumes, software RAID, and the
// size of the usual data directories, so a migration can plan the transfer.
//
// Network filesystems are marked and never measured: df and du on a hung NFS mount
// hang, so the probe leaves them out (df -l, and _net_du skips them).
package storage

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills Storage and the storage coverage.
type Surveyor struct{}

// New returns the storage surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "storage" }

type cover struct {
	status snapshot.Status
	notes  []string
	used   []*evidence.Item
}

func (c *cover) add(st snapshot.Status, why string) {
	c.status = kit.WorseOf(c.status, st)
	if why != "" {
		c.notes = append(c.notes, why)
	}
}

// Survey reads the storage evidence.
func (Surveyor) Survey(in *kit.Input) {
	st := &in.Snap.Storage
	st.Mounts = []snapshot.Mount{}
	c := &cover{status: snapshot.Collected}

	mountsIt, dfIt := in.File("/proc/mounts"), in.Cmd("df")
	mounted := map[string]bool{}
	mountsKnown := false
	if kit.Usable(mountsIt) && !in.Offline() {
		lines, err := ParseMounts(mountsIt.Text())
		if err != nil {
			c.add(snapshot.Partial, "/proc/mounts: "+err.Error())
		}
		mountsKnown = true
		c.used = append(c.used, mountsIt)
		usage := map[string]DfLine{}
		dfID := ""
		if kit.Usable(dfIt) {
			dfs, err := ParseDf(dfIt.Text())
			if err != nil {
				c.add(snapshot.Partial, dfIt.Source()+": "+err.Error())
			}
			for _, d := range dfs {
				usage[d.MountPoint] = d
			}
			dfID = in.Cite(dfIt)
		} else if dfIt.Status != evidence.StatusAbsent {
			s, _ := kit.StatusOf(dfIt)
			c.add(partialUnless(s), "usage: "+kit.Explain(dfIt))
		}
		c.used = append(c.used, dfIt)
		id := in.Cite(mountsIt)
		for _, m := range lines {
			mounted[m.MountPoint] = true
			if IsPseudo(m.FSType) {
				continue
			}
			sm := snapshot.Mount{Device: m.Device, MountPoint: m.MountPoint, FSType: m.FSType, Options: m.Options, Network: IsNetwork(m.FSType), Evidence: []string{id}}
			if d, ok := usage[m.MountPoint]; ok && !sm.Network {
				size, used := d.SizeKiB*1024, d.UsedKiB*1024
				sm.SizeBytes, sm.UsedBytes = &size, &used
				if d.UsedPct >= 0 {
					sm.UsedPct = snapshot.Int(d.UsedPct)
				}
				sm.Evidence = append(sm.Evidence, dfID)
			}
			st.Mounts = append(st.Mounts, sm)
		}
	} else if in.Offline() {
		c.add(snapshot.Partial, "offline: nothing is mounted on a disk image; fstab says what would be")
	} else {
		s, _ := kit.StatusOf(mountsIt)
		c.add(partialUnless(s), "mounts: "+kit.Explain(mountsIt))
		c.used = append(c.used, mountsIt)
	}

	surveyFstab(in, c, mounted, mountsKnown)
	surveyVolumes(in, c)
	surveyDataDirs(in, c)
	surveyMailboxes(in, c)

	if len(st.Mounts) == 0 && len(st.Fstab) == 0 && len(st.Volumes) == 0 && len(st.DataDirs) == 0 && len(st.Mailboxes) == 0 && c.status == snapshot.Partial {
		// Nothing at all could be read: not partial, unknown.
		c.status = snapshot.Unavailable
	}
	in.Cover(snapshot.SectionStorage, c.status, strings.Join(c.notes, "; "), c.used...)
}

func surveyFstab(in *kit.Input, c *cover, mounted map[string]bool, known bool) {
	it := in.File("/etc/fstab")
	c.used = append(c.used, it)
	if !kit.Usable(it) {
		if it.Status != evidence.StatusAbsent {
			s, _ := kit.StatusOf(it)
			c.add(partialUnless(s), "/etc/fstab: "+kit.Explain(it))
		}
		return
	}
	lines, err := ParseFstab(it.Text())
	if err != nil {
		c.add(snapshot.Partial, "/etc/fstab: "+err.Error())
	}
	id := in.Cite(it)
	for _, m := range lines {
		e := snapshot.FstabEntry{Device: m.Device, MountPoint: m.MountPoint, FSType: m.FSType, Options: m.Options, Commented: m.Commented, Network: IsNetwork(m.FSType), Line: m.Line, Evidence: id}
		if known && m.MountPoint != "none" && m.MountPoint != "swap" {
			e.Mounted = snapshot.Bool(mounted[m.MountPoint])
		}
		in.Snap.Storage.Fstab = append(in.Snap.Storage.Fstab, e)
	}
}

func surveyVolumes(in *kit.Input, c *cover) {
	st := &in.Snap.Storage
	lvs := in.Cmd("lvs")
	switch {
	case kit.Usable(lvs):
		vols, err := ParseLvs(lvs.Text())
		if err != nil {
			c.add(snapshot.Partial, lvs.Source()+": "+err.Error())
		}
		id := in.Cite(lvs)
		for _, v := range vols {
			state := ""
			if len(v.Attr) > 4 {
				if v.Attr[4] == 'a' {
					state = "active"
				} else {
					state = "inactive"
				}
			}
			st.Volumes = append(st.Volumes, snapshot.Volume{Kind: "lvm", Name: v.Name, Group: v.VG, SizeBytes: v.SizeBytes, Devices: v.Devices, State: state, Evidence: id})
		}
		c.used = append(c.used, lvs)
	case lvs.Status == evidence.StatusAbsent:
		// LVM is not installed: no logical volumes.
	case lvs.Status == evidence.StatusSkipped:
		c.add(snapshot.Partial, "LVM volumes: lvs needs root")
		c.used = append(c.used, lvs)
	case lvs.Status == evidence.StatusOffline:
		c.add(snapshot.Partial, "offline: LVM volumes were not read")
	default:
		s, _ := kit.StatusOf(lvs)
		c.add(partialUnless(s), "LVM volumes: "+kit.Explain(lvs))
		c.used = append(c.used, lvs)
	}
	md := in.File("/proc/mdstat")
	if kit.Usable(md) && !in.Offline() {
		arrays, err := ParseMdstat(md.Text())
		if err != nil {
			c.add(snapshot.Partial, "/proc/mdstat: "+err.Error())
		}
		id := in.Cite(md)
		for _, a := range arrays {
			st.Volumes = append(st.Volumes, snapshot.Volume{Kind: "md", Name: a.Name, Group: a.Level, SizeBytes: a.SizeBytes, Devices: a.Devices, State: a.State, Evidence: id})
		}
		c.used = append(c.used, md)
	}
}

// dataDirs says what each measured directory holds and which services may own it,
// in order of preference.
var dataDirs = map[string]struct {
	purpose string
	owners  []string
}{
	"/var/lib/mysql":      {"MySQL/MariaDB data", []string{"mysqld", "mysql", "mariadb"}},
	"/var/lib/pgsql":      {"PostgreSQL data", []string{"postgresql"}},
	"/var/lib/postgresql": {"PostgreSQL data", []string{"postgresql"}},
	"/var/spool/mail":     {"local mailboxes", []string{"postfix", "sendmail", "exim4", "exim"}},
	"/var/mail":           {"local mailboxes", []string{"postfix", "sendmail", "exim4", "exim"}},
	"/var/spool/postfix":  {"Postfix mail queue", []string{"postfix"}},
	"/var/www":            {"web content", []string{"httpd", "apache2", "nginx", "lighttpd"}},
	"/srv":                {"site data", nil},
	"/var/backups":        {"local backups", nil},
	"/opt":                {"add-on software and its data", nil},
	"/home":               {"home directories", nil},
	"/var/lib/docker":     {"Docker images, containers and volumes", []string{"docker", "dockerd", "containerd"}},
}

func surveyDataDirs(in *kit.Input, c *cover) {
	it := in.Cmd("du-data")
	c.used = append(c.used, it)
	if it.Status == evidence.StatusAbsent {
		c.add(snapshot.Partial, "data directory sizes: du is not installed")
		return
	}
	if len(it.Data) == 0 && !kit.Usable(it) {
		s, _ := kit.StatusOf(it)
		c.add(partialUnless(s), "data directory sizes: "+kit.Explain(it))
		return
	}
	// A timeout keeps the lines du finished before it.
	lines, err := ParseDu(kit.CompleteLines(it))
	if err != nil {
		c.add(snapshot.Partial, it.Source()+": "+err.Error())
	}
	if it.Status == evidence.StatusTimeout {
		c.add(snapshot.Partial, "du ran out of time: the directories after the last one listed were not measured")
	} else if !kit.Usable(it) && it.RC != 0 {
		c.add(snapshot.Partial, "du: "+kit.Explain(it))
	}
	measured := map[string]bool{}
	for _, d := range lines {
		measured[d.Path] = true
	}
	apparent, appID := apparentSizes(in, c)
	id := in.Cite(it)
	for _, d := range lines {
		if d.Link != "" {
			t := d.Link
			if !strings.HasPrefix(t, "/") {
				t = path.Join(path.Dir(d.Path), t)
			}
			if measured[path.Clean(t)] {
				continue // /var/spool/mail -> /var/mail: measured once, under its real name
			}
		}
		info := dataDirs[d.Path]
		purpose := info.purpose
		if purpose == "" {
			purpose = "data"
		}
		if d.Network {
			purpose += " (on a network filesystem: not measured)"
		}
		if d.Partial {
			c.add(snapshot.Partial, d.Path+": du could not read everything below it; its size is a lower bound")
		}
		dd := snapshot.DataDir{Path: d.Path, Purpose: purpose, Bytes: kit.KiB(d.KiB), Owner: owner(in, info.owners), Evidence: id}
		if b, ok := apparent[d.Path]; ok && !d.Network {
			dd.ApparentBytes, dd.ApparentEvidence = &b, appID
		}
		in.Snap.Storage.DataDirs = append(in.Snap.Storage.DataDirs, dd)
	}
}

// apparentSizes reads the data directories' apparent sizes, and the ID of the item
// they came from; a directory it lacks has its allocated size only, and the
// coverage says why.
func apparentSizes(in *kit.Input, c *cover) (map[string]int64, string) {
	it := in.Cmd("du-apparent")
	if it.Status == evidence.StatusMissing {
		return nil, "" // an older probe: nothing to say beyond the sizes du gave
	}
	c.used = append(c.used, it)
	if len(it.Data) == 0 && !kit.Usable(it) {
		s, _ := kit.StatusOf(it)
		c.add(partialUnless(s), "apparent sizes of the data directories: "+kit.Explain(it))
		return nil, ""
	}
	lines, err := ParseDu(kit.CompleteLines(it))
	if err != nil {
		c.add(snapshot.Partial, it.Source()+": "+err.Error())
	}
	if it.Status == evidence.StatusTimeout {
		c.add(snapshot.Partial, "the apparent sizes ran out of time: the directories after the last one listed have their allocated size only")
	}
	sizes := map[string]int64{}
	for _, l := range lines {
		if l.KiB != nil && !l.Network {
			sizes[l.Path] = *l.KiB // bytes, in this item
		}
	}
	return sizes, in.Cite(it)
}

// owner is the first of the candidate services the host has, else the first whose
// package is installed, else "".
func owner(in *kit.Input, candidates []string) string {
	for _, cand := range candidates {
		for _, s := range in.Snap.Services {
			if strings.TrimSuffix(s.Name, ".service") == cand {
				return cand
			}
		}
	}
	for _, cand := range candidates {
		for _, p := range in.Snap.Packages {
			if p.Name == cand || p.Name == cand+"-server" {
				return cand
			}
		}
	}
	return ""
}

func partialUnless(s snapshot.Status) snapshot.Status {
	switch s {
	case snapshot.Denied, snapshot.TimedOut:
		return s
	}
	return snapshot.Partial
}
