package web

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/trowel-dev/trowel/internal/store"
)

// The audit page: the store's append-only trail of who surveyed, verified,
// exported or noted what, and when, the newest first.

type auditData struct {
	Entries []store.AuditEntry
	F       url.Values
	Actions []string
	Limit   int
	More    string // the link that shows more, when the limit cut the list
	Active  []activeFilter
}

// auditActions are the actions trowel records, offered by the filter even before
// the trail has one of each.
var auditActions = []string{"survey", "enqueue", "verify", "report", "spec", "diff", "codify", "snapshot", "map", "note", "sign-in"}

// auditLimit is how many entries the page shows unless asked for more.
const auditLimit = 200

func (s *Server) auditPage(rq *request) (*page, error) {
	v := rq.r.URL.Query()
	L := rq.L
	limit := auditLimit
	if n, err := strconv.Atoi(v.Get("limit")); err == nil && n > 0 {
		limit = min(n, 100000)
	}
	f := store.AuditFilter{Host: v.Get("host")}
	if v.Get("action") == "" {
		f.Limit = limit + 1 // one more than shown, to know whether there are more
	}
	entries, err := s.cfg.Store.AuditLog(rq.r.Context(), f)
	if err != nil {
		return nil, err
	}
	d := &auditData{F: v, Limit: limit, Actions: slices.Clone(auditActions)}
	for _, e := range entries {
		if !slices.Contains(d.Actions, e.Action) {
			d.Actions = append(d.Actions, e.Action)
		}
	}
	slices.Sort(d.Actions)
	if a := v.Get("action"); a != "" {
		entries = slices.DeleteFunc(entries, func(e store.AuditEntry) bool { return e.Action != a })
	}
	if len(entries) > limit {
		entries = entries[:limit]
		d.More = queryWith(v, "limit", strconv.Itoa(limit*5))
	}
	d.Entries = entries
	for _, k := range []string{"host", "action"} {
		if val := v.Get(k); val != "" {
			d.Active = append(d.Active, activeFilter{Label: L.T("filter." + k), Value: val, Remove: queryWith(v, k, "")})
		}
	}
	return &page{Template: "audit", Title: L.T("audit.title"), Nav: "audit", Data: d}, nil
}
