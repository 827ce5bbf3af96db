package ansible

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// configRule decides a changed config no role put in place, by where it is.
type configRule struct {
	match func(p string) bool
	// decide gives the disposition; it returns false to leave the file to the
	// next rule.
	decide func(b *builder, c snapshot.ConfigFile, id string) bool
}

func prefix(ps ...string) func(string) bool {
	return func(p string) bool {
		for _, x := range ps {
			if p == x || strings.HasSuffix(x, "/") && strings.HasPrefix(p, x) {
				return true
			}
		}
		return false
	}
}

func translated(role, to, why string) func(*builder, snapshot.ConfigFile, string) bool {
	return func(b *builder, c snapshot.ConfigFile, id string) bool {
		b.book.Translate(id, role, c.Path, to, why)
		return true
	}
}

func leftToTarget(why string) func(*builder, snapshot.ConfigFile, string) bool {
	return func(b *builder, _ snapshot.ConfigFile, id string) bool {
		b.book.Leave(id, ledger.TargetOS, why)
		return true
	}
}

// configRules are in order; the first that decides wins.
var configRules = []configRule{
	{prefix("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"),
		translated("accounts", "the accounts role's users and groups", "the people and the groups they are in are created with their ids; system accounts are the target's own")},
	{prefix("/etc/hostname", "/etc/sysconfig/network", "/etc/HOSTNAME"),
		translated("base", "base_hostname", "the host name is set by the base role")},
	{prefix("/etc/hosts"), translated("base", "base_hosts_entries", "the lines naming other systems are set by the base role; the host's own come with the new server")},
	{prefix("/etc/timezone", "/etc/localtime", "/etc/sysconfig/clock"), translated("base", "base_timezone", "the zone is set by the base role")},
	{prefix("/etc/sysctl.conf", "/etc/sysctl.d/"), translated("base", "base_sysctl", "each parameter an administrator set is carried on its own")},
	{prefix("/etc/ntp.conf", "/etc/chrony.conf", "/etc/chrony/"), translated("base", "chrony's drop-in", "the time servers are carried one by one into chrony's configuration")},
	{prefix("/etc/sysconfig/iptables", "/etc/sysconfig/ip6tables", "/etc/iptables/", "/etc/ufw/", "/etc/nftables.conf", "/etc/firewalld/"),
		func(b *builder, c snapshot.ConfigFile, id string) bool {
			b.book.Translate(id, "firewall", c.Path, b.firewallTool(), "the firewall role opens what its rules opened, with the sources they were open to")
			return true
		}},
	{prefix("/etc/apt/", "/etc/yum.repos.d/", "/etc/yum.conf", "/etc/yum/", "/etc/dnf/", "/var/lib/rpm/", "/var/lib/dpkg/"),
		leftToTarget("the package manager's own configuration: the target has its own repositories")},
	{prefix("/etc/resolv.conf", "/etc/sysconfig/network-scripts/", "/etc/network/interfaces", "/etc/network/interfaces.d/", "/etc/netplan/", "/etc/dhclient"),
		func(b *builder, c snapshot.ConfigFile, id string) bool {
			b.todo(TodoItem{Section: "Not translated", Title: "Network configuration " + c.Path,
				Detail: "The new server's addresses, routes and resolvers are its own network's; at cutover it takes over the old address or the name points to it. Compare " + c.Path + " with the new server's and carry what still applies (resolvers, static routes).", Facts: c.Evidence}, id)
			return true
		}},
	{prefix("/etc/logrotate.conf", "/etc/logrotate.d/"),
		func(b *builder, c snapshot.ConfigFile, id string) bool {
			svc := path.Base(c.Path)
			if role := b.svcRole[svc]; role != "" || b.svcRole[strings.TrimSuffix(svc, "d")] != "" {
				b.book.Leave(id, ledger.TargetOS, "the target's package rotates its service's logs with its own file")
				return true
			}
			return false
		}},
	{func(p string) bool {
		return strings.HasPrefix(p, "/etc/init.d/") || strings.HasPrefix(p, "/etc/rc.d/init.d/")
	},
		func(b *builder, c snapshot.ConfigFile, id string) bool {
			name := path.Base(c.Path)
			d, _ := b.book.Given(ledger.ID(ledger.KindService, name))
			if d == ledger.Todo && b.svcRole[name] != "" {
				// A role that writes the unit, still waiting for its program.
				d = ledger.Carried
			}
			switch d {
			case ledger.Carried, ledger.Translated:
				if role := b.svcRole[name]; role != "" && b.unitShipped[name] {
					b.book.Translate(id, role, c.Path, "the unit of the target's package", "the target's package ships a unit for "+name)
					return true
				}
				b.book.Carry(id, cmpOr(b.svcRole[name], "daemons"), "replaced by the systemd unit the role writes")
				return true
			case ledger.Left:
				b.book.Leave(id, ledger.TargetOS, "the init script of "+name+", which the target runs its own of")
				return true
			}
			return false
		}},
}

// configSweep decides the changed configs no role put in place, and the
// expectations no fact of another kind claims.
func (b *builder) configSweep() {
	for _, c := range b.s.Files.Configs {
		id := ledger.ID(ledger.KindConfig, c.Path)
		if _, given := b.book.Given(id); given || !b.book.Has(id) {
			continue
		}
		if c.State == "missing" {
			b.book.Leave(id, ledger.Inactive, "removed on the source: the file did nothing there ("+cmpOr(c.Package, "no package")+" installed it)")
			continue
		}
		decided := false
		for _, r := range configRules {
			if r.match(c.Path) && r.decide(b, c, id) {
				decided = true
				break
			}
		}
		if decided {
			continue
		}
		if owner := b.inactiveOwner(c); owner != "" {
			b.book.Leave(id, ledger.Inactive, "configures "+owner+", which neither ran nor started at boot on the source: what is carried follows what runs")
			continue
		}
		if c.ContentNote == "secret" {
			b.todo(TodoItem{Section: "Secrets", Title: c.Path,
				Detail: "A secret file the survey never read. Supply it through the vault (see group_vars/all/vault.yml) or issue a new one.", Facts: c.Evidence}, id)
			continue
		}
		detail := fmt.Sprintf("%s no role carries. Compare it with the new server's and carry the change by hand if it still applies.", from(c))
		if ch := changesText(c.Settings); ch != "" {
			detail += " The settings that differ from its package's: " + ch + "."
		}
		b.todo(TodoItem{Section: "Not translated", Title: "Configuration " + c.Path, Detail: detail, Facts: c.Evidence}, id)
	}
	for _, id := range b.book.Of(ledger.KindCheck) {
		if _, given := b.book.Given(id); !given {
			f, _ := b.book.Fact(id)
			b.todo(TodoItem{Section: "Check", Title: "Expected of the new server: " + f.Key,
				Detail: "trowel verify checks this, and no part of the project carries it: do it by hand, or edit the spec."}, id)
		}
	}
}

// inactiveOwner names the service a config is of when that service neither ran
// nor started at boot ("" otherwise): a stopped service's configuration is never
// carried in place of a running one's.
func (b *builder) inactiveOwner(c snapshot.ConfigFile) string {
	for _, sv := range b.s.Services {
		if !b.s.StateOf(sv).Idle() {
			continue
		}
		mine := c.Package != "" && c.Package == sv.Package
		for _, p := range sv.Configs {
			mine = mine || p == c.Path
		}
		if !mine && strings.HasPrefix(c.Path, "/etc/"+sv.Name+"/") {
			mine = true
		}
		if mine {
			return sv.Name
		}
	}
	return ""
}

// changesText lists a config's changed settings.
func changesText(ss []snapshot.SettingChange) string {
	var out []string
	for _, s := range ss {
		k := cmpOr(s.Key, "line")
		if s.Section != "" {
			k = s.Section + " " + k
		}
		switch {
		case s.Hidden:
			out = append(out, k+" (changed, value not shown)")
		case s.Change == "removed":
			out = append(out, k+" removed (was "+s.Was+")")
		default:
			out = append(out, k+" = "+s.Now)
		}
	}
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("and %d more", len(out)-12))
	}
	return strings.Join(out, "; ")
}
