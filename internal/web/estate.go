package web

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/store"
)

// The estate page: every host with its latest survey, the counts an operator
// glances at first, filters and sorting as query parameters.

// estateFilters are the estate page's filters, by query parameter.
var estateFilters = []string{"group", "os", "eol", "finding", "service", "severity", "inhibitors", "gaps", "age", "q"}

type estateData struct {
	Empty      bool
	Counts     []count
	Choices    choices
	F          url.Values // the filters in force
	Active     []activeFilter
	Rows       []estateRow
	Table      dataTable
	Total      int
	StaleDays  int
	Unreadable int
	Waves      int
	// Pending counts the surveys recorded since the page's view of the estate
	// was made; they are being read (Read of ToRead).
	Pending      int
	Read, ToRead int64
}

// count is one of the numbers at the top of a page, a link to what it counts.
type count struct {
	N     int
	Label string
	Note  string
	URL   string
	// Tone is bad (something to act on), warn, or "" (neutral); the number
	// says it in words too, never by colour alone.
	Tone string
}

type activeFilter struct {
	Label, Value, Remove string
}

// dataTable is a long table: its sortable columns, and its rows written by
// hand (estateRows, answerRowsHTML). Its note, which says what it shows, has
// the id ID-note.
type dataTable struct {
	ID, Class string
	Columns   []column
	Rows      template.HTML
}

// column is a sortable table column: its link sorts by it (the other way when
// it is the sort already).
type column struct {
	Key, Label string
	URL        string
	Sort       string // ascending, descending or ""
	Numeric    bool
}

type estateRow struct {
	Name, URL, Group string
	Names            string // host name and FQDN, when they say more than Name
	OS               string
	EOL              eolView
	Purpose          []string
	Latest           *store.SurveyInfo
	Stale            bool
	Coverage         string
	Missing          int
	NotSurveyed      int
	Partial          int
	F                store.Severities
	Wave             int
	Unreadable       string
}

// eolView is an end of life as it stands today, not as it stood when surveyed:
// a host supported then may have passed its date since.
type eolView struct {
	Class string // ended, soon, supported, unknown
	Text  string
}

// soon is how near an end of life must be to be counted as coming.
const soon = 183 * 24 * time.Hour

func eolNow(e store.EOLSummary, now time.Time, L tr) eolView {
	date, err := time.Parse("2006-01-02", e.Date)
	switch {
	case e.Status == "eol" || err == nil && !now.Before(date.Add(24*time.Hour)):
		if e.Date == "" {
			return eolView{"ended", L.T("eol.ended_undated")}
		}
		return eolView{"ended", L.T("eol.ended", e.Date)}
	case err == nil && date.Sub(now) < soon:
		return eolView{"soon", L.T("eol.soon", e.Date)}
	case e.Status == "supported" && e.Date != "":
		return eolView{"supported", L.T("eol.supported", e.Date)}
	case e.Status == "supported":
		return eolView{"supported", L.T("eol.supported_open")}
	}
	return eolView{"unknown", L.T("eol.unknown")}
}

// eolOrder sorts ended first, then coming, supported, not known.
var eolOrder = map[string]int{"ended": 0, "soon": 1, "supported": 2, "unknown": 3}

func (s *Server) estatePage(rq *request) (*page, error) {
	st, err := s.idx.current(rq.r.Context())
	if err != nil {
		return nil, err
	}
	L := rq.L
	q := rq.r.URL.Query()
	d := estateData{Empty: len(st.hosts) == 0, Choices: st.choicesVal, F: q, StaleDays: s.cfg.StaleDays,
		Unreadable: st.unreadable, Waves: len(st.m.Waves), Pending: st.pending}
	if st.partial {
		d.Read, d.ToRead = s.idx.progress()
	}
	p := &page{Template: "estate", Title: L.T("estate.title"), Nav: "estate", Data: &d}
	if d.Empty {
		return p, nil
	}
	rows := make([]estateRow, 0, len(st.hosts))
	var ended, coming, inhibitors, inhibited, stale, high, gaps int
	for _, h := range st.hosts {
		r := s.estateRow(h, rq)
		switch r.EOL.Class {
		case "ended":
			ended++
		case "soon":
			coming++
		}
		inhibitors += r.F.Inhibitors
		if r.F.Inhibitors > 0 {
			inhibited++
		}
		if r.Stale {
			stale++
		}
		if r.F.High > 0 {
			high++
		}
		if r.Missing > 0 {
			gaps++
		}
		if keep(h, &r, q, rq.now) {
			rows = append(rows, r)
		}
	}
	d.Total = len(st.hosts)
	d.Counts = []count{
		{N: d.Total, Label: L.N(d.Total, "count.hosts"), URL: "/"},
		{N: ended, Label: L.T("count.eol_ended"), URL: "?eol=ended", Tone: tone(ended, "bad")},
		{N: coming, Label: L.T("count.eol_soon"), URL: "?eol=soon", Tone: tone(coming, "warn")},
		{N: inhibitors, Label: L.T("count.inhibitors"), Note: L.N(inhibited, "count.on_hosts"), URL: "?inhibitors=1&sort=inhibitors&dir=desc", Tone: tone(inhibitors, "bad")},
		{N: high, Label: L.T("count.high"), URL: "?severity=high&sort=findings&dir=desc", Tone: tone(high, "bad")},
		{N: stale, Label: L.T("count.stale", s.cfg.StaleDays), URL: "?age=" + strconv.Itoa(s.cfg.StaleDays) + "&sort=survey&dir=asc", Tone: tone(stale, "warn")},
		{N: gaps, Label: L.T("count.gaps"), URL: "?gaps=1", Tone: tone(gaps, "warn")},
		{N: d.Waves, Label: L.N(d.Waves, "count.waves"), URL: "/map"},
	}
	d.Active = activeFilters(q, L)
	key, desc := sortOf(q, "name")
	sortEstate(rows, key, desc)
	d.Rows = rows
	d.Table.ID, d.Table.Class, d.Table.Rows = "hosts", "data hosts", estateRows(rows, L, rq.now)
	d.Table.Columns = columns(q, key, desc, L, []column{
		{Key: "name", Label: L.T("col.host")}, {Key: "group", Label: L.T("col.group")}, {Key: "os", Label: L.T("col.os")},
		{Key: "eol", Label: L.T("col.eol")}, {Key: "purpose", Label: L.T("col.purpose")},
		{Key: "survey", Label: L.T("col.last_survey")}, {Key: "coverage", Label: L.T("col.collected"), Numeric: true},
		{Key: "findings", Label: L.T("col.findings"), Numeric: true}, {Key: "inhibitors", Label: L.T("col.inhibitors"), Numeric: true},
		{Key: "wave", Label: L.T("col.wave"), Numeric: true},
	})
	return p, nil
}

func tone(n int, t string) string {
	if n == 0 {
		return ""
	}
	return t
}

func (s *Server) estateRow(h *hostRow, rq *request) estateRow {
	L := rq.L
	r := estateRow{Name: h.Name, URL: hostURL(h.Name), Group: h.Group}
	var names []string
	for _, n := range []string{h.Hostname, h.FQDN} {
		if n != "" && !strings.EqualFold(n, h.Name) && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	r.Names = strings.Join(names, " · ")
	l := h.Latest
	if l == nil {
		r.EOL = eolView{"unknown", L.T("eol.unknown")}
		r.Stale = true
		return r
	}
	r.Latest = l
	r.OS = l.OS
	r.EOL = eolNow(l.EndOfLife, rq.now, L)
	r.Stale = rq.now.Sub(l.CollectedAt) > time.Duration(s.cfg.StaleDays)*24*time.Hour
	c := l.Coverage
	r.Missing = c.Missing()
	r.NotSurveyed = c.NotSurveyed
	r.Coverage = L.T("coverage.ratio", c.Collected, c.Sections()-c.NotApplicable)
	r.Partial = c.Partial
	r.F = l.Findings
	if h.entry != nil && h.err != nil {
		r.Unreadable = unreadable(L, *l)
	}
	if h.onMap != nil {
		r.Purpose = h.onMap.For
		r.Wave = h.onMap.Wave
	}
	return r
}

// keep applies the estate's filters to one host.
func keep(h *hostRow, r *estateRow, q url.Values, now time.Time) bool {
	if v := q.Get("group"); v != "" && h.Group != v {
		return false
	}
	if v := q.Get("os"); v != "" && r.OS != v {
		return false
	}
	if v := q.Get("eol"); v != "" && r.EOL.Class != v {
		return false
	}
	if v := q.Get("finding"); v != "" && (h.entry == nil || !slices.ContainsFunc(h.findings, func(f analyze.Finding) bool { return f.Key == v })) {
		return false
	}
	if v := q.Get("service"); v != "" && (h.entry == nil || !slices.Contains(h.services, v)) {
		return false
	}
	if v := q.Get("severity"); v != "" && !hasSeverity(r.F, v) {
		return false
	}
	if q.Get("inhibitors") != "" && r.F.Inhibitors == 0 {
		return false
	}
	if q.Get("gaps") != "" && r.Missing == 0 {
		return false
	}
	if v := q.Get("age"); v != "" {
		days, err := strconv.Atoi(v)
		if err == nil && r.Latest != nil && now.Sub(r.Latest.CollectedAt) <= time.Duration(days)*24*time.Hour {
			return false
		}
	}
	if v := strings.ToLower(strings.TrimSpace(q.Get("q"))); v != "" {
		hay := strings.ToLower(strings.Join(append([]string{h.Name, h.Hostname, h.FQDN, h.Group, r.OS}, r.Purpose...), " "))
		for _, word := range strings.Fields(v) {
			if !strings.Contains(hay, word) {
				return false
			}
		}
	}
	return true
}

func hasSeverity(f store.Severities, sev string) bool {
	switch sev {
	case "high":
		return f.High > 0
	case "medium":
		return f.Medium > 0
	case "low":
		return f.Low > 0
	case "info":
		return f.Info > 0
	}
	return true
}

// sortOf reads ?sort= and ?dir=.
func sortOf(q url.Values, def string) (string, bool) {
	return cmp.Or(q.Get("sort"), def), q.Get("dir") == "desc"
}

// columns makes the sort links of a table's columns.
func columns(q url.Values, key string, desc bool, L tr, cols []column) []column {
	for i := range cols {
		c := &cols[i]
		dir := "asc"
		if c.Key == key {
			c.Sort = "ascending"
			if desc {
				c.Sort = "descending"
			} else {
				dir = "desc"
			}
		}
		u := url.Values{}
		for k, v := range q {
			if k != "lang" {
				u[k] = v
			}
		}
		u.Set("sort", c.Key)
		u.Set("dir", dir)
		c.URL = "?" + u.Encode()
	}
	return cols
}

func sortEstate(rows []estateRow, key string, desc bool) {
	by := func(a, b estateRow) int {
		switch key {
		case "name":
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "group":
			return strings.Compare(a.Group, b.Group)
		case "os":
			return strings.Compare(a.OS, b.OS)
		case "eol":
			return eolOrder[a.EOL.Class] - eolOrder[b.EOL.Class]
		case "purpose":
			return strings.Compare(strings.Join(a.Purpose, " "), strings.Join(b.Purpose, " "))
		case "survey":
			return surveyTime(a).Compare(surveyTime(b))
		case "coverage":
			return a.Missing - b.Missing
		case "findings":
			return cmp.Or(a.F.High-b.F.High, a.F.Medium-b.F.Medium, a.F.Low-b.F.Low, a.F.Info-b.F.Info)
		case "inhibitors":
			return a.F.Inhibitors - b.F.Inhibitors
		case "wave":
			return a.Wave - b.Wave
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b estateRow) int {
		c := by(a, b)
		if desc {
			c = -c
		}
		// Ties keep the estate's order: by name.
		return cmp.Or(c, strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
}

func surveyTime(r estateRow) time.Time {
	if r.Latest == nil {
		return time.Time{}
	}
	return r.Latest.CollectedAt
}

// activeFilters lists the filters in force, each with the link that removes it.
func activeFilters(q url.Values, L tr) []activeFilter {
	var out []activeFilter
	for _, k := range estateFilters {
		v := q.Get(k)
		if v == "" {
			continue
		}
		shown := v
		switch k {
		case "eol":
			shown = L.T("eol.class." + v)
		case "severity":
			shown = L.T("severity." + v)
		case "inhibitors", "gaps":
			shown = L.T("filter.yes")
		case "age":
			shown = L.T("filter.age_days", v)
		}
		out = append(out, activeFilter{Label: L.T("filter." + k), Value: shown, Remove: queryWith(q, k, "")})
	}
	return out
}

// choices are the values the estate's filters offer, made once per state.
type choices struct {
	Groups   []string
	OSes     []string
	Findings []choice
	Services []choice
}

type choice struct {
	Value string
	N     int // hosts that have it
}

func (st *state) makeChoices() choices {
	var c choices
	findings, services := map[string]int{}, map[string]int{}
	for _, h := range st.hosts {
		if h.Group != "" && !slices.Contains(c.Groups, h.Group) {
			c.Groups = append(c.Groups, h.Group)
		}
		if h.Latest != nil && h.Latest.OS != "" && !slices.Contains(c.OSes, h.Latest.OS) {
			c.OSes = append(c.OSes, h.Latest.OS)
		}
		if h.entry == nil {
			continue
		}
		seen := map[string]bool{}
		for _, f := range h.findings {
			if !seen[f.Key] {
				seen[f.Key] = true
				findings[f.Key]++
			}
		}
		for _, sv := range h.services {
			services[sv]++
		}
	}
	slices.Sort(c.Groups)
	slices.Sort(c.OSes)
	c.Findings, c.Services = sortedChoices(findings), sortedChoices(services)
	return c
}

func sortedChoices(m map[string]int) []choice {
	out := make([]choice, 0, len(m))
	for v, n := range m {
		out = append(out, choice{v, n})
	}
	slices.SortFunc(out, func(a, b choice) int { return strings.Compare(a.Value, b.Value) })
	return out
}

// badge is a count of findings of one severity, in words and colour.
type badge struct{ Class, Text string }

// Badges says a host's findings by severity ("2 high", "1 medium"), leaving out
// the severities it has none of.
func (t tr) Badges(f store.Severities) []badge {
	var out []badge
	for _, s := range []struct {
		n   int
		sev string
	}{{f.High, "high"}, {f.Medium, "medium"}, {f.Low, "low"}, {f.Info, "info"}} {
		if s.n > 0 {
			out = append(out, badge{"sev-" + s.sev, t.T("badge."+s.sev, s.n)})
		}
	}
	return out
}
