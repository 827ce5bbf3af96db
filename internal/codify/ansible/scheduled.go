package ansible

import (
	"fmt"
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// scheduled carries the scheduled work: the cron role (cron.go) and the systemd
// timers the site wrote, then says in the ledger what became of each job, from
// what the cron role made of it.
func (b *builder) scheduled() {
	b.cron()
	for _, sv := range b.s.Services {
		if distro.ServiceRole(sv.Name) == "cron" {
			b.carryService(sv.Name, "cron", "Keep cron running")
		}
	}
	b.timers()
	carried := map[string]bool{}
	for _, v := range b.p.Vars {
		if v.Name != "cron_jobs" {
			continue
		}
		for _, it := range v.Value.(L) {
			if m, ok := it.(M); ok {
				if n, ok := m.Get("name"); ok {
					carried[fmt.Sprint(n)] = true
				}
			}
		}
	}
	for _, j := range b.s.CronJobs {
		id := ledger.JobID(j)
		if _, given := b.book.Given(id); given {
			continue
		}
		_, changed := b.configs[j.Source]
		switch {
		case carried[jobName(j)]:
			b.book.Carry(id, "cron", "Schedule the jobs: "+jobName(j))
			if changed {
				b.carryConfig(j.Source, "cron", "Schedule the jobs")
			}
		case j.Disabled:
			b.book.Leave(id, ledger.Inactive, "present but it would not run: "+cmpOr(j.Note, "disabled"))
		case j.Kind != "spool" && !changed:
			b.book.Leave(id, ledger.TargetOS, "the job of a package, in a file it installed unchanged: the target's package brings its own")
		default:
			if t, ok := b.todoAbout(j.Source); ok {
				b.book.Decide(id, t.Title+". "+t.Detail, t.Findings...)
				continue
			}
			b.todo(TodoItem{Section: "Not translated", Title: "Scheduled job " + ledger.JobKey(j),
				Detail: fmt.Sprintf("A %s job (%s, %s) is not carried by the cron role; move it by hand.", j.Kind, j.Schedule, j.Command), Facts: []string{j.Evidence}}, id)
		}
	}
}

// todoAbout finds a TODO item already written about a file.
func (b *builder) todoAbout(file string) (TodoItem, bool) {
	for _, t := range b.p.Todo {
		if strings.Contains(t.Title, file) {
			return t, true
		}
	}
	return TodoItem{}, false
}

// timers carries the systemd timers the site wrote (a unit in /etc/systemd/system
// no package owns) with the service each starts; a package's timer comes with the
// package.
func (b *builder) timers() {
	var r *Role
	for _, j := range b.s.CronJobs {
		if j.Kind != "timer" {
			continue
		}
		id := ledger.JobID(j)
		unit := path.Base(j.Source)
		if !strings.HasSuffix(unit, ".timer") {
			unit += ".timer"
		}
		timerPath := "/etc/systemd/system/" + unit
		tc, local := b.configs[timerPath]
		if !local {
			if j.Disabled {
				b.book.Leave(id, ledger.Inactive, "a timer that is present but off")
			} else {
				b.book.Leave(id, ledger.TargetOS, "the timer of a package: the target's package brings its own")
			}
			continue
		}
		svcPath := strings.TrimSuffix(timerPath, ".timer") + ".service"
		sc, ok := b.configs[svcPath]
		if !ok || tc.Content == "" || sc.Content == "" {
			b.todo(TodoItem{Section: "Not translated", Title: "Timer " + unit,
				Detail: fmt.Sprintf("%s (%s) starts %s, whose unit text is not in the snapshot: copy both units from the source.", unit, j.Schedule, path.Base(svcPath)), Facts: []string{j.Evidence}}, id)
			continue
		}
		if r == nil {
			r = b.role("timers", "The systemd timers "+b.p.Source.Hostname+" ran, with the services they start.")
		}
		for _, c := range []snapshot.ConfigFile{sc, tc} {
			name := path.Base(c.Path) + ".j2"
			r.template(name, b.templateText(c, "timers"))
			task := "Install the unit " + path.Base(c.Path)
			r.task(Task{Name: task, Module: "ansible.builtin.template", Comment: "From " + from(c) + ".",
				Args:  M{{K: "src", V: name}, {K: "dest", V: c.Path}, {K: "owner", V: "root"}, {K: "group", V: "root"}, {K: "mode", V: "0644"}},
				Extra: M{{K: "notify", V: "Reload systemd"}}})
			b.carryConfig(c.Path, "timers", task)
		}
		task := "Start " + unit + " and start it at boot"
		r.task(Task{Name: "Reload systemd before starting " + unit, Module: "ansible.builtin.meta", Free: "flush_handlers"})
		r.task(Task{Name: task, Module: "ansible.builtin.systemd",
			Args: M{{K: "name", V: unit}, {K: "state", V: "started"}, {K: "enabled", V: true}}})
		b.book.Carry(id, "timers", task)
		// The units are facts when they ran or start at boot (a static service
		// a timer starts is neither between its runs).
		for _, name := range []string{strings.TrimSuffix(unit, ".timer"), unit} {
			if b.book.Has(ledger.ID(ledger.KindService, name)) {
				b.carryService(name, "timers", task)
			}
		}
	}
	if r != nil {
		r.handler(Task{Name: "Reload systemd", Module: "ansible.builtin.systemd", Args: M{{K: "daemon_reload", V: true}}})
	}
}

// role adds a role to the project.
func (b *builder) role(name, description string) *Role {
	r := &Role{Name: name, Description: description}
	b.p.Roles = append(b.p.Roles, r)
	return r
}
