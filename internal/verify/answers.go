package verify

import (
	"cmp"
	"fmt"

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
		switch b := e.Body.(type) {
		case spec.HTTP:
			if b.VHost == "" || b.Port == 0 || (b.Proto != "http" && b.Proto != "https") {
				continue
			}
			out = append(out, answer.Request{Proto: b.Proto, Port: b.Port, Host: b.VHost, Path: pathOf(b), Why: why})
		case spec.SMTP:
			if b.Port == 0 || b.Domain == "" {
				continue
			}
			out = append(out, answer.Request{Proto: "smtp", Port: b.Port, Domain: b.Domain, Why: why})
		}
	}
	return out
}

// pathOf is the path an http expectation asks for: / when it names none.
func pathOf(h spec.HTTP) string { return cmp.Or(h.Path, "/") }

// notAsked is the verdict when the target holds no answer to the question: it was
// not asked (a snapshot made without the spec, --no-ask, the request limit), which
// says nothing either way.
func (v evaluator) notAsked(what string) Check {
	return Check{Status: Skipped, Message: fmt.Sprintf("%s was not asked on %s, so whether it answers is unknown (verify the live host, without --no-ask, to ask it)", what, v.target)}
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
