package web

import (
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// a11yCheck are the basics an accessibility checker (axe) asks of a page,
// checked in the page itself: every form field has a label; every link and
// button has a name; text is at a contrast of at least 4.5:1 with what it is
// drawn on (3:1 when large); drawings have a name; the page says its
// language and has one h1. It gives the problems found.
const a11yCheck = `(() => {
  const problems = [];
  const say = (what, el) => problems.push(what + ": " + el.outerHTML.slice(0, 120));
  document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(el => {
    const named = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest("label") ||
      el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!named) say("no label", el);
  });
  document.querySelectorAll("a[href], button").forEach(el => {
    if (!(el.textContent.trim() || el.getAttribute("aria-label") || el.getAttribute("title"))) say("no name", el);
  });
  document.querySelectorAll("svg[role=img]").forEach(el => {
    if (!(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.querySelector("title"))) say("drawing without a name", el);
  });
  document.querySelectorAll("img").forEach(el => { if (!el.hasAttribute("alt")) say("image without alt", el); });
  if (!document.documentElement.lang) problems.push("no lang on html");
  if (document.querySelectorAll("h1").length !== 1) problems.push(document.querySelectorAll("h1").length + " h1");

  // rgb(r, g, b), rgba(r, g, b, a), or color(srgb r g b / a) with 0..1 channels (color-mix gives these).
  const parse = c => {
    const m = c.match(/[\d.]+/g) || [0, 0, 0, 0];
    const k = c.startsWith("color(") ? 255 : 1;
    return [m[0] * k, m[1] * k, m[2] * k, m.length > 3 ? +m[3] : 1];
  };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  // The colour text is drawn on: the backgrounds of its ancestors, blended.
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (let i = layers.length - 1; i >= 0; i--) { const [r, g, b, a] = layers[i]; out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)]; }
    return out;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el) || el.closest("svg, option, script, noscript")) continue;
    seen.add(el);
    if (!el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === "hidden" || parseFloat(cs.opacity) === 0 || el.closest("[hidden], .visually-hidden, .skip")) continue;
    const fg = parse(cs.color), bg = behind(el);
    const blended = [fg[0] * fg[3] + bg[0] * (1 - fg[3]), fg[1] * fg[3] + bg[1] * (1 - fg[3]), fg[2] * fg[3] + bg[2] * (1 - fg[3])];
    const l1 = lum(blended), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) problems.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + cs.color + " on rgb(" + bg.map(Math.round) + "): " + n.textContent.trim().slice(0, 40));
  }
  return problems;
})()`

// focusShown tells whether the focused element shows it has the focus: an
// outline of 2 px or more, a box shadow, or (a host on the map) a thicker box.
const focusShown = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {what: "body", shown: false};
  const what = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 30);
  if (el instanceof SVGElement) {
    const r = el.querySelector("rect");
    return {what, shown: !!r && parseFloat(getComputedStyle(r).strokeWidth) >= 3};
  }
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
  return {what, shown: outline || (cs.boxShadow && cs.boxShadow !== "none")};
})()`

// TestInBrowser opens the estate, a host, the map and a question across the
// estate in headless Chromium, in English and in Japanese (the browser's
// language), with the network closed but for the server: each page runs its
// script with no CSP violation, passes the accessibility basics, shows the
// keyboard's focus, and is kept as a screenshot (in $TROWEL_ARTEFACTS, else
// testdata/artefacts). The browser then follows every link of those pages
// (each answers 200), clicks a host on the map and lands on its page, and
// clicks an arrow to see its evidence.
func TestInBrowser(t *testing.T) {
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		// make test sets TROWEL_BROWSER_REQUIRED: there, a browser test that skips is a failure.
		if os.Getenv("TROWEL_BROWSER_REQUIRED") != "" {
			t.Fatal("no chromium on PATH (lab/deps.sh installs Debian's chromium)")
		}
		t.Skip("no chromium on PATH (lab/deps.sh installs Debian's chromium)")
	}
	artefacts := os.Getenv("TROWEL_ARTEFACTS")
	if artefacts == "" {
		artefacts = filepath.Join("testdata", "artefacts")
	}
	if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Config{}, true)
	srv := httptest.NewServer(ts.srv)
	defer srv.Close()
	b := chromium(t, path)
	b.resize(1440, 1000)

	pages := []struct{ name, path string }{{"estate", "/"}, {"host", "/hosts/legacy"}, {"map", "/map"}, {"question", "/ask/cron"}}
	links := map[string]bool{}
	for _, lang := range []string{"en", "ja"} {
		b.language(map[string]string{"en": "en-US,en;q=0.9", "ja": "ja-JP,ja;q=0.9,en;q=0.5"}[lang])
		for _, p := range pages {
			b.open(srv.URL + p.path)
			var state struct {
				Lang, Class string
				CSP         []string
				Links       []string
			}
			b.eval(`({lang: document.documentElement.lang, class: document.documentElement.className, csp: window.__csp,
				links: Array.from(document.querySelectorAll("a[href]"), a => a.href).filter(h => h.startsWith(location.origin))})`, &state)
			if state.Lang != lang {
				t.Errorf("%s in %s: the page is in %q", p.path, lang, state.Lang)
			}
			if !strings.Contains(state.Class, "js") {
				t.Errorf("%s: the script did not run", p.path)
			}
			if len(state.CSP) > 0 {
				t.Errorf("%s: the page broke its CSP: %v", p.path, state.CSP)
			}
			for _, l := range state.Links {
				l, _, _ = strings.Cut(l, "#")
				links[l] = true
			}
			var problems []string
			b.eval(a11yCheck, &problems)
			for _, pr := range problems {
				t.Errorf("%s in %s: %s", p.path, lang, pr)
			}
			if p.name == "map" && !b.poll(`document.documentElement.getAttribute("data-map") === "ready"`, 10*time.Second) {
				t.Error("the map's script did not start")
			}
			shot := filepath.Join(artefacts, p.name+"."+lang+".png")
			b.screenshot(shot)
			checkPicture(t, shot)
			t.Logf("screenshot: %s", shot)

			// The keyboard: the first stops of Tab each show the focus.
			b.eval(`document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true`, nil)
			for i := range 14 {
				b.key("Tab", 9)
				var f struct {
					What  string
					Shown bool
				}
				b.eval(focusShown, &f)
				if !f.Shown {
					t.Errorf("%s in %s: Tab %d reaches %s without showing the focus", p.path, lang, i+1, f.What)
				}
			}
		}
	}

	// Every link of those pages answers, asked by the browser.
	b.open(srv.URL + "/")
	var list []string
	for l := range links {
		list = append(list, l)
	}
	if len(list) < 60 {
		t.Errorf("only %d links on the pages", len(list))
	}
	var failed []string
	b.eval(`(async (urls) => { const bad = []; for (const u of urls) { const r = await fetch(u, {credentials: "same-origin"}); if (r.status !== 200) bad.push(r.status + " " + u); } return bad; })(`+jsonString(t, list)+`)`, &failed)
	for _, f := range failed {
		t.Errorf("link: %s", f)
	}

	// A host on the map is a link to its page.
	b.language("en-US,en;q=0.9")
	b.open(srv.URL + "/map")
	b.poll(`document.documentElement.getAttribute("data-map") === "ready"`, 10*time.Second)
	var at struct{ X, Y float64 }
	b.eval(`(() => { const r = document.querySelector('g.host[data-name="legacy"] rect').getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()`, &at)
	b.drain()
	b.click(at.X, at.Y)
	b.wait("Page.loadEventFired", 60*time.Second)
	var where string
	b.eval(`location.pathname`, &where)
	if where != "/hosts/legacy" {
		t.Errorf("clicking legacy on the map led to %s", where)
	}

	// An arrow shows its evidence beside the drawing.
	b.open(srv.URL + "/map")
	b.poll(`document.documentElement.getAttribute("data-map") === "ready"`, 10*time.Second)
	b.eval(`(() => { const p = document.querySelector('g.edge[data-from="h-legacy"][data-to="h-collector"][data-service="syslog"] path');
		const pt = p.getPointAtLength(p.getTotalLength() * 0.4).matrixTransform(p.getScreenCTM());
		return {x: pt.x, y: pt.y}; })()`, &at)
	b.click(at.X, at.Y)
	if !b.poll(`!!document.querySelector("#edge-panel[data-edge]") && document.querySelector("#edge-panel").textContent.includes("rsyslog")`, 20*time.Second) {
		var panel string
		b.eval(`document.querySelector("#edge-panel").textContent`, &panel)
		t.Errorf("clicking an arrow did not show its evidence: %.300s", panel)
	}
	shot := filepath.Join(artefacts, "map-evidence.en.png")
	b.screenshot(shot)
	checkPicture(t, shot)

	// Nothing was asked of anything but the server.
	for _, u := range b.requested() {
		if !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") && u != "about:blank" {
			t.Errorf("the browser was sent elsewhere: %s", u)
		}
	}
}

func jsonString(t *testing.T, v any) string {
	doc, err := jsonMarshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

// checkPicture checks a screenshot is a rendered page: the viewport's size,
// mostly background, with enough ink in enough colours to be text and tables.
func checkPicture(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if img.Bounds() != image.Rect(0, 0, 1440, 1000) {
		t.Errorf("%s is %v", path, img.Bounds())
	}
	colours := map[[3]uint32]bool{}
	ink, total := 0, 0
	for y := 0; y < 1000; y += 2 {
		for x := 0; x < 1440; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			total++
			if r>>8 < 200 || g>>8 < 200 || bl>>8 < 200 {
				ink++
			}
		}
	}
	if share := float64(ink) / float64(total); len(colours) < 50 || share < 0.02 || share > 0.6 {
		t.Errorf("%s: %d colours, %.1f%% ink: not a rendered page", path, len(colours), share*100)
	}
}
