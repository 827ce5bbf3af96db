package ansible

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The ledger's side of the builder: each row says what became of the facts it
// handles, and the sweeps of the rows that own a kind decide the rest.

// todo lists an item in MIGRATION_TODO.md and makes it the ledger's todo for the
// facts it is about.
func (b *builder) todo(t TodoItem, ids ...string) {
	t.Ledger = append(t.Ledger, ids...)
	b.p.todo(t)
	for _, id := range ids {
		b.book.Decide(id, strings.TrimSpace(t.Title+". "+t.Detail), t.Findings...)
	}
}

// moves lists data to move in MIGRATION_TODO.md and makes it the ledger's data
// entry for the facts it is about.
func (b *builder) moves(t TodoItem, how, time string, ids ...string) {
	t.Section = "Data"
	t.Ledger = append(t.Ledger, ids...)
	b.p.todo(t)
	for _, id := range ids {
		b.book.Move(id, how, time)
	}
}

// carryService records that role runs a service on the new host: its listeners
// and processes are the role's too.
func (b *builder) carryService(name, role, task string) {
	if name == "" {
		return
	}
	if b.svcRole == nil {
		b.svcRole = map[string]string{}
	}
	b.svcRole[name] = role
	if b.unitShipped == nil {
		b.unitShipped = map[string]bool{}
	}
	b.unitShipped[name] = true
	b.book.Carry(ledger.ID(ledger.KindService, name), role, task)
}

// carryConfig records that a template or file of role puts a config in place.
func (b *builder) carryConfig(p, role, task string) {
	b.book.Carry(ledger.ID(ledger.KindConfig, p), role, task)
}

// serviceOf finds a service of the snapshot by name.
func (b *builder) serviceOf(name string) (snapshot.Service, bool) {
	for _, sv := range b.s.Services {
		if sv.Name == name {
			return sv, true
		}
	}
	return snapshot.Service{}, false
}

// osPlumbing are services every installation of the target runs its own of (or
// has no use for): the hardware clock, device and kernel setup, the network's
// bring-up, the package manager's timers, the console. Names are path.Match
// patterns.
var osPlumbing = []string{
	"hwclock*", "procps", "e2scrub*", "fstrim", "apt-daily*", "systemd-*", "dbus", "messagebus",
	"network", "networking", "NetworkManager*", "kudzu", "haldaemon", "acpid", "irqbalance",
	"lvm2*", "mdmonitor*", "microcode*", "cpuspeed", "readahead*", "udev*", "getty*", "serial-getty*",
	"console-getty", "container-getty*",
	"console-setup", "keyboard-setup", "kmod", "rc-local", "rmnologin", "bootlogs", "motd", "cryptdisks*",
	"plymouth*", "netfs", "netconsole", "rawdevices", "restorecond", "mcstrans", "setroubleshoot", "isdn",
	"pcscd", "bluetooth", "hidd", "gpm", "firstboot", "yum-updatesd", "anacron", "atd", "auditd", "avahi-daemon",
	"cups", "portmap", "nfslock", "rpcgssd", "rpcidmapd", "sendmail", "xfs", "iscsi*", "mdadm*", "smartd",
	"lm_sensors", "ip6tables", "unattended-upgrades", "ssh", "sshd",
}

// instanceRole is the role that carries the service an instance unit
// (postfix@-) belongs to: one of the same package whose service a role carries,
// and which starts the instances itself.
func (b *builder) instanceRole(sv snapshot.Service) string {
	base, _, ok := strings.Cut(sv.Name, "@")
	if !ok || sv.Package == "" {
		return ""
	}
	if owner, found := b.serviceOf(base); found && owner.Package == sv.Package {
		return b.svcRole[base]
	}
	return ""
}

func plumbing(name string) bool {
	for _, p := range osPlumbing {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}

// serviceSweep decides the services, listeners, processes, servers and settings
// no role carried: the OS's own are left to the target's, the rest are todos.
func (b *builder) serviceSweep() {
	for _, sv := range b.s.Services {
		id := ledger.ID(ledger.KindService, sv.Name)
		if _, given := b.book.Given(id); given || !b.book.Has(id) {
			continue
		}
		switch {
		case sv.Name == "iptables" || sv.Name == "firewalld" || sv.Name == "ufw" || sv.Name == "nftables" || sv.Name == "netfilter-persistent":
			b.book.Translate(id, "firewall", sv.Name, b.firewallTool(), "the firewall role opens what the source's rules opened, with the sources they were open to")
		case distro.ServiceRole(sv.Name) == "syslog":
			b.book.Translate(id, "base", sv.Name, "the target's own rsyslog", "every target logs with rsyslog, which reads the same selector lines; the source's own lines are listed apart (its configuration)")
		case sv.Name == "ssh" || sv.Name == "sshd":
			b.book.Leave(id, ledger.TargetOS, "the target's own sshd, installed with it; the source's sshd settings are listed apart (setting:sshd:*)")
		case b.instanceRole(sv) != "":
			role := b.instanceRole(sv)
			b.svcRole[sv.Name] = role
			b.book.Carry(id, role, "the instance "+sv.Name+" of "+sv.Package+"'s unit: the package starts it with its service, which the "+role+" role carries")
		case plumbing(sv.Name):
			b.book.Leave(id, ledger.TargetOS, "every installation of "+b.p.Target.String()+" runs its own "+sv.Name+" (or has no use for it)")
		default:
			state := "starts at boot"
			if ledger.Runs(sv) {
				state = "ran"
			}
			how := "no package of the source provides it and it was not running, so its command line is unknown"
			if ledger.Runs(sv) {
				how = "no package of the source provides it: carry its unit and the program it starts by hand"
			}
			if sv.Package != "" {
				how = "trowel writes no role for it: install its package on the target (" + sv.Package + " on the source) and carry its configuration"
			}
			b.todo(TodoItem{Section: "Not translated", Title: "Service " + sv.Name,
				Detail: fmt.Sprintf("%s %s on the source (%s); %s.", sv.Name, state, sv.Path, how), Facts: sv.Evidence}, id)
		}
	}
	for _, l := range b.s.Listeners {
		id := ledger.ID(ledger.KindListener, fmt.Sprintf("%s/%d", l.Family(), l.Port))
		if _, given := b.book.Given(id); given {
			continue
		}
		svc := l.Service
		if svc == "" {
			svc = b.serviceOfProcess(l.PID)
		}
		svcID := ledger.ID(ledger.KindService, svc)
		d, _ := b.book.Given(svcID)
		switch {
		case l.Ephemeral != "":
			b.book.Leave(id, ledger.Ephemeral, l.Ephemeral)
		case b.svcRole[svc] != "":
			b.book.Carry(id, b.svcRole[svc], svc+" listens on it as it did")
		case d == ledger.Left:
			b.book.Leave(id, ledger.TargetOS, "the port of "+svc+", which the target's own "+svc+" listens on")
		default:
			what := cmpOr(svc, l.Process, "a program")
			b.todo(TodoItem{Section: "Not translated", Title: fmt.Sprintf("Port %d/%s", l.Port, l.Family()),
				Detail: fmt.Sprintf("%s listened on %s on the source and no role carries it: carry what answers there, or tell its clients it is gone.", what, l.HostPort())}, id)
		}
	}
	for _, id := range b.book.Of(ledger.KindProcess) {
		if _, given := b.book.Given(id); given {
			continue
		}
		f, _ := b.book.Fact(id)
		prog, _, _ := strings.Cut(f.Key, ":")
		if job, ok := b.rebootJob(prog); ok {
			if d, _ := b.book.Given(ledger.JobID(job)); d == ledger.Carried {
				if tree, moves := b.movedWith(prog); moves {
					b.book.Move(id, "its program comes with "+tree+", which moves as data; then the @reboot job of "+job.User+" ("+ledger.JobKey(job)+") starts it", "")
					continue
				}
				b.book.Carry(id, "cron", "started at boot by the @reboot job of "+job.User+" ("+ledger.JobKey(job)+")")
				continue
			}
		}
		b.todo(TodoItem{Section: "Not translated", Title: "Program " + prog,
			Detail: fmt.Sprintf("%s ran on its own on the source (%s), started by no service the project carries: find what started it and carry that.", prog, f.Source)}, id)
	}
	for _, id := range b.book.Of(ledger.KindServer) {
		if _, given := b.book.Given(id); !given {
			f, _ := b.book.Fact(id)
			if why, off := b.serverOff(f.Key); off {
				b.book.Leave(id, ledger.Inactive, why)
				continue
			}
			b.todo(TodoItem{Section: "Not translated", Title: "Server " + f.Key, Detail: "trowel writes no role for " + f.Title + "; its settings are in the snapshot."}, id)
		}
	}
	for _, id := range b.book.Of(ledger.KindSetting) {
		if _, given := b.book.Given(id); !given {
			f, _ := b.book.Fact(id)
			server, _, _ := strings.Cut(f.Key, ":")
			if why, off := b.serverOff(server); off {
				b.book.Leave(id, ledger.Inactive, why)
				continue
			}
			b.todo(TodoItem{Section: "Not translated", Title: "Setting " + f.Key, Detail: f.Title + " (" + f.Source + ") is not carried: set it on the new host if it still applies."}, id)
		}
	}
}

// movedWith is the data tree a program lies in (a home directory), which the
// migration moves as data: the program is there only once it has moved. (The
// data plan gives the trees their dispositions after this sweep.)
func (b *builder) movedWith(prog string) (string, bool) {
	for _, id := range b.book.Of(ledger.KindData) {
		f, _ := b.book.Fact(id)
		if tree := strings.TrimSuffix(f.Key, "/"); strings.HasPrefix(tree, "/") && strings.HasPrefix(prog, tree+"/") {
			return f.Key, true
		}
	}
	return "", false
}

// serverOff says whether the server a setting belongs to (mariadb, dovecot ...)
// is known to have neither run nor started at boot: its configuration is not
// what the host did. A server of no known service is not off.
func (b *builder) serverOff(server string) (string, bool) {
	mw := b.s.Middleware
	svc := ""
	for _, d := range mw.Databases {
		if d.Kind == server {
			svc = cmpOr(svc, d.Service)
		}
	}
	for _, m := range mw.Mail {
		if m.Kind == server {
			svc = cmpOr(svc, m.Service)
		}
	}
	for _, c := range mw.Caches {
		if c.Kind == server {
			svc = cmpOr(svc, c.Service)
		}
	}
	if !b.s.ServiceIdle(svc) {
		return "", false
	}
	return server + " (" + svc + ") neither ran nor started at boot on the source: its configuration was not in use", true
}

func (b *builder) serviceOfProcess(pid int) string {
	for _, p := range b.s.Processes {
		if p.PID == pid && pid != 0 {
			return p.Service
		}
	}
	return ""
}

// rebootJob is the @reboot job that starts a program, when one does.
func (b *builder) rebootJob(prog string) (snapshot.CronJob, bool) {
	for _, j := range b.s.CronJobs {
		if j.Schedule == "@reboot" && strings.Contains(j.Command, prog) {
			return j, true
		}
	}
	return snapshot.CronJob{}, false
}

func cmpOr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
