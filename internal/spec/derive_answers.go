package spec

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// answers expects every web endpoint and MTA that answered on the old host to answer
// the same way: the same HTTP status (and for a redirect, the same target), the
// same page title; an SMTP greeting and an accepted recipient of the same class.
// What did not answer on the old host promises nothing and is noted as a gap.
func (d *deriver) answers() {
	if !d.usable("live answers", snapshot.SectionAnswers) {
		return
	}
	for _, a := range d.s.Answers {
		switch {
		case a.Error != "":
			d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("%s: did not answer on %s (%s), so nothing is expected of it", a.Asked, d.host, a.Error))
		case a.HTTP != nil && a.Proto != "smtp":
			d.httpAnswer(a)
		case a.SMTP != nil && a.Proto == "smtp":
			d.smtpAnswer(a)
		}
	}
}

func (d *deriver) httpAnswer(a snapshot.Answer) {
	h := a.HTTP
	if h.Status >= 500 || h.Status < 100 {
		d.spec.Gaps = append(d.spec.Gaps, fmt.Sprintf("%s: answered %s on %s, an error a replacement need not repeat", a.Asked, h.StatusLine, d.host))
		return
	}
	e := Expectation{ID: fmt.Sprintf("http:%s:%d%s", a.Host, a.Port, a.Path), Kind: KindHTTP, Proto: a.Proto, Port: a.Port,
		VHost: a.Host, Path: a.Path, Status: h.Status, Title: h.Title,
		From: From{Source: a.Asked, Evidence: ev(a.Evidence)}}
	if h.Status >= 300 && h.Status < 400 {
		e.Location = h.Location
		// A redirect to the old host's own name or address cannot hold on another host.
		if u, err := url.Parse(h.Location); err == nil && d.ownName(u.Hostname()) {
			e.Allow = append(e.Allow, AllowHostname)
		}
	}
	d.add(e)
}

func (d *deriver) smtpAnswer(a snapshot.Answer) {
	s := a.SMTP
	e := Expectation{ID: "smtp:" + strconv.Itoa(a.Port), Kind: KindSMTP, Proto: "smtp", Port: a.Port, Domain: a.Domain,
		Greeting: s.Greeting, RcptReply: s.Rcpt,
		From: From{Source: a.Asked, Evidence: ev(a.Evidence)}}
	if s.Rcpt == 0 {
		e.Note = "the old host did not get as far as RCPT TO (greeting " + strconv.Itoa(s.Greeting) + ")"
	}
	d.add(e)
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
