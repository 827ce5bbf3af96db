package ansible

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// firewall opens what the source's packet filter opened, each way in to the
// sources it was open to and never wider; where the source had no filter, the
// ports its carried services listened on (it was open to everyone), and SSH.
// Debian and Ubuntu get ufw (their own front end, with a per-port rule module and
// a SysV script for hosts without systemd); EL and Amazon Linux get firewalld,
// their default.
func (b *builder) firewall() {
	// Tagged so a dry run against the old server, which ran no firewall, can
	// leave it out: --skip-tags firewall.
	r := b.role("firewall", "Open what the source opened, to whom it opened it, and nothing else.")
	r.Tags = []string{"firewall"}
	open, unread := ledger.Openings(b.s.Network.Firewall)
	filtered := b.readable(snapshot.SectionFirewall) && len(open)+len(unread) > 0
	task := "Allow what the source allowed"
	var items L
	seen := map[string]bool{}
	addItem := func(port int, proto, from, why string) {
		k := fmt.Sprintf("%d/%s/%s", port, proto, from)
		if seen[k] {
			return
		}
		seen[k] = true
		item := M{}
		if port != 0 {
			item = append(item, KV{K: "port", V: port, Comment: why}, KV{K: "proto", V: proto})
		} else {
			item = append(item, KV{K: "proto", V: proto, Comment: why})
		}
		if from != "" {
			item = append(item, KV{K: "from", V: from})
		}
		items = append(items, item)
	}
	if filtered {
		sort.SliceStable(open, func(i, j int) bool { return open[i].Port < open[j].Port })
		for i, o := range open {
			id := ledger.ID(ledger.KindFirewall, b.openingKey(open, i))
			if o.Port == 0 && len(o.Sources) == 0 {
				b.todo(TodoItem{Section: "Not translated", Title: "A firewall rule that lets everything in",
					Detail: fmt.Sprintf("`%s` accepted every port from anywhere on the source. The project opens only the ports listed in firewall_open_ports; decide whether anything else must be reachable.", o.Rule)}, id)
				continue
			}
			if len(o.Sources) == 0 {
				addItem(o.Port, o.Proto, "", "open to anywhere on the source: "+o.Rule)
			}
			for _, src := range o.Sources {
				addItem(o.Port, o.Proto, src, "open to "+src+" only on the source: "+o.Rule)
			}
			b.book.Carry(id, "firewall", task+" ("+o.Key()+" from "+o.From()+")")
		}
		for _, u := range unread {
			b.todo(TodoItem{Section: "Not translated", Title: "A firewall rule trowel cannot read",
				Detail: fmt.Sprintf("`%s` (%s %s) is not carried: translate it by hand, keeping its sources.", u.Rule, u.Table, u.Chain), Facts: []string{u.Evidence}},
				ledger.ID(ledger.KindFirewall, "rule:"+u.Rule))
		}
		if !slices.ContainsFunc(open, func(o ledger.Opening) bool { return o.Proto == "tcp" && (o.Port == 22 || o.Port == 0) }) {
			b.todo(TodoItem{Section: "Check", Title: "SSH stays closed",
				Detail: "The source's rules opened no way in to port 22, and neither does the project: make sure the machine running Ansible reaches the new server some other way (a console, a rule you add) before the firewall role runs."})
		} else if !slices.ContainsFunc(open, func(o ledger.Opening) bool { return o.Proto == "tcp" && o.Port == 22 && len(o.Sources) == 0 }) {
			b.todo(TodoItem{Section: "Check", Title: "SSH only from where the source allowed it",
				Detail: "The source let SSH in only from some addresses, and so does the project: run Ansible from one of them (firewall_open_ports in group_vars/all/main.yml), or it locks itself out when the firewall role runs."})
		}
	} else {
		ports := append([]openPort{{Port: 22, Proto: "tcp", Service: "ssh", Source: "the management connection"}}, b.ports...)
		sort.SliceStable(ports, func(i, j int) bool { return ports[i].Port < ports[j].Port })
		for _, p := range ports {
			addItem(p.Port, p.Proto, "", fmt.Sprintf("%s (%s)", p.Service, p.Source))
		}
		// Not applicable (no packet filter at all) is known, not unknown.
		if known, why := b.s.Coverage[snapshot.SectionFirewall].SourceRead(""); !known {
			b.todo(TodoItem{Section: "Not translated", Title: "The source's firewall is unknown",
				Detail: "The source's packet filter was not read (" + cmpOr(why, "not surveyed") + "), so the project opens the ports the services listened on to everyone: if the source restricted who may connect, add the sources (from:) to firewall_open_ports."})
		}
	}
	comment := "what the source's packet filter let in, each to the sources it was open to (never wider)"
	if !filtered {
		comment = "the source had no packet filter: the ports its carried services listened on outside loopback (open to everyone there too), and SSH"
	}
	b.p.setVar("firewall_open_ports", items, comment)
	r.def("firewall_open_ports", L{}, "ways in to open: port (none for every port), proto, and from (a source address or network; none for anywhere)")
	if b.debian() {
		b.p.addCollection("community.general")
		b.p.def("ufw", r, []string{"ufw"})
		r.task(b.install("ufw", "firewall_ufw_packages"))
		r.task(Task{Name: task, Module: "community.general.ufw",
			Args: M{{K: "rule", V: "allow"}, {K: "port", V: "{{ item.port | string if item.port is defined else omit }}"},
				{K: "proto", V: "{{ item.proto if item.proto != 'all' else 'any' }}"}, {K: "from_ip", V: "{{ item.from | default('any') }}"}},
			Extra: M{{K: "loop", V: "{{ firewall_open_ports }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.port | default('all') }}/{{ item.proto }} from {{ item.from | default('anywhere') }}"}}}}})
		r.task(Task{Name: "Turn the firewall on, denying what is not allowed", Module: "community.general.ufw",
			Args: M{{K: "state", V: "enabled"}, {K: "policy", V: "deny"}, {K: "direction", V: "incoming"}}})
	} else {
		b.p.addCollection("ansible.posix")
		b.p.def("firewalld", r, b.packages("firewalld"))
		r.task(b.install("firewalld", "firewall_firewalld_packages"))
		r.task(Task{Name: "Keep firewalld running", Module: "ansible.builtin.service",
			Args: M{{K: "name", V: "firewalld"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
		r.task(Task{Name: task + " from anywhere", Module: "ansible.posix.firewalld",
			Args:  M{{K: "port", V: "{{ item.port }}/{{ item.proto }}"}, {K: "permanent", V: true}, {K: "immediate", V: true}, {K: "state", V: "enabled"}},
			Extra: M{{K: "loop", V: "{{ firewall_open_ports | rejectattr('from', 'defined') | selectattr('port', 'defined') | list }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.port }}/{{ item.proto }}"}}}}})
		r.task(Task{Name: task + " from its sources only", Module: "ansible.posix.firewalld",
			Comment: "A rich rule per source keeps each way in as narrow as it was.",
			Args: M{{K: "rich_rule", V: `rule family="{{ firewall_family }}" source address="{{ item.from }}"{{ firewall_port }} accept`},
				{K: "permanent", V: true}, {K: "immediate", V: true}, {K: "state", V: "enabled"}},
			// The rule's parts are task variables so each line stays within ansible-lint's length.
			Extra: M{{K: "vars", V: M{{K: "firewall_family", V: "{{ 'ipv6' if ':' in item.from else 'ipv4' }}"},
				{K: "firewall_port", V: `{{ (' port port="' ~ item.port ~ '" protocol="' ~ item.proto ~ '"') if item.port is defined else '' }}`}}},
				{K: "loop", V: "{{ firewall_open_ports | selectattr('from', 'defined') | list }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.port | default('all') }}/{{ item.proto }} from {{ item.from }}"}}}}})
	}
	if !b.readable(snapshot.SectionListeners) {
		b.todo(TodoItem{Section: "Not translated", Title: "Listening ports unknown",
			Detail: "The listeners section was not collected (an offline survey has no running system): the ports opened are the source's firewall rules, or SSH alone where it had none. Add what the services need."})
	}
	var others []string
	for _, l := range b.s.Listeners {
		if l.Service == "" && l.Reach() != snapshot.ReachLoopback && !filtered && !seen[fmt.Sprintf("%d/%s/", l.Port, l.Family())] {
			others = append(others, fmt.Sprintf("%d/%s (%s)", l.Port, l.Proto, cmp.Or(b.command(l.PID), l.Process)))
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		b.p.todo(TodoItem{Section: "Not translated", Title: "Ports of no carried-over service",
			Detail: "These listened on the source but belong to no service the project carries, so they stay closed: " + strings.Join(slices.Compact(others), ", ") + "."})
	}
}

// openingKey is the key the ledger gave the i-th opening (a second opening of
// one port is #2).
func (b *builder) openingKey(open []ledger.Opening, i int) string {
	n := 0
	for j := range i + 1 {
		if open[j].Key() == open[i].Key() {
			n++
		}
	}
	if n > 1 {
		return fmt.Sprintf("%s#%d", open[i].Key(), n)
	}
	return open[i].Key()
}

// firewallTool is the target's packet filter front end.
func (b *builder) firewallTool() string {
	if b.debian() {
		return "ufw"
	}
	return "firewalld"
}

// command is the command line of a process at survey time, "" when unknown.
func (b *builder) command(pid int) string {
	for _, p := range b.s.Processes {
		if p.PID == pid && pid != 0 {
			return p.Command
		}
	}
	return ""
}
