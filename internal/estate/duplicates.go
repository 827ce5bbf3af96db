package estate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Duplicate kinds (Duplicate.Kind).
const (
	duplicateCron    = "cron"
	duplicateService = "service"
)

// everyHostRoles are the services each host runs for itself: the same one on two
// hosts duplicates nothing.
var everyHostRoles = map[string]bool{
	"ssh": true, "cron": true, "syslog": true, "syslog-ng": true, "ntp": true, "atd": true, "auditd": true,
	"fail2ban": true, "nscd": true, "sssd": true, "rpcbind": true, "xinetd": true, "snmp": true, "nrpe": true,
	"zabbix-agent": true, "fluentd": true,
}

// duplicates are the cron jobs and services that two or more hosts of one group
// both have. Across groups the same job is expected: staging runs production's
// jobs against its own data.
func duplicates(ms []*member) []Duplicate {
	type key struct{ kind, group, what string }
	found := map[key][]Placement{}
	var keys []key
	add := func(k key, p Placement) {
		if len(found[k]) == 0 {
			keys = append(keys, k)
		}
		found[k] = append(found[k], p)
	}
	for _, m := range ms {
		for _, j := range m.snap.CronJobs {
			if adminJob(m.snap, j) {
				src := j.Source
				if j.Line > 0 {
					src += ":" + strconv.Itoa(j.Line)
				}
				add(key{duplicateCron, m.group, strings.Join(strings.Fields(j.Command), " ")},
					Placement{Host: m.id, Source: src, User: j.User, Schedule: j.Schedule})
			}
		}
		shippers := map[string]bool{}
		for _, sh := range m.snap.Logs.Shippers {
			shippers[cmp.Or(sh.Service, sh.Name)] = true
		}
		for _, sv := range m.snap.Services {
			role := distro.ServiceRole(sv.Name)
			if sv.Running == nil || !*sv.Running || everyHostRoles[role] || shippers[sv.Name] || plumbing(sv.Name) {
				continue
			}
			add(key{duplicateService, m.group, role}, Placement{Host: m.id, Source: sv.Name, User: sv.User})
		}
	}
	out := []Duplicate{}
	for _, k := range keys {
		ps := found[k]
		hosts := map[string]bool{}
		for _, p := range ps {
			hosts[p.Host] = true
		}
		if len(hosts) > 1 {
			out = append(out, Duplicate{Kind: k.kind, Group: k.group, What: k.what, Where: ps})
		}
	}
	slices.SortStableFunc(out, func(x, y Duplicate) int {
		return cmp.Or(strings.Compare(x.Kind, y.Kind), strings.Compare(x.Group, y.Group), strings.Compare(x.What, y.What))
	})
	return out
}

// adminJob reports whether a cron job is somebody's work rather than the
// operating system's: a user's crontab or at job, a line of /etc/crontab other
// than its run-parts, or a job in a file the packages did not install as it is
// (changed or owned by none). Packaged jobs (logrotate, e2scrub ...) are on
// every host by design.
func adminJob(s *snapshot.Snapshot, j snapshot.CronJob) bool {
	switch {
	case j.Disabled:
		return false
	case j.Kind == "spool" || j.Kind == "at":
		return true
	case j.Kind == "crontab":
		return !strings.Contains(j.Command, "run-parts")
	}
	return slices.ContainsFunc(s.Files.Configs, func(c snapshot.ConfigFile) bool {
		return c.Path == j.Source && (c.State == "modified" || c.State == "unowned")
	})
}

// plumbing reports whether a service is part of the operating system's own
// machinery.
func plumbing(name string) bool {
	n := strings.TrimSuffix(strings.ToLower(name), ".service")
	if strings.HasPrefix(n, "systemd-") {
		return true
	}
	for _, p := range []string{"dbus", "getty", "serial-getty", "udev", "networking", "network", "rc-local", "kmod", "procps", "irqbalance", "acpid", "lvm2", "mdmonitor", "polkit"} {
		if n == p || strings.HasPrefix(n, p+"-") || strings.HasPrefix(n, p+"@") {
			return true
		}
	}
	return false
}
