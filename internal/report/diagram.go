package report

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"unicode/utf8"
)

// The host diagram is laid out in three columns: the systems that connect in on
// the left, the host's services inside a box for the host in the middle, and the
// systems the host connects to on the right. The layout is pure arithmetic on the
// Diagram, so the same Diagram always gives the same drawing and a test can check
// the geometry.
//
// Text is never measured by a browser here: widths are estimated per character
// (wide for CJK), on the generous side, and labels that would not fit are cut with
// an ellipsis and keep their full text in a <title> (a tooltip, and what a screen
// reader says).
//
// Arrows carry their port label just before the end they point at (the port is
// the one opened on that end). Every distinct label arriving at a box gets its own
// slot on the box's side, and near its end every arrow runs flat at its slot's
// height, so labels stack without touching each other or other arrows.

const (
	dgMargin     = 12.0
	dgLabelSize  = 13.0 // node label font size
	dgSmallSize  = 11.0 // node detail, edge labels, column headings
	dgNodePadX   = 10.0
	dgNodeMinW   = 90.0
	dgNodeMaxW   = 240.0
	dgNodeMinH   = 40.0
	dgNodeGap    = 12.0
	dgSlot       = 16.0 // vertical distance between arrow slots on one side of a box
	dgHostPad    = 16.0
	dgHostHead   = 30.0 // room for the host's name at the top of its box
	dgHeadingH   = 22.0 // room for the column headings above the columns
	dgCurve      = 70.0 // horizontal room for arrows to bend between slots
	dgEmptyGap   = 40.0 // gap next to a column that has no arrows
	dgLabelMaxW  = 150.0
	dgArrowRoom  = 12.0 // arrowhead and a little air between a label and its box
	dgHostTitleW = 360.0
	dgBold       = 1.1 // bold text is this much wider
)

// dgOut is the slot key of the place where arrows leave a box; it cannot be a
// label (labels are printable text).
const dgOut = "\x00out"

// column of a node in the drawing.
type dgColumn int

const (
	dgLeft dgColumn = iota
	dgMiddle
	dgRight
)

// dgBox is a laid-out node.
type dgBox struct {
	ID     string
	Col    dgColumn
	X, Y   float64
	W, H   float64
	Label  string // as drawn (maybe cut)
	Detail string // as drawn (maybe cut)
	Full   string // label and detail uncut, for the <title>
	Cut    bool
	slots  map[dgSide][]string
	pos    int // place in its column
}

// dgSide is the side of a box an arrow ends on: the one facing the other end.
type dgSide int

const (
	dgSideLeft  dgSide = 0
	dgSideRight dgSide = 1 // so that 1-side is the other side
)

// dgText is a piece of text drawn outside the boxes, with its estimated extent.
type dgText struct {
	X, Y   float64 // anchor point (baseline)
	Anchor string  // start, middle or end
	Size   float64
	Text   string // as drawn
	Full   string // uncut, when Text was cut
	Bold   bool
}

// Rect is the text's estimated bounding box.
func (t dgText) Rect() dgRect {
	w := textWidth(t.Text, t.Size)
	if t.Bold {
		w *= dgBold
	}
	x := t.X
	switch t.Anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	return dgRect{x, t.Y - t.Size, w, t.Size * 1.25}
}

type dgRect struct{ X, Y, W, H float64 }

func (a dgRect) overlaps(b dgRect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// dgEdge is a laid-out arrow.
type dgEdge struct {
	From, To string
	Path     string
	Label    *dgText // nil for an unlabelled arrow, or one whose label another arrow into the same slot draws
	Inbound  bool    // joins a peer that connects in
}

// dgLayout is the whole drawing.
type dgLayout struct {
	W, H     float64
	Host     dgRect
	HostText dgText
	Headings []dgText
	Boxes    []*dgBox
	Edges    []dgEdge
}

// layoutDiagram places every node and arrow of d. Arrows whose ends are not a
// service and a peer (an unknown ID, or two peers) cannot be drawn in this
// layout and are left out; the HTML lists every arrow in words next to the
// drawing, so nothing is lost.
func layoutDiagram(d *Diagram, lang string) *dgLayout {
	boxes := map[string]*dgBox{}
	var cols [3][]*dgBox
	add := func(n DiagramNode, col dgColumn) {
		if _, dup := boxes[n.ID]; dup || n.ID == "" {
			return
		}
		b := &dgBox{ID: n.ID, Col: col, slots: map[dgSide][]string{}}
		b.Full = n.Label
		if n.Detail != "" {
			b.Full += " — " + n.Detail
		}
		maxText := dgNodeMaxW - 2*dgNodePadX
		var cut1, cut2 bool
		b.Label, cut1 = fitText(n.Label, dgLabelSize, maxText)
		b.Detail, cut2 = fitText(n.Detail, dgSmallSize, maxText)
		b.Cut = cut1 || cut2
		b.pos = len(cols[col])
		boxes[n.ID] = b
		cols[col] = append(cols[col], b)
	}
	for _, n := range d.Services {
		add(n, dgMiddle)
	}
	for _, n := range d.Peers {
		if n.Inbound {
			add(n, dgLeft)
		} else {
			add(n, dgRight)
		}
	}

	// Which arrows can be drawn, and where they end.
	type edge struct {
		e        DiagramEdge
		from, to *dgBox
		side     dgSide // side of the target box the arrow ends on
	}
	var edges []edge
	for _, e := range d.Edges {
		from, to := boxes[e.From], boxes[e.To]
		if from == nil || to == nil || from.Col == to.Col || (from.Col != dgMiddle && to.Col != dgMiddle) {
			continue
		}
		side := dgSideLeft
		if from.Col > to.Col {
			side = dgSideRight
		}
		edges = append(edges, edge{e, from, to, side})
	}

	// Slots: one per distinct label arriving on a side of a box, and one where
	// arrows leave it, ordered by where the arrows come from or go to, so arrows
	// at one box do not cross each other.
	type slotKey struct {
		box   *dgBox
		side  dgSide
		label string
	}
	type order struct{ rank, edge int } // position of the other end, then edge order
	rank := map[slotKey]order{}
	use := func(k slotKey, o order) {
		if old, ok := rank[k]; !ok || o.rank < old.rank || (o.rank == old.rank && o.edge < old.edge) {
			rank[k] = o
		}
	}
	for i, e := range edges {
		use(slotKey{e.to, e.side, e.e.Label}, order{e.from.pos, i})
		use(slotKey{e.from, 1 - e.side, dgOut}, order{e.to.pos, i})
	}
	for k := range rank {
		k.box.slots[k.side] = append(k.box.slots[k.side], k.label)
	}
	for _, b := range boxes {
		for side, labels := range b.slots {
			sort.Slice(labels, func(i, j int) bool {
				ri, rj := rank[slotKey{b, side, labels[i]}], rank[slotKey{b, side, labels[j]}]
				if ri.rank != rj.rank {
					return ri.rank < rj.rank
				}
				return ri.edge < rj.edge
			})
		}
	}

	// Widths: one per column, wide enough for its widest node and heading.
	headings := [3]string{L(lang, "inbound"), "", L(lang, "outbound")}
	var colW [3]float64
	for c := range cols {
		if len(cols[c]) == 0 {
			continue
		}
		w := dgNodeMinW
		for _, b := range cols[c] {
			w = max(w, textWidth(b.Label, dgLabelSize)+2*dgNodePadX, textWidth(b.Detail, dgSmallSize)+2*dgNodePadX)
		}
		if headings[c] != "" {
			w = max(w, min(textWidth(headings[c], dgSmallSize*dgBold), dgNodeMaxW))
		}
		colW[c] = w
	}
	for c := range cols {
		for _, b := range cols[c] {
			b.W = colW[c]
			n := max(len(b.slots[dgSideLeft]), len(b.slots[dgSideRight]))
			b.H = max(dgNodeMinH, float64(n)*dgSlot+8)
		}
	}

	// Label zones: the flat stretch before each column's boxes, as wide as the
	// widest label arriving there.
	zoneW := func(col dgColumn, side dgSide) float64 {
		w := 0.0
		for _, b := range cols[col] {
			for _, l := range b.slots[side] {
				w = max(w, min(textWidth(l, dgSmallSize), dgLabelMaxW)+dgArrowRoom+4)
			}
		}
		return w
	}
	leftPeersZone := zoneW(dgLeft, dgSideRight)   // arrows from services to inbound peers
	hostLeftZone := zoneW(dgMiddle, dgSideLeft)   // arrows from inbound peers
	hostRightZone := zoneW(dgMiddle, dgSideRight) // arrows from outbound peers
	rightPeersZone := zoneW(dgRight, dgSideLeft)  // arrows from services
	gap := func(hasPeers bool, zones float64) float64 {
		switch {
		case !hasPeers:
			return 0
		case zones == 0:
			return dgEmptyGap + dgCurve
		}
		return zones + dgCurve
	}
	gapL := gap(len(cols[dgLeft]) > 0, leftPeersZone+hostLeftZone)
	gapR := gap(len(cols[dgRight]) > 0, hostRightZone+rightPeersZone)

	// The host's box, with its name on top.
	hostName := L(lang, "diagram_host")
	if d.Host != "" {
		hostName += ": " + d.Host
	}
	hostTitle, hostCut := fitText(hostName, dgLabelSize*dgBold, dgHostTitleW-2*dgNodePadX)
	hostW := max(colW[dgMiddle]+2*dgHostPad, textWidth(hostTitle, dgLabelSize*dgBold)+2*dgNodePadX, dgNodeMinW+2*dgHostPad)
	colW[dgMiddle] = hostW - 2*dgHostPad // services as wide as the box allows
	for _, b := range cols[dgMiddle] {
		b.W = colW[dgMiddle]
	}

	// Heights: every column centred on the tallest.
	colH := func(c dgColumn) float64 {
		h := 0.0
		for i, b := range cols[c] {
			if i > 0 {
				h += dgNodeGap
			}
			h += b.H
		}
		return h
	}
	hostH := dgHostHead + colH(dgMiddle) + dgHostPad
	if len(cols[dgMiddle]) == 0 {
		hostH = dgHostHead + dgHostPad
	}
	top := dgMargin + dgHeadingH
	contentH := max(hostH, colH(dgLeft), colH(dgRight))

	leftX := dgMargin
	hostX := leftX + colW[dgLeft] + gapL
	rightX := hostX + hostW + gapR
	l := &dgLayout{
		W:    rightX + colW[dgRight] + dgMargin,
		H:    top + contentH + dgMargin,
		Host: dgRect{hostX, top + (contentH-hostH)/2, hostW, hostH},
	}
	l.HostText = dgText{X: hostX + hostW/2, Y: l.Host.Y + 20, Anchor: "middle", Size: dgLabelSize, Text: hostTitle, Bold: true}
	if hostCut {
		l.HostText.Full = hostName
	}
	place := func(c dgColumn, x, y float64) {
		for _, b := range cols[c] {
			b.X, b.Y = x, y
			y += b.H + dgNodeGap
		}
	}
	place(dgLeft, leftX, top+(contentH-colH(dgLeft))/2)
	place(dgMiddle, hostX+dgHostPad, l.Host.Y+dgHostHead)
	place(dgRight, rightX, top+(contentH-colH(dgRight))/2)
	for c, h := range headings {
		if h == "" || len(cols[c]) == 0 {
			continue
		}
		x := leftX
		if dgColumn(c) == dgRight {
			x = rightX
		}
		text, cut := fitText(h, dgSmallSize*dgBold, colW[c])
		t := dgText{X: x, Y: dgMargin + dgSmallSize, Anchor: "start", Size: dgSmallSize, Text: text, Bold: true}
		if cut {
			t.Full = h
		}
		l.Headings = append(l.Headings, t)
	}
	for _, c := range cols {
		l.Boxes = append(l.Boxes, c...)
	}

	// Arrows.
	slotY := func(b *dgBox, side dgSide, label string) float64 {
		labels := b.slots[side]
		for i, s := range labels {
			if s == label {
				return b.Y + b.H/2 + (float64(i)-float64(len(labels)-1)/2)*dgSlot
			}
		}
		return b.Y + b.H/2
	}
	labelled := map[slotKey]bool{}
	for _, e := range edges {
		from, to := e.from, e.to
		ty := slotY(to, e.side, e.e.Label)
		sy := slotY(from, 1-e.side, dgOut)
		var sx, sFlat, tx, tFlat, labelX float64
		anchor := "end"
		if e.side == dgSideLeft { // the arrow runs left to right
			sx, tx = from.X+from.W, to.X
			if from.Col == dgLeft {
				sFlat = sx + leftPeersZone
			} else {
				sFlat = l.Host.X + l.Host.W + hostRightZone
			}
			if to.Col == dgMiddle {
				tFlat = l.Host.X - hostLeftZone
				labelX = l.Host.X - 4
			} else {
				tFlat = tx - rightPeersZone
				labelX = tx - dgArrowRoom
			}
		} else { // right to left
			sx, tx = from.X, to.X+to.W
			if from.Col == dgRight {
				sFlat = sx - rightPeersZone
			} else {
				sFlat = l.Host.X - hostLeftZone
			}
			anchor = "start"
			if to.Col == dgMiddle {
				tFlat = l.Host.X + l.Host.W + hostRightZone
				labelX = l.Host.X + l.Host.W + 4
			} else {
				tFlat = tx + leftPeersZone
				labelX = tx + dgArrowRoom
			}
		}
		mid := (sFlat + tFlat) / 2
		path := fmt.Sprintf("M%s %sH%sC%s %s %s %s %s %sH%s",
			num(sx), num(sy), num(sFlat), num(mid), num(sy), num(mid), num(ty), num(tFlat), num(ty), num(tx))
		de := dgEdge{From: from.ID, To: to.ID, Path: path, Inbound: from.Col == dgLeft || to.Col == dgLeft}
		// Arrows sharing a slot share its label: it is drawn once.
		if k := (slotKey{to, e.side, e.e.Label}); e.e.Label != "" && !labelled[k] {
			labelled[k] = true
			text, cut := fitText(e.e.Label, dgSmallSize, dgLabelMaxW)
			t := &dgText{X: labelX, Y: ty - 3, Anchor: anchor, Size: dgSmallSize, Text: text}
			if cut {
				t.Full = e.e.Label
			}
			de.Label = t
		}
		l.Edges = append(l.Edges, de)
	}
	return l
}

// diagramSVG draws d as inline SVG. id prefixes the drawing's own element IDs,
// so several drawings can share a page; section IDs are [a-z0-9-], so a prefix
// with an underscore never collides with them.
func diagramSVG(d *Diagram, lang, id string) string {
	l := layoutDiagram(d, lang)
	var b strings.Builder
	esc := html.EscapeString
	title := L(lang, "diagram")
	if d.Host != "" {
		title += ": " + d.Host
	}
	fmt.Fprintf(&b, `<svg class="host-diagram" role="img" aria-labelledby="%s_title %s_desc" viewBox="0 0 %s %s" width="%s" height="%s" font-family="%s">`+"\n",
		id, id, num(l.W), num(l.H), num(l.W), num(l.H), dgFonts)
	fmt.Fprintf(&b, `<title id="%s_title">%s</title>`+"\n", id, esc(title))
	fmt.Fprintf(&b, `<desc id="%s_desc">%s</desc>`+"\n", id, esc(d.Alt))
	fmt.Fprintf(&b, `<defs><marker id="%s_arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0 0L10 5L0 10z" fill="#475569"/></marker></defs>`+"\n", id)
	fmt.Fprintf(&b, `<rect class="host" x="%s" y="%s" width="%s" height="%s" rx="8" fill="#f8fafc" stroke="#94a3b8" stroke-dasharray="5 3"/>`+"\n",
		num(l.Host.X), num(l.Host.Y), num(l.Host.W), num(l.Host.H))
	writeText(&b, l.HostText, "#0f172a")
	for _, h := range l.Headings {
		writeText(&b, h, "#475569")
	}
	for _, e := range l.Edges {
		dir := "out"
		if e.Inbound {
			dir = "in"
		}
		fmt.Fprintf(&b, `<path class="edge edge-%s" data-from="%s" data-to="%s" d="%s" fill="none" stroke="#64748b" stroke-width="1.3" marker-end="url(#%s_arrow)"/>`+"\n",
			dir, esc(e.From), esc(e.To), e.Path, id)
	}
	for _, bx := range l.Boxes {
		kind, fill, stroke := "peer", "#ffffff", "#64748b"
		if bx.Col == dgMiddle {
			kind, fill, stroke = "service", "#e8f0fa", "#1f5fa8"
		}
		fmt.Fprintf(&b, `<g class="node %s" data-id="%s">`, kind, esc(bx.ID))
		if bx.Cut {
			fmt.Fprintf(&b, `<title>%s</title>`, esc(bx.Full))
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" stroke="%s"/>`,
			num(bx.X), num(bx.Y), num(bx.W), num(bx.H), fill, stroke)
		cx, cy := bx.X+bx.W/2, bx.Y+bx.H/2
		if bx.Detail == "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#0f172a">%s</text>`,
				num(cx), num(cy+dgLabelSize*0.35), num(dgLabelSize), esc(bx.Label))
		} else {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#0f172a">%s</text>`,
				num(cx), num(cy-2), num(dgLabelSize), esc(bx.Label))
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="%s" fill="#475569">%s</text>`,
				num(cx), num(cy+dgSmallSize+1), num(dgSmallSize), esc(bx.Detail))
		}
		b.WriteString("</g>\n")
	}
	for _, e := range l.Edges {
		if e.Label != nil {
			writeText(&b, *e.Label, "#1e293b")
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// dgFonts is the drawing's font stack: the page's, so Japanese labels use a
// Japanese face (an attribute, so it holds in a copied-out SVG too).
const dgFonts = `system-ui, -apple-system, &#39;Segoe UI&#39;, &#39;Hiragino Sans&#39;, &#39;Noto Sans CJK JP&#39;, &#39;Yu Gothic&#39;, Meiryo, sans-serif`

func writeText(b *strings.Builder, t dgText, fill string) {
	weight := ""
	if t.Bold {
		weight = ` font-weight="600"`
	}
	// Edge labels get a white halo, so an arrow passing behind never hides them.
	fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" font-size="%s"%s fill="%s" stroke="#ffffff" stroke-width="3" paint-order="stroke">`,
		num(t.X), num(t.Y), t.Anchor, num(t.Size), weight, fill)
	if t.Full != "" {
		fmt.Fprintf(b, `<title>%s</title>`, html.EscapeString(t.Full))
	}
	b.WriteString(html.EscapeString(t.Text))
	b.WriteString("</text>\n")
}

// num prints a coordinate compactly and the same way every time.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	return strings.TrimSuffix(s, ".0")
}

// textWidth estimates how wide s is drawn at size px in a proportional sans
// face. It errs wide: a box a little too large is harmless, text spilling out
// of its box is not.
func textWidth(s string, size float64) float64 {
	em := 0.0
	for _, r := range s {
		em += runeWidth(r)
	}
	return em * size * 1.06
}

func runeWidth(r rune) float64 {
	switch {
	case r == ' ' || strings.ContainsRune("il.,:;'|!`", r):
		return 0.32
	case strings.ContainsRune("fjrt()[]{}/\\-\"", r):
		return 0.42
	case strings.ContainsRune("mwMW@%", r):
		return 0.92
	case r >= 'A' && r <= 'Z':
		return 0.7
	case r >= '0' && r <= '9':
		return 0.64
	case r < 0x80:
		return 0.6
	case isWide(r):
		return 1.0
	}
	return 0.65
}

// isWide reports East Asian wide and fullwidth characters (kana, kanji, hangul,
// fullwidth forms), drawn a full em wide.
func isWide(r rune) bool {
	return (r >= 0x1100 && r <= 0x115F) ||
		(r >= 0x2E80 && r <= 0xA4CF) ||
		(r >= 0xAC00 && r <= 0xD7A3) ||
		(r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0xFE30 && r <= 0xFE4F) ||
		(r >= 0xFF00 && r <= 0xFF60) ||
		(r >= 0xFFE0 && r <= 0xFFE6) ||
		(r >= 0x1F300 && r <= 0x1FAFF) ||
		(r >= 0x20000 && r <= 0x3FFFD)
}

// fitText cuts s with an ellipsis so that it is at most maxW wide; it reports
// whether it cut.
func fitText(s string, size, maxW float64) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if textWidth(s, size) <= maxW {
		return s, false
	}
	const ellipsis = "…"
	for len(s) > 0 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
		if textWidth(s+ellipsis, size) <= maxW {
			break
		}
	}
	return strings.TrimRight(s, " ") + ellipsis, true
}
