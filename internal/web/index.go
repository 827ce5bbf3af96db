package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/estate"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// index keeps what the pages about the whole estate read: every host's latest
// survey (its summary row, a lean copy of its snapshot, its findings) and the
// map built from them. It is made again only when the store's Mark moves (a
// survey was recorded), and then decodes only the surveys it has not seen:
// the estate page and the map do not decode a thousand snapshots per request.
type index struct {
	st  *store.Store
	cur atomic.Pointer[state]
	mu  sync.Mutex // held while a state is made; readers keep the one they have
	// seen are the decoded latest surveys, by survey ID, kept from one state to
	// the next.
	seen map[int64]*entry
	// building is set while a state is made in the background; toRead and
	// read count its surveys, for the estate page to say how far it is.
	building     atomic.Bool
	toRead, done atomic.Int64
	logf         func(format string, args ...any)
}

func newIndex(st *store.Store, logf func(string, ...any)) *index {
	return &index{st: st, seen: map[int64]*entry{}, logf: logf}
}

// state is the estate at one Mark. It is never changed once made, except for
// the drawings and documents made from it on first use.
type state struct {
	mark string
	// partial marks a state made for one request while the whole one is made
	// in the background (see current); pending counts its surveys not read yet.
	partial bool
	pending int
	hosts   []*hostRow // as the store lists them: by name
	byKey   map[string]*hostRow
	m       *estate.Map
	// unreadable counts the hosts whose latest survey could not be read.
	unreadable int

	drawings   [2]lazy // by language: the map's SVG
	mapDocs    [2]lazy // by language: the map's document
	waveLists  [2]lazy // by language: the map page's list of waves
	choicesVal choices
	answerMu   sync.Mutex
	answerSets map[string]*answerSet // by question, language and day
}

// lazy is markup made from a state on first use, once. It is kept as a string:
// a page takes it as template.HTML without copying it.
type lazy struct {
	once sync.Once
	val  string
	err  error
}

func (l *lazy) get(make func() ([]byte, error)) (string, error) {
	l.once.Do(func() {
		b, err := make()
		l.val, l.err = string(b), err
	})
	return l.val, l.err
}

// hostRow is one host of the estate: the store's row with its latest survey,
// and what the index read from that survey.
type hostRow struct {
	store.Host
	*entry
	// onMap is the host on the map; nil when its snapshot could not be read.
	onMap *estate.Host
}

// entry is what the index reads of one survey.
type entry struct {
	snap     *snapshot.Snapshot // lean (see lean); nil when unreadable
	findings []analyze.Finding  // in English
	services []string           // the names of its services, sorted
	err      error              // why the survey could not be read
}

// view gives the state for the store as it is now, making it if a survey was
// recorded since the last one.
func (x *index) view(ctx context.Context) (*state, error) {
	mark, err := x.st.Mark(ctx)
	if err != nil {
		return nil, err
	}
	if cur := x.cur.Load(); cur != nil && cur.mark == mark {
		return cur, nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if cur := x.cur.Load(); cur != nil && cur.mark == mark {
		return cur, nil
	}
	st, err := x.make(ctx, mark)
	if err != nil {
		return nil, err
	}
	x.cur.Store(st)
	return st, nil
}

// current gives the state for the store as it is now when there is one; else
// it has one made in the background and gives a partial state at once: the
// hosts as the store lists them now, with what the last state read of the
// surveys it already had (what each is for, its findings, its wave). So the
// estate page answers at once while a thousand surveys are read at start, or
// while a fleet's surveys are being recorded.
func (x *index) current(ctx context.Context) (*state, error) {
	mark, err := x.st.Mark(ctx)
	if err != nil {
		return nil, err
	}
	cur := x.cur.Load()
	if cur != nil && cur.mark == mark {
		return cur, nil
	}
	if x.building.CompareAndSwap(false, true) {
		go func() {
			defer x.building.Store(false)
			if _, err := x.view(context.Background()); err != nil {
				x.logf("reading the estate: %v", err)
			}
		}()
	}
	hosts, err := x.st.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	st := &state{mark: mark, partial: true, byKey: map[string]*hostRow{}, m: &estate.Map{}}
	prev := map[int64]*hostRow{}
	if cur != nil {
		st.m = cur.m
		for _, h := range cur.hosts {
			if h.Latest != nil {
				prev[h.Latest.ID] = h
			}
		}
	}
	for i := range hosts {
		h := &hostRow{Host: hosts[i]}
		if l := h.Latest; l != nil {
			if p := prev[l.ID]; p != nil {
				h.entry, h.onMap = p.entry, p.onMap
				if h.err != nil {
					st.unreadable++
				}
			} else {
				st.pending++
			}
		}
		st.hosts = append(st.hosts, h)
		st.byKey[strings.ToLower(h.Name)] = h
	}
	st.choicesVal = st.makeChoices()
	return st, nil
}

// readyWait is how long a page that needs every survey read waits for them
// before it says it is being prepared.
const readyWait = 1500 * time.Millisecond

// whole gives the state for the store as it is now, for a page that needs
// every survey read (the map, the questions across the estate). It waits a
// moment for the state being made; past that it gives instead a page that says
// how far the reading is and reloads itself.
func (s *Server) whole(rq *request) (*state, *page, error) {
	ctx := rq.r.Context()
	deadline := time.Now().Add(readyWait)
	for {
		st, err := s.idx.current(ctx)
		if err != nil || !st.partial {
			return st, nil, err
		}
		if time.Now().After(deadline) {
			done, of := s.idx.progress()
			return nil, &page{Template: "preparing", Title: rq.L.T("preparing.title"), Refresh: 3,
				Data: preparingData{Pending: st.pending, Read: done, ToRead: of}}, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type preparingData struct {
	Pending      int
	Read, ToRead int64
}

// progress says how many of the surveys being read have been.
func (x *index) progress() (done, of int64) { return x.done.Load(), x.toRead.Load() }

// make reads the hosts and the surveys not seen yet, and builds the map.
func (x *index) make(ctx context.Context, mark string) (*state, error) {
	hosts, err := x.st.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	st := &state{mark: mark, byKey: map[string]*hostRow{}}
	var todo []*store.SurveyInfo
	seen := map[int64]*entry{}
	for i := range hosts {
		h := &hostRow{Host: hosts[i]}
		st.hosts = append(st.hosts, h)
		st.byKey[strings.ToLower(h.Name)] = h
		if l := h.Latest; l != nil {
			if e, ok := x.seen[l.ID]; ok {
				seen[l.ID] = e
			} else {
				todo = append(todo, l)
			}
		}
	}
	x.toRead.Store(int64(len(todo)))
	x.done.Store(0)
	if err := x.read(ctx, todo, seen); err != nil {
		return nil, err
	}
	x.seen = seen
	var named []estate.Named
	var rows []*hostRow
	for _, h := range st.hosts {
		if h.Latest == nil {
			continue
		}
		h.entry = seen[h.Latest.ID]
		if h.snap == nil {
			st.unreadable++
			continue
		}
		named = append(named, estate.Named{Name: h.Name, Group: h.Group, Snapshot: h.snap})
		rows = append(rows, h)
	}
	st.m = estate.Build(named)
	// The map keeps its hosts in the order given.
	for i := range st.m.Hosts {
		rows[i].onMap = &st.m.Hosts[i]
	}
	st.choicesVal = st.makeChoices()
	return st, nil
}

// read decodes surveys a few at a time (a thousand at first, then the few
// recorded since).
func (x *index) read(ctx context.Context, todo []*store.SurveyInfo, into map[int64]*entry) error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan *store.SurveyInfo)
	for range min(runtime.GOMAXPROCS(0), 4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for info := range work {
				e := x.decode(ctx, info)
				mu.Lock()
				into[info.ID] = e
				mu.Unlock()
				x.done.Add(1)
			}
		}()
	}
	for _, info := range todo {
		if ctx.Err() != nil {
			break
		}
		work <- info
	}
	close(work)
	wg.Wait()
	return ctx.Err()
}

func (x *index) decode(ctx context.Context, info *store.SurveyInfo) *entry {
	doc, err := x.st.SnapshotJSON(ctx, *info)
	if err != nil {
		return &entry{err: err}
	}
	snap, err := decodeLean(doc)
	if err != nil {
		return &entry{err: fmt.Errorf("%s: the stored snapshot is unreadable: %w", info.Ref(), err)}
	}
	doc, err = x.st.FindingsJSON(ctx, *info)
	if err != nil {
		return &entry{err: err}
	}
	findings, err := decodeLeanFindings(doc)
	if err != nil {
		return &entry{err: fmt.Errorf("%s: the stored findings are unreadable: %w", info.Ref(), err)}
	}
	e := &entry{snap: snap, findings: findings}
	for _, sv := range snap.Services {
		if !slices.Contains(e.services, sv.Name) {
			e.services = append(e.services, sv.Name)
		}
	}
	slices.Sort(e.services)
	return e
}

// lean is a snapshot as the index decodes it: what neither the map nor the
// questions across the estate read (packages, processes, accounts, kernel
// parameters, answers, the evidence list, config files' contents) is skipped
// by the decoder rather than built, so a thousand hosts are read in seconds and
// fit in memory. (A field of lean hides the embedded Snapshot's of the same
// JSON name.) The host page reads the whole snapshot. TestLeanMapsTheSame holds
// the map of lean snapshots to the map of whole ones.
type lean struct {
	snapshot.Snapshot
	Packages  skipped   `json:"packages"`
	Processes skipped   `json:"processes"`
	Accounts  skipped   `json:"accounts"`
	Kernel    skipped   `json:"kernel"`
	Answers   skipped   `json:"answers"`
	Evidence  skipped   `json:"evidence"`
	Files     leanFiles `json:"files"`
}

type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// leanFiles keeps of the config files what the map asks (is a cron file the
// admin's own?): their path and state.
type leanFiles struct {
	Configs []struct {
		Path  string `json:"path"`
		State string `json:"state"`
	} `json:"configs"`
}

// leanFinding is a finding as the index decodes it: what the estate and the
// questions say of it (its key, severity, title, and the values Localize tells
// it again from), not the paragraphs the host page's document reads.
type leanFinding struct {
	analyze.Finding
	Summary     skipped `json:"summary"`
	Facts       skipped `json:"facts"`
	Remediation skipped `json:"remediation"`
}

func decodeLeanFindings(doc []byte) ([]analyze.Finding, error) {
	var lf []leanFinding
	if err := json.Unmarshal(doc, &lf); err != nil {
		return nil, err
	}
	out := make([]analyze.Finding, len(lf))
	for i, f := range lf {
		out[i] = f.Finding
	}
	return out, nil
}

func decodeLean(doc []byte) (*snapshot.Snapshot, error) {
	var l lean
	if err := json.Unmarshal(doc, &l); err != nil {
		return nil, err
	}
	s := l.Snapshot
	for _, c := range l.Files.Configs {
		s.Files.Configs = append(s.Files.Configs, snapshot.ConfigFile{Path: c.Path, State: c.State})
	}
	return &s, nil
}

// row finds a host by its name as the store names it, in any case.
func (st *state) row(name string) *hostRow { return st.byKey[strings.ToLower(name)] }

// drawing is the map's SVG in lang, made once per state.
func (st *state) drawing(lang string) (string, error) {
	return st.drawings[langIndex(lang)].get(func() ([]byte, error) {
		var b bytes.Buffer
		if err := estate.SVG(&b, st.m, lang); err != nil {
			return nil, err
		}
		return forPage(b.Bytes())
	})
}

// mapDocument is the map's document in lang without its drawing (the map page
// draws it), as HTML to put in a page, made once per state.
func (st *state) mapDocument(lang string, now time.Time) (string, error) {
	return st.mapDocs[langIndex(lang)].get(func() ([]byte, error) {
		d := estate.Document(st.m, lang, now)
		for _, sec := range d.Sections {
			sec.Blocks = slices.DeleteFunc(sec.Blocks, func(b report.Block) bool {
				_, drawing := b.(*report.Figure)
				return drawing
			})
		}
		var b bytes.Buffer
		err := report.HTMLFragment(&b, d)
		return b.Bytes(), err
	})
}

func langIndex(lang string) int {
	if lang == "ja" {
		return 1
	}
	return 0
}

// forPage makes the standalone SVG estate writes fit a page under the CSP: no
// XML declaration, and no style attribute (the stylesheet sets what it set).
// TestMapPageHasNoInlineStyle fails if estate adds another.
func forPage(svg []byte) ([]byte, error) {
	svg = bytes.TrimSpace(svg)
	if rest, ok := bytes.CutPrefix(svg, []byte("<?xml")); ok {
		_, after, found := bytes.Cut(rest, []byte("?>"))
		if !found {
			return nil, fmt.Errorf("web: the map's drawing has a broken XML declaration")
		}
		svg = bytes.TrimSpace(after)
	}
	return bytes.Replace(svg, []byte(` style="max-width:none"`), nil, 1), nil
}
