// Package services surveys the services section: every service the init system
// knows, whether it starts at boot and whether it runs now. The parsers are in
// parse.go; sysv.go, systemd.go and upstart.go turn their rows into services, and
// this file picks the init system and sets coverage.
package services

import (
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/hostos"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills snapshot.Services.
type Surveyor struct{}

// New returns the services surveyor.
func New() *Surveyor { return &Surveyor{} }

// Name is the surveyor's name in the registry.
func (*Surveyor) Name() string { return "services" }

// offlineReason is the coverage reason whenever nothing ran to ask.
const offlineReason = "offline: only boot-time enablement is known"

// Survey fills the services section and its coverage.
//
// SysV services get Running nil everywhere: init does not track them, and a pid
// file proves little. A later step that links processes to services (not this
// surveyor) is where a SysV service is found running.
func (*Surveyor) Survey(in *kit.Input) {
	id := hostos.Identify(in)
	initSys, initItems := hostos.InitSystem(in, id)
	var noInit string // set when a live host runs no init system (a container)
	if initSys == "" && !in.Offline() {
		if comm := in.File("/proc/1/comm"); kit.Usable(comm) {
			noInit = strings.TrimSpace(comm.Text())
		}
	}
	if initSys == "" {
		initSys, initItems = hostos.ConfiguredInit(in, id)
	}

	b := &builder{in: in, svcs: map[string]*snapshot.Service{}}
	sysv := readSysV(in, id.Family)
	units, files, show := in.Cmd("systemctl-units"), in.Cmd("systemctl-unit-files"), in.Cmd("systemctl-show")
	systemctlRan := kit.Usable(units) || kit.Usable(files) || kit.Usable(show)

	var o outcome
	switch {
	case systemctlRan:
		// The systemctl items run only when systemd is PID 1 (plan: When).
		o.problems = readSystemctl(in, b, sysv)
		o.found = true
		b.addSysV(sysv, func(name string) bool { return b.has("systemd", name) }, -1, true, "sysv")
	case initSys == hostos.Systemd:
		found, tried, problems, def := readUnitFiles(in, b, sysv)
		o.found, o.tried, o.problems = found || sysv.found, tried, problems
		b.addSysV(sysv, func(name string) bool { return b.has("systemd", name) }, def, true, "sysv")
		if !in.Offline() && noInit == "" {
			// systemd is PID 1 but systemctl's output did not arrive.
			o.running = "systemctl could not be used (" + kit.Explain(units, files, show) + "): only boot-time enablement from the unit file links is known"
			o.runningItems = []*evidence.Item{units, files, show}
			o.tried = append(o.tried, units, files, show)
		}
	case initSys == hostos.Upstart:
		found, tried, problems := readUpstart(in, b)
		o.found, o.tried, o.problems = found || sysv.found, tried, problems
		b.addSysV(sysv, func(name string) bool { return b.has("upstart", name) || sysv.upstartJobs[name] }, sysv.def, false, "sysv")
	case initSys == hostos.OpenRC:
		// OpenRC's runlevel links (/etc/runlevels) are not collected: the scripts are
		// known, not whether each starts at boot.
		o.found = sysv.found
		for _, s := range sysv.scripts {
			s.known = false
		}
		b.addSysV(sysv, nil, -1, false, hostos.OpenRC)
		o.reason = "OpenRC's runlevel links (/etc/runlevels) are not collected: whether each service starts at boot is unknown"
	default:
		o.found = sysv.found
		b.addSysV(sysv, nil, sysv.def, false, "sysv")
	}
	o.problems = append(o.problems, sysv.problems...)
	o.tried = append(o.tried, sysv.tried...)
	if in.Offline() {
		o.running = offlineReason
	}
	if o.running == "" && o.reason == "" && noInit != "" {
		o.noInit = "PID 1 is " + strconv.Quote(noInit) + ", not an init system: these are the boot configuration of the image, and nothing starts them here"
	}

	in.Snap.Services = b.list()
	readHints(in)
	o.cover(in, b, initItems, sysv)
}

// outcome is what the sources said about the section as a whole.
type outcome struct {
	found    bool     // some source of services could be read
	reason   string   // why which services start at boot is known in part, every source read
	problems []string // why a read source was only partly understood
	tried    []*evidence.Item
	// running says why whether each service runs is not known (offline, or
	// systemctl's output did not arrive), with the items that show it.
	running      string
	runningItems []*evidence.Item
	// noInit says why no service runs: PID 1 is no init system (a container).
	noInit string
}

func (o *outcome) cover(in *kit.Input, b *builder, initItems []*evidence.Item, sysv *sysvConfig) {
	cite := append(append([]*evidence.Item{}, initItems...), b.used...)
	if sysv.defItem != nil && len(b.used) > 0 {
		cite = append(cite, sysv.defItem)
	}
	if !o.found {
		st, why := kit.Failure(o.tried...)
		if !in.Archive.Complete && st == snapshot.Unavailable {
			st = snapshot.Cut
			why = "the collection ended before any service configuration arrived; " + why
		}
		in.Cover(snapshot.SectionServices, st, "no source of services could be read: "+why, append(cite, o.tried...)...)
		return
	}
	// Which services there are stands on what was read of the unit files, init
	// scripts and links, whether or not anything showed which of them run.
	defs, running := kit.NewSource(snapshot.ServicesDefinitions), kit.NewSource(snapshot.ServicesRunning)
	defs.Looked()
	defs.Cite(cite...)
	if o.reason != "" {
		defs.Gap(snapshot.Partial, o.reason)
	}
	for _, p := range snapshot.AppendNew(nil, o.problems...) {
		defs.Gap(snapshot.Partial, p)
	}
	switch {
	case in.Offline():
		running.Gap(snapshot.Unavailable, o.running)
	case o.running != "":
		st, _ := kit.Failure(o.runningItems...)
		running.Gap(st, o.running, o.runningItems...)
	case o.noInit != "":
		running.Looked()
		running.Gap(snapshot.Partial, o.noInit)
	default:
		running.Looked()
	}
	in.CoverSources(snapshot.SectionServices, []*kit.Source{defs, running})
}

// builder accumulates services, one per init system and name: an xinetd service
// and a systemd unit may share a name and are different things.
type builder struct {
	in   *kit.Input
	svcs map[string]*snapshot.Service
	used []*evidence.Item
}

func key(init, name string) string { return init + "\x00" + name }

func (b *builder) has(init, name string) bool {
	_, ok := b.svcs[key(init, name)]
	return ok
}

// get returns the service, creating it, and cites the item it is read from.
func (b *builder) get(name, init string, it *evidence.Item) *snapshot.Service {
	s, ok := b.svcs[key(init, name)]
	if !ok {
		s = &snapshot.Service{Name: name, Init: init, Evidence: []string{}}
		b.svcs[key(init, name)] = s
	}
	b.cite(s, it)
	return s
}

func (b *builder) cite(s *snapshot.Service, it *evidence.Item) {
	if it == nil {
		return
	}
	id := b.in.Cite(it)
	for _, x := range s.Evidence {
		if x == id {
			return
		}
	}
	s.Evidence = append(s.Evidence, id)
	b.used = appendOnce(b.used, it)
}

// addSysV adds the SysV and xinetd services. skip drops SysV scripts another init
// system already reports under that name; underSystemd computes enablement the way
// systemd-sysv-generator does, def being the default runlevel (-1 when unknown).
// initWord is what runs the scripts: sysv, or openrc on Alpine.
func (b *builder) addSysV(c *sysvConfig, skip func(string) bool, def int, underSystemd bool, initWord string) {
	keys := make([]string, 0, len(c.scripts))
	for k := range c.scripts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sc := c.scripts[k]
		n := sc.name
		if sc.init == "sysv" && skip != nil && skip(n) {
			continue
		}
		if sc.init == "sysv" && len(c.upstartJobs) > 0 && c.upstartJobs[n] {
			continue
		}
		by := sc.init
		if by == "sysv" {
			by = initWord
		}
		var s *snapshot.Service
		for _, it := range sc.items {
			s = b.get(n, by, it)
		}
		if s == nil {
			s = b.get(n, by, nil)
		}
		s.Path = sc.path
		s.EnabledState = sc.levels()
		switch {
		case sc.init == "xinetd":
			s.Enabled = boolp(sc.xinetdOn)
		case underSystemd:
			s.Enabled, _ = generatedEnabled(c, n, def)
		default:
			s.Enabled = sc.enabled(def)
		}
		if !sc.known && sc.init != "xinetd" {
			s.EnabledState = ""
		}
	}
}

// list returns the services sorted by name, then init system.
func (b *builder) list() []snapshot.Service {
	out := make([]snapshot.Service, 0, len(b.svcs))
	for _, s := range b.svcs {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Init < out[j].Init
	})
	return out
}

// describeBad says that an item had lines the parser did not understand.
func describeBad(it *evidence.Item, bad []string) string {
	line := bad[0]
	if len(line) > 80 {
		line = line[:80] + "…"
	}
	s := it.Source() + ": " + strconv.Itoa(len(bad)) + " line"
	if len(bad) > 1 {
		s += "s"
	}
	return s + " not understood, first " + strconv.Quote(line)
}

func boolp(b bool) *bool { return &b }
