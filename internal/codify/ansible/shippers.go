package ansible

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// fluentdNames are the names fluentd runs under: td-agent (its packaged
// distribution up to v4), fluent-package (v5), and fluentd itself (a gem).
var fluentdNames = map[string]bool{"fluentd": true, "td-agent": true, "fluent-package": true}

// vendorShippers are shippers whose packages come only from their vendor's own
// repository on every target.
var vendorShippers = map[string]string{
	"fluent-bit":     "Fluent Bit's repository (packages.fluentbit.io)",
	"td-agent-bit":   "Fluent Bit's repository (packages.fluentbit.io)",
	"filebeat":       "Elastic's repository (artifacts.elastic.co)",
	"vector":         "Vector's repository (setup.vector.dev)",
	"datadog-agent":  "Datadog's repository",
	"newrelic-infra": "New Relic's repository",
	"mackerel-agent": "Mackerel's repository",
}

// shippers carries the log shippers rsyslog and the local daemons do not: fluentd
// however it was installed (a package of its own, td-agent, a gem) becomes the
// target's fluentd, its configuration a template with the destination as a
// variable; then every shipper and destination no role carried is a todo.
func (b *builder) shippers() {
	for _, sh := range b.s.Logs.Shippers {
		if fluentdNames[sh.Name] || fluentdNames[sh.Service] {
			if sv, ok := b.serviceOf(cmpOr(sh.Service, sh.Name)); ok && b.s.StateOf(sv).Idle() {
				continue // stopped and disabled: the sweep leaves it
			}
			b.fluentd(sh)
		}
	}
	for _, sh := range b.s.Logs.Shippers {
		id := ledger.ID(ledger.KindShipper, sh.Name)
		d, given := b.book.Given(id)
		for _, dst := range sh.Destinations {
			did := ledger.ID(ledger.KindDestination, ledger.DestinationKey(sh.Name, dst))
			if _, ok := b.book.Given(did); ok {
				continue
			}
			if given && (d == ledger.Carried || d == ledger.Translated) {
				b.book.Carry(did, cmpOr(b.svcRole[sh.Service], b.svcRole[sh.Name], "logging"), "the shipper's configuration names it ("+dst.Source+")")
				continue
			}
			b.todo(TodoItem{Section: "Not translated", Title: "Logs sent to " + dst.HostPort(),
				Detail: fmt.Sprintf("%s sent logs to %s (%s); nothing on the new server does yet, so the collector would get no more: carry %s first.", sh.Name, dst.HostPort(), dst.Source, sh.Name)}, did)
		}
		if given {
			continue
		}
		if sv, ok := b.serviceOf(cmpOr(sh.Service, sh.Name)); ok && b.s.StateOf(sv).Idle() {
			b.book.Leave(id, ledger.Inactive, sh.Name+" neither ran nor started at boot")
			continue
		}
		why := "trowel writes no role for it"
		if repo, ok := vendorShippers[sh.Name]; ok {
			why = "its package comes from " + repo + ", which the project does not add on its own"
		}
		b.todo(TodoItem{Section: "Not translated", Title: "Log shipper " + sh.Name,
			Detail: fmt.Sprintf("%s shipped logs (%s) and %s: install it on the new server with its configuration (%s) before cutover, or the logs of the first hours are lost.", sh.Name, shipperOrigin(sh), why, strings.Join(sh.Configs, ", ")),
			Facts:  sh.Evidence}, id)
	}
}

// shipperOrigin says how the shipper came onto the source: its package, the
// software outside the package manager its program is, or neither.
func shipperOrigin(sh snapshot.LogShipper) string {
	switch {
	case sh.Package != "":
		return sh.Package
	case sh.Software != nil:
		return softwareOrigin(*sh.Software)
	}
	return "installed outside any package"
}

// fluentdPackaged says whether the target's own repositories have fluentd, and
// under which name.
func (b *builder) fluentdPackaged() (string, bool) {
	t := b.p.Target
	if t.ID == "ubuntu" || t.ID == "debian" && t.Version == "11" {
		return "fluentd", true
	}
	return "fluent-package", false
}

func (b *builder) fluentd(sh snapshot.LogShipper) {
	r := b.role("fluentd", "fluentd, which ships the logs to their collector (on the source: "+sh.Name+", "+shipperOrigin(sh)+").")
	pkg, distribution := b.fluentdPackaged()
	r.def("fluentd_packages", L{pkg}, "fluentd on "+b.p.Target.String())
	svc := "fluentd"
	conf := "/etc/fluent/fluentd.conf"
	if distribution {
		r.def("fluentd_service", svc, "the unit Debian's fluentd package ships")
	} else {
		r.def("fluentd_service", svc, "the unit fluent-package ships")
		// Tagged so a host without a way to the vendor's repository (the trowel
		// lab) can leave the role out: --skip-tags thirdparty.
		r.Tags = []string{"thirdparty"}
		b.fluentRepository(r)
	}
	r.task(b.install("fluentd", "fluentd_packages"))
	b.installedBy(pkg, "fluentd")
	var carried []string
	for _, cp := range sh.Configs {
		c, ok := b.configs[cp]
		if !ok || c.Content == "" {
			continue
		}
		var subst [][2]string
		for _, d := range sh.Destinations {
			if file, _, _ := strings.Cut(d.Source, ":"); file != cp || d.Host == "" {
				continue
			}
			b.p.setVar("fluentd_destination_host", d.Host, fmt.Sprintf("where fluentd sends the logs (%s)", d.Source))
			subst = append(subst, [2]string{"host " + d.Host, "host {{ fluentd_destination_host }}"})
			if d.Port != 0 {
				b.p.setVar("fluentd_destination_port", d.Port, "and its port ("+d.Proto+")")
				subst = append(subst, [2]string{fmt.Sprintf("port %d", d.Port), "port {{ fluentd_destination_port }}"})
			}
		}
		dest := conf
		if len(carried) > 0 {
			dest = "/etc/fluent/" + path.Base(cp)
		}
		name := "fluentd-" + path.Base(cp) + ".j2"
		r.template(name, b.templateText(c, "fluentd", subst...))
		task := "Configure fluentd: " + path.Base(dest)
		r.task(Task{Name: "Create fluentd's configuration directory", Module: "ansible.builtin.file",
			Args: M{{K: "path", V: path.Dir(dest)}, {K: "state", V: "directory"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0755"}}})
		r.task(Task{Name: task, Module: "ansible.builtin.template", Comment: "From " + from(c) + "; read by the target's fluentd at " + dest + ".",
			Args:  M{{K: "src", V: name}, {K: "dest", V: dest}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "notify", V: "Restart fluentd"}}})
		b.book.Translate(ledger.ID(ledger.KindConfig, cp), "fluentd", cp, dest, "the target's fluentd reads its configuration there")
		carried = append(carried, cp)
	}
	// The logs it reads must stay readable by the user the package runs it as.
	r.task(Task{Name: "Let fluentd read the logs it ships", Module: "ansible.builtin.user",
		Comment: "The logs it tails are group adm's on Debian and root's on EL; the package's user joins adm where there is one.",
		Args:    M{{K: "name", V: "{{ fluentd_user }}"}, {K: "groups", V: L{"adm"}}, {K: "append", V: true}},
		Extra:   M{{K: "when", V: "ansible_facts['os_family'] == 'Debian'"}, {K: "notify", V: "Restart fluentd"}}})
	r.def("fluentd_user", "_fluentd", "the account the package runs fluentd as")
	task := "Keep fluentd running"
	r.task(Task{Name: task, Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ fluentd_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	r.handler(Task{Name: "Restart fluentd", Module: "ansible.builtin.service", Args: M{{K: "name", V: "{{ fluentd_service }}"}, {K: "state", V: "restarted"}}})
	how := "a package of its own (" + sh.Package + ")"
	if sh.Package == "" {
		how = "installed outside any package (a gem or a tarball) with a unit written by hand"
	}
	b.book.Translate(ledger.ID(ledger.KindShipper, sh.Name), "fluentd", sh.Name+", "+how, pkg+" with the unit it ships",
		"a package the target's package manager keeps up to date, instead of software nothing updates")
	for _, name := range []string{sh.Service, sh.Name} {
		if name != "" && b.book.Has(ledger.ID(ledger.KindService, name)) {
			if b.svcRole == nil {
				b.svcRole = map[string]string{}
			}
			b.svcRole[name] = "fluentd"
			b.unitShipped[name] = true
			b.book.Translate(ledger.ID(ledger.KindService, name), "fluentd", name, "fluentd.service of "+pkg, "the target's package ships the unit")
		}
	}
	for _, cp := range []string{"/etc/systemd/system/" + cmpOr(sh.Service, sh.Name) + ".service", "/etc/init.d/" + cmpOr(sh.Service, sh.Name), "/etc/rc.d/init.d/" + cmpOr(sh.Service, sh.Name)} {
		if b.book.Has(ledger.ID(ledger.KindConfig, cp)) {
			b.book.Translate(ledger.ID(ledger.KindConfig, cp), "fluentd", cp, "fluentd.service of "+pkg, "the target's package ships the unit: no unit is written by hand")
		}
	}
	if sh.Name == "td-agent" || sh.Package != "" && strings.HasPrefix(sh.Package, "td-agent") {
		b.todo(TodoItem{Section: "Check", Title: "fluentd plugins",
			Detail: "Plugins installed with td-agent-gem are not carried: list them on the source (`td-agent-gem list`) and install the ones the configuration uses with `fluent-gem install` on the new server."})
	}
	b.restartOnZone = append(b.restartOnZone, "{{ fluentd_service }}")
}

// fluentRepository adds the Fluent project's repository of fluent-package, the
// distribution of fluentd for targets whose own repositories have none.
func (b *builder) fluentRepository(r *Role) {
	t := b.p.Target
	r.def("fluentd_repository_key", "https://packages.treasuredata.com/GPG-KEY-fluent-package", "the key the Fluent project signs fluent-package with")
	tags := L{"packages", "thirdparty"}
	if b.debian() {
		suite := map[string]string{"12": "bookworm", "13": "trixie"}[t.Version]
		r.def("fluentd_repository", "https://packages.treasuredata.com/lts/5/"+t.ID+"/"+suite+"/", "fluent-package 5 (LTS), from the Fluent project")
		// apt_repository and get_url rather than deb822_repository, which needs
		// ansible-core 2.15: Debian 12's own ansible is 2.14.
		const keyring = "/etc/apt/keyrings/fluent-package.asc"
		r.task(Task{Name: "Create the directory of apt's keyrings", Module: "ansible.builtin.file",
			Args:  M{{K: "path", V: path.Dir(keyring)}, {K: "state", V: "directory"}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0755"}},
			Extra: M{{K: "tags", V: tags}}})
		r.task(Task{Name: "Fetch the key the Fluent project signs fluent-package with", Module: "ansible.builtin.get_url",
			Args:  M{{K: "url", V: "{{ fluentd_repository_key }}"}, {K: "dest", V: keyring}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
			Extra: M{{K: "tags", V: tags}}})
		r.task(Task{Name: "Add the Fluent project's repository of fluent-package", Module: "ansible.builtin.apt_repository",
			Comment: "fluentd is not in " + t.String() + "'s own repositories: fluent-package is its distribution.",
			Args: M{{K: "repo", V: "deb [signed-by=" + keyring + "] {{ fluentd_repository }} " + suite + " contrib"},
				{K: "filename", V: "fluent-package"}, {K: "state", V: "present"}},
			Extra: M{{K: "tags", V: tags}}})
		return
	}
	r.def("fluentd_repository", "https://packages.treasuredata.com/lts/5/redhat/$releasever/$basearch", "fluent-package 5 (LTS), from the Fluent project")
	if t.ID == "amzn" {
		r.Defaults[len(r.Defaults)-1].Value = "https://packages.treasuredata.com/lts/5/amazon/2023/$basearch"
	}
	r.task(Task{Name: "Add the Fluent project's repository of fluent-package", Module: "ansible.builtin.yum_repository",
		Comment: "fluentd is not in " + t.String() + "'s own repositories: fluent-package is its distribution.",
		Args: M{{K: "name", V: "fluent-package"}, {K: "description", V: "fluent-package 5 (LTS)"}, {K: "baseurl", V: "{{ fluentd_repository }}"},
			{K: "gpgkey", V: "{{ fluentd_repository_key }}"}, {K: "gpgcheck", V: true}},
		Extra: M{{K: "tags", V: tags}}})
}
