package ledger

import "strings"

// KindCertificate is a TLS certificate a configuration names.
const KindCertificate Kind = "certificate"

// KindContainer is a Docker container.
const KindContainer Kind = "container"

var (
	certificateKind = kind{name: KindCertificate, read: (*reader).certificates}
	containerKind   = kind{name: KindContainer, read: (*reader).containers}
)

func (r *reader) certificates() {
	for _, c := range r.s.Middleware.Certificates {
		r.add(KindCertificate, c.Path, "certificate for "+c.Subject+", expires "+c.NotAfter.Format("2006-01-02"), joinComma(c.UsedBy), c.Evidence...)
	}
}

func (r *reader) containers() {
	for _, c := range r.s.Middleware.Containers {
		r.add(KindContainer, firstOf(c.Name, c.ID), "container "+firstOf(c.Name, c.ID)+" of "+c.Image+" ("+c.State+")", "", c.Evidence...)
	}
}

func joinComma(ss []string) string { return strings.Join(ss, ", ") }
