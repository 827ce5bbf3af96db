package spec

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

func answered(answers ...snapshot.Answer) *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Host:     snapshot.Host{Hostname: "legacy", FQDN: "legacy.trowel.test"},
		Answers:  answers,
		Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionAnswers: {Status: snapshot.Collected}},
	}
}

func TestDeriveAnswers(t *testing.T) {
	s := answered(
		snapshot.Answer{Proto: "http", Port: 80, Host: "redmine.example.co.jp", Path: "/", Asked: "GET http://redmine.example.co.jp/ via 127.0.0.1:80", Evidence: "meta:a1",
			HTTP: &snapshot.HTTPAnswer{Status: 200, StatusLine: "HTTP/1.1 200 OK", Title: "Redmine"}},
		snapshot.Answer{Proto: "https", Port: 443, Host: "legacy.trowel.test", Path: "/", Asked: "GET https://legacy.trowel.test/", Evidence: "meta:a2",
			HTTP: &snapshot.HTTPAnswer{Status: 301, StatusLine: "HTTP/1.1 301 Moved Permanently", Location: "https://legacy.trowel.test/redmine/"}},
		snapshot.Answer{Proto: "http", Port: 8080, Host: "legacy.trowel.test", Path: "/", Asked: "GET http://legacy.trowel.test:8080/", Evidence: "meta:a3",
			HTTP: &snapshot.HTTPAnswer{Status: 503, StatusLine: "HTTP/1.1 503 Service Unavailable"}},
		snapshot.Answer{Proto: "http", Port: 81, Host: "legacy.trowel.test", Path: "/", Asked: "GET http://legacy.trowel.test:81/", Error: "no answer within 5s"},
		snapshot.Answer{Proto: "smtp", Port: 25, Domain: "legacy.trowel.test", Asked: "SMTP 127.0.0.1:25", Evidence: "meta:a4",
			SMTP: &snapshot.SMTPAnswer{Greeting: 220, EHLO: 250, Mail: 250, Rcpt: 250}},
	)
	sp := Derive(s, "legacy.json")
	var got []string
	for _, e := range sp.Expectations {
		got = append(got, e.ID)
	}
	if strings.Join(got, " ") != "http:redmine.example.co.jp:80/ http:legacy.trowel.test:443/ smtp:25" {
		t.Fatalf("expectations %q", got)
	}
	web, redirect, mail := sp.Expectations[0], sp.Expectations[1], sp.Expectations[2]
	if b := bodyOf[HTTP](t, web); b.Status != 200 || b.Title != "Redmine" || b.VHost != "redmine.example.co.jp" || web.From.Evidence[0] != "meta:a1" || len(web.Allow) != 0 {
		t.Errorf("%+v", web)
	}
	if bodyOf[HTTP](t, redirect).Location != "https://legacy.trowel.test/redmine/" || !redirect.Allows(AllowHostname) {
		t.Errorf("a redirect to the old host's own name must tolerate another name: %+v", redirect)
	}
	if b := bodyOf[SMTP](t, mail); b.Greeting != 220 || b.RcptReply != 250 || b.Domain != "legacy.trowel.test" {
		t.Errorf("%+v", mail)
	}
	gaps := strings.Join(sp.Gaps, "\n")
	if !strings.Contains(gaps, "503 Service Unavailable") || !strings.Contains(gaps, "no answer within 5s") {
		t.Errorf("what did not answer well is a gap, not an expectation: %s", gaps)
	}
	doc, err := Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(doc)
	if err != nil || bodyOf[HTTP](t, back.Expectations[0]).Title != "Redmine" || bodyOf[SMTP](t, back.Expectations[2]).RcptReply != 250 {
		t.Fatalf("the spec does not round-trip: %v", err)
	}
}

func TestDeriveAnswersNotAsked(t *testing.T) {
	s := answered()
	s.Coverage[snapshot.SectionAnswers] = snapshot.Coverage{Status: snapshot.Unavailable, Reason: "not asked: --no-ask"}
	sp := Derive(s, "x")
	last := sp.Gaps[len(sp.Gaps)-1]
	if len(sp.Expectations) != 0 || !strings.HasPrefix(last, "live answers: not derived") || !strings.Contains(last, "--no-ask") {
		t.Errorf("%+v %q", sp.Expectations, sp.Gaps)
	}
}

func TestGossHTTP(t *testing.T) {
	sp := &Spec{TrowelSpec: 1, Expectations: []Expectation{
		{ID: "http:r:443/", Body: HTTP{Proto: "https", Port: 443, VHost: "r.example", Path: "/", Status: 302, Location: "https://r.example/login", Title: "Login"}},
		{ID: "smtp:25", Body: SMTP{Proto: "smtp", Port: 25, Domain: "d", Greeting: 220}},
	}}
	doc, g := gossOf(t, sp)
	h := g["http"]["https://r.example:443/"]
	if h["url"] != "https://127.0.0.1:443/" || h["status"] != 302 || h["allow-insecure"] != true || h["no-follow-redirects"] != true {
		t.Errorf("%v", h)
	}
	for k := range h {
		ok := false
		for _, a := range GossKeys["http"] {
			ok = ok || a == k
		}
		if !ok {
			t.Errorf("goss's http resource has no attribute %q", k)
		}
	}
	if !strings.Contains(string(doc), "Not expressible in goss") || !strings.Contains(string(doc), "#     smtp:25") {
		t.Errorf("smtp must be listed as what goss cannot check:\n%s", doc)
	}
}
