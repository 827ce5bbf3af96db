package probe

import "strings"

// fileSteps find what makes this server this server: configs changed from their
// package's version or owned by no package, their (redacted) content, and software
// installed outside the package manager. They walk /etc and a few trees, so they come
// last. Each package manager has its own steps; a host with both runs both.
//
// The content steps recompute the digests and the unowned list rather than reading
// the earlier steps' output: the probe keeps nothing between steps and writes no
// temporary files. Digests of /etc cost tens of milliseconds, so that is cheap.
var fileSteps = []Step{
	templateStep(),
	{Kind: Cmd, Name: "files-dpkg-sums", Shell: "_files_dpkg_sums", Needs: "md5sum", When: "[ -f /var/lib/dpkg/status ]", Limit: medium, Timeout: 60, Offline: "files-dpkg-sums"},
	{Kind: Cmd, Name: "files-dpkg-unowned", Shell: "_files_dpkg_unowned", Needs: "find", When: "[ -d /var/lib/dpkg/info ]", Limit: medium, Timeout: 60, Offline: "files-dpkg-unowned"},
	{Kind: Cmd, Name: "files-dpkg-content", Shell: "_files_dpkg_content " + contentArgs, Needs: "md5sum", When: "[ -f /var/lib/dpkg/status ]", Limit: contentLimit, Timeout: 90, Offline: "files-dpkg-content"},
	// rpm -V digests every file of every package, minutes on a full host; only the
	// %config files' digests are compared here, which is what "changed" needs.
	{Kind: Cmd, Name: "files-rpm-sums", Shell: "_files_rpm_sums", Needs: "rpm", Limit: large, Timeout: 180, Offline: "files-rpm-sums"},
	{Kind: Cmd, Name: "files-rpm-unowned", Shell: "_files_rpm_unowned", Needs: "rpm", Limit: medium, Timeout: 180, Offline: "files-rpm-unowned"},
	{Kind: Cmd, Name: "files-rpm-content", Shell: "_files_rpm_content " + contentArgs, Needs: "rpm", Limit: contentLimit, Timeout: 240, Offline: "files-rpm-content"},
	{Kind: Cmd, Name: "files-trees", Shell: "_files_trees", Needs: "find", Limit: medium, Timeout: 60, Offline: "files-trees"},
}

// The content steps redact each file on the host themselves (see _files_content):
// redacting the whole stream could shift the length prefixes.
//
// Content is kept for text configs up to ContentFileLimit bytes each, at most
// ContentMaxFiles files; the item's limit bounds the total.
const (
	ContentFileLimit = 64 << 10
	ContentMaxFiles  = 300
	contentLimit     = 8 << 20
	contentArgs      = "65536 300"
)

// Generated is a file a maintainer script or installer writes into /etc, which no
// package lists: unowned, yet not made by hand. A copy identical to its Template (a
// file the package ships) or with one of the Pristine MD5 digests (what the script
// writes, seen on real installs) is not reported; any other is, naming By.
type Generated struct {
	Path     string
	By       string
	Template string
	Pristine []string
}

// GeneratedFiles are the generated files trowel knows. Pristine digests are those of
// Debian 11 hosts built by debootstrap with the lab's packages; a digest not listed
// only means the file is reported for a human to judge.
var GeneratedFiles = []Generated{
	{Path: "/etc/profile", By: "base-files postinst", Template: "/usr/share/base-files/profile"},
	{Path: "/etc/motd", By: "base-files postinst", Template: "/usr/share/base-files/motd"},
	{Path: "/etc/adduser.conf", By: "adduser postinst", Template: "/usr/share/adduser/adduser.conf"},
	{Path: "/etc/inputrc", By: "readline-common postinst", Template: "/usr/share/readline/inputrc"},
	{Path: "/etc/ssh/sshd_config", By: "openssh-server postinst (ucf)", Template: "/usr/share/openssh/sshd_config"},
	{Path: "/etc/postfix/main.cf", By: "postfix postinst (from /usr/share/postfix/main.cf.debian, then postconf -e with the debconf answers)"},
	{Path: "/etc/postfix/main.cf.proto", By: "postfix postinst", Template: "/usr/share/postfix/main.cf.dist"},
	{Path: "/etc/postfix/master.cf.proto", By: "postfix postinst", Template: "/usr/share/postfix/master.cf.dist"},
	{Path: "/etc/postfix/master.cf", By: "postfix postinst", Template: "/usr/share/postfix/master.cf.dist"},
	{Path: "/etc/postfix/dynamicmaps.cf", By: "postfix postinst (postfix-add-map)", Pristine: []string{"53ed5e35b1dac52b620e0b02c9fafcf8"}},
	{Path: "/etc/aliases", By: "postfix postinst (postmaster: root)"},
	{Path: "/etc/environment", By: "libpam-modules postinst (empty)", Pristine: []string{"d41d8cd98f00b204e9800998ecf8427e"}},
	{Path: "/etc/networks", By: "netbase postinst", Pristine: []string{"d013c6de91b961753d4ba901347aa6c8"}},
	{Path: "/etc/hosts.allow", By: "libwrap0 postinst", Pristine: []string{"d0cfb796d371b0182cd39d589b1c1ce3"}},
	{Path: "/etc/hosts.deny", By: "libwrap0 postinst", Pristine: []string{"208d7a7756d6daa71111bb0296f4ce6a"}},
	{Path: "/etc/nsswitch.conf", By: "base-files/libc-bin postinst, edited by libnss-* postinsts", Pristine: []string{"5e81a875064719ea46f9c300d89bd6fd"}},
	{Path: "/etc/shells", By: "add-shell from the postinsts of each shell", Pristine: []string{"bc97c3ac5ed910b5d2b2121ea1a3fab1"}},
	{Path: "/etc/python3/debian_config", By: "python3 postinst", Pristine: []string{"7f4739eb8858d231601a5ed144099ac8"}},
	{Path: "/etc/fstab", By: "debootstrap (UNCONFIGURED FSTAB placeholder) or the installer", Pristine: []string{"6470e91f3d5f6d4fb599832b9a9f6c83"}},
	{Path: "/etc/pam.d/common-account", By: "pam-auth-update", Pristine: []string{"9d50c7dda6ba8b6a8422fd4453722324"}},
	{Path: "/etc/pam.d/common-auth", By: "pam-auth-update", Pristine: []string{"391f013bdb006d359003540f70ec1186"}},
	{Path: "/etc/pam.d/common-password", By: "pam-auth-update", Pristine: []string{"50e40975879ee40bc1e857877968e44a"}},
	{Path: "/etc/pam.d/common-session", By: "pam-auth-update", Pristine: []string{"01b5fea5b45850181503ca6f18d944db"}},
	{Path: "/etc/pam.d/common-session-noninteractive", By: "pam-auth-update", Pristine: []string{"508d44b6daafbc3d6bd587e357a6ff5b"}},
}

// templateStep digests the generated files and their templates.
func templateStep() Step {
	var b []string
	seen := map[string]bool{}
	for _, g := range GeneratedFiles {
		for _, p := range []string{g.Path, g.Template} {
			if p != "" && !seen[p] {
				seen[p] = true
				b = append(b, p)
			}
		}
	}
	return Step{Kind: Cmd, Name: "files-templates", Shell: "md5sum " + strings.Join(b, " ") + " 2>&1; echo '# done'",
		Needs: "md5sum", Limit: small, Timeout: 30, Offline: "files-templates"}
}

// SecretPath is the probe's _files_secret in Go, for the offline reader: names whose
// content is never read, not even through the secret filter.
func SecretPath(p string) bool {
	base := p[strings.LastIndexByte(p, '/')+1:]
	switch {
	case strings.HasPrefix(p, "/etc/ssh/ssh_host_") && strings.HasSuffix(p, "_key"),
		strings.Contains(p, "/private/"),
		strings.HasPrefix(p, "/etc/shadow"), strings.HasPrefix(p, "/etc/gshadow"),
		p == "/etc/security/opasswd",
		strings.Contains(p, "secret"), strings.Contains(p, "passwd"), strings.Contains(p, "credentials"):
		return true
	}
	for _, ext := range []string{".key", ".p12", ".pfx", ".jks", ".keystore", ".keytab"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}
