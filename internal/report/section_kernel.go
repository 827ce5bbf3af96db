package report

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// kernelSection shows the kernel parameters the boot configuration sets beside the
// value the kernel ran with, and whose decision each line is: an administrator's is
// carried to the new host, the old OS's default is left to the new OS. The
// thousands of values in force that no file sets stay in the snapshot.
var kernelSection = handoverSection{
	id: "kernel", title: "sec.kernel", intro: "intro.kernel",
	reads: []snapshot.Section{snapshot.SectionSysctl},
	build: (*builder).kernelParams,
}

func (b *builder) kernelParams(sec *Section) {
	k := b.s.Kernel
	if cov, ok := b.s.Coverage[snapshot.SectionSysctl]; ok && cov.Status.Read() {
		sec.Blocks = append(sec.Blocks, &Facts{Pairs: nonEmpty([]Pair{
			{b.t("kernel.order"), k.Order},
			{b.t("kernel.live"), b.yesNo(&k.Live)},
		})})
	}
	t := b.table(b.t("tbl.sysctl"), codeCol(b.t("col.parameter")), codeCol(b.t("col.in_force")), codeCol(b.t("col.configured")),
		col(b.t("col.decision")), col(b.t("col.note")))
	for _, sc := range k.Sysctls {
		cf := sc.Configured
		if cf == nil {
			continue
		}
		decision := b.kind("origin." + cf.Origin)
		if cf.OriginWhy != "" {
			decision += " (" + cf.OriginWhy + ")"
		}
		t.Rows = append(t.Rows, row(c(sc.Key), c(b.inForce(sc)), c(fmt.Sprintf("%s (%s:%d)", cf.Value, cf.File, cf.Line)),
			c(decision), c(b.sysctlNote(sc))))
	}
	if n := len(k.InForce); n > 0 {
		t.Explain += " " + b.t("tbl.sysctl.in_force", n)
	}
	t.Empty = b.empty(b.t("none.sysctl"), snapshot.SectionSysctl)
	sec.Blocks = append(sec.Blocks, t)
}

func (b *builder) inForce(sc snapshot.Sysctl) string {
	switch sc.State {
	case snapshot.SysctlRead:
		return sc.Value
	case snapshot.SysctlAbsent:
		return b.t("val.no_such_param")
	}
	return b.t("val.unknown")
}

// sysctlNote says what a reader must not miss: a value the next reboot changes, a
// line that does nothing, a pattern behind the key, and the lines it replaces.
func (b *builder) sysctlNote(sc snapshot.Sysctl) string {
	cf := sc.Configured
	var notes []string
	switch {
	case sc.State == snapshot.SysctlRead && !sc.Applied():
		notes = append(notes, b.t("sysctl.not_applied", cf.Value))
	case sc.State == snapshot.SysctlAbsent:
		notes = append(notes, b.t("sysctl.absent"))
	}
	if cf.Pattern != "" {
		notes = append(notes, b.t("sysctl.pattern", cf.Pattern))
	}
	for _, o := range sc.Overridden {
		notes = append(notes, b.t("sysctl.replaces", fmt.Sprintf("%s (%s:%d)", o.Value, o.File, o.Line)))
	}
	return strings.Join(notes, " ")
}
