package report

// Figure is a drawing made by another package (the estate map), given as SVG
// markup. The HTML renderer inlines SVG as it is, so whoever builds a Figure
// escapes every text it draws; the other renderers show Alt.
type Figure struct {
	// Alt describes the drawing in words, for text renderers and screen readers.
	Alt string `json:"alt"`
	SVG string `json:"-"`
}

func (*Figure) blockKind() string { return "figure" }

// DrawingFonts is the font stack of report's drawings, as an SVG attribute value:
// a Figure drawn with it matches the page, Japanese included.
const DrawingFonts = dgFonts

// TextWidth estimates how wide s is drawn at size px, erring wide, as report's
// own drawings measure their labels.
func TextWidth(s string, size float64) float64 { return textWidth(s, size) }

// FitText cuts s with an ellipsis so that it is at most maxW wide at size px; it
// reports whether it cut.
func FitText(s string, size, maxW float64) (string, bool) { return fitText(s, size, maxW) }
