package ask

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/evidence/answer"
)

// direct dials this machine, as trowel does for "local".
var direct Dialer = (&net.Dialer{}).DialContext

func record(t *testing.T, it *evidence.Item) answer.Record {
	t.Helper()
	r, err := answer.ParseRecord(it.Data)
	if err != nil {
		t.Fatalf("%s: %v", it.ID(), err)
	}
	return r
}

func addrOf(t *testing.T, rawURL string) (string, int) {
	t.Helper()
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(rawURL, "http://"), "https://"))
	var n int
	fmt.Sscan(port, &n)
	return net.JoinHostPort(host, port), n
}

func TestHTTPKeepsTheHeadAndAFingerprintNeverTheBodyOrCookies(t *testing.T) {
	var gotHost, gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHost, gotUA = r.Host, r.UserAgent()
		w.Header().Set("Set-Cookie", "_redmine_session=SECRETSESSION; path=/")
		w.Header().Set("X-Api-Token", "SECRETTOKEN")
		w.Header().Set("Location", "http://redmine.example.co.jp/login")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusFound)
		fmt.Fprint(w, "<html><head><TITLE>\n  Redmine\n login </TITLE></head><body>password=SECRETBODY</body></html>")
	}))
	defer srv.Close()
	addr, port := addrOf(t, srv.URL)
	items := Asker{Dial: direct, Via: "test", UserAgent: "trowel/test (read-only survey)"}.Run(context.Background(),
		Plan{Requests: []answer.Request{{Proto: "http", Address: addr, Port: port, Host: "redmine.example.co.jp", Path: "/"}}})
	if len(items) != 2 || items[1].Name != answer.IndexName {
		t.Fatalf("want an answer and the index, got %d items", len(items))
	}
	for _, it := range items {
		if s := string(it.Data) + string(it.Stderr); strings.Contains(s, "SECRET") {
			t.Fatalf("a secret was kept in %s: %s", it.ID(), s)
		}
	}
	if want := "redmine.example.co.jp:" + fmt.Sprint(port); gotHost != want || gotUA != "trowel/test (read-only survey)" {
		t.Errorf("the server saw Host %q UA %q", gotHost, gotUA)
	}
	r := record(t, items[0])
	h := r.HTTP
	if r.Error != "" || h == nil || h.Status != 302 || h.Title != "Redmine login" || h.BodyBytes == 0 || len(h.BodySHA256) != 64 {
		t.Fatalf("%+v %+v", r, h)
	}
	var sawCookie bool
	for _, hd := range h.Headers {
		if hd.Name == "Set-Cookie" {
			sawCookie = hd.Value == notKept
		}
		if hd.Name == "Location" && hd.Value != "http://redmine.example.co.jp/login" {
			t.Errorf("Location = %q", hd.Value)
		}
	}
	if !sawCookie {
		t.Errorf("the cookie header should be listed by name with its value withheld: %+v", h.Headers)
	}
	ix, err := answer.ParseIndex(items[1].Data)
	if err != nil || len(ix.Items) != 1 || ix.Items[0] != items[0].ID() {
		t.Errorf("index %+v %v", ix, err)
	}
}

func TestHTTPSRecordsTheCertificateItDoesNotTrust(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<title>ok</title>")
	}))
	defer srv.Close()
	addr, port := addrOf(t, srv.URL)
	items := Asker{Dial: direct}.Run(context.Background(), Plan{Requests: []answer.Request{{Proto: "https", Address: addr, Port: port, Host: "example.com", Path: "/"}}})
	r := record(t, items[0])
	if r.Error != "" || r.HTTP.Status != 200 || r.TLS == nil || r.TLS.NotAfter.IsZero() || !strings.Contains(r.TLS.Issuer, "Acme") {
		t.Fatalf("%+v %+v", r, r.TLS)
	}
}

func TestHTTPReadsAtMostTheLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 4*MaxRead)))
	}))
	defer srv.Close()
	addr, port := addrOf(t, srv.URL)
	r := record(t, Asker{Dial: direct}.Run(context.Background(), Plan{Requests: []answer.Request{{Proto: "http", Address: addr, Port: port, Host: "h", Path: "/"}}})[0])
	if !r.HTTP.BodyCut || r.HTTP.BodyBytes >= MaxRead {
		t.Errorf("body %d bytes, cut %v", r.HTTP.BodyBytes, r.HTTP.BodyCut)
	}
}

// smtpServer is a small MTA that records what it was told, so the test can check
// that trowel never sends DATA.
func smtpServer(t *testing.T, rcpt string) (string, *[]string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var heard []string
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprint(c, "220 mx.example ESMTP Postfix (Debian/GNU)\r\n")
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			heard = append(heard, line)
			switch {
			case strings.HasPrefix(line, "EHLO"):
				fmt.Fprint(c, "250-mx.example\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n")
			case strings.HasPrefix(line, "RCPT"):
				fmt.Fprint(c, rcpt+"\r\n")
			case line == "QUIT":
				fmt.Fprint(c, "221 2.0.0 Bye\r\n")
				return
			default:
				fmt.Fprint(c, "250 2.0.0 Ok\r\n")
			}
		}
	}()
	return ln.Addr().String(), &heard
}

func TestSMTPStopsBeforeData(t *testing.T) {
	addr, heard := smtpServer(t, "554 5.7.1 <postmaster@example.org>: Relay access denied")
	r := record(t, Asker{Dial: direct}.Run(context.Background(), Plan{Requests: []answer.Request{{Proto: "smtp", Address: addr, Port: 25, Domain: "example.org"}}})[0])
	if r.Error != "" || len(r.SMTP) != 6 {
		t.Fatalf("%+v", r)
	}
	if g := r.SMTP[0]; g.Code != 220 || g.Text != "mx.example ESMTP Postfix (Debian/GNU)" {
		t.Errorf("greeting %+v", g)
	}
	if e := r.SMTP[1]; e.Code != 250 || strings.Join(e.Extensions, ",") != "SIZE 10240000,STARTTLS" {
		t.Errorf("EHLO %+v", e)
	}
	if rc := r.SMTP[3]; rc.Sent != "RCPT TO:<postmaster@example.org>" || rc.Code != 554 {
		t.Errorf("RCPT %+v", rc)
	}
	if got := strings.Join(*heard, "|"); got != "EHLO trowel.invalid|MAIL FROM:<>|RCPT TO:<postmaster@example.org>|RSET|QUIT" {
		t.Errorf("the server heard %s", got)
	}
}

func TestARefusedPortIsTheAnswer(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	items := Asker{Dial: direct}.Run(context.Background(), Plan{Requests: []answer.Request{{Proto: "smtp", Address: addr, Port: 25, Domain: "d"}}})
	r := record(t, items[0])
	if r.Error != "connection refused" || items[0].RC != 1 || items[1].Status != evidence.StatusOK {
		t.Errorf("%+v rc %d", r, items[0].RC)
	}
}

func TestForwardingDeniedAsksNothingAndSaysWhy(t *testing.T) {
	deny := func(context.Context, string, string) (net.Conn, error) {
		return nil, fmt.Errorf("%w: administratively prohibited", ErrDenied)
	}
	items := Asker{Dial: deny}.Run(context.Background(), Plan{Requests: []answer.Request{{Proto: "http", Address: "127.0.0.1:80", Port: 80, Host: "h"}}})
	if len(items) != 1 || items[0].Status != evidence.StatusDenied || !strings.Contains(string(items[0].Stderr), "prohibited") {
		t.Fatalf("%+v", items)
	}
}

func TestALostConnectionIsNotTheServicesSilence(t *testing.T) {
	calls := 0
	lost := func(context.Context, string, string) (net.Conn, error) {
		calls++
		return nil, fmt.Errorf("%w: EOF", ErrLost)
	}
	reqs := []answer.Request{{Proto: "http", Address: "127.0.0.1:80", Port: 80, Host: "a"}, {Proto: "http", Address: "127.0.0.1:80", Port: 80, Host: "b"}}
	items := Asker{Dial: lost}.Run(context.Background(), Plan{Requests: reqs})
	if len(items) != 1 || calls != 1 {
		t.Fatalf("want only the index after one try, got %d items, %d calls", len(items), calls)
	}
	ix, _ := answer.ParseIndex(items[0].Data)
	if ix.Stopped == "" || len(ix.LeftOut) != 2 {
		t.Errorf("%+v", ix)
	}
}

// A redirect keeps where it points, never a session or a token it carries.
func TestLocationKeepsNoSession(t *testing.T) {
	for in, want := range map[string]string{
		"http://redmine.example.co.jp/login":                                  "http://redmine.example.co.jp/login",
		"/login?back_url=http%3A%2F%2Fredmine%2F":                             "/login?back_url=…",
		"https://app.example/home;jsessionid=0123ABCD?token=S3CRET&lang=ja#x": "https://app.example/home?token=…&lang=…",
		"https://user:S3CRET@app.example/":                                    "https://app.example/",
		"http://[::1%":                                                        notKept,
	} {
		if got := location(in); got != want {
			t.Errorf("location(%q) = %q, want %q", in, got, want)
		}
	}
}
