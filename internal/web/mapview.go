package web

import (
	"bytes"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/estate"
)

// The map page: trowel map's drawing of the estate (waves as columns, outside
// systems on the left), which the script lets the reader pan, zoom and click (a
// host opens its page, an arrow shows its evidence beside the drawing); the
// waves in words beside it; the whole map document one link away.

type mapData struct {
	Empty      bool
	SVG        template.HTML
	Hosts      int
	Edges      int
	Outside    int
	WavesHTML  template.HTML
	OutsideTop []peerView
	Unreadable int
	Counts     []count
}

type waveView struct {
	Number  int
	Layer   int
	Hosts   []link
	After   string
	Reasons []string
}

type link struct{ Text, URL string }

type peerView struct {
	Address  string
	Services string
	Users    int
}

// outsideListed is how many outside systems the map page lists (the most used
// first); the map document lists them all.
const outsideListed = 12

func (s *Server) mapPage(rq *request) (*page, error) {
	st, wait, err := s.whole(rq)
	if st == nil {
		return wait, err
	}
	L := rq.L
	m := st.m
	d := &mapData{Empty: len(m.Hosts) == 0, Hosts: len(m.Hosts), Edges: len(m.Edges), Outside: len(m.Outside), Unreadable: st.unreadable}
	p := &page{Template: "map", Title: L.T("map.title"), Nav: "map", Data: d}
	if d.Empty {
		return p, nil
	}
	svg, err := st.drawing(L.lang)
	if err != nil {
		return nil, err
	}
	d.SVG = template.HTML(svg) // estate escapes every text it draws
	known := 0
	for _, e := range m.Edges {
		if e.From.Known && e.To.Known {
			known++
		}
	}
	d.Counts = []count{
		{N: len(m.Hosts), Label: L.N(len(m.Hosts), "count.hosts"), URL: "/"},
		{N: len(m.Edges), Label: L.T("map.edges"), Note: L.T("map.edges_between", known), URL: "/map/document#edges"},
		{N: len(m.Outside), Label: L.T("map.outside"), URL: "/map/document#outside", Tone: tone(len(m.Outside), "warn")},
		{N: len(m.Waves), Label: L.N(len(m.Waves), "count.waves"), URL: "#waves"},
	}
	waves, err := st.wavesList(L)
	if err != nil {
		return nil, err
	}
	d.WavesHTML = template.HTML(waves) // the waves template escaped it
	top := append([]estate.Peer(nil), m.Outside...)
	sortPeers(top)
	for i, pr := range top {
		if i == outsideListed {
			break
		}
		d.OutsideTop = append(d.OutsideTop, peerView{Address: pr.Address, Services: strings.Join(pr.Services, ", "), Users: len(pr.Users) + len(pr.Clients)})
	}
	return p, nil
}

// wavesList is the map page's list of waves in L's language, made once per
// state.
func (st *state) wavesList(L tr) (string, error) {
	return st.waveLists[langIndex(L.lang)].get(func() ([]byte, error) {
		m := st.m
		names := map[string]string{}
		for _, h := range m.Hosts {
			names[h.ID] = h.Name
		}
		var waves []waveView
		for _, w := range m.Waves {
			v := waveView{Number: w.Number, Layer: w.Layer}
			for _, id := range w.Hosts {
				v.Hosts = append(v.Hosts, link{names[id], hostURL(names[id])})
			}
			var after []string
			for _, a := range w.After {
				after = append(after, strconv.Itoa(a))
			}
			v.After = strings.Join(after, ", ")
			for _, r := range w.Reasons {
				v.Reasons = append(v.Reasons, L.T("reason."+r.Kind)+": "+strings.Join(r.What, "; "))
			}
			waves = append(waves, v)
		}
		var b bytes.Buffer
		err := pageTemplates["map"].ExecuteTemplate(&b, "waves", struct {
			L     tr
			Waves []waveView
		}{L, waves})
		return b.Bytes(), err
	})
}

// sortPeers puts the outside systems most hosts use first.
func sortPeers(ps []estate.Peer) {
	usedBy := func(p estate.Peer) int { return len(p.Users) + len(p.Clients) }
	slices.SortStableFunc(ps, func(a, b estate.Peer) int { return usedBy(b) - usedBy(a) })
}

func (s *Server) mapDocumentPage(rq *request) (*page, error) {
	st, wait, err := s.whole(rq)
	if st == nil {
		return wait, err
	}
	doc, err := st.mapDocument(rq.L.lang, rq.now)
	if err != nil {
		return nil, err
	}
	return &page{Template: "document", Title: rq.L.T("map.document"), Nav: "map",
		Data: documentData{Back: link{rq.L.T("map.back"), "/map"}, Document: template.HTML(doc)}}, nil // report escapes what it writes
}

type documentData struct {
	Back     link
	Document template.HTML
}

// edgeData is one arrow of the map with the evidence that shows it.
type edgeData struct {
	Edge     estate.Edge
	From, To link
	Outside  string // which end is outside the estate, if one is
	Listens  string
	Evidence []evidenceRow
}

type evidenceRow struct {
	Host, HostURL string
	Kind          string
	Source        string
	What          string
	Named         string
	Resolved      string
	Seen          string
}

// edgePage shows one arrow of the map; with ?part=1, only the panel the map
// page's script puts beside the drawing.
func (s *Server) edgePage(rq *request) (*page, error) {
	st, wait, err := s.whole(rq)
	if st == nil {
		return wait, err
	}
	L := rq.L
	id := rq.r.PathValue("id")
	var e *estate.Edge
	for i := range st.m.Edges {
		if st.m.Edges[i].ID == id {
			e = &st.m.Edges[i]
			break
		}
	}
	if e == nil {
		return nil, &notFound{L.T("map.no_edge")}
	}
	end := endNames(st.m)
	d := &edgeData{Edge: *e, From: end(e.From), To: end(e.To)}
	switch {
	case !e.To.Known:
		d.Outside = L.T("edge.to_outside")
	case !e.From.Known:
		d.Outside = L.T("edge.from_outside")
	}
	switch {
	case e.Listening == nil:
		d.Listens = L.T("edge.listens_unknown")
	case *e.Listening:
		d.Listens = L.T("edge.listens_yes")
	default:
		d.Listens = L.T("edge.listens_no")
	}
	for _, ev := range e.Evidence {
		h := end(estate.End{Host: ev.Host, Known: true})
		r := evidenceRow{Host: h.Text, HostURL: h.URL, Kind: L.T("evidence." + ev.Kind), Source: ev.Source, Named: ev.Named,
			What: strings.TrimSpace(strings.Join([]string{ev.Via, ev.What}, " "))}
		if ev.Resolved != nil {
			r.Resolved = ev.Resolved.By
			if ev.Resolved.Source != "" {
				r.Resolved += " (" + ev.Resolved.Source + ")"
			}
		}
		switch {
		case ev.FirstSeen != nil && ev.LastSeen != nil:
			r.Seen = L.T("edge.seen_window", L.Stamp(*ev.FirstSeen), L.Stamp(*ev.LastSeen), ev.Samples)
		case ev.Observed != nil:
			r.Seen = L.Stamp(*ev.Observed)
		}
		d.Evidence = append(d.Evidence, r)
	}
	title := d.From.Text + " → " + d.To.Text + " " + e.Service
	if e.Port > 0 {
		title += ":" + strconv.Itoa(e.Port)
	}
	return &page{Template: "edge", Title: title, Nav: "map", Data: d, Partial: rq.r.URL.Query().Get("part") == "1"}, nil
}

// endNames names an edge's ends: a host with the link to its page, an outside
// system by its address.
func endNames(m *estate.Map) func(estate.End) link {
	hosts, peers := map[string]string{}, map[string]string{}
	for _, h := range m.Hosts {
		hosts[h.ID] = h.Name
	}
	for _, p := range m.Outside {
		peers[p.ID] = p.Address
	}
	return func(e estate.End) link {
		if e.Known {
			return link{hosts[e.Host], hostURL(hosts[e.Host])}
		}
		return link{Text: peers[e.Peer]}
	}
}
