package report

import (
	"bytes"
	"strings"
	"testing"
)

// The fragment is the page's body without its script: a page that serves the
// stylesheet and script as files shows the same document.
func TestHTMLFragmentIsThePagesBody(t *testing.T) {
	page := renderHTML(t, sampleDocument())
	var frag bytes.Buffer
	if err := HTMLFragment(&frag, sampleDocument()); err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(page, "<body>\n")
	body, _, _ = strings.Cut(body, "\n<script>")
	// The page around the fragment has its own h1 and main.
	body = strings.Replace(body, "<h1>"+sampleDocument().Title+"</h1>", `<p class="doc-title">`+sampleDocument().Title+"</p>", 1)
	body = strings.Replace(strings.Replace(body, "<main>", `<div class="doc-main">`, 1), "</main>", "</div>", 1)
	if frag.String() != body {
		t.Errorf("the fragment differs from the page's body:\n%s\n---\n%s", frag.String(), body)
	}
	for _, inline := range []string{"<script", "<style", " style=", "<main", "<h1"} {
		if strings.Contains(frag.String(), inline) {
			t.Errorf("the fragment holds %s: inline code a strict Content-Security-Policy blocks, or what the page around it has", inline)
		}
	}
	if !strings.Contains(page, Stylesheet()) || !strings.Contains(page, Script()) {
		t.Error("Stylesheet and Script are not what the page inlines")
	}
	bad := sampleDocument()
	bad.Sections[0].ID = "Not An ID"
	if err := HTMLFragment(&bytes.Buffer{}, bad); err == nil {
		t.Error("a fragment with a broken section ID was written")
	}
}
