package probe

import (
	"bytes"
	"strings"
)

// fileSteps find what makes this server this server: configs changed from their
// package's version or owned by no package, their (redacted) content, and software
// installed outside the package manager. They walk /etc and a few trees, so they come
// last. Each package manager has its own steps; a host with both runs both.
//
// The content steps read the digests and the unowned list the earlier steps kept in
// the probe (Keep; the probe writes no temporary files), and compute them again only
// when those steps did not run to their end: the two cost some sixty milliseconds and
// five processes on dpkg (awk, sh and md5sum; find and awk), and on rpm a query of the
// whole database and an rpm -qf per few thousand files.
var fileSteps = []Step{
	generatedStep(),
	// ucf's registry (package, file) and hashfile (md5 of what it installed) say which
	// files under /etc a package's install script manages through ucf, and whether
	// each is still as installed.
	{Kind: File, Path: UCFRegistry, Limit: small},
	{Kind: File, Path: UCFHashfile, Limit: small},
	{Kind: Cmd, Name: "files-dpkg-sums", Shell: "_files_dpkg_sums", Needs: "md5sum", When: "[ -f /var/lib/dpkg/status ]", Limit: medium, Timeout: 60, Keep: true, Offline: "files-dpkg-sums"},
	{Kind: Cmd, Name: "files-dpkg-unowned", Shell: "_files_dpkg_unowned", Needs: "find", When: "[ -d /var/lib/dpkg/info ]", Limit: medium, Timeout: 60, Keep: true, Offline: "files-dpkg-unowned"},
	{Kind: Cmd, Name: "files-dpkg-scripts", Shell: "_files_dpkg_scripts", Needs: "awk", When: "[ -d /var/lib/dpkg/info ]", Limit: medium, Timeout: 60, Redact: true, Offline: "files-dpkg-scripts"},
	{Kind: Cmd, Name: "files-dpkg-content", Shell: "_files_dpkg_content " + contentArgs + templateArgs(), Needs: "md5sum", When: "[ -f /var/lib/dpkg/status ]", Limit: contentLimit, Timeout: 120, Offline: "files-dpkg-content"},
	// rpm -V digests every file of every package, minutes on a full host; only the
	// %config files' digests are compared here, which is what "changed" needs.
	{Kind: Cmd, Name: "files-rpm-sums", Shell: "_files_rpm_sums", Needs: "rpm", Limit: large, Timeout: 180, Keep: true, Offline: "files-rpm-sums"},
	{Kind: Cmd, Name: "files-rpm-unowned", Shell: "_files_rpm_unowned", Needs: "rpm", Limit: medium, Timeout: 180, Keep: true, Offline: "files-rpm-unowned"},
	{Kind: Cmd, Name: "files-rpm-scripts", Shell: "_files_rpm_scripts", Needs: "rpm", Limit: medium, Timeout: 120, Redact: true, Offline: "files-rpm-scripts"},
	{Kind: Cmd, Name: "files-rpm-content", Shell: "_files_rpm_content " + contentArgs, Needs: "rpm", Limit: contentLimit, Timeout: 240, Offline: "files-rpm-content"},
	{Kind: Cmd, Name: "files-trees", Shell: "_files_trees", Needs: "find", Limit: medium, Timeout: 60, Offline: "files-trees"},
	// What the trees hold, named: gems, pip's and npm's installs, NAME-VERSION source
	// trees, and what each command in /usr/local/bin is. Names and versions only.
	{Kind: Cmd, Name: "files-software", Shell: "_files_software", Needs: "od", Limit: medium, Timeout: 60, Offline: "files-software"},
}

// ucf's state files.
const (
	UCFRegistry = "/var/lib/ucf/registry"
	UCFHashfile = "/var/lib/ucf/hashfile"
	// UCFCache holds ucf's copy of what it last installed, named by the file's path
	// with '/' turned into ':' (/var/lib/ucf/cache/:etc:ssh:sshd_config).
	UCFCache = "/var/lib/ucf/cache/"
)

// The content steps redact each file on the host themselves (see _files_content):
// redacting the whole stream could shift the length prefixes.
//
// Content is kept for text configs up to ContentFileLimit bytes each, at most
// ContentMaxFiles files and as many copies of their packaged versions; the item's
// limit bounds the total.
const (
	ContentFileLimit = 64 << 10
	ContentMaxFiles  = 300
	contentLimit     = 16 << 20
	contentArgs      = "65536 300"
	// DiffLinesMax is how many line numbers a D record lists before "+".
	DiffLinesMax = 2000
	// ScriptLineMax cuts an install script's line; a line continued longer than
	// ScriptJoinMax is not joined further.
	ScriptLineMax = 1000
	ScriptJoinMax = 4000
)

// CopyKinds are the copies of a file's packaged version _files_facts looks for, by
// package manager, in the order it prints them; the suffix is added to the file's
// path. UCFCacheKind is ucf's copy, TemplateKind a Generated file's template.
var CopyKinds = map[string][]CopyKind{
	"dpkg": {{"dpkg-dist", ".dpkg-dist"}, {"ucf-dist", ".ucf-dist"}},
	"rpm":  {{"rpmnew", ".rpmnew"}},
}

// CopyKind is a copy an upgrade leaves beside a file it did not overwrite.
type CopyKind struct {
	Kind   string
	Suffix string
}

// The other kinds of copy: ucf's cache, a template, and the file in force beside a
// copy an upgrade moved aside (MovedAside, by package manager).
const (
	UCFCacheKind = "ucf-cache"
	TemplateKind = "template"
	InForceKind  = "in-force"
)

// MovedAside are the suffixes of the copies an upgrade moved an edited file to when
// it installed the packaged version in its place.
var MovedAside = map[string][]string{
	"dpkg": {".dpkg-old", ".ucf-old"},
	"rpm":  {".rpmsave", ".rpmorig"},
}

// Generated is a file a maintainer script or installer writes into /etc, which no
// package lists: unowned, yet not made by hand. Package is the dpkg package whose
// script or tool writes it (empty for the installer); Script says which (postinst,
// or a tool such as pam-auth-update). A copy identical to its Template (a file the
// package ships; Verbatim when the script copies it as it is) or with one of the
// Pristine MD5 digests (what the script writes, seen on real installs) is not
// reported; any other is, naming the writer. These are Debian's: nothing is taken
// from this table on a host of another family.
type Generated struct {
	Path     string
	Package  string
	Script   string
	Template string
	Verbatim bool
	Pristine []string
}

// GeneratedFiles are the generated files trowel knows. Pristine digests are those of
// Debian 11 hosts built by debootstrap with the lab's packages; a digest not listed
// only means the file is reported for a human to judge.
var GeneratedFiles = []Generated{
	{Path: "/etc/profile", Package: "base-files", Script: "postinst", Template: "/usr/share/base-files/profile", Verbatim: true},
	{Path: "/etc/motd", Package: "base-files", Script: "postinst", Template: "/usr/share/base-files/motd", Verbatim: true},
	{Path: "/etc/adduser.conf", Package: "adduser", Script: "postinst", Template: "/usr/share/adduser/adduser.conf", Verbatim: true},
	{Path: "/etc/inputrc", Package: "readline-common", Script: "postinst", Template: "/usr/share/readline/inputrc", Verbatim: true},
	// ucf's cache holds what the postinst installed; the template is what it starts
	// from before the debconf answers.
	{Path: "/etc/ssh/sshd_config", Package: "openssh-server", Script: "postinst", Template: "/usr/share/openssh/sshd_config"},
	{Path: "/etc/postfix/main.cf", Package: "postfix", Script: "postinst", Template: "/usr/share/postfix/main.cf.debian"},
	{Path: "/etc/postfix/main.cf.proto", Package: "postfix", Script: "postinst", Template: "/usr/share/postfix/main.cf.dist", Verbatim: true},
	{Path: "/etc/postfix/master.cf.proto", Package: "postfix", Script: "postinst", Template: "/usr/share/postfix/master.cf.dist", Verbatim: true},
	{Path: "/etc/postfix/master.cf", Package: "postfix", Script: "postinst", Template: "/usr/share/postfix/master.cf.dist"},
	{Path: "/etc/postfix/dynamicmaps.cf", Package: "postfix", Script: "postfix-add-map", Pristine: []string{"53ed5e35b1dac52b620e0b02c9fafcf8"}},
	{Path: "/etc/aliases", Package: "postfix", Script: "postinst"},
	{Path: "/etc/environment", Package: "libpam-modules", Script: "postinst", Pristine: []string{"d41d8cd98f00b204e9800998ecf8427e"}},
	{Path: "/etc/networks", Package: "netbase", Script: "postinst", Pristine: []string{"d013c6de91b961753d4ba901347aa6c8"}},
	{Path: "/etc/hosts.allow", Package: "libwrap0", Script: "postinst", Pristine: []string{"d0cfb796d371b0182cd39d589b1c1ce3"}},
	{Path: "/etc/hosts.deny", Package: "libwrap0", Script: "postinst", Pristine: []string{"208d7a7756d6daa71111bb0296f4ce6a"}},
	{Path: "/etc/nsswitch.conf", Package: "libc-bin", Script: "postinst", Template: "/usr/share/libc-bin/nsswitch.conf", Pristine: []string{"5e81a875064719ea46f9c300d89bd6fd"}},
	{Path: "/etc/shells", Package: "debianutils", Script: "add-shell", Template: "/usr/share/debianutils/shells", Pristine: []string{"bc97c3ac5ed910b5d2b2121ea1a3fab1"}},
	{Path: "/etc/python3/debian_config", Package: "python3", Script: "postinst", Pristine: []string{"7f4739eb8858d231601a5ed144099ac8"}},
	{Path: "/etc/fstab", Script: "debootstrap or the installer", Pristine: []string{"6470e91f3d5f6d4fb599832b9a9f6c83"}},
	{Path: "/etc/pam.d/common-account", Package: "libpam-runtime", Script: "pam-auth-update", Pristine: []string{"9d50c7dda6ba8b6a8422fd4453722324"}},
	{Path: "/etc/pam.d/common-auth", Package: "libpam-runtime", Script: "pam-auth-update", Pristine: []string{"391f013bdb006d359003540f70ec1186"}},
	{Path: "/etc/pam.d/common-password", Package: "libpam-runtime", Script: "pam-auth-update", Pristine: []string{"50e40975879ee40bc1e857877968e44a"}},
	{Path: "/etc/pam.d/common-session", Package: "libpam-runtime", Script: "pam-auth-update", Pristine: []string{"01b5fea5b45850181503ca6f18d944db"}},
	{Path: "/etc/pam.d/common-session-noninteractive", Package: "libpam-runtime", Script: "pam-auth-update", Pristine: []string{"508d44b6daafbc3d6bd587e357a6ff5b"}},
}

// GeneratedPaths are the table's files and templates, each once, in table order:
// what _files_generated digests besides ucf's files.
func GeneratedPaths() []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range GeneratedFiles {
		for _, p := range []string{g.Path, g.Template} {
			if p != "" && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// Templates maps a generated file to its template, for the dpkg content step.
func Templates() map[string]string {
	m := map[string]string{}
	for _, g := range GeneratedFiles {
		if g.Template != "" {
			m[g.Path] = g.Template
		}
	}
	return m
}

// templateArgs are the content step's PATH=TEMPLATE arguments, in table order.
func templateArgs() string {
	var b strings.Builder
	for _, g := range GeneratedFiles {
		if g.Template != "" {
			b.WriteString(" " + g.Path + "=" + g.Template)
		}
	}
	return b.String()
}

// generatedStep digests the generated files, their templates and ucf's files.
func generatedStep() Step {
	return Step{Kind: Cmd, Name: "files-templates", Shell: "_files_generated " + strings.Join(GeneratedPaths(), " "),
		Needs: "md5sum", When: "[ -f /var/lib/dpkg/status ]", Limit: small, Timeout: 30, Offline: "files-templates"}
}

// SecretPath is the probe's _files_secret in Go, for the offline reader: names whose
// content is never read, not even through the secret filter. A name ending in .pem
// is decided by its content (PrivateKeyPEM), as the probe decides it.
func SecretPath(p string) bool {
	p = withoutCopySuffix(p)
	switch {
	case strings.HasPrefix(p, "/etc/ssh/ssh_host_") && strings.HasSuffix(p, "_key"),
		strings.HasPrefix(p, "/etc/shadow"), strings.HasPrefix(p, "/etc/gshadow"),
		p == "/etc/security/opasswd":
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(p, s) {
			return true
		}
	}
	for _, s := range secretWords {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// The parts of _files_secret's patterns: what a secret file's path ends with, and
// what it holds anywhere.
var (
	secretSuffixes = []string{".key", "keys", ".keyring", ".p12", ".pfx", ".jks", ".keystore", ".keytab", ".ppk",
		"/id_rsa", "/id_dsa", "/id_ecdsa", "/id_ed25519", "/.pgpass", "/.my.cnf", "/debian.cnf", "/.netrc"}
	secretWords = []string{"secring", "/private/", "secret", "passwd", "htdigest", "credentials", "/system-connections/"}
	// copySuffixes are the copies upgrades and editors leave beside a file.
	copySuffixes = []string{".dpkg-dist", ".dpkg-old", ".dpkg-new", ".dpkg-bak", ".ucf-dist", ".ucf-old", ".ucf-new",
		".rpmnew", ".rpmsave", ".rpmorig", ".orig", ".bak", ".old", ".save", ".backup"}
)

func withoutCopySuffix(p string) string {
	for _, s := range copySuffixes {
		if strings.HasSuffix(p, s) {
			return strings.TrimSuffix(p, s)
		}
	}
	return strings.TrimSuffix(p, "~")
}

// PEMName says whether _files_secret decides a file by its content: a .pem, or a
// copy of one.
func PEMName(p string) bool { return strings.HasSuffix(withoutCopySuffix(p), ".pem") }

// PrivateKeyPEM reports whether such a file holds a private key, by the line that
// begins one.
func PrivateKeyPEM(p string, content []byte) bool {
	return PEMName(p) && bytes.Contains(content, []byte("PRIVATE KEY-----"))
}
