// Package web is trowel serve: the store's estate in a browser, for the people who
// look at it together — the lead deciding the waves, the engineer on call during
// a cutover, the newcomer who inherits the servers.
//
// Pages are rendered on the server (html/template) and read in full without
// script; one embedded stylesheet and one small script add sorting, filtering as
// you type, and panning and clicking the map. Nothing is loaded from the network.
// Every table is sorted and filtered by query parameters, so a filtered view is a
// link to share. Pages are in English and Japanese (the browser's language, or
// the switch on every page).
//
// Reading changes nothing but the audit trail, which records every download
// (an export, as the command that writes the file would) and every sign-in.
// What changes state (a note on a host) needs the token and a CSRF check; off
// loopback, or behind a proxy, every request needs the token. Every response
// carries a Content-Security-Policy that forbids inline script and style, and
// the page may not be framed. The store holds no secret, so no page can show
// one.
package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/trowel-dev/trowel/internal/store"
)

// Config is what a Server serves and how it guards it.
type Config struct {
	Store *store.Store
	// Token is the shared secret that signs a browser in and authorises
	// changes; at least MinToken characters.
	Token string
	// Private makes every request need the token: the listener is not on
	// loopback, or a proxy brings the network's requests to it. Otherwise
	// reading is open to this machine (and only to it: the Host header must
	// name loopback, which stops a page elsewhere from rebinding its name to
	// 127.0.0.1 to read the estate).
	Private bool
	// Secure says the browser reaches the server over HTTPS (TLS here, or at
	// the proxy): cookies are then Secure, and Strict-Transport-Security is sent.
	Secure bool
	// BehindProxy trusts X-Forwarded-For for the client's address, which the
	// audit trail records beside what was done.
	BehindProxy bool
	// Operator is the serving trowel's account, machine and version: the audit
	// trail's operator for what a browser does, with the name given at sign-in
	// and the browser's address in place of the account and machine.
	Operator store.Operator
	// StaleDays is how old a last survey may be before the estate counts its
	// host as not surveyed lately (default 30).
	StaleDays int
	// Now is the clock ("3 days ago", end of life passed); nil is time.Now.
	Now func() time.Time
	// Log receives what went wrong on the server side (the page shows only a
	// reference to it); nil discards.
	Log io.Writer
}

// MinToken is the shortest token a Server takes.
const MinToken = 16

// Server serves the web application. It is an http.Handler.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	idx     *index
	log     *log.Logger
	key     []byte // signs sessions and CSRF tokens; derived from the token
	logins  *limiter
	now     func() time.Time
	handler http.Handler
}

// New makes a Server. It reads nothing yet: Warm starts reading the estate.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if len(cfg.Token) < MinToken {
		return nil, errors.New("web: the token is shorter than 16 characters")
	}
	if cfg.StaleDays <= 0 {
		cfg.StaleDays = 30
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	// Sessions are signed with a key made from the token, so that a new token
	// signs everybody out, and a restart with the same token does not.
	mac := hmac.New(sha256.New, []byte(cfg.Token))
	mac.Write([]byte("trowel serve session key"))
	s := &Server{
		cfg:    cfg,
		mux:    http.NewServeMux(),
		log:    log.New(cfg.Log, "trowel serve: ", log.LstdFlags),
		key:    mac.Sum(nil),
		logins: newLimiter(loginFailures, time.Minute, cfg.Now),
		now:    cfg.Now,
	}
	s.idx = newIndex(cfg.Store, s.log.Printf)
	s.routes()
	s.handler = s.guard(s.mux)
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Warm reads the estate (every host's latest survey) so the first visitor does
// not wait for it; it returns when done or when ctx ends.
func (s *Server) Warm(ctx context.Context) error {
	_, err := s.idx.view(ctx)
	return err
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /{$}", s.page(s.estatePage))
	m.HandleFunc("GET /hosts/{name}", s.page(s.hostPage))
	m.HandleFunc("GET /hosts/{name}/surveys/{seq}", s.page(s.hostPage))
	m.HandleFunc("GET /hosts/{name}/surveys/{seq}/changes", s.page(s.changesPage))
	m.HandleFunc("GET /hosts/{name}/surveys/{seq}/files/{file}", s.download)
	m.HandleFunc("POST /hosts/{name}/notes", s.addNote)
	m.HandleFunc("GET /map", s.page(s.mapPage))
	m.HandleFunc("GET /map/document", s.page(s.mapDocumentPage))
	m.HandleFunc("GET /map/edges/{id}", s.page(s.edgePage))
	m.HandleFunc("GET /map/files/{file}", s.mapDownload)
	m.HandleFunc("GET /ask", s.page(s.askIndex))
	m.HandleFunc("GET /ask/{question}", s.page(s.askPage))
	m.HandleFunc("GET /audit", s.page(s.auditPage))
	m.HandleFunc("GET /login", s.page(s.loginPage))
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /assets/{file}", s.asset)
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("/", s.page(func(*request) (*page, error) { return nil, errNotFound }))
}

// healthz answers a proxy's or a monitor's health check: the store answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.cfg.Store.Mark(r.Context()); err != nil {
		s.log.Printf("health check: %v", err)
		http.Error(w, "the store does not answer", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}
