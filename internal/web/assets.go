package web

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"

	"github.com/trowel-dev/trowel/internal/report"
)

// The site's one stylesheet and one script. The handover document's own
// (report's) come first, so the host page is the report as trowel report
// writes it; the site's follow and build on them.
var (
	//go:embed assets/site.css
	siteCSS string
	//go:embed assets/site.js
	siteJS string

	assets = map[string]asset{
		"trowel.css": newAsset("text/css; charset=utf-8", report.Stylesheet()+"\n"+siteCSS),
		"trowel.js":  newAsset("text/javascript; charset=utf-8", report.Script()+"\n"+siteJS),
	}
)

type asset struct {
	kind, version string
	body          []byte
}

func newAsset(kind, body string) asset {
	sum := sha256.Sum256([]byte(body))
	return asset{kind: kind, version: hex.EncodeToString(sum[:6]), body: []byte(body)}
}

// assetURL names an asset with its version, so a browser may keep it for good
// and still never use a stale one.
func assetURL(name string) string { return "/assets/" + name + "?v=" + assets[name].version }

// asset serves the stylesheet and the script, by name only: there is no
// directory to list.
func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.PathValue("file")]
	if !ok {
		s.page(func(*request) (*page, error) { return nil, errNotFound })(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.kind)
	if r.URL.Query().Get("v") == a.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", `"`+a.version+`"`)
	if r.Header.Get("If-None-Match") == `"`+a.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.body)
}
