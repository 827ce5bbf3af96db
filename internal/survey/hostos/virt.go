package hostos

import "strings"

// The virtualization words are systemd-detect-virt's (kvm, vmware, microsoft,
// amazon, google, xen, oracle, docker, podman, lxc ...), so a host answered by
// systemd-detect-virt and an old one judged from DMI strings read the same.

// ParseDetectVirt reads systemd-detect-virt's output. It prints "none" and exits 1
// on bare metal, so the caller passes the output whatever the exit status was.
func ParseDetectVirt(text string) (string, bool) {
	v := firstLine(text)
	if v == "" || strings.ContainsAny(v, " \t") || len(v) > 32 {
		return "", false
	}
	return v, true
}

// CgroupVirt looks for a container manager's mark in /proc/self/cgroup paths. A
// process on the host itself sits in user.slice or a session scope and matches none.
func CgroupVirt(text string) string {
	var kube bool
	for _, line := range strings.Split(text, "\n") {
		// id:controllers:path; the path may itself contain colons.
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		p := parts[2]
		switch {
		case strings.Contains(p, "/docker/"), strings.Contains(p, "/docker-") && strings.Contains(p, ".scope"):
			return "docker"
		case strings.Contains(p, "/libpod-"), strings.Contains(p, "/libpod_parent/"):
			return "podman"
		case strings.Contains(p, "/lxc/"), strings.Contains(p, "/lxc.payload"):
			return "lxc"
		case strings.Contains(p, "kubepods"):
			kube = true
		}
	}
	if kube {
		// A pod's runtime (containerd, cri-o) leaves no name systemd would use.
		return "container (kubernetes)"
	}
	return ""
}

// DMIVirt maps /sys/class/dmi/id/sys_vendor and product_name to a hypervisor, or ""
// when they name real hardware (or nothing known).
func DMIVirt(vendor, product string) string {
	v, p := strings.ToLower(strings.TrimSpace(vendor)), strings.ToLower(strings.TrimSpace(product))
	switch {
	case strings.Contains(v, "qemu"), strings.Contains(p, "kvm"), strings.Contains(v, "openstack"), strings.Contains(p, "openstack"):
		// QEMU without KVM acceleration is rare on servers, and DMI cannot tell them
		// apart; systemd-detect-virt, when present, answers first.
		return "kvm"
	case strings.Contains(v, "vmware"), strings.Contains(p, "vmware"):
		return "vmware"
	case strings.Contains(v, "microsoft") && strings.Contains(p, "virtual machine"):
		// Hyper-V and Azure; a Surface laptop also says Microsoft, but not "virtual machine".
		return "microsoft"
	case strings.Contains(v, "amazon ec2"):
		// EC2 bare-metal instances (i3.metal ...) carry the same vendor: no hypervisor.
		if strings.HasSuffix(p, ".metal") {
			return ""
		}
		return "amazon"
	case strings.Contains(v, "google"):
		return "google"
	case strings.Contains(v, "xen"), strings.Contains(p, "hvm domu"):
		return "xen"
	case strings.Contains(v, "innotek"), strings.Contains(p, "virtualbox"):
		return "oracle"
	case strings.Contains(v, "parallels"):
		return "parallels"
	case strings.Contains(v, "bochs"):
		return "bochs"
	case strings.Contains(p, "bhyve"):
		return "bhyve"
	}
	return ""
}

// VirtFacts are the readings virtualization is judged from. A *Read flag says the
// source was actually read: only then may its silence count.
type VirtFacts struct {
	Detect                  string // systemd-detect-virt's answer, "" when it did not run
	DockerEnv, ContainerEnv bool   // /.dockerenv, /run/.containerenv exist
	Cgroup                  string // CgroupVirt of /proc/self/cgroup
	HypervisorType          string // /sys/hypervisor/type
	Vendor, Product         string
	DMIRead                 bool
	CPUFlag, CPUInfoRead    bool
}

// DecideVirt picks the virtualization from the strongest evidence present, in the
// order systemd-detect-virt itself uses: a container first (a container on a VM is
// a container to whoever migrates it), then the hypervisor. It answers "none" only
// when both the DMI strings and the CPU flags were read and neither shows a
// hypervisor: old kernels (CentOS 5) do not show the hypervisor flag, so the flag's
// absence alone proves nothing.
func DecideVirt(f VirtFacts) string {
	switch {
	case f.Detect != "":
		return f.Detect
	case f.DockerEnv:
		return "docker"
	case f.ContainerEnv:
		return "podman"
	case f.Cgroup != "":
		return f.Cgroup
	case strings.TrimSpace(f.HypervisorType) != "":
		// Xen's dom0 also says xen here; it is the host of other guests, but still
		// runs under the Xen hypervisor.
		return strings.ToLower(strings.TrimSpace(f.HypervisorType))
	}
	if f.DMIRead {
		if v := DMIVirt(f.Vendor, f.Product); v != "" {
			return v
		}
	}
	if f.CPUFlag {
		return "vm (unknown)"
	}
	if f.DMIRead && f.CPUInfoRead {
		return "none"
	}
	return ""
}
