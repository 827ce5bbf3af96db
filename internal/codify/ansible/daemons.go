package ansible

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

var shortDescription = regexp.MustCompile(`(?m)^#\s*Short-Description:\s*(.+)$`)

// daemons carries the services no package provides, started by a local init
// script: the script gives way to a systemd unit made from the command line the
// daemon really ran with. Its program is not in the snapshot (only configuration
// text is), so the role starts it once the program is in place.
func (b *builder) daemons() {
	for _, svc := range b.s.Services {
		if svc.Init != "sysv" || svc.Package != "" || !strings.HasPrefix(svc.Path, "/etc/init.d/") {
			continue
		}
		if svc.Enabled == nil || !*svc.Enabled {
			continue
		}
		// A service distro knows the role of is its role's (the target's package
		// ships its unit), or the OS's own: never a unit written by hand.
		if knownRole(svc.Name) || plumbing(svc.Name) || svc.Name == "iptables" {
			continue
		}
		if strings.HasPrefix(svc.Name, "ssh") {
			b.todo(TodoItem{Section: "Decide", Title: "Second SSH daemon " + svc.Name,
				Detail: fmt.Sprintf("%s is a local init script (%s) that starts another sshd, typically kept for clients that only speak old algorithms. It is not carried over: find its clients and move them to current algorithms.", svc.Name, svc.Path),
				Facts:  svc.Evidence}, b.factsOfService(svc)...)
			continue
		}
		var proc *snapshot.Process
		for i := range b.s.Processes {
			p := &b.s.Processes[i]
			if p.Service == svc.Name || svc.MainPID != 0 && p.PID == svc.MainPID {
				proc = p
				break
			}
		}
		if proc == nil {
			if cmd := staleCommand(b.s, svc.Name); cmd != "" {
				proc = &snapshot.Process{Command: cmd, User: "root"}
			}
		}
		if proc == nil {
			b.todo(TodoItem{Section: "Not translated", Title: "Local service " + svc.Name,
				Detail: fmt.Sprintf("%s is started by a local init script (%s) that no package provides, and was not running, so its command line is unknown; write its systemd unit by hand.", svc.Name, svc.Path),
				Facts:  svc.Evidence}, ledger.ID(ledger.KindService, svc.Name))
			continue
		}
		b.daemon(svc, *proc)
	}
}

// staleCommand finds a daemon's command among the stale daemons by the service's
// name, for snapshots whose processes were not linked to services.
func staleCommand(s *snapshot.Snapshot, name string) string {
	for _, p := range s.Processes {
		if strings.Contains(p.Command, "/"+name+" ") || strings.HasSuffix(p.Command, "/"+name) {
			return p.Command
		}
	}
	return ""
}

func (b *builder) daemon(svc snapshot.Service, proc snapshot.Process) {
	name := slug(svc.Name)
	r := b.role(name, fmt.Sprintf("%s, a local daemon no package provides (was %s).", svc.Name, svc.Path))
	fields := strings.Fields(proc.Command)
	program := ""
	var pkgs []string
	for i, f := range fields {
		if strings.HasPrefix(f, "/usr/local/") || strings.HasPrefix(f, "/opt/") || strings.HasPrefix(f, "/home/") || strings.HasPrefix(f, "/srv/") {
			program = f
			if i > 0 {
				// An interpreter comes first: its package is needed.
				base := path.Base(fields[0])
				switch {
				case strings.HasPrefix(base, "python3"):
					pkgs = append(pkgs, "python3")
				case strings.HasPrefix(base, "perl"):
					pkgs = append(pkgs, "perl")
				case strings.HasPrefix(base, "ruby"):
					pkgs = append(pkgs, "ruby")
				}
			}
			break
		}
	}
	if len(pkgs) > 0 {
		r.def(name+"_packages", toL(pkgs), "the interpreter its program runs on")
		r.task(b.install("the interpreter of "+svc.Name, name+"_packages"))
	}

	// Configuration: the shipper's own configs, or files named after the service.
	var shipper *snapshot.LogShipper
	for i := range b.s.Logs.Shippers {
		if b.s.Logs.Shippers[i].Service == svc.Name || b.s.Logs.Shippers[i].Name == svc.Name {
			shipper = &b.s.Logs.Shippers[i]
		}
	}
	var configs []string
	if shipper != nil {
		configs = shipper.Configs
	}
	for _, c := range b.s.Files.Configs {
		if strings.HasPrefix(path.Base(c.Path), svc.Name+".") && strings.HasPrefix(c.Path, "/etc/") && !slices.Contains(configs, c.Path) {
			configs = append(configs, c.Path)
		}
	}
	for _, cp := range configs {
		c, ok := b.configs[cp]
		if !ok || c.Content == "" {
			b.todo(TodoItem{Section: "Not translated", Title: "Configuration of " + svc.Name + ": " + cp,
				Detail: "Its text is not in the snapshot; copy it by hand."}, ledger.ID(ledger.KindConfig, cp))
			continue
		}
		var subst [][2]string
		if shipper != nil {
			for _, d := range shipper.Destinations {
				file, line, _ := strings.Cut(d.Source, ":")
				if file != cp {
					continue
				}
				hv := name + "_destination_host"
				b.p.setVar(hv, d.Host, fmt.Sprintf("where %s sends the logs (%s)", svc.Name, d.Source))
				subst = append(subst, [2]string{"= " + d.Host, "= {{ " + hv + " }}"})
				if d.Port != 0 {
					pv := name + "_destination_port"
					b.p.setVar(pv, d.Port, fmt.Sprintf("and its port (%s, %s:%s)", d.Proto, file, line))
					subst = append(subst, [2]string{fmt.Sprintf("= %d", d.Port), "= {{ " + pv + " }}"})
				}
			}
		}
		tname := path.Base(cp) + ".j2"
		r.template(tname, b.templateText(c, name, subst...))
		b.carryConfig(cp, name, "Configure "+svc.Name)
		r.task(Task{Name: "Configure " + svc.Name, Module: "ansible.builtin.template", Comment: "From " + from(c) + ".",
			Args:  M{{K: "src", V: tname}, {K: "dest", V: cp}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Restart " + svc.Name}}})
	}

	desc := svc.Description
	if c, ok := b.configs[svc.Path]; ok {
		if m := shortDescription.FindStringSubmatch(c.Content); m != nil && desc == "" {
			desc = strings.TrimSpace(m[1])
		}
	}
	if desc == "" {
		desc = svc.Name
	}
	user := proc.User
	if user == "" {
		user = "root"
	}
	r.def(name+"_service", svc.Name, "")
	r.template(svc.Name+".service.j2", fmt.Sprintf(`# {{ ansible_managed }}
# Replaces the SysV script %s of %s. ExecStart is the command line the
# daemon ran with there (%s); its output goes to the journal.
[Unit]
Description=%s
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=%s
User=%s
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
`, svc.Path, b.p.Source.Hostname, proc.Evidence, desc, proc.Command, user))

	programVar := name + "_program"
	if program != "" {
		r.task(Task{Name: "Check that the program of " + svc.Name + " is in place", Module: "ansible.builtin.stat",
			Comment: program + " is not in any package and its content is not in the snapshot: copy it from the source (MIGRATION_TODO.md).\nUntil it is there the service is installed but not started.",
			Args:    M{{K: "path", V: program}}, Extra: M{{K: "register", V: programVar}}})
		// Until the program is copied the service does not run: what it did is
		// still to do, not carried.
		ids := []string{ledger.ID(ledger.KindService, svc.Name)}
		if shipper != nil {
			ids = append(ids, ledger.ID(ledger.KindShipper, shipper.Name))
		}
		b.todo(TodoItem{Section: "Software", Title: "Program of " + svc.Name + ": " + program,
			Detail:   fmt.Sprintf("Copy %s from the source, with the libraries it imports (its interpreter is installed by the role). The role starts %s once the file is there. Its command line was `%s`.", program, svc.Name, proc.Command),
			Findings: b.findingKeys("shipper.unreachable"), Facts: []string{proc.Evidence}}, ids...)
	}
	r.task(Task{Name: "Install the systemd unit of " + svc.Name, Module: "ansible.builtin.template",
		Args:  M{{K: "src", V: svc.Name + ".service.j2"}, {K: "dest", V: "/etc/systemd/system/" + svc.Name + ".service"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
		Extra: M{{K: "when", V: "ansible_facts['service_mgr'] == 'systemd'"}, {K: "notify", V: L{"Reload systemd", "Restart " + svc.Name}}}})
	if c, ok := b.configs[svc.Path]; ok && c.Content != "" {
		// Hosts without systemd (containers, the trowel lab) keep the script.
		r.file(path.Base(svc.Path), string(c.Content))
		r.task(Task{Name: "Install the init script of " + svc.Name + " where systemd does not run", Module: "ansible.builtin.copy",
			Comment: "The source's own script (" + svc.Path + "), for hosts whose init is not systemd.",
			Args:    M{{K: "src", V: path.Base(svc.Path)}, {K: "dest", V: svc.Path}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0755"}},
			Extra:   M{{K: "when", V: "ansible_facts['service_mgr'] != 'systemd'"}, {K: "notify", V: "Restart " + svc.Name}}})
	}
	run := Task{Name: "Keep " + svc.Name + " running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ " + name + "_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}}
	restart := Task{Name: "Restart " + svc.Name, Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ " + name + "_service }}"}, {K: "state", V: "restarted"}}}
	if program != "" {
		run.Extra = M{{K: "when", V: programVar + ".stat.exists"}}
		restart.Extra = M{{K: "when", V: programVar + ".stat.exists"}}
	}
	r.task(run)
	if program == "" {
		b.book.Translate(ledger.ID(ledger.KindService, svc.Name), name, svc.Path+" (a SysV script no package provides)",
			"a systemd unit made from the command line it ran with (and the script itself where systemd does not run)", "no package ships a unit for it")
	}
	if b.svcRole == nil {
		b.svcRole = map[string]string{}
	}
	b.svcRole[svc.Name] = name
	if shipper != nil && program == "" {
		b.book.Translate(ledger.ID(ledger.KindShipper, shipper.Name), name, shipper.Name+" started by "+svc.Path, "the "+name+" role's unit", "no package provides it")
	}
	r.handler(Task{Name: "Reload systemd", Module: "ansible.builtin.systemd", Args: M{{K: "daemon_reload", V: true}},
		Extra: M{{K: "when", V: "ansible_facts['service_mgr'] == 'systemd'"}}})
	r.handler(restart)
}

// factsOfService are a service's fact and those of its processes and ports.
func (b *builder) factsOfService(svc snapshot.Service) []string {
	ids := []string{ledger.ID(ledger.KindService, svc.Name)}
	commands := map[string]bool{}
	for _, id := range b.book.Of(ledger.KindProcess) {
		if f, _ := b.book.Fact(id); strings.Contains(f.Source, svc.Name) || strings.Contains(f.Key, "_"+strings.TrimPrefix(svc.Name, "ssh-")) {
			ids = append(ids, id)
			commands[f.Source] = true
		}
	}
	for _, l := range b.s.Listeners {
		if l.Service == svc.Name || svc.MainPID != 0 && l.PID == svc.MainPID || commands[b.command(l.PID)] {
			ids = appendNew(ids, ledger.ID(ledger.KindListener, fmt.Sprintf("%s/%d", l.Family(), l.Port)))
		}
	}
	return ids
}

// knownRole says whether distro's table knows the function a service provides.
func knownRole(name string) bool {
	return slices.Contains(distro.ServiceRoles(), distro.ServiceRole(name))
}
