package verify

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// Questions are what the target must be asked for the spec's http and smtp
// expectations to be checked: a vhost the target does not know of is asked all the
// same, so its absence is a failure and not a silence.
func Questions(sp *spec.Spec) []answer.Request {
	var out []answer.Request
	for _, e := range sp.Expectations {
		why := "the spec's expectation " + e.ID
		switch e.Kind {
		case spec.KindHTTP:
			if e.VHost == "" || e.Port == 0 || (e.Proto != "http" && e.Proto != "https") {
				continue
			}
			out = append(out, answer.Request{Proto: e.Proto, Port: e.Port, Host: e.VHost, Path: pathOf(e), Why: why})
		case spec.KindSMTP:
			if e.Port == 0 || e.Domain == "" {
				continue
			}
			out = append(out, answer.Request{Proto: "smtp", Port: e.Port, Domain: e.Domain, Why: why})
		}
	}
	return out
}

func pathOf(e spec.Expectation) string {
	if e.Path == "" {
		return "/"
	}
	return e.Path
}

// notAsked is the verdict when the target holds no answer to the question: it was
// not asked (a snapshot made without the spec, --no-ask, the request limit), which
// says nothing either way.
func (v evaluator) notAsked(what string) Check {
	return Check{Status: Skipped, Message: fmt.Sprintf("%s was not asked on %s, so whether it answers is unknown (verify the live host, without --no-ask, to ask it)", what, v.target)}
}

func (v evaluator) http(e spec.Expectation, secs []snapshot.Section) Check {
	endpoint := fmt.Sprintf("%s://%s%s on :%d", e.Proto, e.VHost, pathOf(e), e.Port)
	want := fmt.Sprintf("%d", e.Status)
	if e.Title != "" {
		want += fmt.Sprintf(" %q", e.Title)
	}
	if e.Location != "" {
		want += " to " + e.Location
	}
	var a *snapshot.Answer
	for i, x := range v.t.Answers {
		if x.Proto == e.Proto && x.Port == e.Port && strings.EqualFold(x.Host, e.VHost) && x.Path == pathOf(e) {
			a = &v.t.Answers[i]
			break
		}
	}
	if a == nil {
		return v.notAsked(endpoint)
	}
	found := []string{answerLine(*a)}
	fix := fmt.Sprintf("serve %s on :%d as the old host did (a web server with that virtual host)", e.VHost, e.Port)
	if a.Error != "" || a.HTTP == nil {
		return fail(found, fix, "%s did not answer on %s (%s): expected %s %s", endpoint, v.target, orText(a.Error, "no HTTP response"), want, on(e))
	}
	h := a.HTTP
	if h.Status != e.Status {
		return fail(found, fix, "%s answered %s on %s: expected %s %s", endpoint, h.StatusLine, v.target, want, on(e))
	}
	if e.Location != "" && !sameLocation(h.Location, e.Location, e.Allows(spec.AllowHostname)) {
		return fail(found, "make the redirect go where it went (or allow: hostname when only the host name differs)",
			"%s redirects to %q on %s: expected %s %s", endpoint, h.Location, v.target, e.Location, on(e))
	}
	if e.Title != "" && h.Title != e.Title {
		return fail(found, "check that the same application answers behind the vhost (if the new title is right, edit the spec's title)",
			"%s answered %d with the title %q on %s: expected %q %s", endpoint, h.Status, h.Title, v.target, e.Title, on(e))
	}
	return pass("%s answered %s on %s (%s)", endpoint, want, v.target, a.Asked)
}

// sameLocation compares redirect targets; with the host name allowed to differ, only
// the path and query must match.
func sameLocation(got, want string, anyHost bool) bool {
	if got == want {
		return true
	}
	if !anyHost {
		return false
	}
	g, err1 := url.Parse(got)
	w, err2 := url.Parse(want)
	return err1 == nil && err2 == nil && g.Path == w.Path && g.RawQuery == w.RawQuery
}

func (v evaluator) smtp(e spec.Expectation, secs []snapshot.Section) Check {
	what := fmt.Sprintf("mail on :%d", e.Port)
	var a *snapshot.Answer
	for i, x := range v.t.Answers {
		if x.Proto != "smtp" || x.Port != e.Port {
			continue
		}
		if a == nil || (x.Domain == e.Domain && a.Domain != e.Domain) {
			a = &v.t.Answers[i]
		}
	}
	if a == nil {
		return v.notAsked(what)
	}
	found := []string{answerLine(*a)}
	fix := fmt.Sprintf("install and start an MTA listening on :%d that accepts mail for %s, as the old host did", e.Port, e.Domain)
	if a.Error != "" || a.SMTP == nil {
		return fail(found, fix, "nothing accepted %s on %s (%s): expected a %d greeting %s", what, v.target, orText(a.Error, "no SMTP dialogue"), e.Greeting, on(e))
	}
	s := a.SMTP
	if s.Greeting/100 != e.Greeting/100 {
		return fail(found, fix, "%s on %s greets with %d %s: expected %d %s", what, v.target, s.Greeting, s.Banner, e.Greeting, on(e))
	}
	if e.RcptReply != 0 && s.Rcpt/100 != e.RcptReply/100 {
		got := "was not reached"
		if s.Rcpt != 0 {
			got = fmt.Sprintf("got %d %s", s.Rcpt, s.RcptText)
		}
		return fail(found, fmt.Sprintf("make the MTA accept mail for %s (Postfix: mydestination, relay_domains, the recipient restrictions)", e.Domain),
			"RCPT TO:<postmaster@%s> %s on %s: expected %d as on the old host %s", a.Domain, got, v.target, e.RcptReply, on(e))
	}
	msg := fmt.Sprintf("%s on %s greets with %d and accepts RCPT TO:<postmaster@%s> with %d", what, v.target, s.Greeting, a.Domain, s.Rcpt)
	if a.Domain != e.Domain {
		msg += fmt.Sprintf(" (asked for %s, not the old host's %s)", a.Domain, e.Domain)
	}
	return pass("%s", msg)
}

// answerLine is what was asked and what came back, with the evidence ID.
func answerLine(a snapshot.Answer) string {
	got := a.Error
	switch {
	case a.HTTP != nil:
		got = a.HTTP.StatusLine
		if a.HTTP.Location != "" {
			got += " -> " + a.HTTP.Location
		}
		if a.HTTP.Title != "" {
			got += fmt.Sprintf(" %q", a.HTTP.Title)
		}
	case a.SMTP != nil:
		got = fmt.Sprintf("greeting %d, EHLO %d, MAIL %d, RCPT %d", a.SMTP.Greeting, a.SMTP.EHLO, a.SMTP.Mail, a.SMTP.Rcpt)
	}
	return fmt.Sprintf("%s: %s [%s]", a.Asked, got, a.Evidence)
}

func orText(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
