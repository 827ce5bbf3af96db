// Package packages surveys installed packages from rpm, dpkg and apk evidence.
package packages

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills snapshot.Packages and the packages section's coverage.
type Surveyor struct{}

// New returns the packages surveyor.
func New() *Surveyor { return &Surveyor{} }

// Name names the surveyor.
func (*Surveyor) Name() string { return "packages" }

type source struct {
	manager string
	item    *evidence.Item
	pkgs    []snapshot.Package
	bad     int
}

// Survey reads every package database the probe brought back. The one with the most
// packages manages the host; the others' packages are kept under their own manager
// (rpm installed on Debian for a vendor tool is real, and worth knowing).
func (s *Surveyor) Survey(in *kit.Input) {
	rpm := &source{manager: "rpm", item: in.Cmd("rpm-qa")}
	dpkg := &source{manager: "dpkg", item: in.File("/var/lib/dpkg/status")}
	apk := &source{manager: "apk", item: in.File("/lib/apk/db/installed")}
	if kit.Usable(rpm.item) {
		rpm.pkgs, rpm.bad = ParseRPMQA(rpm.item.Text())
	}
	if kit.Usable(dpkg.item) {
		dpkg.pkgs, dpkg.bad = ParseDpkgStatus(dpkg.item.Text())
		if mt := in.Cmd("dpkg-list-mtimes"); kit.Usable(mt) {
			applyInstallTimes(dpkg.pkgs, ParseListMtimes(mt.Text()))
		}
	}
	if kit.Usable(apk.item) {
		apk.pkgs, apk.bad = ParseAPKInstalled(apk.item.Text())
	}
	sources := []*source{rpm, dpkg, apk}
	var ruling *source
	for _, src := range sources {
		if len(src.pkgs) > 0 && (ruling == nil || len(src.pkgs) > len(ruling.pkgs)) {
			ruling = src
		}
	}
	if ruling == nil {
		st, why := snapshot.Unavailable, kit.Explain(rpm.item, dpkg.item, apk.item)
		// A database we were refused says more than one we never reached.
		for _, want := range []snapshot.Status{snapshot.TimedOut, snapshot.Denied} {
			for _, it := range []*evidence.Item{rpm.item, dpkg.item, apk.item} {
				if s2, w := kit.StatusOf(it); s2 == want {
					st, why = s2, w
				}
			}
		}
		in.Cover(snapshot.SectionPackages, st, why, rpm.item, dpkg.item, apk.item)
		return
	}
	for _, src := range sources {
		if len(src.pkgs) == 0 {
			continue
		}
		id := in.Cite(src.item)
		for i := range src.pkgs {
			src.pkgs[i].Manager = src.manager
			src.pkgs[i].Evidence = id
		}
		in.Snap.Packages = append(in.Snap.Packages, src.pkgs...)
	}
	sort.SliceStable(in.Snap.Packages, func(i, j int) bool {
		a, b := in.Snap.Packages[i], in.Snap.Packages[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Arch < b.Arch
	})
	if in.Snap.OS.PackageManager == "" {
		in.Snap.OS.PackageManager = ruling.manager
	}
	st, why := kit.StatusOf(ruling.item)
	if ruling.item.Kind == evidence.KindCmd && ruling.item.RC != 0 {
		st, why = snapshot.Partial, ruling.item.Problem()
	}
	if ruling.bad > 0 && st == snapshot.Collected {
		st, why = snapshot.Partial, fmt.Sprintf("%d entries of %s could not be read", ruling.bad, ruling.item.Source())
	}
	in.Cover(snapshot.SectionPackages, st, why, ruling.item)
}

// ParseRPMQA parses the probe's rpm -qa --qf output: name, epoch, version, release,
// arch, install time, vendor, source RPM, tab-separated. It returns the packages and
// how many lines could not be read.
func ParseRPMQA(text string) ([]snapshot.Package, int) {
	var out []snapshot.Package
	bad := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 || f[0] == "" || f[2] == "" {
			bad++
			continue
		}
		p := snapshot.Package{Name: f[0], Version: f[2], Release: f[3], Arch: none(f[4])}
		if e, err := strconv.Atoi(f[1]); err == nil {
			p.Epoch = snapshot.Int(e)
		}
		if len(f) > 5 {
			if sec, err := strconv.ParseInt(f[5], 10, 64); err == nil && sec > 0 {
				t := time.Unix(sec, 0).UTC()
				p.InstallTime = &t
			}
		}
		if len(f) > 6 {
			p.Origin = none(f[6])
		}
		if len(f) > 7 {
			p.Source = none(f[7])
		}
		out = append(out, p)
	}
	return out, bad
}

func none(s string) string {
	if s == "(none)" {
		return ""
	}
	return s
}

// ParseDpkgStatus parses /var/lib/dpkg/status and returns the installed packages (Status
// "install ok installed", or "hold ok installed") and how many stanzas were unreadable.
func ParseDpkgStatus(text string) ([]snapshot.Package, int) {
	var out []snapshot.Package
	bad := 0
	for _, stanza := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(stanza) == "" {
			continue
		}
		fields := map[string]string{}
		for _, line := range strings.Split(stanza, "\n") {
			if line == "" || line[0] == ' ' || line[0] == '\t' {
				continue // continuation lines belong to fields not needed here
			}
			k, v, ok := strings.Cut(line, ":")
			if ok {
				fields[k] = strings.TrimSpace(v)
			}
		}
		if fields["Package"] == "" || fields["Version"] == "" {
			bad++
			continue
		}
		status := strings.Fields(fields["Status"])
		if len(status) != 3 || status[2] != "installed" {
			continue
		}
		p := snapshot.Package{Name: fields["Package"], Arch: fields["Architecture"], Origin: fields["Maintainer"]}
		v := fields["Version"]
		if e, rest, ok := strings.Cut(v, ":"); ok {
			if n, err := strconv.Atoi(e); err == nil {
				p.Epoch = snapshot.Int(n)
				v = rest
			}
		}
		if i := strings.LastIndex(v, "-"); i > 0 {
			p.Version, p.Release = v[:i], v[i+1:]
		} else {
			p.Version = v
		}
		if src := fields["Source"]; src != "" {
			p.Source, _, _ = strings.Cut(src, " ")
		}
		out = append(out, p)
	}
	return out, bad
}

// ParseListMtimes maps "name" and "name:arch" to the modification time of the
// package's file list, which dpkg writes when it installs the package.
func ParseListMtimes(text string) map[string]time.Time {
	out := map[string]time.Time{}
	for _, line := range strings.Split(text, "\n") {
		sec, name, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			continue
		}
		out[strings.TrimSuffix(name, ".list")] = time.Unix(n, 0).UTC()
	}
	return out
}

func applyInstallTimes(pkgs []snapshot.Package, times map[string]time.Time) {
	for i := range pkgs {
		t, ok := times[pkgs[i].Name+":"+pkgs[i].Arch]
		if !ok {
			t, ok = times[pkgs[i].Name]
		}
		if ok {
			t := t
			pkgs[i].InstallTime = &t
		}
	}
}

// ParseAPKInstalled parses Alpine's /lib/apk/db/installed.
func ParseAPKInstalled(text string) ([]snapshot.Package, int) {
	var out []snapshot.Package
	bad := 0
	for _, stanza := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(stanza) == "" {
			continue
		}
		var p snapshot.Package
		for _, line := range strings.Split(stanza, "\n") {
			if len(line) < 2 || line[1] != ':' {
				continue
			}
			v := line[2:]
			switch line[0] {
			case 'P':
				p.Name = v
			case 'V':
				p.Version = v
				if i := strings.LastIndex(v, "-r"); i > 0 {
					p.Version, p.Release = v[:i], v[i+1:]
				}
			case 'A':
				p.Arch = v
			case 'o':
				p.Source = v
			case 't':
				if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
					t := time.Unix(sec, 0).UTC()
					p.InstallTime = &t
				}
			}
		}
		if p.Name == "" || p.Version == "" {
			bad++
			continue
		}
		out = append(out, p)
	}
	return out, bad
}
