package collect

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact"
)

// webShowLimit is what _web_show reads of each file.
const webShowLimit = 64 << 10

// webCerts does what the probe's _web_certs does: the certificate files the
// configurations name, each after a "==> PATH <== STATUS" header, through the
// secret filter.
func (r *rootReader) webCerts() ([]byte, error) {
	var b bytes.Buffer
	seen := map[string]bool{}
	n := 0
	for _, pat := range probe.WebCertSources {
		for _, f := range r.glob(pat) {
			data, err := r.readHead(f, 4<<20)
			if err != nil {
				continue
			}
			for _, ref := range probe.CertRefs(f, string(data)) {
				p := ref.Path
				if !strings.HasPrefix(p, "/") || strings.Contains(p, "$") || strings.HasSuffix(p, ".key") || seen[p] {
					continue
				}
				seen[p] = true
				if n++; n > 32 {
					return b.Bytes(), nil
				}
				r.webShow(&b, p, false)
			}
		}
	}
	return b.Bytes(), nil
}

// tomcatServerXML does what the probe's _web_xml does.
func (r *rootReader) tomcatServerXML() ([]byte, error) {
	var b bytes.Buffer
	for _, pat := range strings.Fields(probe.TomcatServerXML) {
		for _, f := range r.glob(pat) {
			if r.isRegular(f) {
				r.webShow(&b, f, true)
			}
		}
	}
	return b.Bytes(), nil
}

var passAttr = regexp.MustCompile(`([A-Za-z]*[Pp][Aa][Ss][Ss][A-Za-z]*[ \t]*=[ \t]*)"[^"]*"`)

func (r *rootReader) webShow(b *bytes.Buffer, p string, xml bool) {
	data, err := r.readHead(p, webShowLimit)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		b.WriteString("==> " + p + " <== absent\n")
	case errors.Is(err, fs.ErrPermission):
		b.WriteString("==> " + p + " <== denied\n")
	case errors.Is(err, errNotRegular):
		b.WriteString("==> " + p + " <== notfile\n")
	case err != nil:
		b.WriteString("==> " + p + " <== skipped\n")
	default:
		b.WriteString("==> " + p + " <== ok\n")
		data = bytes.ReplaceAll(data, []byte{0}, nil)
		if xml {
			data = passAttr.ReplaceAll(data, []byte(`$1"<redacted>"`))
		}
		b.Write(redact.Text(data))
		b.WriteString("\n")
	}
}

var errNotRegular = errors.New("not a regular file")

func (r *rootReader) readHead(p string, limit int64) ([]byte, error) {
	f, _, err := r.open(p)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, errNotRegular
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
