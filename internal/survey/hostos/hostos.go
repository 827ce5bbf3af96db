// Package hostos surveys the host and os sections: what machine this is and what
// operating system it runs. The parsers live in parse.go, identify.go and virt.go;
// this file only fetches items, calls them and sets coverage.
package hostos

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills snapshot.Host and snapshot.OS.
type Surveyor struct{}

// New returns the host/os surveyor.
func New() *Surveyor { return &Surveyor{} }

// Name is the surveyor's name in the registry.
func (*Surveyor) Name() string { return "hostos" }

// Survey fills the host and os sections and their coverage.
func (*Surveyor) Survey(in *kit.Input) {
	id := Identify(in)
	surveyHost(in)
	surveyOS(in, id)
}

// citer collects the IDs of the items a section's facts came from, once each.
type citer struct {
	in   *kit.Input
	ids  []string
	seen map[string]bool
}

func (c *citer) add(items ...*evidence.Item) {
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	for _, it := range items {
		if it == nil {
			continue
		}
		id := c.in.Cite(it)
		if !c.seen[id] {
			c.seen[id] = true
			c.ids = append(c.ids, id)
		}
	}
}

func surveyHost(in *kit.Input) {
	h := &in.Snap.Host
	c := &citer{in: in}
	var hostItems []*evidence.Item // every source of the name, for a reason when none worked

	for _, p := range []string{"/etc/hostname", "/etc/HOSTNAME"} {
		it := in.File(p)
		hostItems = append(hostItems, it)
		if h.Hostname == "" && kit.Usable(it) {
			if name, ok := ParseHostnameFile(it.Text()); ok {
				h.Hostname = name
				c.add(it)
			}
		}
	}
	if net := in.File("/etc/sysconfig/network"); h.Hostname == "" {
		// EL5/6 keep the name here. The file passes the secret filter, which leaves a
		// host name alone; a mangled value fails validHostname and is skipped.
		hostItems = append(hostItems, net)
		if kit.Usable(net) {
			kv, _ := ParseKV(net.Text())
			if validHostname(kv["HOSTNAME"]) {
				h.Hostname = kv["HOSTNAME"]
				c.add(net)
			}
		}
	}
	uname := in.Cmd("uname")
	if h.Hostname == "" {
		hostItems = append(hostItems, uname)
		if kit.Usable(uname) {
			if u, ok := ParseUname(uname.Text()); ok && validHostname(u.Nodename) {
				h.Hostname = u.Nodename
				c.add(uname)
			}
		}
	}
	if it := in.Cmd("hostname-f"); kit.Usable(it) {
		if fqdn, ok := ParseFQDN(it.Text()); ok {
			h.FQDN = fqdn
			c.add(it)
		}
	}
	for _, p := range []string{"/etc/machine-id", "/var/lib/dbus/machine-id"} {
		if it := in.File(p); kit.Usable(it) {
			if mid, ok := ParseMachineID(it.Text()); ok {
				h.MachineID = mid
				c.add(it)
				break
			}
		}
	}

	cpuinfo, meminfo := in.File("/proc/cpuinfo"), in.File("/proc/meminfo")
	var ci CPUInfo
	if kit.Usable(cpuinfo) {
		ci = ParseCPUInfo(cpuinfo.Text())
		if ci.CPUs > 0 {
			h.CPUs = ci.CPUs
			c.add(cpuinfo)
		}
	}
	if kit.Usable(meminfo) {
		if n, ok := ParseMemTotal(meminfo.Text()); ok {
			h.MemoryBytes = n
			c.add(meminfo)
		}
	}
	h.Virtualization = virtualization(in, c, cpuinfo, ci)
	h.Evidence = c.ids

	// Coverage. A disk read offline has no CPUs, memory or hypervisor to show: the
	// machine it came from is not running.
	var missing []string
	var problems []*evidence.Item
	if h.CPUs == 0 {
		missing = append(missing, "CPU count")
		problems = append(problems, cpuinfo)
	}
	if h.MemoryBytes == 0 {
		missing = append(missing, "memory")
		problems = append(problems, meminfo)
	}
	switch {
	case h.Hostname != "" && len(missing) == 0:
		in.Cover(snapshot.SectionHost, snapshot.Collected, "", itemsOf(in, c.ids)...)
	case h.Hostname != "" && in.Offline():
		in.Cover(snapshot.SectionHost, snapshot.Partial,
			"offline: "+strings.Join(missing, " and ")+" belong to a running machine and are not known from a disk",
			itemsOf(in, c.ids)...)
	case h.Hostname != "":
		in.Cover(snapshot.SectionHost, snapshot.Partial,
			"no "+strings.Join(missing, " or ")+": "+kit.Explain(problems...), append(itemsOf(in, c.ids), problems...)...)
	case len(c.ids) > 0:
		in.Cover(snapshot.SectionHost, snapshot.Partial, "no host name: "+kit.Explain(hostItems...),
			append(itemsOf(in, c.ids), hostItems...)...)
	default:
		st, _ := kit.Failure(hostItems...)
		in.Cover(snapshot.SectionHost, st, "no host name: "+kit.Explain(hostItems...), hostItems...)
	}
}

// virtualization gathers VirtFacts from the items and cites those that decided.
func virtualization(in *kit.Input, c *citer, cpuinfo *evidence.Item, ci CPUInfo) string {
	var f VirtFacts
	var used []*evidence.Item
	if it := in.Cmd("systemd-detect-virt"); it.OK() {
		// "none" comes with exit status 1, so Usable (which wants 0) is not the test.
		if v, ok := ParseDetectVirt(it.Text()); ok && (it.RC == 0 || v == "none") {
			f.Detect = v
			c.add(it)
			return v
		}
	}
	if it := in.File("/.dockerenv"); it.OK() {
		f.DockerEnv = true
		used = append(used, it)
	}
	if it := in.File("/run/.containerenv"); it.OK() {
		f.ContainerEnv = true
		used = append(used, it)
	}
	if it := in.File("/proc/self/cgroup"); kit.Usable(it) {
		if f.Cgroup = CgroupVirt(it.Text()); f.Cgroup != "" {
			used = append(used, it)
		}
	}
	if it := in.File("/sys/hypervisor/type"); kit.Usable(it) {
		if f.HypervisorType = firstLine(it.Text()); f.HypervisorType != "" {
			used = append(used, it)
		}
	}
	vendor, product := in.File("/sys/class/dmi/id/sys_vendor"), in.File("/sys/class/dmi/id/product_name")
	if kit.Usable(vendor) {
		f.DMIRead = true
		f.Vendor = vendor.Text()
		used = append(used, vendor)
	}
	if kit.Usable(product) {
		f.Product = product.Text()
		used = append(used, product)
	}
	if kit.Usable(cpuinfo) {
		f.CPUInfoRead = true
		f.CPUFlag = ci.Hypervisor
		used = append(used, cpuinfo)
	}
	v := DecideVirt(f)
	if v != "" {
		// Cite what was looked at: for "none" the silence of each source is the fact.
		c.add(used...)
	}
	return v
}

func surveyOS(in *kit.Input, id Identity) {
	o := &in.Snap.OS
	c := &citer{in: in}
	c.add(id.Used...)
	o.ID, o.Family, o.Name, o.Version, o.VersionID = id.ID, id.Family, id.Name, id.Version, id.VersionID
	o.Codename, o.PrettyName = id.Codename, id.Pretty

	uname := in.Cmd("uname")
	if kit.Usable(uname) {
		if u, ok := ParseUname(uname.Text()); ok {
			o.Kernel, o.Arch = u.Release, u.Machine
			c.add(uname)
		}
	}
	initSys, initItems := InitSystem(in, id)
	o.InitSystem = initSys
	if initSys != "" {
		c.add(initItems...)
	}
	if o.PackageManager == "" {
		// The packages surveyor, when it runs first, says which database it found;
		// otherwise the family's manager is the one the host was built with.
		switch o.Family {
		case "rhel", "suse":
			o.PackageManager = "rpm"
		case "debian":
			o.PackageManager = "dpkg"
		case "alpine":
			o.PackageManager = "apk"
		}
	}
	if tz, it := timezone(in); tz != "" {
		o.Timezone = tz
		c.add(it)
	}
	o.Evidence = c.ids

	switch {
	case id.ID != "" && id.Version != "" && id.Bad == "":
		in.Cover(snapshot.SectionOS, snapshot.Collected, "", itemsOf(in, c.ids)...)
	case id.ID != "" && id.Version != "":
		in.Cover(snapshot.SectionOS, snapshot.Partial, id.Bad, itemsOf(in, c.ids)...)
	case id.ID != "":
		in.Cover(snapshot.SectionOS, snapshot.Partial, "the release files name the system but not its version", itemsOf(in, c.ids)...)
	case len(c.ids) > 0:
		in.Cover(snapshot.SectionOS, snapshot.Partial, "no release file identifies the system: "+kit.Explain(id.Tried...),
			append(itemsOf(in, c.ids), id.Tried...)...)
	default:
		st, _ := kit.Failure(id.Tried...)
		in.Cover(snapshot.SectionOS, st, "no release file identifies the system: "+kit.Explain(id.Tried...), id.Tried...)
	}
}

// timezone reads the configured zone: Debian's /etc/timezone, EL5/6's
// /etc/sysconfig/clock (ZONE=, or TIMEZONE= on SUSE), else the zone file
// /etc/localtime links to, which is where systemd keeps it.
func timezone(in *kit.Input) (string, *evidence.Item) {
	if it := in.File("/etc/timezone"); kit.Usable(it) {
		if z, ok := ParseTimezoneFile(it.Text()); ok {
			return z, it
		}
	}
	if it := in.File("/etc/sysconfig/clock"); kit.Usable(it) {
		kv, _ := ParseKV(it.Text())
		for _, k := range []string{"ZONE", "TIMEZONE"} {
			if validZone(kv[k]) {
				return kv[k], it
			}
		}
	}
	if it := in.List("/etc"); kit.Usable(it) {
		entries, _ := kit.ParseListing(it.Text())
		for _, e := range entries {
			if e.Name == "localtime" && e.Type == 'l' {
				if z, ok := ZoneFromLink(e.Target); ok {
					return z, it
				}
			}
		}
	}
	return "", nil
}

// itemsOf turns cited IDs back into items, for Cover.
func itemsOf(in *kit.Input, ids []string) []*evidence.Item {
	out := make([]*evidence.Item, 0, len(ids))
	for _, id := range ids {
		if it, ok := in.Archive.Get(id); ok {
			out = append(out, it)
		}
	}
	return out
}
