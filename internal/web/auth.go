package web

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trowel-dev/trowel/internal/store"
)

type loginData struct {
	Next, Name, Problem string
}

func (s *Server) loginPage(rq *request) (*page, error) {
	return &page{Template: "login", Title: rq.L.T("login.title"),
		Data: loginData{Next: localPath(rq.r.URL.Query().Get("next"))}}, nil
}

// login signs a browser in: the token, and a name for the audit trail (the
// token is shared; the name says who of the team did what). Every attempt is
// in the audit trail, and after loginFailures refused ones in a minute the
// server takes no more that minute.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	s.page(func(rq *request) (*page, error) {
		d := loginData{Next: localPath(r.PostFormValue("next")), Name: strings.TrimSpace(r.PostFormValue("name"))}
		p := &page{Template: "login", Title: rq.L.T("login.title"), Data: &d}
		if s.logins.blocked() {
			d.Problem, p.Status = rq.L.T("login.too_many"), http.StatusTooManyRequests
			return p, nil
		}
		if !goodName(d.Name) {
			d.Problem, p.Status = rq.L.T("login.bad_name"), http.StatusBadRequest
			return p, nil
		}
		if !s.tokenOK(r.PostFormValue("token")) {
			s.logins.fail()
			s.audit(rq, d.Name, store.AuditEntry{Action: "sign-in", Target: "trowel serve", Outcome: "refused: wrong token"})
			d.Problem, p.Status = rq.L.T("login.wrong"), http.StatusUnauthorized
			return p, nil
		}
		if err := s.audit(rq, d.Name, store.AuditEntry{Action: "sign-in", Target: "trowel serve", Outcome: "ok"}); err != nil {
			return nil, err
		}
		http.SetCookie(w, s.cookie(sessionCookie, s.seal("session", session{Name: d.Name, Until: rq.now.Add(sessionLife).Unix()}), sessionLife))
		http.Redirect(w, r, d.Next, http.StatusSeeOther)
		return nil, nil
	})(w, r)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// goodName is a name a person gives: one line of printable text, not too long.
func goodName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > 64 || !utf8.ValidString(name) {
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) })
}

// audit records what a browser did in the audit trail: as the name given at
// sign-in (else, on an open loopback server, as the account serving it), from
// the browser's address, with the request as the command.
func (s *Server) audit(rq *request, name string, e store.AuditEntry) error {
	e.Operator = s.operator(rq, name)
	if _, err := s.cfg.Store.Audit(rq.r.Context(), e); err != nil {
		s.log.Printf("audit %s %s: %v", e.Action, e.Target, err)
		return err
	}
	return nil
}

func (s *Server) operator(rq *request, name string) store.Operator {
	op := s.cfg.Operator
	switch {
	case name != "":
	case rq.who.Name != "":
		name = rq.who.Name
	case rq.who.OK:
		name = "token holder"
	default:
		name = op.User
	}
	return store.Operator{User: name, Host: s.clientAddr(rq.r), TrowelVersion: op.TrowelVersion,
		Command: "trowel serve: " + rq.r.Method + " " + rq.r.URL.RequestURI()}
}
