package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/trowel-dev/trowel/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageTemplates are the pages, each the layout with the page's own content.
var pageTemplates = parsePages()

func parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/_*.html"))
	pages := map[string]*template.Template{}
	names, err := fs.Glob(templateFiles, "templates/[a-z]*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		t := template.Must(base.Clone())
		template.Must(t.ParseFS(templateFiles, name))
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages
}

// request is one request to a page, with what every page needs to know of it.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	L    tr
	who  who
	csrf string
	now  time.Time
}

// page is what a handler gives back: the page template to render and its data.
type page struct {
	Template string
	Title    string
	// Nav is the part of the site the page belongs to (estate, map, ask, audit),
	// which the navigation marks as current.
	Nav    string
	Status int
	Data   any
	// Refresh reloads the page after this many seconds (a page being prepared).
	Refresh int
	// Partial renders the content alone, without the page around it: a piece
	// the script puts into a page it already shows.
	Partial bool
}

// layout is what the layout template reads.
type layout struct {
	*page
	L        tr
	Now      time.Time
	Other    string // the other language's tag
	OtherURL string // this page in the other language
	Who      who
	CSRF     string
	Private  bool
	Path     string
	CSS, JS  string
}

var errNotFound = errors.New("not found")

// notFound makes an error that shows as the 404 page, with a word on what was
// not there.
type notFound struct{ what string }

func (e *notFound) Error() string { return e.what }

// page adapts a page handler: language, credentials and CSRF token in; the page
// rendered in full before a byte is sent (so an error never leaves half a page),
// errors shown as pages that say nothing of the server's insides.
func (s *Server) page(h func(*request) (*page, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq := &request{w: w, r: r, L: tr{negotiate(r)}, who: s.signedIn(r), now: s.now()}
		if l := r.URL.Query().Get("lang"); known(l) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
		}
		rq.csrf = s.csrfToken(w, r)
		p, err := h(rq)
		switch {
		case err != nil:
			p = s.errorPage(rq, err)
		case p == nil: // the handler answered itself (a redirect, a file)
			return
		}
		s.render(rq, p)
	}
}

func (s *Server) errorPage(rq *request, err error) *page {
	var nf *notFound
	var snf *store.NotFoundError
	var amb *store.AmbiguousError
	switch {
	case errors.Is(err, errNotFound):
		return &page{Template: "error", Title: rq.L.T("error.404.title"), Status: http.StatusNotFound,
			Data: errorData{Message: rq.L.T("error.404.text")}}
	case errors.As(err, &nf):
		return &page{Template: "error", Title: rq.L.T("error.404.title"), Status: http.StatusNotFound,
			Data: errorData{Message: nf.what}}
	case errors.As(err, &snf):
		return &page{Template: "error", Title: rq.L.T("error.404.title"), Status: http.StatusNotFound,
			Data: errorData{Message: rq.L.T("error.no_host")}}
	case errors.As(err, &amb):
		var names []string
		for _, h := range amb.Candidates {
			names = append(names, h.Name)
		}
		return &page{Template: "error", Title: rq.L.T("error.ambiguous.title"), Status: http.StatusNotFound,
			Data: errorData{Message: rq.L.T("error.ambiguous.text"), Hosts: names}}
	}
	ref := make([]byte, 4)
	rand.Read(ref)
	code := hex.EncodeToString(ref)
	s.log.Printf("%s %s: error %s: %v", rq.r.Method, rq.r.URL.Path, code, err)
	return &page{Template: "error", Title: rq.L.T("error.500.title"), Status: http.StatusInternalServerError,
		Data: errorData{Message: rq.L.T("error.500.text"), Ref: code}}
}

type errorData struct {
	Message string
	Hosts   []string
	Ref     string
}

func (s *Server) render(rq *request, p *page) {
	t, ok := pageTemplates[p.Template]
	if !ok {
		p = s.errorPage(rq, errors.New("no page template "+p.Template))
		t = pageTemplates[p.Template]
	}
	other := "ja"
	if rq.L.lang == "ja" {
		other = "en"
	}
	q := rq.r.URL.Query()
	q.Set("lang", other)
	data := layout{page: p, L: rq.L, Now: rq.now, Other: other, OtherURL: rq.r.URL.Path + "?" + q.Encode(),
		Who: rq.who, CSRF: rq.csrf, Private: s.cfg.Private, Path: rq.r.URL.RequestURI(),
		CSS: assetURL("trowel.css"), JS: assetURL("trowel.js")}
	b := buffers.Get().(*bytes.Buffer)
	defer func() {
		if b.Cap() <= maxPooled {
			b.Reset()
			buffers.Put(b)
		}
	}()
	name := "layout"
	if p.Partial {
		name = "content"
	}
	if err := t.ExecuteTemplate(b, name, data); err != nil {
		s.log.Printf("%s %s: rendering %s: %v", rq.r.Method, rq.r.URL.Path, p.Template, err)
		b.Reset()
		p = s.errorPage(rq, errors.New("rendering"))
		data.page = p
		if err := pageTemplates["error"].ExecuteTemplate(b, "layout", data); err != nil {
			http.Error(rq.w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	h := rq.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Language, Cookie")
	if p.Status != 0 {
		rq.w.WriteHeader(p.Status)
	}
	rq.w.Write(b.Bytes())
}

// buffers keep the buffers pages are rendered into: the map of a large estate
// is megabytes, better not made anew for every request.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for the next page.
const maxPooled = 32 << 20

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"hostURL": hostURL,
	"surveyURL": func(host string, seq int) string {
		return hostURL(host) + "/surveys/" + strconv.Itoa(seq)
	},
	"trusted":   func(b []byte) template.HTML { return template.HTML(b) }, // only markup the server made and escaped
	"join":      strings.Join,
	"add":       func(a, b int) int { return a + b },
	"severity":  severityClass,
	"eolClass":  func(s string) string { return "eol-" + s },
	"pathEsc":   url.PathEscape,
	"queryWith": queryWith,
	"list":      func(xs ...string) []string { return xs },
}

// hostURL is a host's page.
func hostURL(name string) string { return "/hosts/" + url.PathEscape(name) }

func severityClass(s string) string {
	switch s {
	case "info", "low", "medium", "high":
		return "sev-" + s
	}
	return "sev-unknown"
}

// queryWith is the query q with key set to value ("" removes it), as a link.
func queryWith(q url.Values, key, value string) string {
	c := url.Values{}
	for k, v := range q {
		if k != "lang" {
			c[k] = v
		}
	}
	if value == "" {
		c.Del(key)
	} else {
		c.Set(key, value)
	}
	if len(c) == 0 {
		return "?"
	}
	return "?" + c.Encode()
}
