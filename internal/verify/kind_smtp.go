package verify

import (
	"cmp"
	"fmt"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// smtp wants the MTA to greet, and to accept mail for postmaster at the old host's
// domain (or, when asked another, that one), with replies of the same class.
func (v evaluator) smtp(e spec.Expectation, want spec.SMTP) Check {
	what := fmt.Sprintf("mail on :%d", want.Port)
	var a *snapshot.Answer
	for i, x := range v.t.Answers {
		if x.Proto != "smtp" || x.Port != want.Port {
			continue
		}
		if a == nil || (x.Domain == want.Domain && a.Domain != want.Domain) {
			a = &v.t.Answers[i]
		}
	}
	if a == nil {
		return v.notAsked(what)
	}
	found := []string{answerLine(*a)}
	fix := fmt.Sprintf("install and start an MTA listening on :%d that accepts mail for %s, as the old host did", want.Port, want.Domain)
	if a.Error != "" || a.SMTP == nil {
		return fail(found, fix, "nothing accepted %s on %s (%s): expected a %d greeting %s", what, v.target, cmp.Or(a.Error, "no SMTP dialogue"), want.Greeting, on(e))
	}
	s := a.SMTP
	if s.Greeting/100 != want.Greeting/100 {
		return fail(found, fix, "%s on %s greets with %d %s: expected %d %s", what, v.target, s.Greeting, s.Banner, want.Greeting, on(e))
	}
	if want.RcptReply != 0 && s.Rcpt/100 != want.RcptReply/100 {
		got := "was not reached"
		if s.Rcpt != 0 {
			got = fmt.Sprintf("got %d %s", s.Rcpt, s.RcptText)
		}
		return fail(found, fmt.Sprintf("make the MTA accept mail for %s (Postfix: mydestination, relay_domains, the recipient restrictions)", want.Domain),
			"RCPT TO:<postmaster@%s> %s on %s: expected %d as on the old host %s", a.Domain, got, v.target, want.RcptReply, on(e))
	}
	msg := fmt.Sprintf("%s on %s greets with %d and accepts RCPT TO:<postmaster@%s> with %d", what, v.target, s.Greeting, a.Domain, s.Rcpt)
	if a.Domain != want.Domain {
		msg += fmt.Sprintf(" (asked for %s, not the old host's %s)", a.Domain, want.Domain)
	}
	return pass("%s", msg)
}
