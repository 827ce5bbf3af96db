// Package kernel surveys the kernel parameters (sysctl): what the boot configuration
// sets, file by file in the order the host applies them, and the values in force read
// from /proc/sys. The two differ when someone edited a file and never applied it, or
// set a value by hand that the next boot will lose; both are things a migration must
// know. Whether a setting is an administrator's decision or the old OS's own default
// is told from the files survey (changed and unowned configs), which must run first.
package kernel

import (
	"path"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills Kernel and the sysctl coverage.
type Surveyor struct{}

// New returns the surveyor.
func New() *Surveyor { return &Surveyor{} }

// Name is the surveyor's name in the registry.
func (*Surveyor) Name() string { return "kernel" }

// Survey reads the sysctl files and the sysctl-live command.
func (*Surveyor) Survey(in *kit.Input) {
	k := &in.Snap.Kernel
	k.Sysctls = []snapshot.Sysctl{}
	status := snapshot.Collected
	var notes []string
	var used []*evidence.Item
	note := func(st snapshot.Status, why string) {
		status = kit.WorseOf(status, st)
		notes = append(notes, why)
	}

	// The configuration.
	var files []ConfFile
	var links []Link
	ids := map[string]string{}
	read := 0
	confIt := in.File(probe.SysctlConf)
	candidates := []*evidence.Item{confIt}
	for _, d := range probe.SysctlDirs {
		ls := in.List(d)
		used = append(used, ls)
		switch {
		case kit.Usable(ls):
			links = append(links, parseLinks(d, ls.Text())...)
		case ls.Status != evidence.StatusAbsent:
			// One directory unread leaves the rest true: partial, not unknown.
			_, why := kit.StatusOf(ls)
			note(snapshot.Partial, d+": "+why)
		}
		candidates = append(candidates, in.Archive.FilesUnder(d)...)
	}
	for _, it := range candidates {
		if it.Name != probe.SysctlConf && !strings.HasSuffix(it.Name, ".conf") {
			continue
		}
		switch {
		case kit.Usable(it):
			read++
			files = append(files, ConfFile{Path: it.Name, Text: kit.CompleteLines(it)})
			ids[it.Name] = in.Cite(it)
			used = append(used, it)
			if it.Truncated {
				note(snapshot.Partial, it.Name+" was cut short; only its first part was read")
			}
		case it.Status != evidence.StatusAbsent && it.Status != evidence.StatusNotFile:
			_, why := kit.StatusOf(it)
			note(snapshot.Partial, why)
			used = append(used, it)
		}
	}
	k.Order = OrderSystem
	if in.Snap.OS.Family == "rhel" && in.Snap.OS.InitSystem != "" && in.Snap.OS.InitSystem != "systemd" {
		k.Order = OrderInitscripts
	}
	res := Resolve(Arrange(k.Order, probe.SysctlDirs, probe.SysctlConf, files, links))
	fs := FileStatesOf(in.Snap)

	// The values in force.
	liveIt := in.Cmd("sysctl-live")
	used = append(used, liveIt)
	var lv Live
	liveID := ""
	switch {
	case kit.Usable(liveIt):
		lv = ParseLive(kit.CompleteLines(liveIt))
		k.Live = true
		liveID = in.Cite(liveIt)
		if !lv.Done || liveIt.Truncated {
			note(snapshot.Partial, "the values in force were cut short: "+liveIt.Source())
		}
	case in.Offline():
		note(snapshot.Partial, "offline: a disk has no running kernel, so only the configuration was read and the values in force are unknown")
	default:
		_, why := kit.StatusOf(liveIt)
		note(snapshot.Partial, "the values in force are unknown: "+why)
	}

	setting := func(s Setting) snapshot.SysctlSetting {
		o, why := Origin(s, fs)
		ss := snapshot.SysctlSetting{Value: s.Value, File: s.File, Line: s.Line, Origin: o, OriginWhy: why, Evidence: ids[s.File]}
		if s.Glob {
			ss.Pattern = s.Key
		}
		return ss
	}
	byKey := map[string]*snapshot.Sysctl{}
	get := func(key string) *snapshot.Sysctl {
		if sc, ok := byKey[key]; ok {
			return sc
		}
		sc := &snapshot.Sysctl{Key: key, State: snapshot.SysctlUnknown}
		byKey[key] = sc
		return sc
	}
	attach := func(sc *snapshot.Sysctl, ss []Setting) {
		if len(ss) == 0 {
			return
		}
		for _, s := range ss[:len(ss)-1] {
			sc.Overridden = append(sc.Overridden, setting(s))
		}
		w := setting(ss[len(ss)-1])
		sc.Configured = &w
		for _, s := range ss {
			sc.Evidence = snapshot.AppendNew(sc.Evidence, ids[s.File])
		}
	}
	for key, ss := range res.Winners {
		attach(get(key), ss)
	}
	if k.Live {
		k.InForce = lv.Values
		keys := make([]string, 0, len(lv.Values))
		for key := range lv.Values {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			if _, explicit := byKey[key]; explicit {
				continue
			}
			if ss := res.ForKey(key); len(ss) > 0 {
				attach(get(key), ss)
			}
		}
		for _, w := range probe.WatchedSysctls {
			if _, ok := lv.Values[w]; ok {
				get(w)
			}
		}
		for key, sc := range byKey {
			if v, ok := lv.Values[key]; ok {
				sc.State, sc.Value = snapshot.SysctlRead, v
			} else if lv.Done {
				sc.State = snapshot.SysctlAbsent
			}
		}
		// A glob that matched nothing is kept as itself, with nothing in force.
		for _, g := range res.Globs {
			if _, ok := byKey[g.Key]; !ok && lv.Done && !matchesAny(g.Key, keys) {
				sc := get(g.Key)
				attach(sc, res.ForKeyPattern(g.Key))
				sc.State = snapshot.SysctlAbsent
			}
		}
	} else {
		// Without /proc/sys a glob cannot be expanded: it stands for itself.
		for _, g := range res.Globs {
			if !res.Excluded[g.Key] {
				attach(get(g.Key), res.ForKeyPattern(g.Key))
			}
		}
	}
	watched := map[string]bool{}
	for _, w := range probe.WatchedSysctls {
		watched[w] = true
	}
	for _, sc := range byKey {
		sc.Watched = watched[sc.Key]
		if liveID != "" {
			sc.Evidence = snapshot.AppendNew(sc.Evidence, liveID)
		}
		if sc.Evidence == nil {
			sc.Evidence = []string{}
		}
		k.Sysctls = append(k.Sysctls, *sc)
	}
	sort.Slice(k.Sysctls, func(i, j int) bool { return k.Sysctls[i].Key < k.Sysctls[j].Key })

	if !k.Live && read == 0 && status != snapshot.Collected && confIt.Status != evidence.StatusAbsent {
		status = snapshot.Unavailable
	}
	in.Cover(snapshot.SectionSysctl, status, strings.Join(notes, "; "), used...)
}

func matchesAny(pattern string, keys []string) bool {
	for _, k := range keys {
		if Matches(pattern, k) {
			return true
		}
	}
	return false
}

// ForKeyPattern returns the assignments of one glob pattern, in applied order.
func (r Resolved) ForKeyPattern(pattern string) []Setting {
	var out []Setting
	for _, g := range r.Globs {
		if g.Key == pattern {
			out = append(out, g)
		}
	}
	return out
}

// parseLinks reads the symbolic links of a directory listing ("l\tname\ttarget").
func parseLinks(dir, listing string) []Link {
	var out []Link
	for _, l := range strings.Split(listing, "\n") {
		f := strings.Split(l, "\t")
		if len(f) == 3 && f[0] == "l" {
			out = append(out, Link{Path: path.Join(dir, f[1]), Target: f[2]})
		}
	}
	return out
}
