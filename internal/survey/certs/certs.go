// Package certs surveys the X.509 certificates that web, mail and Java servers are
// configured with. The probe's _web_certs greps the certificate directives out of the
// configuration files and reads each named file through the secret filter (which
// drops private-key blocks of combined PEM files); key files are never read. Which
// config lines name a certificate is read again here from the collected config files,
// so UsedBy says file:line.
package certs

import (
	"path"
	"sort"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills Middleware.Certificates and the certificates coverage.
type Surveyor struct{}

// New returns the certificates surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "certificates" }

// Survey reads the web-certs item and the configuration files that name certificates.
func (Surveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionCertificates
	it := in.Cmd("web-certs")
	if !kit.Usable(it) {
		st, why := kit.StatusOf(it)
		in.Cover(sec, st, why, it)
		return
	}
	usedBy := map[string][]string{}
	for _, f := range configItems(in.Archive) {
		if !kit.Usable(f) {
			continue
		}
		for _, r := range probe.CertRefs(f.Name, f.Text()) {
			usedBy[r.Path] = append(usedBy[r.Path], r.Source)
		}
	}
	if x := in.Cmd("tomcat-server-xml"); kit.Usable(x) {
		files, _ := ParseDump(x.Text())
		for _, f := range files {
			for _, r := range probe.CertRefs(f.Path, f.Data) {
				usedBy[r.Path] = append(usedBy[r.Path], r.Source)
			}
		}
	}
	dumped, err := ParseDump(it.Text())
	var notes []string
	if err != nil {
		notes = append(notes, "web-certs: "+err.Error())
	}
	st, why := kit.StatusOf(it)
	if why != "" {
		notes = append(notes, why)
	}
	id := in.Cite(it)
	for _, d := range dumped {
		if d.Status != "ok" {
			notes = append(notes, d.Path+" is named by the configuration but was not read: "+d.Status)
			if d.Status == "denied" && st == snapshot.Collected {
				st = snapshot.Partial
			}
			continue
		}
		certs, err := ParsePEM(d.Data)
		if err != nil {
			notes = append(notes, d.Path+": "+err.Error())
		}
		if len(certs) == 0 && err == nil {
			notes = append(notes, d.Path+" holds no PEM certificate (DER or another format is not read)")
		}
		for _, c := range certs {
			in.Snap.Middleware.Certificates = append(in.Snap.Middleware.Certificates, snapshot.Certificate{
				Path:       d.Path,
				Subject:    c.Subject.String(),
				Issuer:     c.Issuer.String(),
				SANs:       SANs(c),
				NotBefore:  c.NotBefore.UTC(),
				NotAfter:   c.NotAfter.UTC(),
				SelfSigned: SelfSigned(c),
				UsedBy:     usedBy[d.Path],
				Evidence:   []string{id},
			})
		}
	}
	var relative []string
	for p := range usedBy {
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "$") {
			relative = append(relative, p)
		}
	}
	sort.Strings(relative)
	for _, p := range relative {
		notes = append(notes, "not read: "+p+" is relative or uses a variable ("+strings.Join(usedBy[p], ", ")+")")
	}
	if len(relative) > 0 && st == snapshot.Collected {
		st = snapshot.Partial
	}
	in.Cover(sec, st, strings.Join(notes, "; "), it)
}

// configItems are the collected files that _web_certs greps: the same globs.
func configItems(a *evidence.Archive) []*evidence.Item {
	var out []*evidence.Item
	seen := map[string]bool{}
	for _, g := range strings.Fields(strings.Join(probe.WebCertSources, " ")) {
		for _, it := range a.Items {
			if it.Kind != evidence.KindFile || seen[it.Name] {
				continue
			}
			if ok, _ := path.Match(g, it.Name); ok {
				seen[it.Name] = true
				out = append(out, it)
			}
		}
	}
	return out
}
