package estate

import (
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/report"
)

// The drawing lays the waves out as columns, left to right in the order of their
// layers (what moves first on the left), each wave a band holding its hosts'
// boxes; the systems outside the estate stand in a dashed band at the far left.
// A layer with many hosts wraps into several columns. Arrows go from the
// dependent system to the one it depends on, labelled service:port, and end on
// slots spread along the side of each box that faces the other end, so arrows
// do not meet at one point; a box grows with its slots. Arrows between boxes of
// one column bend out to the right.
//
// Every host, peer, wave and arrow is a <g> with an id (prefix + the map's ID)
// and data- attributes naming what it stands for, so a web page can make them
// clickable; the drawing needs no script. Like report's diagram, text is never
// measured by a browser: widths are estimated, generously, and cut labels keep
// their full text in a <title>.

const (
	svgMargin    = 16.0
	svgLabel     = 13.0 // host and peer names
	svgSmall     = 11.0 // details, band headings
	svgEdgeFont  = 10.0
	svgBoxMinW   = 120.0
	svgBoxMaxW   = 230.0
	svgBoxMinH   = 42.0
	svgBoxPad    = 10.0
	svgBoxGap    = 10.0
	svgSlotGap   = 13.0 // distance between arrow ends on one side of a box
	svgBandPad   = 10.0
	svgBandHead  = 24.0
	svgBandGap   = 30.0
	svgColGap    = 250.0 // room between columns for arrows and their labels
	svgLaneGap   = 7.0   // between arrows crossing a column in one gap
	svgArrowRoom = 12.0  // the arrowhead and a little air before a label
	svgHeadH     = 26.0
	svgArc       = 36.0 // how far an arrow between boxes of one column bends out
	svgMaxRows   = 24   // hosts per column before a layer wraps
	svgLabelMaxW = 160.0
)

type svgBox struct {
	id, class  string
	col        int
	x, y, w, h float64
	label      string
	detail     string
	title      string
	attrs      [][2]string
	slots      [2][]*svgSlot // left, right
}

// svgSlot is where one arrow ends on a box: the arrow's start when from is true.
type svgSlot struct {
	edge  *svgEdge
	from  bool
	other *svgBox
}

type svgBand struct {
	id, class, title string
	heading          string
	attrs            [][2]string
	boxes            []*svgBox
	col              int
	x, y, w, h       float64
}

// SVG writes the map's drawing as a standalone SVG document.
func SVG(w io.Writer, m *Map, lang string) error {
	if _, ok := catalogs[lang]; !ok {
		lang = "en"
	}
	_, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+svg(m, lang, "map")+"\n")
	return err
}

// svg draws m; prefix starts every element ID, so the drawing can sit in a page
// beside others.
func svg(m *Map, lang, prefix string) string {
	l := layout(m, lang, prefix)
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="estate-map" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %s %s" width="%s" height="%s" style="max-width:none" font-family="%s">`+"\n",
		prefix, prefix, num(l.w), num(l.h), num(l.w), num(l.h), report.DrawingFonts)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`+"\n", prefix, esc(label(lang, "svg.title")))
	fmt.Fprintf(&b, `<desc id="%s-desc">%s</desc>`+"\n", prefix,
		esc(fmt.Sprintf(label(lang, "drawing.alt"), len(m.Hosts), len(m.Edges), len(m.Outside), len(m.Waves))))
	fmt.Fprintf(&b, `<defs><marker id="%s-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#475569"/></marker>`+
		`<marker id="%s-arrow-out" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#b45309"/></marker></defs>`+"\n", prefix, prefix)
	for _, bd := range l.bands {
		fmt.Fprintf(&b, `<g class="%s" id="%s"%s>`, bd.class, esc(bd.id), attrs(bd.attrs))
		if bd.title != "" {
			fmt.Fprintf(&b, `<title>%s</title>`, esc(bd.title))
		}
		fill, stroke, dash := "#eef4fb", "#9db7d8", ""
		if bd.class == "outside" {
			fill, stroke, dash = "#f8fafc", "#94a3b8", ` stroke-dasharray="5 3"`
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="%s" stroke="%s"%s/>`,
			num(bd.x), num(bd.y), num(bd.w), num(bd.h), fill, stroke, dash)
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" font-weight="600" fill="#334155">%s</text></g>`+"\n",
			num(bd.x+svgBandPad), num(bd.y+svgBandHead-8), num(svgSmall), esc(bd.heading))
	}
	for _, e := range l.edges {
		writeEdge(&b, e, prefix)
	}
	for _, bx := range l.boxes {
		writeBox(&b, bx)
	}
	for _, e := range l.edges {
		if e.text != "" {
			fmt.Fprintf(&b, `<text class="edge-label" data-edge="%s" x="%s" y="%s" text-anchor="%s" font-size="%s" fill="#1e293b" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
				esc(e.e.ID), num(e.lx), num(e.ly), e.anchor, num(svgEdgeFont), esc(e.text))
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

func writeEdge(b *strings.Builder, e *svgEdge, prefix string) {
	esc := html.EscapeString
	known := "both"
	switch {
	case !e.e.To.Known:
		known = "to-outside"
	case !e.e.From.Known:
		known = "from-outside"
	}
	stroke, marker := "#64748b", prefix+"-arrow"
	if known != "both" {
		stroke, marker = "#b45309", prefix+"-arrow-out"
	}
	dash := ""
	if !ordersWaves(e.e) {
		dash = ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(b, `<g class="edge %s" id="%s-%s" data-edge="%s" data-from="%s" data-to="%s" data-service="%s" data-port="%d" data-known="%s">`,
		known, prefix, esc(e.e.ID), esc(e.e.ID), esc(e.e.From.ID()), esc(e.e.To.ID()), esc(e.e.Service), e.e.Port, known)
	fmt.Fprintf(b, `<title>%s</title>`, esc(e.title))
	fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="1.3"%s marker-end="url(#%s)"/></g>`+"\n", e.path, stroke, dash, marker)
}

func writeBox(b *strings.Builder, bx *svgBox) {
	esc := html.EscapeString
	fmt.Fprintf(b, `<g class="%s" id="%s"%s><title>%s</title>`, bx.class, esc(bx.id), attrs(bx.attrs), esc(bx.title))
	fill, stroke, dash := "#ffffff", "#1f5fa8", ""
	if bx.class == "peer outside" {
		fill, stroke, dash = "#fffbeb", "#b45309", ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" stroke="%s"%s/>`,
		num(bx.x), num(bx.y), num(bx.w), num(bx.h), fill, stroke, dash)
	cx, cy := bx.x+bx.w/2, bx.y+bx.h/2
	if bx.detail == "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#0f172a">%s</text>`,
			num(cx), num(cy+svgLabel*0.35), num(svgLabel), esc(bx.label))
	} else {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#0f172a">%s</text>`,
			num(cx), num(cy-2), num(svgLabel), esc(bx.label))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#475569">%s</text>`,
			num(cx), num(cy+svgSmall+1), num(svgSmall), esc(bx.detail))
	}
	b.WriteString("</g>\n")
}

func attrs(as [][2]string) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, ` data-%s="%s"`, a[0], html.EscapeString(a[1]))
	}
	return b.String()
}

// num prints a coordinate compactly and the same way every time.
func num(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}

type svgEdge struct {
	e          Edge
	from, to   *svgBox
	fromSide   int
	toSide     int
	fromY, toY float64
	path       string
	text       string // the label, "" for none
	title      string
	lx, ly     float64 // where the label is drawn
	anchor     string
}

type svgLayout struct {
	w, h  float64
	bands []*svgBand
	boxes []*svgBox
	edges []*svgEdge
}

// layout places every band, box and arrow of m.
func layout(m *Map, lang, prefix string) *svgLayout {
	l := &svgLayout{}
	hostBox := map[string]*svgBox{}
	names := map[string]string{}
	for _, h := range m.Hosts {
		names[h.ID] = h.Name
		detail := cmp.Or(firstOf(h.For), strings.Join(h.Addresses, ", "))
		title := h.Name
		if len(h.Addresses) > 0 {
			title += " (" + strings.Join(h.Addresses, ", ") + ")"
		}
		if len(h.For) > 0 {
			title += "\n" + strings.Join(h.For, "\n")
		}
		bx := &svgBox{id: prefix + "-" + h.ID, class: "host", label: h.Name, detail: detail, title: title,
			attrs: [][2]string{{"host", h.ID}, {"name", h.Name}, {"group", h.Group}, {"wave", strconv.Itoa(h.Wave)}}}
		hostBox[h.ID] = bx
	}
	peerBox := map[string]*svgBox{}
	for _, p := range m.Outside {
		title := p.Address
		if len(p.Names) > 0 {
			title += " (" + strings.Join(p.Names, ", ") + ")"
		}
		peerBox[p.ID] = &svgBox{id: prefix + "-" + p.ID, class: "peer outside", label: p.Address, detail: firstOf(p.Names), title: title,
			attrs: [][2]string{{"peer", p.ID}, {"outside", "true"}}}
	}
	boxOf := func(e End) *svgBox {
		if e.Known {
			return hostBox[e.Host]
		}
		return peerBox[e.Peer]
	}

	// Columns: the outside first, then the layers, each wrapped at svgMaxRows.
	neighbours := map[*svgBox][]*svgBox{}
	for _, e := range m.Edges {
		f, t := boxOf(e.From), boxOf(e.To)
		neighbours[f] = append(neighbours[f], t)
		neighbours[t] = append(neighbours[t], f)
	}
	rank := map[*svgBox]float64{}
	barycentre := func(bx *svgBox) float64 {
		sum, n := 0.0, 0
		for _, o := range neighbours[bx] {
			if r, ok := rank[o]; ok {
				sum += r
				n++
			}
		}
		if n == 0 {
			return math.Inf(1)
		}
		return sum / float64(n)
	}
	col := 0
	if len(m.Outside) > 0 {
		col = 1
	}
	layers := 0
	for _, w := range m.Waves {
		layers = max(layers, w.Layer+1)
	}
	next := 0.0
	for layer := range layers {
		var waves []Wave
		for _, w := range m.Waves {
			if w.Layer == layer {
				waves = append(waves, w)
			}
		}
		bary := map[int]float64{}
		for _, w := range waves {
			sum, n := 0.0, 0
			for _, id := range w.Hosts {
				if v := barycentre(hostBox[id]); !math.IsInf(v, 1) {
					sum += v
					n++
				}
			}
			bary[w.Number] = math.Inf(1)
			if n > 0 {
				bary[w.Number] = sum / float64(n)
			}
		}
		slices.SortStableFunc(waves, func(a, b Wave) int { return cmp.Compare(bary[a.Number], bary[b.Number]) })
		rows := 0
		for i, w := range waves {
			if i > 0 && rows+len(w.Hosts) > svgMaxRows {
				col++
				rows = 0
			}
			rows += len(w.Hosts)
			band := &svgBand{id: prefix + "-w" + strconv.Itoa(w.Number), class: "wave", col: col,
				heading: fmt.Sprintf(label(lang, "svg.wave"), w.Number), title: waveTitle(w, names, lang),
				attrs: [][2]string{{"wave", strconv.Itoa(w.Number)}}}
			for _, id := range w.Hosts {
				bx := hostBox[id]
				bx.col = col
				band.boxes = append(band.boxes, bx)
				rank[bx] = next
				next++
			}
			l.bands = append(l.bands, band)
		}
		col++
	}
	if len(m.Outside) > 0 {
		band := &svgBand{id: prefix + "-outside", class: "outside", col: 0, heading: label(lang, "svg.outside")}
		for _, p := range m.Outside {
			band.boxes = append(band.boxes, peerBox[p.ID])
		}
		slices.SortStableFunc(band.boxes, func(a, b *svgBox) int { return cmp.Compare(barycentre(a), barycentre(b)) })
		l.bands = append([]*svgBand{band}, l.bands...)
	}

	// Widths and x: each column as wide as its widest box.
	cols := col
	widths := make([]float64, cols)
	for _, bd := range l.bands {
		for _, bx := range bd.boxes {
			w := max(report.TextWidth(bx.label, svgLabel), report.TextWidth(bx.detail, svgSmall)) + 2*svgBoxPad
			widths[bd.col] = max(widths[bd.col], min(max(w, svgBoxMinW), svgBoxMaxW))
		}
	}
	xs := make([]float64, cols)
	x := svgMargin
	for c := range cols {
		xs[c] = x
		x += widths[c] + 2*svgBandPad + svgColGap
	}
	// Room on the right for the labels and bends of arrows into the last column.
	l.w = max(x-svgColGap+svgArrowRoom+svgLabelMaxW+svgArc+svgMargin, 2*svgMargin+svgBoxMinW)

	// Arrows: which side of each box they end on.
	for _, e := range m.Edges {
		se := &svgEdge{e: e, from: boxOf(e.From), to: boxOf(e.To), title: edgeTitle(e)}
		if e.Port != 0 || e.Service != "" {
			se.text, _ = report.FitText(edgeLabel(e), svgEdgeFont, svgLabelMaxW)
		}
		switch {
		case se.from.col > se.to.col:
			se.fromSide, se.toSide = 0, 1
		case se.from.col < se.to.col:
			se.fromSide, se.toSide = 1, 0
		default:
			se.fromSide, se.toSide = 1, 1
		}
		se.from.slots[se.fromSide] = append(se.from.slots[se.fromSide], &svgSlot{edge: se, from: true, other: se.to})
		se.to.slots[se.toSide] = append(se.to.slots[se.toSide], &svgSlot{edge: se, other: se.from})
		l.edges = append(l.edges, se)
	}

	// Boxes and bands, top to bottom in each column.
	ys := make([]float64, cols)
	for c := range ys {
		ys[c] = svgMargin + svgHeadH
	}
	for _, bd := range l.bands {
		bd.x, bd.y, bd.w = xs[bd.col], ys[bd.col], widths[bd.col]+2*svgBandPad
		y := bd.y + svgBandHead
		for _, bx := range bd.boxes {
			bx.label, _ = report.FitText(bx.label, svgLabel, widths[bd.col]-2*svgBoxPad)
			bx.detail, _ = report.FitText(bx.detail, svgSmall, widths[bd.col]-2*svgBoxPad)
			bx.x, bx.y, bx.w = bd.x+svgBandPad, y, widths[bd.col]
			bx.h = max(svgBoxMinH, float64(max(len(bx.slots[0]), len(bx.slots[1]))+1)*svgSlotGap)
			y += bx.h + svgBoxGap
			l.boxes = append(l.boxes, bx)
		}
		bd.h = y - svgBoxGap + svgBandPad - bd.y
		ys[bd.col] = bd.y + bd.h + svgBandGap
	}
	for _, y := range ys {
		l.h = max(l.h, y-svgBandGap+svgMargin)
	}
	l.h = max(l.h, svgMargin*2+svgHeadH)

	// Slots in the order of the other ends' heights, so arrows cross less.
	for _, bx := range l.boxes {
		for side := range bx.slots {
			slots := bx.slots[side]
			slices.SortStableFunc(slots, func(a, b *svgSlot) int { return cmp.Compare(a.other.y, b.other.y) })
			step := bx.h / float64(len(slots)+1)
			for i, s := range slots {
				y := bx.y + step*float64(i+1)
				if s.from {
					s.edge.fromY = y
				} else {
					s.edge.toY = y
				}
			}
		}
	}
	lanes := newLanes(l.bands, xs, widths)
	for _, se := range l.edges {
		route(se, lanes)
	}
	l.h = max(l.h, lanes.bottom+svgMargin)
	return l
}

// lanes are the free heights in each column where arrows that skip the column
// cross it: the gaps between its bands and the space below the last.
type lanes struct {
	cols   []laneColumn
	bottom float64 // the lowest lane used, which the drawing must include
}

type laneColumn struct {
	left, right float64
	gaps        []laneGap
}

type laneGap struct {
	top, bottom float64 // bottom is +Inf below the last band
	used        int
}

func newLanes(bands []*svgBand, xs, widths []float64) *lanes {
	ls := &lanes{cols: make([]laneColumn, len(xs))}
	for c := range xs {
		top := svgMargin + svgHeadH
		col := laneColumn{left: xs[c], right: xs[c] + widths[c] + 2*svgBandPad}
		for _, bd := range bands {
			if bd.col == c {
				col.gaps = append(col.gaps, laneGap{top: top, bottom: bd.y})
				top = bd.y + bd.h
			}
		}
		col.gaps = append(col.gaps, laneGap{top: top, bottom: math.Inf(1)})
		ls.cols[c] = col
	}
	return ls
}

// take gives a lane through column c as near to height y as there is room.
func (ls *lanes) take(c int, y float64) float64 {
	col := &ls.cols[c]
	best, dist := -1, math.Inf(1)
	for i, g := range col.gaps {
		if g.bottom-g.top < svgLaneGap*2 && !math.IsInf(g.bottom, 1) {
			continue
		}
		d := 0.0
		if y < g.top {
			d = g.top - y
		} else if y > g.bottom {
			d = y - g.bottom
		}
		if d < dist {
			best, dist = i, d
		}
	}
	g := &col.gaps[best]
	k := g.used + 1
	if !math.IsInf(g.bottom, 1) {
		// A full gap lays further arrows over the ones it has.
		room := int((g.bottom-g.top)/svgLaneGap) - 1
		k = g.used%room + 1
	}
	g.used++
	lane := g.top + svgLaneGap*float64(k)
	ls.bottom = max(ls.bottom, lane)
	return lane
}

// route draws an arrow: it leaves its source from its slot, crosses each column
// in between along a free lane, and arrives flat at its slot on the target,
// with its label above the flat end.
func route(se *svgEdge, ls *lanes) {
	sideX := func(bx *svgBox, side int) float64 {
		if side == 0 {
			return bx.x
		}
		return bx.x + bx.w
	}
	x1, y1 := sideX(se.from, se.fromSide), se.fromY
	x2, y2 := sideX(se.to, se.toSide), se.toY
	// Away from the target's side: right for the right side, left for the left.
	out := 1.0
	if se.toSide == 0 {
		out = -1
	}
	flat := svgArrowRoom
	if se.text != "" {
		flat += report.TextWidth(se.text, svgEdgeFont) + 6
	}
	fx := x2 + out*flat
	var b strings.Builder
	fmt.Fprintf(&b, "M%s %s", num(x1), num(y1))
	px, py := x1, y1
	curveTo := func(x, y, dir float64) {
		d := math.Max(30, math.Abs(x-px)/2)
		fmt.Fprintf(&b, "C%s %s %s %s %s %s", num(px+dir*d), num(py), num(x-dir*d), num(y), num(x), num(y))
		px, py = x, y
	}
	if se.fromSide == se.toSide {
		// One column: bend out beyond the labels and come back.
		x := math.Max(x1, fx) + svgArc
		if out < 0 {
			x = math.Min(x1, fx) - svgArc
		}
		fmt.Fprintf(&b, "C%s %s %s %s %s %s", num(x), num(y1), num(x), num(y2), num(fx), num(y2))
	} else {
		dir := 1.0
		if fx < x1 {
			dir = -1
		}
		for c := se.from.col + int(dir); c != se.to.col; c += int(dir) {
			col := ls.cols[c]
			in, exit := col.left, col.right
			if dir < 0 {
				in, exit = col.right, col.left
			}
			share := math.Abs(in-x1) / math.Max(1, math.Abs(fx-x1))
			lane := ls.take(c, y1+(y2-y1)*share)
			curveTo(in, lane, dir)
			fmt.Fprintf(&b, "H%s", num(exit))
			px = exit
		}
		curveTo(fx, y2, dir)
	}
	fmt.Fprintf(&b, "H%s", num(x2))
	se.path = b.String()
	if se.text != "" {
		se.anchor = "start"
		se.lx = x2 + svgArrowRoom
		if out < 0 {
			se.anchor = "end"
			se.lx = x2 - svgArrowRoom
		}
		se.ly = y2 - 3
	}
}

// waveTitle is a wave's tooltip: why its hosts move together and what it waits for.
func waveTitle(w Wave, names map[string]string, lang string) string {
	parts := []string{fmt.Sprintf(label(lang, "svg.wave"), w.Number)}
	for _, r := range w.Reasons {
		hs := make([]string, len(r.Hosts))
		for i, id := range r.Hosts {
			hs[i] = names[id]
		}
		parts = append(parts, fmt.Sprintf(label(lang, "reason."+r.Kind), strings.Join(hs, ", "), strings.Join(r.What, ", ")))
	}
	return strings.Join(parts, "\n")
}

// edgeTitle is an arrow's tooltip: what it is and the sources of its evidence.
func edgeTitle(e Edge) string {
	var b strings.Builder
	b.WriteString(edgeLabel(e))
	for _, ev := range e.Evidence {
		b.WriteString("\n" + ev.Kind + ": " + ev.Source)
	}
	return b.String()
}
