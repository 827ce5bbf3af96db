package certs

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Dumped is one file of the probe's _web_certs output.
type Dumped struct {
	Path   string
	Status string // ok, absent, denied, notfile, skipped
	Data   string
}

// ParseDump splits _web_certs output: "==> PATH <== STATUS" headers, each followed
// (for ok) by the file's content through the secret filter.
func ParseDump(text string) ([]Dumped, error) {
	var out []Dumped
	var perr kit.ParseError
	var cur *Dumped
	var body strings.Builder
	flush := func() {
		if cur != nil {
			cur.Data = body.String()
			out = append(out, *cur)
		}
		body.Reset()
	}
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "==> ") {
			p, st, ok := strings.Cut(strings.TrimPrefix(line, "==> "), " <== ")
			if ok && strings.HasPrefix(p, "/") && !strings.Contains(st, " ") {
				flush()
				cur = &Dumped{Path: p, Status: st}
				continue
			}
		}
		if cur == nil {
			if strings.TrimSpace(line) != "" {
				perr.Add(i+1, "text before the first file header")
			}
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	flush()
	return out, perr.Err()
}

// ParsePEM returns every CERTIFICATE block of a PEM file. Blocks that do not parse
// are counted in the error; private keys never reach here (the probe removed them),
// and any other block type is ignored.
func ParsePEM(data string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	var perr kit.ParseError
	rest := []byte(data)
	for n := 1; ; n++ {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" && blk.Type != "TRUSTED CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			perr.Add(n, "certificate block %d: %v", n, err)
			continue
		}
		out = append(out, c)
	}
	return out, perr.Err()
}

// SelfSigned reports whether a certificate is signed by its own key. The signature
// is checked directly: CheckSignatureFrom would refuse a leaf marked CA:FALSE, which
// is what Debian's snakeoil certificate is.
func SelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// SANs lists a certificate's subject alternative names: DNS names, IP addresses,
// e-mail addresses and URIs.
func SANs(c *x509.Certificate) []string {
	var out []string
	out = append(out, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	out = append(out, c.EmailAddresses...)
	for _, u := range c.URIs {
		out = append(out, u.String())
	}
	return out
}
