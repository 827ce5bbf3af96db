package ask

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence/answer"
)

// keptHeaders are the response headers whose values are kept: they say what the
// server is and where it sends a client, never who the client is. Every other
// header is kept by name only, so cookies, tokens and session IDs never leave.
var keptHeaders = map[string]bool{
	"Location": true, "Server": true, "Content-Type": true, "Content-Length": true,
	"Transfer-Encoding": true, "Content-Encoding": true, "Content-Language": true,
	"Www-Authenticate": true, "X-Powered-By": true, "Strict-Transport-Security": true,
	"Cache-Control": true, "Vary": true, "Connection": true, "Last-Modified": true, "Date": true,
}

// notKept replaces the value of a header that is not kept.
const notKept = "[value not kept]"

// get sends one GET and reads the response head and at most MaxRead bytes in all.
func get(ctx context.Context, conn net.Conn, r answer.Request, userAgent string) (*answer.HTTPReply, *answer.TLSInfo, error) {
	if r.Host == "" || strings.ContainsAny(r.Host+r.Path, " \t\r\n") || !strings.HasPrefix(r.Path, "/") {
		return nil, nil, fmt.Errorf("not asked: %q %q is not a host name and path", r.Host, r.Path)
	}
	var info *answer.TLSInfo
	rw := io.ReadWriter(conn)
	if r.Proto == "https" {
		cfg := &tls.Config{
			// Checking, not trusting: an expired or self-signed certificate is a fact
			// to record, and old servers speak only old TLS.
			InsecureSkipVerify: true,
			MinVersion:         tls.VersionTLS10,
		}
		if net.ParseIP(r.Host) == nil {
			cfg.ServerName = r.Host
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, nil, fmt.Errorf("TLS handshake: %w", err)
		}
		info = tlsInfo(tc.ConnectionState())
		rw = tc
	}
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nAccept: */*\r\nConnection: close\r\n\r\n",
		r.Path, r.Authority(), userAgent)
	if _, err := io.WriteString(rw, req); err != nil {
		return nil, info, err
	}
	lr := &io.LimitedReader{R: rw, N: MaxRead}
	resp, err := http.ReadResponse(bufio.NewReader(lr), &http.Request{Method: http.MethodGet})
	if err != nil {
		return nil, info, fmt.Errorf("not an HTTP response: %w", err)
	}
	defer resp.Body.Close()
	rep := &answer.HTTPReply{StatusLine: oneLine(resp.Proto + " " + resp.Status), Status: resp.StatusCode, Headers: headers(resp.Header)}
	h := sha256.New()
	body := &capture{max: 32 << 10}
	n, err := io.Copy(io.MultiWriter(h, body), resp.Body)
	rep.BodyBytes, rep.BodySHA256 = n, hex.EncodeToString(h.Sum(nil))
	// The limit reached, or the connection closed by the time limit, cuts the body:
	// what was read is still described.
	if err != nil || lr.N == 0 {
		rep.BodyCut = true
	}
	if strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "html") || resp.Header.Get("Content-Type") == "" {
		rep.Title = Title(body.buf)
	}
	return rep, info, nil
}

// headers keeps every header's name, in a stable order, and the values of the
// kept ones.
func headers(h http.Header) []answer.Header {
	var out []answer.Header
	for name, vals := range h {
		for _, v := range vals {
			switch {
			case !keptHeaders[name]:
				v = notKept
			case name == "Location":
				v = location(v)
			}
			out = append(out, answer.Header{Name: name, Value: oneLine(v)})
		}
	}
	slices.SortFunc(out, func(a, b answer.Header) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Value, b.Value))
	})
	return out
}

// location keeps where a redirect points, not what it carries: a URL may hold a
// session (";jsessionid=", "?sid=") or a token, so each query value and each path
// parameter is replaced, and the names are kept to compare two hosts' redirects.
func location(v string) string {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil {
		return notKept
	}
	u.User = nil
	if i := strings.IndexByte(u.Path, ';'); i >= 0 {
		u.Path, u.RawPath = u.Path[:i], ""
	}
	if u.RawQuery != "" {
		var kept []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(kv, "=")
			kept = append(kept, k+"=…")
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

var titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title`)

// Title is an HTML document's title, whitespace collapsed, or "".
func Title(body []byte) string {
	m := titleRe.FindSubmatch(body)
	if m == nil {
		return ""
	}
	t := strings.Join(strings.Fields(string(m[1])), " ")
	if len(t) > maxLine {
		t = t[:maxLine]
	}
	return strings.ToValidUTF8(t, "?")
}

func tlsInfo(cs tls.ConnectionState) *answer.TLSInfo {
	info := &answer.TLSInfo{Version: tls.VersionName(cs.Version)}
	if len(cs.PeerCertificates) > 0 {
		c := cs.PeerCertificates[0]
		info.Subject, info.Issuer, info.NotAfter = c.Subject.String(), c.Issuer.String(), c.NotAfter.UTC()
		info.DNSNames = c.DNSNames
	}
	return info
}

// capture keeps the first max bytes written, for the title.
type capture struct {
	max int
	buf []byte
}

func (c *capture) Write(p []byte) (int, error) {
	if room := c.max - len(c.buf); room > 0 {
		c.buf = append(c.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
