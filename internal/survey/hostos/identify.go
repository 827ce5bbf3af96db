package hostos

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Identity is the operating system as the release files describe it.
type Identity struct {
	ID, Family, Name, Version, VersionID, Codename, Pretty string
	// Used are the items the identity was read from, to cite.
	Used []*evidence.Item
	// Tried are every release file looked at, for a reason when nothing was found.
	Tried []*evidence.Item
	// Bad is set when a file was only partly understood.
	Bad string
}

// families maps an os-release ID (or an ID_LIKE word) to its family.
var families = map[string]string{
	"rhel": "rhel", "centos": "rhel", "fedora": "rhel", "amzn": "rhel", "rocky": "rhel",
	"almalinux": "rhel", "ol": "rhel", "scientific": "rhel", "cloudlinux": "rhel",
	"eurolinux": "rhel", "virtuozzo": "rhel", "xenenterprise": "rhel",
	"debian": "debian", "ubuntu": "debian", "raspbian": "debian", "linuxmint": "debian",
	"devuan": "debian", "kali": "debian",
	"sles": "suse", "sled": "suse", "opensuse": "suse", "opensuse-leap": "suse",
	"opensuse-tumbleweed": "suse", "suse": "suse",
	"alpine": "alpine", "arch": "arch", "manjaro": "arch",
}

// Family is the family of an ID, else of the first ID_LIKE word that has one.
func Family(id, idLike string) string {
	if f, ok := families[strings.ToLower(id)]; ok {
		return f
	}
	for _, w := range strings.Fields(strings.ToLower(idLike)) {
		if f, ok := families[w]; ok {
			return f
		}
	}
	return ""
}

// Identify reads the operating system from the release files. os-release wins where
// it exists; the older vendor files fill in what it lacks (the full "7.9.2009" that
// CentOS 7's os-release cuts to "7") and stand alone on hosts that predate it.
func Identify(in *kit.Input) Identity {
	var id Identity
	osr := kit.FirstUsable(in.File("/etc/os-release"), in.File("/usr/lib/os-release"))
	id.Tried = append(id.Tried, in.File("/etc/os-release"), in.File("/usr/lib/os-release"))

	// The vendor line: system-release first, because Oracle Linux keeps a
	// redhat-release that claims to be Red Hat for compatibility.
	var rel Release
	var relItem *evidence.Item
	for _, p := range []string{"/etc/system-release", "/etc/centos-release", "/etc/redhat-release"} {
		it := in.File(p)
		id.Tried = append(id.Tried, it)
		if relItem == nil && kit.Usable(it) {
			if r, ok := ParseReleaseLine(it.Text()); ok {
				rel, relItem = r, it
			}
		}
	}
	debItem := in.File("/etc/debian_version")
	debVersion, debOK := "", false
	if kit.Usable(debItem) {
		debVersion, debOK = ParseDebianVersion(debItem.Text())
	}
	id.Tried = append(id.Tried, debItem)

	if osr != nil {
		kv, bad := ParseKV(osr.Text())
		if len(bad) > 0 {
			id.Bad = osr.Name + " has lines that are not shell assignments: " + quoteFirst(bad)
		}
		id.Used = append(id.Used, osr)
		id.ID = strings.ToLower(kv["ID"])
		id.Family = Family(id.ID, kv["ID_LIKE"])
		id.Name = kv["NAME"]
		id.Pretty = kv["PRETTY_NAME"]
		id.VersionID = kv["VERSION_ID"]
		if c, ok := kv["VERSION_CODENAME"]; ok {
			id.Codename = c
		} else if c := kv["UBUNTU_CODENAME"]; c != "" {
			id.Codename = c
		} else if p := parenRE.FindStringSubmatch(kv["VERSION"]); p != nil && p[1] != kv["VARIANT"] {
			// Debian 8's os-release has no VERSION_CODENAME but says "8 (jessie)".
			// Fedora's parentheses hold the VARIANT ("Server Edition"), not a name.
			id.Codename = p[1]
		}
		// The vendor's own file carries the full version where os-release rounds it.
		full := ""
		switch {
		case relItem != nil && id.Family == "rhel":
			full = rel.Version
			if strings.HasPrefix(full, id.VersionID+".") || full == id.VersionID {
				id.Used = append(id.Used, relItem)
			}
		case debOK && id.ID == "debian":
			full = debVersion
			if strings.HasPrefix(full, id.VersionID+".") || full == id.VersionID {
				id.Used = append(id.Used, debItem)
			}
		}
		switch {
		case id.VersionID != "" && full != "" && (full == id.VersionID || strings.HasPrefix(full, id.VersionID+".")):
			id.Version = full
		case leadingVersion(kv["VERSION"]) != "":
			id.Version = leadingVersion(kv["VERSION"])
		default:
			id.Version = id.VersionID
		}
		if id.VersionID == "" {
			id.VersionID = MajorMinor(id.Version)
		}
		return id
	}

	if relItem != nil {
		id.Used = append(id.Used, relItem)
		id.ID, id.Name, id.Version, id.VersionID = rel.ID, rel.Name, rel.Version, rel.VersionID
		id.Codename, id.Pretty = rel.Codename, rel.Pretty
		// Every vendor that writes this file is a Red Hat rebuild or derivative.
		id.Family = Family(id.ID, "rhel")
		return id
	}

	lsbItem := in.File("/etc/lsb-release")
	id.Tried = append(id.Tried, lsbItem)
	if kit.Usable(lsbItem) {
		kv, bad := ParseKV(lsbItem.Text())
		if d := kv["DISTRIB_ID"]; d != "" {
			if len(bad) > 0 {
				id.Bad = lsbItem.Name + " has lines that are not shell assignments: " + quoteFirst(bad)
			}
			id.Used = append(id.Used, lsbItem)
			id.ID = strings.ToLower(d)
			id.Name = d
			id.Codename = kv["DISTRIB_CODENAME"]
			id.Pretty = kv["DISTRIB_DESCRIPTION"]
			// The description carries the point release: "Ubuntu 12.04.5 LTS".
			id.Version = kv["DISTRIB_RELEASE"]
			for _, w := range strings.Fields(id.Pretty) {
				if v := leadingVersion(w); v != "" && strings.HasPrefix(v, id.Version) {
					id.Version = v
					break
				}
			}
			id.VersionID = kv["DISTRIB_RELEASE"]
			id.Family = Family(id.ID, "debian")
			return id
		}
	}

	if debOK {
		id.Used = append(id.Used, debItem)
		id.ID, id.Name, id.Family = "debian", "Debian GNU/Linux", "debian"
		id.Version, id.VersionID = debVersion, MajorMinor(debVersion)
		major, _, _ := strings.Cut(debVersion, ".")
		id.Codename = debianCodenames[major]
		id.Pretty = "Debian GNU/Linux " + debVersion
		return id
	}

	suseItem := in.File("/etc/SuSE-release")
	id.Tried = append(id.Tried, suseItem)
	if kit.Usable(suseItem) {
		if s, ok := ParseSuSERelease(suseItem.Text()); ok {
			id.Used = append(id.Used, suseItem)
			id.ID, id.Name, id.Version, id.Codename, id.Pretty = s.ID, s.Name, s.Version, s.Codename, s.Pretty
			id.VersionID = MajorMinor(s.Version)
			id.Family = "suse"
			return id
		}
	}

	alpItem := in.File("/etc/alpine-release")
	id.Tried = append(id.Tried, alpItem)
	if kit.Usable(alpItem) {
		if v := leadingVersion(firstLine(alpItem.Text())); v != "" {
			id.Used = append(id.Used, alpItem)
			id.ID, id.Name, id.Family = "alpine", "Alpine Linux", "alpine"
			id.Version, id.VersionID = v, MajorMinor(v)
			id.Pretty = "Alpine Linux v" + id.VersionID
		}
	}
	return id
}

func quoteFirst(bad []string) string {
	s := strconv.Quote(truncate(bad[0], 80))
	if len(bad) > 1 {
		s += " and " + strconv.Itoa(len(bad)-1) + " more"
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// versionAtLeast compares the leading numbers of a version: "7.9" ≥ 7, "14.04" ≥ 14.4
// is written as atLeast(v, 14, 4).
func versionAtLeast(v string, major, minor int) bool {
	maj, min, ok := splitVersion(v)
	if !ok {
		return false
	}
	return maj > major || maj == major && min >= minor
}

func splitVersion(v string) (int, int, bool) {
	mm := MajorMinor(v)
	if mm == "" {
		return 0, 0, false
	}
	a, b, _ := strings.Cut(mm, ".")
	maj, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	min, _ := strconv.Atoi(b)
	return maj, min, true
}
