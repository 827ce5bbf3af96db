// Package logs surveys the host's log files, how logrotate rotates them, and every
// program that ships logs off the host, with where it sends them. Known shippers are
// read from their configs; in-house ones are found by what they do: a process
// connected to a log collector's port, whose config the probe read (_logconfs).
//
// Across OS versions: CentOS 5 logs with sysklogd (/etc/syslog.conf, UDP "@host"
// only), CentOS 6+ and Debian with rsyslog; td-agent 2 writes "type" where fluentd 1
// writes "@type"; both are read.
package logs

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/listeners"
)

// Surveyor fills Logs and the logs and log_shippers coverage.
type Surveyor struct{}

// New returns the logs surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "logs" }

// Survey reads the log listing, logrotate and the shippers.
func (Surveyor) Survey(in *kit.Input) {
	in.Snap.Logs.Files = []snapshot.LogFile{}
	in.Snap.Logs.Shippers = []snapshot.LogShipper{}
	surveyFiles(in)
	surveyShippers(in)
}

func surveyFiles(in *kit.Input) {
	it := in.Cmd("var-log-files")
	var notes []string
	st, why := kit.StatusOf(it)
	if kit.Usable(it) {
		stats, err := ParseFileStats(kit.CompleteLines(it))
		if err != nil {
			notes = append(notes, it.Source()+": "+err.Error())
		}
		id := in.Cite(it)
		for _, s := range stats {
			mod := s.Modified
			in.Snap.Logs.Files = append(in.Snap.Logs.Files, snapshot.LogFile{Path: s.Path, Bytes: s.Bytes, Modified: &mod, Evidence: id})
		}
		if strings.Contains(strings.ToLower(string(it.Stderr)), "permission denied") {
			st = snapshot.Partial
			notes = append(notes, "some directories under /var/log could not be read")
		}
	} else {
		notes = append(notes, kit.Explain(it))
	}
	if why != "" {
		notes = append(notes, why)
	}
	items := []*evidence.Item{it}
	rot, rotItems, rotNotes := rotation(in)
	in.Snap.Logs.Rotation = rot
	// Whether nothing rotates a log is known only when every rotation file was
	// read (or there is no logrotate at all).
	main := in.File("/etc/logrotate.conf")
	markRotation(in.Snap.Logs.Files, rot, len(rotNotes) == 0 && (kit.Usable(main) || main.Status == evidence.StatusAbsent))
	items = append(items, rotItems...)
	if len(rotNotes) > 0 {
		notes = append(notes, rotNotes...)
		if st == snapshot.Collected {
			st = snapshot.Partial
		}
	}
	in.Cover(snapshot.SectionLogs, st, strings.Join(snapshot.AppendNew(nil, notes...), "; "), items...)
}

// rotation reads /etc/logrotate.conf, then the files it includes that the probe
// read (/etc/logrotate.d), each inheriting the global settings.
func rotation(in *kit.Input) ([]snapshot.LogRotate, []*evidence.Item, []string) {
	var out []snapshot.LogRotate
	var items []*evidence.Item
	var notes []string
	main := in.File("/etc/logrotate.conf")
	var global Rotate
	add := func(it *evidence.Item, lr Logrotate) {
		id := in.Cite(it)
		for _, s := range lr.Stanzas {
			out = append(out, snapshot.LogRotate{
				Paths: s.Paths, Frequency: s.Frequency, Rotate: s.Rotate, Compress: s.Compress,
				Source: fmt.Sprintf("%s:%d", it.Name, s.Line), Evidence: id,
			})
		}
	}
	if kit.Usable(main) {
		lr, err := ParseLogrotate(main.Text(), Rotate{})
		if err != nil {
			notes = append(notes, main.Name+": "+err.Error())
		}
		global = lr.Global
		add(main, lr)
		items = append(items, main)
	} else if main.Status != evidence.StatusAbsent {
		notes = append(notes, kit.Explain(main))
		items = append(items, main)
	}
	dir := in.List("/etc/logrotate.d")
	if dir.Status == evidence.StatusDenied {
		notes = append(notes, kit.Explain(dir))
		items = append(items, dir)
	}
	for _, it := range in.Archive.Matching(evidence.KindFile, "/etc/logrotate.d/*") {
		if !kit.Usable(it) {
			notes = append(notes, kit.Explain(it))
			items = append(items, it)
			continue
		}
		lr, err := ParseLogrotate(it.Text(), global)
		if err != nil {
			notes = append(notes, it.Name+": "+err.Error())
		}
		add(it, lr)
	}
	return out, items, notes
}

// shipperState is a shipper being assembled.
type shipperState struct {
	s        snapshot.LogShipper
	seen     map[string]bool
	inputSet map[string]bool
	posFiles []string // named by its configs, or patterns of where it keeps them
}

func (sh *shipperState) addDest(e snapshot.Endpoint) {
	k := e.Host + "|" + strconv.Itoa(e.Port) + "|" + e.Source
	if sh.seen[k] {
		return
	}
	sh.seen[k] = true
	sh.s.Destinations = append(sh.s.Destinations, e)
}

func (sh *shipperState) addInput(p string) {
	if !sh.inputSet[p] {
		sh.inputSet[p] = true
		sh.s.Inputs = append(sh.s.Inputs, p)
	}
}

func (sh *shipperState) addEvidence(id string) {
	if id == "" {
		return
	}
	for _, e := range sh.s.Evidence {
		if e == id {
			return
		}
	}
	sh.s.Evidence = append(sh.s.Evidence, id)
}

func newShipper(name string) *shipperState {
	return &shipperState{s: snapshot.LogShipper{Name: name, Destinations: []snapshot.Endpoint{}, Evidence: []string{}},
		seen: map[string]bool{}, inputSet: map[string]bool{}}
}

// surveyShippers finds the shippers, each from the source that shows it: a known
// shipper from its configuration files (package, process), an in-house one from its
// live connection. Each source's coverage is its own, so that a shipper whose
// configuration was looked for and is not there is missing even where no process
// or connection could be seen (a disk image).
func surveyShippers(in *kit.Input) {
	configs, running := kit.NewSource(snapshot.ShippersConfigs), kit.NewSource(snapshot.ShippersRunning)
	connections, positionSrc := kit.NewSource(snapshot.ShippersConnections), kit.NewSource(snapshot.ShippersPositions)
	byPID := map[int]*shipperState{}   // known shippers
	inHouse := map[int]*shipperState{} // found by their connections
	var found []*shipperState

	if !in.Archive.Complete {
		configs.Gap(snapshot.Cut, "the evidence stream ended early, so the shippers' configuration directories may hold files that did not arrive")
	}
	if processesKnown(in) {
		running.Looked()
	} else {
		c, ok := in.Snap.Coverage[snapshot.SectionProcesses]
		if !ok {
			c = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "not surveyed"}
		}
		running.Gap(c.Status, "whether each shipper runs is not known: the processes are "+strings.ReplaceAll(string(c.Status), "_", " ")+" ("+c.Reason+")")
	}
	for _, k := range knownShippers {
		sh := newShipper(k.name)
		sh.s.From = snapshot.ShippersConfigs
		present := false
		for _, pat := range k.configs {
			var its []*evidence.Item
			if strings.Contains(pat, "*") {
				its = in.Archive.Matching(evidence.KindFile, pat)
			} else {
				its = []*evidence.Item{in.File(pat)}
			}
			for _, it := range its {
				if !configs.Read(it, false) {
					// A file that could not be read is there all the same.
					if it.Status == evidence.StatusDenied || it.Status == evidence.StatusTimeout {
						present = true
					}
					continue
				}
				present = true
				c := k.parse(it.Text())
				sh.s.Configs = append(sh.s.Configs, it.Name)
				sh.addEvidence(in.Cite(it))
				for _, d := range c.Dests {
					sh.addDest(snapshot.Endpoint{Host: d.Host, Port: d.Port, Proto: d.Proto, Source: fmt.Sprintf("%s:%d", it.Name, d.Line)})
				}
				for _, p := range c.Inputs {
					sh.addInput(p)
				}
				sh.posFiles = append(sh.posFiles, c.PosFiles...)
			}
		}
		sh.posFiles = append(sh.posFiles, k.states...)
		if pkg := findPackage(in, k.packages); pkg != nil {
			present = true
			sh.s.Package = pkg.Name
			sh.addEvidence(pkg.Evidence)
		} else if sw := findSoftware(in, append([]string{k.name}, k.procs...)); sw != nil {
			present = true
			sh.s.Software = sw
			sh.addEvidence(firstOr(sw.Evidence))
		}
		if svc := findService(in, k.services); svc != nil {
			sh.s.Service = svc.Name
			sh.addEvidence(firstOr(svc.Evidence))
		}
		if p := findProcess(in, k.procs); p != nil {
			present = true
			sh.s.Running, sh.s.PID = snapshot.Bool(true), p.PID
			sh.addEvidence(p.Evidence)
			byPID[p.PID] = sh
		} else if processesKnown(in) {
			sh.s.Running = snapshot.Bool(false)
		}
		if !present || (k.onlyIfSending && len(sh.s.Destinations) == 0) {
			if sh.s.PID != 0 {
				delete(byPID, sh.s.PID)
			}
			continue
		}
		found = append(found, sh)
	}

	// In-house shippers: processes connected to a log collector's port.
	conns, connsRead := logConnections(in, connections)
	cfgItem := in.Cmd("log-shipper-configs")
	var chunks []Chunk
	if kit.Usable(cfgItem) {
		chunks = SplitChunks(cfgItem.Text(), true)
	} else if connsRead && cfgItem.Status != evidence.StatusOffline {
		connections.Gap(snapshot.Partial, "the configurations of in-house shippers: "+kit.Explain(cfgItem))
	}
	connections.Cite(cfgItem)
	for _, c := range conns {
		if sh := byPID[c.pid]; sh != nil {
			continue // a known shipper, already read from its config
		}
		if p := processByPID(in, c.pid); p != nil && matchesKnown(p) {
			continue
		}
		sh := inHouse[c.pid]
		if sh == nil || c.pid == 0 {
			name := c.name
			var p *snapshot.Process
			if p = processByPID(in, c.pid); p != nil {
				if n := progName(p.Command); n != "" {
					name = n
				}
			}
			if name == "" {
				name = "pid " + strconv.Itoa(c.pid)
			}
			sh = newShipper(name)
			sh.s.From = snapshot.ShippersConnections
			if c.pid != 0 {
				sh.s.Running, sh.s.PID = snapshot.Bool(true), c.pid
			}
			if p != nil {
				sh.addEvidence(p.Evidence)
			}
			if svc := findService(in, []string{name}); svc != nil {
				sh.s.Service = svc.Name
				sh.addEvidence(firstOr(svc.Evidence))
			}
			if pkg := findPackage(in, []string{name}); pkg != nil {
				sh.s.Package = pkg.Name
				sh.addEvidence(pkg.Evidence)
			} else if sw := findSoftware(in, []string{name}); sw != nil {
				sh.s.Software = sw
				sh.addEvidence(firstOr(sw.Evidence))
			}
			for _, ch := range chunks {
				if ch.PID != c.pid || c.pid == 0 {
					continue
				}
				conf := ParseKeyValue(ch.Text)
				sh.s.Configs = append(sh.s.Configs, ch.Path)
				sh.addEvidence(in.Cite(cfgItem))
				for _, d := range conf.Dests {
					sh.addDest(snapshot.Endpoint{Host: d.Host, Port: d.Port, Proto: orDefault(d.Proto, logPorts[d.Port]), Source: fmt.Sprintf("%s:%d", ch.Path, d.Line)})
				}
				for _, p := range conf.Inputs {
					sh.addInput(p)
				}
				sh.posFiles = append(sh.posFiles, conf.PosFiles...)
			}
			inHouse[c.pid] = sh
			found = append(found, sh)
		}
		sh.addEvidence(c.evidence)
		if !hasDest(sh.s.Destinations, c.host, c.port) {
			// The config did not say (or was not read): the live connection does.
			sh.addDest(snapshot.Endpoint{Host: c.host, Port: c.port, Proto: logPorts[c.port], Source: c.source})
		}
	}
	positions(in, found, positionSrc)
	for _, sh := range found {
		in.Snap.Logs.Shippers = append(in.Snap.Logs.Shippers, sh.s)
	}
	sort.SliceStable(in.Snap.Logs.Shippers, func(i, j int) bool {
		return in.Snap.Logs.Shippers[i].Name < in.Snap.Logs.Shippers[j].Name
	})
	in.CoverSources(snapshot.SectionShippers, []*kit.Source{configs, running, connections, positionSrc})
}

func hasDest(ds []snapshot.Endpoint, host string, port int) bool {
	for _, d := range ds {
		if d.Host == host && (d.Port == port || d.Port == 0) {
			return true
		}
	}
	return false
}

func matchesKnown(p *snapshot.Process) bool {
	n := progName(p.Command)
	for _, k := range knownShippers {
		for _, pn := range k.procs {
			if n == pn || p.Comm == pn {
				return true
			}
		}
	}
	return false
}

// conn is an outbound connection to a log collector's port.
type conn struct {
	pid      int
	name     string
	host     string
	port     int
	source   string // what shows it, for an Endpoint's Source
	evidence string
}

// logConnections are the connections to log ports: from the network surveyor's
// Connections when it ran, else from ss/netstat. The source says what could not be
// looked at; read reports whether any socket list was.
func logConnections(in *kit.Input, src *kit.Source) (out []conn, read bool) {
	if in.Offline() {
		src.Gap(snapshot.Unavailable, "offline: in-house shippers are found by their live connections, which a disk image does not have")
		return nil, false
	}
	if len(in.Snap.Network.Connections) > 0 {
		src.Looked()
		for _, c := range in.Snap.Network.Connections {
			if _, ok := logPorts[c.RemotePort]; ok {
				out = append(out, conn{pid: c.PID, name: c.Process, host: c.RemoteAddress, port: c.RemotePort,
					source: "connection " + c.RemoteAddress + ":" + strconv.Itoa(c.RemotePort), evidence: c.Evidence})
			}
		}
		return out, true
	}
	list := kit.FirstUsable(in.Cmd("ss"), in.Cmd("netstat"))
	if list == nil {
		tried := []*evidence.Item{in.Cmd("ss"), in.Cmd("netstat")}
		st, why := kit.Failure(tried...)
		src.Gap(st, "no socket list to find in-house shippers by their connections: "+why, tried[0])
		return nil, false
	}
	src.Read(list, true)
	socks, _ := listeners.ParseSockets(kit.CompleteLines(list))
	id := in.Cite(list)
	for _, s := range socks {
		// As in the network surveyor's connections: one the peer never answered
		// (SYN-SENT) is a broken dependency, not a destination to carry.
		if s.State != "ESTABLISHED" {
			continue
		}
		if _, ok := logPorts[s.Remote.Port]; !ok {
			continue
		}
		o := listeners.MainOwner(s.Owners, nil)
		out = append(out, conn{pid: o.PID, name: o.Name, host: s.Remote.Addr, port: s.Remote.Port,
			source: list.Source(), evidence: id})
	}
	if in.Archive.Header["uid"] != "0" {
		src.Gap(snapshot.Partial, "not root: other users' connections name no process")
	}
	return out, true
}

func processesKnown(in *kit.Input) bool {
	return in.Snap.Coverage[snapshot.SectionProcesses].Status == snapshot.Collected
}

func findProcess(in *kit.Input, names []string) *snapshot.Process {
	for i := range in.Snap.Processes {
		p := &in.Snap.Processes[i]
		n := progName(p.Command)
		for _, want := range names {
			if p.Comm == want || n == want {
				return p
			}
		}
	}
	return nil
}

func processByPID(in *kit.Input, pid int) *snapshot.Process {
	if pid == 0 {
		return nil
	}
	for i := range in.Snap.Processes {
		if in.Snap.Processes[i].PID == pid {
			return &in.Snap.Processes[i]
		}
	}
	return nil
}

func findService(in *kit.Input, names []string) *snapshot.Service {
	for _, want := range names {
		for i := range in.Snap.Services {
			s := &in.Snap.Services[i]
			if s.Name == want || s.Name == want+".service" {
				return s
			}
		}
	}
	return nil
}

func findPackage(in *kit.Input, names []string) *snapshot.Package {
	for _, want := range names {
		for i := range in.Snap.Packages {
			if in.Snap.Packages[i].Name == want {
				return &in.Snap.Packages[i]
			}
		}
	}
	return nil
}

// findSoftware is the software outside the package manager (files.unmanaged) that
// one of names is: by its name or a program's, only for software that put a
// program on PATH (a library of the same name is not the shipper).
func findSoftware(in *kit.Input, names []string) *snapshot.Software {
	for _, want := range names {
		for _, t := range in.Snap.Files.Unmanaged {
			for i := range t.Software {
				s := t.Software[i]
				if s.Name == want && len(s.Programs) > 0 {
					return &s
				}
				for _, p := range s.Programs {
					if path.Base(p) == want {
						return &s
					}
				}
			}
		}
	}
	return nil
}

func firstOr(ss []string) string {
	if len(ss) > 0 {
		return ss[0]
	}
	return ""
}
