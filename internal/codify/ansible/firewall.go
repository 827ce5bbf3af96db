package ansible

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// firewall opens the ports the carried-over services listened on, and SSH. Debian
// and Ubuntu get ufw (their own front end, with a per-port rule module and a SysV
// script for hosts without systemd); EL and Amazon Linux get firewalld, their
// default. The source's rules themselves are not translated: a host-level rule
// set rarely survives a move of addresses, and listening ports are what the
// services need.
func (b *builder) firewall() {
	r := &Role{Name: "firewall", Description: "Open the ports the services listen on, and nothing else."}
	b.p.Roles = append(b.p.Roles, r)
	ports := append([]openPort{{Port: 22, Proto: "tcp", Service: "ssh", Source: "the management connection"}}, b.ports...)
	sort.SliceStable(ports, func(i, j int) bool { return ports[i].Port < ports[j].Port })
	var items L
	seen := map[string]bool{}
	for _, p := range ports {
		k := fmt.Sprintf("%d/%s", p.Port, p.Proto)
		if seen[k] {
			continue
		}
		seen[k] = true
		items = append(items, M{{K: "port", V: p.Port, Comment: fmt.Sprintf("%s (%s)", p.Service, p.Source)}, {K: "proto", V: p.Proto}})
	}
	b.p.setVar("firewall_open_ports", items, "ports the carried-over services listened on outside loopback (ss -lntu on the source), and SSH")
	r.def("firewall_open_ports", L{}, "ports to open, as port and proto")
	if b.debian() {
		b.p.addCollection("community.general")
		b.p.def("ufw", r, []string{"ufw"})
		r.task(b.install("ufw", "firewall_ufw_packages"))
		r.task(Task{Name: "Allow the service ports", Module: "community.general.ufw",
			Args:  M{{K: "rule", V: "allow"}, {K: "port", V: "{{ item.port | string }}"}, {K: "proto", V: "{{ item.proto }}"}},
			Extra: M{{K: "loop", V: "{{ firewall_open_ports }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.port }}/{{ item.proto }}"}}}}})
		r.task(Task{Name: "Turn the firewall on, denying what is not allowed", Module: "community.general.ufw",
			Args: M{{K: "state", V: "enabled"}, {K: "policy", V: "deny"}, {K: "direction", V: "incoming"}}})
	} else {
		b.p.addCollection("ansible.posix")
		b.p.def("firewalld", r, b.packages("firewalld"))
		r.task(b.install("firewalld", "firewall_firewalld_packages"))
		r.task(Task{Name: "Keep firewalld running", Module: "ansible.builtin.service",
			Args: M{{K: "name", V: "firewalld"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
		r.task(Task{Name: "Allow the service ports", Module: "ansible.posix.firewalld",
			Args:  M{{K: "port", V: "{{ item.port }}/{{ item.proto }}"}, {K: "permanent", V: true}, {K: "immediate", V: true}, {K: "state", V: "enabled"}},
			Extra: M{{K: "loop", V: "{{ firewall_open_ports }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.port }}/{{ item.proto }}"}}}}})
	}
	if b.readable(snapshot.SectionFirewall) && len(b.s.Network.Firewall.Rules) > 0 {
		b.p.todo(TodoItem{Section: "Not translated", Title: "The source's firewall rules",
			Detail: fmt.Sprintf("The source had %d %s rules. Only the listening ports are opened here; check the rules for source restrictions and outbound limits to keep.", len(b.s.Network.Firewall.Rules), b.s.Network.Firewall.Tool),
			Facts:  b.s.Network.Firewall.Evidence})
	}
	if !b.readable(snapshot.SectionListeners) {
		b.p.todo(TodoItem{Section: "Not translated", Title: "Listening ports unknown",
			Detail: "The listeners section was not collected, so only SSH is opened. Add the ports the services need."})
	}
	var others []string
	for _, l := range b.s.Listeners {
		if l.Service == "" && l.Reach() != snapshot.ReachLoopback && !seen[fmt.Sprintf("%d/%s", l.Port, strings.TrimSuffix(l.Proto, "6"))] {
			others = append(others, fmt.Sprintf("%d/%s (%s)", l.Port, l.Proto, cmp.Or(b.command(l.PID), l.Process)))
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		b.p.todo(TodoItem{Section: "Not translated", Title: "Ports of no carried-over service",
			Detail: "These listened on the source but belong to no service the project carries, so they stay closed: " + strings.Join(slices.Compact(others), ", ") + "."})
	}
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
