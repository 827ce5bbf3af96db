package answers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

var (
	redmine = answer.Record{
		Request: answer.Request{Proto: "http", Address: "127.0.0.1:80", Port: 80, Host: "redmine.example.co.jp", Path: "/", Why: "apache vhost at redmine.conf:2"},
		HTTP: &answer.HTTPReply{StatusLine: "HTTP/1.1 302 Found", Status: 302, BodyBytes: 90, BodySHA256: strings.Repeat("a", 64),
			Headers: []answer.Header{{Name: "Location", Value: "http://redmine.example.co.jp/login"}, {Name: "Server", Value: "Apache"}, {Name: "Set-Cookie", Value: "[value not kept]"}}},
	}
	postfix = answer.Record{
		Request: answer.Request{Proto: "smtp", Address: "127.0.0.1:25", Port: 25, Domain: "legacy.trowel.test"},
		SMTP: []answer.Reply{{Code: 220, Text: "legacy.trowel.test ESMTP Postfix"}, {Sent: "EHLO trowel.invalid", Code: 250, Text: "legacy", Extensions: []string{"STARTTLS"}},
			{Sent: "MAIL FROM:<>", Code: 250}, {Sent: "RCPT TO:<postmaster@legacy.trowel.test>", Code: 250, Text: "2.1.5 Ok"}, {Sent: "RSET", Code: 250}, {Sent: "QUIT", Code: 221}},
	}
)

func item(r answer.Record) *evidence.Item {
	b, _ := json.Marshal(r)
	return &evidence.Item{Kind: evidence.KindMeta, Name: r.Request.Name(), Command: r.Request.Describe(), Status: evidence.StatusOK, Data: b}
}

func index(ix answer.Index, items ...*evidence.Item) *evidence.Item {
	for _, it := range items {
		ix.Items = append(ix.Items, it.ID())
	}
	b, _ := json.Marshal(ix)
	return &evidence.Item{Kind: evidence.KindMeta, Name: answer.IndexName, Status: evidence.StatusOK, Data: b}
}

func survey(kind string, items ...*evidence.Item) *snapshot.Snapshot {
	in := &kit.Input{Archive: kittest.Archive(items...), Snap: &snapshot.Snapshot{Source: snapshot.Source{Kind: kind}}}
	New().Survey(in)
	return in.Snap
}

func TestAnswersWithProvenance(t *testing.T) {
	h, m := item(redmine), item(postfix)
	s := survey("ssh", h, m, index(answer.Index{Via: "ssh"}, h, m))
	if c := s.Coverage[snapshot.SectionAnswers]; c.Status != snapshot.Collected || len(c.Evidence) != 3 {
		t.Fatalf("%+v", c)
	}
	if len(s.Answers) != 2 {
		t.Fatalf("%+v", s.Answers)
	}
	a := s.Answers[0]
	if a.HTTP.Status != 302 || a.HTTP.Location != "http://redmine.example.co.jp/login" || a.HTTP.Server != "Apache" ||
		a.Evidence != "meta:answer/http/127.0.0.1:80/redmine.example.co.jp/" || a.Asked != "GET http://redmine.example.co.jp/ via 127.0.0.1:80" {
		t.Errorf("%+v %+v", a, a.HTTP)
	}
	if _, ok := s.Evidence[a.Evidence]; !ok {
		t.Error("the answer's evidence must be in the snapshot's evidence index")
	}
	m2 := s.Answers[1].SMTP
	if m2.Greeting != 220 || m2.EHLO != 250 || m2.Mail != 250 || m2.Rcpt != 250 || m2.RcptText != "2.1.5 Ok" || m2.Extensions[0] != "STARTTLS" {
		t.Errorf("%+v", m2)
	}
}

func TestNothingAskedIsNeverNothingAnswers(t *testing.T) {
	for _, c := range []struct {
		kind  string
		items []*evidence.Item
		want  snapshot.Status
		why   string
	}{
		{"root", nil, snapshot.Unavailable, "offline"},
		{"bundle", nil, snapshot.Unavailable, "by hand"},
		{"ssh", []*evidence.Item{answer.NotAsked("not asked: --no-ask")}, snapshot.Unavailable, "--no-ask"},
		{"ssh", []*evidence.Item{{Kind: evidence.KindMeta, Name: answer.IndexName, Status: evidence.StatusDenied, Stderr: []byte("AllowTcpForwarding no")}}, snapshot.Denied, "AllowTcpForwarding"},
	} {
		s := survey(c.kind, c.items...)
		cov := s.Coverage[snapshot.SectionAnswers]
		if cov.Status != c.want || !strings.Contains(cov.Reason, c.why) || s.Answers == nil || len(s.Answers) != 0 {
			t.Errorf("%s: %+v", c.kind, cov)
		}
	}
}

func TestWhatWasNotAskedMakesItPartial(t *testing.T) {
	h := item(redmine)
	missing := item(postfix)
	ix := index(answer.Index{LeftOut: []answer.Request{postfix.Request}}, h, missing) // missing is not in the archive
	s := survey("ssh", h, ix)
	cov := s.Coverage[snapshot.SectionAnswers]
	if cov.Status != snapshot.Partial || !strings.Contains(cov.Reason, "not asked") || len(s.Answers) != 1 {
		t.Errorf("%+v %d", cov, len(s.Answers))
	}
}

func TestParseRefusesGarbage(t *testing.T) {
	for _, in := range []string{"", "{", `{"request":{}}`, `{"request":{"proto":"gopher"}}`, "\x00\xff"} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
	a, err := Parse([]byte(`{"request":{"proto":"http","address":"127.0.0.1:80","port":80,"host":"h","path":"/"}}`))
	if err != nil || a.Error == "" {
		t.Errorf("a record with no reply and no error must say so: %+v %v", a, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, r := range []answer.Record{redmine, postfix} {
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"request":{"proto":"smtp"},"smtp":[{"sent":"HELO x","code":250}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := Parse(in)
		if err == nil && a.Proto == "" {
			t.Fatalf("an answer without a protocol: %+v", a)
		}
		// The surveyor must never fail on what an index names, whatever it holds.
		ix := index(answer.Index{}, &evidence.Item{Kind: evidence.KindMeta, Name: "answer/x"})
		_ = survey("ssh", ix, &evidence.Item{Kind: evidence.KindMeta, Name: "answer/x", Status: evidence.StatusOK, Data: in})
		_ = survey("ssh", &evidence.Item{Kind: evidence.KindMeta, Name: answer.IndexName, Status: evidence.StatusOK, Data: in})
	})
}
