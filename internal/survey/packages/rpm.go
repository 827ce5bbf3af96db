package packages

import (
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// rpmNone is what rpm prints for a tag the header lacks: no epoch, and for a
// gpg-pubkey entry no arch, vendor or source rpm.
const rpmNone = "(none)"

// parseRPMQA reads the output of the probe's
// rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{INSTALLTIME}\t%{VENDOR}\t%{SOURCERPM}\n'
// which the offline reader (internal/rpmdb) reproduces. gpg-pubkey entries are kept:
// they are in the database, as rpm -qa lists them, and say which keys the host trusts.
// Intent stays "": rpm records no request, only an install time, and yum's history
// is not read, so nothing tells which packages the administrator chose.
func parseRPMQA(text string) parsed {
	r := parsed{unit: "line", pkgs: make([]snapshot.Package, 0, strings.Count(text, "\n")+1)}
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if p, ok := parseRPMLine(line); ok {
			r.pkgs = append(r.pkgs, p)
		} else {
			r.bad++
		}
	}
	return r
}

func parseRPMLine(line string) (snapshot.Package, bool) {
	// The first six fields never hold a tab; the vendor is free text and, should a
	// header ever carry a tab in it, the source rpm is still the last field.
	var f [6]string
	rest := line
	for i := range f {
		var ok bool
		if f[i], rest, ok = strings.Cut(rest, "\t"); !ok {
			return snapshot.Package{}, false
		}
	}
	cut := strings.LastIndexByte(rest, '\t')
	if cut < 0 {
		return snapshot.Package{}, false
	}
	vendor, srpm := rest[:cut], rest[cut+1:]
	name, epoch, version, release, arch, installed := f[0], f[1], f[2], f[3], f[4], f[5]
	if name == "" || name == rpmNone || strings.ContainsAny(name, " ") || version == "" || version == rpmNone {
		return snapshot.Package{}, false
	}
	p := snapshot.Package{
		Name:    name,
		Version: version,
		Release: unset(release),
		Arch:    unset(arch),
		Source:  unset(srpm),
		Origin:  unset(vendor),
	}
	if epoch != rpmNone {
		e, err := strconv.ParseUint(epoch, 10, 31)
		if err != nil {
			return snapshot.Package{}, false
		}
		p.Epoch = snapshot.Int(int(e))
	}
	if installed != rpmNone {
		sec, err := strconv.ParseUint(installed, 10, 63)
		if err != nil {
			return snapshot.Package{}, false
		}
		if sec > 0 {
			t := time.Unix(int64(sec), 0).UTC()
			p.InstallTime = &t
		}
	}
	return p, true
}

func unset(s string) string {
	if s == rpmNone {
		return ""
	}
	return s
}
