package spec

import (
	"strconv"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// KindSMTP expects the MTA to accept mail as it did.
const KindSMTP Kind = "smtp"

// SMTP is what was asked of an MTA (mail for postmaster@Domain on Port) and the
// reply codes the old host gave.
type SMTP struct {
	Proto     string `yaml:"proto,omitempty"` // smtp
	Port      int    `yaml:"port,omitempty"`
	Domain    string `yaml:"domain,omitempty"`     // the recipient was postmaster@Domain
	Greeting  int    `yaml:"greeting,omitempty"`   // the greeting's reply code
	RcptReply int    `yaml:"rcpt_reply,omitempty"` // the reply code to RCPT TO
}

func (SMTP) Kind() Kind { return KindSMTP }

var smtpKind = def[SMTP]{
	sections: []snapshot.Section{snapshot.SectionAnswers},
	derive:   (*deriver).smtpAnswers,
	noGoss:   "goss has no SMTP resource, and no command of its own asks an MTA for a recipient",
}

// smtpAnswers expects every MTA that greeted on the old host to greet, and to
// accept a recipient, with a reply of the same class.
func (d *deriver) smtpAnswers() {
	for _, a := range d.answered(true) {
		s := a.SMTP
		if s == nil {
			continue
		}
		e := Expectation{ID: "smtp:" + strconv.Itoa(a.Port), Body: SMTP{Proto: "smtp", Port: a.Port, Domain: a.Domain, Greeting: s.Greeting, RcptReply: s.Rcpt},
			From: From{Source: a.Asked, Evidence: ev(a.Evidence)}}
		if s.Rcpt == 0 {
			e.Note = "the old host did not get as far as RCPT TO (greeting " + strconv.Itoa(s.Greeting) + ")"
		}
		d.add(e)
	}
}
