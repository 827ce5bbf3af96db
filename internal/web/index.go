package web

import (
	"bytes"
	"context"
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
// survey (its summary row, a slim copy of its snapshot, its findings) and the
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
}

func newIndex(st *store.Store) *index { return &index{st: st, seen: map[int64]*entry{}} }

// state is the estate at one Mark. It is never changed once made, except for
// the drawings and documents made from it on first use.
type state struct {
	mark  string
	hosts []*hostRow // as the store lists them: by name
	byKey map[string]*hostRow
	m     *estate.Map
	// unreadable counts the hosts whose latest survey could not be read.
	unreadable int

	drawings   [2]lazy // by language: the map's SVG
	mapDocs    [2]lazy // by language: the map's document
	choicesVal choices
}

// lazy is something made from a state on first use, once.
type lazy struct {
	once sync.Once
	val  []byte
	err  error
}

func (l *lazy) get(make func() ([]byte, error)) ([]byte, error) {
	l.once.Do(func() { l.val, l.err = make() })
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
	snap     *snapshot.Snapshot // slim (see slim); nil when unreadable
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
	snap, err := x.st.Snapshot(ctx, *info)
	if err != nil {
		return &entry{err: err}
	}
	findings, err := x.st.Findings(ctx, *info)
	if err != nil {
		return &entry{err: err}
	}
	e := &entry{snap: slim(snap), findings: findings}
	for _, sv := range snap.Services {
		if !slices.Contains(e.services, sv.Name) {
			e.services = append(e.services, sv.Name)
		}
	}
	slices.Sort(e.services)
	return e
}

// slim drops what neither the map nor the questions across the estate read
// (packages, processes, accounts, kernel parameters, answers, config contents,
// the evidence list): a thousand hosts' snapshots then fit in memory. The host
// page reads the whole snapshot from the store. TestSlimMapsTheSame holds the
// map of slim snapshots to the map of whole ones.
func slim(s *snapshot.Snapshot) *snapshot.Snapshot {
	s.Packages, s.Processes, s.Answers, s.Evidence = nil, nil, nil, nil
	s.Accounts, s.Kernel = snapshot.Accounts{}, snapshot.Kernel{}
	configs := make([]snapshot.ConfigFile, len(s.Files.Configs))
	for i, c := range s.Files.Configs {
		configs[i] = snapshot.ConfigFile{Path: c.Path, State: c.State}
	}
	s.Files = snapshot.Files{Configs: configs}
	return s
}

// row finds a host by its name as the store names it, in any case.
func (st *state) row(name string) *hostRow { return st.byKey[strings.ToLower(name)] }

// drawing is the map's SVG in lang, made once per state.
func (st *state) drawing(lang string) ([]byte, error) {
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
func (st *state) mapDocument(lang string, now time.Time) ([]byte, error) {
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
