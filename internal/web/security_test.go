package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/store"
)

// Every response, whatever it is, carries the security headers; the CSP
// forbids inline script and style, plugins and framing.
func TestSecurityHeaders(t *testing.T) {
	if strings.Contains(CSP, "unsafe-inline") || !strings.Contains(CSP, "script-src 'self';") || !strings.Contains(CSP, "frame-ancestors 'none'") ||
		!strings.Contains(CSP, "default-src 'none'") || !strings.Contains(CSP, "style-src 'self';") {
		t.Fatalf("CSP: %s", CSP)
	}
	ts := newTestServer(t, Config{}, true)
	for _, path := range []string{"/", "/hosts/legacy", "/map", "/ask/cron", "/audit", "/login", "/nowhere", "/assets/trowel.css", "/assets/nothing",
		"/hosts/legacy/surveys/2/files/snapshot.json", "/healthz", "/map/edges/e-x?part=1"} {
		r := ts.get(path)
		for h, want := range map[string]string{
			"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s: %s is %q, want %q", path, h, got, want)
			}
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	secure := newTestServer(t, Config{Secure: true}, false)
	if r := secure.get("/"); r.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over HTTPS")
	}
}

var (
	scriptTag = regexp.MustCompile(`<script\b[^>]*>`)
	styleAttr = regexp.MustCompile(`<[^>]*\sstyle=`)
	handler   = regexp.MustCompile(`<[^>]*\son[a-z]+=`)
)

// Every page of the site, reached by following every link from the estate in
// both languages, answers 200, and holds nothing the CSP would block: no
// inline script, <style>, style attribute, event handler attribute or
// javascript: URL. Each has one h1 and says its language.
func TestEveryPage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	ts.signIn(t, "aiko")
	for _, start := range []string{"/?lang=en", "/?lang=ja"} {
		for path, body := range crawl(t, ts, start) {
			for _, tag := range scriptTag.FindAllString(body, -1) {
				if !strings.Contains(tag, ` src="/assets/`) {
					t.Errorf("%s: inline script %s", path, tag)
				}
			}
			if strings.Contains(body, "<style") || styleAttr.MatchString(body) || handler.MatchString(body) || strings.Contains(body, "javascript:") {
				t.Errorf("%s: inline style, event handler or javascript: URL", path)
			}
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("%s: %d h1", path, n)
			}
			if !strings.Contains(body, `<html lang="`+start[len(start)-2:]+`"`) {
				t.Errorf("%s: not in the language chosen", path)
			}
		}
	}
}

var hrefRE = regexp.MustCompile(`(?:href|action)="(/[^"#]*)`)

// crawl follows every link of the site from start that stays on it (downloads
// aside), asking for each page once, as one browser; it fails on a link that
// does not answer 200, and gives the HTML pages it saw.
func crawl(t *testing.T, ts *testServer, start string) map[string]string {
	t.Helper()
	seen := map[string]bool{start: true}
	queue := []string{start}
	pages := map[string]string{}
	for len(queue) > 0 && len(pages) < 500 {
		path := queue[0]
		queue = queue[1:]
		r := ts.get(path)
		if r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", path, r.Status)
			continue
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages[path] = r.Body
		for _, m := range hrefRE.FindAllStringSubmatch(r.Body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.Contains(link, "/files/") || strings.HasPrefix(link, "/assets/") || link == "/logout" || strings.HasSuffix(link, "/notes") || seen[link] {
				continue
			}
			seen[link] = true
			if strings.Contains(link, "lang=") {
				// The language switch: it answers, in another browser, so
				// this one stays in the language it started in.
				if r := ts.browser().get(link); r.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %s", link, r.Status)
				}
				continue
			}
			queue = append(queue, link)
		}
	}
	if len(pages) < 30 || len(queue) > 0 {
		t.Errorf("the crawl saw %d pages and left %d", len(pages), len(queue))
	}
	return pages
}

// On loopback without the token the pages are open to this machine only: a
// Host header naming anything else (a page whose name was rebound to
// 127.0.0.1) is refused.
func TestLoopbackHostCheck(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	for host, want := range map[string]int{
		"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "127.0.0.2": 200, "LOCALHOST.": 200,
		"evil.example:8080": http.StatusMisdirectedRequest, "10.0.0.5:8080": http.StatusMisdirectedRequest, "127.0.0.1.evil.example": http.StatusMisdirectedRequest,
	} {
		r := httpRequest(http.MethodGet, "/", nil)
		r.Host = host
		if got := ts.do(r); got.StatusCode != want {
			t.Errorf("Host %s: %s, want %d", host, got.Status, want)
		}
	}
	private := newTestServer(t, Config{Private: true}, true)
	r := httpRequest(http.MethodGet, "/", nil)
	r.Host = "trowel.example.com"
	r.Header.Set("Authorization", "Bearer "+testToken)
	if got := private.do(r); got.StatusCode != http.StatusOK {
		t.Errorf("a private server behind its name: %s", got.Status)
	}
}

func httpRequest(method, target string, form url.Values) *http.Request {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	r, _ := http.NewRequest(method, "http://127.0.0.1:8080"+target, body)
	r.RemoteAddr = "192.0.2.1:1234"
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return r
}

// Off loopback (or behind a proxy) every request needs the token: a browser is
// sent to sign in, a tool is told to bring its token.
func TestPrivateNeedsTheToken(t *testing.T) {
	ts := newTestServer(t, Config{Private: true}, true)
	r := ts.get("/hosts/legacy")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fhosts%2Flegacy" {
		t.Errorf("a browser without the token: %s to %s", r.Status, r.Header.Get("Location"))
	}
	for _, path := range []string{"/", "/map", "/map/edges/x?part=1", "/hosts/legacy/surveys/2/files/snapshot.json", "/audit", "/ask/cron"} {
		req := httpRequest(http.MethodGet, path, nil)
		got := ts.do(req, "Accept", "application/json")
		if got.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(got.Header.Get("WWW-Authenticate"), "Bearer") || strings.Contains(got.Body, "legacy") {
			t.Errorf("%s without the token: %s", path, got.Status)
		}
		for _, auth := range []string{"Bearer wrong-token-0123456789", "Basic " + testToken, "Bearer", testToken} {
			if got := ts.do(httpRequest(http.MethodGet, path, nil), "Authorization", auth, "Accept", "*/*"); got.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s with Authorization %q: %s", path, auth, got.Status)
			}
		}
		if got := ts.do(httpRequest(http.MethodGet, path, nil), "Authorization", "Bearer "+testToken); got.StatusCode == http.StatusUnauthorized {
			t.Errorf("%s with the token: %s", path, got.Status)
		}
	}
	// What a private server shows without the token: the sign-in page, its
	// files, the health check.
	for _, path := range []string{"/login", "/assets/trowel.css", "/assets/trowel.js", "/healthz"} {
		if r := ts.get(path); r.StatusCode != http.StatusOK {
			t.Errorf("%s on a private server: %s", path, r.Status)
		}
	}
	// Signed in through the form, the session cookie opens every page; a
	// forged or expired cookie does not.
	ts.signIn(t, "ken")
	if r := ts.get("/hosts/legacy"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `<span class="who">ken</span>`) {
		t.Errorf("signed in: %s", r.Status)
	}
	c := ts.jar[sessionCookie]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
		t.Errorf("session cookie: %+v", c)
	}
	payload, _, _ := strings.Cut(c.Value, ".")
	for _, forged := range []string{payload + ".AAAA", "eyJuIjoibWFsbG9yeSIsInUiOjk5OTk5OTk5OTl9." + strings.SplitN(c.Value, ".", 2)[1], "x"} {
		fresh := &testServer{t: t, srv: ts.srv, st: ts.st, jar: map[string]*http.Cookie{sessionCookie: {Name: sessionCookie, Value: forged}}}
		if r := fresh.get("/"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("forged session %q: %s", forged, r.Status)
		}
	}
	later := newTestServer(t, Config{Private: true, Now: func() time.Time { return testNow.Add(sessionLife + time.Minute) }}, false)
	later.jar[sessionCookie] = c
	if r := later.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("an expired session: %s", r.Status)
	}
	// Another token signs everybody out.
	other := newTestServer(t, Config{Private: true, Token: "another-token-0123456789"}, false)
	other.jar[sessionCookie] = c
	if r := other.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a session of another token: %s", r.Status)
	}
	// Signing out ends it.
	csrf := csrfOf(t, ts.mustGet("/"))
	if r := ts.post("/logout", url.Values{"csrf": {csrf}}); r.StatusCode != http.StatusSeeOther || ts.jar[sessionCookie] != nil {
		t.Errorf("signing out: %s, cookie %v", r.Status, ts.jar[sessionCookie])
	}
	if r := ts.get("/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after signing out: %s", r.Status)
	}
}

func TestSignIn(t *testing.T) {
	ts := newTestServer(t, Config{Private: true, Secure: true}, true)
	csrf := csrfOf(t, ts.mustGet("/login?next=/hosts/legacy"))
	form := func(name, token, next string) url.Values {
		return url.Values{"csrf": {csrf}, "name": {name}, "token": {token}, "next": {next}}
	}
	// A wrong token is refused and audited; the name must be one line.
	if r := ts.post("/login", form("ken", "not-the-token-0123456789", "/")); r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, "That is not this server&#39;s token.") {
		t.Errorf("a wrong token: %s", r.Status)
	}
	if r := ts.post("/login", form("ken\nroot", testToken, "/")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a name of two lines: %s", r.Status)
	}
	// "next" stays on this server.
	for next, want := range map[string]string{"/hosts/legacy": "/hosts/legacy", "//evil.example/": "/", "https://evil.example/": "/", "/\\evil.example": "/"} {
		r := ts.post("/login", form("ken", testToken, next))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != want {
			t.Errorf("next %q: %s to %q, want %q", next, r.Status, r.Header.Get("Location"), want)
		}
	}
	c := ts.jar[sessionCookie]
	if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("the session cookie over HTTPS: %+v", c)
	}
	log, _ := ts.st.AuditLog(context.Background(), store.AuditFilter{})
	var signIns []string
	for _, e := range log {
		if e.Action == "sign-in" {
			signIns = append(signIns, e.Operator.User+" "+e.Outcome)
		}
	}
	if len(signIns) != 5 || signIns[4] != "ken refused: wrong token" || signIns[0] != "ken ok" {
		t.Errorf("sign-ins audited: %q", signIns)
	}

	// Too many wrong tokens in a minute, and the server takes no more that
	// minute, not even the right one.
	clock := testNow
	guarded := newTestServer(t, Config{Private: true, Now: func() time.Time { return clock }}, false)
	csrf = csrfOf(t, guarded.mustGet("/login"))
	for i := range loginFailures {
		if r := guarded.post("/login", form("eve", "guess-"+strings.Repeat("x", i+16), "/")); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: %s", i, r.Status)
		}
	}
	if r := guarded.post("/login", form("ken", testToken, "/")); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after %d wrong tokens: %s", loginFailures, r.Status)
	}
	clock = clock.Add(61 * time.Second)
	if r := guarded.post("/login", form("ken", testToken, "/")); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a minute later: %s", r.Status)
	}
}

// Every POST needs the CSRF token that matches the browser's cookie, and is
// refused when the browser says it comes from another site.
func TestCSRF(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	ts.signIn(t, "ken")
	page := ts.mustGet("/hosts/legacy")
	csrf := csrfOf(t, page)
	note := func(form url.Values, headers ...string) int {
		return ts.post("/hosts/legacy/notes", form, headers...).StatusCode
	}
	if code := note(url.Values{"text": {"no token"}}); code != http.StatusForbidden {
		t.Errorf("a note without the CSRF token: %d", code)
	}
	if code := note(url.Values{"text": {"bad token"}, "csrf": {csrf + "x"}}); code != http.StatusForbidden {
		t.Errorf("a note with a wrong CSRF token: %d", code)
	}
	if code := note(url.Values{"text": {"cross-site"}, "csrf": {csrf}}, "Sec-Fetch-Site", "cross-site"); code != http.StatusForbidden {
		t.Errorf("a note from another site: %d", code)
	}
	// Another browser's token does not fit this browser's cookie.
	other := &testServer{t: t, srv: ts.srv, st: ts.st, jar: map[string]*http.Cookie{}}
	otherCSRF := csrfOf(t, other.mustGet("/login"))
	if code := note(url.Values{"text": {"borrowed"}, "csrf": {otherCSRF}}); code != http.StatusForbidden {
		t.Errorf("a note with another browser's CSRF token: %d", code)
	}
	for _, path := range []string{"/login", "/logout"} {
		if r := ts.post(path, url.Values{"name": {"ken"}, "token": {testToken}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without the CSRF token: %s", path, r.Status)
		}
	}
	if notes, _ := ts.st.Notes(context.Background(), "legacy", 0); len(notes) != 0 {
		t.Errorf("a refused note was kept: %+v", notes)
	}
	if code := note(url.Values{"text": {"accepted"}, "csrf": {csrf}}, "Sec-Fetch-Site", "same-origin"); code != http.StatusSeeOther {
		t.Errorf("a good note: %d", code)
	}
}

// Notes need the token even on an open loopback server; they are kept with the
// signed-in name and the browser's address, and shown on the host's page.
func TestNotes(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	page := ts.mustGet("/hosts/legacy")
	if strings.Contains(page, `<textarea`) {
		t.Error("the note form is offered without the token")
	}
	// Without signing in, even with the page's CSRF token, nothing is kept.
	r := ts.post("/hosts/legacy/notes", url.Values{"text": {"anonymous"}, "csrf": {csrfOf(t, ts.mustGet("/login"))}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/hosts/legacy?note=sign-in#host-notes" {
		t.Errorf("a note without signing in: %s to %s", r.Status, r.Header.Get("Location"))
	}
	if !strings.Contains(ts.mustGet("/hosts/legacy?note=sign-in"), "Sign in first: notes need the token.") {
		t.Error("the host page does not say why the note was not kept")
	}
	ts.signIn(t, "Aiko Sato")
	for text, where := range map[string]string{
		"  ":                      "/hosts/legacy?note=empty#host-notes",
		strings.Repeat("x", 4001): "/hosts/legacy?note=long#host-notes",
		"Moves in wave 3.\nCheck the <batch> at 02:30 JST first.": "/hosts/legacy#host-notes",
	} {
		if r := ts.postNote(t, "legacy", text); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != where {
			t.Errorf("note %.20q: %s to %s, want %s", text, r.Status, r.Header.Get("Location"), where)
		}
	}
	page = ts.mustGet("/hosts/legacy")
	if !strings.Contains(page, "Moves in wave 3.\nCheck the &lt;batch&gt; at 02:30 JST first.") || !strings.Contains(page, "Aiko Sato · ") {
		t.Error("the note is not on the page, escaped, with its author")
	}
	notes, err := ts.st.Notes(context.Background(), "legacy", 0)
	if err != nil || len(notes) != 1 || notes[0].Operator.User != "Aiko Sato" || notes[0].Operator.Host != "192.0.2.1" ||
		notes[0].Operator.Command != "trowel serve: POST /hosts/legacy/notes" {
		t.Errorf("notes kept: %+v, %v", notes, err)
	}
	// A short name finds the host; a host that is not there is not found.
	csrf := csrfOf(t, ts.mustGet("/"))
	if r := ts.post("/hosts/LEGACY/notes", url.Values{"text": {"by another name"}, "csrf": {csrf}}); r.Header.Get("Location") != "/hosts/legacy#host-notes" {
		t.Errorf("a note by another name: %s", r.Header.Get("Location"))
	}
	if r := ts.post("/hosts/nowhere/notes", url.Values{"text": {"x"}, "csrf": {csrf}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("a note on no host: %s", r.Status)
	}
	// Behind a proxy, the address the proxy appended is the browser's.
	proxied := newTestServer(t, Config{Private: true, BehindProxy: true}, true)
	proxied.signIn(t, "ken")
	csrf = csrfOf(t, proxied.mustGet("/hosts/legacy"))
	proxied.post("/hosts/legacy/notes", url.Values{"text": {"via the proxy"}, "csrf": {csrf}}, "X-Forwarded-For", "203.0.113.9, 198.51.100.7")
	if notes, _ := proxied.st.Notes(context.Background(), "legacy", 1); len(notes) != 1 || notes[0].Operator.Host != "198.51.100.7" {
		t.Errorf("the proxied browser's address: %+v", notes)
	}
}

// Errors say what is not there, and nothing of the server's insides.
func TestErrorPages(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	for path, code := range map[string]int{"/nowhere": 404, "/hosts/legacy/nowhere": 404, "/assets/": 404, "/assets/web.go": 404, "/assets/../web.go": 307} {
		r := ts.get(path)
		if r.StatusCode != code {
			t.Errorf("%s: %s, want %d", path, r.Status, code)
		}
		for _, leak := range []string{".go:", "goroutine", "sqlite", "SELECT", "/tmp/", "schema version"} {
			if strings.Contains(r.Body, leak) {
				t.Errorf("%s leaks %q", path, leak)
			}
		}
	}
	if r := ts.do(httpRequest(http.MethodDelete, "/", nil)); r.StatusCode != http.StatusMethodNotAllowed && r.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE /: %s", r.Status)
	}
}

func TestLanguage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	if page := ts.mustGet("/", "Accept-Language", "ja-JP,ja;q=0.9"); !strings.Contains(page, `<html lang="ja"`) || !strings.Contains(page, "サーバー一覧") {
		t.Error("Accept-Language ja")
	}
	// The switch: ?lang= wins, and the cookie it leaves keeps the choice.
	page := ts.mustGet("/?lang=en&group=production", "Accept-Language", "ja")
	if !strings.Contains(page, `<html lang="en"`) || !strings.Contains(page, `href="/?group=production&amp;lang=ja" hreflang="ja"`) {
		t.Error("?lang=en, and the switch to Japanese keeping the filter")
	}
	if page := ts.mustGet("/", "Accept-Language", "ja"); !strings.Contains(page, `<html lang="en"`) {
		t.Error("the cookie left by the switch was not kept")
	}
	if page := ts.mustGet("/audit?lang=ja"); !strings.Contains(page, "監査ログ") {
		t.Error("?lang=ja")
	}
}

func TestServeRefusesAnOpenNetwork(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir()+"/trowel.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, opt := range []Options{
		{Listen: "0.0.0.0:0"},
		{Listen: ":0"},
		{Listen: "192.0.2.1:0", Token: "short"},
		{Listen: "127.0.0.1:0", TLSCert: "cert.pem"},
		{Listen: "127.0.0.1", BehindProxy: true},
		{Listen: "127.0.0.1:0", Token: "too-short"},
	} {
		var out strings.Builder
		opt.Out = &out
		if err := Serve(ctx, Config{Store: st}, opt); err == nil {
			t.Errorf("%+v: served", opt)
		}
		if strings.Contains(out.String(), "token") {
			t.Errorf("%+v: a refused server printed its token", opt)
		}
	}
	// On loopback it starts, prints its address and token once, and stops with
	// its context.
	var out strings.Builder
	done := make(chan error)
	ready := make(chan string)
	go func() {
		done <- Serve(ctx, Config{Store: st}, Options{Listen: "127.0.0.1:0", Out: &out, Ready: func(a string) { ready <- a }})
	}()
	addr := <-ready
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("health check: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("stopping: %v", err)
	}
	if !strings.Contains(out.String(), "http://"+addr+"/") || !regexp.MustCompile(`token \(notes need it; shown once\): [A-Za-z0-9_-]{43}\n`).MatchString(out.String()) {
		t.Errorf("start message: %q", out.String())
	}
}
