package services

import (
	"path"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Names: a systemd service is reported without its ".service" suffix, so "sshd" on
// a CentOS 6 host and on its CentOS 7 successor compare as the same service. Only
// .service units are collected, so nothing else can collide.
func unitName(unit string) string { return strings.TrimSuffix(unit, ".service") }

// isTemplate reports a template unit (getty@.service). A template is a recipe for
// instances, not a service: it never runs itself, and whether an instance starts
// at boot is told by that instance's own links (getty.target.wants/getty@tty1.service)
// and state. Templates are therefore left out; their instances are listed.
func isTemplate(unit string) bool { return strings.HasSuffix(unit, "@.service") }

// systemdEnabled maps a unit file state to Enabled. The states that are neither
// enabled nor disabled deserve a word each:
//   - static: no [Install] section; it starts only when another unit pulls it in.
//   - indirect: enabled only through another unit (Also=, or a template's instance).
//   - transient: created at runtime through the API; gone at the next boot.
//   - generated: made at boot by a generator; for SysV scripts the rc links decide
//     (see generatedEnabled), which the caller consults before this.
//
// These are reported as not enabled with the state kept in EnabledState: they have
// no boot-time enablement of their own. linked and unknown words give nil.
func systemdEnabled(state string) *bool {
	switch state {
	case "enabled", "enabled-runtime", "alias":
		return boolp(true)
	case "disabled", "masked", "masked-runtime", "static", "indirect", "transient", "generated":
		return boolp(false)
	}
	return nil
}

// systemdRunning maps ActiveState/SubState to Running. "active (exited)" is a
// oneshot with RemainAfterExit: its work (firewall rules, mounts) stays in effect,
// so it counts as running, with State "exited". "activating (auto-restart)" is a
// crash loop waiting to retry: not running. Other transitions are unknown.
func systemdRunning(active, sub string) *bool {
	switch active {
	case "active", "reloading":
		return boolp(true)
	case "inactive", "failed":
		return boolp(false)
	case "activating":
		if sub == "auto-restart" {
			return boolp(false)
		}
	}
	return nil
}

// readSystemctl merges the three systemctl outputs into the builder's services
// and returns the problems that make the result partial.
func readSystemctl(in *kit.Input, b *builder, sysv *sysvConfig) []string {
	var problems []string
	units, files, show := in.Cmd("systemctl-units"), in.Cmd("systemctl-unit-files"), in.Cmd("systemctl-show")
	for _, it := range []*evidence.Item{units, files, show} {
		if st, why := kit.StatusOf(it); st != snapshot.Collected {
			problems = append(problems, why)
		}
	}

	if kit.Usable(files) {
		rows, bad := ParseListUnitFiles(files.Text())
		if len(bad) > 0 {
			problems = append(problems, describeBad(files, bad))
		}
		aliases := aliasUnits(in)
		for _, r := range rows {
			// An alias is its unit under another name (sshd.service for ssh.service,
			// mysql.service for mariadb.service): the unit is listed under its own.
			if isTemplate(r.Unit) || r.State == "alias" || aliases[r.Unit] {
				continue
			}
			s := b.get(unitName(r.Unit), "systemd", files)
			s.EnabledState = r.State
		}
	}
	// A unit absent from a complete list-units --all is not loaded, hence not running.
	loaded := map[string]bool{}
	unitsComplete := false
	if kit.Usable(units) {
		st, _ := kit.StatusOf(units)
		unitsComplete = st == snapshot.Collected
		rows, bad := ParseListUnits(units.Text())
		if len(bad) > 0 {
			problems = append(problems, describeBad(units, bad))
			unitsComplete = false
		}
		for _, r := range rows {
			if r.Load == "not-found" && r.Active == "inactive" {
				// Something names this unit but no file defines it and nothing runs:
				// a dangling dependency, not a service on this host.
				continue
			}
			name := unitName(r.Unit)
			loaded[name] = true
			s := b.get(name, "systemd", units)
			s.Running = systemdRunning(r.Active, r.Sub)
			s.State = stateWord(r.Active, r.Sub)
			if r.Description != "" {
				s.Description = r.Description
			}
		}
	}
	if kit.Usable(show) {
		blocks, bad := ParseShow(show.Text())
		if len(bad) > 0 {
			problems = append(problems, describeBad(show, bad))
		}
		for unit, kv := range blocks {
			if !IsServiceUnit(unit) || isTemplate(unit) {
				continue
			}
			if kv["LoadState"] == "not-found" && kv["ActiveState"] == "inactive" {
				continue
			}
			name := unitName(unit)
			if !b.has("systemd", name) && !loaded[name] && unitsComplete {
				continue // list-units, read whole, dropped it above
			}
			s := b.get(name, "systemd", show)
			if a := kv["ActiveState"]; a != "" {
				s.Running = systemdRunning(a, kv["SubState"])
				s.State = stateWord(a, kv["SubState"])
			}
			if pid, err := strconv.Atoi(kv["MainPID"]); err == nil && pid > 0 {
				s.MainPID = pid
			}
			if p := kv["FragmentPath"]; p != "" {
				s.Path = p
			}
			if d := kv["Description"]; d != "" {
				s.Description = d
			}
			if st := kv["UnitFileState"]; st != "" && s.EnabledState == "" {
				s.EnabledState = st
			}
		}
	}
	for _, s := range b.svcs {
		if s.Init != "systemd" {
			continue
		}
		if s.Running == nil && unitsComplete && !loaded[s.Name] {
			s.Running, s.State = boolp(false), "dead"
		}
		s.Enabled = systemdEnabled(s.EnabledState)
		if s.EnabledState == "generated" {
			var from []*evidence.Item
			s.Enabled, from = generatedEnabled(sysv, s.Name, -1)
			for _, it := range from {
				b.cite(s, it)
			}
		}
	}
	return problems
}

// aliasUnits are the service units that the unit directories hold as links to a
// unit of another name: what systemd before 246 lists as a unit file of its own,
// where later ones say "alias".
func aliasUnits(in *kit.Input) map[string]bool {
	out := map[string]bool{}
	for _, dir := range unitDirs {
		it := in.List(dir)
		if !kit.Usable(it) {
			continue
		}
		entries, _ := kit.ParseListing(it.Text())
		for _, e := range entries {
			if e.Type == 'l' && IsServiceUnit(e.Name) && e.Target != "/dev/null" && IsServiceUnit(path.Base(e.Target)) && path.Base(e.Target) != e.Name {
				out[e.Name] = true
			}
		}
	}
	return out
}

// stateWord is the init system's own word for the state: the SubState ("running",
// "exited", "failed", "dead"), or the ActiveState when there is none.
func stateWord(active, sub string) string {
	if sub != "" {
		return sub
	}
	return active
}

// generatedEnabled decides for a unit systemd-sysv-generator made from a SysV
// script: it is wanted by multi-user.target when the script has a start link in
// runlevel 2, 3 or 4, and by graphical.target for 5 alone. def is the default
// runlevel the default.target stands for, -1 when unknown. Without the links, or
// for another generator's unit, the answer is unknown.
func generatedEnabled(sysv *sysvConfig, name string, def int) (*bool, []*evidence.Item) {
	if sysv == nil {
		return nil, nil
	}
	s, ok := sysv.scripts[key("sysv", name)]
	if !ok || !s.known {
		return nil, nil
	}
	switch {
	case s.on[2] || s.on[3] || s.on[4] || s.on[7]:
		return boolp(true), s.items
	case s.on[5] && def == 5:
		return boolp(true), s.items
	case s.on[5] && def != 3:
		return nil, nil
	}
	return boolp(false), s.items
}

// unitDirs are where unit files live, most important first: what an administrator
// puts in /etc overrides the vendor's copy.
var unitDirs = []string{"/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"}

// readUnitFiles builds services from the unit directories and the .wants links
// alone, for when systemctl could not run (a disk read offline, a container, a
// session cut short). Only boot-time enablement can be known that way.
func readUnitFiles(in *kit.Input, b *builder, sysv *sysvConfig) (found bool, tried []*evidence.Item, problems []string, def int) {
	def = -1
	masked := map[string]*evidence.Item{}
	for _, dir := range unitDirs {
		it := in.List(dir)
		tried = append(tried, it)
		if !kit.Usable(it) {
			continue
		}
		found = true
		if st, why := kit.StatusOf(it); st != snapshot.Collected {
			problems = append(problems, why)
		}
		entries, bad := kit.ParseListing(it.Text())
		if len(bad) > 0 {
			problems = append(problems, describeBad(it, bad))
		}
		for _, e := range entries {
			if dir == "/etc/systemd/system" && e.Name == "default.target" && e.Type == 'l' {
				// multi-user.target is runlevel 3's successor, graphical.target 5's.
				switch path.Base(e.Target) {
				case "multi-user.target", "runlevel3.target", "runlevel2.target", "runlevel4.target":
					def = 3
				case "graphical.target", "runlevel5.target":
					def = 5
				}
			}
			if e.Type == 'd' || !IsServiceUnit(e.Name) || isTemplate(e.Name) {
				continue
			}
			name := unitName(e.Name)
			if e.Type == 'l' && e.Target == "/dev/null" {
				if _, seen := masked[name]; !seen {
					masked[name] = it
				}
				continue
			}
			if e.Type == 'l' && path.Base(e.Target) != e.Name {
				// An alias (Alias= in [Install], made by enabling its target, or a
				// vendor's second name such as dbus-org.freedesktop.login1.service):
				// the same unit under another name. In /etc it means the target
				// was enabled.
				if dir == "/etc/systemd/system" && IsServiceUnit(path.Base(e.Target)) && !isTemplate(path.Base(e.Target)) {
					s := b.get(unitName(path.Base(e.Target)), "systemd", it)
					s.Enabled, s.EnabledState = boolp(true), "enabled"
				}
				continue
			}
			if s, ok := b.svcs[key("systemd", name)]; ok && s.Path != "" {
				b.cite(s, it)
				continue // a directory earlier in unitDirs already defines it
			}
			s := b.get(name, "systemd", it)
			s.Path = path.Join(dir, e.Name)
			if e.Type == 'l' && strings.HasPrefix(e.Target, "/") {
				s.Path = e.Target // systemctl link: the file lives elsewhere
			}
		}
	}
	for _, it := range in.Archive.Matching(evidence.KindList, "/etc/systemd/system/*.wants") {
		tried = append(tried, it)
		if !kit.Usable(it) {
			continue
		}
		found = true
		if st, why := kit.StatusOf(it); st != snapshot.Collected {
			problems = append(problems, why)
		}
		entries, bad := kit.ParseListing(it.Text())
		if len(bad) > 0 {
			problems = append(problems, describeBad(it, bad))
		}
		for _, e := range entries {
			if !IsServiceUnit(e.Name) || isTemplate(e.Name) {
				continue
			}
			s := b.get(unitName(e.Name), "systemd", it)
			s.Enabled, s.EnabledState = boolp(true), "enabled"
			if s.Path == "" && e.Target != "" && e.Target != "/dev/null" {
				s.Path = e.Target // an instance's file is its template's
			}
		}
	}
	for name, it := range masked {
		s, known := b.svcs[key("systemd", name)]
		_, script := sysv.scripts[key("sysv", name)]
		if !known && !script && it.Name != "/etc/systemd/system" {
			// Vendors mask SysV names that systemd replaces (Debian's
			// /lib/systemd/system/rc.service → /dev/null): not services of this host.
			continue
		}
		if !known {
			s = b.get(name, "systemd", it)
		}
		b.cite(s, it)
		s.Enabled, s.EnabledState = boolp(false), "masked"
	}
	for _, s := range b.svcs {
		if s.Init == "systemd" && s.Enabled == nil {
			// Not linked from any /etc/systemd/system/*.wants: disabled, or static
			// (pulled in by other units). The unit file, which would tell which, is
			// not collected, so the state word stays empty.
			s.Enabled = boolp(false)
		}
	}
	return found, tried, problems, def
}
