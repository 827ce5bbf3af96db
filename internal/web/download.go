package web

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/analyze"
	"github.com/trowel-dev/trowel/internal/codify/ansible"
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/estate"
	"github.com/trowel-dev/trowel/internal/report"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/store"
)

// Downloads: what the commands write from a stored survey (report, spec, goss,
// codify, the snapshot itself) and the map, made on request. Each download of
// a host's survey is an export, and goes in the audit trail first: one that
// cannot be recorded is not served.

// file is one download: what it is for the audit trail, and how it is made.
type file struct {
	action string // the audit trail's word: the command that writes it
	kind   string
	suffix func(lang string) string
	write  func(w io.Writer, snap *snapshot.Snapshot, sv store.SurveyInfo, rq *request) error
}

var files = map[string]file{
	"snapshot.json": {"snapshot", "application/json", fixed(".json"), func(w io.Writer, snap *snapshot.Snapshot, _ store.SurveyInfo, _ *request) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(snap)
	}},
	"report.html": {"report", "text/html; charset=utf-8", perLang(".html"), func(w io.Writer, snap *snapshot.Snapshot, _ store.SurveyInfo, rq *request) error {
		return report.HTML(w, report.Handover(snap, analyze.Analyze(snap, rq.L.lang), rq.L.lang))
	}},
	"report.md": {"report", "text/markdown; charset=utf-8", perLang(".md"), func(w io.Writer, snap *snapshot.Snapshot, _ store.SurveyInfo, rq *request) error {
		return report.Markdown(w, report.Handover(snap, analyze.Analyze(snap, rq.L.lang), rq.L.lang))
	}},
	"spec.yaml": {"spec", "application/yaml; charset=utf-8", fixed(".spec.yaml"), func(w io.Writer, snap *snapshot.Snapshot, sv store.SurveyInfo, _ *request) error {
		doc, err := spec.Marshal(spec.Derive(snap, sv.Ref()))
		if err == nil {
			_, err = w.Write(doc)
		}
		return err
	}},
	"goss.yaml": {"spec", "application/yaml; charset=utf-8", fixed(".goss.yaml"), func(w io.Writer, snap *snapshot.Snapshot, sv store.SurveyInfo, _ *request) error {
		doc, err := spec.Goss(spec.Derive(snap, sv.Ref()))
		if err == nil {
			_, err = w.Write(doc)
		}
		return err
	}},
	"ansible.tar.gz": {"codify", "application/gzip", nil, func(w io.Writer, snap *snapshot.Snapshot, sv store.SurveyInfo, rq *request) error {
		return ansibleArchive(w, snap, rq, writeTarGz)
	}},
	"ansible.zip": {"codify", "application/zip", nil, func(w io.Writer, snap *snapshot.Snapshot, sv store.SurveyInfo, rq *request) error {
		return ansibleArchive(w, snap, rq, writeZip)
	}},
}

func fixed(s string) func(string) string { return func(string) string { return s } }

func perLang(s string) func(string) string { return func(lang string) string { return "." + lang + s } }

// download serves one file made from a host's survey.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	s.page(func(rq *request) (*page, error) {
		ctx := r.Context()
		f, ok := files[r.PathValue("file")]
		if !ok {
			return nil, errNotFound
		}
		seq, err := strconv.Atoi(r.PathValue("seq"))
		if err != nil || seq <= 0 {
			return nil, errNotFound
		}
		h, err := s.cfg.Store.FindHost(ctx, r.PathValue("name"))
		if err != nil {
			return nil, err
		}
		sv, err := s.cfg.Store.Find(ctx, h.Name+"@"+strconv.Itoa(seq))
		if err != nil {
			return nil, err
		}
		name := refFile(sv, "")
		if f.suffix != nil {
			name += f.suffix(rq.L.lang)
		} else {
			target, err := codifyTarget(r)
			if err != nil {
				return nil, &notFound{rq.L.T("file.bad_target", strings.Join(targetNames(), ", "))}
			}
			name = strings.ReplaceAll(sv.Host, "/", "_") + "-" + target.String() + strings.TrimPrefix(r.PathValue("file"), "ansible")
		}
		snap, err := s.cfg.Store.Snapshot(ctx, sv)
		if err != nil {
			return nil, err
		}
		var body bytes.Buffer
		if err := f.write(&body, snap, sv, rq); err != nil {
			return nil, err
		}
		if err := s.audit(rq, "", store.AuditEntry{Action: f.action, Target: sv.Ref(), Host: sv.Host, Survey: sv.Seq,
			Outcome: "downloaded " + name}); err != nil {
			return nil, err
		}
		serveFile(w, f.kind, name, body.Bytes())
		return nil, nil
	})(w, r)
}

func serveFile(w http.ResponseWriter, kind, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", kind)
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func codifyTarget(r *http.Request) (distro.Platform, error) {
	p, err := distro.ParsePlatform(r.URL.Query().Get("target"))
	if err != nil {
		return p, err
	}
	if !slices.Contains(distro.Targets(), p) {
		return p, fmt.Errorf("codify does not write for %s", p)
	}
	return p, nil
}

func targetNames() []string {
	var out []string
	for _, t := range distro.Targets() {
		out = append(out, t.String())
	}
	return out
}

// ansibleArchive writes trowel codify's project for ?target= as an archive
// whose one top directory is named as codify names it (HOST-TARGET).
func ansibleArchive(w io.Writer, snap *snapshot.Snapshot, rq *request, write func(io.Writer, string, map[string]string) error) error {
	target, err := codifyTarget(rq.r)
	if err != nil {
		return err
	}
	p, err := ansible.Build(ansible.Input{Snap: snap, Target: target, Findings: analyze.Analyze(snap, "en")})
	if err != nil {
		return err
	}
	return write(w, p.Host+"-"+target.String(), ansible.Render(p))
}

// archiveMode keeps the vault file readable by its owner only, as codify
// writes it.
func archiveMode(name string) int64 {
	if strings.HasSuffix(name, "vault.yml") {
		return 0o600
	}
	return 0o644
}

func writeTarGz(w io.Writer, dir string, files map[string]string) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		body := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: dir + "/" + name, Mode: archiveMode(name), Size: int64(len(body)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			return err
		}
		if _, err := io.WriteString(tw, body); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func writeZip(w io.Writer, dir string, files map[string]string) error {
	zw := zip.NewWriter(w)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		hdr := &zip.FileHeader{Name: dir + "/" + name, Method: zip.Deflate}
		hdr.SetMode(0o644)
		if archiveMode(name) == 0o600 {
			hdr.SetMode(0o600)
		}
		f, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, files[name]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// mapDownload serves the map as trowel map writes it: json, svg, md or html.
func (s *Server) mapDownload(w http.ResponseWriter, r *http.Request) {
	s.page(func(rq *request) (*page, error) {
		name := r.PathValue("file")
		base, format, _ := strings.Cut(name, ".")
		kinds := map[string]string{"json": "application/json", "svg": "image/svg+xml", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
		kind, ok := kinds[format]
		if base != "estate" || !ok {
			return nil, errNotFound
		}
		st, err := s.idx.view(r.Context())
		if err != nil {
			return nil, err
		}
		var body bytes.Buffer
		if err := estate.Write(&body, st.m, format, rq.L.lang, rq.now); err != nil {
			return nil, err
		}
		if err := s.audit(rq, "", store.AuditEntry{Action: "map", Target: "estate", Outcome: "downloaded " + name}); err != nil {
			return nil, err
		}
		if format != "json" {
			name = "estate." + rq.L.lang + "." + format
		}
		serveFile(w, kind, name, body.Bytes())
		return nil, nil
	})(w, r)
}
