package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// bigDiagram is the largest host the layout promises to draw cleanly: 20
// services and 30 peers, with long, Japanese and hostile labels, several ports
// per pair and arrows in both directions.
func bigDiagram() *Diagram {
	d := &Diagram{Alt: "big", Host: "legacy-application-server-01.prod.internal.example.co.jp"}
	for i := range 20 {
		label := fmt.Sprintf("service-%02d", i)
		switch i {
		case 3:
			label = "一時ファイル削除サービス（夜間バッチ処理用）とその監視エージェント"
		case 7:
			label = hostile
		case 11:
			label = strings.Repeat("very-long-unit-name-", 8) + ".service"
		}
		d.Services = append(d.Services, DiagramNode{ID: fmt.Sprintf("s%d", i), Label: label, Detail: fmt.Sprintf("tcp/%d, udp/%d", 8000+i, 9000+i)})
	}
	for i := range 30 {
		label := fmt.Sprintf("peer-%02d.example.jp", i)
		if i%7 == 3 {
			label = "基幹システム連携サーバー（本番環境）" + label
		}
		d.Peers = append(d.Peers, DiagramNode{ID: fmt.Sprintf("p%d", i), Label: label, Detail: fmt.Sprintf("10.0.%d.%d", i/10, i), Inbound: i%2 == 0})
	}
	for i := range 30 {
		p := fmt.Sprintf("p%d", i)
		s := fmt.Sprintf("s%d", (i*7)%20)
		if i%2 == 0 { // inbound peer
			d.Edges = append(d.Edges, DiagramEdge{From: p, To: s, Label: fmt.Sprintf("tcp/%d", 8000+(i*7)%20)})
			d.Edges = append(d.Edges, DiagramEdge{From: p, To: s, Label: "tcp/22"})
			if i%6 == 0 { // the host also calls back a client
				d.Edges = append(d.Edges, DiagramEdge{From: s, To: p, Label: "tcp/514"})
			}
		} else {
			d.Edges = append(d.Edges, DiagramEdge{From: s, To: p, Label: fmt.Sprintf("tcp/%d", 5000+i)})
			d.Edges = append(d.Edges, DiagramEdge{From: "s0", To: p})
			if i%5 == 0 {
				d.Edges = append(d.Edges, DiagramEdge{From: s, To: p, Label: "tcp/" + strings.Repeat("9", 60)})
			}
		}
	}
	// Arrows the layout cannot draw: unknown ends, peer to peer, service to service.
	d.Edges = append(d.Edges,
		DiagramEdge{From: "nowhere", To: "s1", Label: "tcp/1"},
		DiagramEdge{From: "p0", To: "p1", Label: "tcp/2"},
		DiagramEdge{From: "s1", To: "s2", Label: "tcp/3"},
	)
	return d
}

func TestDiagramLayoutIsDeterministic(t *testing.T) {
	first := diagramSVG(bigDiagram(), "ja", "_dg1")
	for range 5 {
		if again := diagramSVG(bigDiagram(), "ja", "_dg1"); again != first {
			t.Fatal("the same diagram drew differently")
		}
	}
}

func TestDiagramNothingOverlaps(t *testing.T) {
	for name, d := range map[string]*Diagram{
		"big":          bigDiagram(),
		"sample":       sampleDocument().Sections[2].Blocks[0].(*Diagram),
		"no peers":     {Host: "h", Services: []DiagramNode{{ID: "a", Label: "a"}}},
		"no services":  {Host: "h", Peers: []DiagramNode{{ID: "a", Label: "a", Inbound: true}, {ID: "b", Label: "b"}}},
		"empty":        {},
		"one inbound":  {Services: []DiagramNode{{ID: "s", Label: "sshd"}}, Peers: []DiagramNode{{ID: "p", Label: "admin", Inbound: true}}, Edges: []DiagramEdge{{From: "p", To: "s", Label: "tcp/22"}}},
		"one outbound": {Services: []DiagramNode{{ID: "s", Label: "app"}}, Peers: []DiagramNode{{ID: "p", Label: "db"}}, Edges: []DiagramEdge{{From: "s", To: "p", Label: "tcp/5432"}}},
	} {
		for _, lang := range []string{"en", "ja"} {
			t.Run(name+"/"+lang, func(t *testing.T) { checkLayout(t, layoutDiagram(d, lang)) })
		}
	}
}

func checkLayout(t *testing.T, l *dgLayout) {
	t.Helper()
	canvas := dgRect{0, 0, l.W, l.H}
	inside := func(a, b dgRect) bool {
		return a.X >= b.X-0.01 && a.Y >= b.Y-0.01 && a.X+a.W <= b.X+b.W+0.01 && a.Y+a.H <= b.Y+b.H+0.01
	}
	type named struct {
		name string
		r    dgRect
	}
	var boxes, texts []named
	for _, b := range l.Boxes {
		r := dgRect{b.X, b.Y, b.W, b.H}
		boxes = append(boxes, named{"box " + b.ID, r})
		if b.Col == dgMiddle {
			if !inside(r, l.Host) {
				t.Errorf("service %s is outside the host's box", b.ID)
			}
		} else if r.overlaps(l.Host) {
			t.Errorf("peer %s overlaps the host's box", b.ID)
		}
		for _, s := range []struct {
			text string
			size float64
		}{{b.Label, dgLabelSize}, {b.Detail, dgSmallSize}} {
			if w := textWidth(s.text, s.size); w > b.W-2*dgNodePadX+0.01 {
				t.Errorf("box %s: %q (%.0f px) does not fit in %.0f px", b.ID, s.text, w, b.W)
			}
		}
		if b.Label == "" && b.Full != "" {
			t.Errorf("box %s lost its label", b.ID)
		}
	}
	texts = append(texts, named{"host title", l.HostText.Rect()})
	if !inside(l.HostText.Rect(), l.Host) {
		t.Error("the host's name spills out of its box")
	}
	for _, h := range l.Headings {
		texts = append(texts, named{"heading " + h.Text, h.Rect()})
	}
	for _, e := range l.Edges {
		if e.Label != nil {
			texts = append(texts, named{fmt.Sprintf("label %s→%s %s", e.From, e.To, e.Label.Text), e.Label.Rect()})
		}
	}
	for i, a := range boxes {
		if !inside(a.r, canvas) {
			t.Errorf("%s is off the canvas", a.name)
		}
		for _, b := range boxes[i+1:] {
			if a.r.overlaps(b.r) {
				t.Errorf("%s overlaps %s", a.name, b.name)
			}
		}
	}
	for i, a := range texts {
		if !inside(a.r, canvas) {
			t.Errorf("%s is off the canvas", a.name)
		}
		for _, b := range texts[i+1:] {
			if a.r.overlaps(b.r) {
				t.Errorf("%s overlaps %s", a.name, b.name)
			}
		}
		for _, b := range boxes {
			if a.r.overlaps(b.r) {
				t.Errorf("%s overlaps %s", a.name, b.name)
			}
		}
	}

	// Arrows start and end on the border of the boxes they join, and no arrow
	// runs through another arrow's label near its end.
	byID := map[string]*dgBox{}
	for _, b := range l.Boxes {
		byID[b.ID] = b
	}
	type segment struct{ x1, x2, y float64 }
	var flats []segment
	var ends [][2]float64
	for _, e := range l.Edges {
		from, to := byID[e.From], byID[e.To]
		if from == nil || to == nil {
			t.Fatalf("arrow %s→%s joins a box that is not drawn", e.From, e.To)
		}
		sx, sy, sFlat, _, ty, tx := pathPoints(t, e.Path)
		if !onVerticalBorder(from, sx, sy) || !onVerticalBorder(to, tx, ty) {
			t.Errorf("arrow %s→%s does not join its boxes: %s", e.From, e.To, e.Path)
		}
		flats = append(flats, segment{min(sx, sFlat), max(sx, sFlat), sy})
		ends = append(ends, [2]float64{tx, ty})
	}
	for i, e := range l.Edges {
		if e.Label == nil {
			continue
		}
		r := e.Label.Rect()
		for _, f := range flats {
			if f.y > r.Y+0.5 && f.y < r.Y+r.H-0.5 && f.x1 < r.X+r.W && r.X < f.x2 {
				t.Errorf("an arrow's start runs through label %q of %s→%s", e.Label.Text, e.From, e.To)
			}
		}
		for j, end := range ends {
			if j == i || end[1] == ends[i][1] {
				continue
			}
			if end[1] > r.Y+0.5 && end[1] < r.Y+r.H-0.5 && end[0] > r.X-dgCurve && end[0] < r.X+r.W+dgCurve+400 {
				// The other arrow's flat end is at this label's height on the
				// same side: it would run through the text.
				if (end[0] > r.X) == (ends[i][0] > r.X) {
					t.Errorf("arrow %s→%s ends through label %q of %s→%s", l.Edges[j].From, l.Edges[j].To, e.Label.Text, e.From, e.To)
				}
			}
		}
	}
}

var pathRE = regexp.MustCompile(`^M([\d.]+) ([\d.]+)H([\d.]+)C([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)H([\d.]+)$`)

// pathPoints reads an arrow's path: its start, the end of its flat start, the
// start of its flat end, and its end.
func pathPoints(t *testing.T, p string) (sx, sy, sFlat, tFlat, ty, tx float64) {
	t.Helper()
	m := pathRE.FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("unexpected path %q", p)
	}
	f := func(i int) float64 {
		v, err := strconv.ParseFloat(m[i], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return f(1), f(2), f(3), f(8), f(9), f(10)
}

func onVerticalBorder(b *dgBox, x, y float64) bool {
	const eps = 0.06 // coordinates are printed to 0.1 px
	onX := abs(x-b.X) < eps || abs(x-(b.X+b.W)) < eps
	return onX && y > b.Y && y < b.Y+b.H
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestDiagramDrawsOnlyArrowsBetweenDrawnBoxes(t *testing.T) {
	d := bigDiagram()
	svg := diagramSVG(d, "en", "_dg1")
	nodes := map[string]bool{}
	for _, m := range regexp.MustCompile(`<g class="node [a-z]+" data-id="([^"]*)"`).FindAllStringSubmatch(svg, -1) {
		nodes[m[1]] = true
	}
	if len(nodes) != len(d.Services)+len(d.Peers) {
		t.Errorf("%d boxes drawn, want %d", len(nodes), len(d.Services)+len(d.Peers))
	}
	arrows := regexp.MustCompile(`data-from="([^"]*)" data-to="([^"]*)"`).FindAllStringSubmatch(svg, -1)
	for _, m := range arrows {
		if !nodes[m[1]] || !nodes[m[2]] {
			t.Errorf("arrow %s→%s has an end that is not drawn", m[1], m[2])
		}
	}
	if want := len(d.Edges) - 3; len(arrows) != want {
		t.Errorf("%d arrows drawn, want %d (all but the three that join no service and peer)", len(arrows), want)
	}
}

func TestDiagramEscapesAndCutsLabels(t *testing.T) {
	d := bigDiagram()
	svg := diagramSVG(d, "ja", "_dg1")
	dec := xml.NewDecoder(strings.NewReader(svg))
	titles := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "script" || se.Name.Local == "style" {
				t.Errorf("<%s> in the SVG", se.Name.Local)
			}
			if se.Name.Local == "title" {
				titles++
			}
		}
	}
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") {
		t.Error("a hostile label is not escaped")
	}
	// Long labels are cut, and say their full text in a <title>.
	long := strings.Repeat("very-long-unit-name-", 8) + ".service"
	if !strings.Contains(svg, "<title>"+long+" — tcp/8011, udp/9011</title>") {
		t.Error("a cut label lost its full text")
	}
	if !strings.Contains(svg, "…</text>") {
		t.Error("no label was cut")
	}
	if titles < 4 {
		t.Errorf("only %d <title> elements", titles)
	}
	if !strings.Contains(svg, `role="img" aria-labelledby="_dg1_title _dg1_desc"`) || !strings.Contains(svg, `<desc id="_dg1_desc">big</desc>`) {
		t.Error("the drawing is not labelled for screen readers")
	}
}

func TestTextWidthAndFit(t *testing.T) {
	if textWidth("あいう", 10) <= textWidth("abc", 10)*1.5 {
		t.Error("Japanese text should measure wider than Latin text of the same length")
	}
	if got, cut := fitText("short", 13, 200); got != "short" || cut {
		t.Errorf("fitText cut a short text: %q", got)
	}
	got, cut := fitText("一時ファイル削除サービス（夜間バッチ処理用）", 13, 100)
	if !cut || !strings.HasSuffix(got, "…") || textWidth(got, 13) > 100 {
		t.Errorf("fitText gave %q (%.0f px)", got, textWidth(got, 13))
	}
}
