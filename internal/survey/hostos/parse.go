package hostos

import (
	"regexp"
	"strconv"
	"strings"
)

// This file holds the pure parsers: strings in, values out, no evidence and no
// snapshot, so each can be tested and fuzzed on its own.

// ParseKV reads the shell-assignment files this package meets: os-release,
// lsb-release, /etc/sysconfig/network and /etc/sysconfig/clock. Values may be
// double-quoted (with backslash escapes), single-quoted or bare, as the shell that
// sources these files allows. It returns the assignments and the lines it could not
// read, so a caller can say that a file was only partly understood while keeping
// everything before and after the bad line.
func ParseKV(text string) (map[string]string, []string) {
	kv := map[string]string{}
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, raw, ok := strings.Cut(line, "=")
		if !ok || !isIdent(key) {
			bad = append(bad, line)
			continue
		}
		val, clean := unquote(raw)
		if !clean {
			bad = append(bad, line)
		}
		kv[key] = val
	}
	return kv, bad
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// unquote evaluates one shell word the way sh would when sourcing the file, without
// expanding variables. It reports false for an unterminated quote or for text after
// the word that is not a comment; the value read so far is still returned.
func unquote(v string) (string, bool) {
	var b strings.Builder
	clean := true
	i := 0
	for i < len(v) {
		switch c := v[i]; {
		case c == '"':
			i++
			closed := false
			for i < len(v) {
				if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("\"\\$`", v[i+1]) >= 0 {
					b.WriteByte(v[i+1])
					i += 2
					continue
				}
				if v[i] == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(v[i])
				i++
			}
			clean = clean && closed
		case c == '\'':
			end := strings.IndexByte(v[i+1:], '\'')
			if end < 0 {
				b.WriteString(v[i+1:])
				return b.String(), false
			}
			b.WriteString(v[i+1 : i+1+end])
			i += end + 2
		case c == '\\' && i+1 < len(v):
			b.WriteByte(v[i+1])
			i += 2
		case c == ' ' || c == '\t':
			// Unquoted blanks end the word for the shell; only a comment may follow.
			rest := strings.TrimSpace(v[i:])
			return b.String(), clean && (rest == "" || strings.HasPrefix(rest, "#"))
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), clean
}

// Release is what a one-line vendor release file says.
type Release struct {
	ID        string // the os-release ID this vendor would use
	Name      string // the words before "release"
	Version   string // as written: "5.11", "7.9.2009", "2018.03"
	VersionID string // major.minor
	Codename  string // the words in parentheses: "Final", "Tikanga", "Core"
	Pretty    string // the whole line
}

var releaseRE = regexp.MustCompile(`^(.*?)\s*\brelease\s+([0-9][^\s(]*)\s*(.*)$`)
var parenRE = regexp.MustCompile(`\(([^()]*)\)\s*$`)

// ParseReleaseLine reads /etc/redhat-release, centos-release or system-release:
// "CentOS release 5.11 (Final)", "Red Hat Enterprise Linux Server release 6.10(Santiago)",
// "Amazon Linux AMI release 2018.03". The first non-blank line counts.
func ParseReleaseLine(text string) (Release, bool) {
	line := firstLine(text)
	m := releaseRE.FindStringSubmatch(line)
	if m == nil || strings.TrimSpace(m[1]) == "" {
		return Release{}, false
	}
	r := Release{Name: strings.TrimSpace(m[1]), Version: m[2], Pretty: line}
	r.VersionID = MajorMinor(r.Version)
	if p := parenRE.FindStringSubmatch(m[3]); p != nil {
		r.Codename = strings.TrimSpace(p[1])
	}
	r.ID = releaseID(r.Name)
	return r, true
}

// releaseID maps a vendor's product name to the ID its os-release would carry, so a
// CentOS 5 host without os-release compares with a CentOS 7 host that has one.
func releaseID(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "centos"):
		return "centos"
	case strings.HasPrefix(n, "red hat"):
		return "rhel"
	case strings.HasPrefix(n, "fedora"):
		return "fedora"
	case strings.HasPrefix(n, "amazon linux"):
		return "amzn"
	case strings.HasPrefix(n, "scientific linux"):
		return "scientific"
	case strings.HasPrefix(n, "oracle linux"), strings.HasPrefix(n, "enterprise linux enterprise linux"):
		// Oracle Enterprise Linux 5 called itself "Enterprise Linux Enterprise Linux Server".
		return "ol"
	case strings.HasPrefix(n, "rocky linux"):
		return "rocky"
	case strings.HasPrefix(n, "almalinux"):
		return "almalinux"
	case strings.HasPrefix(n, "cloudlinux"):
		return "cloudlinux"
	}
	if f := strings.Fields(n); len(f) > 0 {
		return f[0]
	}
	return ""
}

var majorMinorRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?`)

// MajorMinor cuts a version to major.minor: "7.9.2009" → "7.9", "6.0.10" → "6.0".
func MajorMinor(v string) string { return majorMinorRE.FindString(v) }

var leadingVersionRE = regexp.MustCompile(`^[0-9][0-9.]*[0-9]|^[0-9]`)

// leadingVersion is the version number that starts an os-release VERSION:
// "18.04.6 LTS (Bionic Beaver)" → "18.04.6", "7 (Core)" → "7".
func leadingVersion(v string) string { return leadingVersionRE.FindString(strings.TrimSpace(v)) }

// SuSE is what /etc/SuSE-release says (SLES 10/11, openSUSE before 42).
type SuSE struct {
	ID, Name, Version, Codename, Pretty string
}

// ParseSuSERelease reads "SUSE Linux Enterprise Server 11 (x86_64)" followed by
// "VERSION = 11" and "PATCHLEVEL = 4" lines; the version becomes "11.4", as SLES 12's
// os-release writes VERSION_ID for SP4.
func ParseSuSERelease(text string) (SuSE, bool) {
	first := firstLine(text)
	if first == "" {
		return SuSE{}, false
	}
	s := SuSE{Pretty: first, Name: strings.TrimSpace(parenRE.ReplaceAllString(first, ""))}
	var patch string
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "VERSION":
			s.Version = strings.TrimSpace(v)
		case "PATCHLEVEL":
			patch = strings.TrimSpace(v)
		case "CODENAME":
			s.Codename = strings.TrimSpace(v)
		}
	}
	if patch != "" && patch != "0" && s.Version != "" && !strings.Contains(s.Version, ".") {
		s.Version += "." + patch
	}
	low := strings.ToLower(first)
	switch {
	case strings.Contains(low, "opensuse"):
		s.ID = "opensuse"
	case strings.Contains(low, "enterprise desktop"):
		s.ID = "sled"
	case strings.Contains(low, "suse"):
		s.ID = "sles"
	default:
		return SuSE{}, false
	}
	if s.Name != "" {
		// The name line repeats the version: "SUSE Linux Enterprise Server 11".
		s.Name = strings.TrimSpace(strings.TrimSuffix(s.Name, " "+strings.Split(s.Version, ".")[0]))
	}
	return s, true
}

// debianCodenames names Debian releases whose hosts carry no os-release (before 7)
// and whose debian_version is a bare number; later ones say it themselves.
var debianCodenames = map[string]string{
	"3": "woody", "4": "etch", "5": "lenny", "6": "squeeze", "7": "wheezy", "8": "jessie",
	"9": "stretch", "10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie",
}

// ParseDebianVersion reads /etc/debian_version: "6.0.10" on Debian, but
// "bookworm/sid" on Ubuntu and testing, which names no version: ok is false then.
func ParseDebianVersion(text string) (version string, ok bool) {
	v := firstLine(text)
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "", false
	}
	for _, c := range v {
		if (c < '0' || c > '9') && c != '.' {
			return "", false
		}
	}
	return v, true
}

// Uname is the probe's five uname lines.
type Uname struct {
	Sysname, Nodename, Release, Machine, Version string
}

// ParseUname reads the output of "uname -s; uname -n; uname -r; uname -m; uname -v".
// A single "uname -a" line (what a bundle collected by hand may hold) is accepted
// for the first three fields only: its later fields cannot be told apart reliably,
// because -v contains spaces and -p/-i are omitted when unknown.
func ParseUname(text string) (Uname, bool) {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) >= 4 && !strings.ContainsAny(lines[0], " \t") {
		u := Uname{Sysname: lines[0], Nodename: lines[1], Release: lines[2], Machine: lines[3]}
		if len(lines) >= 5 {
			u.Version = lines[4]
		}
		if strings.ContainsAny(u.Nodename+u.Release+u.Machine, " \t") {
			return Uname{}, false
		}
		return u, true
	}
	if len(lines) == 1 {
		f := strings.Fields(lines[0])
		if len(f) >= 3 && f[0] == "Linux" {
			return Uname{Sysname: f[0], Nodename: f[1], Release: f[2]}, true
		}
	}
	return Uname{}, false
}

// CPUInfo is what /proc/cpuinfo says about the machine.
type CPUInfo struct {
	CPUs       int  // logical processors
	Hypervisor bool // the CPUID "running under a hypervisor" bit is set
}

// ParseCPUInfo counts "processor : N" lines (x86, ARM, POWER, MIPS), and falls back
// to s390's "# processors : N" summary line.
func ParseCPUInfo(text string) CPUInfo {
	var ci CPUInfo
	summary := 0
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "processor":
			ci.CPUs++
		case "# processors":
			summary, _ = strconv.Atoi(strings.TrimSpace(v))
		case "flags":
			for _, f := range strings.Fields(v) {
				if f == "hypervisor" {
					ci.Hypervisor = true
				}
			}
		}
	}
	if ci.CPUs == 0 && summary > 0 {
		ci.CPUs = summary
	}
	return ci
}

// ParseMemTotal returns MemTotal from /proc/meminfo in bytes.
func ParseMemTotal(text string) (int64, bool) {
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(k) != "MemTotal" {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			return 0, false
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || n <= 0 {
			return 0, false
		}
		unit := int64(1)
		if len(f) > 1 && strings.EqualFold(f[1], "kB") {
			unit = 1024
		}
		if n > (1<<62)/unit {
			return 0, false
		}
		return n * unit, true
	}
	return 0, false
}

// ZoneFromLink turns a /etc/localtime link target into a zone name:
// "/usr/share/zoneinfo/Asia/Tokyo" and "../usr/share/zoneinfo/UTC" give "Asia/Tokyo"
// and "UTC". The posix/ and right/ trees hold the same zones with other leap-second
// handling, so they name the same zone.
func ZoneFromLink(target string) (string, bool) {
	i := strings.LastIndex(target, "zoneinfo/")
	if i < 0 {
		return "", false
	}
	z := target[i+len("zoneinfo/"):]
	z = strings.TrimPrefix(strings.TrimPrefix(z, "posix/"), "right/")
	if !validZone(z) {
		return "", false
	}
	return z, true
}

// validZone accepts what a tz database name can look like, and refuses text that
// is plainly something else (a sentence, a path going up).
func validZone(z string) bool {
	if z == "" || len(z) > 64 || strings.Contains(z, "..") || strings.HasPrefix(z, "/") {
		return false
	}
	for _, c := range z {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '/', c == '_', c == '-', c == '+', c == '.':
		default:
			return false
		}
	}
	return true
}

// ParseTimezoneFile reads /etc/timezone (Debian): one zone name.
func ParseTimezoneFile(text string) (string, bool) {
	z := firstLine(text)
	if !validZone(z) {
		return "", false
	}
	return z, true
}

// ParseMachineID accepts the 32 lower-case hex digits systemd and dbus write, and
// refuses the empty file and the "uninitialized" marker images ship with.
func ParseMachineID(text string) (string, bool) {
	id := strings.TrimSpace(text)
	if len(id) != 32 {
		return "", false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return id, true
}

// ParseHostnameFile reads /etc/hostname or /etc/HOSTNAME: the first line that is not
// a comment, when it looks like a host name.
func ParseHostnameFile(text string) (string, bool) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return line, validHostname(line)
	}
	return "", false
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.', c == '_':
		default:
			return false
		}
	}
	return true
}

// ParseFQDN accepts the output of hostname -f when it is a dotted name. "localhost"
// forms are what a host without a resolvable name answers, not its name.
func ParseFQDN(text string) (string, bool) {
	h := firstLine(text)
	if !validHostname(h) || !strings.Contains(strings.Trim(h, "."), ".") {
		return "", false
	}
	if strings.HasPrefix(strings.ToLower(h), "localhost.") {
		return "", false
	}
	return strings.TrimSuffix(h, "."), true
}

// Argv0 is the program PID 1 was started as, from the NUL-separated /proc/1/cmdline.
func Argv0(cmdline string) string {
	a, _, _ := strings.Cut(cmdline, "\x00")
	return strings.TrimSpace(a)
}

func firstLine(text string) string {
	for _, line := range strings.Split(text, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			return l
		}
	}
	return ""
}
