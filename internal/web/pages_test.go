package web

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/estate"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/store/pgtest"
)

var rowHost = regexp.MustCompile(`<tr>\s*<th scope="row"><a href="/hosts/([^"]+)">`)

// hostsListed are the hosts of the estate table, in the order shown.
func hostsListed(t testing.TB, page string) []string {
	t.Helper()
	var out []string
	for _, m := range rowHost.FindAllStringSubmatch(page, -1) {
		name, err := url.PathUnescape(m[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	return out
}

func TestEstatePage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	page := ts.mustGet("/")
	if got := hostsListed(t, page); strings.Join(got, " ") != "app3 broken collector legacy newweb stg www01" {
		t.Errorf("hosts: %v", got)
	}
	// The counts at the top, each a link to what it counts.
	for _, want := range []string{
		`<a href="/"><span class="n">7</span> <span class="what">hosts</span>`,
		`<a href="?eol=ended"><span class="n">5</span> <span class="what">past end of life (OS)</span>`,
		`<a href="?eol=soon"><span class="n">1</span> <span class="what">end of life within 6 months</span>`,
		`<a href="?age=30&amp;sort=survey&amp;dir=asc"><span class="n">1</span> <span class="what">not surveyed for 30 days</span>`,
		`<span class="what">inhibitors</span> <span class="note">on 6 hosts</span>`,
		`<a href="?gaps=1"><span class="n">1</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the estate page lacks %s", want)
		}
	}
	// Each row: what the host is for (from the map), its end of life as it
	// stands today, its last survey with the exact time in the title.
	for _, want := range []string{
		`<span class="eol eol-ended">ended 2017-03-31</span>`,
		`<span class="eol eol-soon">ends 2027-04-01</span>`,
		`<span class="eol eol-supported">supported to 2028-08-09</span>`,
		`Redmine 4.2.11`,
		`<time datetime="2026-09-01T02:00:00Z" title="2026-09-01 02:00 UTC">3 months ago</time>`,
		`<span class="tag warn">old</span>`,
		`<span class="tag warn">12 not collected</span>`,
		`<span class="warn-text" title="`, // broken's survey could not be read, and says why
		`1 host&#39;s latest survey could not be read`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the estate page lacks %s", want)
		}
	}
}

// Every filter of the estate page, alone, as a link would give it.
func TestEstateFilters(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	for query, want := range map[string]string{
		"group=staging":                    "stg",
		"group=production":                 "app3 collector legacy newweb www01",
		"os=CentOS+release+5.11+(Final)":   "www01",
		"os=Ubuntu+22.04.5+LTS":            "app3",
		"eol=ended":                        "broken collector legacy stg www01",
		"eol=soon":                         "app3",
		"eol=supported":                    "newweb",
		"eol=unknown":                      "",
		"finding=eol.os":                   "collector legacy stg www01",
		"finding=backup.local-only":        "app3 collector legacy newweb stg",
		"service=postfix":                  "app3 legacy newweb stg",
		"service=rsyslog":                  "app3 collector legacy newweb stg",
		"severity=high":                    "app3 broken collector legacy newweb stg www01",
		"severity=low":                     "",
		"inhibitors=1":                     "app3 broken legacy newweb stg www01",
		"gaps=1":                           "www01",
		"age=30":                           "stg",
		"age=2":                            "app3 broken collector legacy newweb stg",
		"q=redmine":                        "app3 legacy newweb stg",
		"q=centos+www":                     "www01",
		"q=nothing-matches-this":           "",
		"group=production&eol=ended":       "collector legacy www01",
		"group=production&service=postfix": "app3 legacy newweb",
	} {
		page := ts.browser().mustGet("/?" + query)
		if got := strings.Join(hostsListed(t, page), " "); got != want {
			t.Errorf("/?%s: %q, want %q", query, got, want)
		}
		if want == "" && !strings.Contains(page, "No host matches these filters.") {
			t.Errorf("/?%s: no row, and no word saying so", query)
		}
		if q, _ := url.ParseQuery(query); len(q) > 0 {
			for k := range q {
				if !strings.Contains(page, `<span class="chip-label">`) {
					t.Errorf("/?%s: the filter %s is not shown as in force", query, k)
				}
			}
		}
	}
}

func TestEstateSorting(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	for query, want := range map[string]string{
		"sort=name&dir=desc":      "www01 stg newweb legacy collector broken app3",
		"sort=group":              "broken app3 collector legacy newweb www01 stg",
		"sort=os&dir=desc":        "app3 newweb broken collector legacy stg www01",
		"sort=eol":                "broken collector legacy stg www01 app3 newweb",
		"sort=survey":             "stg broken collector legacy app3 newweb www01",
		"sort=survey&dir=desc":    "www01 newweb app3 broken collector legacy stg",
		"sort=coverage&dir=desc":  "www01 app3 broken collector legacy newweb stg",
		"sort=findings&dir=desc":  "broken legacy stg collector www01 app3 newweb",
		"sort=inhibitors&dir=asc": "collector app3 broken legacy newweb stg www01",
		"sort=wave":               "broken collector www01 app3 legacy newweb stg",
		"sort=purpose":            "broken collector app3 legacy newweb stg www01",
		"sort=nonsense":           "app3 broken collector legacy newweb stg www01",
	} {
		page := ts.mustGet("/?" + query)
		if got := strings.Join(hostsListed(t, page), " "); got != want {
			t.Errorf("/?%s: %q, want %q", query, got, want)
		}
	}
	// The sorted column says so, and its link sorts the other way.
	page := ts.mustGet("/?sort=survey&group=production")
	if !strings.Contains(page, `<th scope="col" aria-sort="ascending"><a href="?dir=desc&amp;group=production&amp;sort=survey">Last survey</a></th>`) {
		t.Errorf("the sorted column: %s", regexp.MustCompile(`(?s)<thead>.*?</thead>`).FindString(page))
	}
}

// A store with nothing in it: every page says so, and how to start.
func TestEmptyStore(t *testing.T) {
	ts := newTestServer(t, Config{}, false)
	if page := ts.mustGet("/audit"); !strings.Contains(page, "The audit trail has no entry that matches.") {
		t.Error("the empty audit trail")
	}
	for path, want := range map[string]string{
		"/":                      "Nothing in the store yet",
		"/map":                   "No host in the store yet: the map is drawn",
		"/ask":                   "No host in the store yet.",
		"/ask/cron":              "No host in the store yet.",
		"/ask/findings":          "No host in the store yet.",
		"/?lang=ja":              "ストアにはまだ何もありません",
		"/map/document":          "Estate map",
		"/map/files/estate.json": `"hosts": []`,
	} {
		r := ts.browser().get(path)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, want) {
			t.Errorf("%s: %s, want %q in\n%.1500s", path, r.Status, want, r.Body)
		}
	}
	if page := ts.mustGet("/"); !strings.Contains(page, "trowel survey ssh://admin@legacy.example.com --sudo") {
		t.Error("the empty estate does not say how to start")
	}
	if r := ts.get("/hosts/legacy"); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "The store has no host of that name.") {
		t.Errorf("a host of an empty store: %s\n%.500s", r.Status, r.Body)
	}
}

// The same estate page over a team's PostgreSQL store.
func TestEstateOnPostgres(t *testing.T) {
	ts := newTestServerAt(t, pgtest.DSN(t), Config{}, true)
	if got := strings.Join(hostsListed(t, ts.mustGet("/?group=production&sort=name&dir=desc")), " "); got != "www01 newweb legacy collector app3" {
		t.Errorf("PostgreSQL estate: %q", got)
	}
	page := ts.mustGet("/hosts/legacy")
	if !strings.Contains(page, `id="host-history"`) || !strings.Contains(page, "What changed since @1") {
		t.Error("PostgreSQL host page lacks its history")
	}
	if !strings.Contains(ts.mustGet("/map"), `data-name="legacy"`) {
		t.Error("PostgreSQL map lacks legacy")
	}
	ts.signIn(t, "ken")
	if r := ts.postNote(t, "legacy", "moves in wave 3"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a note on PostgreSQL: %s", r.Status)
	}
	if !strings.Contains(ts.mustGet("/hosts/legacy"), "moves in wave 3") {
		t.Error("the note is not on the PostgreSQL host page")
	}
}

func TestHostPage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	page := ts.mustGet("/hosts/legacy")
	for _, want := range []string{
		// The handover document, as trowel report writes it, with its sections.
		`<p class="doc-title">Handover: legacy.trowel.test</p>`,
		`<section id="services" class="level2">`, `<section id="findings" class="level2">`, `<section id="coverage" class="level2">`,
		`<svg class="host-diagram"`,
		// The findings at a glance, linked to the document's.
		`<a href="#findings-high">debian 11 is past its end of life (2024-08-14)</a>`,
		// The facts line: group, end of life, wave.
		`<a href="/?group=production">production</a>`, `<a href="/map#wave-`,
		// The surveys, newest first, each with what changed since the one before.
		`What changed since @1`, `changed · packages: apache2 (version: 2.4.56-1~deb11u1 → 2.4.62-1~deb11u1)`,
		`<a href="/hosts/legacy/surveys/2/changes">what changed</a>`, `<a href="/hosts/legacy/surveys/1">@1</a>`,
		// No verify run has checked legacy; the way to check its replacement.
		`No run of trowel verify has checked this host yet.`, `trowel verify NEW-HOST --against legacy@2`,
		// Downloads and the way to survey again.
		`href="/hosts/legacy/surveys/2/files/spec.yaml"`, `action="/hosts/legacy/surveys/2/files/ansible.tar.gz"`,
		`<option>debian-12</option>`, `trowel survey ssh://root@10.231.0.10:22`,
		// Notes: none yet, and the way to add one.
		`No note yet.`, `<a href="/login?next=%2fhosts%2flegacy%23host-notes">Sign in to add a note.</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("legacy's page lacks %s", want)
		}
	}
	if strings.Index(page, `href="/hosts/legacy/surveys/1"`) < strings.Index(page, `aria-current="true">@2`) {
		t.Error("the surveys are not listed newest first")
	}

	// An older survey: its own document, and a word that it is not the latest.
	older := ts.mustGet("/hosts/legacy/surveys/1")
	if !strings.Contains(older, "This is survey @1 of 2, not the latest.") || strings.Contains(older, "What changed since") ||
		!strings.Contains(older, `href="/hosts/legacy/surveys/1/files/report.html"`) {
		t.Error("the older survey's page")
	}
	// The Japanese page is the Japanese report.
	ja := ts.mustGet("/hosts/legacy", "Accept-Language", "ja,en;q=0.5")
	if !strings.Contains(ja, `<html lang="ja"`) || !strings.Contains(ja, "引き継ぎ資料") || !strings.Contains(ja, "指摘事項") {
		t.Error("the Japanese host page")
	}
	// A host found by another of its names has one address; one that is not
	// there, or a survey it does not have, is not found.
	if r := ts.get("/hosts/LEGACY.trowel.test/surveys/1"); r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != "/hosts/legacy/surveys/1" {
		t.Errorf("another name: %s to %s", r.Status, r.Header.Get("Location"))
	}
	for _, path := range []string{"/hosts/nowhere", "/hosts/legacy/surveys/9", "/hosts/legacy/surveys/x", "/hosts/legacy/surveys/9/changes"} {
		if r := ts.get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s", path, r.Status)
		}
	}
	// The unreadable survey says why, and offers what it still can.
	broken := ts.mustGet("/hosts/broken")
	for _, want := range []string{"This survey is a snapshot of schema version 999, and this trowel reads version 1", "As counted when the survey was recorded",
		"Nothing can be made from a survey this trowel cannot read.", `id="host-notes"`, `id="host-history"`} {
		if !strings.Contains(broken, want) {
			t.Errorf("an unreadable survey's page lacks %s", want)
		}
	}
	if strings.Contains(broken, "/files/") {
		t.Error("an unreadable survey offers downloads")
	}
	// newweb was checked against legacy: its last run, what failed, what to
	// do, the run before.
	newweb := ts.mustGet("/hosts/newweb")
	for _, want := range []string{`<strong>1 failed.</strong>`, `41 passed, 1 failed, 3 skipped (not collected).`, `ssh://root@10.231.0.20 against legacy@2`,
		`cron fires in UTC, expected Asia/Tokyo`, `set the time zone and restart cron`, `1 earlier runs`, `30 passed, 12 failed, 3 skipped`, "ken@jump1"} {
		if !strings.Contains(newweb, want) {
			t.Errorf("newweb's verify runs lack %s", want)
		}
	}
	if strings.Contains(newweb, "apache2 is not running") {
		t.Error("an earlier run's failure is shown as the last one's")
	}
}

func TestChangesPage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	page := ts.mustGet("/hosts/legacy/surveys/2/changes")
	for _, want := range []string{"What changed in legacy@2", "From legacy@1 (2026-11-07 03:30 UTC) to legacy@2", "Parity report", `<option value="1" selected>`} {
		if !strings.Contains(page, want) {
			t.Errorf("changes page lacks %s", want)
		}
	}
	if back := ts.mustGet("/hosts/legacy/surveys/1/changes?with=2"); !strings.Contains(back, "From legacy@2") {
		t.Error("comparing with a chosen survey")
	}
	if first := ts.mustGet("/hosts/legacy/surveys/1/changes"); !strings.Contains(first, "This is the host&#39;s first survey") {
		t.Error("the first survey's changes")
	}
	if r := ts.get("/hosts/legacy/surveys/2/changes?with=7"); r.StatusCode != http.StatusNotFound {
		t.Errorf("comparing with a survey that is not there: %s", r.Status)
	}
}

func TestDownloads(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	base := "/hosts/legacy/surveys/2/files/"
	check := func(file, kind, name string, body func(string) bool) {
		t.Helper()
		r := ts.get(base + file)
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != kind ||
			!strings.Contains(r.Header.Get("Content-Disposition"), `attachment; filename="`+name+`"`) || !body(r.Body) {
			t.Errorf("%s: %s %s %s\n%.300s", file, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"), r.Body)
		}
		if r.Header.Get("Content-Security-Policy") != CSP {
			t.Errorf("%s has no CSP", file)
		}
	}
	check("snapshot.json", "application/json", "legacy@2.json", func(b string) bool {
		var s snapshot.Snapshot
		return json.Unmarshal([]byte(b), &s) == nil && s.Host.Hostname == "legacy"
	})
	check("report.html", "text/html; charset=utf-8", "legacy@2.en.html", func(b string) bool { return strings.Contains(b, "<style>") })
	check("report.md", "text/markdown; charset=utf-8", "legacy@2.en.md", func(b string) bool { return strings.HasPrefix(b, "# Handover") })
	check("spec.yaml", "application/yaml; charset=utf-8", "legacy@2.spec.yaml", func(b string) bool { return strings.Contains(b, "snapshot: legacy@2") })
	check("goss.yaml", "application/yaml; charset=utf-8", "legacy@2.goss.yaml", func(b string) bool { return strings.Contains(b, "service:") })
	check("ansible.tar.gz?target=debian-12", "application/gzip", "legacy-debian-12.tar.gz", func(b string) bool {
		names := tarNames(t, []byte(b))
		return slices.Contains(names, "legacy-debian-12/site.yml") && slices.Contains(names, "legacy-debian-12/group_vars/all/vault.yml")
	})
	check("ansible.zip?target=almalinux-9", "application/zip", "legacy-almalinux-9.zip", func(b string) bool {
		zr, err := zip.NewReader(strings.NewReader(b), int64(len(b)))
		return err == nil && slices.ContainsFunc(zr.File, func(f *zip.File) bool { return f.Name == "legacy-almalinux-9/MIGRATION_TODO.md" })
	})
	r := ts.get(base + "report.html?lang=ja")
	if !strings.Contains(r.Header.Get("Content-Disposition"), "legacy@2.ja.html") || !strings.Contains(r.Body, "引き継ぎ資料") {
		t.Error("the Japanese report download")
	}
	for _, bad := range []string{"ansible.zip?target=windows-2019", "ansible.zip", "passwd", "..%2fsnapshot.json"} {
		if r := ts.get(base + bad); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s", bad, r.Status)
		}
	}
	// Every export is in the audit trail, tied to its host.
	log, err := ts.st.AuditLog(context.Background(), store.AuditFilter{Host: "legacy"})
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, e := range log {
		if e.Action != "survey" {
			exports = append(exports, e.Action+" "+e.Outcome)
		}
	}
	if len(exports) != 8 || !slices.Contains(exports, "codify downloaded legacy-debian-12.tar.gz") ||
		!slices.Contains(exports, "snapshot downloaded legacy@2.json") || log[0].Operator.Host != "192.0.2.1" ||
		!strings.HasPrefix(log[0].Operator.Command, "trowel serve: GET /hosts/legacy/surveys/2/files/") {
		t.Errorf("exports audited: %q\n%+v", exports, log[0])
	}
	// The map's files.
	for file, kind := range map[string]string{"estate.json": "application/json", "estate.svg": "image/svg+xml", "estate.md": "text/markdown; charset=utf-8", "estate.html": "text/html; charset=utf-8"} {
		r := ts.get("/map/files/" + file)
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != kind {
			t.Errorf("%s: %s %s", file, r.Status, r.Header.Get("Content-Type"))
		}
	}
	var m estate.Map
	if err := json.Unmarshal([]byte(ts.get("/map/files/estate.json").Body), &m); err != nil || len(m.Hosts) != 6 {
		t.Errorf("the map's JSON: %v, %d hosts", err, len(m.Hosts))
	}
}

func tarNames(t testing.TB, b []byte) []string {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Error(err)
		return nil
	}
	tr := tar.NewReader(zr)
	var out []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Error(err)
			return out
		}
		if strings.HasSuffix(h.Name, "vault.yml") && h.Mode != 0o600 {
			t.Errorf("%s has mode %o", h.Name, h.Mode)
		}
		out = append(out, h.Name)
	}
}

func TestMapPage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	page := ts.mustGet("/map")
	for _, want := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg" class="estate-map"`,
		`data-name="legacy"`, `data-name="collector"`, `class="peer outside"`,
		`<li id="wave-1">`, `<a href="/hosts/legacy">legacy</a>`,
		`1 host is not on the map: its latest survey could not be read.`,
		`href="/map/document"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the map page lacks %s", want)
		}
	}
	if strings.Contains(page, "<?xml") || strings.Contains(page, " style=") {
		t.Error("the drawing keeps its XML declaration or a style attribute")
	}
	// Each arrow's evidence, as a page and as the panel the script fetches.
	id := regexp.MustCompile(`<g class="edge both" id="map-(e-[a-z0-9-]+)" data-edge="[^"]+" data-from="h-legacy" data-to="h-collector" data-service="syslog"`).FindStringSubmatch(page)
	if id == nil {
		t.Fatal("no arrow from legacy to collector's syslog")
	}
	edge := ts.mustGet("/map/edges/" + id[1])
	for _, want := range []string{`<a href="/hosts/legacy">legacy</a> → <a href="/hosts/collector">collector</a>`, "Config line", "/etc/rsyslog", "yes, when surveyed"} {
		if !strings.Contains(edge, want) {
			t.Errorf("the edge page lacks %s", want)
		}
	}
	part := ts.mustGet("/map/edges/" + id[1] + "?part=1")
	if strings.Contains(part, "<html") || !strings.Contains(part, "Config line") {
		t.Errorf("the edge panel: %.300s", part)
	}
	if r := ts.get("/map/edges/e-nothing"); r.StatusCode != http.StatusNotFound {
		t.Errorf("an edge that is not there: %s", r.Status)
	}
	doc := ts.mustGet("/map/document?lang=ja")
	if !strings.Contains(doc, "移行ウェーブ") || strings.Contains(doc, "<svg") {
		t.Error("the map document: in Japanese, without the drawing (the map page has it)")
	}
}

func TestQuestions(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	index := ts.mustGet("/ask")
	for _, q := range questions {
		if !strings.Contains(index, `href="/ask/`+q.key+`"`) {
			t.Errorf("the questions page does not ask %s", q.key)
		}
	}
	for query, want := range map[string][]string{
		"/ask/shippers":                          {"logship", "10.231.0.40:24224 (forward)", `<a href="/hosts/collector">collector</a>`, "/etc/rsyslog.d/"},
		"/ask/shippers?group=staging":            {`<a href="/hosts/stg">stg</a>`, `<a href="/hosts/collector">collector</a>`},
		"/ask/cron?zone=Asia%2FTokyo":            {"Asia/Tokyo", "/etc/cron.d/redmine:5", "JST"},
		"/ask/listeners?port=3306":               {"mariadb", "0.0.0.0"},
		"/ask/eol":                               {"centos", "ended 2017-03-31", "mariadb", "middleware (mysql)"},
		"/ask/eol?product=centos":                {"www01"},
		"/ask/findings":                          {`href="/ask/findings?key=eol.os"`, `<code>eol.os</code>`},
		"/ask/findings?key=eol.os&sort=host":     {"debian 11 is past its end of life", "centos 5 is past its end of life"},
		"/ask/findings?key=eol.os&lang=ja":       {"重要度"},
		"/ask/cron?q=e2scrub&sort=user&dir=desc": {"e2scrub_all"},
	} {
		page := ts.browser().mustGet(query)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %s", query, w)
			}
		}
	}
	// A filter keeps only what it names.
	staging := ts.mustGet("/ask/shippers?group=staging")
	if strings.Contains(staging, `<a href="/hosts/legacy">`) {
		t.Error("the staging filter kept a production host")
	}
	listeners := ts.mustGet("/ask/listeners?port=3306")
	if strings.Contains(listeners, ">22<") || strings.Contains(listeners, `127.0.0.1`) {
		t.Error("the listeners filter kept another port, or a loopback listener")
	}
	eol := ts.mustGet("/ask/eol")
	if strings.Contains(eol, "newweb") || strings.Contains(eol, "app3") {
		t.Error("a host still supported is listed as past its end of life")
	}
	desc, asc := ts.mustGet("/ask/listeners?sort=port&dir=desc"), ts.mustGet("/ask/listeners?sort=port")
	if strings.Index(desc, ">3306<") > strings.Index(desc, ">22<") || strings.Index(asc, ">22<") > strings.Index(asc, ">3306<") {
		t.Error("listeners sorted by port, as numbers, both ways")
	}
	if r := ts.get("/ask/nothing"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a question not asked: %s", r.Status)
	}
}

func TestAuditPage(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	ts.get("/hosts/legacy/surveys/2/files/spec.yaml")
	page := ts.mustGet("/audit")
	for _, want := range []string{`<a href="/hosts/legacy/surveys/2">legacy@2</a>`, "trowel survey -i lab.ini", "downloaded legacy@2.spec.yaml", "aiko"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit page lacks %s", want)
		}
	}
	if strings.Index(page, "downloaded legacy@2.spec.yaml") > strings.Index(page, "trowel survey -i lab.ini") {
		t.Error("the audit trail is not newest first")
	}
	spec := ts.mustGet("/audit?action=spec")
	if strings.Contains(spec, "trowel survey -i lab.ini") || !strings.Contains(spec, "legacy@2.spec.yaml") {
		t.Error("filtered by action")
	}
	www := ts.mustGet("/audit?host=www01")
	if strings.Contains(www, "legacy@") || !strings.Contains(www, "www01@1") {
		t.Error("filtered by host")
	}
	if r := ts.get("/audit?host=nowhere"); r.StatusCode != http.StatusNotFound {
		t.Errorf("the audit of a host that is not there: %s", r.Status)
	}
	one := ts.mustGet("/audit?limit=1")
	if strings.Count(one, "<tr>") != 2 || !strings.Contains(one, "Show more") { // the header's row and one entry
		t.Errorf("a limited trail: %d rows", strings.Count(one, "<tr>")-1)
	}
}

// A survey recorded while the page is open shows at the next request, before
// its snapshot is read: the estate page does not wait for the map.
func TestEstateWhileReading(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	s := moved(t, "late", "10.231.0.77", testNow.Add(-time.Hour))
	if _, err := ts.st.RecordSurvey(context.Background(), store.Survey{Snapshot: s, Inventory: store.Inventory{Name: "late", Group: "production"}}); err != nil {
		t.Fatal(err)
	}
	page := ts.mustGet("/?q=late")
	if got := hostsListed(t, page); len(got) != 1 || got[0] != "late" || !strings.Contains(page, "1 survey is being read") {
		t.Errorf("right after a survey: %v, banner %v", got, strings.Contains(page, "being read"))
	}
	if !strings.Contains(ts.mustGet("/?q=legacy"), "Redmine 4.2.11") {
		t.Error("the hosts already read lost what they are for while the new survey is read")
	}
	if err := ts.srv.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	page = ts.mustGet("/?q=late")
	if strings.Contains(page, "being read") || !strings.Contains(page, "Redmine 4.2.11") {
		t.Error("once read, the new host is whole")
	}
}

// While the estate is read, the pages that need all of it say so and reload
// themselves; then they show.
func TestPagesWhileReading(t *testing.T) {
	ts := coldServer(t, t.TempDir()+"/trowel.db", Config{}, true)
	ts.srv.idx.mu.Lock() // the reading cannot finish
	for _, path := range []string{"/map", "/ask/cron", "/ask", "/map/document"} {
		r := ts.get(path)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `<meta http-equiv="refresh" content="3">`) ||
			!strings.Contains(r.Body, "7 surveys are being read.") {
			t.Errorf("%s while reading: %s\n%.600s", path, r.Status, r.Body)
		}
	}
	if page := ts.mustGet("/"); !strings.Contains(page, "7 surveys are being read") || len(hostsListed(t, page)) != 7 {
		t.Error("the estate page while reading")
	}
	ts.srv.idx.mu.Unlock()
	if err := ts.srv.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if page := ts.mustGet("/map"); strings.Contains(page, "http-equiv") || !strings.Contains(page, `data-name="legacy"`) {
		t.Error("the map once read")
	}
}

// A long answer shows its first rows and a link to all of them.
func TestAnswerLimit(t *testing.T) {
	ts := newTestServer(t, Config{}, true)
	defer func(n int) { answerLimit = n }(answerLimit)
	answerLimit = 5
	page := ts.mustGet("/ask/cron?group=production")
	if n := strings.Count(page, `<tr>`) - 1; n != 5 || !strings.Contains(page, "The first 5 are shown") ||
		!strings.Contains(page, `<a href="?all=1&amp;group=production">show them all.</a>`) {
		t.Errorf("a long answer: %d rows", n)
	}
	if all := ts.mustGet("/ask/cron?group=production&all=1"); strings.Count(all, `<tr>`)-1 <= 5 || strings.Contains(all, "The first") {
		t.Error("all of a long answer")
	}
}
