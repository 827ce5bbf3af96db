package web

import (
	"cmp"
	"html"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/estate"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// Across the estate: the questions people ask during a migration, answered over
// every host's latest survey. Each answer is a table, sorted and filtered by
// query parameters like the estate's.

type question struct {
	key string
	// facet is the column a select filters by (zone, port, product ...).
	facet   string
	columns []string
	// numeric columns sort by number.
	numeric map[string]bool
	rows    func(a *asker) []answerRow
}

// asker is what answering reads: the estate, the language, the clock.
type asker struct {
	st  *state
	L   tr
	now time.Time
}

type answerRow struct {
	Host *hostRow
	// Cells are what the question's rows function makes, by column; cells the
	// same in the question's order, and hay their text in lower case, for the
	// filter by words.
	Cells map[string]cell
	cells []cell
	hay   string
}

type cell struct {
	Text  string
	URL   string
	Class string
	Title string
	Code  bool
	Sort  string // when the text does not sort by itself
}

func (c cell) key() string { return cmp.Or(c.Sort, c.Text) }

var questions = []question{
	{key: "shippers", facet: "shipper", columns: []string{"host", "group", "shipper", "running", "destination", "reaches", "source"}, rows: shipperRows},
	{key: "cron", facet: "zone", columns: []string{"host", "group", "user", "schedule", "command", "zone", "next", "source"}, rows: cronRows},
	{key: "listeners", facet: "port", columns: []string{"host", "group", "proto", "address", "port", "process"}, numeric: map[string]bool{"port": true}, rows: listenerRows},
	{key: "eol", facet: "product", columns: []string{"host", "group", "of", "product", "version", "ended"}, rows: eolRows},
	{key: "findings", facet: "key", columns: []string{"host", "group", "severity", "inhibitor", "key", "title"}, rows: findingRows},
}

func questionOf(key string) *question {
	for i := range questions {
		if questions[i].key == key {
			return &questions[i]
		}
	}
	return nil
}

type askIndexData struct {
	Questions []askLink
	Empty     bool
}

type askLink struct {
	URL, Title, Text string
	N                int
}

func (s *Server) askIndex(rq *request) (*page, error) {
	st, wait, err := s.whole(rq)
	if st == nil {
		return wait, err
	}
	a := &asker{st: st, L: rq.L, now: rq.now}
	d := &askIndexData{Empty: len(st.hosts) == 0}
	for _, q := range questions {
		d.Questions = append(d.Questions, askLink{URL: "/ask/" + q.key, Title: rq.L.T("ask." + q.key + ".title"),
			Text: rq.L.T("ask." + q.key + ".text"), N: len(q.rows(a))})
	}
	return &page{Template: "ask", Title: rq.L.T("ask.title"), Nav: "ask", Data: d}, nil
}

type answerData struct {
	Key, Intro string
	Empty      bool
	F          url.Values
	Groups     []string
	Facet      string
	FacetLabel string
	Facets     []choice
	Table      dataTable
	Total      int
	Shown      int
	More       string // the link that shows every row, when not all are
	Hosts      int
	Active     []activeFilter
	// Kinds lists every finding key, when the findings question was asked
	// without one.
	Kinds []kindRow
}

type kindRow struct {
	Key, Title, Severity, SeverityLabel, URL string
	Hosts                                    int
	Inhibitor                                bool
}

// answerLimit is how many rows an answer shows unless asked for all: the cron
// jobs of a thousand hosts are twenty thousand.
var answerLimit = 1000

func (s *Server) askPage(rq *request) (*page, error) {
	q := questionOf(rq.r.PathValue("question"))
	if q == nil {
		return nil, errNotFound
	}
	st, wait, err := s.whole(rq)
	if st == nil {
		return wait, err
	}
	L := rq.L
	v := rq.r.URL.Query()
	d := &answerData{Key: q.key, Intro: L.T("ask." + q.key + ".text"), Empty: len(st.hosts) == 0, F: v,
		Groups: st.choicesVal.Groups, Facet: q.facet, FacetLabel: L.T("ask.col." + q.facet)}
	p := &page{Template: "answer", Title: L.T("ask." + q.key + ".title"), Nav: "ask", Data: d}
	set := st.answers(q, &asker{st: st, L: L, now: rq.now})
	if q.key == "findings" && v.Get("key") == "" {
		d.Kinds = set.kinds
		return p, nil
	}
	d.Facets = set.facets
	col := map[string]int{}
	for i, c := range q.columns {
		col[c] = i
	}
	var rows []answerRow
	hosts := map[*hostRow]bool{}
	group, facet, words := v.Get("group"), v.Get(q.facet), strings.Fields(strings.ToLower(v.Get("q")))
	for _, r := range set.rows {
		if group != "" && r.Host.Group != group || facet != "" && r.cells[col[q.facet]].Text != facet || !containsAll(r.hay, words) {
			continue
		}
		rows = append(rows, r)
		hosts[r.Host] = true
	}
	d.Total, d.Hosts = len(rows), len(hosts)
	key, desc := sortOf(v, "host")
	if _, ok := col[key]; !ok {
		key = "host"
	}
	k := col[key]
	slices.SortStableFunc(rows, func(a, b answerRow) int {
		var c int
		if q.numeric[key] {
			x, _ := strconv.Atoi(a.cells[k].key())
			y, _ := strconv.Atoi(b.cells[k].key())
			c = x - y
		} else {
			c = strings.Compare(a.cells[k].key(), b.cells[k].key())
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.cells[0].key(), b.cells[0].key()))
	})
	var cols []column
	for _, c := range q.columns {
		cols = append(cols, column{Key: c, Label: L.T("ask.col." + c), Numeric: q.numeric[c]})
	}
	d.Table.Columns = columns(v, key, desc, L, cols)
	if len(rows) > answerLimit && v.Get("all") == "" {
		rows = rows[:answerLimit]
		d.More = queryWith(v, "all", "1")
	}
	d.Shown = len(rows)
	d.Table.ID, d.Table.Class, d.Table.Rows = "answer", "data", answerRowsHTML(rows)
	for _, k := range []string{"group", q.facet, "q"} {
		if val := v.Get(k); val != "" {
			label := L.T("filter." + k)
			if k == q.facet {
				label = d.FacetLabel
			}
			d.Active = append(d.Active, activeFilter{Label: label, Value: val, Remove: queryWith(v, k, "")})
		}
	}
	return p, nil
}

func containsAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// answerSet is a question answered over the whole estate in one language,
// made once per state and day (what is past its end of life changes with the
// date).
type answerSet struct {
	rows   []answerRow
	facets []choice
	kinds  []kindRow
}

// answers gives q's answer over the state, made on first use.
func (st *state) answers(q *question, a *asker) *answerSet {
	key := q.key + "/" + a.L.lang + "/" + a.now.UTC().Format("2006-01-02")
	st.answerMu.Lock()
	defer st.answerMu.Unlock()
	if set, ok := st.answerSets[key]; ok {
		return set
	}
	set := &answerSet{}
	facets := map[string]int{}
	for _, r := range q.rows(a) {
		r.cells = make([]cell, len(q.columns))
		var hay strings.Builder
		for i, c := range q.columns {
			r.cells[i] = r.Cells[c]
			hay.WriteString(strings.ToLower(r.Cells[c].Text) + " ")
		}
		r.hay = hay.String()
		facets[r.Cells[q.facet].Text]++
		set.rows = append(set.rows, r)
	}
	set.facets = sortedChoices(facets)
	if q.key == "findings" {
		set.kinds = findingKinds(set.rows, a.L)
	}
	if st.answerSets == nil {
		st.answerSets = map[string]*answerSet{}
	}
	st.answerSets[key] = set
	return set
}

// answerRowsHTML writes an answer's rows by hand, as estateRows writes the
// estate's and for the same reason; the first cell heads its row. Every text
// passes esc, in element content or a double-quoted attribute.
func answerRowsHTML(rows []answerRow) template.HTML {
	var b strings.Builder
	esc := html.EscapeString
	for _, r := range rows {
		b.WriteString("<tr>\n")
		for i, c := range r.cells {
			open, end := "<td", "</td>\n"
			if i == 0 {
				open, end = `<th scope="row"`, "</th>\n"
			}
			b.WriteString(open)
			if c.Class != "" {
				b.WriteString(` class="` + esc(c.Class) + `"`)
			}
			b.WriteString(">")
			if c.URL != "" {
				b.WriteString(`<a href="` + esc(c.URL) + `">`)
			}
			switch {
			case c.Code:
				b.WriteString("<code")
				if c.Title != "" {
					b.WriteString(` title="` + esc(c.Title) + `"`)
				}
				b.WriteString(">" + esc(c.Text) + "</code>")
			case c.Title != "":
				b.WriteString(`<span title="` + esc(c.Title) + `">` + esc(c.Text) + "</span>")
			default:
				b.WriteString(esc(c.Text))
			}
			if c.URL != "" {
				b.WriteString("</a>")
			}
			b.WriteString(end)
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// hostCells are the two columns every answer starts with.
func hostCells(h *hostRow) map[string]cell {
	return map[string]cell{"host": {Text: h.Name, URL: hostURL(h.Name)}, "group": {Text: h.Group}}
}

// each calls f for every host whose latest survey was read.
func (a *asker) each(f func(h *hostRow, s *snapshot.Snapshot)) {
	for _, h := range a.st.hosts {
		if h.entry != nil && h.snap != nil {
			f(h, h.snap)
		}
	}
}

func shipperRows(a *asker) []answerRow {
	// Where the map found each destination: a host of the estate, or outside.
	type via struct{ host, named string }
	reaches := map[via]estate.End{}
	for _, e := range a.st.m.Edges {
		for _, ev := range e.Evidence {
			if ev.Via == "log_shipper" {
				reaches[via{ev.Host, ev.Named}] = e.To
			}
		}
	}
	end := endNames(a.st.m)
	var out []answerRow
	a.each(func(h *hostRow, s *snapshot.Snapshot) {
		for _, sh := range s.Logs.Shippers {
			running := cell{Text: a.L.T("value.unknown"), Class: "muted"}
			if sh.Running != nil {
				running = cell{Text: a.L.T("value.no"), Class: "warn-text"}
				if *sh.Running {
					running = cell{Text: a.L.T("value.yes")}
				}
			}
			dests := sh.Destinations
			if len(dests) == 0 {
				dests = []snapshot.Endpoint{{}}
			}
			for _, dst := range dests {
				r := answerRow{Host: h, Cells: hostCells(h)}
				r.Cells["shipper"] = cell{Text: sh.Name}
				r.Cells["running"] = running
				r.Cells["source"] = cell{Text: cmp.Or(dst.Source, firstOf(sh.Configs)), Code: true}
				if dst.Host == "" {
					r.Cells["destination"] = cell{Text: a.L.T("ask.no_destination"), Class: "warn-text"}
				} else {
					r.Cells["destination"] = cell{Text: endpoint(dst), Code: true}
					if h.onMap != nil {
						if to, ok := reaches[via{h.onMap.ID, dst.Host}]; ok {
							l := end(to)
							c := cell{Text: l.Text, URL: l.URL}
							if !to.Known {
								c.Text, c.Class = a.L.T("ask.outside", l.Text), "warn-text"
							}
							r.Cells["reaches"] = c
						}
					}
				}
				out = append(out, r)
			}
		}
	})
	return out
}

func endpoint(e snapshot.Endpoint) string {
	s := e.Host
	if e.Port > 0 {
		s += ":" + strconv.Itoa(e.Port)
	}
	if e.Proto != "" {
		s += " (" + e.Proto + ")"
	}
	return s
}

func firstOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func cronRows(a *asker) []answerRow {
	var out []answerRow
	a.each(func(h *hostRow, s *snapshot.Snapshot) {
		for _, j := range s.CronJobs {
			r := answerRow{Host: h, Cells: hostCells(h)}
			r.Cells["user"] = cell{Text: j.User}
			r.Cells["schedule"] = cell{Text: j.Schedule, Code: true, Class: "nowrap"}
			r.Cells["command"] = cell{Text: j.Command, Code: true}
			zone := cell{Text: j.Zone, Title: j.ZoneNote}
			if j.Zone == "" {
				zone = cell{Text: a.L.T("value.unknown"), Class: "muted", Title: j.ZoneNote}
			} else if j.ZoneNote != "" {
				zone.Class = "warn-text"
			}
			r.Cells["zone"] = zone
			if len(j.NextRuns) > 0 {
				next := j.NextRuns[0]
				r.Cells["next"] = cell{Text: inZone(next, j.Zone), Sort: next.UTC().Format(time.RFC3339), Title: a.L.Stamp(next), Class: "nowrap"}
			}
			src := j.Source
			if j.Line > 0 {
				src += ":" + strconv.Itoa(j.Line)
			}
			if j.Disabled {
				r.Cells["schedule"] = cell{Text: j.Schedule + " (" + a.L.T("ask.disabled") + ")", Code: true, Class: "nowrap muted"}
			}
			r.Cells["source"] = cell{Text: src, Code: true}
			out = append(out, r)
		}
	})
	return out
}

// inZone writes an instant in the zone a job fires in, as a reader of that
// host's crontab thinks of it.
func inZone(t time.Time, zone string) string {
	if loc, err := time.LoadLocation(zone); err == nil && zone != "" {
		return t.In(loc).Format("2006-01-02 15:04 MST")
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// allInterfaces are the addresses a listener on every interface shows.
var allInterfaces = []string{"0.0.0.0", "::", "*", "[::]", ""}

func listenerRows(a *asker) []answerRow {
	var out []answerRow
	a.each(func(h *hostRow, s *snapshot.Snapshot) {
		for _, l := range s.Listeners {
			if !slices.Contains(allInterfaces, l.Address) {
				continue
			}
			r := answerRow{Host: h, Cells: hostCells(h)}
			r.Cells["proto"] = cell{Text: l.Proto}
			r.Cells["address"] = cell{Text: cmp.Or(l.Address, "*"), Code: true}
			r.Cells["port"] = cell{Text: strconv.Itoa(l.Port)}
			r.Cells["process"] = cell{Text: strings.TrimSpace(strings.Join(uniq(l.Service, l.Process), " · "))}
			out = append(out, r)
		}
	})
	return out
}

func uniq(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func eolRows(a *asker) []answerRow {
	var out []answerRow
	a.each(func(h *hostRow, s *snapshot.Snapshot) {
		for _, e := range s.EndOfLife {
			v := eolNow(storeEOL(e), a.now, a.L)
			if v.Class != "ended" {
				continue
			}
			r := answerRow{Host: h, Cells: hostCells(h)}
			of := a.L.T("ask.of_middleware", e.Of)
			if e.Of == "os" {
				of = a.L.T("ask.of_os")
			}
			r.Cells["of"] = cell{Text: of}
			r.Cells["product"] = cell{Text: e.Product}
			r.Cells["version"] = cell{Text: cmp.Or(e.Version, e.Cycle), Code: true}
			r.Cells["ended"] = cell{Text: v.Text, Class: "eol eol-ended", Sort: e.EOL}
			out = append(out, r)
		}
	})
	return out
}

func findingRows(a *asker) []answerRow {
	var out []answerRow
	a.each(func(h *hostRow, _ *snapshot.Snapshot) {
		for _, f := range h.findings {
			f = analyze.Localize(f, a.L.lang)
			r := answerRow{Host: h, Cells: hostCells(h)}
			r.Cells["severity"] = cell{Text: a.L.T("severity." + string(f.Severity)), Class: "sev " + severityClass(string(f.Severity)),
				Sort: strconv.Itoa(severityRank(string(f.Severity)))}
			if f.Inhibitor {
				r.Cells["inhibitor"] = cell{Text: a.L.T("value.inhibitor"), Class: "tag bad"}
			}
			r.Cells["key"] = cell{Text: f.Key, Code: true, Title: f.ID()}
			r.Cells["title"] = cell{Text: f.Title, URL: hostURL(h.Name) + "#findings-" + string(f.Severity)}
			out = append(out, r)
		}
	})
	return out
}

func severityRank(s string) int {
	return map[string]int{"high": 0, "medium": 1, "low": 2, "info": 3}[s]
}

// findingKinds lists every finding key with how many hosts have it, the most
// severe first.
func findingKinds(rows []answerRow, L tr) []kindRow {
	byKey := map[string]*kindRow{}
	hosts := map[string]map[*hostRow]bool{}
	for _, r := range rows {
		k := r.Cells["key"].Text
		kr, ok := byKey[k]
		if !ok {
			sev := r.Cells["severity"]
			kr = &kindRow{Key: k, Title: r.Cells["title"].Text, SeverityLabel: sev.Text, Severity: strings.TrimPrefix(sev.Class, "sev "),
				URL: "/ask/findings?key=" + url.QueryEscape(k)}
			byKey[k], hosts[k] = kr, map[*hostRow]bool{}
		}
		kr.Inhibitor = kr.Inhibitor || r.Cells["inhibitor"].Text != ""
		hosts[k][r.Host] = true
	}
	var out []kindRow
	for k, kr := range byKey {
		kr.Hosts = len(hosts[k])
		out = append(out, *kr)
	}
	slices.SortFunc(out, func(a, b kindRow) int {
		return cmp.Or(severityRank(strings.TrimPrefix(a.Severity, "sev-"))-severityRank(strings.TrimPrefix(b.Severity, "sev-")),
			b.Hosts-a.Hosts, strings.Compare(a.Key, b.Key))
	})
	return out
}

func storeEOL(e snapshot.EndOfLife) store.EOLSummary {
	return store.EOLSummary{Status: e.Status, Date: e.EOL}
}
