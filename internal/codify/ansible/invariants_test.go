package ansible

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/ledger/ledgertest"
	"github.com/trowel-dev/trowel/internal/secrets"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The failures of the field report on a Redmine-style server are rules that must
// hold of the project made from any snapshot, for any target: each invariant
// below is checked over every snapshot the repository keeps and over one shaped
// like that server (issueShaped), so a source of a new shape cannot bring them
// back unnoticed.
func TestInvariantsOnEverySnapshot(t *testing.T) {
	snaps := ledgertest.Snapshots(t)
	snaps["issue-shaped"] = issueShaped(t)
	for _, name := range ledgertest.Names(snaps) {
		s := snaps[name]
		for _, target := range distro.Targets() {
			p := build(t, s, target.String())
			files := Render(p)
			for _, inv := range invariants {
				for _, problem := range inv.check(s, p, files) {
					t.Errorf("%s → %s: %s: %s", name, target, inv.name, problem)
				}
			}
		}
	}
}

// The invariants must find what they are about: on the issue-shaped source, each
// has something to check (a shipper, an application, a restricted opening, a URL,
// a module no EL package provides, a datadir inside a data directory).
func TestIssueShapedSourceHasEveryFailure(t *testing.T) {
	s := issueShaped(t)
	facts := ledger.Facts(s)
	has := func(id string) bool {
		return slices.ContainsFunc(facts, func(f ledger.Fact) bool { return f.ID == id })
	}
	for _, id := range []string{"log_shipper:fluentd", "service:fluentd", "application:/var/www/redmine",
		"firewall:tcp/22", "firewall:tcp/25", "web_module:apache/passenger", "data:/opt"} {
		if !has(id) {
			var ids []string
			for _, f := range facts {
				ids = append(ids, f.ID)
			}
			t.Errorf("the issue-shaped source has no fact %s; it has %v", id, ids)
		}
	}
}

type invariant struct {
	name  string
	check func(s *snapshot.Snapshot, p *Project, files map[string]string) []string
}

var invariants = []invariant{
	{"one disposition per fact", onePerFact},
	{"log shippers are carried", shippersCarried},
	{"application trees move whole", applicationsMove},
	{"the firewall is never wider", firewallNeverWider},
	{"a URL is no secret", urlsAreNoSecrets},
	{"modules come with their packages", modulesWithPackages},
	{"a live datadir is dumped, not copied", datadirsDumped},
	{"nothing written is masked", nothingMasked},
}

// nothingMasked: trowel's own scan, which Write runs over every file, finds
// nothing to mask, so what is written is what was rendered (a package's name
// in a field called key read as an API key, and ledger.json was written masked).
func nothingMasked(_ *snapshot.Snapshot, _ *Project, files map[string]string) []string {
	var out []string
	for name, text := range files {
		if _, found := secrets.Mask([]byte(text)); len(found) > 0 {
			out = append(out, fmt.Sprintf("%s:%d: the scan would mask it (%s)", name, found[0].Line, found[0].Rule))
		}
	}
	return out
}

// onePerFact: every fact of the source is in the ledger once, with one of the
// dispositions, and nothing else is.
func onePerFact(s *snapshot.Snapshot, p *Project, _ map[string]string) []string {
	var out []string
	want := map[string]bool{}
	for _, f := range ledger.Facts(s) {
		want[f.ID] = true
	}
	seen := map[string]bool{}
	for _, e := range p.Ledger.Entries {
		switch {
		case seen[e.ID]:
			out = append(out, e.ID+" has two entries")
		case !want[e.ID]:
			out = append(out, e.ID+" is in the ledger but no fact of the source")
		case !slices.Contains(ledger.Dispositions, e.Disposition):
			out = append(out, fmt.Sprintf("%s has no disposition (%q)", e.ID, e.Disposition))
		case e.Unaccounted:
			out = append(out, e.ID+" was given no disposition by any part of the project")
		}
		seen[e.ID] = true
	}
	for id := range want {
		if !seen[id] {
			out = append(out, id+" is silently dropped from the ledger")
		}
	}
	return out
}

// shippersCarried: a log shipper that ran or starts at boot is never left behind;
// fluentd, however installed (a gem with a unit written by hand included), is
// the target's package with its unit, and the logs still reach each destination.
func shippersCarried(s *snapshot.Snapshot, p *Project, _ map[string]string) []string {
	var out []string
	for _, sh := range s.Logs.Shippers {
		e, ok := p.Ledger.Entry(ledger.ID(ledger.KindShipper, sh.Name))
		if !ok {
			continue // neither ran nor starts at boot: no fact
		}
		if e.Disposition == ledger.Left {
			out = append(out, fmt.Sprintf("%s ran and is left behind (%s)", e.ID, e.Why))
		}
		if !fluentdNames[sh.Name] && !fluentdNames[sh.Service] {
			continue
		}
		if e.Disposition != ledger.Translated || e.Role != "fluentd" {
			out = append(out, fmt.Sprintf("%s is %s by %q, not the target's fluentd", e.ID, e.Disposition, e.Role))
			continue
		}
		r := roleNamed(p, "fluentd")
		if r == nil || !slices.ContainsFunc(r.Tasks, func(t Task) bool { return t.Module == "ansible.builtin.service" }) {
			out = append(out, "no fluentd role keeps its service running")
		}
		for _, name := range []string{sh.Service, sh.Name} {
			if se, ok := p.Ledger.Entry(ledger.ID(ledger.KindService, name)); ok && se.Role != "fluentd" {
				out = append(out, fmt.Sprintf("its service %s is %s by %q, not the fluentd package's unit", se.ID, se.Disposition, se.Role))
			}
		}
		for _, d := range sh.Destinations {
			de, ok := p.Ledger.Entry(ledger.ID(ledger.KindDestination, ledger.DestinationKey(sh.Name, d)))
			if ok && de.Disposition != ledger.Carried {
				out = append(out, fmt.Sprintf("its destination %s is %s", de.ID, de.Disposition))
			}
		}
	}
	return out
}

// applicationsMove: every application tree is data that moves whole (its
// attachments and uploads with it), and nothing under it is left behind.
func applicationsMove(s *snapshot.Snapshot, p *Project, _ map[string]string) []string {
	var out []string
	for _, a := range s.Middleware.Apps {
		e, ok := p.Ledger.Entry(ledger.ID(ledger.KindApplication, a.Path))
		if !ok {
			out = append(out, "the application at "+a.Path+" is no fact")
			continue
		}
		if e.Disposition != ledger.Data || !strings.Contains(e.How, a.Path+"/") {
			out = append(out, fmt.Sprintf("%s is %s (%s), not its whole tree moved", e.ID, e.Disposition, e.How))
		}
		under := strings.TrimSuffix(a.Path, "/") + "/"
		for _, x := range p.Ledger.Entries {
			if (x.Kind == ledger.KindData || x.Kind == ledger.KindSoftware) && strings.HasPrefix(x.Key, under) && x.Disposition == ledger.Left {
				out = append(out, fmt.Sprintf("%s, inside %s, is left behind (%s)", x.ID, a.Path, x.Why))
			}
		}
	}
	return out
}

// firewallNeverWider: every way in the project opens was open on the source to
// the same sources or more: a port open from some networks stays open from those
// only. A source without a packet filter let everyone in, so nothing is wider.
func firewallNeverWider(s *snapshot.Snapshot, p *Project, _ map[string]string) []string {
	open, _ := ledger.Openings(s.Network.Firewall)
	if len(open) == 0 {
		return nil
	}
	allowed := func(port int, proto, from string) bool {
		return slices.ContainsFunc(open, func(o ledger.Opening) bool {
			if o.Port != 0 && o.Port != port || o.Proto != "all" && o.Proto != proto {
				return false
			}
			return len(o.Sources) == 0 || from != "" && slices.Contains(o.Sources, from)
		})
	}
	var out []string
	for _, item := range varList(p, "firewall_open_ports") {
		m, _ := item.(M)
		port, _ := mapValue(m, "port").(int)
		proto, _ := mapValue(m, "proto").(string)
		from, _ := mapValue(m, "from").(string)
		if !allowed(port, proto, from) {
			out = append(out, fmt.Sprintf("opens %d/%s from %q, wider than any rule of the source", port, proto, cmpOr(from, "anywhere")))
		}
	}
	return out
}

// vaultAfterScheme is a vault placeholder standing for what followed a URL's
// scheme: a URL taken for a secret.
var vaultAfterScheme = regexp.MustCompile(`\b[a-z][a-z0-9+.-]*:/*\{\{ *vault_`)

// urlsAreNoSecrets: a URL is never made a vault variable (PassengerPreStart
// http://127.0.0.1/ made site.yml refuse to run until someone "filled it in"),
// and every vault variable the project asks for is used by a file it writes.
func urlsAreNoSecrets(_ *snapshot.Snapshot, p *Project, files map[string]string) []string {
	var out []string
	for name, text := range files {
		if loc := vaultAfterScheme.FindString(text); loc != "" {
			out = append(out, fmt.Sprintf("%s makes a URL a secret: %q", name, loc))
		}
	}
	for _, v := range p.Vault {
		used := false
		for name, text := range files {
			if name != "group_vars/all/vault.yml" && strings.Contains(text, v.Name) {
				used = true
				break
			}
		}
		if !used {
			out = append(out, v.Name+" is asked for in the vault and used by nothing")
		}
	}
	return out
}

// loadModule is an uncommented LoadModule line and the module it loads.
var loadModule = regexp.MustCompile(`(?m)^\s*LoadModule\s+(\S+)`)

// modulesWithPackages: an Apache module is only enabled with the package that
// provides it on the target, and never where no package does (httpd would not
// start): neither by the modules the role enables nor by a LoadModule line of a
// template.
func modulesWithPackages(_ *snapshot.Snapshot, p *Project, files map[string]string) []string {
	r := roleNamed(p, "web")
	if r == nil {
		return nil
	}
	var pkgs []string
	for _, d := range r.Defaults {
		if d.Name == "web_apache_packages" {
			for _, x := range d.Value.(L) {
				pkgs = append(pkgs, fmt.Sprint(x))
			}
		}
	}
	var out []string
	enabled := func(module, where string) {
		wm := distro.ApacheModule(module, p.Target)
		if wm.Missing != "" {
			out = append(out, fmt.Sprintf("%s enables %s, which no package of %s provides", where, module, p.Target))
		}
		for _, pk := range wm.Packages {
			if !slices.Contains(pkgs, pk) {
				out = append(out, fmt.Sprintf("%s enables %s without installing %s", where, module, pk))
			}
		}
	}
	for _, m := range varList(p, "web_apache_modules") {
		enabled(fmt.Sprint(m), "web_apache_modules")
	}
	for name, text := range files {
		if !strings.HasPrefix(name, "roles/") || !strings.Contains(name, "/templates/") {
			continue
		}
		for _, m := range loadModule.FindAllStringSubmatch(text, -1) {
			enabled(m[1], name)
		}
	}
	return out
}

// datadirsDumped: the files of a running database are never copied as files (a
// live datadir copied by rsync is a corrupt database): a data directory or an
// application tree that holds one either leaves it out of the copy or is moved
// as the database's dump.
func datadirsDumped(s *snapshot.Snapshot, p *Project, _ map[string]string) []string {
	var dirs []string
	for _, db := range s.Middleware.Databases {
		for _, d := range []string{db.Datadir, db.DatadirReal} {
			if d != "" {
				dirs = append(dirs, strings.TrimSuffix(d, "/"))
			}
		}
	}
	var out []string
	for _, e := range p.Ledger.Entries {
		if e.Disposition != ledger.Data || !strings.Contains(e.How, "rsync") {
			continue
		}
		tree := strings.TrimSuffix(e.Key, "/")
		for _, dd := range dirs {
			if dd != tree && !strings.HasPrefix(dd, tree+"/") {
				continue
			}
			if !strings.Contains(e.How, "--exclude=/"+strings.TrimPrefix(dd, tree+"/")) || dd == tree {
				out = append(out, fmt.Sprintf("%s copies the live datadir %s with rsync: %s", e.ID, dd, e.How))
			}
		}
	}
	return out
}

func roleNamed(p *Project, name string) *Role {
	for _, r := range p.Roles {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func varList(p *Project, name string) L {
	for _, v := range p.Vars {
		if v.Name == name {
			l, _ := v.Value.(L)
			return l
		}
	}
	return nil
}

func mapValue(m M, k string) any {
	for _, kv := range m {
		if kv.K == k {
			return kv.V
		}
	}
	return nil
}

// issueShaped is the lab's legacy host given the shape of the field report's
// Redmine server: a gem-installed fluentd with a unit written by hand, Redmine's
// attachments in its tree, a packet filter letting SSH in from 10.0.0.0/8 only
// and SMTP from the relay only, Passenger loaded with a PassengerPreStart URL,
// and MariaDB's datadir inside /opt, a data directory of its own.
func issueShaped(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	s := legacyLab(t)
	on := true
	unit := "/etc/systemd/system/fluentd.service"
	s.Services = append(s.Services, snapshot.Service{Name: "fluentd", Running: &on, Enabled: &on, EnabledState: "enabled", User: "fluentd", Evidence: []string{"file:" + unit}})
	s.Logs.Shippers = append(s.Logs.Shippers, snapshot.LogShipper{Name: "fluentd", Running: &on, Service: "fluentd",
		Configs: []string{"/etc/fluent/fluent.conf"}, Inputs: []string{"/var/log/apache2/access.log"},
		Destinations: []snapshot.Endpoint{{Host: "10.231.0.40", Port: 24224, Proto: "forward", Source: "/etc/fluent/fluent.conf:9"}},
		Evidence:     []string{"file:/etc/fluent/fluent.conf", "file:" + unit}})
	s.Files.Configs = append(s.Files.Configs,
		snapshot.ConfigFile{Path: "/etc/fluent/fluent.conf", State: "unowned", Content: "<source>\n  @type tail\n  path /var/log/apache2/access.log\n  tag apache.access\n</source>\n<match **>\n  @type forward\n  <server>\n    host 10.231.0.40\n    port 24224\n  </server>\n</match>\n"},
		snapshot.ConfigFile{Path: unit, State: "unowned", Content: "[Service]\nExecStart=/usr/local/bin/fluentd -c /etc/fluent/fluent.conf\n"})
	for i := range s.Files.Configs {
		if c := &s.Files.Configs[i]; c.Path == "/etc/apache2/sites-available/redmine.conf" {
			c.Content = "LoadModule passenger_module /usr/lib/apache2/modules/mod_passenger.so\nPassengerPreStart http://127.0.0.1/\n" + c.Content
		}
	}
	for i := range s.Middleware.WebServers {
		if ws := &s.Middleware.WebServers[i]; ws.Kind == "apache" {
			ws.Modules = append(ws.Modules, "passenger_module")
		}
	}
	s.Network.Firewall = snapshot.Firewall{Tool: "iptables", Evidence: []string{"cmd:iptables-save"}, Rules: []snapshot.FirewallRule{
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -i lo -j ACCEPT", Evidence: "cmd:iptables-save"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT", Evidence: "cmd:iptables-save"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT", Evidence: "cmd:iptables-save"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -s 10.231.0.25/32 -p tcp -m tcp --dport 25 -j ACCEPT", Evidence: "cmd:iptables-save"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT", Evidence: "cmd:iptables-save"},
		{Table: "filter", Chain: "INPUT", Rule: "-A INPUT -j REJECT --reject-with icmp-host-prohibited", Evidence: "cmd:iptables-save"},
	}}
	cov := s.Coverage[snapshot.SectionFirewall]
	cov.Status, cov.Reason = snapshot.Collected, ""
	s.Coverage[snapshot.SectionFirewall] = cov
	// A tarball's database, as on the lab's webapp: the datadir named through
	// /usr/local/mysql, a link into /opt, which the ledger copies as data.
	for i := range s.Middleware.Databases {
		s.Middleware.Databases[i].Datadir = "/usr/local/mysql/data"
		s.Middleware.Databases[i].DatadirReal = "/opt/mariadb-10.5.23-linux-x86_64/data"
	}
	for i := range s.Storage.DataDirs {
		if d := &s.Storage.DataDirs[i]; d.Path == "/opt" {
			n := int64(512 << 20)
			d.Bytes, d.Purpose = &n, "software and data outside any package"
		}
	}
	return s
}
