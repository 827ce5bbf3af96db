package ansible

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// cron carries the scheduled work the site added: users' crontabs and the cron.d
// files no package owns, each job with the zone it fires in said out loud.
func (b *builder) cron() {
	s := b.s
	if !b.readable(snapshot.SectionCron) {
		b.p.todo(TodoItem{Section: "Not translated", Title: "Scheduled jobs were not surveyed",
			Detail: fmt.Sprintf("The cron section is %s (%s): no jobs are carried.", s.Coverage[snapshot.SectionCron].Status, s.Coverage[snapshot.SectionCron].Reason)})
		return
	}
	r := b.role("cron", "The cron daemon and the jobs "+b.p.Source.Hostname+" ran.")
	b.p.def("cron", r, b.packages("cron"))
	r.task(b.install("cron", "cron_cron_packages"))
	svc := b.serviceName("cron")
	r.def("cron_service", svc, "")
	r.task(Task{Name: "Keep cron running", Module: "ansible.builtin.service",
		Args: M{{K: "name", V: "{{ cron_service }}"}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
	b.restartOnZone = append([]string{svc}, b.restartOnZone...)

	zone := s.Time.Zone
	cronie := !b.debian() // cronie reads CRON_TZ; Debian's cron does not
	type envKey struct{ user, file string }
	env := map[envKey]map[string]string{}
	var jobs L
	scripts := map[string]string{}
	for _, j := range s.CronJobs {
		file := ""
		switch j.Kind {
		case "spool":
		case "cron.d":
			if _, changed := b.configs[j.Source]; !changed {
				continue // the package's own file comes with the package
			}
			file = path.Base(j.Source)
		case "crontab":
			if _, changed := b.configs[j.Source]; !changed {
				continue
			}
			file = "migrated-crontab"
		case "timer":
			continue // timers() carries the site's timers; a package's comes with it
		default:
			if _, changed := b.configs[j.Source]; changed || j.Kind != "periodic" {
				b.p.todo(TodoItem{Section: "Not translated", Title: "Scheduled job " + j.Source,
					Detail: fmt.Sprintf("A %s job (%s, %s) is not carried by the cron role; move it by hand.", j.Kind, j.Schedule, j.Command), Facts: []string{j.Evidence}})
			}
			continue
		}
		if j.Disabled {
			b.p.todo(TodoItem{Section: "Not translated", Title: fmt.Sprintf("Disabled job %s:%d", j.Source, j.Line),
				Detail: "It was present but would not run (" + j.Note + "); it is not carried over.", Facts: []string{j.Evidence}})
			continue
		}
		k := envKey{j.User, file}
		if env[k] == nil {
			env[k] = map[string]string{}
		}
		for name, v := range j.Env {
			env[k][name] = v
		}
		if cronie && zone != "" {
			env[k]["CRON_TZ"] = zone
		}
		item := M{}
		where := fmt.Sprintf("%s:%d", j.Source, j.Line)
		comment := "from " + where
		if j.ZoneNote != "" || zone != "" {
			comment += fmt.Sprintf("; fires in %s", zoneOr(zone))
		}
		item = append(item, KV{K: "name", V: jobName(j), Comment: comment})
		item = append(item, KV{K: "user", V: j.User})
		if file != "" {
			item = append(item, KV{K: "cron_file", V: file})
		}
		if special, ok := strings.CutPrefix(j.Schedule, "@"); ok {
			if special == "midnight" {
				special = "daily"
			}
			item = append(item, KV{K: "special_time", V: special})
		} else {
			f := strings.Fields(j.Schedule)
			if len(f) != 5 {
				b.p.todo(TodoItem{Section: "Not translated", Title: "Schedule of " + where,
					Detail: "`" + j.Schedule + "` is not a five-field schedule; add the job by hand.", Facts: []string{j.Evidence}})
				continue
			}
			for i, name := range []string{"minute", "hour", "day", "month", "weekday"} {
				if f[i] != "*" {
					item = append(item, KV{K: name, V: f[i]})
				}
			}
		}
		item = append(item, KV{K: "job", V: cronCommand(j)})
		jobs = append(jobs, item)
		for _, sc := range j.Scripts {
			if localPath(sc) {
				scripts[sc] = where
			}
		}
	}
	if zone != "" && b.staleCron() {
		b.p.todo(TodoItem{Section: "Check", Title: "Cron jobs fire in " + zone,
			Detail:   fmt.Sprintf("The jobs keep their schedules, read in %s (base_timezone). On the source the cron daemon had been started before the zone was set, so the jobs may have fired in another zone there: compare the times people expect with the schedules.", zone),
			Findings: b.findingKeys("time.stale-zone")})
	}
	if len(jobs) == 0 {
		return
	}
	var envItems L
	keys := make([]envKey, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].file != keys[j].file {
			return keys[i].file < keys[j].file
		}
		return keys[i].user < keys[j].user
	})
	for _, k := range keys {
		for _, name := range slices.Sorted(maps.Keys(env[k])) {
			// ansible.builtin.cron quotes the value itself: "" writes MAILTO="".
			v := env[k][name]
			item := M{{K: "name", V: name}, {K: "value", V: v}, {K: "user", V: k.user}}
			if k.file != "" {
				item = append(item, KV{K: "cron_file", V: k.file})
			}
			envItems = append(envItems, item)
		}
	}
	if len(envItems) > 0 {
		b.p.setVar("cron_environment", envItems, "the environment lines in force for the jobs (MAILTO, PATH, SHELL)")
		r.def("cron_environment", L{}, "crontab environment lines, per user (and cron.d file)")
		r.task(Task{Name: "Set the jobs' environment", Module: "ansible.builtin.cron",
			Args: M{{K: "name", V: "{{ item.name }}"}, {K: "env", V: true}, {K: "job", V: "{{ item.value }}"},
				{K: "user", V: "{{ item.user }}"}, {K: "cron_file", V: "{{ item.cron_file | default(omit) }}"}},
			Extra: M{{K: "loop", V: "{{ cron_environment }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.user }} {{ item.cron_file | default('crontab') }} {{ item.name }}"}}}}})
	}
	zoneComment := ""
	if zone != "" {
		zoneComment = "\nThey fire in " + zone + ", the zone base_timezone sets"
		if cronie {
			zoneComment += " and CRON_TZ repeats in every crontab"
		}
		zoneComment += "."
	}
	b.p.setVar("cron_jobs", jobs, "the jobs the site scheduled: users' crontabs and the cron.d files no package owns."+zoneComment)
	r.def("cron_jobs", L{}, "jobs, as ansible.builtin.cron arguments")
	r.task(Task{Name: "Schedule the jobs", Module: "ansible.builtin.cron",
		Args: M{
			{K: "name", V: "{{ item.name }}"}, {K: "user", V: "{{ item.user }}"}, {K: "cron_file", V: "{{ item.cron_file | default(omit) }}"},
			{K: "special_time", V: "{{ item.special_time | default(omit) }}"},
			{K: "minute", V: "{{ item.minute | default('*') }}"}, {K: "hour", V: "{{ item.hour | default('*') }}"},
			{K: "day", V: "{{ item.day | default('*') }}"}, {K: "month", V: "{{ item.month | default('*') }}"},
			{K: "weekday", V: "{{ item.weekday | default('*') }}"}, {K: "job", V: "{{ item.job }}"},
		},
		Extra: M{{K: "loop", V: "{{ cron_jobs }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.name }}"}}}}})
	for _, sc := range slices.Sorted(maps.Keys(scripts)) {
		if sw := b.programOf(sc); sw != nil {
			b.p.todo(TodoItem{Section: "Software", Title: "Program " + sc + " (" + sw.Label() + ")",
				Detail: fmt.Sprintf("The job at %s runs %s, of %s, which no package provides: install it on the new host the same way (or the target's package of it) before the job first runs.", scripts[sc], sc, softwareOrigin(*sw)),
				Facts:  sw.Evidence})
			continue
		}
		b.p.todo(TodoItem{Section: "Software", Title: "Script " + sc,
			Detail: fmt.Sprintf("The job at %s runs %s, which no package provides and whose content is not in the snapshot. Copy it from the source (and put it under version control).", scripts[sc], sc)})
	}
}

func zoneOr(z string) string {
	if z == "" {
		return "the server's zone"
	}
	return z
}

// localPath is a file the site put there itself.
func localPath(p string) bool {
	for _, pre := range []string{"/usr/local/", "/opt/", "/home/", "/srv/", "/var/www/", "/root/"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// jobName names a job for ansible.builtin.cron's marker: what it runs and where it
// was written, which stays unique and tells a reader what the line is.
func jobName(j snapshot.CronJob) string {
	what := ""
	if f := strings.Fields(j.Command); len(f) > 0 {
		what = path.Base(f[0])
		if (what == "nohup" || what == "sh" || what == "bash") && len(f) > 1 {
			what = path.Base(f[1])
		}
	}
	where := path.Base(j.Source)
	if j.Kind == "spool" {
		where = j.User + "'s crontab"
	}
	return fmt.Sprintf("%s (%s line %d)", what, where, j.Line)
}

// cronCommand writes a job's command back as crontab syntax: a literal % is
// escaped, and the standard input cron fed it follows an unescaped %, with its
// newlines as %.
func cronCommand(j snapshot.CronJob) string {
	cmd := strings.ReplaceAll(j.Command, "%", `\%`)
	if j.Input != "" {
		in := strings.TrimSuffix(j.Input, "\n")
		cmd += "%" + strings.ReplaceAll(strings.ReplaceAll(in, "%", `\%`), "\n", "%")
		if strings.HasSuffix(j.Input, "\n") {
			cmd += "%"
		}
	}
	if strings.Contains(cmd, "{{") || strings.Contains(cmd, "{%") || strings.Contains(cmd, "{#") {
		cmd = "{% raw %}" + cmd + "{% endraw %}"
	}
	return cmd
}

// staleCron reports whether the source's crond missed its zone change, so its jobs
// fired in another zone than the one the project sets.
func (b *builder) staleCron() bool {
	for _, d := range b.s.Time.StaleDaemons {
		if distro.IsCronDaemon(d.Command) && d.Zone == "" {
			return true
		}
	}
	return false
}
