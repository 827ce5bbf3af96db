package spec

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindHTTP expects a web endpoint to answer as it did.
const KindHTTP Kind = "http"

// HTTP is what was asked of a web endpoint (with Proto and Port) and what the old
// host answered.
type HTTP struct {
	Proto    string `yaml:"proto,omitempty"` // http or https
	Port     int    `yaml:"port,omitempty"`
	VHost    string `yaml:"vhost,omitempty"`    // the name asked for (Host header, TLS name)
	Path     string `yaml:"path,omitempty"`     // the path asked for
	Status   int    `yaml:"status,omitempty"`   // the status code
	Location string `yaml:"location,omitempty"` // where a redirect sent the client
	Title    string `yaml:"title,omitempty"`    // the page's HTML title
}

func (HTTP) Kind() Kind { return KindHTTP }

var httpKind = def[HTTP]{
	sections: []snapshot.Section{snapshot.SectionAnswers},
	derive:   (*deriver).httpAnswers,
	goss:     HTTP.goss,
}

// httpAnswers expects every web endpoint that answered on the old host to answer
// the same way: the same HTTP status (and for a redirect, the same target), the
// same page title. What did not answer, or answered with an error, promises nothing
// and is noted as a gap.
func (d *deriver) httpAnswers() {
	for _, a := range d.answered(false) {
		h := a.HTTP
		if h == nil {
			continue
		}
		if h.Status >= 500 || h.Status < 100 {
			d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("%s: answered %s on %s, an error a replacement need not repeat", a.Asked, h.StatusLine, d.host))
			continue
		}
		e := Expectation{ID: fmt.Sprintf("http:%s:%d%s", a.Host, a.Port, a.Path), From: From{Source: a.Asked, Evidence: ev(a.Evidence)}}
		b := HTTP{Proto: a.Proto, Port: a.Port, VHost: a.Host, Path: a.Path, Status: h.Status, Title: h.Title}
		if h.Status >= 300 && h.Status < 400 {
			b.Location = h.Location
			// A redirect to the old host's own name or address cannot hold on another host.
			if u, err := url.Parse(h.Location); err == nil && d.ownName(u.Hostname()) {
				e.Allow = append(e.Allow, AllowHostname)
			}
		}
		e.Body = b
		d.add(e)
	}
}

// answered are the old host's answers over SMTP, or else over HTTP, from an
// answers section that may be derived from; a question it gave no answer to
// promises nothing, and is noted as a gap.
func (d *deriver) answered(smtp bool) []snapshot.Answer {
	if !d.usable("live answers", snapshot.SectionAnswers) {
		return nil
	}
	var out []snapshot.Answer
	for _, a := range d.s.Answers {
		switch {
		case (a.Proto == "smtp") != smtp:
		case a.Error != "":
			d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("%s: did not answer on %s (%s), so nothing is expected of it", a.Asked, d.host, a.Error))
		default:
			out = append(out, a)
		}
	}
	return out
}

// ownName reports whether a host name in a value is the old host itself (its name,
// FQDN, or an address), which a replacement will not share.
func (d *deriver) ownName(name string) bool {
	if name == "" {
		return false
	}
	if net.ParseIP(name) != nil {
		return true
	}
	for _, own := range []string{d.s.Host.Hostname, d.s.Host.FQDN, d.host} {
		if own != "" && strings.EqualFold(name, own) {
			return true
		}
	}
	return strings.EqualFold(name, "localhost")
}

// goss asks the host's own loopback, with the vhost's name in the Host header as
// trowel verify does (goss sets the request's Host from it), not following a
// redirect, so the status is the vhost's own; the key names the vhost, since one
// URL serves many. Over TLS goss sends no server name to an address, so a vhost
// that only SNI selects is answered by the port's default one.
func (h HTTP) goss(g *gossfile, e Expectation) string {
	port := strconv.Itoa(h.Port)
	a := map[string]any{
		"status":              h.Status,
		"url":                 h.Proto + "://127.0.0.1:" + port + h.Path,
		"request-headers":     []string{"Host: " + h.VHost},
		"no-follow-redirects": true,
		"timeout":             5000,
	}
	if h.Proto == "https" {
		a["allow-insecure"] = true
	}
	if h.Location != "" && !e.Allows(AllowHostname) {
		a["headers"] = []string{gossLine(`(?i)^Location:\s*` + regexp.QuoteMeta(h.Location) + `$`)}
	}
	if h.Title != "" {
		// The title as the page writes it, on one line (trowel keeps it with its
		// blanks collapsed and its entities as written).
		a["body"] = []string{gossLine(gossWords(h.Title))}
	}
	g.put("http", h.Proto+"://"+h.VHost+":"+port+h.Path, e, a)
	return ""
}
