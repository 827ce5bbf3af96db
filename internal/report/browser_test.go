package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHTMLInBrowser opens the sample page in a real headless Chromium with the
// network cut off, and checks from the DOM Chromium dumps that the page was
// built as meant: the script ran, the drawing is there, every in-page link lands
// on an element, and a click on a column title sorts its table. It keeps a
// screenshot, the page and its printed form (PDF) as test artefacts, in
// $TROWEL_ARTEFACTS or else in testdata/artefacts/.
func TestHTMLInBrowser(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("no chromium or chromium-browser on PATH (lab/deps.sh installs Debian's chromium)")
	}
	artefacts := os.Getenv("TROWEL_ARTEFACTS")
	if artefacts == "" {
		artefacts = filepath.Join("testdata", "artefacts")
	}
	artefacts, err := filepath.Abs(artefacts)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	page := renderHTML(t, sampleDocument())
	pagePath := filepath.Join(artefacts, "report.ja.html")
	if err := os.WriteFile(pagePath, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + pagePath

	// The DOM after the script ran, opened at #selftest so the script's test
	// hook clicks a column title of each table.
	dom := runChromium(t, browser, "--dump-dom", url+"#selftest")
	root := regexp.MustCompile(`<html[^>]*>`).FindString(dom)
	if root == "" {
		t.Fatalf("no <html> in the dumped DOM:\n%.2000s", dom)
	}
	if !regexp.MustCompile(`class="[^"]*\bjs\b`).MatchString(root) {
		t.Errorf("the page's script did not run: %s", root)
	}
	links := strings.Count(page, `href="#`)
	if want := `data-links="` + strconv.Itoa(links) + "/" + strconv.Itoa(links) + `"`; !strings.Contains(root, want) {
		t.Errorf("in-page links: %s, want %s (every link landing on an element)", root, want)
	}
	if !strings.Contains(dom, `<svg class="host-diagram" role="img"`) {
		t.Error("the diagram is not in the DOM")
	}
	if n := strings.Count(dom, `<g class="node `); n != 7 {
		t.Errorf("%d diagram boxes in the DOM, want 7", n)
	}

	tables := strings.Split(dom, "<table")[1:]
	if len(tables) != 2 {
		t.Fatalf("%d tables in the DOM, want 2", len(tables))
	}
	// Sorted by port, numerically, the row without a number last.
	if got := firstColumn(tables[0], 1); strings.Join(got, " ") != "22 80 443 24224 ?" {
		t.Errorf("port column after sorting: %q", got)
	}
	if !regexp.MustCompile(`<th[^>]*aria-sort="ascending"[^>]*><button[^>]*>ポート</button>`).MatchString(tables[0]) {
		t.Errorf("the sorted column does not say so (aria-sort): %.600s", tables[0])
	}
	// Sorted by name the way people read it: numbers by value, case ignored.
	if got := firstColumn(tables[1], 0); strings.Join(got, " ") != "9-base 10-local Apache cron nginx" {
		t.Errorf("name column after sorting: %q", got)
	}

	// The screenshot: the page as a reader sees it.
	shot := filepath.Join(artefacts, "report.ja.png")
	os.Remove(shot)
	runChromium(t, browser, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", url)
	checkScreenshot(t, shot, 1280, 2000)
	t.Logf("screenshot: %s", shot)

	// The printed form (print stylesheet), kept for a person to look at.
	pdf := filepath.Join(artefacts, "report.ja.pdf")
	os.Remove(pdf)
	runChromium(t, browser, "--print-to-pdf="+pdf, "--no-pdf-header-footer", url)
	if head, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(head, []byte("%PDF-")) {
		t.Errorf("printing to PDF failed: %v", err)
	}
}

func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// runChromium runs headless Chromium once, with a fresh profile and every way
// to the network closed: a proxy that goes nowhere, no name resolution, no
// background fetches. The sandbox is off: it needs namespaces CI containers
// often lack (and root refuses it), and the page is our own.
func runChromium(t *testing.T, browser string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, browser, append([]string{
		"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir=" + filepath.Join(home, "profile"),
		"--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run",
		"--no-default-browser-check", "--mute-audio",
	}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			t.Fatalf("chromium %v: no answer in 60 s\n%s", args, tail(stderr.String()))
		}
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String()))
	}
	return stdout.String()
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

var (
	rowRE  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagRE  = regexp.MustCompile(`<[^>]*>`)
)

// firstColumn returns the text of column col of every body row of a table as
// serialized by Chromium.
func firstColumn(table string, col int) []string {
	body := table[strings.Index(table, "<tbody>"):]
	body = body[:strings.Index(body, "</tbody>")]
	var out []string
	for _, row := range rowRE.FindAllStringSubmatch(body, -1) {
		cells := cellRE.FindAllStringSubmatch(row[1], -1)
		if col < len(cells) {
			out = append(out, strings.TrimSpace(tagRE.ReplaceAllString(cells[col][1], "")))
		}
	}
	return out
}

// checkScreenshot checks the screenshot is a real picture of a page: the size
// asked for, mostly background, and enough ink in enough colours to be text,
// tables and a drawing rather than a blank or single-colour error page.
func checkScreenshot(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
	}
	colours := map[[3]uint32]bool{}
	ink, total := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			total++
			if r>>8 < 200 || g>>8 < 200 || bl>>8 < 200 {
				ink++
			}
		}
	}
	if len(colours) < 50 {
		t.Errorf("screenshot has %d colours: not a rendered page", len(colours))
	}
	if share := float64(ink) / float64(total); share < 0.01 || share > 0.6 {
		t.Errorf("screenshot is %.1f%% ink: not a rendered page", share*100)
	}
}

// TestHandoverInBrowser opens the lab's legacy handover, as trowel report writes
// it, in both languages: the page renders with its script, the host map is drawn
// with a box per service and outside system, and every link of the contents lands.
func TestHandoverInBrowser(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("no chromium or chromium-browser on PATH (lab/deps.sh installs Debian's chromium)")
	}
	artefacts := os.Getenv("TROWEL_ARTEFACTS")
	if artefacts == "" {
		artefacts = filepath.Join("testdata", "artefacts")
	}
	artefacts, err := filepath.Abs(artefacts)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	s := legacySnapshot(t)
	for _, lang := range []string{"en", "ja"} {
		page := render(t, s, lang, "html")
		pagePath := filepath.Join(artefacts, "legacy."+lang+".html")
		if err := os.WriteFile(pagePath, page, 0o644); err != nil {
			t.Fatal(err)
		}
		dom := runChromium(t, browser, "--dump-dom", "file://"+pagePath)
		root := regexp.MustCompile(`<html[^>]*>`).FindString(dom)
		if !regexp.MustCompile(`class="[^"]*\bjs\b`).MatchString(root) {
			t.Errorf("%s: the page's script did not run: %s", lang, root)
		}
		links := strings.Count(string(page), `href="#`)
		if want := `data-links="` + strconv.Itoa(links) + "/" + strconv.Itoa(links) + `"`; links == 0 || !strings.Contains(root, want) {
			t.Errorf("%s: in-page links: %s, want %s", lang, root, want)
		}
		d := Handover(s, nil, lang).diagramOf(t)
		if n := strings.Count(dom, `<g class="node `); n != len(d.Services)+len(d.Peers) {
			t.Errorf("%s: %d diagram boxes in the DOM, want %d", lang, n, len(d.Services)+len(d.Peers))
		}
		shot := filepath.Join(artefacts, "legacy."+lang+".png")
		os.Remove(shot)
		runChromium(t, browser, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars", "file://"+pagePath)
		checkScreenshot(t, shot, 1280, 2000)
		t.Logf("screenshot: %s", shot)
	}
}

// diagramOf finds the document's host map.
func (d *Document) diagramOf(t *testing.T) *Diagram {
	t.Helper()
	for _, s := range d.All() {
		for _, b := range s.Blocks {
			if dg, ok := b.(*Diagram); ok {
				return dg
			}
		}
	}
	t.Fatal("the document has no diagram")
	return nil
}
