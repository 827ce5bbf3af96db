package probe

import (
	"regexp"
	"strconv"
	"strings"
)

// The rules below are decisions the probe's shell functions make on the host, in Go:
// the offline reader of a mounted disk must make them the same way to collect the
// same items, and the parsers to read them back, so they live with the plan, below
// both.

// certDirectives are _web_certs's sed expressions: what names a certificate in
// Apache, nginx, Postfix, Dovecot and Tomcat. Key files are never named by these.
var certDirectives = []*regexp.Regexp{
	regexp.MustCompile(`^[ \t]*SSLCertificateFile[ \t]+"?([^" \t]*)`),
	regexp.MustCompile(`^[ \t]*SSLCertificateChainFile[ \t]+"?([^" \t]*)`),
	regexp.MustCompile(`^[ \t]*SSLCACertificateFile[ \t]+"?([^" \t]*)`),
	regexp.MustCompile(`^[ \t]*ssl_certificate[ \t]+"?([^"; \t]*)`),
	regexp.MustCompile(`^[ \t]*smtpd_tls_cert_file[ \t]*=[ \t]*([^ \t]*)`),
	regexp.MustCompile(`^[ \t]*smtp_tls_cert_file[ \t]*=[ \t]*([^ \t]*)`),
	regexp.MustCompile(`^[ \t]*ssl_cert[ \t]*=[ \t]*<[ \t]*([^ \t]*)`),
	regexp.MustCompile(`[ \t]certificateFile[ \t]*=[ \t]*"([^"]*)"`),
	regexp.MustCompile(`[ \t]SSLCertificateFile[ \t]*=[ \t]*"([^"]*)"`),
}

// CertRef is a configuration line naming a certificate file.
type CertRef struct {
	Path   string
	Source string // file:line
}

// CertRefs returns the certificate paths a configuration file names, with where, as
// _web_certs finds them.
func CertRefs(file, text string) []CertRef {
	var out []CertRef
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		for _, re := range certDirectives {
			if m := re.FindStringSubmatch(line); m != nil && m[1] != "" {
				out = append(out, CertRef{Path: m[1], Source: file + ":" + strconv.Itoa(i+1)})
				break
			}
		}
	}
	return out
}

// SudoIncludeDirSkips reports whether sudo skips a file of an #includedir, as
// _sudoers_includes does: names holding a '.' or ending in '~' (editor backups,
// package leftovers such as foo.dpkg-old).
func SudoIncludeDirSkips(name string) bool {
	return name == "" || strings.Contains(name, ".") || strings.HasSuffix(name, "~")
}
