// Package distro knows how Linux distributions name the same things: which platform a
// host runs, what a service or package is called on another release, which role a
// service or package plays (the packages of a database server, the processes of a
// daemon, the package that ships a unit), and how each package manager orders
// versions. It is pure: its only input besides the arguments is the tables embedded
// from data/.
package distro

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Platform is an OS release as trowel maps names for it.
type Platform struct {
	ID      string // os-release ID: centos, rhel, almalinux, rocky, ol, fedora, amzn, debian, ubuntu
	Version string // major version ("5", "9", "2", "2023", "12"); Ubuntu keeps "24.04"
}

// Targets are the platforms codify writes for.
func Targets() []Platform {
	return []Platform{
		{"debian", "12"}, {"debian", "13"}, {"ubuntu", "24.04"},
		{"almalinux", "9"}, {"rocky", "9"}, {"amzn", "2023"},
	}
}

// families maps the IDs trowel knows to their family. Clones of RHEL and Debian that
// are not listed still parse through PlatformOf but have no family.
var families = map[string]string{
	"centos": "rhel", "rhel": "rhel", "almalinux": "rhel", "rocky": "rhel", "ol": "rhel",
	"fedora": "rhel", "amzn": "rhel", "scientific": "rhel", "cloudlinux": "rhel",
	"debian": "debian", "ubuntu": "debian",
}

// idAliases are the spellings ParsePlatform accepts for an os-release ID.
var idAliases = map[string]string{
	"centos": "centos", "rhel": "rhel", "redhat": "rhel",
	"almalinux": "almalinux", "alma": "almalinux",
	"rocky": "rocky", "rockylinux": "rocky",
	"ol": "ol", "oracle": "ol", "oraclelinux": "ol",
	"fedora": "fedora",
	"amzn":   "amzn", "amazonlinux": "amzn", "amazon": "amzn", "al": "amzn",
	"debian": "debian",
	"ubuntu": "ubuntu",
}

// codenames lets "debian-bookworm" or "ubuntu-noble" stand for the numbered release.
var codenames = map[string]string{
	"jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12",
	"trixie": "13", "forky": "14",
	"xenial": "16.04", "bionic": "18.04", "focal": "20.04", "jammy": "22.04", "noble": "24.04",
}

var (
	platformRe = regexp.MustCompile(`^([a-z]+)[-: ]?([0-9][0-9.]*|[a-z]+)$`)
	ubuntuRe   = regexp.MustCompile(`^[0-9]{2}\.[0-9]{2}$`)
)

// ParsePlatform reads a platform as a user writes it: "debian-12", "ubuntu-24.04",
// "almalinux-9", "amazonlinux-2023", "centos-5", "rhel-7.9" (the minor is dropped),
// "debian-bookworm".
func ParsePlatform(s string) (Platform, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	m := platformRe.FindStringSubmatch(in)
	if m == nil {
		return Platform{}, platformError(s, "not of the form NAME-VERSION")
	}
	id, ok := idAliases[m[1]]
	if !ok {
		return Platform{}, platformError(s, fmt.Sprintf("unknown distribution %q", m[1]))
	}
	ver := m[2]
	if v, ok := codenames[ver]; ok {
		if id != "debian" && id != "ubuntu" || strings.Contains(v, ".") != (id == "ubuntu") {
			return Platform{}, platformError(s, fmt.Sprintf("%q is not a release of %s", ver, id))
		}
		ver = v
	}
	if ver == "" || ver[0] < '0' || ver[0] > '9' {
		return Platform{}, platformError(s, fmt.Sprintf("unknown release %q", m[2]))
	}
	if id == "ubuntu" {
		if !ubuntuRe.MatchString(ver) {
			return Platform{}, platformError(s, "Ubuntu releases are written YY.MM, as in ubuntu-24.04")
		}
		return Platform{id, ver}, nil
	}
	return platformOf(id, ver), nil
}

func platformError(s, why string) error {
	var forms []string
	for _, t := range Targets() {
		forms = append(forms, t.String())
	}
	return fmt.Errorf("platform %q: %s; accepted forms are NAME-VERSION with NAME one of "+
		"centos, rhel, almalinux, rocky, ol, fedora, amazonlinux (or amzn), debian, ubuntu "+
		"(for example %s, centos-5, rhel-7, amzn-2, debian-bookworm)",
		s, why, strings.Join(forms, ", "))
}

// PlatformOf is the platform of a surveyed host. CentOS 5 has no os-release, so its
// VersionID is the "5.11" of /etc/redhat-release; Amazon Linux 1 names its releases
// after dates ("2018.03").
func PlatformOf(os snapshot.OS) Platform {
	id := strings.ToLower(strings.TrimSpace(os.ID))
	ver := strings.TrimSpace(os.VersionID)
	if ver == "" {
		ver = strings.TrimSpace(os.Version)
	}
	if ver == "" {
		ver = codenames[strings.ToLower(os.Codename)]
	}
	if id == "ubuntu" {
		if f := strings.SplitN(ver, ".", 3); len(f) >= 2 {
			return Platform{id, f[0] + "." + f[1]}
		}
		return Platform{id, ver}
	}
	return platformOf(id, ver)
}

// platformOf cuts a version to the major release that names are mapped by.
func platformOf(id, ver string) Platform {
	major, _, _ := strings.Cut(ver, ".")
	if id == "amzn" && len(major) == 4 && major < "2023" {
		// Amazon Linux 1 versions are dates: 2011.09 to 2018.03.
		major = "1"
	}
	return Platform{id, major}
}

// String is the platform as ParsePlatform reads it back: "debian-12",
// "amazonlinux-2023".
func (p Platform) String() string {
	id := p.ID
	if id == "amzn" {
		id = "amazonlinux"
	}
	if p.Version == "" {
		return id
	}
	return id + "-" + p.Version
}

// Family is "rhel" or "debian", or "" for a distribution trowel does not map.
func (p Platform) Family() string { return families[p.ID] }

// PackageManager is "rpm" or "dpkg", or "" outside the two families.
func (p Platform) PackageManager() string {
	switch p.Family() {
	case "rhel":
		return "rpm"
	case "debian":
		return "dpkg"
	}
	return ""
}

// InitSystem is the init that manages services on p: "sysv", "upstart" or "systemd".
// EL6 and Amazon Linux 1 boot with upstart but their services are still SysV
// scripts driven by service(8) and chkconfig(8).
func (p Platform) InitSystem() string {
	n := p.major()
	switch p.ID {
	case "centos", "rhel", "ol", "scientific", "cloudlinux":
		switch {
		case n > 0 && n <= 5:
			return "sysv"
		case n == 6:
			return "upstart"
		}
	case "amzn":
		if n == 1 {
			return "upstart"
		}
	case "fedora":
		if n > 0 && n < 15 {
			return "sysv"
		}
	case "debian":
		if n > 0 && n < 8 {
			return "sysv"
		}
	case "ubuntu":
		// Ubuntu moved to systemd with 15.04; 6.10 to 14.10 used upstart.
		if n > 0 && n < 15 {
			return "upstart"
		}
	}
	return "systemd"
}

// major is the leading number of the version, 0 when there is none.
func (p Platform) major() int {
	n := 0
	for _, c := range p.Version {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		if n > 1e6 {
			break
		}
	}
	return n
}

// elGeneration is the RHEL major release whose package names p follows, 0 when p is
// not an Enterprise Linux. Amazon Linux 1 came from EL6, 2 from EL7, and 2023 from
// Fedora 34-36, whose names are those of EL9.
func (p Platform) elGeneration() int {
	switch p.ID {
	case "centos", "rhel", "almalinux", "rocky", "ol", "scientific", "cloudlinux":
		return p.major()
	case "amzn":
		switch p.Version {
		case "1":
			return 6
		case "2":
			return 7
		case "2023":
			return 9
		}
	}
	return 0
}

// keys are the table selectors that apply to p, most specific first.
func (p Platform) keys() []string {
	var ks []string
	if p.Version != "" {
		ks = append(ks, p.ID+"-"+p.Version)
	}
	if g := p.elGeneration(); g > 0 {
		ks = append(ks, fmt.Sprintf("el%d", g))
	}
	ks = append(ks, p.ID)
	if f := p.Family(); f != "" && f != p.ID {
		ks = append(ks, f)
	}
	return ks
}
