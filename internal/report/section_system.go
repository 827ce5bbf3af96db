package report

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// systemSection names the machine and the operating system it runs.
var systemSection = handoverSection{
	id: "system", title: "sec.system", intro: "intro.system",
	reads: []snapshot.Section{snapshot.SectionHost, snapshot.SectionOS, snapshot.SectionTime},
	build: (*builder).system,
}

func (b *builder) system(sec *Section) {
	s := b.s
	mem := ""
	if s.Host.MemoryBytes > 0 {
		mem = humanBytes(s.Host.MemoryBytes)
	}
	cpus := ""
	if s.Host.CPUs > 0 {
		cpus = strconv.Itoa(s.Host.CPUs)
	}
	pairs := []Pair{
		{b.t("sys.hostname"), s.Host.Hostname},
		{b.t("sys.fqdn"), s.Host.FQDN},
		{b.t("sys.os"), osName(s.OS)},
		{b.t("sys.family"), s.OS.Family},
		{b.t("sys.kernel"), s.OS.Kernel},
		{b.t("sys.arch"), s.OS.Arch},
		{b.t("sys.virt"), s.Host.Virtualization},
		{b.t("sys.cpus"), cpus},
		{b.t("sys.memory"), mem},
		{b.t("sys.init"), s.OS.InitSystem},
		{b.t("sys.pkgmgr"), s.OS.PackageManager},
		{b.t("sys.zone"), s.Time.Zone},
		{b.t("sys.machine_id"), s.Host.MachineID},
	}
	sec.Blocks = append(sec.Blocks, &Facts{Pairs: nonEmpty(pairs)})
}
