package web

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// negotiate picks a request's language: ?lang= (the switch on every page), else
// the cookie the switch left, else the first of the browser's Accept-Language
// that trowel speaks, else English.
func negotiate(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); known(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && known(c.Value) {
		return c.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// known says whether lang is one the pages are written in.
func known(lang string) bool { return lang == "en" || lang == "ja" }

// fromAcceptLanguage reads "ja-JP,ja;q=0.9,en-US;q=0.8" by its weights.
func fromAcceptLanguage(header string) string {
	type choice struct {
		lang string
		q    float64
		i    int
	}
	var cs []choice
	for i, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if known(primary) && q > 0 {
			cs = append(cs, choice{primary, q, i})
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].q > cs[b].q })
	if len(cs) > 0 {
		return cs[0].lang
	}
	return "en"
}

// tr tells the pages' own words in one language (catalogs in labels_*.go).
type tr struct{ lang string }

// T is the label key, with args filled in as fmt does.
func (t tr) T(key string, args ...any) string {
	s, ok := catalog[t.lang][key]
	if !ok {
		s, ok = catalog["en"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// N is the label key for n things: key.one for one (in English), key.other
// otherwise, with n filled in where the label has a place for it (a count's
// label beside its number has none).
func (t tr) N(n int, key string) string {
	form := key + ".other"
	if _, ok := catalog[t.lang][key+".one"]; ok && n == 1 {
		form = key + ".one"
	}
	if strings.Contains(t.T(form), "%") {
		return t.T(form, n)
	}
	return t.T(form)
}

// Lang is the language's tag, for lang attributes.
func (t tr) Lang() string { return t.lang }

// Ago writes a time as a reader glances at it ("3 days ago"), with the exact
// time (UTC) in its title and datetime attribute.
func (t tr) Ago(at, now time.Time) template.HTML {
	if at.IsZero() {
		return template.HTML(template.HTMLEscapeString(t.T("time.unknown")))
	}
	exact := at.UTC().Format("2006-01-02 15:04 UTC")
	return template.HTML(`<time datetime="` + at.UTC().Format(time.RFC3339) + `" title="` + exact + `">` +
		template.HTMLEscapeString(t.ago(now.Sub(at))) + `</time>`)
}

func (t tr) ago(d time.Duration) string {
	switch {
	case d < 0:
		return t.T("time.future")
	case d < time.Minute:
		return t.T("time.now")
	case d < time.Hour:
		return t.N(int(d/time.Minute), "time.minutes")
	case d < 24*time.Hour:
		return t.N(int(d/time.Hour), "time.hours")
	case d < 60*24*time.Hour:
		return t.N(int(d/(24*time.Hour)), "time.days")
	case d < 730*24*time.Hour:
		return t.N(int(d/(30*24*time.Hour)), "time.months")
	}
	return t.N(int(d/(365*24*time.Hour)), "time.years")
}

// Stamp is a time written out in full, in UTC.
func (t tr) Stamp(at time.Time) string {
	if at.IsZero() {
		return t.T("time.unknown")
	}
	return at.UTC().Format("2006-01-02 15:04 UTC")
}
