package verify

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

func web(status int, title, location string) snapshot.Answer {
	return snapshot.Answer{Proto: "http", Address: "127.0.0.1:80", Port: 80, Host: "redmine.example.co.jp", Path: "/",
		Asked: "GET http://redmine.example.co.jp/ via 127.0.0.1:80", Evidence: "meta:answer/http/127.0.0.1:80/redmine.example.co.jp/",
		HTTP: &snapshot.HTTPAnswer{Status: status, StatusLine: "HTTP/1.1 " + http(status), Title: title, Location: location}}
}

func http(code int) string {
	return map[int]string{200: "200 OK", 302: "302 Found", 404: "404 Not Found"}[code]
}

func mail(rcpt int, text string) snapshot.Answer {
	return snapshot.Answer{Proto: "smtp", Address: "127.0.0.1:25", Port: 25, Domain: "legacy.trowel.test", Asked: "SMTP 127.0.0.1:25",
		Evidence: "meta:answer/smtp/127.0.0.1:25/postmaster@legacy.trowel.test",
		SMTP:     &snapshot.SMTPAnswer{Greeting: 220, EHLO: 250, Mail: 250, Rcpt: rcpt, RcptText: text}}
}

var (
	wantRedmine = spec.Expectation{ID: "http:redmine.example.co.jp:80/", Body: spec.HTTP{Proto: "http", Port: 80, VHost: "redmine.example.co.jp", Path: "/", Status: 200, Title: "Redmine"}}
	wantLogin   = spec.Expectation{ID: "http:redmine.example.co.jp:80/", Body: spec.HTTP{Proto: "http", Port: 80, VHost: "redmine.example.co.jp", Path: "/", Status: 302, Location: "http://legacy.trowel.test/login"}, Allow: []string{spec.AllowHostname}}
	wantMail    = spec.Expectation{ID: "smtp:25", Body: spec.SMTP{Proto: "smtp", Port: 25, Domain: "legacy.trowel.test", Greeting: 220, RcptReply: 250}}
)

func init() {
	kindCases = append(kindCases,
		kindCase{name: "http: a vhost answers as before",
			want:   wantRedmine,
			pass:   func(s *snapshot.Snapshot) { s.Answers = []snapshot.Answer{web(200, "Redmine", "")} },
			fail:   func(s *snapshot.Snapshot) { s.Answers = []snapshot.Answer{web(404, "Not Found", "")} },
			inFail: "answered HTTP/1.1 404 Not Found on new: expected 200 \"Redmine\""},
		kindCase{name: "http: a vhost that does not answer at all",
			want: wantRedmine,
			pass: func(s *snapshot.Snapshot) { s.Answers = []snapshot.Answer{web(200, "Redmine", "")} },
			fail: func(s *snapshot.Snapshot) {
				a := web(0, "", "")
				a.HTTP, a.Error = nil, "connection refused"
				s.Answers = []snapshot.Answer{a}
			},
			inFail: "did not answer on new (connection refused)"},
		kindCase{name: "smtp: mail accepted on :25",
			want:   wantMail,
			pass:   func(s *snapshot.Snapshot) { s.Answers = []snapshot.Answer{mail(250, "2.1.5 Ok")} },
			fail:   func(s *snapshot.Snapshot) { s.Answers = []snapshot.Answer{mail(554, "5.7.1 Relay access denied")} },
			inFail: "RCPT TO:<postmaster@legacy.trowel.test> got 554 5.7.1 Relay access denied on new"},
	)
}

func TestHTTPRedirectModuloHostName(t *testing.T) {
	s := host(func(s *snapshot.Snapshot) {
		s.Answers = []snapshot.Answer{web(302, "", "http://new.example/login")}
	})
	if got := one(wantLogin, s); got.Status != Pass {
		t.Errorf("%s: %s", got.Status, got.Message)
	}
	strict := wantLogin
	strict.Allow = nil
	if got := one(strict, s); got.Status != Fail || !strings.Contains(got.Message, `redirects to "http://new.example/login"`) {
		t.Errorf("%s: %s", got.Status, got.Message)
	}
	s.Answers[0].HTTP.Location = "http://new.example/account/login"
	if got := one(wantLogin, s); got.Status != Fail {
		t.Errorf("another path must fail: %s: %s", got.Status, got.Message)
	}
}

func TestAnAnswerNotAskedIsUnknown(t *testing.T) {
	for _, e := range []spec.Expectation{wantRedmine, wantMail} {
		if got := one(e, host(nil)); got.Status != Skipped || !strings.Contains(got.Message, "was not asked") {
			t.Errorf("%s: %s: %s", e.ID, got.Status, got.Message)
		}
	}
}

func TestQuestionsAskWhatTheSpecExpects(t *testing.T) {
	q := Questions(&spec.Spec{Expectations: []spec.Expectation{wantRedmine, wantMail, {ID: "port:tcp/80", Body: spec.Port{}}}})
	if len(q) != 2 || q[0].Host != "redmine.example.co.jp" || q[0].Port != 80 || q[0].Path != "/" || q[1].Domain != "legacy.trowel.test" || q[1].Proto != "smtp" {
		t.Errorf("%+v", q)
	}
}
