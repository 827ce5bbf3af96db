// Package answers reads what the host's services said when trowel asked them as a
// client would (internal/collect/ask wrote it as evidence items after the probe),
// into snapshot.Answers. Pure: it parses the items and nothing else.
package answers

import (
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills snapshot.Answers and the answers section's coverage.
type Surveyor struct{}

// New returns the surveyor.
func New() *Surveyor { return &Surveyor{} }

// Name is the surveyor's name in the registry.
func (*Surveyor) Name() string { return "answers" }

// Survey reads the index item, then every answer item it names. No index means
// nothing was asked, which is never "nothing answers": the coverage says why.
func (*Surveyor) Survey(in *kit.Input) {
	in.Snap.Answers = []snapshot.Answer{}
	idx, ok := in.Archive.Get(evidence.ID(evidence.KindMeta, answer.IndexName))
	if !ok {
		in.Cover(snapshot.SectionAnswers, snapshot.Unavailable, notAsked(in))
		return
	}
	switch idx.Status {
	case evidence.StatusOK:
	case evidence.StatusDenied:
		in.Cover(snapshot.SectionAnswers, snapshot.Denied, strings.TrimSpace(string(idx.Stderr)), idx)
		return
	default:
		why := strings.TrimSpace(string(idx.Stderr))
		if why == "" {
			why = idx.Problem()
		}
		in.Cover(snapshot.SectionAnswers, snapshot.Unavailable, why, idx)
		return
	}
	ix, err := answer.ParseIndex(idx.Data)
	if err != nil {
		in.Cover(snapshot.SectionAnswers, snapshot.Unavailable, fmt.Sprintf("the index of the answers is unreadable: %v", err), idx)
		return
	}
	status, reasons := snapshot.Collected, []string{}
	items := []*evidence.Item{idx}
	for _, id := range ix.Items {
		it := in.Get(id)
		items = append(items, it)
		if it.Kind != evidence.KindMeta || !strings.HasPrefix(it.Name, "answer/") {
			status = snapshot.Partial
			reasons = append(reasons, fmt.Sprintf("%s is not an answer item", id))
			continue
		}
		if it.Status != evidence.StatusOK {
			status = snapshot.Partial
			reasons = append(reasons, it.Problem())
			continue
		}
		a, err := Parse(it.Data)
		if err != nil {
			status = snapshot.Partial
			reasons = append(reasons, fmt.Sprintf("%s: %v", id, err))
			continue
		}
		a.Evidence = in.Cite(it)
		in.Snap.Answers = append(in.Snap.Answers, a)
	}
	if ix.Stopped != "" {
		status = snapshot.Partial
		reasons = append(reasons, ix.Stopped)
	}
	if n := len(ix.LeftOut); n > 0 {
		status = snapshot.Partial
		reasons = append(reasons, fmt.Sprintf("%d requests not asked (at most %d are asked), first: %s", n, answer.MaxRequests, ix.LeftOut[0].Describe()))
	}
	if ix.Blind != "" {
		status = snapshot.Partial
		reasons = append(reasons, ix.Blind)
	}
	in.Cover(snapshot.SectionAnswers, status, strings.Join(reasons, "; "), items...)
}

// notAsked says why an archive holds no asking at all, from where it came from.
func notAsked(in *kit.Input) string {
	switch {
	case in.Offline():
		return "a disk read offline has no running services to ask"
	case in.Snap.Source.Kind == "bundle":
		return "the evidence was brought back by hand, and nothing was asked; survey the host over SSH to ask its services"
	case !in.Archive.Complete:
		return "the collection stopped before the services were asked"
	}
	return "the services were not asked when this evidence was collected"
}

// Parse turns an answer item's body into an Answer (without its evidence ID).
// Garbage gives an error, never a panic.
func Parse(data []byte) (snapshot.Answer, error) {
	rec, err := answer.ParseRecord(data)
	if err != nil {
		return snapshot.Answer{}, fmt.Errorf("unreadable answer record: %v", err)
	}
	r := rec.Request
	switch r.Proto {
	case "http", "https", "smtp":
	default:
		return snapshot.Answer{}, fmt.Errorf("unknown protocol %q", r.Proto)
	}
	a := snapshot.Answer{Proto: r.Proto, Address: r.Address, Port: r.Port, Host: r.Host, Path: r.Path, Domain: r.Domain,
		Asked: r.Describe(), Why: r.Why, Error: rec.Error, Seconds: rec.Seconds}
	if t := rec.TLS; t != nil {
		a.TLS = &snapshot.TLSAnswer{Version: t.Version, Subject: t.Subject, Issuer: t.Issuer, DNSNames: t.DNSNames, NotAfter: t.NotAfter}
	}
	if h := rec.HTTP; h != nil && r.Proto != "smtp" {
		a.HTTP = &snapshot.HTTPAnswer{Status: h.Status, StatusLine: h.StatusLine, Title: h.Title,
			BodyBytes: h.BodyBytes, BodySHA256: h.BodySHA256, BodyCut: h.BodyCut}
		for _, hd := range h.Headers {
			switch strings.ToLower(hd.Name) {
			case "location":
				a.HTTP.Location = hd.Value
			case "server":
				a.HTTP.Server = hd.Value
			case "content-type":
				a.HTTP.ContentType = hd.Value
			}
		}
	}
	if r.Proto == "smtp" && len(rec.SMTP) > 0 {
		a.SMTP = smtpAnswer(rec.SMTP)
	}
	if a.Error == "" && a.HTTP == nil && a.SMTP == nil {
		a.Error = "no answer recorded"
	}
	return a, nil
}

func smtpAnswer(steps []answer.Reply) *snapshot.SMTPAnswer {
	s := &snapshot.SMTPAnswer{}
	for _, st := range steps {
		verb, _, _ := strings.Cut(strings.ToUpper(st.Sent), " ")
		switch {
		case st.Sent == "":
			s.Greeting, s.Banner = st.Code, st.Text
		case verb == "EHLO" || (verb == "HELO" && s.EHLO/100 != 2):
			s.EHLO, s.Extensions = st.Code, st.Extensions
		case strings.HasPrefix(verb, "MAIL"):
			s.Mail = st.Code
		case strings.HasPrefix(verb, "RCPT"):
			s.Rcpt, s.RcptText = st.Code, st.Text
		}
	}
	return s
}
