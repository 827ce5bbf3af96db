package storage

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// MountLine is one line of /proc/mounts or /etc/fstab.
type MountLine struct {
	Device, MountPoint, FSType, Options string
	Commented                           bool
	Line                                int
}

// pseudo are the filesystems that hold no data to migrate.
var pseudo = map[string]bool{
	"proc": true, "sysfs": true, "devtmpfs": true, "devpts": true, "tmpfs": true, "securityfs": true,
	"cgroup": true, "cgroup2": true, "pstore": true, "bpf": true, "debugfs": true, "tracefs": true,
	"configfs": true, "fusectl": true, "mqueue": true, "hugetlbfs": true, "autofs": true,
	"binfmt_misc": true, "rpc_pipefs": true, "nfsd": true, "usbfs": true, "selinuxfs": true,
	"efivarfs": true, "ramfs": true, "nsfs": true, "fuse.gvfsd-fuse": true, "fuse.portal": true,
	"rootfs": true, "devfs": true, "shm": true, "none": true, "swap": true,
}

// network are the filesystems served by another host: the same list as the probe's
// _netmounts.
var network = map[string]bool{
	"nfs": true, "nfs4": true, "cifs": true, "smbfs": true, "smb3": true, "fuse.sshfs": true,
	"glusterfs": true, "fuse.glusterfs": true, "ceph": true, "afs": true, "9p": true, "davfs": true,
	"fuse.s3fs": true, "lustre": true, "gpfs": true, "ocfs2": true, "gfs2": true,
}

// IsPseudo and IsNetwork classify a filesystem type.
func IsPseudo(fstype string) bool  { return pseudo[fstype] }
func IsNetwork(fstype string) bool { return network[fstype] }

// unescape turns the kernel's octal escapes ("\040" for a space) back into bytes, as
// /proc/mounts and fstab both write them.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ParseMounts reads /proc/mounts (or /etc/mtab, the same format).
func ParseMounts(text string) ([]MountLine, error) {
	var out []MountLine
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 4 {
			pe.Add(n+1, "fewer than four fields")
			continue
		}
		out = append(out, MountLine{Device: unescape(f[0]), MountPoint: unescape(f[1]), FSType: f[2], Options: f[3], Line: n + 1})
	}
	return out, pe.Err()
}

// ParseFstab reads /etc/fstab, commented-out entries included: a "#" line whose text
// has the shape of an entry (a device, an absolute mount point or "swap"/"none", a
// type) is returned with Commented set. Prose comments are not entries.
func ParseFstab(text string) ([]MountLine, error) {
	var out []MountLine
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		commented := false
		if t[0] == '#' {
			commented = true
			t = strings.TrimSpace(strings.TrimLeft(t, "#"))
		}
		f := strings.Fields(t)
		if commented {
			if len(f) < 3 || len(f) > 6 || !looksLikeEntry(f) {
				continue
			}
		} else if len(f) < 3 {
			pe.Add(n+1, "fewer than three fields")
			continue
		}
		m := MountLine{Device: unescape(f[0]), MountPoint: unescape(f[1]), FSType: f[2], Commented: commented, Line: n + 1}
		if len(f) > 3 {
			m.Options = f[3]
		}
		out = append(out, m)
	}
	return out, pe.Err()
}

func looksLikeEntry(f []string) bool {
	mp := f[1]
	if !strings.HasPrefix(mp, "/") && mp != "swap" && mp != "none" {
		return false
	}
	if f[0] == "<file" || strings.HasPrefix(f[0], "<") {
		return false
	}
	dev := f[0]
	devOK := strings.HasPrefix(dev, "/") || strings.Contains(dev, "=") || strings.Contains(dev, ":") ||
		dev == "none" || dev == "tmpfs" || dev == "proc" || dev == "sysfs" || dev == "devpts" || strings.HasPrefix(dev, "//")
	if !devOK {
		return false
	}
	for _, c := range f[2] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ',') {
			return false
		}
	}
	for _, x := range f[4:] {
		if _, err := strconv.Atoi(x); err != nil {
			return false
		}
	}
	return true
}

// DfLine is one filesystem of `df -P -k`.
type DfLine struct {
	Device, MountPoint string
	SizeKiB, UsedKiB   int64
	UsedPct            int
}

// ParseDf reads `df -P -k` (POSIX format: one line per filesystem; the mount point is
// the rest of the line after the capacity, spaces included).
func ParseDf(text string) ([]DfLine, error) {
	var out []DfLine
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		f := kit.FieldsN(line, 6)
		if len(f) == 0 || f[0].Text == "Filesystem" {
			continue
		}
		if len(f) < 6 {
			pe.Add(n+1, "fewer columns than df -P prints")
			continue
		}
		size, e1 := strconv.ParseInt(f[1].Text, 10, 64)
		used, e2 := strconv.ParseInt(f[2].Text, 10, 64)
		pct, e3 := strconv.Atoi(strings.TrimSuffix(f[4].Text, "%"))
		if e1 != nil || e2 != nil {
			pe.Add(n+1, "the size columns are not numbers")
			continue
		}
		if e3 != nil {
			pct = -1 // "-" for a filesystem of size 0
		}
		out = append(out, DfLine{Device: f[0].Text, MountPoint: strings.TrimRight(line[f[5].Off:], "\r "), SizeKiB: size, UsedKiB: used, UsedPct: pct})
	}
	return out, pe.Err()
}

// LV is one LVM logical volume.
type LV struct {
	Name, VG, Attr string
	SizeBytes      int64
	Devices        []string
}

// ParseLvs reads `lvs --noheadings --units b --nosuffix --separator '|' -o
// lv_name,vg_name,lv_size,lv_attr,devices`. A volume on several segments is printed
// once per segment; they are merged.
func ParseLvs(text string) ([]LV, error) {
	var out []LV
	idx := map[string]int{}
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "WARNING") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) < 4 {
			pe.Add(n+1, "fewer fields than asked for")
			continue
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		size, err := strconv.ParseInt(strings.TrimSuffix(f[2], "B"), 10, 64)
		if err != nil {
			pe.Add(n+1, "size %q is not a number of bytes", f[2])
		}
		var devs []string
		if len(f) > 4 && f[4] != "" {
			for _, d := range strings.Split(f[4], ",") {
				if i := strings.IndexByte(d, '('); i > 0 {
					d = d[:i]
				}
				devs = append(devs, d)
			}
		}
		k := f[1] + "/" + f[0]
		if i, ok := idx[k]; ok {
			for _, d := range devs {
				if !contains(out[i].Devices, d) {
					out[i].Devices = append(out[i].Devices, d)
				}
			}
			continue
		}
		idx[k] = len(out)
		out = append(out, LV{Name: f[0], VG: f[1], SizeBytes: size, Attr: f[3], Devices: devs})
	}
	return out, pe.Err()
}

// MD is one software RAID array.
type MD struct {
	Name, Level, State string
	Devices            []string
	SizeBytes          int64
}

// ParseMdstat reads /proc/mdstat: "md0 : active raid1 sdb1[1] sda1[0]" and the
// next line's block count ("1048512 blocks super 1.2 [2/2] [UU]"); a "_" in the
// status brackets marks a degraded array.
func ParseMdstat(text string) ([]MD, error) {
	var out []MD
	pe := &kit.ParseError{}
	lines := strings.Split(text, "\n")
	for n, line := range lines {
		f := strings.Fields(line)
		if len(f) < 3 || !strings.HasPrefix(f[0], "md") || f[1] != ":" {
			continue
		}
		md := MD{Name: f[0], State: f[2]}
		rest := f[3:]
		if len(rest) > 0 && rest[0] == "(read-only)" || len(rest) > 0 && rest[0] == "(auto-read-only)" {
			md.State += " " + strings.Trim(rest[0], "()")
			rest = rest[1:]
		}
		if len(rest) > 0 && (strings.HasPrefix(rest[0], "raid") || rest[0] == "linear" || rest[0] == "multipath") {
			md.Level = rest[0]
			rest = rest[1:]
		}
		for _, d := range rest {
			if i := strings.IndexByte(d, '['); i > 0 {
				name := d[:i]
				if strings.HasSuffix(d, "(F)") {
					name += " (failed)"
				}
				md.Devices = append(md.Devices, name)
			}
		}
		if n+1 < len(lines) {
			g := strings.Fields(lines[n+1])
			if len(g) > 1 && g[1] == "blocks" {
				if v, err := strconv.ParseInt(g[0], 10, 64); err == nil {
					md.SizeBytes = v * 1024
				}
			} else {
				pe.Add(n+2, "no block count after the array line")
			}
			for _, t := range g {
				if strings.HasPrefix(t, "[") && strings.Contains(t, "_") && strings.Trim(t, "[U_]") == "" {
					md.State += " degraded"
				}
			}
		}
		out = append(out, md)
	}
	return out, pe.Err()
}

// DuLine is one line of the probe's _net_du.
type DuLine struct {
	Path, Link string
	KiB        *int64
	Network    bool
	Partial    bool
}

// ParseDu reads "path\tKiB\tlink target\tnote" lines (du-data), and du-apparent's,
// which have bytes in place of KiB.
func ParseDu(text string) ([]DuLine, error) {
	var out []DuLine
	pe := &kit.ParseError{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || !strings.HasPrefix(f[0], "/") {
			pe.Add(n+1, "not a path and a size")
			continue
		}
		d := DuLine{Path: f[0]}
		if len(f) > 2 {
			d.Link = f[2]
		}
		if len(f) > 3 {
			d.Network = f[3] == "network"
			d.Partial = f[3] == "partial"
		}
		if v, err := strconv.ParseInt(f[1], 10, 64); err == nil && v >= 0 {
			d.KiB = &v
		} else if !d.Network {
			pe.Add(n+1, "size %q is not a number", short(f[1]))
		}
		out = append(out, d)
	}
	return out, pe.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
