package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// CSP is every response's Content-Security-Policy: scripts and styles only from
// this server's own files (no inline script, no style attribute), images from
// here or data: URLs, no plugin, no framing by anyone, forms posted only here.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

const (
	sessionCookie = "trowel_session"
	csrfCookie    = "trowel_csrf"
	langCookie    = "trowel_lang"
	csrfField     = "csrf"
	// sessionLife is how long a sign-in lasts: a working day and its evening.
	sessionLife = 12 * time.Hour
	// loginFailures refused sign-ins a minute, from anyone, before the server
	// stops taking sign-ins for the rest of that minute.
	loginFailures = 10
	// maxForm bounds a POST's body: a note is a few kilobytes.
	maxForm = 64 << 10
)

// guard wraps every request: the security headers, the Host check on an open
// loopback server, the token on a private one, and the CSRF check on every POST.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if s.cfg.Secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !s.cfg.Private && !loopbackHost(r.Host) {
			// A page elsewhere whose name was made to resolve to 127.0.0.1
			// would otherwise read the estate with the browser's help.
			s.refuse(w, r, http.StatusMisdirectedRequest, "host")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if !s.csrfOK(r) {
				s.refuse(w, r, http.StatusForbidden, "csrf")
				return
			}
		}
		if s.cfg.Private && !openPath(r) && !s.signedIn(r).OK {
			if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			h.Set("WWW-Authenticate", `Bearer realm="trowel"`)
			s.refuse(w, r, http.StatusUnauthorized, "token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// openPath is what a private server shows without the token: the sign-in page,
// the files it needs, and the health check.
func openPath(r *http.Request) bool {
	p := r.URL.Path
	return p == "/login" || p == "/healthz" || strings.HasPrefix(p, "/assets/")
}

// loopbackHost says whether a Host header names this machine's loopback.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuse answers a request the guard or a handler turns away, in a few words
// and without a page around them: the reason is the only thing said.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, code int, why string) {
	lang := negotiate(r)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write([]byte(tr{lang}.T("refused."+why) + "\n"))
}

// who is the person behind a request, as far as the server knows.
type who struct {
	OK   bool   // signed in, or holding the token
	Name string // the name given at sign-in; "" for a bearer of the token
}

// signedIn checks the request's credentials: the token in an Authorization
// header (for tools), or a session cookie the sign-in form set.
func (s *Server) signedIn(r *http.Request) who {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, _ := strings.Cut(auth, " ")
		return who{OK: strings.EqualFold(scheme, "Bearer") && s.tokenOK(strings.TrimSpace(tok))}
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return who{}
	}
	var sess session
	if !s.unseal("session", c.Value, &sess) || s.now().Unix() > sess.Until {
		return who{}
	}
	return who{OK: true, Name: sess.Name}
}

// session is what the session cookie holds, signed.
type session struct {
	Name  string `json:"n"`
	Until int64  `json:"u"`
}

// tokenOK compares a token given with the server's in constant time; hashing
// both first makes the time independent of the length too.
func (s *Server) tokenOK(given string) bool {
	a, b := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(s.cfg.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// seal signs v for a cookie: its JSON, and a MAC over it and its purpose.
func (s *Server) seal(purpose string, v any) string {
	doc, _ := json.Marshal(v)
	payload := base64.RawURLEncoding.EncodeToString(doc)
	return payload + "." + s.mac(purpose, payload)
}

func (s *Server) unseal(purpose, value string, v any) bool {
	payload, sig, ok := strings.Cut(value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.mac(purpose, payload))) {
		return false
	}
	doc, err := base64.RawURLEncoding.DecodeString(payload)
	return err == nil && json.Unmarshal(doc, v) == nil
}

func (s *Server) mac(purpose, payload string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose + ":" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken gives the token a page's forms carry: bound by MAC to the
// browser's CSRF cookie (set here when it has none), which another site's page
// can neither read nor set. A signed double-submit cookie.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	value := ""
	if err == nil && len(c.Value) >= 32 {
		value = c.Value
	} else {
		value = randomText()
		http.SetCookie(w, s.cookie(csrfCookie, value, 0))
	}
	return s.mac("csrf", value)
}

// csrfOK checks a POST: the form's token matches the browser's CSRF cookie, and
// the browser does not say the request came from another site.
func (s *Server) csrfOK(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) < 32 {
		return false
	}
	given := r.PostFormValue(csrfField)
	return hmac.Equal([]byte(given), []byte(s.mac("csrf", c.Value)))
}

// cookie makes one of the server's cookies: never readable by script, never
// sent with another site's requests, Secure when the browser uses HTTPS.
// life 0 lasts as long as the browser session; negative removes it.
func (s *Server) cookie(name, value string, life time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteStrictMode}
	switch {
	case life > 0:
		c.MaxAge = int(life / time.Second)
	case life < 0:
		c.MaxAge = -1
	}
	return c
}

// clientAddr is the browser's address for the audit trail: the connection's
// peer, or behind a proxy the address the proxy appended to X-Forwarded-For
// (the last one; those before it are whatever the client claimed).
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.BehindProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(a) != nil {
				return a
			}
		}
	}
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// limiter counts failures in a fixed window and says when there were too many.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	start  time.Time
	n      int
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now}
}

func (l *limiter) roll() {
	if t := l.now(); t.Sub(l.start) >= l.window {
		l.start, l.n = t, 0
	}
}

// blocked says whether the window's failures are used up.
func (l *limiter) blocked() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	return l.n >= l.max
}

func (l *limiter) fail() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll()
	l.n++
}

// randomText is 256 random bits, as URL-safe text.
func randomText() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand's documented promise since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewToken makes a token for a server that was given none.
func NewToken() string { return randomText() }

// localPath keeps a sign-in's "next" on this server: a path, never another
// site's address (//evil.example, /\evil.example).
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
