package files

import (
	"path"
	"strings"

	"github.com/trowel-dev/trowel/internal/probe"
)

// noise says why an unowned file under /etc is not reported, or "". These exist on
// every host and say nothing about what was done to it: per-host keys and ids,
// caches and compiled maps rebuilt from their sources, lock files, and the account
// databases, which the accounts section reads on its own (Blueprint ignored them for
// the same reason). Backups left by package upgrades (*.rpmnew, *.rpmsave,
// *.dpkg-old, *.dpkg-dist, *.ucf-*) ARE reported: each is a config merge somebody
// has yet to do, or a hand edit a package upgrade moved aside.
func noise(p string) string {
	base := path.Base(p)
	switch p {
	case "/etc/ld.so.cache", "/etc/machine-id", "/etc/.pwd.lock", "/etc/adjtime", "/etc/mtab",
		"/etc/prelink.cache", "/etc/udev/hwdb.bin", "/etc/.updated", "/etc/blkid/blkid.tab",
		"/etc/blkid.tab", "/etc/sysconfig/hwconf", "/etc/mailcap", "/etc/ssl/certs/ca-certificates.crt",
		"/etc/pki/java/cacerts", "/etc/security/opasswd", "/etc/mysql/debian.cnf",
		"/etc/ssl/certs/ssl-cert-snakeoil.pem", "/etc/ssl/private/ssl-cert-snakeoil.key":
		return "generated on every host"
	case "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/subuid", "/etc/subgid",
		"/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-", "/etc/subuid-", "/etc/subgid-",
		"/etc/passwd.OLD", "/etc/group.OLD":
		return "account database: see the accounts section"
	}
	switch {
	case strings.HasPrefix(p, "/etc/ssh/ssh_host_"):
		return "host key, generated per host"
	case strings.HasSuffix(base, ".db") && (strings.HasPrefix(p, "/etc/postfix/") || base == "aliases.db"):
		return "compiled map, rebuilt from its source file"
	case strings.HasPrefix(p, "/etc/pki/ca-trust/extracted/"), strings.HasPrefix(p, "/etc/selinux/") && strings.Contains(p, "/policy/"),
		strings.HasPrefix(p, "/etc/lvm/cache/"), strings.HasPrefix(p, "/etc/lvm/archive/"), strings.HasPrefix(p, "/etc/lvm/backup/"):
		return "generated on every host"
	}
	return ""
}

var generated = func() map[string]probe.Generated {
	m := map[string]probe.Generated{}
	for _, g := range probe.GeneratedFiles {
		m[g.Path] = g
	}
	return m
}()

// pristine reports whether a generated file is as its generator wrote it, judged by
// the digests of the templates step.
func pristine(g probe.Generated, digests map[string]string) bool {
	cur, ok := digests[g.Path]
	if !ok {
		return false
	}
	if g.Template != "" {
		if t, ok := digests[g.Template]; ok && t == cur {
			return true
		}
	}
	for _, d := range g.Pristine {
		if d == cur {
			return true
		}
	}
	return false
}
