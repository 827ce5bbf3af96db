package services

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/hostos"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// sysvScript is one SysV service (or xinetd service) as the boot configuration
// describes it.
type sysvScript struct {
	name string
	init string // "sysv" or "xinetd"
	// on holds where a start link exists: runlevels 0-6 at 0..6, Debian's rcS.d at 7.
	on       [8]bool
	xinetdOn bool
	// known is false for a script whose boot configuration nothing described;
	// fromLinks is true when the rcN.d links described it.
	known, fromLinks bool
	path             string
	items            []*evidence.Item
}

// sysvConfig is everything SysV boot configuration tells.
type sysvConfig struct {
	// scripts are keyed by key(init, name): an xinetd service and an init script
	// may share a name (rsync on Debian).
	scripts map[string]*sysvScript
	// upstartJobs are /etc/init.d entries that are only links to upstart-job: Ubuntu's
	// compatibility shims for jobs that upstart runs.
	upstartJobs map[string]bool
	// def is the default runlevel, -1 when unknown; defItem the item that said it,
	// nil when it was assumed.
	def     int
	defItem *evidence.Item
	// linksRead is true when some rcN.d directory was listed, so a script without
	// start links is known to be disabled.
	linksRead bool
	// found is true when some source could be read; used lists those items and tried
	// every one looked at; problems are why a read source was only partly understood.
	found    bool
	used     []*evidence.Item
	tried    []*evidence.Item
	problems []string
}

// notServices are /etc/init.d entries that are not services: documentation, the
// script template, the rc runners themselves, shell libraries (EL's functions,
// Alpine's functions.sh) and the halt/reboot
// actions that run at shutdown. Listing them as disabled services would make every
// Debian host look like it has a dozen services nobody starts.
var notServices = map[string]bool{
	"README": true, "skeleton": true, "rc": true, "rcS": true, "functions": true, "functions.sh": true,
	"halt": true, "killall": true, "reboot": true, "single": true,
	".legacy-bootordering": true,
}

func isService(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") || notServices[name] {
		return false
	}
	// Package-manager leftovers and editor backups are never linked by update-rc.d
	// or chkconfig; rc would not run them.
	for _, suf := range []string{".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-bak", ".rpmsave", ".rpmnew", ".rpmorig", ".orig", ".bak", "~"} {
		if strings.HasSuffix(name, suf) {
			return false
		}
	}
	return true
}

// readSysV reads the SysV configuration: chkconfig where it ran (EL), else the
// rcN.d link directories (Debian, or a disk read offline), with /etc/init.d for
// the scripts that have no links at all.
func readSysV(in *kit.Input, family string) *sysvConfig {
	c := &sysvConfig{scripts: map[string]*sysvScript{}, upstartJobs: map[string]bool{}, def: -1}
	c.readDefault(in, family)

	chk := in.Cmd("chkconfig")
	c.tried = append(c.tried, chk)
	if kit.Usable(chk) {
		c.found = true
		c.used = append(c.used, chk)
		c.noteTruncated(chk)
		rows, xs, bad := ParseChkconfig(chk.Text())
		if len(bad) > 0 {
			c.problems = append(c.problems, describeBad(chk, bad))
		}
		for _, r := range rows {
			s := c.script(r.Name, "sysv")
			copy(s.on[:7], r.On[:])
			s.known = true
			s.items = append(s.items, chk)
		}
		for _, x := range xs {
			s := c.script(x.Name, "xinetd")
			s.xinetdOn = x.On
			s.known = true
			s.path = "/etc/xinetd.d/" + x.Name
			s.items = append(s.items, chk)
		}
	}
	// The links are read even after chkconfig: a script without a chkconfig header is
	// missing from its list, yet rc runs it when it is linked.
	c.readLinks(in)
	for name, it := range c.readInitD(in) {
		s := c.script(name, "sysv")
		s.known = s.known || c.linksRead
		s.items = appendOnce(s.items, it)
	}
	return c
}

func (c *sysvConfig) script(name, init string) *sysvScript {
	s, ok := c.scripts[key(init, name)]
	if !ok {
		s = &sysvScript{name: name, init: init, path: "/etc/init.d/" + name}
		c.scripts[key(init, name)] = s
	}
	return s
}

// readInitD lists the scripts in /etc/init.d (and EL's real /etc/rc.d/init.d, which
// /etc/init.d links to). It returns nil when neither could be listed.
func (c *sysvConfig) readInitD(in *kit.Input) map[string]*evidence.Item {
	var out map[string]*evidence.Item
	for _, p := range []string{"/etc/init.d", "/etc/rc.d/init.d"} {
		it := in.List(p)
		c.tried = append(c.tried, it)
		if !kit.Usable(it) {
			continue
		}
		if out == nil {
			out = map[string]*evidence.Item{}
		}
		c.found = true
		c.used = append(c.used, it)
		c.noteTruncated(it)
		entries, bad := kit.ParseListing(it.Text())
		if len(bad) > 0 {
			c.problems = append(c.problems, describeBad(it, bad))
		}
		for _, e := range entries {
			if e.Type == 'd' || !isService(e.Name) {
				continue
			}
			if e.Type == 'l' && path.Base(e.Target) == "upstart-job" {
				c.upstartJobs[e.Name] = true
				continue
			}
			if _, ok := out[e.Name]; !ok {
				out[e.Name] = it
			}
		}
	}
	return out
}

// readLinks reads the rcN.d directories. EL keeps them in /etc/rc.d with /etc/rcN.d
// as links to them, so both globs may list the same directory: the first usable
// listing of each runlevel counts.
func (c *sysvConfig) readLinks(in *kit.Input) {
	dirs := map[byte]*evidence.Item{}
	for _, glob := range []string{"/etc/rc.d/rc[0-6].d", "/etc/rc[0-6S].d"} {
		for _, it := range in.Archive.Matching(evidence.KindList, glob) {
			c.tried = append(c.tried, it)
			lv := runlevelOfDir(it.Name)
			if lv == 0xff || dirs[lv] != nil || !kit.Usable(it) {
				continue
			}
			dirs[lv] = it
		}
	}
	for lv := byte(0); lv <= 7; lv++ {
		it := dirs[lv]
		if it == nil {
			continue
		}
		c.found, c.linksRead = true, true
		c.used = append(c.used, it)
		c.noteTruncated(it)
		entries, bad := kit.ParseListing(it.Text())
		if len(bad) > 0 {
			c.problems = append(c.problems, describeBad(it, bad))
		}
		for _, e := range entries {
			if e.Type == 'd' {
				continue
			}
			l, ok := ParseRCLink(e.Name, e.Target)
			if !ok || !isService(l.Service) {
				continue
			}
			s := c.script(l.Service, "sysv")
			if s.known && !s.fromLinks {
				continue // chkconfig already said, and it reads the same links
			}
			s.fromLinks = true
			if !strings.Contains(e.Target, "init.d/") && e.Target != "" {
				// EL's S99local points at ../rc.local, not at a script in init.d.
				s.path = path.Join(path.Dir(it.Name), e.Target)
				if strings.HasPrefix(e.Target, "/") {
					s.path = path.Clean(e.Target)
				}
			}
			if l.Start {
				s.on[lv] = true
			}
			s.known = true
			s.items = appendOnce(s.items, it)
		}
	}
}

// runlevelOfDir maps /etc/rc3.d and /etc/rc.d/rc3.d to 3, /etc/rcS.d to 7.
func runlevelOfDir(dir string) byte {
	b := path.Base(dir) // rc3.d
	if len(b) != 5 || !strings.HasPrefix(b, "rc") || !strings.HasSuffix(b, ".d") {
		return 0xff
	}
	switch c := b[2]; {
	case c >= '0' && c <= '6':
		return c - '0'
	case c == 'S':
		return 7
	}
	return 0xff
}

// readDefault finds the runlevel the host boots into: inittab's initdefault (the
// boot default, which is what "enabled" means), else the current runlevel, else
// Debian's default of 2 when inittab is absent there (upstart Ubuntu, or a Debian
// whose inittab was removed): Debian ships rc2.d to rc5.d identical, so 2 stands for
// all multi-user levels.
func (c *sysvConfig) readDefault(in *kit.Input, family string) {
	inittab := in.File("/etc/inittab")
	if kit.Usable(inittab) {
		if lv, ok := hostos.InittabDefault(inittab.Text()); ok && lv >= '0' && lv <= '6' {
			c.def, c.defItem = int(lv-'0'), inittab
			return
		}
	}
	if rl := in.Cmd("runlevel"); kit.Usable(rl) {
		if lv, ok := ParseRunlevel(rl.Text()); ok && lv >= '0' && lv <= '6' {
			c.def, c.defItem = int(lv-'0'), rl
			return
		}
	}
	if family == "debian" && !kit.Usable(inittab) {
		c.def = 2
	}
}

// enabled says whether a script starts at boot. def is the default runlevel, -1
// when unknown. When the default is unknown the answer is still known if
// every multi-user runlevel (2-5) agrees, since a server boots into one of them.
func (s *sysvScript) enabled(def int) *bool {
	if s.init == "xinetd" {
		return boolp(s.xinetdOn)
	}
	if !s.known {
		return nil
	}
	if s.on[7] {
		return boolp(true) // Debian's rcS.d runs in every runlevel
	}
	if def >= 0 && def <= 6 {
		return boolp(s.on[def])
	}
	all, none := true, true
	for lv := 2; lv <= 5; lv++ {
		all = all && s.on[lv]
		none = none && !s.on[lv]
	}
	switch {
	case all:
		return boolp(true)
	case none:
		return boolp(false)
	}
	return nil
}

// levels is the SysV EnabledState: the runlevels with a start link, "2345". 0 and 6
// are left out: they halt and reboot, and a start link there runs a shutdown action
// (sendsigs, umountfs), not the service.
func (s *sysvScript) levels() string {
	if s.init == "xinetd" {
		if s.xinetdOn {
			return "on"
		}
		return "off"
	}
	var b strings.Builder
	for lv := 1; lv <= 5; lv++ {
		if s.on[lv] {
			b.WriteByte(byte('0' + lv))
		}
	}
	if s.on[7] {
		b.WriteByte('S')
	}
	return b.String()
}

func (c *sysvConfig) noteTruncated(it *evidence.Item) {
	if st, why := kit.StatusOf(it); st != snapshot.Collected && why != "" {
		c.problems = append(c.problems, why)
	}
}

func appendOnce(items []*evidence.Item, it *evidence.Item) []*evidence.Item {
	for _, x := range items {
		if x == it {
			return items
		}
	}
	return append(items, it)
}
