package web

import (
	"bytes"
	"cmp"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/diff"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// The host page: the handover document (trowel report's, in the page's
// language), above it what the team needs around it: the findings at a glance,
// notes, each survey with what changed, the last verify runs, the downloads,
// and how to survey the host again.

type hostData struct {
	Host      store.Host
	URL       string
	Survey    store.SurveyInfo // the survey shown
	IsLatest  bool
	Latest    store.SurveyInfo
	EOL       eolView
	Purpose   []string
	Wave      int
	Findings  []findingRow
	Badges    []badge
	History   []historyRow
	Change    *changeSummary
	Notes     []store.Note
	NoteError string
	// Unreadable says why the survey shown could not be read.
	Unreadable string
	Verify     verifyPanel
	Files      []fileLink
	Targets    []string
	Again      string // the command that surveys the host again
	Document   template.HTML
}

type findingRow struct {
	Severity, SeverityLabel string
	Inhibitor               bool
	Title, ID               string
}

type historyRow struct {
	Info     store.SurveyInfo
	URL      string
	Shown    bool
	Delta    string // findings since the previous survey: "+2 high, −1 low"
	Changes  string // the link to what changed since the previous one
	Coverage string
}

type changeSummary struct {
	From, To   store.SurveyInfo
	Counts     diff.Counts
	Items      []string
	More       int
	URL        string
	Identical  bool
	Unreadable string
}

type fileLink struct{ Label, URL, Note string }

// changeItems is how many differences the host page lists before linking to
// the whole comparison.
const changeItems = 8

func (s *Server) hostPage(rq *request) (*page, error) {
	ctx := rq.r.Context()
	name := rq.r.PathValue("name")
	h, hist, err := s.cfg.Store.History(ctx, name)
	if err != nil {
		return nil, err
	}
	if h.Name != name {
		// A short name or host name found it: the page has one address.
		target := hostURL(h.Name) + strings.TrimPrefix(rq.r.URL.Path, hostURL(name))
		if rq.r.URL.RawQuery != "" {
			target += "?" + rq.r.URL.RawQuery
		}
		http.Redirect(rq.w, rq.r, target, http.StatusMovedPermanently)
		return nil, nil
	}
	L := rq.L
	d := &hostData{Host: h, URL: hostURL(h.Name), NoteError: noteError(rq)}
	p := &page{Template: "host", Title: h.Name, Nav: "estate", Data: d}
	if len(hist) == 0 {
		return p, nil
	}
	order := byCollection(hist)
	d.Latest = order[len(order)-1]
	d.Survey = d.Latest
	if v := rq.r.PathValue("seq"); v != "" {
		seq, err := strconv.Atoi(v)
		i := slices.IndexFunc(hist, func(i store.SurveyInfo) bool { return i.Seq == seq })
		if err != nil || i < 0 {
			return nil, &notFound{L.T("host.no_survey", h.Name, v)}
		}
		d.Survey = hist[i]
	}
	d.IsLatest = d.Survey.ID == d.Latest.ID
	if !d.IsLatest {
		p.Title = d.Survey.Ref()
	}
	d.EOL = eolNow(d.Survey.EndOfLife, rq.now, L)
	if st, err := s.idx.current(ctx); err == nil {
		if row := st.row(h.Name); row != nil && row.onMap != nil {
			d.Purpose, d.Wave = row.onMap.For, row.onMap.Wave
		}
	}
	d.History = historyRows(order, d.Survey, L)
	if d.Notes, err = s.cfg.Store.Notes(ctx, h.Name, 0); err != nil {
		return nil, err
	}
	d.Verify = s.verifyPanel(rq, h.Name)
	d.Again = surveyAgain(d.Survey, h)
	snap, err := s.cfg.Store.Snapshot(ctx, d.Survey)
	if err != nil {
		s.log.Printf("reading %s: %v", d.Survey.Ref(), err)
		d.Unreadable = unreadable(L, d.Survey)
		return p, nil
	}
	findings := analyze.Analyze(snap, L.lang)
	for _, f := range findings {
		d.Findings = append(d.Findings, findingRow{Severity: string(f.Severity), SeverityLabel: L.T("severity." + string(f.Severity)),
			Inhibitor: f.Inhibitor, Title: f.Title, ID: f.ID()})
	}
	d.Badges = L.Badges(d.Survey.Findings)
	var doc bytes.Buffer
	if err := report.HTMLFragment(&doc, report.Handover(snap, findings, L.lang)); err != nil {
		return nil, err
	}
	d.Document = template.HTML(doc.String()) // report escapes every text it writes
	if prev := previous(order, d.Survey); prev != nil {
		d.Change = s.changeSummary(rq, *prev, d.Survey, snap)
	}
	d.Files = fileLinks(d.Survey, L)
	d.Targets = targetNames()
	return p, nil
}

// unreadable says why a stored survey could not be read, in words fit for a
// page: a snapshot of another schema version says which (a newer trowel reads
// it); anything else (a damaged blob, the database) is for the server's log.
func unreadable(L tr, sv store.SurveyInfo) string {
	if sv.SchemaVersion != snapshot.SchemaVersion {
		return L.T("survey.other_schema", sv.SchemaVersion, snapshot.SchemaVersion)
	}
	return L.T("survey.unreadable")
}

// byCollection orders a host's surveys as they were collected (the store
// numbers them as they were recorded; a snapshot may be recorded late).
func byCollection(hist []store.SurveyInfo) []store.SurveyInfo {
	order := slices.Clone(hist)
	slices.SortStableFunc(order, func(a, b store.SurveyInfo) int {
		return cmp.Or(a.CollectedAt.Compare(b.CollectedAt), a.Seq-b.Seq)
	})
	return order
}

// previous is the survey collected before this one, nil for the first.
func previous(order []store.SurveyInfo, of store.SurveyInfo) *store.SurveyInfo {
	i := slices.IndexFunc(order, func(s store.SurveyInfo) bool { return s.ID == of.ID })
	if i <= 0 {
		return nil
	}
	return &order[i-1]
}

// historyRows lists the surveys, the newest first, each with how its findings
// moved since the one before.
func historyRows(order []store.SurveyInfo, shown store.SurveyInfo, L tr) []historyRow {
	rows := make([]historyRow, 0, len(order))
	for i, sv := range order {
		r := historyRow{Info: sv, URL: hostURL(sv.Host) + "/surveys/" + strconv.Itoa(sv.Seq), Shown: sv.ID == shown.ID}
		c := sv.Coverage
		r.Coverage = L.T("coverage.collected", c.Collected, c.Sections()-c.NotApplicable)
		if i > 0 {
			r.Delta = findingsDelta(order[i-1].Findings, sv.Findings, L)
			r.Changes = r.URL + "/changes"
		}
		rows = append(rows, r)
	}
	slices.Reverse(rows)
	return rows
}

func findingsDelta(a, b store.Severities, L tr) string {
	var parts []string
	for _, s := range []struct {
		sev string
		d   int
	}{{"high", b.High - a.High}, {"medium", b.Medium - a.Medium}, {"low", b.Low - a.Low}, {"info", b.Info - a.Info}} {
		switch {
		case s.d > 0:
			parts = append(parts, "+"+L.T("badge."+s.sev, s.d))
		case s.d < 0:
			parts = append(parts, "−"+L.T("badge."+s.sev, -s.d))
		}
	}
	if len(parts) == 0 {
		return L.T("history.same_findings")
	}
	return strings.Join(parts, ", ")
}

// changeSummary compares the survey shown with the one before it: the counts,
// and the first differences in words.
func (s *Server) changeSummary(rq *request, from, to store.SurveyInfo, toSnap *snapshot.Snapshot) *changeSummary {
	c := &changeSummary{From: from, To: to, URL: hostURL(to.Host) + "/surveys/" + strconv.Itoa(to.Seq) + "/changes"}
	old, err := s.cfg.Store.Snapshot(rq.r.Context(), from)
	if err != nil {
		c.Unreadable = err.Error()
		return c
	}
	r := diff.Compare(old, toSnap)
	c.Counts = r.Counts
	c.Identical = !r.HasDifferences()
	for i, d := range r.Differences {
		if i == changeItems {
			c.More = len(r.Differences) - i
			break
		}
		c.Items = append(c.Items, differenceLine(d, rq.L))
	}
	return c
}

func differenceLine(d diff.Difference, L tr) string {
	line := L.T("diff."+string(d.Kind)) + " · " + string(d.Concern) + ": " + d.Item
	if d.Kind == diff.Changed {
		line += " (" + d.Field + ": " + cmp.Or(d.Old, "—") + " → " + cmp.Or(d.New, "—") + ")"
	}
	return line
}

// fileLinks are the downloads made from a survey.
func fileLinks(sv store.SurveyInfo, L tr) []fileLink {
	base := hostURL(sv.Host) + "/surveys/" + strconv.Itoa(sv.Seq) + "/files/"
	var out []fileLink
	for _, f := range []string{"report.html", "report.md", "snapshot.json", "spec.yaml", "goss.yaml"} {
		out = append(out, fileLink{Label: L.T("file." + f), URL: base + f, Note: f})
	}
	return out
}

// surveyAgain is the command that surveys the host again the way it was
// surveyed, for the person at a terminal (the web surveys nothing itself).
func surveyAgain(sv store.SurveyInfo, h store.Host) string {
	var target string
	switch sv.SourceKind {
	case "ssh":
		target = "ssh://" + sv.SourceTarget
	case "local":
		target = "local"
	case "root", "bundle":
		target = sv.SourceTarget
	default:
		target = cmp.Or(h.FQDN, h.Hostname, h.Name)
	}
	cmd := "trowel survey " + shellQuote(target)
	if sv.Privileged && sv.SourceKind == "ssh" && !strings.HasPrefix(sv.SourceTarget, "root@") {
		cmd += " --sudo"
	}
	return cmd
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func noteError(rq *request) string {
	switch rq.r.URL.Query().Get("note") {
	case "empty":
		return rq.L.T("notes.empty")
	case "long":
		return rq.L.T("notes.long", store.MaxNote)
	case "sign-in":
		return rq.L.T("notes.sign_in")
	}
	return ""
}

// addNote writes a note about a host: it needs the token (a signed-in browser),
// and the guard has checked the form's CSRF token.
func (s *Server) addNote(w http.ResponseWriter, r *http.Request) {
	s.page(func(rq *request) (*page, error) {
		h, err := s.cfg.Store.FindHost(r.Context(), r.PathValue("name"))
		if err != nil {
			return nil, err
		}
		back := hostURL(h.Name)
		if !rq.who.OK {
			http.Redirect(w, r, back+"?note=sign-in#host-notes", http.StatusSeeOther)
			return nil, nil
		}
		_, err = s.cfg.Store.AddNote(r.Context(), h.Name, r.PostFormValue("text"), s.operator(rq, ""))
		switch {
		case errors.Is(err, store.ErrEmptyNote):
			back += "?note=empty"
		case errors.Is(err, store.ErrLongNote):
			back += "?note=long"
		case err != nil:
			return nil, err
		}
		http.Redirect(w, r, back+"#host-notes", http.StatusSeeOther)
		return nil, nil
	})(w, r)
}

// changesPage compares a survey with the one collected before it (or, with
// ?with=N, with that survey of the host): trowel diff's document.
func (s *Server) changesPage(rq *request) (*page, error) {
	ctx := rq.r.Context()
	L := rq.L
	h, hist, err := s.cfg.Store.History(ctx, rq.r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	find := func(v string) *store.SurveyInfo {
		seq, err := strconv.Atoi(v)
		if err != nil {
			return nil
		}
		if i := slices.IndexFunc(hist, func(i store.SurveyInfo) bool { return i.Seq == seq }); i >= 0 {
			return &hist[i]
		}
		return nil
	}
	to := find(rq.r.PathValue("seq"))
	if to == nil {
		return nil, &notFound{L.T("host.no_survey", h.Name, rq.r.PathValue("seq"))}
	}
	from := previous(byCollection(hist), *to)
	if v := rq.r.URL.Query().Get("with"); v != "" {
		if from = find(v); from == nil {
			return nil, &notFound{L.T("host.no_survey", h.Name, v)}
		}
	}
	d := &changesData{Host: h, To: *to, HostURL: hostURL(h.Name), Surveys: byCollection(hist)}
	p := &page{Template: "changes", Title: L.T("changes.title", to.Ref()), Nav: "estate", Data: d}
	if from == nil {
		return p, nil
	}
	d.From = from
	oldSnap, err := s.cfg.Store.Snapshot(ctx, *from)
	if err != nil {
		return nil, err
	}
	newSnap, err := s.cfg.Store.Snapshot(ctx, *to)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := report.HTMLFragment(&b, diff.Document(diff.Compare(oldSnap, newSnap), L.lang, rq.now)); err != nil {
		return nil, err
	}
	d.Document = template.HTML(b.String()) // report escapes every text it writes
	return p, nil
}

type changesData struct {
	Host     store.Host
	HostURL  string
	From     *store.SurveyInfo
	To       store.SurveyInfo
	Surveys  []store.SurveyInfo
	Document template.HTML
}

// refFile is a file name made of a survey's reference: legacy.example.com@3.
func refFile(sv store.SurveyInfo, suffix string) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == '/' || r == '\\' || r == '"' || r == 0x7f {
			return '_'
		}
		return r
	}, sv.Ref())
	return name + suffix
}

// contentDisposition offers a file for download under its name, in ASCII for
// old clients and UTF-8 for the rest.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r > 0x7e || r < 0x20 || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(name)
}
