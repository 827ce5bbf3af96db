package ansible

import (
	"cmp"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/ledger"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// sysctl carries the kernel parameters somebody decided on the source (an
// administrator, or a line trowel could not tell from the OS's default) with the
// value the source really ran with. The old OS's own defaults are not carried: the
// new OS has its own, made for its kernel. A parameter whose file said otherwise
// than the kernel is carried with the value in force, and listed in
// MIGRATION_TODO.md as the decision it is.
func (b *builder) sysctl(r *Role) {
	if _, surveyed := b.s.Coverage[snapshot.SectionSysctl]; !surveyed {
		b.p.todo(TodoItem{Section: "Not surveyed", Title: "Kernel parameters (sysctl)",
			Detail: "This snapshot has no survey of the kernel parameters (it was taken by an earlier trowel): none is carried over. Survey the source again, or compare `sysctl -a` and /etc/sysctl.conf, /etc/sysctl.d by hand."})
		return
	}
	if !b.readable(snapshot.SectionSysctl) {
		return // the coverage TODO says why nothing is carried
	}
	var agreed, inForce L
	var fromFiles []string
	skippedPattern := map[string]bool{}
	for _, sc := range b.s.Kernel.Sysctls {
		c := sc.Configured
		id := ledger.ID(ledger.KindSysctl, sc.Key)
		if c == nil {
			continue
		}
		if !sc.SetByAdmin() {
			b.book.Leave(id, ledger.TargetOS, "the source OS's own default ("+c.Origin+"): the new OS has its own, made for its kernel")
			continue
		}
		where := fmt.Sprintf("%s:%d", c.File, c.Line)
		facts := append([]string{where}, sc.Evidence...)
		if snapshot.SysctlSecret(sc.Key) {
			b.todo(TodoItem{Section: "Secrets", Title: "Kernel parameter " + sc.Key,
				Detail: fmt.Sprintf("%s sets it on the source. It is a key: its value never left the source. Set a new one on the new server (a file in /etc/sysctl.d) rather than copying it.", where),
				Facts:  facts}, id)
			continue
		}
		if c.Pattern != "" || strings.ContainsAny(sc.Key, "*?[") {
			pattern := cmp.Or(c.Pattern, sc.Key)
			if !skippedPattern[pattern] {
				skippedPattern[pattern] = true
				b.todo(TodoItem{Section: "Not translated", Title: "Kernel parameter pattern " + pattern,
					Detail: fmt.Sprintf("%s sets `%s = %s` for every parameter the pattern matches. ansible.posix.sysctl sets one parameter by name, and the names it matched on the source (interfaces among them) may not exist on the new server: write the line into a file under /etc/sysctl.d by hand.", where, pattern, c.Value),
					Facts:  facts}, id)
			} else {
				b.book.Decide(id, "written as the pattern "+pattern+", which is carried by hand")
			}
			continue
		}
		if ifc := perInterface(sc.Key); ifc != "" {
			b.todo(TodoItem{Section: "Not translated", Title: "Kernel parameter " + sc.Key,
				Detail: fmt.Sprintf("%s sets it for the interface %s, whose name on the new server is likely to differ: set it by hand for the interface that plays that part.", where, ifc),
				Facts:  facts}, id)
			continue
		}
		item := M{
			{K: "name", V: sc.Key, Comment: where + ", " + originText(c)},
			{K: "value", V: c.Value},
			{K: "file", V: targetSysctlFile(c.File)},
		}
		switch sc.State {
		case snapshot.SysctlAbsent:
			b.todo(TodoItem{Section: "Not translated", Title: "Kernel parameter " + sc.Key,
				Detail:   fmt.Sprintf("%s sets it to %s, but the source's kernel has no such parameter: the line did nothing there, so it is not carried over. If the new kernel has it, find out whether the value is wanted before setting it.", where, c.Value),
				Findings: b.tell("sysctl.unknown-key:" + sc.Key), Facts: facts}, id)
			continue
		case snapshot.SysctlUnknown:
			item[0].Comment += "; the value in force was not read, so this is the configured value"
		case snapshot.SysctlRead:
			if !sc.Applied() {
				item = item.Set("value", sc.Value)
				inForce = append(inForce, item)
				b.todo(TodoItem{Section: "Check", Title: fmt.Sprintf("Kernel parameter %s: %s in force, %s sets %s", sc.Key, sc.Value, where, c.Value),
					Detail: fmt.Sprintf("The source ran with %s = %s, but its boot configuration (%s) sets %s, which its next reboot would have applied: the file was edited and never applied, or the value was set by hand since. The project sets %s, what the source ran with (`base_sysctl_in_force`, in %s). Decide which is right: keep it, or move the item to `base_sysctl` with %s.",
						sc.Key, sc.Value, where, c.Value, sc.Value, targetSysctlFile(c.File), c.Value),
					Findings: b.tell("sysctl.not-applied:" + sc.Key), Facts: facts}, id)
				continue
			}
		}
		agreed = append(agreed, item)
		b.book.Carry(id, "base", "Set the kernel parameters")
		fromFiles = snapshot.AppendNew(fromFiles, c.File)
	}
	if len(agreed)+len(inForce) == 0 {
		return
	}
	b.p.addCollection("ansible.posix")
	task := func(name, comment, list string) {
		r.task(Task{Name: name, Module: "ansible.posix.sysctl", Comment: comment,
			Args: M{{K: "name", V: "{{ item.name }}"}, {K: "value", V: "{{ item.value }}"}, {K: "sysctl_file", V: "{{ item.file }}"},
				{K: "reload", V: true}, {K: "state", V: "present"}},
			Extra: M{{K: "loop", V: "{{ " + list + " }}"}, {K: "loop_control", V: M{{K: "label", V: "{{ item.name }} = {{ item.value }}"}}}}})
	}
	r.def("base_sysctl", L{}, "kernel parameters, as name, value and the file under /etc/sysctl.d that sets them")
	r.def("base_sysctl_in_force", L{}, "kernel parameters whose value in force on the source differed from its files: the value in force")
	if len(agreed) > 0 {
		b.p.setVar("base_sysctl", agreed, "kernel parameters an administrator set on the source (from "+strings.Join(fromFiles, ", ")+
			"), with the value it ran with; each file keeps its name under /etc/sysctl.d.\nThe source OS's own defaults are left to the new OS.")
		task("Set the kernel parameters", "Written to the file that set them on the source, and applied at once (sysctl -p).", "base_sysctl")
	}
	if len(inForce) > 0 {
		b.p.setVar("base_sysctl_in_force", inForce, "kernel parameters the source ran with although its files set another value (see MIGRATION_TODO.md):\nthe value in force, until someone decides")
		task("Set the kernel parameters the source ran with against its files",
			"Pending a decision (MIGRATION_TODO.md): the value the source ran with, not the one its file set.", "base_sysctl_in_force")
	}
}

// interfaceParam matches the parameters of one network interface: net.ipv4.conf.eth0.rp_filter.
var interfaceParam = regexp.MustCompile(`^net\.ipv[46]\.(?:conf|neigh)\.([^.]+)\.`)

// perInterface returns the interface a parameter belongs to; "" for all, default
// and parameters of no interface.
func perInterface(key string) string {
	m := interfaceParam.FindStringSubmatch(key)
	if m == nil || m[1] == "all" || m[1] == "default" {
		return ""
	}
	return m[1]
}

// targetSysctlFile is where a parameter goes on the new server: the source's
// drop-in keeps its name, so the files' order against the new OS's own is kept;
// /etc/sysctl.conf (which some distributions no longer ship, and which others
// link as 99-sysctl.conf) becomes a drop-in that sorts after that link, as
// sysctl.conf came last on the source.
func targetSysctlFile(file string) string {
	base := path.Base(file)
	if file == "/etc/sysctl.conf" || base == "99-sysctl.conf" || !strings.HasSuffix(base, ".conf") {
		return "/etc/sysctl.d/99-trowel.conf"
	}
	return "/etc/sysctl.d/" + base
}

func originText(c *snapshot.SysctlSetting) string {
	who := "set by an administrator"
	if c.Origin == snapshot.OriginUnknown {
		who = "whether an administrator set it is unknown"
	}
	if c.OriginWhy == "" {
		return who
	}
	return who + " (" + c.OriginWhy + ")"
}

// tell returns the finding keys a TODO item speaks for, and marks the finding as
// told so the Findings section does not repeat it.
func (b *builder) tell(id string) []string {
	for _, f := range b.in.Findings {
		if f.ID() == id {
			if b.told == nil {
				b.told = map[string]bool{}
			}
			b.told[id] = true
			return []string{f.Key}
		}
	}
	return nil
}
